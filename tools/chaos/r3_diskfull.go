package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// R3: disk full, without root. The database is capped with max_page_count
// just above its size, with 8 MiB of ballast rows inside it standing in for
// other files on a full disk. Writes are driven until they fail: the API
// must answer 503, a form must come back with what was typed, reads must keep
// working and the log must say event=storage_full. Then the ballast is
// deleted (space freed, as an operator would) and writes must succeed again
// without a restart, with no corruption.

const (
	r3BallastRows = 128
	r3RowBytes    = 64 << 10
	r3Headroom    = 128 // pages of 4 KiB above the current size
)

func runR3(e *env) error {
	ctx := context.Background()
	addr, err := freeAddr()
	if err != nil {
		return err
	}
	dbPath := filepath.Join(e.dir, "haven.db")
	srv, err := startServer(e, addr, dbPath, true)
	if err != nil {
		return err
	}
	accts := parseAccounts(srv.stdout.String())
	srv.cmd.Process.Signal(syscall.SIGTERM)
	if !srv.waitExit(15 * time.Second) {
		srv.kill()
	}
	lead, ok := findAccount(accts, "practice-lead", "demo-riverside")
	if !ok {
		return errors.New("no demo practice lead for demo-riverside")
	}
	pages, err := addBallast(ctx, dbPath)
	if err != nil {
		return err
	}
	limit := pages + r3Headroom
	srv, err = startServer(e, addr, dbPath+"?max_page_count="+strconv.FormatInt(limit, 10), false)
	if err != nil {
		return err
	}
	defer srv.kill()
	api := &apiClient{http: newClient(15*time.Second, true), base: srv.base, token: lead.APIToken}
	people, err := api.people(ctx)
	if err != nil {
		return err
	}
	ref := people[0].Ref
	b := newBrowser(srv.base)
	if err := b.signIn(ctx, lead); err != nil {
		return err
	}
	led, err := openLedger(filepath.Join(e.dir, "ledger.jsonl"))
	if err != nil {
		return err
	}
	defer led.close()
	ids := &reqIDs{prefix: "r3"}
	rng := newRand(e.rng.Uint64())
	today := time.Now().UTC()
	refused := map[string]bool{} // markers of writes answered 503

	// write sends one session through the API with an 8 KiB note.
	write := func() (int, http.Header, error) {
		reqID := ids.next()
		in := newSession(rng, reqID, today)
		in.Note = strings.TrimSpace(in.Note + " " + strings.Repeat("Padding so the database fills. ", 256))
		var out struct{ ID, Version int64 }
		st, h, err := api.do(ctx, http.MethodPost, "/api/v1/people/"+ref+"/sessions", in, nil, &out)
		switch {
		case err == nil && st == http.StatusCreated:
			err = led.add(ledgerEntry{Test: "R3", ReqID: reqID, Kind: "session", Person: ref, RecordID: out.ID, Version: out.Version, SHA256: in.hash(), At: time.Now()})
		case err == nil && st == http.StatusServiceUnavailable:
			refused[reqID] = true
		}
		return st, h, err
	}

	// Fill it.
	var fails []string
	accepted, st := 0, 0
	var h http.Header
	for i := 0; i < 5000; i++ {
		if st, h, err = write(); err != nil {
			return err
		}
		if st != http.StatusCreated {
			break
		}
		accepted++
	}
	e.logf("cap: max_page_count %d (%d pages + %d), with %d MiB of ballast; %d writes of ~8 KiB accepted before the first refusal",
		limit, pages, r3Headroom, r3BallastRows*r3RowBytes>>20, accepted)
	e.logf("first refused write: %d, Retry-After %q", st, h.Get("Retry-After"))
	if st != http.StatusServiceUnavailable {
		return fmt.Errorf("writes stopped with %d, want 503", st)
	}
	if h.Get("Retry-After") == "" {
		fails = append(fails, "the API's 503 had no Retry-After")
	}

	// A form that cannot be saved comes back with what was typed.
	typed := "R3 typed note " + reqMarker(ids.next()) + " she wants to keep this"
	form := url.Values{"on-day": {strconv.Itoa(today.Day())}, "on-month": {strconv.Itoa(int(today.Month()))}, "on-year": {strconv.Itoa(today.Year())},
		"type": {"home-visit"}, "minutes": {"45"}, "initiatedBy": {"her"}, "note": {typed}, "idempotency_key": {"chaos-r3-form-" + strconv.FormatUint(rng.Uint64(), 16)}}
	fst, _, fbody, err := b.do(ctx, http.MethodPost, "/people/"+ref+"/sessions", form)
	if err != nil {
		return err
	}
	kept := strings.Contains(fbody, typed) && strings.Contains(fbody, "Try saving again")
	e.logf("session form while full: %d, typed note kept on the page: %v", fst, kept)
	if fst != http.StatusServiceUnavailable || !kept {
		fails = append(fails, fmt.Sprintf("the session form answered %d (typed input kept: %v), want 503 with the input", fst, kept))
	}

	// Reads keep working.
	reads, readOK := 0, 0
	for i := range 50 {
		var rst int
		if i%2 == 0 {
			rst, _, _, err = b.do(ctx, http.MethodGet, "/people/"+ref, nil)
		} else {
			rst, _, err = api.do(ctx, http.MethodGet, "/api/v1/people/"+ref+"/sessions", nil, nil, nil)
		}
		reads++
		if err == nil && rst == http.StatusOK {
			readOK++
		}
	}
	stillRefused := 0
	for range 10 {
		if st, _, err := write(); err == nil && st == http.StatusServiceUnavailable {
			stillRefused++
		}
	}
	fullLogged := strings.Contains(srv.stderr.String(), `"event":"storage_full"`)
	e.logf("while full: %d of %d reads answered 200 (ratio %.2f); %d of 10 more writes refused with 503; log event=storage_full: %v",
		readOK, reads, float64(readOK)/float64(reads), stillRefused, fullLogged)
	if float64(readOK) < 0.99*float64(reads) {
		fails = append(fails, fmt.Sprintf("only %d of %d reads worked while full", readOK, reads))
	}
	if stillRefused != 10 {
		fails = append(fails, fmt.Sprintf("%d of 10 writes while full were refused, want all", stillRefused))
	}
	if !fullLogged {
		fails = append(fails, "no event=storage_full in the log")
	}

	// Free space, as an operator would, while Haven runs.
	if err := dropBallast(ctx, dbPath); err != nil {
		return err
	}
	freed := time.Now()
	recovered := time.Duration(0)
	for time.Since(freed) < 20*time.Second {
		st, _, err := write()
		if err != nil {
			return err
		}
		if st == http.StatusCreated {
			recovered = time.Since(freed)
			break
		}
		time.Sleep(250 * time.Millisecond)
	}
	after := 0
	for range 10 {
		if st, _, err := write(); err == nil && st == http.StatusCreated {
			after++
		}
	}
	// "Try saving again" sends the kept form as it was.
	rst, rh, _, err := b.do(ctx, http.MethodPost, "/people/"+ref+"/sessions", form)
	if err != nil {
		return err
	}
	recoveredLogged := strings.Contains(srv.stderr.String(), `"event":"storage_recovered"`)
	e.logf("after freeing the ballast: writes accepted again after %v without a restart, then %d of 10; kept form sent again: %d %s; log event=storage_recovered: %v",
		recovered.Round(time.Millisecond), after, rst, rh.Get("Location"), recoveredLogged)
	if recovered == 0 || after != 10 {
		fails = append(fails, "writes did not resume after space was freed")
	}
	if rst != http.StatusSeeOther {
		fails = append(fails, fmt.Sprintf("the kept form sent again answered %d, want 303", rst))
	}

	srv.cmd.Process.Signal(syscall.SIGTERM)
	srv.waitExit(15 * time.Second)
	rows, problems, err := checkDB(ctx, dbPath, filepath.Join(e.dir, "check"))
	if err != nil {
		return err
	}
	_, recon := reconcile(led.snapshot(), rows)
	problems = append(problems, recon...)
	typedRows := 0
	for _, s := range rows["session"] {
		m := markerIn(s.text)
		if refused[m] {
			problems = append(problems, fmt.Sprintf("request %s was refused with 503 but saved", m))
		}
		if strings.Contains(s.text, "R3 typed note") {
			typedRows++
		}
	}
	if typedRows != 1 {
		problems = append(problems, fmt.Sprintf("the kept form made %d sessions, want 1", typedRows))
	}
	e.logf("database after shutdown: %d acknowledged writes, %d refused; %d problems (integrity, atomicity, ledger, refused-but-saved)",
		len(led.snapshot()), len(refused), len(problems))
	for _, p := range problems[:min(5, len(problems))] {
		e.logf("problem: %s", p)
	}
	if len(problems) > 0 {
		fails = append(fails, fmt.Sprintf("%d database problems", len(problems)))
	}
	if len(fails) > 0 {
		return errors.New(strings.Join(fails, "; "))
	}
	return nil
}

// addBallast fills the stopped server's database with rows that stand for
// other files on the disk, checkpoints, and returns its size in pages.
func addBallast(ctx context.Context, path string) (int64, error) {
	db, err := openSQLite(path)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `CREATE TABLE chaos_ballast (id INTEGER PRIMARY KEY, filler BLOB NOT NULL)`); err != nil {
		return 0, err
	}
	filler := make([]byte, r3RowBytes)
	for i := range r3BallastRows {
		if _, err := db.ExecContext(ctx, `INSERT INTO chaos_ballast (id, filler) VALUES ($1, $2)`, i+1, filler); err != nil {
			return 0, err
		}
	}
	if _, err := db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return 0, err
	}
	var pages int64
	err = db.QueryRowContext(ctx, `PRAGMA page_count`).Scan(&pages)
	return pages, err
}

// dropBallast frees the ballast's pages while the server runs.
func dropBallast(ctx context.Context, path string) error {
	db, err := openSQLite(path)
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.ExecContext(ctx, `DROP TABLE chaos_ballast`)
	return err
}
