package web_test

import (
	"crypto/rand"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/programme"
	"haven/internal/store"
	"haven/internal/store/storetest"
	"haven/internal/web"
)

// withKey gives a POST form the idempotency key its rendered form would
// carry, unless the test set one itself (even empty).
func withKey(method string, form url.Values) url.Values {
	if method != http.MethodPost {
		return form
	}
	if _, ok := form[web.IdempotencyField]; ok {
		return form
	}
	out := maps.Clone(form)
	out.Set(web.IdempotencyField, rand.Text())
	return out
}

var keyInput = regexp.MustCompile(`<input type="hidden" name="idempotency_key" value="([A-Z2-7]{26})">`)

// keyFor returns the idempotency key rendered in the form posting to action.
func keyFor(body, action string) string {
	i := strings.Index(body, `action="`+action+`"`)
	if i < 0 {
		return ""
	}
	m := keyInput.FindStringSubmatch(body[i:min(len(body), i+600)])
	if m == nil {
		return ""
	}
	return m[1]
}

// Every create route is a real route, and every create form renders a fresh key.
func TestR6CreateFormsCarryAKey(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		s, err := web.NewServer(web.Options{Store: db})
		if err != nil {
			t.Fatal(err)
		}
		routes := s.Routes()
		for pattern := range web.IdempotentRoutes() {
			if _, ok := routes[pattern]; !ok {
				t.Errorf("%s is listed as a create but is not a route", pattern)
			}
		}
		sess := f.seedSession(t, "A first visit.")
		ref := "/people/" + f.person.Ref
		goals, _ := db.Goals(t.Context(), f.person.ID, true)
		if len(goals) == 0 {
			t.Fatal("the demo woman has no goals to review")
		}
		lead, admin, other := f.signIn(t, f.riverLead), f.signIn(t, f.account(access.RoleAdmin)), f.signIn(t, f.otherPrac)
		anon := f.browser()
		tests := []struct {
			c      *http.Client
			page   string
			action string
		}{
			{lead, "/people/new", "/people"},
			{lead, ref, ref + "/people-around"},
			{lead, ref, ref + "/transfer"},
			{other, ref, ref + "/break-glass"},
			{lead, ref + "/plan", ref + "/plan/goals"},
			{lead, ref + "/plan", ref + "/plan/goals/" + itoa(goals[0].ID) + "/reviews"},
			{lead, ref + "/reproductive-health", ref + "/reproductive-health/contraception"},
			{lead, ref + "/reproductive-health", ref + "/reproductive-health/pregnancies"},
			{lead, ref + "/referrals-out", ref + "/referrals-out"},
			{lead, ref + "/sessions/new", ref + "/sessions"},
			{lead, ref + "/sessions/" + itoa(sess.ID), ref + "/sessions/" + itoa(sess.ID) + "/corrections"},
			{lead, "/agencies", "/agencies"},
			{lead, "/referrals/new", "/referrals/new"},
			{lead, "/account/tokens", "/account/tokens"},
			{admin, "/admin/users/new", "/admin/users"},
			{anon, "/refer", "/refer"},
			{anon, "/refer/professional", "/refer/professional"},
		}
		seen := map[string]bool{}
		for _, tt := range tests {
			t.Run(tt.action, func(t *testing.T) {
				first := keyFor(send(t, tt.c, "GET", f.ts.URL+tt.page, nil).body, tt.action)
				again := keyFor(send(t, tt.c, "GET", f.ts.URL+tt.page, nil).body, tt.action)
				if first == "" {
					t.Fatalf("the form posting to %s on %s has no idempotency key", tt.action, tt.page)
				}
				if first == again || seen[first] {
					t.Error("a key was rendered twice")
				}
				seen[first], seen[again] = true, true
			})
		}
		// The enrolment form shows only while she has no open enrolment.
		f.freshPerson(t)
		if keyFor(send(t, lead, "GET", f.ts.URL+"/people/"+f.person.Ref, nil).body, "/people/"+f.person.Ref+"/enrolments") == "" {
			t.Error("the start-enrolment form has no idempotency key")
		}
	})
}

