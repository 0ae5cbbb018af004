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
	"sync"
	"syscall"
	"time"
)

// R6: double submission. Each create is sent two or three times with the
// same idempotency key (the Idempotency-Key header on the API, the hidden
// idempotency_key field in the session form), some copies in parallel and
// some one after another. Exactly one row per key may exist, and every copy
// must be answered with that row's ID.

type r6Stats struct {
	mu                      sync.Mutex
	keys, sends, parallel   int
	sameID, replayed        int
	differentIDs, failed    int
	apiKeys, formKeys       int
	examples                []string
	idsByKey                map[string]int64
	markerByKey, keyByMaker map[string]string
}

func (s *r6Stats) note(format string, args ...any) {
	if len(s.examples) < 10 {
		s.examples = append(s.examples, fmt.Sprintf(format, args...))
	}
}

func runR6(e *env) error {
	ctx := context.Background()
	n := e.pick(30, 1000)
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
	api := &apiClient{http: newClient(15*time.Second, true), base: srv.base, token: lead.APIToken}
	people, err := api.people(ctx)
	if err != nil {
		return err
	}
	b := newBrowser(srv.base)
	if err := b.signIn(ctx, lead); err != nil {
		return err
	}

	type job struct {
		key, ref, marker string
		form, parallel   bool
		copies           int
		gaps             []time.Duration
		in               sessionInput
	}
	jobs := make(chan job)
	stats := &r6Stats{idsByKey: map[string]int64{}, markerByKey: map[string]string{}, keyByMaker: map[string]string{}}
	today := time.Now().UTC()
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for j := range jobs {
				ids := make([]int64, j.copies)
				errs := make([]error, j.copies)
				replays := make([]bool, j.copies)
				send := func(c int) {
					if j.form {
						ids[c], errs[c] = r6Form(ctx, b, j.ref, j.key, j.in)
					} else {
						ids[c], replays[c], errs[c] = r6API(ctx, api, j.ref, j.key, j.in)
					}
				}
				if j.parallel {
					var pw sync.WaitGroup
					for c := range j.copies {
						pw.Go(func() { send(c) })
					}
					pw.Wait()
				} else {
					for c := range j.copies {
						send(c)
						time.Sleep(j.gaps[c])
					}
				}
				stats.mu.Lock()
				stats.sends += j.copies
				ok := true
				for c := range j.copies {
					if errs[c] != nil {
						stats.failed++
						stats.note("key %s copy %d: %v", j.key, c+1, errs[c])
						ok = false
					} else if ids[c] != ids[0] {
						stats.differentIDs++
						if ok {
							stats.note("DUPLICATE: key %s was answered with IDs %v", j.key, ids)
						}
						ok = false
					}
					if replays[c] {
						stats.replayed++
					}
				}
				if ok {
					stats.sameID++
					stats.idsByKey[j.key] = ids[0]
				}
				stats.markerByKey[j.key] = j.marker
				stats.keyByMaker[j.marker] = j.key
				stats.mu.Unlock()
			}
		})
	}
	rng := newRand(e.rng.Uint64())
	for i := range n {
		j := job{key: fmt.Sprintf("chaos-r6-%06d-%08x", i, rng.Uint32()), ref: people[rng.IntN(len(people))].Ref,
			form: rng.IntN(3) == 0, parallel: rng.IntN(2) == 0, copies: 2 + rng.IntN(2)}
		j.marker = fmt.Sprintf("r6-%06d", i)
		j.in = newSession(rng, j.marker, today)
		for range j.copies {
			j.gaps = append(j.gaps, time.Duration(rng.Int64N(int64(50*time.Millisecond))))
		}
		stats.mu.Lock()
		stats.keys++
		if j.parallel {
			stats.parallel++
		}
		if j.form {
			stats.formKeys++
		} else {
			stats.apiKeys++
		}
		stats.mu.Unlock()
		jobs <- j
	}
	close(jobs)
	wg.Wait()

	srv.cmd.Process.Signal(syscall.SIGTERM)
	srv.waitExit(15 * time.Second)
	rows, problems, err := checkDB(ctx, dbPath, filepath.Join(e.dir, "check"))
	if err != nil {
		return err
	}
	rowsPerKey := map[string][]string{}
	for id, s := range rows["session"] {
		if m := markerIn(s.text); strings.HasPrefix(m, "r6-") {
			key := stats.keyByMaker[m]
			rowsPerKey[key] = append(rowsPerKey[key], id)
		}
	}
	oneRow, dupRows, missing, wrongID := 0, 0, 0, 0
	for key := range stats.markerByKey {
		got := rowsPerKey[key]
		switch {
		case len(got) == 0:
			missing++
			problems = append(problems, fmt.Sprintf("key %s made no row", key))
		case len(got) > 1:
			dupRows += len(got) - 1
			problems = append(problems, fmt.Sprintf("DUPLICATE: key %s made rows %v", key, got))
		default:
			oneRow++
		}
		switch {
		case len(got) != 1:
		case stats.idsByKey[key] != 0 && strconv.FormatInt(stats.idsByKey[key], 10) != got[0]:
			wrongID++
			problems = append(problems, fmt.Sprintf("key %s was answered with ID %d but made row %s", key, stats.idsByKey[key], got[0]))
		}
	}

	e.logf("keys: %d (%d API with Idempotency-Key, %d session form with idempotency_key), %d sends, %d keys sent in parallel",
		stats.keys, stats.apiKeys, stats.formKeys, stats.sends, stats.parallel)
	e.logf("every copy answered with the same ID: %d of %d keys; API repeats marked Idempotent-Replayed: %d; different IDs: %d; failed sends: %d",
		stats.sameID, stats.keys, stats.replayed, stats.differentIDs, stats.failed)
	e.logf("rows per key: %d keys with exactly one row, %d extra rows, %d keys with none, %d answered with another row's ID; all problems: %d",
		oneRow, dupRows, missing, wrongID, len(problems))
	for _, x := range stats.examples {
		e.logf("example: %s", x)
	}
	for _, p := range problems[:min(5, len(problems))] {
		e.logf("problem: %s", p)
	}
	if stats.sameID != stats.keys || len(problems) > 0 {
		return fmt.Errorf("%d of %d keys were answered consistently; %d extra rows; %d problems", stats.sameID, stats.keys, dupRows, len(problems))
	}
	return nil
}

