// Command loadtest measures Haven against the national dataset at a constant
// arrival rate (vegeta), with Haven pinned to one core and this generator on
// the other. `make loadtest` runs it on SQLite and PostgreSQL; the figures it
// prints are the ones recorded in docs/PERFORMANCE.md.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"haven/internal/demo"
)

type options struct {
	db         string        // "sqlite" or "postgres"
	bin        string        // the haven binary
	dataDir    string        // where the national SQLite file is kept between runs
	rate       int           // the steady rate, requests per second
	duration   time.Duration // how long the steady run lasts
	stepFor    time.Duration // how long each step of the rate search lasts
	maxRate    int           // the rate search stops here
	searchFrom int           // the rate search starts here
	users      int           // practitioners signed in
	password   string        // the national staff password
	serverCPU  int
	clientCPU  int
	quick      bool   // a short smoke run for CI: tiny rates and durations
	pprof      string // HAVEN_PPROF_ADDR for Haven, to profile a run
	skipSearch bool
	// ceilingOnly measures the raw ceiling and the floor alone, for quick
	// comparisons of builds.
	ceilingOnly bool
	// pgStatements > 0 loads pg_stat_statements and lists that many of the
	// statements that took PostgreSQL longest in the judged minute.
	pgStatements int
	// serverEnv is more environment for Haven (the directory phase's GOMAXPROCS=1).
	serverEnv []string
}

