// Package main is the S41 canary for scripts/gosec: the same finding as
// ../untriaged, silenced without a reason, which the gate must refuse.
package main

import "net/http"

func main() {
	http.ListenAndServe("127.0.0.1:0", nil) // #nosec G114
}
