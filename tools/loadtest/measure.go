package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/auth"
	"haven/internal/haven"
	"haven/internal/store"
)

// report collects each target's figure and verdict.
type report struct {
	out    io.Writer
	db     string
	lines  []string
	failed int
	// best is the rate search's answer, set when it ran: the raw ceiling
	// sets it against the bare handler's rate, which says how fast this
	// machine was at the time.
	best int
}

func (r *report) target(name, figure string, ok bool) {
	line := fmt.Sprintf("%-58s %-34s %s", name, figure, yesNo(ok))
	r.lines = append(r.lines, line)
	if !ok {
		r.failed++
	}
	fmt.Fprintln(r.out, "  "+line)
}

func (r *report) info(name, figure string) {
	line := fmt.Sprintf("%-58s %-34s %s", name, figure, "reported")
	r.lines = append(r.lines, line)
	fmt.Fprintln(r.out, "  "+line)
}

func (r *report) summary() {
	fmt.Fprintf(r.out, "\nloadtest summary (%s):\n", r.db)
	for _, l := range r.lines {
		fmt.Fprintln(r.out, "  "+l)
	}
	fmt.Fprintf(r.out, "loadtest: %d targets missed\n", r.failed)
}

func newAttacker(workers, maxWorkers uint64) *vegeta.Attacker {
	return vegeta.NewAttacker(vegeta.Redirects(vegeta.NoFollow), vegeta.Timeout(10*time.Second),
		vegeta.Workers(workers), vegeta.MaxWorkers(maxWorkers), vegeta.KeepAlive(true), vegeta.Connections(10000))
}

