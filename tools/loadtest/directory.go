package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// The directory phase (issue 20): the public Open Referral UK API over the
// national data set's 1,000 services, at a constant 1,000 requests a second
// on one core, judged on throughput and p99 ≤ 20 ms. "One core" is Haven
// pinned to Haven's core by taskset and started with GOMAXPROCS=1, so the Go
// scheduler runs on one thread however many CPUs the machine has. The
// same requests then go, flat out, to a bare net/http handler set up the
// same way (this program's -bare mode, pinned, GOMAXPROCS=1), and the
// directory's throughput is given as a ratio to it, round by round.

const (
	directoryRate     = 1000
	directoryFor      = 20 * time.Second
	directoryP99      = 20 * time.Millisecond
	directoryOnlyKind = "directory"
)

// directoryMix is the phase's requests: the feed's list call in its many
// forms, one service, and the other lists.
var directoryMix = []mixEntry{
	{"services", 20}, {"services-search", 10}, {"services-term", 10}, {"services-postcode", 15}, {"services-modified", 5},
	{"services-minimal", 5}, {"service", 15}, {"organizations", 5}, {"service-at-locations", 10}, {"taxonomy-terms", 5},
}

// directoryWorld is what the phase asks about, read from the feed itself.
type directoryWorld struct {
	services, terms []string // ids
	pages           int      // of services at 50 a page
}

// Words the fictional services' names and descriptions hold, and some that
// no service has; districts across England, some with no service near.
var (
	directorySearches = []string{"juniper", "pause", "court", "project", "housing", "hub", "leeds", "saffron", "team", "fathers", "nothing-like-this"}
	directoryPlaces   = []string{"LS6", "M1", "B1", "NE1", "BS1", "NR1", "PL1", "CB1", "SW2", "E8", "TR1", "CA1", "LN1", "SO14", "DN1", "ST1"}
)

// discoverDirectory reads the ids the mix asks for from the feed, paging
// through every service.
func discoverDirectory(ctx context.Context, base string) (*directoryWorld, error) {
	w := &directoryWorld{}
	get := func(path string, v any) error {
		req, err := http.NewRequestWithContext(ctx, "GET", base+path, nil)
		if err != nil {
			return err
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		defer res.Body.Close()
		if res.StatusCode != http.StatusOK {
			return fmt.Errorf("GET %s: %s", path, res.Status)
		}
		return json.NewDecoder(res.Body).Decode(v)
	}
	type page struct {
		TotalItems int `json:"total_items"`
		Contents   []struct {
			ID string `json:"id"`
		} `json:"contents"`
	}
	for pg := 1; ; pg++ {
		var p page
		if err := get("/openreferral/services?minimal=true&per_page=100&page="+strconv.Itoa(pg), &p); err != nil {
			return nil, err
		}
		for _, c := range p.Contents {
			w.services = append(w.services, c.ID)
		}
		if len(p.Contents) == 0 || len(w.services) >= p.TotalItems {
			break
		}
	}
	var tp page
	if err := get("/openreferral/taxonomy_terms?per_page=100", &tp); err != nil {
		return nil, err
	}
	for _, c := range tp.Contents {
		w.terms = append(w.terms, c.ID)
	}
	if len(w.services) == 0 || len(w.terms) == 0 {
		return nil, fmt.Errorf("the directory has %d services and %d taxonomy terms", len(w.services), len(w.terms))
	}
	w.pages = (len(w.services) + 49) / 50
	return w, nil
}

// targeter is a seeded, repeatable stream of the directory mix.
func (w *directoryWorld) targeter(seed uint64, base string) vegeta.Targeter {
	var mu sync.Mutex
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)) // #nosec G404 -- the request mix must repeat from its seed; nothing here is a secret
	return func(t *vegeta.Target) error {
		mu.Lock()
		defer mu.Unlock()
		roll, kind := rng.IntN(100), ""
		for _, m := range directoryMix {
			if roll < m.weight {
				kind = m.kind
				break
			}
			roll -= m.weight
		}
		q := url.Values{}
		path := "/openreferral/services"
		switch kind {
		case "services":
			q.Set("page", strconv.Itoa(1+rng.IntN(w.pages)))
		case "services-minimal":
			q.Set("minimal", "true")
			q.Set("per_page", "100")
			q.Set("page", strconv.Itoa(1+rng.IntN((w.pages+1)/2)))
		case "services-search":
			q.Set("search", directorySearches[rng.IntN(len(directorySearches))])
		case "services-term":
			q.Set("taxonomy_term_id", w.terms[rng.IntN(len(w.terms))])
			q.Set("page", strconv.Itoa(1+rng.IntN(2)))
		case "services-postcode":
			q.Set("postcode", directoryPlaces[rng.IntN(len(directoryPlaces))])
			if rng.IntN(4) > 0 {
				q.Set("proximity", strconv.Itoa(5000*(1+rng.IntN(10))))
			}
		case "services-modified":
			q.Set("modified_after", time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, rng.IntN(34), 0).Format(time.DateOnly))
		case "service":
			path = "/openreferral/services/" + w.services[rng.IntN(len(w.services))]
		case "organizations":
			path = "/openreferral/organizations"
			q.Set("page", strconv.Itoa(1+rng.IntN(4)))
		case "service-at-locations":
			path = "/openreferral/service_at_locations"
			q.Set("page", strconv.Itoa(1+rng.IntN(w.pages)))
		case "taxonomy-terms":
			path = "/openreferral/taxonomy_terms"
		}
		u := base + path
		if len(q) > 0 {
			u += "?" + q.Encode()
		}
		*t = vegeta.Target{Method: "GET", URL: u}
		return nil
	}
}

