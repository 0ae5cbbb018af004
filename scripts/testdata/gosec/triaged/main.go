// Package main is the S41 canary for scripts/gosec: the same finding as
// ../untriaged, triaged with a rule and a reason, which the gate accepts.
package main

import "net/http"

func main() {
	http.ListenAndServe("127.0.0.1:0", nil) // #nosec G114 -- a canary for the gate: it is never built into Haven
}
