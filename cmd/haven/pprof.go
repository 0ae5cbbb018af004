package main

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"time"
)

// startProfiler serves Go's profiler on a loopback address when
// HAVEN_PPROF_ADDR is set, so a slow page under load can be explained with
// a profile. It is off by default and refuses any non-loopback address: the
// profiler shows memory, which may hold personal data.
func startProfiler(addr string, log *slog.Logger) error {
	if addr == "" {
		return nil
	}
	host, _, err := net.SplitHostPort(addr)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("HAVEN_PPROF_ADDR must be a loopback address such as 127.0.0.1:6060, not %q", addr)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	log.Info("profiler listening", "addr", ln.Addr().String())
	go profiler(mux).Serve(ln)
	return nil
}

// profiler is the profiler's server. A client that sends its headers slowly
// is cut off as on Haven's own port (S41, G112). There is no write timeout:
// a CPU profile or trace streams for as many seconds as it was asked for, and
// pprof refuses a duration longer than the server's WriteTimeout.
func profiler(h http.Handler) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second, IdleTimeout: time.Minute}
}