// directoryKindOf names a directory request by the mix's kinds.
func directoryKindOf(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "?"
	}
	q := p.Query()
	switch {
	case strings.HasPrefix(p.Path, "/openreferral/services/"):
		return "service"
	case p.Path == "/openreferral/organizations":
		return "organizations"
	case p.Path == "/openreferral/service_at_locations":
		return "service-at-locations"
	case p.Path == "/openreferral/taxonomy_terms":
		return "taxonomy-terms"
	case q.Has("search"):
		return "services-search"
	case q.Has("taxonomy_term_id"):
		return "services-term"
	case q.Has("postcode"):
		return "services-postcode"
	case q.Has("modified_after"):
		return "services-modified"
	case q.Has("minimal"):
		return "services-minimal"
	}
	return "services"
}

// runDirectoryOnly is `loadtest -only directory`: the phase alone, on the
// national data set on SQLite (or PostgreSQL with -db postgres).
func runDirectoryOnly(ctx context.Context, o options, out io.Writer) error {
	if err := pinSelf(o.clientCPU); err != nil {
		fmt.Fprintf(out, "loadtest: not pinned (%v)\n", err)
	}
	bin, err := filepath.Abs(o.bin)
	if err != nil {
		return err
	}
	o.bin = bin
	ds, err := prepareDataset(ctx, o, out)
	if err != nil {
		return err
	}
	defer ds.close()
	r := &report{out: out, db: o.db + ", directory"}
	if err := r.directory(ctx, o, ds); err != nil {
		return err
	}
	r.summary()
	if r.failed > 0 && !o.quick {
		return fmt.Errorf("%d target(s) missed", r.failed)
	}
	return nil
}

// directory starts a Haven of its own on the national data set, pinned to
// Haven's core with GOMAXPROCS=1, and runs the phase against it.
func (r *report) directory(ctx context.Context, o options, ds *dataset) error {
	o.serverEnv = append(o.serverEnv, "GOMAXPROCS=1")
	srv, err := startServer(ctx, o, ds.url)
	if err != nil {
		return err
	}
	defer srv.stop()
	w, err := discoverDirectory(ctx, srv.base)
	if err != nil {
		return err
	}
	rate, dur := directoryRate, directoryFor
	if o.quick {
		rate, dur = 100, 3*time.Second
	}
	fmt.Fprintf(r.out, "\ndirectory: the Open Referral UK API over %d services at a constant %d req/s for %s, Haven on core %d with GOMAXPROCS=1\n",
		len(w.services), rate, dur, o.serverCPU)
	fmt.Fprintf(r.out, "  load average before: %s\n", loadAverage())
	// Warm up, not judged.
	r.directoryAttack(ctx, w, srv.base, 1, rate, min(5*time.Second, dur/4))
	settle(ctx, srv.base)
	cpu0 := srv.cpuTime()
	stop := srv.sampleRSS()
	run := r.directoryAttack(ctx, w, srv.base, 2, rate, dur)
	stop()
	cpu := srv.cpuTime() - cpu0
	fmt.Fprintf(r.out, "  load average after: %s\n", loadAverage())
	run.describe(r.out)
	m := run.total
	r.target(fmt.Sprintf("directory API ≥ %s req/s on one core (answered OK)", thousands(rate)), fmt.Sprintf("%.0f req/s", m.Throughput),
		m.Throughput >= float64(rate)*0.99 && run.errors() == 0)
	r.target("directory API p99 ≤ 20 ms", ms(m.Latencies.P99), m.Latencies.P99 <= directoryP99)
	r.target("directory API: zero errors", fmt.Sprintf("%d of %d", run.errors(), m.Requests), run.errors() == 0)
	if m.Requests > 0 {
		per := cpu / time.Duration(m.Requests) // #nosec G115 -- the requests of one run, far below 2^63
		r.info("directory API: Haven CPU time per request", ms(per))
		if per > 0 {
			r.info("directory API: one core's capacity at that cost", fmt.Sprintf("%.0f req/s", float64(time.Second)/float64(per)))
		}
	}
	r.info("directory API: Haven's peak memory", fmt.Sprintf("%.0f MiB", srv.peakMiB()))
	settle(ctx, srv.base)
	return r.directoryBare(ctx, o, w, srv, m.Latencies.P99)
}

