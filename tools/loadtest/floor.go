package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"sync/atomic"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/auth"
	"haven/internal/store"
)

// The floor is what any page of her record must do whatever else it shows,
// served by a handler that does nothing more: read the session and the
// user's grants afresh (S19), check that her record is visible to them, and
// make the audit row durable before answering. Its throughput against the
// bare handler is the most the person page could reach by caching
// everything else.
const (
	floorFull  = "session and grants, access check, audit row"
	floorAudit = "audit row alone"
)

// serveFloor is the -floor mode: a handler doing only the floor's work on
// the store at dbURL. With auditOnly it skips the session and access reads.
func serveFloor(addr, dbURL string, auditOnly bool) error {
	ctx := context.Background()
	db, err := store.Open(ctx, dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	var n atomic.Int64
	h := func(w http.ResponseWriter, r *http.Request) {
		ev := audit.Event{Action: audit.View, RecordType: "person", Section: "details", Role: string(access.RolePractitioner), RequestID: "floor-" + strconv.FormatInt(n.Add(1), 10)}
		if !auditOnly {
			cs := r.Cookies() // the loadtest sends the session cookie alone
			if len(cs) != 1 {
				http.Error(w, "no session", http.StatusUnauthorized)
				return
			}
			_, actor, err := db.SessionActor(r.Context(), auth.HashToken(cs[0].Value))
			if err != nil || actor == nil {
				http.Error(w, "no session", http.StatusUnauthorized)
				return
			}
			p, acc, err := db.PersonFor(r.Context(), actor, r.URL.Query().Get("ref"))
			if err != nil || !acc.Record {
				http.NotFound(w, r)
				return
			}
			ev.UserID, ev.RecordID = actor.User.ID, strconv.FormatInt(p.ID, 10)
		}
		if err := db.Audit(r.Context(), ev); err != nil {
			http.Error(w, "audit failed", http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("ok\n"))
	}
	return http.ListenAndServe(addr, http.HandlerFunc(h)) // #nosec G114 -- the bare floor server measures Go's least cost per request, on loopback, for the length of a run
}

// flatOut drives one target as fast as a closed loop of 32 goes, for dur.
func flatOut(target vegeta.Target, dur time.Duration) vegeta.Metrics {
	atk := newAttacker(32, 32) // a closed loop of 32: flat out, not an ever-growing queue
	var m vegeta.Metrics
	for res := range atk.Attack(vegeta.NewStaticTargeter(target), vegeta.ConstantPacer{}, dur, "flat") {
		m.Add(res)
	}
	m.Close()
	return m
}

// startPinned runs this program in one of its internal server modes, pinned
// to Haven's core, and waits until it answers at url.
func startPinned(cpu int, url string, args ...string) (*exec.Cmd, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command("taskset", append([]string{"-c", strconv.Itoa(cpu), self}, args...)...) // #nosec G204 -- the load test itself (os.Executable) pinned to a core
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	for i := 0; ; i++ {
		if res, err := http.Get(url); err == nil { // #nosec G107 -- the loopback address of the floor server it just started
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			return cmd, nil
		}
		if i > 200 {
			cmd.Process.Kill()
			cmd.Wait()
			return nil, fmt.Errorf("%v did not start", args)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
