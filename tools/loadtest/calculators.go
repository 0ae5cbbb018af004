package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// The calculators phase (issue 19): the public calculators API at a
// constant 2,000 requests a second, judged on throughput and p99 ≤ 20 ms.
// It needs no national data: Haven serves it from an empty database of its
// own. Haven limits each client address to 10 calculations a second, so
// the generator spreads its requests over many addresses, sent as
// X-Forwarded-For from loopback, which this Haven is started trusting
// (--trusted-proxies 127.0.0.1/32); the limit itself stays on.

const (
	calculatorRate     = 2000
	calculatorFor      = 20 * time.Second
	calculatorAddrs    = 4096 // ≈ 0.5 requests a second each at 2,000/s
	calculatorP99      = 20 * time.Millisecond
	calculatorOnlyKind = "calculators"
)

// calculatorScenarios are varied queries: both calculators, the defaults,
// discounting, a need-level mix, long horizons and odd figures.
func calculatorScenarios() []string {
	var out []string
	for i := range 48 {
		q := url.Values{}
		switch i % 4 {
		case 0: // return home, average support
			q.Set("children", strconv.Itoa(20+i*7))
			q.Set("support", strconv.Itoa(5000+i*113))
			q.Set("years", strconv.Itoa(1+i%10))
		case 1: // return home, by level of need, discounted
			q.Set("supportBy", "need")
			q.Set("highShare", "33.33")
			q.Set("mediumShare", "33.33")
			q.Set("lowShare", "33.34")
			q.Set("lowCost", "1644.50")
			q.Set("children", strconv.Itoa(7+i))
			q.Set("discount", "3.5")
			q.Set("years", strconv.Itoa(3+i%23))
		case 2: // infant care, 4 years
			q.Set("careCost", strconv.Itoa(55000+i*250))
			q.Set("programmeCost", "500000")
			q.Set("years", "4")
		case 3: // infant care, 18 years, discounted, care longer than the horizon sometimes
			q.Set("careCost", "61,234.56")
			q.Set("programmeCost", strconv.Itoa(400000+i*1000))
			q.Set("avoided", "14.4")
			q.Set("careYears", strconv.Itoa(1+i%25))
			q.Set("years", "18")
			q.Set("discount", "3.5")
		}
		path := "/api/v1/calculators/return-home?"
		if i%4 >= 2 {
			path = "/api/v1/calculators/infant-care?"
		}
		out = append(out, path+q.Encode())
	}
	return out
}

// calculatorTargeter cycles through the scenarios, each from the next of
// many addresses. With fresh, every request is a scenario never asked for
// before (the infants avoided, or the cost of a failed return, counts up),
// so Haven's answer cache never has it.
func calculatorTargeter(base string, fresh bool) vegeta.Targeter {
	scenarios := calculatorScenarios()
	var mu sync.Mutex
	n := 0
	return func(t *vegeta.Target) error {
		mu.Lock()
		n++
		i := n
		mu.Unlock()
		a := i % calculatorAddrs
		u := base + scenarios[i%len(scenarios)]
		if fresh {
			path, raw, _ := strings.Cut(u, "?")
			q, _ := url.ParseQuery(raw)
			if strings.Contains(path, "infant-care") {
				q.Set("avoided", fmt.Sprintf("%d.%02d", 1+i/100%5000, i%100)) // under 10,000 infants a year
			} else {
				q.Set("failedCost", strconv.Itoa(60000+i%1_000_000)) // under the £100 million cap
			}
			u = path + "?" + q.Encode()
		}
		*t = vegeta.Target{Method: "GET", URL: u, Header: http.Header{"X-Forwarded-For": {fmt.Sprintf("198.18.%d.%d", a/256, a%256)}}}
		return nil
	}
}

// runCalculatorsOnly is `loadtest -only calculators`: the phase alone.
func runCalculatorsOnly(ctx context.Context, o options, out io.Writer) error {
	if err := pinSelf(o.clientCPU); err != nil {
		fmt.Fprintf(out, "loadtest: not pinned (%v)\n", err)
	}
	bin, err := filepath.Abs(o.bin)
	if err != nil {
		return err
	}
	o.bin = bin
	r := &report{out: out, db: "calculators"}
	if err := r.calculators(ctx, o); err != nil {
		return err
	}
	r.summary()
	if r.failed > 0 && !o.quick {
		return fmt.Errorf("%d target(s) missed", r.failed)
	}
	return nil
}

