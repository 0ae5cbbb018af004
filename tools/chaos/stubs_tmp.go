package main

func runR5(e *env) error  { return errSkip }
func runR6(e *env) error  { return errSkip }
func runR8(e *env) error  { return errSkip }
func runR9(e *env) error  { return errSkip }
func runR10(e *env) error { return errSkip }
func runR3(e *env) error  { return errSkip }
func runR11(e *env) error { return errSkip }