// directoryBare sends the same requests to a bare handler on the same
// set-up: first at the same constant rate, for its p99, then both flat out
// in turns, for the ratio of their throughputs (the machine's speed drifts
// by the minute, so each round's directory figure is set against the bare
// handler's of that round and the median kept).
func (r *report) directoryBare(ctx context.Context, o options, w *directoryWorld, srv *server, p99 time.Duration) error {
	port, err := freePort()
	if err != nil {
		return err
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	cmd := exec.Command("taskset", "-c", strconv.Itoa(o.serverCPU), self, "-bare", addr) // #nosec G204 -- the load test itself (os.Executable) pinned to a core
	cmd.Env = append(os.Environ(), "GOMAXPROCS=1")
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	bare := "http://" + addr
	for i := 0; ; i++ {
		if res, err := http.Get(bare + "/"); err == nil { // #nosec G107 -- the loopback address of the bare server it just started
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			break
		}
		if i > 200 {
			return fmt.Errorf("the bare handler did not start")
		}
		time.Sleep(50 * time.Millisecond)
	}
	rate, dur, rounds, each := directoryRate, directoryFor/2, 5, 2*time.Second
	if o.quick {
		rate, dur, rounds, each = 100, 2*time.Second, 1, time.Second
	}
	bm := r.directoryAttack(ctx, w, bare, 2, rate, dur)
	fmt.Fprintf(r.out, "  the same requests to a bare handler (pinned, GOMAXPROCS=1) at %d req/s for %s: p50 %s, p99 %s, errors %d\n",
		rate, dur, ms(bm.total.Latencies.P50), ms(bm.total.Latencies.P99), bm.errors())
	fmt.Fprintf(r.out, "  flat out, %d rounds of %s each, directory then bare:\n", rounds, each)
	var ratios []float64
	for i := range rounds {
		d := flatOutMix(w.targeter(uint64(10+i), srv.base), each) // #nosec G115 -- a round number
		b := flatOutMix(w.targeter(uint64(10+i), bare), each)     // #nosec G115 -- a round number
		fmt.Fprintf(r.out, "    round %d: directory %6.0f/s (all answered: %v), bare %6.0f/s\n", i+1, d.Throughput, d.Success == 1, b.Throughput)
		if b.Throughput > 0 {
			ratios = append(ratios, d.Throughput/b.Throughput)
		}
	}
	if len(ratios) > 0 {
		sort.Float64s(ratios)
		r.info("directory API throughput ÷ bare handler's, flat out", fmt.Sprintf("%.2f (rounds %.2f–%.2f)", ratios[len(ratios)/2], ratios[0], ratios[len(ratios)-1]))
	}
	r.info("directory API p99 ÷ bare handler's p99 at the same rate", fmt.Sprintf("%s ÷ %s", ms(p99), ms(bm.total.Latencies.P99)))
	return nil
}

// directoryAttack is one constant-rate run of the directory mix.
func (r *report) directoryAttack(ctx context.Context, w *directoryWorld, base string, seed uint64, rate int, dur time.Duration) *attackRun {
	out := &attackRun{kinds: map[string]*vegeta.Metrics{}, problems: map[string]int{}}
	atk := newAttacker(64, 4096)
	go func() { <-ctx.Done(); atk.Stop() }()
	for res := range atk.Attack(w.targeter(seed, base), vegeta.ConstantPacer{Freq: rate, Per: time.Second}, dur, "directory") {
		out.total.Add(res)
		k := directoryKindOf(res.URL)
		if out.kinds[k] == nil {
			out.kinds[k] = &vegeta.Metrics{}
		}
		out.kinds[k].Add(res)
		switch {
		case res.Error != "":
			out.problems[k+": "+res.Error]++
		case res.Code != http.StatusOK:
			out.problems[k+": "+strconv.Itoa(int(res.Code))]++
		default:
			out.ok++
		}
	}
	out.total.Close()
	for _, m := range out.kinds {
		m.Close()
	}
	return out
}

// flatOutMix drives a stream of targets as fast as a closed loop of 32 goes.
func flatOutMix(tr vegeta.Targeter, dur time.Duration) vegeta.Metrics {
	atk := newAttacker(32, 32)
	var m vegeta.Metrics
	for res := range atk.Attack(tr, vegeta.ConstantPacer{}, dur, "flat") {
		m.Add(res)
	}
	m.Close()
	return m
}
