package main

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// R1: kill -9 during writes. Eight writers create sessions and goals through
// the API and change a person's details through the form; the server is
// killed after a random 0.2–3 s. The database must then pass its integrity
// and foreign-key checks, hold every acknowledged write as acknowledged,
// have no half-applied change, and serve /readyz within 2 s of a restart.

const r1Writers = 8

var practiceSlugs = []string{"demo-riverside", "demo-hillcrest", "demo-harbour"}

// r1Writer writes to one person, so its detail updates never conflict.
type r1Writer struct {
	ref     string
	api     *apiClient
	browser *browser
	form    personForm  // her details as the writer last saved them
	hash    string      // the stored hash of her details at version form.Version
	pending *personForm // an update sent without an answer before the kill
}

// restart is one restart's time to ready and the WAL it had to recover.
type restart struct {
	cycle int
	took  time.Duration
	wal   int64
}

type r1Stats struct {
	mu             sync.Mutex
	acked          map[string]int
	unexpected     []string // failures before the kill
	sent           map[string]bool
	createsUnacked int
}

func (s *r1Stats) fail(format string, args ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.unexpected) < 20 {
		s.unexpected = append(s.unexpected, fmt.Sprintf(format, args...))
	}
}

func runR1(e *env) error {
	ctx := context.Background()
	cycles := e.pick(3, 100)
	addr, err := freeAddr()
	if err != nil {
		return err
	}
	dbPath := filepath.Join(e.dir, "haven.db")
	led, err := openLedger(filepath.Join(e.dir, "ledger.jsonl"))
	if err != nil {
		return err
	}
	defer led.close()

	// Seed once: serve --demo refuses a database that already holds data.
	srv, err := startServer(e, addr, dbPath, true)
	if err != nil {
		return err
	}
	defer func() { srv.kill() }()
	accts := parseAccounts(srv.stdout.String())
	writers, err := r1Setup(ctx, e, srv, accts)
	if err != nil {
		return err
	}
	rows, problems, err := checkDB(ctx, dbPath, filepath.Join(e.dir, "check"))
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		return fmt.Errorf("the freshly seeded database already fails the checks: %s", strings.Join(problems[:min(5, len(problems))], "; "))
	}
	for _, w := range writers {
		w.hash = rows["person"][w.ref].hash
	}

	stats := &r1Stats{acked: map[string]int{}, sent: map[string]bool{}}
	ids := &reqIDs{prefix: "r1"}
	var (
		restarts        []time.Duration
		allProblems     []string
		integrityFails  int
		lost, changed   int
		halfApplied     int
		inflightUpdates int
		runFor          time.Duration
		slowest         restart
		maxWAL          int64
	)
	for c := 1; c <= cycles; c++ {
		d := 200*time.Millisecond + time.Duration(e.rng.Int64N(int64(2800*time.Millisecond)))
		runFor += d
		for _, w := range writers {
			w.api.base, w.browser.base = srv.base, srv.base
		}
		var killed atomic.Bool
		var wg sync.WaitGroup
		for i, w := range writers {
			rng := rand.New(rand.NewPCG(e.rng.Uint64(), uint64(i))) // #nosec G404 -- a run must repeat from its -seed; nothing here is a secret
			wg.Go(func() { r1Write(ctx, w, rng, c, &killed, ids, led, stats) })
		}
		time.Sleep(d)
		killed.Store(true)
		srv.kill()
		wg.Wait()
		walSize := int64(0)
		if fi, err := os.Stat(dbPath + "-wal"); err == nil {
			walSize = fi.Size()
		}

		rows, problems, err := checkDB(ctx, dbPath, filepath.Join(e.dir, "check"))
		if err != nil {
			return fmt.Errorf("cycle %d: %w", c, err)
		}
		for _, p := range problems {
			if strings.HasPrefix(p, "integrity_check") || strings.HasPrefix(p, "foreign_key_check") {
				integrityFails++
			} else {
				halfApplied++
			}
		}
		_, recon := reconcile(led.snapshot(), rows)
		for _, p := range recon {
			if strings.HasPrefix(p, "LOST") {
				lost++
			} else {
				changed++
			}
		}
		problems = append(problems, recon...)
		for _, w := range writers {
			got := rows["person"][w.ref]
			switch {
			case got.version == w.form.Version && got.hash == w.hash:
			case w.pending != nil && got.version == w.form.Version+1 && got.hash == w.pending.hash():
				// The update in flight at the kill committed; the writer adopts it.
				inflightUpdates++
				w.form, w.hash = *w.pending, got.hash
				w.form.Version = got.version
			case got.version < w.form.Version:
				lost++
				problems = append(problems, fmt.Sprintf("LOST: person %s is at version %d, version %d was acknowledged", w.ref, got.version, w.form.Version))
			default:
				changed++
				problems = append(problems, fmt.Sprintf("CHANGED: person %s is at version %d (acknowledged %d) with details that were never sent", w.ref, got.version, w.form.Version))
			}
			w.pending = nil
		}
		problems = append(problems, r1Phantoms(rows, stats)...)
		allProblems = append(allProblems, problems...)

		// Restart: the server recovers the WAL the kill left behind.
		srv, err = startServer(e, addr, dbPath, false)
		if err != nil {
			return fmt.Errorf("cycle %d: restart: %w", c, err)
		}
		restarts = append(restarts, srv.readyIn)
		if srv.readyIn > slowest.took {
			slowest = restart{c, srv.readyIn, walSize}
		}
		maxWAL = max(maxWAL, walSize)
		stats.mu.Lock()
		e.debugf("cycle %d: ran %v, %d acknowledged so far, %d problems, restart to ready %v", c, d.Round(time.Millisecond),
			len(led.snapshot()), len(problems), srv.readyIn.Round(time.Millisecond))
		stats.mu.Unlock()
		if len(allProblems) > 50 {
			break // enough to diagnose
		}
	}

	// The audit trail's hash chain must also have survived every kill.
	verify, verr := exec.Command(e.bin, "audit", "verify", "--db", "sqlite:"+dbPath).CombinedOutput() // #nosec G204 -- the haven binary under test, on a file of the harness's own temporary folder
	srv.cmd.Process.Signal(syscall.SIGTERM)
	srv.waitExit(15 * time.Second)

	entries := led.snapshot()
	stats.mu.Lock()
	defer stats.mu.Unlock()
	slow := slices.Max(restarts)
	e.logf("cycles: %d (writers ran %v in all), 8 writers", len(restarts), runFor.Round(time.Millisecond))
	e.logf("acknowledged writes: %d (sessions %d, goals %d, detail updates %d), all fsync'd to the ledger", len(entries),
		stats.acked["session"], stats.acked["goal"], stats.acked["person"])
	e.logf("unacknowledged at the kill but committed: %d creates, %d detail updates (allowed: the answer was lost, not the data)",
		stats.createsUnacked, inflightUpdates)
	e.logf("integrity or foreign-key failures: %d; acknowledged writes lost: %d; changed: %d; half-applied changes: %d",
		integrityFails, lost, changed, halfApplied)
	e.logf("restart to first 200 on /readyz: median %v, max %v (limit 2s), the slowest after cycle %d with a %.1f MiB WAL left by the kill (largest WAL %.1f MiB)",
		percentile(restarts, 50).Round(time.Millisecond), slow.Round(time.Millisecond), slowest.cycle, float64(slowest.wal)/(1<<20), float64(maxWAL)/(1<<20))
	e.logf("audit verify: %s", strings.TrimSpace(tail(string(verify), 300)))

	var fails []string
	for _, p := range allProblems[:min(10, len(allProblems))] {
		e.logf("problem: %s", p)
	}
	if len(allProblems) > 0 {
		fails = append(fails, fmt.Sprintf("%d problems after kills", len(allProblems)))
	}
	for _, u := range stats.unexpected {
		e.logf("failed request before the kill: %s", u)
	}
	if len(stats.unexpected) > 0 {
		fails = append(fails, fmt.Sprintf("%d requests failed before any kill", len(stats.unexpected)))
	}
	if slow >= 2*time.Second {
		fails = append(fails, fmt.Sprintf("a restart took %v to serve /readyz", slow.Round(time.Millisecond)))
	}
	if verr != nil {
		fails = append(fails, "haven audit verify failed")
	}
	if len(entries) == 0 {
		fails = append(fails, "no write was acknowledged")
	}
	if len(fails) > 0 {
		return errors.New(strings.Join(fails, "; "))
	}
	return nil
}

