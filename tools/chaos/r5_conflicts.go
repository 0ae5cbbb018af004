package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// R5: concurrent edit conflicts. Two signed-in people read the same person's
// version and both save different details with it, 0–5 ms apart, through
// the details form (the only update with free-form fields; the API's one
// If-Match update, enrolment phases, allows too few moves for 1,000 pairs).
// Exactly one must win, the other must get 409 with her typed input kept,
// and the record must end as the winner sent it, one version higher.

type r5Result struct {
	mu                                  sync.Mutex
	pairs, oneWinner, conflicts         int
	bothWon, noneWon, other             int
	inputKept, wrongFinal, wrongVersion int
	examples                            []string
}

func (r *r5Result) note(format string, args ...any) {
	if len(r.examples) < 10 {
		r.examples = append(r.examples, fmt.Sprintf(format, args...))
	}
}

func runR5(e *env) error {
	ctx := context.Background()
	pairs := e.pick(50, 1000)
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
	accts := parseAccounts(srv.stdout.String())
	lead, ok1 := findAccount(accts, "practice-lead", "demo-riverside")
	coord, ok2 := findAccount(accts, "practice-coordinator", "demo-riverside")
	if !ok1 || !ok2 {
		return errors.New("no demo practice lead and co-ordinator for demo-riverside")
	}
	clients := [2]*browser{newBrowser(srv.base), newBrowser(srv.base)}
	for i, a := range []account{lead, coord} {
		clients[i].debugf = e.debugf
		if err := clients[i].signIn(ctx, a); err != nil {
			return err
		}
	}
	api := &apiClient{http: newClient(10*time.Second, true), base: srv.base, token: lead.APIToken}
	people, err := api.people(ctx)
	if err != nil {
		return err
	}
	led, err := openLedger(filepath.Join(e.dir, "ledger.jsonl"))
	if err != nil {
		return err
	}
	defer led.close()

	// Each person gets her own stream of pairs, so pairs on different people run at once.
	var res r5Result
	start := make(map[string]int64)
	last := make(map[string]personForm) // the last winning form per person
	var wg sync.WaitGroup
	ids := &reqIDs{prefix: "r5"}
	delays := make([][]time.Duration, len(people))
	seeds := make([]uint64, len(people))
	for i := range people {
		seeds[i] = e.rng.Uint64()
		start[people[i].Ref] = people[i].Version
	}
	var mu sync.Mutex
	for i, p := range people {
		n := pairs / len(people)
		if i < pairs%len(people) {
			n++
		}
		wg.Go(func() {
			rng := newRand(seeds[i])
			for k := 0; k < n; k++ {
				cur, err := api.person(ctx, p.Ref)
				if err != nil {
					res.mu.Lock()
					res.other++
					res.note("pair on %s: %v", p.Ref, err)
					res.mu.Unlock()
					return
				}
				var forms [2]personForm
				var reqs [2]string
				for c := range forms {
					reqs[c] = ids.next()
					forms[c] = formFromPerson(cur)
					forms[c].PreferredName = fmt.Sprintf("Pair%d%c%d", k, 'A'+c, rng.IntN(1000))
					forms[c].CommunicationNeeds = fmt.Sprintf("Typed by client %c %s", 'A'+c, reqMarker(reqs[c]))
				}
				first := rng.IntN(2)
				delay := time.Duration(rng.Int64N(int64(5*time.Millisecond) + 1))
				delays[i] = append(delays[i], delay)
				var statuses [2]int
				var bodies [2]string
				var locs [2]string
				var errs [2]error
				var pw sync.WaitGroup
				for _, c := range []int{first, 1 - first} {
					pw.Go(func() {
						var h http.Header
						statuses[c], h, bodies[c], errs[c] = clients[c].do(ctx, http.MethodPost, "/people/"+p.Ref, forms[c].values())
						if h != nil {
							locs[c] = h.Get("Location")
						}
					})
					if c == first {
						time.Sleep(delay)
					}
				}
				pw.Wait()
				won := func(c int) bool {
					return errs[c] == nil && statuses[c] == http.StatusSeeOther && locs[c] == "/people/"+p.Ref
				}
				res.mu.Lock()
				res.pairs++
				winner := -1
				switch {
				case won(0) && won(1):
					res.bothWon++
					res.note("LOST UPDATE: both saves on %s at version %d were accepted", p.Ref, cur.Version)
				case won(0) || won(1):
					winner = 0
					if won(1) {
						winner = 1
					}
					loser := 1 - winner
					if errs[loser] == nil && statuses[loser] == http.StatusConflict {
						res.oneWinner++
						res.conflicts++
						if strings.Contains(bodies[loser], forms[loser].PreferredName) && strings.Contains(bodies[loser], "Typed by client") {
							res.inputKept++
						} else {
							res.note("the 409 page for %s did not show the loser's typed input", p.Ref)
						}
					} else {
						res.other++
						res.note("loser on %s got %d %v, want 409", p.Ref, statuses[loser], errs[loser])
					}
				default:
					res.noneWon++
					res.note("neither save on %s won: %d %v / %d %v", p.Ref, statuses[0], errs[0], statuses[1], errs[1])
				}
				res.mu.Unlock()
				if winner < 0 {
					continue
				}
				want := forms[winner]
				want.Version = cur.Version + 1
				mu.Lock()
				last[p.Ref] = want
				mu.Unlock()
				led.add(ledgerEntry{Test: "R5", ReqID: reqs[winner], Kind: "person", Person: p.Ref, Version: want.Version, SHA256: want.hash(), At: time.Now()})
				after, err := api.person(ctx, p.Ref)
				res.mu.Lock()
				switch {
				case err != nil:
					res.other++
					res.note("reading %s back: %v", p.Ref, err)
				case after.Version != cur.Version+1:
					res.wrongVersion++
					res.note("%s went from version %d to %d after one winning save", p.Ref, cur.Version, after.Version)
				case after.PreferredName != want.PreferredName:
					res.wrongFinal++
					res.note("LOST UPDATE: %s holds %q, the winner sent %q", p.Ref, after.PreferredName, want.PreferredName)
				}
				res.mu.Unlock()
			}
		})
	}
	wg.Wait()

	// Stop cleanly, then check the stored rows against the winners.
	srv.cmd.Process.Signal(syscall.SIGTERM)
	srv.waitExit(15 * time.Second)
	rows, problems, err := checkDB(ctx, dbPath, filepath.Join(e.dir, "check"))
	if err != nil {
		return err
	}
	wins := 0
	for ref, want := range last {
		got := rows["person"][ref]
		wins += int(want.Version - start[ref])
		if got.version != want.Version || got.hash != want.hash() {
			problems = append(problems, fmt.Sprintf("LOST UPDATE: %s is stored at version %d, the last winner made version %d", ref, got.version, want.Version))
		}
	}

	var all []time.Duration
	for _, d := range delays {
		all = append(all, d...)
	}
	e.logf("pairs: %d over %d people, second request 0–5 ms after the first (median %v)", res.pairs, len(people), percentile(all, 50).Round(10*time.Microsecond))
	e.logf("exactly one winner: %d; 409 for the other: %d (ratio %.3f); both won (lost update): %d; neither won: %d; other: %d",
		res.oneWinner, res.conflicts, float64(res.conflicts)/float64(max(1, res.pairs)), res.bothWon, res.noneWon, res.other)
	e.logf("409 page kept the loser's typed input: %d of %d", res.inputKept, res.conflicts)
	e.logf("read back after each pair: wrong version %d, not the winner's details %d; winning writes %d, versions gained %d",
		res.wrongVersion, res.wrongFinal, res.oneWinner, wins)
	e.logf("database after shutdown: %d problems (integrity, atomicity, final state)", len(problems))
	for _, x := range res.examples {
		e.logf("example: %s", x)
	}
	for _, p := range problems[:min(5, len(problems))] {
		e.logf("problem: %s", p)
	}
	if res.pairs != pairs || res.oneWinner != pairs || res.inputKept != res.conflicts || res.wrongVersion+res.wrongFinal > 0 ||
		len(problems) > 0 || wins != res.oneWinner {
		return fmt.Errorf("%d of %d pairs had exactly one winner and a 409; %d lost updates; %d database problems",
			res.oneWinner, pairs, res.bothWon+res.wrongFinal, len(problems))
	}
	return nil
}