// r6API sends one copy through the API and returns the session ID it was given.
func r6API(ctx context.Context, api *apiClient, ref, key string, in sessionInput) (int64, bool, error) {
	var out struct{ ID int64 }
	st, h, err := api.do(ctx, http.MethodPost, "/api/v1/people/"+ref+"/sessions", in, http.Header{"Idempotency-Key": {key}}, &out)
	if err != nil {
		return 0, false, err
	}
	if st != http.StatusCreated {
		return 0, false, fmt.Errorf("POST /api/v1/people/{ref}/sessions = %d", st)
	}
	return out.ID, h.Get("Idempotent-Replayed") == "true", nil
}

// r6Form sends one copy through the new-session form and returns the session
// ID its redirect names.
func r6Form(ctx context.Context, b *browser, ref, key string, in sessionInput) (int64, error) {
	on, err := time.Parse(time.DateOnly, in.Date)
	if err != nil {
		return 0, err
	}
	form := url.Values{"on-day": {strconv.Itoa(on.Day())}, "on-month": {strconv.Itoa(int(on.Month()))}, "on-year": {strconv.Itoa(on.Year())},
		"type": {in.Type}, "minutes": {strconv.Itoa(in.Minutes)}, "initiatedBy": {in.InitiatedBy}, "note": {in.Note},
		"practicalHelp": {in.PracticalHelp}, "idempotency_key": {key}}
	st, h, body, err := b.do(ctx, http.MethodPost, "/people/"+ref+"/sessions", form)
	if err != nil {
		return 0, err
	}
	prefix := "/people/" + ref + "/sessions/"
	loc := h.Get("Location")
	if st != http.StatusSeeOther || !strings.HasPrefix(loc, prefix) {
		return 0, fmt.Errorf("POST /people/{ref}/sessions = %d (Location %q) %s", st, loc, tail(body, 200))
	}
	return strconv.ParseInt(strings.TrimPrefix(loc, prefix), 10, 64)
}
