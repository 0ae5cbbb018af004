package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/pquerna/otp/totp"
)

// practitioner is one signed-in member of staff and the women she works with.
type practitioner struct {
	id     int64
	email  string
	secret string
	refs   []string
	names  []string // first names on her caseload, to search for
	cookie string   // the session cookie, sent as a header by vegeta
}

// world is everything the load mix draws on.
type world struct {
	users     []*practitioner
	goals     *goalPool
	heavy     struct{ ref, email string } // a woman with 200 sessions, and her practitioner
	heavyUser *practitioner
	// lead is a Practice lead, for her outcomes dashboard (reports.go).
	lead *practitioner
}

func (w *world) people() int {
	n := 0
	for _, u := range w.users {
		n += len(u.refs)
	}
	return n
}

// discover reads practitioners, caseloads and goals from the database, so
// the mix uses real records whatever the seed.
func discover(ctx context.Context, dbURL string, n int) (*world, error) {
	driver, dsn := "sqlite", "file:"+strings.TrimPrefix(dbURL, "sqlite:")+"?mode=ro"
	if strings.HasPrefix(dbURL, "postgres") {
		driver, dsn = "pgx", dbURL
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	w := &world{goals: newGoalPool()}
	// The practitioner of a woman with exactly 200 sessions comes first, so
	// the person-page measurement can use her.
	err = db.QueryRowContext(ctx, `SELECT p.ref, u.email FROM people p JOIN users u ON u.id = p.practitioner_id
		WHERE p.id IN (SELECT person_id FROM support_sessions GROUP BY person_id HAVING COUNT(*) = 200) ORDER BY p.id LIMIT 1`).
		Scan(&w.heavy.ref, &w.heavy.email)
	if err != nil {
		return nil, fmt.Errorf("find a woman with 200 sessions: %w", err)
	}
	rows, err := db.QueryContext(ctx, `SELECT u.id, u.email, u.totp_secret FROM users u
		WHERE u.totp_secret <> '' AND NOT u.disabled
		  AND EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id AND m.role = 'practitioner')
		  AND EXISTS (SELECT 1 FROM people p WHERE p.practitioner_id = u.id)
		ORDER BY CASE WHEN u.email = $1 THEN 0 ELSE 1 END, u.id LIMIT $2`, w.heavy.email, n)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		u := &practitioner{}
		if err := rows.Scan(&u.id, &u.email, &u.secret); err != nil {
			rows.Close()
			return nil, err
		}
		w.users = append(w.users, u)
	}
	rows.Close()
	if len(w.users) == 0 {
		return nil, fmt.Errorf("no practitioners with caseloads in the dataset")
	}
	w.heavyUser = w.users[0]
	w.lead = &practitioner{}
	err = db.QueryRowContext(ctx, `SELECT u.id, u.email, u.totp_secret FROM users u
		WHERE u.totp_secret <> '' AND NOT u.disabled
		  AND EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id AND m.role = 'practice-lead')
		ORDER BY u.id LIMIT 1`).Scan(&w.lead.id, &w.lead.email, &w.lead.secret)
	if err != nil {
		return nil, fmt.Errorf("find a Practice lead: %w", err)
	}
	for _, u := range w.users {
		refs, err := db.QueryContext(ctx, `SELECT ref, first_name FROM people WHERE practitioner_id = $1 ORDER BY id`, u.id)
		if err != nil {
			return nil, err
		}
		for refs.Next() {
			var ref, name string
			refs.Scan(&ref, &name)
			u.refs, u.names = append(u.refs, ref), append(u.names, name)
		}
		refs.Close()
		goals, err := db.QueryContext(ctx, `SELECT g.id, g.version, p.ref FROM goals g JOIN people p ON p.id = g.person_id
			WHERE p.practitioner_id = $1 AND g.progress IN ('not-started', 'in-progress') ORDER BY g.id`, u.id)
		if err != nil {
			return nil, err
		}
		for goals.Next() {
			g := &goal{user: u}
			goals.Scan(&g.id, &g.version, &g.ref)
			w.goals.put(g)
		}
		goals.Close()
	}
	return w, nil
}

// signIn takes every practitioner, and the lead, through the password and TOTP steps.
func (w *world) signIn(ctx context.Context, base, password string) error {
	for _, u := range append(slices.Clone(w.users), w.lead) {
		jar, _ := cookiejar.New(nil)
		c := &http.Client{Jar: jar, Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		post := func(path string, v url.Values) (*http.Response, error) {
			req, _ := http.NewRequestWithContext(ctx, "POST", base+path, strings.NewReader(v.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			res, err := c.Do(req)
			if err == nil {
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
			}
			return res, err
		}
		res, err := post("/sign-in", url.Values{"email": {u.email}, "password": {password}})
		if err != nil {
			return err
		}
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/sign-in/code" {
			return fmt.Errorf("sign in %s: password step answered %d (is -password right?)", u.email, res.StatusCode)
		}
		code, err := totp.GenerateCode(u.secret, time.Now())
		if err != nil {
			return err
		}
		if res, err = post("/sign-in/code", url.Values{"code": {code}}); err != nil {
			return err
		}
		if res.StatusCode != http.StatusSeeOther {
			return fmt.Errorf("sign in %s: code step answered %d", u.email, res.StatusCode)
		}
		b, _ := url.Parse(base)
		var parts []string
		for _, ck := range jar.Cookies(b) {
			parts = append(parts, ck.Name+"="+ck.Value)
		}
		u.cookie = strings.Join(parts, "; ")
	}
	return nil
}

// goal is a goal that can be reviewed, with the version the next review must quote.
type goal struct {
	id      int64
	version int64
	ref     string
	user    *practitioner
}

// goalPool hands each goal to one review at a time, so reviews never
// conflict with each other and every conflict seen would be a real fault.
type goalPool struct {
	mu       sync.Mutex
	free     []*goal
	inFlight map[int64]*goal
}

func newGoalPool() *goalPool { return &goalPool{inFlight: map[int64]*goal{}} }

func (p *goalPool) size() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.free) + len(p.inFlight)
}

func (p *goalPool) put(g *goal) {
	p.mu.Lock()
	p.free = append(p.free, g)
	p.mu.Unlock()
}

func (p *goalPool) take() *goal {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.free) == 0 {
		return nil
	}
	g := p.free[0]
	p.free = p.free[1:]
	p.inFlight[g.id] = g
	return g
}

// done returns a goal after its review; a saved review moves its version on.
func (p *goalPool) done(id int64, saved bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	g, ok := p.inFlight[id]
	if !ok {
		return
	}
	delete(p.inFlight, id)
	if saved {
		g.version++
	}
	p.free = append(p.free, g)
}