// formCase is one create form: post sends it as the right user, count says
// how many of its records exist, and want is where a successful send goes
// ("" for forms that answer 200 with a page).
type formCase struct {
	name  string
	c     *http.Client
	path  string
	form  url.Values
	count func() int
}

// R6: a form sent twice, or several times at once, with one key makes one
// record, and every send goes where the first went.
func TestR6FormRepeatsMakeOneRecord(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.freshPerson(t)
		ctx := t.Context()
		p := f.person
		ref := "/people/" + p.Ref
		lead := f.signIn(t, f.riverLead)
		leadActor := mustActor(t, db, f.riverLead.UserID)
		agencies, err := db.Agencies(ctx, p.PracticeID)
		if err != nil || len(agencies) == 0 {
			t.Fatalf("no demo agencies: %v", err)
		}
		goal, err := db.CreateGoal(ctx, audit.Event{}, programme.Goal{PersonID: p.ID, Domain: programme.DomainHousing, Words: "A flat", Progress: programme.NotStarted}, 0, haven.Date{})
		if err != nil {
			t.Fatal(err)
		}
		sess := f.seedSession(t, "A first visit.")
		n := func(xs int, err error) int {
			if err != nil {
				t.Fatal(err)
			}
			return xs
		}
		day := url.Values{"on-day": {"20"}, "on-month": {"11"}, "on-year": {"2026"}}
		rp := "review-" + itoa(goal.ID) + "-"
		cases := []formCase{
			{"person", lead, "/people", url.Values{"firstName": {"Ash"}, "lastName": {"Repeatcase"}, "practice": {itoa(p.PracticeID)}}, func() int {
				ps, err := db.PeopleFor(ctx, leadActor, store.Page{Limit: 500})
				return n(len(ps), err)
			}},
			{"person around", lead, ref + "/people-around", url.Values{"aroundName": {"Jo"}, "relationship": {"Sister"}}, func() int {
				xs, err := db.PeopleAround(ctx, p.ID)
				return n(len(xs), err)
			}},
			{"break glass", f.signIn(t, f.otherPrac), ref + "/break-glass", url.Values{"reason": {"Out-of-hours safeguarding call"}}, func() int {
				xs, err := db.BreakGlassUses(ctx, p.ID)
				return n(len(xs), err)
			}},
			{"enrolment", lead, ref + "/enrolments", url.Values{"referredOn-day": {"2"}, "referredOn-month": {"11"}, "referredOn-year": {"2026"}}, func() int {
				xs, err := db.Enrolments(ctx, p.ID)
				return n(len(xs), err)
			}},
			{"goal", lead, ref + "/plan/goals", url.Values{"domain": {"money"}, "words": {"Pay the rent"}}, func() int {
				xs, err := db.Goals(ctx, p.ID, true)
				return n(len(xs), err)
			}},
			{"goal review", lead, ref + "/plan/goals/" + itoa(goal.ID) + "/reviews", url.Values{rp + "on-day": {"20"}, rp + "on-month": {"11"}, rp + "on-year": {"2026"},
				"note": {"Going well"}, "progress": {"in-progress"}, "version": {"1"}}, func() int {
				xs, err := db.Goals(ctx, p.ID, true)
				for _, g := range xs {
					if g.ID == goal.ID {
						return int(g.Version)
					}
				}
				return n(0, err)
			}},
			{"session", lead, ref + "/sessions", sessionValues("20", "We talked about housing."), func() int {
				xs, err := db.SupportSessions(ctx, p.ID)
				return n(len(xs), err)
			}},
			{"session correction", lead, ref + "/sessions/" + itoa(sess.ID) + "/corrections", url.Values{"note": {"A first visit, at home."}, "reason": {"Place left out"}, "version": {"1"}}, func() int {
				x, err := db.SupportSession(ctx, p.ID, sess.ID)
				return n(len(x.Corrections), err)
			}},
			{"pregnancy", lead, ref + "/reproductive-health/pregnancies", url.Values{"knownOn-day": {"1"}, "knownOn-month": {"11"}, "knownOn-year": {"2026"}}, func() int {
				xs, err := db.Pregnancies(ctx, p.ID)
				return n(len(xs), err)
			}},
			{"contraception", lead, ref + "/reproductive-health/contraception", url.Values{"method": {"implant"}, "version": {"0"}}, func() int {
				_, ok, err := db.Contraception(ctx, p.ID)
				return n(map[bool]int{true: 1}[ok], err)
			}},
			{"referral out", lead, ref + "/referrals-out", mergeValues(day, url.Values{"agency": {itoa(agencies[0].ID)}, "reason": {"Housing advice"}}, "sentOn-"), func() int {
				xs, err := db.ReferralsOut(ctx, p.ID)
				return n(len(xs), err)
			}},
			{"transfer", lead, ref + "/transfer", url.Values{"toPractice": {itoa(f.hillcrest.PracticeID)}}, func() int {
				_, ok, err := db.PendingTransfer(ctx, p.ID)
				return n(map[bool]int{true: 1}[ok], err)
			}},
			{"agency", lead, "/agencies", url.Values{"practice": {itoa(p.PracticeID)}, "name": {"Repeat Trust"}, "kind": {"housing"}}, func() int {
				xs, err := db.Agencies(ctx, p.PracticeID)
				return n(len(xs), err)
			}},
			{"staff referral", lead, "/referrals/new", mergeValues(proForm("Staffrepeat"), url.Values{"practice": {itoa(p.PracticeID)}}, ""), func() int {
				return referralRows(t, db, "create")
			}},
			{"self-referral", f.browser(), "/refer", selfForm("Selfrepeat"), func() int {
				return referralRows(t, db, "create")
			}},
			{"API token", lead, "/account/tokens", url.Values{"name": {"Export"}, "days": {"30"}}, func() int {
				xs, err := db.APITokens(ctx, f.riverLead.UserID)
				return n(len(xs), err)
			}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				before := tc.count()
				form := withKey("POST", tc.form)
				first := send(t, tc.c, "POST", f.ts.URL+tc.path, form)
				if first.status != 303 && first.status != 200 {
					t.Fatalf("first send: %d\n%s", first.status, first.body)
				}
				want := first.header.Get("Location")
				var wg sync.WaitGroup
				res := make([]response, 4)
				for i := range res {
					wg.Go(func() { res[i] = send(t, tc.c, "POST", f.ts.URL+tc.path, form) })
				}
				wg.Wait()
				for i, r := range res {
					if r.status != first.status || r.header.Get("Location") != want {
						t.Errorf("repeat %d: %d to %q, want %d to %q", i, r.status, r.header.Get("Location"), first.status, want)
					}
				}
				if got := tc.count() - before; got != 1 {
					t.Errorf("%d records made, want 1", got)
				}
			})
		}
	})
}

