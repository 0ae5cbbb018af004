package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// R8: graceful shutdown under load. A constant 100 requests a second (pages,
// API reads and API writes, each on a new connection) runs into a SIGTERM.
// No request the server accepted may fail, it must exit 0 within 10 s, and
// the database must be closed cleanly with every acknowledged write in it.

type r8Stats struct {
	mu                              sync.Mutex
	okBefore, okAfter               int
	refused, reset                  int
	failures                        []string
	resetWrites                     map[string]bool // writes whose connection was reset after SIGTERM
	latencies                       []time.Duration
	writesAcked, writesBeforeSignal int
}

func runR8(e *env) error {
	ctx := context.Background()
	const rate = 100
	before := time.Duration(e.size(3, 10)) * time.Second
	addr, err := freeAddr()
	if err != nil {
		return err
	}
	dbPath := filepath.Join(e.dir, "haven.db")
	srv, err := startServer(e, addr, dbPath, true)
	if err != nil {
		return err
	}
	defer srv.kill()
	lead, ok := findAccount(parseAccounts(srv.stdout.String()), "practice-lead", "demo-riverside")
	if !ok {
		return errors.New("no demo practice lead for demo-riverside")
	}
	api := &apiClient{http: newClient(15*time.Second, false), base: srv.base, token: lead.APIToken}
	people, err := api.people(ctx)
	if err != nil {
		return err
	}
	led, err := openLedger(filepath.Join(e.dir, "ledger.jsonl"))
	if err != nil {
		return err
	}
	defer led.close()

	var (
		stats     = &r8Stats{resetWrites: map[string]bool{}}
		signalled atomic.Bool
		stop      = make(chan struct{})
		wg        sync.WaitGroup
		ids       = &reqIDs{prefix: "r8"}
		rng       = newRand(e.rng.Uint64())
		rngMu     sync.Mutex
	)
	fire := func(i int) {
		rngMu.Lock()
		ref := people[rng.IntN(len(people))].Ref
		in := newSession(rng, "", time.Now().UTC())
		rngMu.Unlock()
		began := time.Now()
		var st int
		var err error
		kind := i % 3
		reqID := ""
		switch kind {
		case 0:
			var res *http.Response
			res, err = api.http.Get(srv.base + "/")
			if err == nil {
				_, err = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				st = res.StatusCode
			}
		case 1:
			st, _, err = api.do(ctx, http.MethodGet, "/api/v1/people/"+ref, nil, nil, &apiPerson{})
		default:
			reqID = ids.next()
			in.Note = "Chaos shutdown note " + reqMarker(reqID)
			var out struct{ ID, Version int64 }
			st, _, err = api.do(ctx, http.MethodPost, "/api/v1/people/"+ref+"/sessions", in, nil, &out)
			if err == nil && st == http.StatusCreated {
				led.add(ledgerEntry{Test: "R8", ReqID: reqID, Kind: "session", Person: ref, RecordID: out.ID, Version: out.Version, SHA256: in.hash(), At: time.Now()})
				stats.mu.Lock()
				stats.writesAcked++
				stats.mu.Unlock()
			}
		}
		after := signalled.Load()
		stats.mu.Lock()
		defer stats.mu.Unlock()
		switch {
		case err != nil && !after:
			if len(stats.failures) < 20 {
				stats.failures = append(stats.failures, fmt.Sprintf("request %d before SIGTERM: %v", i, err))
			}
		case err != nil && errors.Is(err, syscall.ECONNREFUSED):
			stats.refused++
		case err != nil && isConnLoss(err):
			stats.reset++ // a new connection the server closed unread once shutdown began
			if reqID != "" {
				stats.resetWrites[reqID] = true
			}
		case err != nil:
			if len(stats.failures) < 20 {
				stats.failures = append(stats.failures, fmt.Sprintf("request %d after SIGTERM: %v", i, err))
			}
		case st >= 400:
			if len(stats.failures) < 20 {
				stats.failures = append(stats.failures, fmt.Sprintf("request %d = %d", i, st))
			}
		default:
			stats.latencies = append(stats.latencies, time.Since(began))
			if after {
				stats.okAfter++
			} else {
				stats.okBefore++
			}
		}
	}
	// Open model: requests start on schedule whether or not earlier ones have finished.
	loadDone := make(chan struct{})
	go func() {
		defer close(loadDone)
		t0 := time.Now()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			case <-time.After(time.Until(t0.Add(time.Duration(i) * time.Second / rate))):
			}
			wg.Go(func() { fire(i) })
		}
	}()

	time.Sleep(before)
	// A write in flight at the signal: headers and half the body are in.
	inflight, inflightReq, err := startHalfRequest(srv, lead.APIToken, people[0].Ref, ids.next())
	if err != nil {
		return err
	}
	defer inflight.Close()
	time.Sleep(100 * time.Millisecond)

	signalled.Store(true)
	sent := time.Now()
	srv.cmd.Process.Signal(syscall.SIGTERM)
	stats.mu.Lock()
	stats.writesBeforeSignal = stats.writesAcked
	stats.mu.Unlock()
	// Finish the half-sent request once the listener has closed.
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		c, err := net.DialTimeout("tcp", srv.addr, time.Second)
		if err != nil {
			break
		}
		c.Close()
	}
	inflightStatus, inflightErr := finishHalfRequest(inflight, inflightReq, led, people[0].Ref)

	exited := srv.waitExit(10*time.Second - time.Since(sent))
	exitedIn := time.Since(sent)
	time.Sleep(500 * time.Millisecond) // a little load against the closed port
	close(stop)
	<-loadDone
	wg.Wait()
	if !exited {
		srv.kill()
	}

	// The database: a clean close leaves no WAL behind (or an empty one).
	walNote := "no -wal file left"
	if fi, err := os.Stat(dbPath + "-wal"); err == nil {
		walNote = fmt.Sprintf("-wal file left with %d bytes", fi.Size())
	}
	rows, problems, err := checkDB(ctx, dbPath, filepath.Join(e.dir, "check"))
	if err != nil {
		return err
	}
	_, recon := reconcile(led.snapshot(), rows)
	problems = append(problems, recon...)
	// A write whose connection was reset must not have been applied: that
	// would be a request the server accepted and then failed to answer.
	for _, s := range rows["session"] {
		if req := markerIn(s.text); req != "" && stats.resetWrites[req] {
			problems = append(problems, fmt.Sprintf("request %s was applied but its client saw the connection reset", req))
		}
	}

	stats.mu.Lock()
	defer stats.mu.Unlock()
	e.logf("load: %d req/s for %v, then SIGTERM; each request on a new connection", rate, before)
	e.logf("answered: %d before SIGTERM, %d after (all 2xx/3xx); p99 latency %v", stats.okBefore, stats.okAfter,
		percentile(stats.latencies, 99).Round(time.Millisecond))
	e.logf("after the listener closed: %d refused, %d reset unread (not accepted, so not failures)", stats.refused, stats.reset)
	e.logf("write in flight at SIGTERM (body finished after the listener closed): %d %v", inflightStatus, errOrNil(inflightErr))
	e.logf("exit: %v after SIGTERM, %v (limit 10s, exit 0)", exitedIn.Round(time.Millisecond), exitText(srv, exited))
	e.logf("database: %s; %d acknowledged writes (%d before SIGTERM); %d problems", walNote, len(led.snapshot()), stats.writesBeforeSignal, len(problems))
	var fails []string
	for _, f := range stats.failures {
		e.logf("failed request: %s", f)
	}
	for _, p := range problems[:min(5, len(problems))] {
		e.logf("problem: %s", p)
	}
	if len(stats.failures) > 0 {
		fails = append(fails, fmt.Sprintf("%d failed requests", len(stats.failures)))
	}
	if inflightErr != nil || inflightStatus != http.StatusCreated {
		fails = append(fails, "the write in flight at SIGTERM was not completed")
	}
	if !exited || exitedIn > 10*time.Second || srv.waitErr != nil {
		fails = append(fails, "haven did not exit 0 within 10 s")
	}
	if !strings.Contains(srv.stderr.String(), `"msg":"stopped"`) {
		fails = append(fails, "haven did not log that it stopped")
	}
	if len(problems) > 0 {
		fails = append(fails, fmt.Sprintf("%d database problems", len(problems)))
	}
	if stats.okBefore == 0 {
		fails = append(fails, "no request succeeded")
	}
	if len(fails) > 0 {
		return errors.New(strings.Join(fails, "; "))
	}
	return nil
}

