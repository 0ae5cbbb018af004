package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"
)

// R10: oversized bodies. One byte over the limit, with a Content-Length and
// chunked, to a form route and an API route, must be refused with 413; so
// must a 1 GiB chunked upload, which the server must not hold in memory.

const (
	r10Limit    = 1 << 20 // the server's default body limit
	r10Huge     = 1 << 30
	r10RSSLimit = 20 << 20
)

// filler is an endless stream of one byte, counted as it is read.
type filler struct {
	b    byte
	read atomic.Int64
}

func (f *filler) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = f.b
	}
	f.read.Add(int64(len(p)))
	return len(p), nil
}

// body is prefix followed by filler up to n bytes in all. With chunked, the
// length is not declared.
func oversized(prefix string, n int64, chunked bool) (io.Reader, *filler, int64) {
	f := &filler{b: 'a'}
	r := io.MultiReader(strings.NewReader(prefix), io.LimitReader(f, n-int64(len(prefix))))
	if chunked {
		return struct{ io.Reader }{r}, f, -1
	}
	return r, f, n
}

func runR10(e *env) error {
	ctx := context.Background()
	addr, err := freeAddr()
	if err != nil {
		return err
	}
	srv, err := startServer(e, addr, filepath.Join(e.dir, "haven.db"), true)
	if err != nil {
		return err
	}
	defer srv.kill()
	lead, ok := findAccount(parseAccounts(srv.stdout.String()), "practice-lead", "demo-riverside")
	if !ok {
		return errors.New("no demo practice lead for demo-riverside")
	}
	api := &apiClient{http: newClient(10*time.Second, true), base: srv.base, token: lead.APIToken}
	people, err := api.people(ctx)
	if err != nil {
		return err
	}
	pid := srv.cmd.Process.Pid

	type target struct {
		name, path, ctype, prefix string
		api                       bool
	}
	targets := []target{
		{"form POST /find-a-practice", "/find-a-practice", "application/x-www-form-urlencoded", "area=", false},
		{"API POST /api/v1/people/{ref}/sessions", "/api/v1/people/" + people[0].Ref + "/sessions", "application/json", `{"note":"`, true},
	}
	// Each request goes over its own raw connection, read while it is being
	// written: the server answers 413 before the body is in, and a client that
	// only reads after writing could lose that answer to the connection reset.
	send := func(t target, n int64, chunked bool) (int, int64, error) {
		body, f, length := oversized(t.prefix, n, chunked)
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.base+t.path, body)
		if err != nil {
			return 0, 0, err
		}
		req.ContentLength = length
		req.Header.Set("Content-Type", t.ctype)
		if t.api {
			req.Header.Set("Authorization", "Bearer "+lead.APIToken)
		}
		c, err := net.DialTimeout("tcp", srv.addr, 5*time.Second)
		if err != nil {
			return 0, 0, err
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(2 * time.Minute))
		written := make(chan error, 1)
		go func() { written <- req.Write(c) }()
		res, err := http.ReadResponse(bufio.NewReader(c), req)
		if err != nil {
			return 0, f.read.Load(), fmt.Errorf("no answer: %w (writing: %v)", err, <-written)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		c.Close() // stops the writer if the server has not already
		<-written
		return res.StatusCode, f.read.Load(), nil
	}

	// Warm up, so the baseline RSS includes what ordinary requests allocate.
	for range 20 {
		send(targets[0], 100, false)
		send(targets[1], 100, false)
	}
	hwm0, err := procStatus(pid, "VmHWM")
	if err != nil {
		return err
	}
	rss0, _ := procStatus(pid, "VmRSS")

	var fails []string
	for _, t := range targets {
		for _, chunked := range []bool{false, true} {
			how := "with Content-Length"
			if chunked {
				how = "chunked"
			}
			st, _, err := send(t, r10Limit+1, chunked)
			e.logf("%s, limit+1 bytes %s: %d %s", t.name, how, st, errOrNil(err))
			if err != nil || st != http.StatusRequestEntityTooLarge {
				fails = append(fails, fmt.Sprintf("%s limit+1 %s = %d %v, want 413", t.name, how, st, err))
			}
		}
		// The 1 GiB stream: the server answers once it has read past the limit,
		// so the client may see its upload cut short after the answer.
		began := time.Now()
		st, sent, err := send(t, r10Huge, true)
		e.logf("%s, 1 GiB chunked: %d %s; %d MiB left the client in %v", t.name, st, errOrNil(err), sent>>20, time.Since(began).Round(time.Millisecond))
		if st != http.StatusRequestEntityTooLarge {
			fails = append(fails, fmt.Sprintf("%s 1 GiB chunked = %d %v, want 413", t.name, st, err))
		}
	}
	hwm1, err := procStatus(pid, "VmHWM")
	if err != nil {
		return err
	}
	rss1, _ := procStatus(pid, "VmRSS")
	growth := (hwm1 - hwm0) << 10
	e.logf("server memory: peak RSS %d → %d MiB (growth %.1f MiB, limit 20 MiB); RSS now %d MiB (was %d)",
		hwm0>>10, hwm1>>10, float64(growth)/(1<<20), rss1>>10, rss0>>10)
	if growth >= r10RSSLimit {
		fails = append(fails, fmt.Sprintf("peak RSS grew %.1f MiB", float64(growth)/(1<<20)))
	}
	// The server must still be healthy, and no oversized request may have written anything.
	sessions := struct {
		Sessions []struct{ Note string } `json:"sessions"`
	}{}
	st, _, err := api.do(ctx, http.MethodGet, "/api/v1/people/"+people[0].Ref+"/sessions", nil, nil, &sessions)
	if err != nil || st != http.StatusOK {
		fails = append(fails, fmt.Sprintf("the server was unwell afterwards: %d %v", st, err))
	}
	for _, s := range sessions.Sessions {
		if strings.HasPrefix(s.Note, "aaaa") {
			fails = append(fails, "an oversized body was saved")
			break
		}
	}
	if strings.Contains(srv.stderr.String(), `"status":500`) {
		fails = append(fails, "the server answered 500 (see haven.log)")
	}
	if len(fails) > 0 {
		return errors.New(strings.Join(fails, "; "))
	}
	return nil
}