// mergeValues adds more to v, prefixing the keys of the date fields in v.
func mergeValues(v, more url.Values, prefix string) url.Values {
	out := url.Values{}
	for k, x := range v {
		if strings.HasPrefix(k, "on-") {
			k = prefix + strings.TrimPrefix(k, "on-")
		}
		out[k] = x
	}
	maps.Copy(out, more)
	return out
}

// A form sent back with errors keeps its key, so the corrected form is the
// same request; a missing or altered key is refused; another user's key
// makes their own record and shows nothing of the first.
func TestR6FormKeys(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.freshPerson(t)
		ctx := t.Context()
		ref := "/people/" + f.person.Ref
		lead, coord := f.signIn(t, f.riverLead), f.signIn(t, f.riverCoord)
		goals := func() int {
			xs, err := db.Goals(ctx, f.person.ID, true)
			if err != nil {
				t.Fatal(err)
			}
			return len(xs)
		}

		key := rand.Text()
		bad := send(t, lead, "POST", f.ts.URL+ref+"/plan/goals", url.Values{web.IdempotencyField: {key}, "domain": {"money"}, "words": {""}})
		if bad.status != 422 || keyFor(bad.body, ref+"/plan/goals") != key {
			t.Fatalf("a rejected form did not keep its key: %d", bad.status)
		}
		// Only the form sent back keeps it: the others on the page get new keys.
		around := send(t, lead, "POST", f.ts.URL+ref+"/people-around", url.Values{web.IdempotencyField: {key}, "aroundName": {""}})
		if got := keyFor(around.body, ref+"/people-around"); around.status != 422 || got != key {
			t.Errorf("people around sent back: %d, kept key %v", around.status, got == key)
		}
		if other := keyFor(around.body, ref+"/enrolments"); other == "" || other == key {
			t.Errorf("the enrolment form on the same page has key %q, want a new one", other)
		}
		before := goals()
		for range 2 {
			if res := send(t, lead, "POST", f.ts.URL+ref+"/plan/goals", url.Values{web.IdempotencyField: {key}, "domain": {"money"}, "words": {"Pay the rent"}}); res.status != 303 {
				t.Fatalf("corrected form: %d", res.status)
			}
		}
		if got := goals() - before; got != 1 {
			t.Errorf("the corrected form and its repeat made %d goals, want 1", got)
		}
		// A successful page answer gives the next form a new key.
		key = rand.Text()
		tok := send(t, lead, "POST", f.ts.URL+"/account/tokens", url.Values{web.IdempotencyField: {key}, "name": {"Export"}, "days": {"30"}})
		if next := keyFor(tok.body, "/account/tokens"); tok.status != 200 || next == "" || next == key {
			t.Errorf("the token page after a create: %d, reused key %v", tok.status, next == key)
		}
		if again := send(t, lead, "POST", f.ts.URL+"/account/tokens", url.Values{web.IdempotencyField: {key}, "name": {"Export"}, "days": {"30"}}); !strings.Contains(again.body, "already created") || strings.Contains(again.body, "haven_") {
			t.Error("a repeated token create did not say so, or showed a secret")
		}

		for name, body := range map[string]string{
			"missing": "domain=money&words=Missing",
			"empty":   "domain=money&words=Empty&" + web.IdempotencyField + "=",
			"altered": "domain=money&words=Altered&" + web.IdempotencyField + "=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
			"short":   "domain=money&words=Short&" + web.IdempotencyField + "=ABC",
		} {
			before := goals()
			res := sendRaw(t, lead, f.ts.URL+ref+"/plan/goals", body)
			if res.status != 400 || !strings.Contains(res.body, "idempotency_key") {
				t.Errorf("%s key: %d, want 400 naming the field", name, res.status)
			}
			if goals() != before {
				t.Errorf("%s key: a goal was made", name)
			}
		}

		// The same key from two users: two records, each sent to their own.
		shared := rand.Text()
		person := func(c *http.Client, first string) string {
			res := send(t, c, "POST", f.ts.URL+"/people", url.Values{web.IdempotencyField: {shared}, "firstName": {first}, "lastName": {"Sharedkey"}, "practice": {itoa(f.person.PracticeID)}})
			if res.status != 303 {
				t.Fatalf("%s: %d", first, res.status)
			}
			return res.header.Get("Location")
		}
		if a, b := person(lead, "Ash"), person(coord, "Bo"); a == b {
			t.Errorf("another user's key sent them to the first user's record %s", a)
		}
	})
}