// settle waits until Haven has worked through any backlog from the last
// phase, so one phase's overload does not leak into the next.
func settle(ctx context.Context, base string) {
	c := &http.Client{Timeout: 30 * time.Second}
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		start := time.Now()
		res, err := c.Get(base + "/healthz")
		if err == nil {
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if time.Since(start) < 20*time.Millisecond {
				return
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// run is one constant-rate attack with the practitioner mix.
type attackRun struct {
	total    vegeta.Metrics
	kinds    map[string]*vegeta.Metrics
	ok       int
	problems map[string]int // status or error, for the failed ones
}

func (w *world) attack(ctx context.Context, base string, seed uint64, rate int, dur time.Duration) *attackRun {
	out := &attackRun{kinds: map[string]*vegeta.Metrics{}, problems: map[string]int{}}
	atk := newAttacker(64, 4096)
	go func() { <-ctx.Done(); atk.Stop() }()
	for res := range atk.Attack(w.targeter(seed, base), vegeta.ConstantPacer{Freq: rate, Per: time.Second}, dur, "mix") {
		out.total.Add(res)
		k := kindOf(res.Method, res.URL)
		if out.kinds[k] == nil {
			out.kinds[k] = &vegeta.Metrics{}
		}
		out.kinds[k].Add(res)
		good := res.Error == "" && res.Code >= 200 && res.Code < 400
		if k == "goal-review" {
			if id, ok := goalOf(res.URL); ok {
				w.goals.done(id, res.Code == http.StatusSeeOther)
			}
		}
		if good {
			out.ok++
		} else if res.Error != "" {
			out.problems[k+": "+res.Error]++
		} else {
			out.problems[k+": "+strconv.Itoa(int(res.Code))]++
		}
	}
	out.total.Close()
	for _, m := range out.kinds {
		m.Close()
	}
	return out
}

func (r *attackRun) errors() int { return int(r.total.Requests) - r.ok } // #nosec G115 -- the requests of one run, far below 2^63

func (r *attackRun) describe(out io.Writer) {
	m := r.total
	fmt.Fprintf(out, "  %d requests at %.0f/s achieved, %.0f/s answered OK, p50 %s, p95 %s, p99 %s, max %s, errors %d\n",
		m.Requests, m.Rate, m.Throughput, ms(m.Latencies.P50), ms(m.Latencies.P95), ms(m.Latencies.P99), ms(m.Latencies.Max), r.errors())
	names := make([]string, 0, len(r.kinds))
	for k := range r.kinds {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		km := r.kinds[k]
		fmt.Fprintf(out, "    %-13s %6d  p50 %-9s p99 %-9s\n", k, km.Requests, ms(km.Latencies.P50), ms(km.Latencies.P99))
	}
	for p, n := range r.problems {
		fmt.Fprintf(out, "    problem: %s ×%d\n", p, n)
	}
}

func auditRows(ctx context.Context, ds *dataset) (int64, error) {
	var n int64
	err := ds.direct.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_events`).Scan(&n)
	return n, err
}

// steady is the headline run: a constant rate for a fixed time, with RSS
// sampled throughout and the audit trail counted before and after.
func (r *report) steady(ctx context.Context, w *world, srv *server, ds *dataset, rate int, dur time.Duration, statements int) error {
	fmt.Fprintf(r.out, "\nsteady: practitioner mix at a constant %d req/s for %s\n", rate, dur)
	stop := srv.sampleRSS() // the warm-up counts towards peak memory too
	// A warm-up at the same rate, not judged: the first seconds after start
	// measure empty caches and connection pools (on PostgreSQL, shared buffers
	// and pgx's per-connection statements), not the steady state.
	warm := min(15*time.Second, dur/4)
	w.attack(ctx, srv.base, 2, rate, warm)
	settle(ctx, srv.base)
	fmt.Fprintf(r.out, "  (after a %s warm-up at the same rate, not judged)\n", warm)
	before, err := auditRows(ctx, ds)
	if err != nil {
		return err
	}
	if statements > 0 {
		if _, err := ds.direct.ExecContext(ctx, "SELECT pg_stat_statements_reset()"); err != nil {
			return err
		}
	}
	var dbCPU0 time.Duration
	if ds.dbCPU != nil {
		dbCPU0 = ds.dbCPU()
	}
	cpu0 := srv.cpuTime()
	res := w.attack(ctx, srv.base, 1, rate, dur)
	cpu := srv.cpuTime() - cpu0
	var dbCPU time.Duration
	if ds.dbCPU != nil {
		dbCPU = ds.dbCPU() - dbCPU0
	}
	stop()
	after, err := auditRows(ctx, ds)
	if err != nil {
		return err
	}
	res.describe(r.out)
	p50, p99 := res.total.Latencies.P50, res.total.Latencies.P99
	if r.db == "sqlite" {
		r.target(fmt.Sprintf("SQLite %d req/s: p99 ≤ 50 ms", rate), ms(p99), p99 <= 50*time.Millisecond)
		r.target(fmt.Sprintf("SQLite %d req/s: p50 ≤ 5 ms", rate), ms(p50), p50 <= 5*time.Millisecond)
	} else {
		r.target(fmt.Sprintf("PostgreSQL %d req/s: p99 ≤ 100 ms", rate), ms(p99), p99 <= 100*time.Millisecond)
		r.info(fmt.Sprintf("PostgreSQL %d req/s: p50", rate), ms(p50))
	}
	r.target(fmt.Sprintf("%d req/s: zero errors", rate), fmt.Sprintf("%d of %d", res.errors(), res.total.Requests), res.errors() == 0)
	r.info("achieved rate", fmt.Sprintf("%.1f req/s", res.total.Rate))
	if res.total.Requests > 0 {
		r.info("Haven CPU time per request", ms(cpu/time.Duration(res.total.Requests))) // #nosec G115 -- the requests of one run, far below 2^63
		if ds.dbCPU != nil {
			r.info("PostgreSQL CPU time per request (all its processes)", ms(dbCPU/time.Duration(res.total.Requests))) // #nosec G115 -- the requests of one run, far below 2^63
		}
	}
	if statements > 0 {
		if err := topStatements(ctx, r.out, ds.direct, statements); err != nil {
			return err
		}
	}
	r.target("peak RSS ≤ 300 MiB", fmt.Sprintf("%.0f MiB", srv.peakMiB()), srv.peakMiB() <= 300)
	rows := after - before
	r.target("audit rows = successful record accesses", fmt.Sprintf("%d rows, %d accesses", rows, res.ok), rows == int64(res.ok))
	return nil
}

// rateSearch raises the constant rate step by step and reports the highest
// rate whose p99 stays within 100 ms with no errors.
func (r *report) rateSearch(ctx context.Context, w *world, srv *server, from, to int, step time.Duration) {
	fmt.Fprintf(r.out, "\nrate search: %s at each rate until p99 > 100 ms or errors\n", step)
	best := 0
	for rate := from; rate <= to && ctx.Err() == nil; rate += stepBy(rate) {
		settle(ctx, srv.base)
		res := w.attack(ctx, srv.base, uint64(rate), rate, step) // #nosec G115 -- rate counts up from a positive -from
		fmt.Fprintf(r.out, "  %5d req/s:", rate)
		res.describe(r.out)
		if res.total.Latencies.P99 > 100*time.Millisecond || res.errors() > 0 || res.total.Rate < float64(rate)*0.95 {
			break
		}
		best = rate
	}
	r.best = best
	if r.db == "sqlite" {
		r.target("highest constant rate with p99 ≤ 100 ms (goal ≥ 1,500)", fmt.Sprintf("%d req/s", best), best >= 1500)
	} else {
		r.info("highest constant rate with p99 ≤ 100 ms", fmt.Sprintf("%d req/s", best))
	}
}

// stepBy is the rate search's stride: fine steps up to the 1,500 req/s goal,
// near which one core's limit now lies, coarser above.
func stepBy(rate int) int {
	if rate < 1500 {
		return 50
	}
	return 250
}

// personPage compares the HTTP time of the sessions page of a woman with 200
// sessions against the in-process store calls that build it, back to back.
func (r *report) personPage(ctx context.Context, w *world, srv *server, ds *dataset, quick bool) error {
	n := 300
	if quick {
		n = 20
	}
	fmt.Fprintf(r.out, "\nperson page (200 sessions): %d HTTP requests and %d in-process store builds, interleaved\n", n, n)
	db, err := store.Open(ctx, ds.url)
	if err != nil {
		return err
	}
	defer db.Close()
	u := w.heavyUser
	token := ""
	for _, part := range strings.Split(u.cookie, "; ") {
		if _, v, ok := strings.Cut(part, "="); ok {
			token = v
		}
	}
	tokenHash := auth.HashToken(token)
	client := &http.Client{Timeout: 10 * time.Second}
	path := srv.base + "/people/" + w.heavy.ref + "/sessions"
	var httpT, storeT []time.Duration
	for i := range n {
		start := time.Now()
		req, _ := http.NewRequestWithContext(ctx, "GET", path, nil)
		req.Header.Set("Cookie", u.cookie)
		res, err := client.Do(req)
		if err != nil {
			return err
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != 200 {
			return fmt.Errorf("person page answered %d", res.StatusCode)
		}
		httpT = append(httpT, time.Since(start))

		start = time.Now()
		_, actor, err := db.SessionActor(ctx, tokenHash)
		if err != nil || actor == nil {
			return fmt.Errorf("session: %v", err)
		}
		p, _, err := db.PersonFor(ctx, actor, w.heavy.ref)
		if err != nil {
			return err
		}
		list, err := db.SupportSessions(ctx, p.ID)
		if err != nil || len(list) < 200 {
			return fmt.Errorf("sessions: %d, %v", len(list), err)
		}
		if _, err := db.DraftFor(ctx, actor.User.ID, p.ID); err != nil && haven.KindOf(err) != haven.KindNotFound {
			return err
		}
		if err := db.Audit(ctx, audit.Event{UserID: actor.User.ID, Role: string(access.RolePractitioner), Action: audit.View,
			RecordType: "person", RecordID: strconv.FormatInt(p.ID, 10), Section: "sessions", RequestID: "loadtest-" + strconv.Itoa(i)}); err != nil {
			return err
		}
		storeT = append(storeT, time.Since(start))
	}
	hp, sp := median(httpT), median(storeT)
	ratio := float64(hp) / float64(sp)
	r.target("person page HTTP p50 ÷ in-process store p50 ≤ 2", fmt.Sprintf("%s ÷ %s = %.2f", ms(hp), ms(sp), ratio), ratio <= 2)
	return nil
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// rawCeiling compares the person page's throughput with a bare net/http
// handler on the same core, each driven as fast as it will go, and the floor
// (floor.go) in the same way, to show how much of the gap any view of her
// record must keep. This machine's speed drifts by the minute, so the four
// take turns in short rounds and each ratio is the median of its rounds'
// ratios, every round's figures against the bare handler of that round.
func (r *report) rawCeiling(ctx context.Context, w *world, srv *server, ds *dataset, o options) error {
	rounds, each := 5, 2*time.Second
	if o.quick {
		rounds, each = 1, time.Second
	}
	fmt.Fprintf(r.out, "\nraw ceiling: %d rounds of %s flat out each against a bare handler, the person page and the floor\n", rounds, each)
	type contender struct {
		name   string
		target vegeta.Target
		rates  []float64
		ok     bool
	}
	// contend starts this program in one of its server modes on Haven's core.
	var stops []func()
	defer func() {
		for _, stop := range stops {
			stop()
		}
	}()
	contend := func(name string, args ...string) (*contender, error) {
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		base := "http://127.0.0.1:" + strconv.Itoa(port) + "/"
		cmd, err := startPinned(o.serverCPU, base, append(args, "127.0.0.1:"+strconv.Itoa(port))...)
		if err != nil {
			return nil, err
		}
		stops = append(stops, func() { cmd.Process.Kill(); cmd.Wait() })
		return &contender{name: name, target: vegeta.Target{Method: "GET", URL: base}, ok: true}, nil
	}
	cookie := http.Header{"Cookie": {w.heavyUser.cookie}}
	bare, err := contend("bare", "-bare")
	if err != nil {
		return err
	}
	person := &contender{name: "person page", target: vegeta.Target{Method: "GET", URL: srv.base + "/people/" + w.heavy.ref, Header: cookie}, ok: true}
	floor, err := contend("floor ("+floorFull+")", "-floor-db", ds.url, "-floor")
	if err != nil {
		return err
	}
	auditOnly, err := contend("floor ("+floorAudit+")", "-floor-db", ds.url, "-floor", "-floor-audit-only")
	if err != nil {
		return err
	}
	for _, f := range []*contender{floor, auditOnly} {
		f.target.URL += "?ref=" + w.heavy.ref
		f.target.Header = cookie
	}
	all := []*contender{bare, person, floor, auditOnly}
	for range rounds {
		for _, c := range all {
			m := flatOut(c.target, each)
			c.rates = append(c.rates, m.Throughput)
			c.ok = c.ok && m.Success == 1
		}
	}
	for _, c := range all {
		fmt.Fprintf(r.out, "  %-75s", c.name)
		for _, v := range c.rates {
			fmt.Fprintf(r.out, " %6.0f/s", v)
		}
		fmt.Fprintf(r.out, "  all answered: %v\n", c.ok)
	}
	// ratio is the median of c's rounds against base's, and their range.
	ratio := func(c, base *contender) (float64, string) {
		rs := make([]float64, len(c.rates))
		for i := range rs {
			rs[i] = c.rates[i] / base.rates[i]
		}
		slices.Sort(rs)
		med := rs[len(rs)/2]
		return med, fmt.Sprintf("%.2f (rounds %.2f–%.2f)", med, rs[0], rs[len(rs)-1])
	}
	personRatio, figure := ratio(person, bare)
	if r.db == "sqlite" {
		r.target("person page throughput ÷ bare net/http ≥ 0.25", figure, personRatio >= 0.25 && person.ok)
	} else {
		r.info("person page throughput ÷ bare net/http", figure)
	}
	for _, c := range []*contender{floor, auditOnly} {
		_, figure := ratio(c, bare)
		r.info(c.name+" ÷ bare", figure)
	}
	_, figure = ratio(person, floor)
	r.info("person page ÷ "+floor.name, figure)
	if r.best > 0 {
		// The rate search and the bare handler are minutes apart; this is
		// for comparing runs on hours when the machine ran at other speeds.
		b := slices.Sorted(slices.Values(bare.rates))
		r.info("highest rate ÷ bare handler's rate", fmt.Sprintf("%d ÷ %.0f = %.3f", r.best, b[len(b)/2], float64(r.best)/b[len(b)/2]))
	}
	return nil
}

// topStatements lists the statements PostgreSQL spent longest on, planning
// and executing, since the last reset. A statement planned on most calls is
// one whose cached generic plan PostgreSQL keeps rejecting.
func topStatements(ctx context.Context, out io.Writer, db *sql.DB, n int) error {
	rows, err := db.QueryContext(ctx, `SELECT calls, plans, total_plan_time + total_exec_time, total_plan_time / calls, total_exec_time / calls, rows / calls,
			regexp_replace(query, '\s+', ' ', 'g')
		FROM pg_stat_statements WHERE calls > 0 ORDER BY 3 DESC LIMIT $1`, n)
	if err != nil {
		return err
	}
	defer rows.Close()
	fmt.Fprintf(out, "  statements by PostgreSQL's time (plan + execute):\n  %8s %8s %10s %9s %9s %6s  %s\n", "calls", "plans", "total ms", "plan ms", "exec ms", "rows", "statement")
	for rows.Next() {
		var calls, plans, perCall int64
		var total, plan, exec float64
		var q string
		if err := rows.Scan(&calls, &plans, &total, &plan, &exec, &perCall, &q); err != nil {
			return err
		}
		fmt.Fprintf(out, "  %8d %8d %10.1f %9.3f %9.3f %6d  %.120s\n", calls, plans, total, plan, exec, perCall, q)
	}
	return rows.Err()
}
