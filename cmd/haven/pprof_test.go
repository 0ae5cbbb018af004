package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"os"
	"testing"
	"time"
)

// S41 (G112/G114): the profiler cuts off a client that never finishes its
// headers, as Haven's own port does, instead of holding the connection open
// for ever.
func TestProfilerClosesSlowHeaders(t *testing.T) {
	var logged bytes.Buffer
	if err := startProfiler("127.0.0.1:0", slog.New(slog.NewJSONHandler(&logged, nil))); err != nil {
		t.Fatal(err)
	}
	var line struct{ Addr string }
	if err := json.Unmarshal(logged.Bytes(), &line); err != nil || line.Addr == "" {
		t.Fatalf("profiler's address not logged: %q", logged.String())
	}
	c, err := net.Dial("tcp", line.Addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := io.WriteString(c, "GET /debug/pprof/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"); err != nil {
		t.Fatal(err)
	}
	// The server's ReadHeaderTimeout is 5 s; the test gives it 10.
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	began := time.Now()
	_, err = io.ReadAll(c)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("the profiler held a connection with unfinished headers open for %v", time.Since(began).Round(time.Second))
	}
}
