package main

import (
	crand "crypto/rand"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// The practitioner mix: 85% reads, 10% writes, 5% searches.
type mixEntry struct {
	kind   string
	weight int
}

var mix = []mixEntry{
	{"caseload", 25}, {"person", 25}, {"chronology", 20}, {"tasks", 15}, // reads: 85
	{"session-note", 5}, {"goal-review", 5}, // writes: 10
	{"search", 5},
}

// only narrows the mix to one kind of request, to see what each costs.
func only(kind string) error {
	for _, m := range mix {
		if m.kind == kind {
			mix = []mixEntry{{kind, 100}}
			return nil
		}
	}
	return fmt.Errorf("no %q in the mix", kind)
}

// targeter returns vegeta's source of requests: a seeded, repeatable stream
// of the mix, spread over every signed-in practitioner.
func (w *world) targeter(seed uint64, base string) vegeta.Targeter {
	var mu sync.Mutex
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)) // #nosec G404 -- the request mix must repeat from its seed; nothing here is a secret
	n := 0
	return func(t *vegeta.Target) error {
		mu.Lock()
		defer mu.Unlock()
		n++
		u := w.users[rng.IntN(len(w.users))]
		ref := u.refs[rng.IntN(len(u.refs))]
		roll, kind := rng.IntN(100), ""
		for _, m := range mix {
			if roll < m.weight {
				kind = m.kind
				break
			}
			roll -= m.weight
		}
		*t = vegeta.Target{Method: "GET", Header: http.Header{"Cookie": {u.cookie}}}
		form := url.Values{}
		switch kind {
		case "caseload":
			t.URL = base + "/people"
		case "person":
			t.URL = base + "/people/" + ref
		case "chronology":
			t.URL = base + "/people/" + ref + "/chronology"
		case "tasks":
			t.URL = base + "/tasks"
		case "search":
			t.Method, t.URL = "POST", base+"/people/search"
			name := u.names[rng.IntN(len(u.names))]
			form.Set("q", name[:min(3, len(name))]) // the start of a synthetic first name
		case "session-note":
			today := time.Now()
			t.Method, t.URL = "POST", base+"/people/"+ref+"/sessions"
			form = url.Values{"on-day": {strconv.Itoa(today.Day())}, "on-month": {strconv.Itoa(int(today.Month()))}, "on-year": {strconv.Itoa(today.Year())},
				"type": {"home-visit"}, "minutes": {"60"}, "initiatedBy": {"practitioner"},
				"note": {fmt.Sprintf("Synthetic load-test note %d: talked through the week ahead.", n)}, "idempotency_key": {newKey()}}
		case "goal-review":
			g := w.goals.take()
			if g == nil { // every goal is mid-review: read her plan instead
				t.URL = base + "/people/" + ref + "/plan"
				break
			}
			today := time.Now()
			prefix := "review-" + strconv.FormatInt(g.id, 10) + "-"
			t.Method, t.URL = "POST", base+"/people/"+g.ref+"/plan/goals/"+strconv.FormatInt(g.id, 10)+"/reviews"
			t.Header.Set("Cookie", g.user.cookie)
			form = url.Values{prefix + "on-day": {strconv.Itoa(today.Day())}, prefix + "on-month": {strconv.Itoa(int(today.Month()))},
				prefix + "on-year": {strconv.Itoa(today.Year())}, "note": {fmt.Sprintf("Synthetic review %d", n)},
				"progress": {"in-progress"}, "version": {strconv.FormatInt(g.version, 10)}, "idempotency_key": {newKey()}}
		}
		if t.Method == "POST" {
			t.Body = []byte(form.Encode())
			t.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		return nil
	}
}

func newKey() string {
	b := make([]byte, 16)
	crand.Read(b)
	return hex.EncodeToString(b)
}

// kindOf names the mix entry a result belongs to, from its method and URL.
func kindOf(method, u string) string {
	p, _ := url.Parse(u)
	path := ""
	if p != nil {
		path = p.Path
	}
	switch {
	case method == "POST" && path == "/people/search":
		return "search"
	case method == "POST" && strings.HasSuffix(path, "/sessions"):
		return "session-note"
	case method == "POST" && strings.HasSuffix(path, "/reviews"):
		return "goal-review"
	case path == "/people":
		return "caseload"
	case path == "/tasks":
		return "tasks"
	case strings.HasSuffix(path, "/chronology"):
		return "chronology"
	case strings.HasSuffix(path, "/plan"):
		return "plan"
	case strings.HasPrefix(path, "/people/"):
		return "person"
	}
	return "other"
}

// goalOf returns the goal ID in a review URL.
func goalOf(u string) (int64, bool) {
	p, err := url.Parse(u)
	if err != nil {
		return 0, false
	}
	parts := strings.Split(p.Path, "/")
	for i := range parts {
		if parts[i] == "goals" && i+1 < len(parts) {
			id, err := strconv.ParseInt(parts[i+1], 10, 64)
			return id, err == nil
		}
	}
	return 0, false
}