// calculators starts a Haven of its own on Haven's core, over an empty
// SQLite database, and runs the phase against it.
func (r *report) calculators(ctx context.Context, o options) error {
	dir, err := os.MkdirTemp("", "haven-loadtest-calc-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	srv, err := startServer(ctx, o, "sqlite:"+filepath.Join(dir, "haven.db"), "--trusted-proxies", "127.0.0.1/32")
	if err != nil {
		return err
	}
	defer srv.stop()
	rate, dur := calculatorRate, calculatorFor
	if o.quick {
		rate, dur = 100, 3*time.Second
	}
	fmt.Fprintf(r.out, "\ncalculators: the public API at a constant %d req/s for %s, over %d client addresses sent as X-Forwarded-For\n"+
		"  (Haven trusts 127.0.0.1/32 as a proxy for this phase; its limit of 10 a second for each address stays on)\n", rate, dur, calculatorAddrs)
	fmt.Fprintf(r.out, "  load average before: %s\n", loadAverage())
	// Warm up, not judged: the first requests fill Go's and Haven's caches.
	r.calculatorAttack(ctx, srv.base, rate, min(5*time.Second, dur/4), false)
	settle(ctx, srv.base)
	cpu0 := srv.cpuTime()
	stop := srv.sampleRSS()
	m, problems := r.calculatorAttack(ctx, srv.base, rate, dur, false)
	stop()
	cpu := srv.cpuTime() - cpu0
	fmt.Fprintf(r.out, "  load average after: %s\n", loadAverage())
	fmt.Fprintf(r.out, "  %d requests at %.0f/s achieved, %.0f/s answered OK, p50 %s, p95 %s, p99 %s, max %s\n",
		m.Requests, m.Rate, m.Throughput, ms(m.Latencies.P50), ms(m.Latencies.P95), ms(m.Latencies.P99), ms(m.Latencies.Max))
	for p, n := range problems {
		fmt.Fprintf(r.out, "    problem: %s ×%d\n", p, n)
	}
	errs := 0
	for _, n := range problems {
		errs += n
	}
	// Vegeta's pacer keeps the rate to within a request or two a second.
	r.target(fmt.Sprintf("calculators API ≥ %s req/s (answered OK)", thousands(rate)), fmt.Sprintf("%.0f req/s", m.Throughput), m.Throughput >= float64(rate)*0.99 && errs == 0)
	r.target("calculators API p99 ≤ 20 ms", ms(m.Latencies.P99), m.Latencies.P99 <= calculatorP99)
	r.target("calculators API: zero errors (no 4xx, 5xx or 429)", fmt.Sprintf("%d of %d", errs, m.Requests), errs == 0)
	if m.Requests > 0 {
		per := cpu / time.Duration(m.Requests) // #nosec G115 -- the requests of one run, far below 2^63
		r.info("calculators API: Haven CPU time per request", ms(per))
		if per > 0 {
			r.info("calculators API: one core's capacity at that cost", fmt.Sprintf("%.0f req/s", float64(time.Second)/float64(per)))
		}
	}
	r.info("calculators API: Haven's peak memory", fmt.Sprintf("%.0f MiB", srv.peakMiB()))

	// Reported, not judged: the same mix when no answer is kept, at a
	// quarter of the rate, for what a scenario costs to work out afresh.
	settle(ctx, srv.base)
	fresh := rate / 4
	fmt.Fprintf(r.out, "  every scenario new (the answer cache never hits), %d req/s for %s:\n", fresh, dur/2)
	cpu0 = srv.cpuTime()
	fm, fproblems := r.calculatorAttack(ctx, srv.base, fresh, dur/2, true)
	cpu = srv.cpuTime() - cpu0
	ferrs := 0
	for _, n := range fproblems {
		ferrs += n
	}
	fmt.Fprintf(r.out, "  %d requests, %.0f/s answered OK, p50 %s, p99 %s, errors %d\n", fm.Requests, fm.Throughput, ms(fm.Latencies.P50), ms(fm.Latencies.P99), ferrs)
	for p, n := range fproblems {
		fmt.Fprintf(r.out, "    problem: %s ×%d\n", p, n)
	}
	if fm.Requests > 0 {
		per := cpu / time.Duration(fm.Requests) // #nosec G115 -- the requests of one run, far below 2^63
		r.info("calculators API, every scenario new: p99", ms(fm.Latencies.P99))
		r.info("calculators API, every scenario new: Haven CPU per request", ms(per))
	}
	return nil
}

func (r *report) calculatorAttack(ctx context.Context, base string, rate int, dur time.Duration, fresh bool) (vegeta.Metrics, map[string]int) {
	var m vegeta.Metrics
	problems := map[string]int{}
	atk := newAttacker(64, 4096)
	go func() { <-ctx.Done(); atk.Stop() }()
	for res := range atk.Attack(calculatorTargeter(base, fresh), vegeta.ConstantPacer{Freq: rate, Per: time.Second}, dur, "calculators") {
		m.Add(res)
		switch {
		case res.Error != "":
			problems[res.Error]++
		case res.Code != http.StatusOK:
			problems[strconv.Itoa(int(res.Code))]++
		}
	}
	m.Close()
	return m, problems
}

// loadAverage is /proc/loadavg's first three figures: the machine is
// shared, so a run's figures mean little without it.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

func thousands(n int) string {
	s := strconv.Itoa(n)
	if len(s) > 3 {
		return s[:len(s)-3] + "," + s[len(s)-3:]
	}
	return s
}