// r1Setup signs in each Practice lead and gives each writer one of her Practice's people.
func r1Setup(ctx context.Context, e *env, srv *server, accts []account) ([]*r1Writer, error) {
	var perPractice [][]*r1Writer
	for _, slug := range practiceSlugs {
		lead, ok := findAccount(accts, "practice-lead", slug)
		if !ok {
			return nil, fmt.Errorf("no demo practice lead for %s in serve's output", slug)
		}
		api := &apiClient{http: newClient(10*time.Second, true), base: srv.base, token: lead.APIToken}
		people, err := api.people(ctx)
		if err != nil {
			return nil, err
		}
		b := newBrowser(srv.base)
		if err := b.signIn(ctx, lead); err != nil {
			return nil, err
		}
		var ws []*r1Writer
		for _, p := range people {
			ws = append(ws, &r1Writer{ref: p.Ref, api: api, browser: b, form: formFromPerson(p)})
		}
		perPractice = append(perPractice, ws)
	}
	// Deal people round the Practices, so every writer has her own.
	var writers []*r1Writer
	for i := 0; len(writers) < r1Writers; i++ {
		pp := perPractice[i%len(perPractice)]
		if i/len(perPractice) >= len(pp) {
			if i > 100 {
				return nil, fmt.Errorf("only %d demo people for %d writers", len(writers), r1Writers)
			}
			continue
		}
		writers = append(writers, pp[i/len(perPractice)])
	}
	// Separate HTTP clients per writer, so each has its own connections.
	for _, w := range writers {
		w.api = &apiClient{http: newClient(10*time.Second, true), base: w.api.base, token: w.api.token}
		b := newBrowser(w.browser.base)
		b.cookies = maps.Clone(w.browser.cookies)
		w.browser = b
	}
	return writers, nil
}