func errOrNil(err error) string {
	if err == nil {
		return "(no error)"
	}
	return err.Error()
}

func exitText(s *server, exited bool) string {
	switch {
	case !exited:
		return "still running (killed)"
	case s.waitErr != nil:
		return s.waitErr.Error()
	}
	return "exit 0"
}

// halfRequest is a session write whose body is only partly sent.
type halfRequest struct {
	rest  string
	reqID string
	in    sessionInput
}

func startHalfRequest(srv *server, token, ref, reqID string) (net.Conn, halfRequest, error) {
	in := newSession(newRand(1), reqID, time.Now().UTC())
	body, _ := json.Marshal(in)
	c, err := net.DialTimeout("tcp", srv.addr, 5*time.Second)
	if err != nil {
		return nil, halfRequest{}, err
	}
	half := len(body) / 2
	_, err = fmt.Fprintf(c, "POST /api/v1/people/%s/sessions HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
		ref, srv.addr, token, len(body), body[:half])
	return c, halfRequest{rest: string(body[half:]), reqID: reqID, in: in}, err
}

func finishHalfRequest(c net.Conn, h halfRequest, led *ledger, ref string) (int, error) {
	c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(c, h.rest); err != nil {
		return 0, err
	}
	res, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	var out struct{ ID, Version int64 }
	if err := json.NewDecoder(res.Body).Decode(&out); err == nil && res.StatusCode == http.StatusCreated {
		led.add(ledgerEntry{Test: "R8", ReqID: h.reqID, Kind: "session", Person: ref, RecordID: out.ID, Version: out.Version, SHA256: h.in.hash(), At: time.Now()})
	}
	return res.StatusCode, nil
}
