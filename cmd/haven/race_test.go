//go:build race

package main

// raceEnabled lets the signal test build the binary as the tests were built,
// so that go build reuses the packages already compiled for them.
const raceEnabled = true
