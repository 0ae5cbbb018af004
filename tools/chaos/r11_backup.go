package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// R11: backup and restore drill. While writers keep creating sessions and
// goals, `haven backup` takes online copies; the latest is restored with
// `haven restore` into a fresh directory and Haven is started on it. The
// restored database must pass its checks and hold every write acknowledged
// before that backup began.

func runR11(e *env) error {
	ctx := context.Background()
	backups := e.pick(1, 3)
	const interval = 3 * time.Second // the drill's stand-in for the 60 s schedule
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
	lead, ok := findAccount(accts, "practice-lead", "demo-riverside")
	if !ok {
		return errors.New("no demo practice lead for demo-riverside")
	}
	api := &apiClient{http: newClient(15*time.Second, true), base: srv.base, token: lead.APIToken}
	people, err := api.people(ctx)
	if err != nil {
		return err
	}
	led, err := openLedger(filepath.Join(e.dir, "ledger.jsonl"))
	if err != nil {
		return err
	}
	defer led.close()

	// Load: four writers, as fast as the server takes them.
	var (
		stop    atomic.Bool
		wg      sync.WaitGroup
		ids     = &reqIDs{prefix: "r11"}
		errMu   sync.Mutex
		loadErr []string
	)
	for i := range 4 {
		rng := newRand(e.rng.Uint64())
		wg.Go(func() {
			c := &apiClient{http: newClient(15*time.Second, true), base: srv.base, token: lead.APIToken}
			for !stop.Load() {
				if err := r11Write(ctx, c, rng, people[(i+rng.IntN(2))%len(people)].Ref, ids, led); err != nil {
					errMu.Lock()
					loadErr = append(loadErr, err.Error())
					errMu.Unlock()
					return
				}
			}
		})
	}

	type backup struct {
		file         string
		acknowledged int // ledger entries acknowledged before it began
		took         time.Duration
		out          string
	}
	var taken []backup
	for i := range backups {
		time.Sleep(interval)
		b := backup{file: filepath.Join(e.dir, fmt.Sprintf("backup-%d.db", i+1)), acknowledged: len(led.snapshot())}
		began := time.Now()
		out, err := exec.Command(e.bin, "backup", "--to", b.file, "--db", "sqlite:"+dbPath).CombinedOutput() // #nosec G204 -- the haven binary under test, on files of the harness's own temporary folder
		b.took, b.out = time.Since(began), strings.TrimSpace(string(out))
		if err != nil {
			stop.Store(true)
			wg.Wait()
			return fmt.Errorf("haven backup: %v\n%s", err, out)
		}
		taken = append(taken, b)
		e.debugf("backup %d: %s", i+1, b.out)
	}
	time.Sleep(time.Second) // writes after the last backup, which it must not need
	stop.Store(true)
	wg.Wait()
	srv.cmd.Process.Signal(syscall.SIGTERM)
	srv.waitExit(15 * time.Second)
	total := len(led.snapshot())

	last := taken[len(taken)-1]
	var fails []string
	if fi, err := os.Stat(last.file); err != nil {
		return err
	} else {
		e.logf("backups: %d taken during load, every %v; the last: %.1f MiB in %v (%q)", len(taken), interval,
			float64(fi.Size())/(1<<20), last.took.Round(time.Millisecond), tail(last.out, 200))
		if fi.Mode().Perm()&0o077 != 0 {
			fails = append(fails, fmt.Sprintf("the backup is readable by others (%v)", fi.Mode().Perm()))
		}
	}

	// Restore into a fresh directory and start Haven on it.
	fresh := filepath.Join(e.dir, "restored")
	if err := os.MkdirAll(fresh, 0o700); err != nil {
		return err
	}
	restored := filepath.Join(fresh, "haven.db")
	began := time.Now()
	out, err := exec.Command(e.bin, "restore", "--from", last.file, "--db", "sqlite:"+restored).CombinedOutput() // #nosec G204 -- the haven binary under test, on files of the harness's own temporary folder
	restoreTook := time.Since(began)
	if err != nil {
		return fmt.Errorf("haven restore: %v\n%s", err, out)
	}
	rsrv, err := startServer(e, addr, restored, false)
	if err != nil {
		return fmt.Errorf("starting on the restored database: %w", err)
	}
	defer rsrv.kill()
	restoreAndStart := time.Since(began)
	rapi := &apiClient{http: newClient(15*time.Second, true), base: rsrv.base, token: lead.APIToken}
	rpeople, perr := rapi.people(ctx)
	rsrv.cmd.Process.Signal(syscall.SIGTERM)
	rsrv.waitExit(15 * time.Second)

	rows, problems, err := checkDB(ctx, restored, filepath.Join(e.dir, "check"))
	if err != nil {
		return err
	}
	entries := led.snapshot()
	checked, recon := reconcile(entries[:last.acknowledged], rows)
	problems = append(problems, recon...)
	later, laterMissing := reconcile(entries[last.acknowledged:], rows)
	e.logf("load: %d writes acknowledged in all; %d before the last backup began", total, last.acknowledged)
	e.logf("restore %v, restore and start to ready %v (limit 60 s per GiB); API on the restored Haven: %d people %s",
		restoreTook.Round(time.Millisecond), restoreAndStart.Round(time.Millisecond), len(rpeople), errOrNil(perr))
	e.logf("restored database: %d of %d acknowledged-before-backup writes present and equal; %d of %d later writes present (not required); %d problems",
		checked-len(recon), checked, later-len(laterMissing), later, len(problems))
	for _, l := range loadErr {
		e.logf("load error: %s", l)
	}
	for _, p := range problems[:min(5, len(problems))] {
		e.logf("problem: %s", p)
	}
	if len(loadErr) > 0 {
		fails = append(fails, fmt.Sprintf("%d writers failed during backups", len(loadErr)))
	}
	if len(problems) > 0 {
		fails = append(fails, fmt.Sprintf("%d problems in the restored database", len(problems)))
	}
	if perr != nil || len(rpeople) != len(people) {
		fails = append(fails, "the restored Haven did not serve the same people")
	}
	if restoreAndStart > 60*time.Second {
		fails = append(fails, "restore and start took over 60 s")
	}
	if last.acknowledged == 0 {
		fails = append(fails, "no write was acknowledged before the backup")
	}
	if len(fails) > 0 {
		return errors.New(strings.Join(fails, "; "))
	}
	return nil
}

// r11Write creates a session (or, one time in three, a goal) and records it in the ledger.
func r11Write(ctx context.Context, c *apiClient, rng *rand.Rand, ref string, ids *reqIDs, led *ledger) error {
	reqID := ids.next()
	var out struct{ ID, Version int64 }
	entry := ledgerEntry{Test: "R11", ReqID: reqID, Person: ref}
	var st int
	var err error
	if rng.IntN(3) == 0 {
		in := newGoal(rng, reqID)
		st, _, err = c.do(ctx, http.MethodPost, "/api/v1/people/"+ref+"/goals", in, nil, &out)
		entry.Kind, entry.SHA256 = "goal", in.hash()
	} else {
		in := newSession(rng, reqID, time.Now().UTC())
		st, _, err = c.do(ctx, http.MethodPost, "/api/v1/people/"+ref+"/sessions", in, nil, &out)
		entry.Kind, entry.SHA256 = "session", in.hash()
	}
	if err != nil {
		return err
	}
	if st != http.StatusCreated {
		return fmt.Errorf("%s create = %d", entry.Kind, st)
	}
	entry.RecordID, entry.Version, entry.At = out.ID, out.Version, time.Now()
	return led.add(entry)
}