func main() {
	var o options
	flag.StringVar(&o.db, "db", "sqlite", "database: sqlite or postgres")
	flag.StringVar(&o.bin, "bin", "bin/haven", "the haven binary")
	flag.StringVar(&o.dataDir, "data", "data", "directory for the national SQLite dataset (generated when missing)")
	flag.IntVar(&o.rate, "rate", 500, "steady constant rate, requests per second")
	flag.DurationVar(&o.duration, "duration", 60*time.Second, "steady run length")
	flag.DurationVar(&o.stepFor, "step", 15*time.Second, "length of each step of the highest-rate search")
	flag.IntVar(&o.maxRate, "max-rate", 3000, "the highest rate the search tries")
	flag.IntVar(&o.searchFrom, "search-from", 100, "the rate the search starts at")
	flag.IntVar(&o.users, "users", 100, "practitioners to sign in")
	flag.StringVar(&o.password, "password", "", "national staff password (default: the one the default seed gives)")
	flag.IntVar(&o.serverCPU, "server-cpu", 0, "core Haven is pinned to")
	flag.IntVar(&o.clientCPU, "client-cpu", 1, "core this generator is pinned to")
	flag.BoolVar(&o.quick, "quick", false, "short smoke run (CI): proves the harness works, measures nothing")
	flag.BoolVar(&o.skipSearch, "no-rate-search", false, "skip the highest-rate search")
	flag.BoolVar(&o.ceilingOnly, "ceiling-only", false, "measure only the raw ceiling and the floor")
	flag.IntVar(&o.pgStatements, "pg-statements", 0, "PostgreSQL only: list this many statements by total time in the judged run (pg_stat_statements)")
	flag.StringVar(&o.pprof, "pprof", "", "give Haven a loopback profiler address, e.g. 127.0.0.1:6060")
	kind := flag.String("only", "", "send only this kind of request (caseload, person, chronology, tasks, session-note, goal-review, search), or run only the calculators or directory phase (calculators, directory)")
	bare := flag.Bool("bare", false, "internal: serve a bare net/http handler on the address given as the argument")
	floor := flag.Bool("floor", false, "internal: serve the floor of a record view (floor.go) on the address given as the argument")
	floorDB := flag.String("floor-db", "", "internal: the database the floor serves")
	floorAuditOnly := flag.Bool("floor-audit-only", false, "internal: the floor writes the audit row and nothing else")
	flag.Parse()
	switch {
	case *bare:
		// The raw ceiling: the least a Go HTTP server can do per request.
		http.ListenAndServe(flag.Arg(0), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok\n")) })) // #nosec G114 -- the bare floor server measures Go's least cost per request, on loopback, for the length of a run
		return
	case *floor:
		if err := serveFloor(flag.Arg(0), *floorDB, *floorAuditOnly); err != nil {
			fmt.Fprintln(os.Stderr, "loadtest -floor:", err)
			os.Exit(1)
		}
		return
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if *kind == directoryOnlyKind {
		if err := runDirectoryOnly(ctx, o, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "loadtest:", err)
			os.Exit(1)
		}
		return
	}
	if *kind == calculatorOnlyKind {
		if err := runCalculatorsOnly(ctx, o, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "loadtest:", err)
			os.Exit(1)
		}
		return
	}
	if *kind != "" {
		if err := only(*kind); err != nil {
			fmt.Fprintln(os.Stderr, "loadtest:", err)
			os.Exit(2)
		}
	}
	if err := run(ctx, o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, o options, out io.Writer) error {
	if err := pinSelf(o.clientCPU); err != nil {
		fmt.Fprintf(out, "loadtest: not pinned (%v)\n", err)
	}
	bin, err := filepath.Abs(o.bin)
	if err != nil {
		return err
	}
	o.bin = bin
	if o.password == "" {
		plan, err := demo.NationalPlan(demo.DefaultSeed)
		if err != nil {
			return err
		}
		o.password = plan.Password
	}
	fmt.Fprintf(out, "loadtest: %s, %s, %d CPUs, Haven on core %d, generator on core %d, %s\n",
		o.db, runtime.Version(), runtime.NumCPU(), o.serverCPU, o.clientCPU, time.Now().UTC().Format(time.RFC3339))

	ds, err := prepareDataset(ctx, o, out)
	if err != nil {
		return err
	}
	defer ds.close()
	srv, err := startServer(ctx, o, ds.url)
	if err != nil {
		return err
	}
	defer srv.stop()

	w, err := discover(ctx, ds.url, o.users)
	if err != nil {
		return err
	}
	if err := w.signIn(ctx, srv.base, o.password); err != nil {
		return err
	}
	fmt.Fprintf(out, "signed in: %d practitioners, %d women on their caseloads, %d goals to review\n", len(w.users), w.people(), w.goals.size())

	r := &report{out: out, db: o.db}
	if o.ceilingOnly {
		if err := r.rawCeiling(ctx, w, srv, ds, o); err != nil {
			return err
		}
		r.summary()
		return nil
	}
	steadyRate, steadyFor := o.rate, o.duration
	if o.quick {
		steadyRate, steadyFor = 50, 3*time.Second
	}
	if err := r.steady(ctx, w, srv, ds, steadyRate, steadyFor, o.pgStatements); err != nil {
		return err
	}
	if !o.skipSearch && !o.quick {
		r.rateSearch(ctx, w, srv, o.searchFrom, o.maxRate, o.stepFor)
	}
	settle(ctx, srv.base)
	if err := r.personPage(ctx, w, srv, ds, o.quick); err != nil {
		return err
	}
	settle(ctx, srv.base)
	if err := r.rawCeiling(ctx, w, srv, ds, o); err != nil {
		return err
	}
	if err := r.reports(ctx, ds, o.quick); err != nil {
		return err
	}
	if err := r.evaluationDashboard(ctx, w, srv); err != nil {
		return err
	}
	settle(ctx, srv.base)
	if err := r.directory(ctx, o, ds); err != nil {
		return err
	}
	if o.db == "sqlite" { // the calculators touch no database: once is enough
		settle(ctx, srv.base)
		if err := r.calculators(ctx, o); err != nil {
			return err
		}
	}
	r.summary()
	if o.db == "sqlite" {
		// A slow checkpoint's fsync delays the commits every page waits for,
		// so it shows as a stall of every kind of page at once.
		lines, err := srv.logged("slow_checkpoint")
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "Haven logged %d slow checkpoints (over 100 ms)\n", len(lines))
		for _, l := range lines[:min(len(lines), 10)] {
			fmt.Fprintln(out, "  "+l)
		}
	}
	if r.failed > 0 && !o.quick {
		return fmt.Errorf("%d target(s) missed", r.failed)
	}
	return nil
}

// pinSelf moves this process onto one core, so Haven has the other to itself.
func pinSelf(cpu int) error {
	if runtime.NumCPU() < 2 {
		return fmt.Errorf("only %d CPU", runtime.NumCPU())
	}
	var set unix.CPUSet
	set.Set(cpu)
	return unix.SchedSetaffinity(0, &set)
}

func yesNo(ok bool) string {
	if ok {
		return "pass"
	}
	return "FAIL"
}

func ms(d time.Duration) string {
	return strings.TrimSuffix(fmt.Sprintf("%.2f", float64(d)/float64(time.Millisecond)), "0") + " ms"
}