// r1Write writes until the kill: half sessions, a quarter goals, a quarter detail updates.
func r1Write(ctx context.Context, w *r1Writer, rng *rand.Rand, cycle int, killed *atomic.Bool, ids *reqIDs, led *ledger, stats *r1Stats) {
	today := time.Now().UTC()
	for !killed.Load() {
		reqID := ids.next()
		stats.mu.Lock()
		stats.sent[reqID] = true
		stats.mu.Unlock()
		var (
			st    int
			err   error
			entry = ledgerEntry{Test: "R1", Cycle: cycle, ReqID: reqID, Person: w.ref}
		)
		switch n := rng.IntN(4); {
		case n < 2:
			in := newSession(rng, reqID, today)
			var out struct{ ID, Version int64 }
			st, _, err = w.api.do(ctx, http.MethodPost, "/api/v1/people/"+w.ref+"/sessions", in, nil, &out)
			entry.Kind, entry.RecordID, entry.Version, entry.SHA256 = "session", out.ID, out.Version, in.hash()
			if err == nil && st != http.StatusCreated {
				err = fmt.Errorf("POST sessions = %d", st)
			}
		case n == 2:
			in := newGoal(rng, reqID)
			var out struct{ ID, Version int64 }
			st, _, err = w.api.do(ctx, http.MethodPost, "/api/v1/people/"+w.ref+"/goals", in, nil, &out)
			entry.Kind, entry.RecordID, entry.Version, entry.SHA256 = "goal", out.ID, out.Version, in.hash()
			if err == nil && st != http.StatusCreated {
				err = fmt.Errorf("POST goals = %d", st)
			}
		default:
			f := w.form
			f.PreferredName = fmt.Sprintf("Chaos %d", rng.IntN(100000))
			f.CommunicationNeeds = "Chaos test " + reqMarker(reqID)
			w.pending = &f
			var h http.Header
			st, h, _, err = w.browser.do(ctx, http.MethodPost, "/people/"+w.ref, f.values())
			if err == nil && (st != http.StatusSeeOther || h.Get("Location") != "/people/"+w.ref) {
				err = fmt.Errorf("POST /people/{ref} = %d (Location %q)", st, h.Get("Location"))
				w.pending = nil // answered, so not in flight
			}
			if err == nil {
				w.pending = nil
				w.form, w.hash = f, f.hash()
				w.form.Version++
				entry.Kind, entry.Version, entry.SHA256 = "person", w.form.Version, w.hash
			}
		}
		if err != nil {
			if !killed.Load() {
				stats.fail("%s: %v", reqID, err)
			}
			if isConnLoss(err) || killed.Load() {
				return
			}
			continue
		}
		entry.At = time.Now()
		if lerr := led.add(entry); lerr != nil {
			stats.fail("ledger: %v", lerr)
			return
		}
		stats.mu.Lock()
		stats.acked[entry.Kind]++
		stats.mu.Unlock()
	}
}

// r1Phantoms finds chaos rows no request asked for, and counts the creates
// that committed although their answer was lost to the kill.
func r1Phantoms(rows map[string]map[string]stored, stats *r1Stats) []string {
	var problems []string
	committed := map[string]bool{}
	stats.mu.Lock()
	defer stats.mu.Unlock()
	stats.createsUnacked = 0
	for kind, byID := range rows {
		if kind == "person" {
			continue
		}
		for id, s := range byID {
			req := markerIn(s.text)
			if req == "" || !strings.HasPrefix(req, "r1-") {
				continue
			}
			if !stats.sent[req] {
				problems = append(problems, fmt.Sprintf("PHANTOM: %s %s carries request %s, which was never sent", kind, id, req))
			}
			committed[req] = true
		}
	}
	total := 0
	for _, n := range []string{"session", "goal"} {
		total += stats.acked[n]
	}
	stats.createsUnacked = len(committed) - total
	return problems
}
