// Package main is the S41 canary for scripts/gosec: a server without
// timeouts (G114, medium), left untriaged, which the gate must refuse.
package main

import "net/http"

func main() {
	http.ListenAndServe("127.0.0.1:0", nil)
}
