// Command chaos runs Haven's reliability tests (docs/RELIABILITY.md) against
// the real haven binary over loopback: it kills, starves and floods a child
// server and checks that no acknowledged write is lost or corrupted.
//
//	go run ./tools/chaos            every test, full size (make chaos)
//	go run ./tools/chaos -short     a few cycles of every test (make test)
//	go run ./tools/chaos -only R1,R5 -cycles 20 -v
//
// Each test starts its own `haven serve --demo` on a free loopback port in
// a temporary directory, keeps a client-side ledger of every acknowledged
// write (fsync'd JSON lines: request ID, record ID, version, SHA-256 of the
// payload) and reconciles it against the SQLite file afterwards. The last
// line is the tally, e.g. "chaos: 8 passed, 0 failed"; the exit code is 1
// if any test failed. A failed test's directory (database, log, ledger) is
// kept and named.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"hash/fnv"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

// test is one reliability test. run returns nil if it passed, errSkip
// (wrapped) if it could not run here, and any other error if it failed.
type test struct {
	id, name string
	run      func(e *env) error
}

var errSkip = errors.New("skipped")

// tests are run in this order; the ones that need newer Haven features come last.
var tests = []test{
	{"R1", "kill -9 during writes", runR1},
	{"R5", "concurrent edit conflicts", runR5},
	{"R8", "graceful shutdown under load", runR8},
	{"R9", "slow clients", runR9},
	{"R10", "oversized bodies", runR10},
	{"R6", "double submission", runR6},
	{"R3", "disk full", runR3},
	{"R11", "backup and restore drill", runR11},
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 2 && args[0] == attackerFlag {
		return runAttacker(args[1], os.Stdin, stdout)
	}
	fs := flag.NewFlagSet("chaos", flag.ContinueOnError)
	fs.SetOutput(stderr)
	short := fs.Bool("short", false, "a few cycles of every test (for make test)")
	only := fs.String("only", "", "comma-separated test IDs to run, e.g. R1,R5")
	cycles := fs.Int("cycles", 0, "kill cycles (R1), conflicting pairs (R5), idempotency keys (R6) or backups (R11), overriding the default")
	bin := fs.String("bin", "", "the haven binary (default: build ./cmd/haven into a temporary directory)")
	verbose := fs.Bool("v", false, "print every cycle")
	seed := fs.Uint64("seed", 20261123, "seed for all randomness")
	keep := fs.Bool("keep", false, "keep the temporary directories (they are always kept for failed tests)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	selected, err := selectTests(*only)
	if err != nil {
		fmt.Fprintln(stderr, "chaos:", err)
		return 2
	}
	raiseFDLimit(stderr)

	root, err := os.MkdirTemp("", "haven-chaos-")
	if err != nil {
		fmt.Fprintln(stderr, "chaos:", err)
		return 1
	}
	if *bin == "" {
		fmt.Fprintln(stdout, "chaos: building haven")
		if *bin, err = buildHaven(root); err != nil {
			os.RemoveAll(root)
			fmt.Fprintln(stderr, "chaos:", err)
			return 1
		}
	}
	if *bin, err = filepath.Abs(*bin); err != nil {
		fmt.Fprintln(stderr, "chaos:", err)
		return 1
	}

	start := time.Now()
	var passed, failed, skipped int
	keepRoot := *keep
	for _, t := range selected {
		dir := filepath.Join(root, t.id)
		if err := os.MkdirAll(dir, 0o700); err != nil {
			fmt.Fprintln(stderr, "chaos:", err)
			return 1
		}
		e := &env{bin: *bin, dir: dir, short: *short, cycles: *cycles, verbose: *verbose, out: stdout,
			rng: rand.New(rand.NewPCG(*seed, nameSeed(t.id)))} // #nosec G404 -- a run must repeat from its -seed; nothing here is a secret
		fmt.Fprintf(stdout, "=== %s %s\n", t.id, t.name)
		began := time.Now()
		err := t.run(e)
		took := time.Since(began).Round(100 * time.Millisecond)
		switch {
		case err == nil:
			passed++
			fmt.Fprintf(stdout, "--- PASS %s (%v)\n", t.id, took)
			if !*keep {
				os.RemoveAll(dir)
			}
		case errors.Is(err, errSkip):
			skipped++
			fmt.Fprintf(stdout, "--- SKIP %s (%v): %v\n", t.id, took, err)
			if !*keep {
				os.RemoveAll(dir)
			}
		default:
			failed++
			keepRoot = true
			fmt.Fprintf(stdout, "--- FAIL %s (%v): %v\n    files kept in %s\n", t.id, took, err, dir)
		}
	}
	if !keepRoot {
		os.RemoveAll(root)
	}
	tally := fmt.Sprintf("chaos: %d passed, %d failed", passed, failed)
	if skipped > 0 {
		tally += fmt.Sprintf(", %d skipped", skipped)
	}
	fmt.Fprintf(stdout, "%s (%v)\n", tally, time.Since(start).Round(time.Second))
	if failed > 0 {
		return 1
	}
	return 0
}

// selectTests parses -only; empty means every test.
func selectTests(only string) ([]test, error) {
	if strings.TrimSpace(only) == "" {
		return tests, nil
	}
	var out []test
	for _, id := range strings.Split(only, ",") {
		id = strings.ToUpper(strings.TrimSpace(id))
		if id == "" {
			continue
		}
		i := slices.IndexFunc(tests, func(t test) bool { return t.id == id })
		if i < 0 {
			var ids []string
			for _, t := range tests {
				ids = append(ids, t.id)
			}
			return nil, fmt.Errorf("unknown test %q in -only (have %s)", id, strings.Join(ids, ", "))
		}
		if !slices.ContainsFunc(out, func(t test) bool { return t.id == id }) {
			out = append(out, tests[i])
		}
	}
	return out, nil
}

func nameSeed(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

// buildHaven builds the product binary into dir.
func buildHaven(dir string) (string, error) {
	bin := filepath.Join(dir, "haven")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, "haven/cmd/haven").CombinedOutput() // #nosec G204 -- builds Haven into the harness's own temporary folder
	if err != nil {
		return "", fmt.Errorf("go build haven/cmd/haven: %v\n%s", err, out)
	}
	return bin, nil
}

// raiseFDLimit lifts the soft open-file limit to the hard one; R9 holds
// over a thousand connections, and the server child inherits the limit.
func raiseFDLimit(stderr io.Writer) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return
	}
	if lim.Cur < lim.Max {
		lim.Cur = lim.Max
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
			fmt.Fprintln(stderr, "chaos: could not raise the open-file limit:", err)
		}
	}
}