// sendRaw posts a form body exactly as given, with no key added.
func sendRaw(t *testing.T, c *http.Client, u, body string) response {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{res.StatusCode, res.Header, string(b)}
}

// R6 on the API: the Idempotency-Key header is optional; with it, repeats
// and parallel sends answer 201 with the first record, marked as replayed.
func TestR6APIIdempotencyKey(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.freshPerson(t)
		ctx := t.Context()
		base := "/api/v1/people/" + f.person.Ref
		call := func(token, path, body, key string) (int, http.Header, map[string]any) {
			req, _ := http.NewRequest("POST", f.ts.URL+path, strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			if key != "" {
				req.Header.Set(web.IdempotencyHeader, key)
			}
			res, err := f.ts.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			var out map[string]any
			json.NewDecoder(res.Body).Decode(&out)
			return res.StatusCode, res.Header, out
		}
		count := func(xs int, err error) int {
			if err != nil {
				t.Fatal(err)
			}
			return xs
		}
		tok := f.allocated.APIToken
		tests := []struct {
			name       string
			token      string
			path       string
			body       string
			id         string // the field that names the record
			repeatable bool
			count      func() int
		}{
			{"enrolment", tok, base + "/enrolments", `{"referredOn":"2026-11-02"}`, "id", false, func() int {
				xs, err := db.Enrolments(ctx, f.person.ID)
				return count(len(xs), err)
			}},
			{"goal", tok, base + "/goals", `{"domain":"housing","words":"A flat of my own"}`, "id", true, func() int {
				xs, err := db.Goals(ctx, f.person.ID, true)
				return count(len(xs), err)
			}},
			{"session", tok, base + "/sessions", `{"date":"2026-11-20","type":"home-visit","minutes":15,"initiatedBy":"her","note":"A call."}`, "id", true, func() int {
				xs, err := db.SupportSessions(ctx, f.person.ID)
				return count(len(xs), err)
			}},
			{"self-referral", "", "/api/v1/self-referrals", mustJSON(apiSelf("Apirepeat")), "reference", true, func() int {
				return referralRows(t, db, "create")
			}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := tt.count()
				key := rand.Text()
				status, h, first := call(tt.token, tt.path, tt.body, key)
				if status != 201 || h.Get(web.ReplayedHeader) != "" {
					t.Fatalf("first: %d %v", status, first)
				}
				var wg sync.WaitGroup
				type answer struct {
					status int
					h      http.Header
					body   map[string]any
				}
				answers := make([]answer, 4)
				for i := range answers {
					wg.Go(func() { s, h, b := call(tt.token, tt.path, tt.body, key); answers[i] = answer{s, h, b} })
				}
				wg.Wait()
				for i, a := range answers {
					if a.status != 201 || a.h.Get(web.ReplayedHeader) != "true" || a.body[tt.id] != first[tt.id] {
						t.Errorf("repeat %d: %d replayed=%q %s=%v, want 201 replayed=true %v", i, a.status, a.h.Get(web.ReplayedHeader), tt.id, a.body[tt.id], first[tt.id])
					}
				}
				if got := tt.count() - before; got != 1 {
					t.Errorf("%d records made, want 1", got)
				}
				if status, _, body := call(tt.token, tt.path, tt.body, "not a key!"); status != 400 || !strings.Contains(body["message"].(string), "Idempotency-Key") {
					t.Errorf("malformed key: %d %v", status, body)
				}
				if !tt.repeatable {
					return
				}
				before = tt.count()
				call(tt.token, tt.path, tt.body, "")
				call(tt.token, tt.path, tt.body, rand.Text())
				if got := tt.count() - before; got != 2 {
					t.Errorf("no key and a new key made %d records, want 2", got)
				}
			})
		}
		// The same key on another woman's record is not a repeat.
		key := rand.Text()
		if status, _, _ := call(tok, base+"/goals", `{"domain":"housing","words":"Keep the flat"}`, key); status != 201 {
			t.Fatal(status)
		}
		other, _ := db.PeopleFor(ctx, mustActor(t, db, f.allocated.UserID), store.Page{})
		for _, p := range other {
			if p.ID != f.person.ID {
				if status, _, body := call(tok, "/api/v1/people/"+p.Ref+"/goals", `{"domain":"housing","words":"Keep the flat"}`, key); status != 409 {
					t.Errorf("key reused on another record: %d %v, want 409", status, body)
				}
				break
			}
		}
	})
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}
