package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/auth"
	"haven/internal/demo"
	"haven/internal/haven"
	"haven/internal/reunify"
	"haven/internal/store"
	"haven/internal/store/storetest"
	"haven/internal/web"
)

// laAccount makes an enrolled account with role in an LA team, with an API token.
func (e *authEnv) laAccount(t *testing.T, role access.Role, team access.LATeam, email string) demo.Account {
	t.Helper()
	key, err := auth.NewTOTPKey("Haven", email)
	if err != nil {
		t.Fatal(err)
	}
	a := demo.Account{Role: role, Tenant: team.Slug, Email: email, Password: "a long test password 42", TOTPSecret: key.Secret(), APIToken: "haven_" + auth.NewToken()}
	hash, err := (auth.Hasher{Memory: 64, Time: 1}).Hash(a.Password)
	if err != nil {
		t.Fatal(err)
	}
	u, err := e.db.CreateEnrolledAccount(t.Context(), audit.Event{}, access.User{Email: email, DisplayName: "Sam " + strings.Split(email, "@")[0]},
		[]store.Grant{{Role: role, Tenant: store.Tenant{Kind: access.TenantLocalAuthority, ID: team.ID, Slug: team.Slug}}}, hash, a.TOTPSecret)
	if err != nil {
		t.Fatal(err)
	}
	a.UserID = u.ID
	if _, err := e.db.CreateAPIToken(t.Context(), audit.Event{}, u.ID, "Test token", auth.HashToken(a.APIToken), e.clock.Now().AddDate(0, 0, 90)); err != nil {
		t.Fatal(err)
	}
	return a
}

// laCase is a child in the demo LA team, with an open episode, and the
// pieces the workflow tests share.
type laCase struct {
	*fixture
	child            reunify.Child
	worker, manager  demo.Account
	path             string
	otherTeamManager demo.Account
}

func newLACase(t *testing.T, db *store.DB) *laCase {
	t.Helper()
	f := newFixture(t, db)
	team := f.demo.LATeam
	today := haven.NewDate(2026, time.November, 23)
	l := &laCase{fixture: f, worker: f.byRoleIn(access.RoleLASocialWorker, team.Slug), manager: f.byRoleIn(access.RoleLAManager, team.Slug)}
	var err error
	l.child, err = db.CreateLAChild(t.Context(), audit.Event{}, reunify.Child{Team: team.ID, Ref: "C-7001", FirstName: "Robin", BornOn: haven.NewDate(2019, 3, 4)}, l.worker.UserID, today)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddLAEpisode(t.Context(), audit.Event{}, reunify.Episode{Child: l.child.ID, StartsOn: haven.NewDate(2025, 6, 1), RNE: "S", LegalStatus: "C2", Placement: "U1"}, l.worker.UserID, today); err != nil {
		t.Fatal(err)
	}
	other, err := db.CreateLATeam(t.Context(), access.LATeam{Slug: "other-la-team", Name: "Another LA team", LACode: "E08000036"})
	if err != nil {
		t.Fatal(err)
	}
	l.otherTeamManager = f.laAccount(t, access.RoleLAManager, other, "other.manager@example.org")
	l.path = "/la/children/" + strconv.FormatInt(l.child.ID, 10) + "/reunification"
	return l
}

func (l *laCase) state(t *testing.T) (reunify.Case, []reunify.Decision) {
	t.Helper()
	c, _, err := l.db.CurrentReunification(t.Context(), l.child.ID)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := l.db.ReunifyDecisions(t.Context(), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	return c, ds
}

func apiJSON(t *testing.T, l *laCase, a demo.Account, method, path, body string, header ...string) response {
	t.Helper()
	req, _ := http.NewRequest(method, l.ts.URL+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+a.APIToken)
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := l.ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return response{res.StatusCode, res.Header, readAll(res)}
}

func v(kv ...string) url.Values {
	out := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		out.Add(kv[i], kv[i+1])
	}
	return out
}

// A worker cannot sign off; a manager cannot sign off their own proposal
// (403, nothing written) on the pages or the API; another manager can,
// after proving who they are again when the sign-in is over five minutes
// old; a manager may send a proposal back with a reason. Both databases.
func TestReunifySignOffPagesAndAPI(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		l := newLACase(t, db)
		wc, mc := l.signIn(t, l.worker), l.signIn(t, l.manager)
		if res := send(t, wc, "GET", l.ts.URL+l.path, nil); res.status != 200 || !strings.Contains(res.body, "Open a reunification case") {
			t.Fatalf("case page before a case: %d", res.status)
		}
		if res := send(t, wc, "POST", l.ts.URL+l.path, v("route", "s31")); res.status != 422 || !strings.Contains(res.body, "Enter the date the case was opened") {
			t.Fatalf("open without a date: %d", res.status)
		}
		if res := send(t, wc, "POST", l.ts.URL+l.path, v("route", "s31", "openedOn-day", "1", "openedOn-month", "3", "openedOn-year", "2026")); res.status != 303 {
			t.Fatalf("open: %d %s", res.status, res.body)
		}
		// Decision 1: refused field by field, then proposed.
		if res := send(t, wc, "POST", l.ts.URL+l.path+"/decisions", v("kind", "decision-1", "version", "1")); res.status != 422 ||
			!strings.Contains(res.body, "Choose yes or no") || !strings.Contains(res.body, "Enter the reasons for the decision") {
			t.Fatalf("empty decision: %d", res.status)
		}
		if res := send(t, wc, "POST", l.ts.URL+l.path+"/decisions", v("kind", "decision-1", "answer", "yes", "decidedOn-day", "20", "decidedOn-month", "11",
			"decidedOn-year", "2026", "rationale", "Parents engaging well", "version", "1")); res.status != 303 {
			t.Fatalf("propose: %d %s", res.status, res.body)
		}
		c, ds := l.state(t)
		if len(ds) != 1 || !ds[0].Pending() || c.Version != 2 {
			t.Fatalf("after proposing: %+v %+v", c, ds)
		}
		d1 := l.path + "/decisions/" + strconv.FormatInt(ds[0].ID, 10)
		// The worker cannot sign off (403), nor the manager signing off a stale version (409): nothing is written.
		if res := send(t, wc, "POST", l.ts.URL+d1+"/sign-off", v("version", "2")); res.status != 403 {
			t.Fatalf("worker signs off: %d", res.status)
		}
		if res := send(t, mc, "POST", l.ts.URL+d1+"/sign-off", v("version", "1")); res.status != 409 {
			t.Fatalf("stale sign-off: %d", res.status)
		}
		if c, ds := l.state(t); c.Version != 2 || !ds[0].Pending() {
			t.Fatal("a refused sign-off was written")
		}
		// Over five minutes after signing in, the manager proves who they are again; the form is carried through.
		l.clock.Add(6 * time.Minute)
		form := withKey("POST", v("version", "2"))
		res := send(t, mc, "POST", l.ts.URL+d1+"/sign-off", form)
		if res.status != 401 || !strings.Contains(res.body, `name="carry_action" value="`+d1+`/sign-off"`) {
			t.Fatalf("stale sign-in: %d, want the re-authentication page carrying the form", res.status)
		}
		if _, ds := l.state(t); !ds[0].Pending() {
			t.Fatal("signed off without re-authentication")
		}
		carry := v("password", l.manager.Password, "code", l.clock.code(l.manager.TOTPSecret), "carry_action", d1+"/sign-off")
		for _, k := range []string{web.IdempotencyField, "version"} {
			carry.Add("carry_name", k)
			carry.Add("carry_value", form.Get(k))
		}
		if res := send(t, mc, "POST", l.ts.URL+"/reauth", carry); res.status != 200 || !strings.Contains(res.body, form.Get(web.IdempotencyField)) {
			t.Fatalf("reauth: %d", res.status)
		}
		if res := send(t, mc, "POST", l.ts.URL+d1+"/sign-off", form); res.status != 303 {
			t.Fatalf("sign off after re-authentication: %d %s", res.status, res.body)
		}
		c, ds = l.state(t)
		if !ds[0].Signed() || ds[0].SignedBy != l.manager.UserID || c.Version != 3 {
			t.Fatalf("after sign-off: %+v", ds[0])
		}
		// The same form again is the same sign-off, not a second one.
		if res := send(t, mc, "POST", l.ts.URL+d1+"/sign-off", form); res.status != 303 {
			t.Errorf("repeated sign-off: %d", res.status)
		}
		version := 3
		for _, to := range []string{"plan-assessment", "chronology", "assessment", "decision-2"} {
			if res := send(t, wc, "POST", l.ts.URL+l.path+"/stage", v("to", to, "version", strconv.Itoa(version))); res.status != 303 {
				t.Fatalf("move to %s: %d %s", to, res.status, res.body)
			}
			version++
		}
		// The manager proposes risk classification 1 on the API, and cannot sign it off: 403 on the API and the page.
		api := "/api/v1" + l.path
		res = apiJSON(t, l, l.manager, "POST", api+"/decisions", `{"kind":"risk-1","level":3,"decidedOn":"2026-11-22","rationale":"Some concerns","version":`+strconv.Itoa(version)+`}`)
		if res.status != 201 {
			t.Fatalf("API propose: %d %s", res.status, res.body)
		}
		version++
		var risk struct {
			ID    int64  `json:"id"`
			Label string `json:"levelLabel"`
		}
		if err := json.Unmarshal([]byte(res.body), &risk); err != nil || risk.Label != "High" {
			t.Fatalf("API decision: %s", res.body)
		}
		r1 := l.path + "/decisions/" + strconv.FormatInt(risk.ID, 10)
		body := `{"version":` + strconv.Itoa(version) + `}`
		if res := apiJSON(t, l, l.manager, "POST", "/api/v1"+r1+"/sign-off", body); res.status != 403 || !strings.Contains(res.body, "another team manager") {
			t.Errorf("API: own sign-off: %d %s", res.status, res.body)
		}
		if res := send(t, mc, "POST", l.ts.URL+r1+"/sign-off", v("version", strconv.Itoa(version))); res.status != 403 {
			t.Errorf("page: own sign-off: %d", res.status)
		}
		if res := apiJSON(t, l, l.worker, "POST", "/api/v1"+r1+"/sign-off", body); res.status != 403 {
			t.Errorf("API: worker sign-off: %d", res.status)
		}
		if c, ds := l.state(t); c.Version != int64(version) || !ds[1].Pending() {
			t.Fatal("a refused API sign-off was written")
		}
		// Another manager in the team signs it off, once, whatever the retries.
		second := l.laAccount(t, access.RoleLAManager, l.demo.LATeam, "second.manager@example.org")
		// On the API too, sign-off needs the owner of the token to have signed in within five minutes.
		if res := apiJSON(t, l, second, "POST", "/api/v1"+r1+"/sign-off", body); res.status != 403 || !strings.Contains(res.body, "Confirm it is you") {
			t.Fatalf("API sign-off by a manager who has not signed in: %d %s", res.status, res.body)
		}
		l.signIn(t, second)
		for i := range 2 {
			res := apiJSON(t, l, second, "POST", "/api/v1"+r1+"/sign-off", body, web.IdempotencyHeader, "sign-off-risk-1-key")
			if res.status != 200 || !strings.Contains(res.body, `"status":"signed"`) || (i == 1) != (res.header.Get(web.ReplayedHeader) == "true") {
				t.Fatalf("API sign-off %d: %d %s", i, res.status, res.body)
			}
		}
		version++
		l.clock.Add(6 * time.Minute)
		if res := apiJSON(t, l, second, "POST", "/api/v1"+r1+"/sign-off", body, web.IdempotencyHeader, "sign-off-risk-1-key"); res.status != 403 {
			t.Errorf("API sign-off six minutes after signing in: %d", res.status)
		}
		// Bad API input: a clear 4xx, nothing stored.
		for _, tt := range []struct {
			body   string
			status int
			want   string
		}{
			{`{"kind":"decision-9","version":1}`, 422, `"kind"`},
			{`{"kind":"decision-2","answer":"yes","decidedOn":"2026-02-30","rationale":"x","version":1}`, 422, `"decidedOn"`},
			{`{"kind":"decision-2","answer":"yes","decidedOn":"2026-11-22","rationale":"x"}`, 428, "version"},
			{`{"kind":"decision-2","answer":"yes","decidedOn":"2026-11-22","rationale":"x","version":1}`, 409, "changed this case"},
			{`{"kind":"decision-2","answer":"maybe","decidedOn":"2026-11-22","rationale":"x","version":` + strconv.Itoa(version) + `}`, 422, "Choose yes or no"},
			{`{"kind":"decision-2","extra":1}`, 400, "unknown field"},
			{`[]`, 400, "one JSON object"},
		} {
			if res := apiJSON(t, l, l.worker, "POST", api+"/decisions", tt.body); res.status != tt.status || !strings.Contains(res.body, tt.want) {
				t.Errorf("%s: %d %s", tt.body, res.status, res.body)
			}
		}
		// The worker proposes Decision 2; the manager sends it back with a reason.
		res = apiJSON(t, l, l.worker, "POST", api+"/decisions", `{"kind":"decision-2","answer":"yes","decidedOn":"2026-11-22","rationale":"Ready","version":`+strconv.Itoa(version)+`}`)
		if res.status != 201 {
			t.Fatalf("propose Decision 2: %d %s", res.status, res.body)
		}
		version++
		c, ds = l.state(t)
		d2 := l.path + "/decisions/" + strconv.FormatInt(ds[2].ID, 10)
		if res := send(t, mc, "POST", l.ts.URL+d2+"/decline", v("version", strconv.Itoa(version))); res.status != 422 || !strings.Contains(res.body, "Enter why you are not signing this off") {
			t.Fatalf("decline without a reason: %d", res.status)
		}
		if res := send(t, mc, "POST", l.ts.URL+d2+"/decline", v("version", strconv.Itoa(version), "reason", "Say more about the network")); res.status != 303 {
			t.Fatalf("decline: %d", res.status)
		}
		if _, ds := l.state(t); ds[2].Status != reunify.Declined || ds[2].Reason != "Say more about the network" {
			t.Fatalf("declined: %+v", ds[2])
		}
		// The API's view of the case.
		res = apiJSON(t, l, l.worker, "GET", api, "")
		var got struct {
			Case struct {
				Stage   string `json:"stage"`
				Version int64  `json:"version"`
			} `json:"case"`
			Stages    []struct{ Stage, State string } `json:"stages"`
			Decisions []struct{ Status string }       `json:"decisions"`
			ToRecord  []string                        `json:"toRecord"`
		}
		if err := json.Unmarshal([]byte(res.body), &got); err != nil || res.status != 200 || got.Case.Stage != "decision-2" || len(got.Decisions) != 3 ||
			got.Stages[0].State != "done" || got.Stages[4].State != "current" || len(got.ToRecord) != 1 || got.ToRecord[0] != "decision-2" {
			t.Errorf("API case: %d %s", res.status, res.body)
		}
		// The manager's list, and another team's manager sees none of it.
		mine := send(t, mc, "GET", l.ts.URL+"/la/sign-off", nil)
		// Nothing of this child's awaits (the demo's own children's decisions may).
		if mine.status != 200 || strings.Contains(mine.body, l.path+"/decisions/") {
			t.Errorf("sign-off list: %d", mine.status)
		}
		if res := apiJSON(t, l, l.otherTeamManager, "GET", api, ""); res.status != 404 {
			t.Errorf("another team's manager: %d", res.status)
		}
	})
}

// S15: every workflow route, for every kind of user. LA workers and managers
// in the child's team reach them (sign-off and the risk scale's change are
// a manager's: 403 for a worker); everyone else gets 404 for a route naming
// a child, and 403 for the team's own pages, except another team's manager,
// who sees their own team's.
func TestReunifyWorkflowRouteMatrix(t *testing.T) {
	db := storetest.SQLite(t)
	l := newLACase(t, db)
	ctx := t.Context()
	c, err := db.OpenReunification(ctx, audit.Event{}, reunify.Case{Child: l.child.ID, Route: "s20", OpenedOn: haven.NewDate(2026, 3, 1)}, haven.NewDate(2026, 11, 23))
	if err != nil {
		t.Fatal(err)
	}
	d, err := db.ProposeDecision(ctx, audit.Event{UserID: l.worker.UserID}, c.ID, 1, reunify.Decision{Kind: reunify.Decision1, Answer: "yes", DecidedOn: haven.NewDate(2026, 11, 20), Rationale: "x"},
		reunify.RiskScale{Labels: reunify.DefaultRiskScale}, l.worker.UserID, haven.NewDate(2026, 11, 23))
	if err != nil {
		t.Fatal(err)
	}
	dp := l.path + "/decisions/" + strconv.FormatInt(d.ID, 10)
	type rule struct {
		path            string
		worker, manager int
		others, otherLA int
	}
	const nf, fb = http.StatusNotFound, http.StatusForbidden
	rules := map[string]rule{
		"GET /la/children/{child}/reunification":                          {l.path, 200, 200, nf, nf},
		"POST /la/children/{child}/reunification":                         {l.path, 409, 409, nf, nf}, // a case is open
		"GET /la/children/{child}/reunification/decisions/new":            {l.path + "/decisions/new?kind=decision-1", 200, 200, nf, nf},
		"POST /la/children/{child}/reunification/decisions":               {l.path + "/decisions", 400, 400, nf, nf},
		"GET /la/children/{child}/reunification/decisions/{id}":           {dp, 200, 200, nf, nf},
		"POST /la/children/{child}/reunification/decisions/{id}/sign-off": {dp + "/sign-off", fb, 409, nf, nf},
		"POST /la/children/{child}/reunification/decisions/{id}/decline":  {dp + "/decline", fb, 409, nf, nf},
		"POST /la/children/{child}/reunification/stage":                   {l.path + "/stage", 422, 422, nf, nf},
		"POST /la/children/{child}/reunification/return":                  {l.path + "/return", 422, 422, nf, nf},
		"POST /la/children/{child}/reunification/alternative":             {l.path + "/alternative", 422, 422, nf, nf},
		"GET /la/sign-off":                                                       {"/la/sign-off", fb, 200, fb, 200},
		"GET /la/risk-scale":                                                     {"/la/risk-scale", 200, 200, fb, 200},
		"POST /la/risk-scale":                                                    {"/la/risk-scale", fb, 422, fb, 422},
		"GET /api/v1/la/children/{child}/reunification":                          {"/api/v1" + l.path, 200, 200, nf, nf},
		"POST /api/v1/la/children/{child}/reunification/decisions":               {"/api/v1" + l.path + "/decisions", 422, 422, nf, nf},
		"POST /api/v1/la/children/{child}/reunification/decisions/{id}/sign-off": {"/api/v1" + dp + "/sign-off", fb, 428, nf, nf},
	}
	s, err := web.NewServer(web.Options{Store: db})
	if err != nil {
		t.Fatal(err)
	}
	for pattern := range s.Routes() {
		// The assessment, plan and support have their own matrix (TestReunifyPlanRouteMatrix).
		if strings.Contains(pattern, "/reunification/assessment") || strings.Contains(pattern, "/reunification/plan") || strings.Contains(pattern, "/reunification/support") {
			continue
		}
		if strings.Contains(pattern, "/reunification") || strings.Contains(pattern, "/la/sign-off") || strings.Contains(pattern, "/la/risk-scale") {
			if _, ok := rules[pattern]; !ok {
				t.Errorf("%s is not in the matrix", pattern)
			}
		}
	}
	who := l.who(t)
	who["other LA team manager"] = l.otherTeamManager
	for name, a := range who {
		cl := l.signIn(t, a)
		for pattern, rl := range rules {
			method, _, _ := strings.Cut(pattern, " ")
			want := rl.others
			switch name {
			case "LA social worker":
				want = rl.worker
			case "LA manager":
				want = rl.manager
			case "other LA team manager":
				want = rl.otherLA
			}
			var res response
			if strings.HasPrefix(rl.path, "/api/") {
				body := ""
				if method == "POST" {
					body = "{}"
				}
				res = apiJSON(t, l, a, method, rl.path, body)
			} else {
				var form url.Values
				if method == "POST" {
					form = url.Values{}
				}
				res = send(t, cl, method, l.ts.URL+rl.path, form)
			}
			if res.status != want {
				t.Errorf("%s %s: %d, want %d", name, pattern, res.status, want)
			}
		}
	}
	anon := l.browser()
	for pattern, rl := range rules {
		method, _, _ := strings.Cut(pattern, " ")
		if res := send(t, anon, method, l.ts.URL+rl.path, nil); res.status != http.StatusSeeOther && res.status != http.StatusUnauthorized {
			t.Errorf("anonymous %s: %d", pattern, res.status)
		}
	}
	if _, ds := l.state(t); !ds[0].Pending() {
		t.Error("the matrix signed something off")
	}
}

// The team's risk scale: a manager changes it (version-checked, audited), a
// worker cannot, and the next risk classification's form offers the new
// levels. A proposal sent twice with one key on the API is made once.
func TestReunifyRiskScaleAndRepeatedProposal(t *testing.T) {
	db := storetest.SQLite(t)
	l := newLACase(t, db)
	wc, mc := l.signIn(t, l.worker), l.signIn(t, l.manager)
	form := v("version", "0", "level-1", "Low", "level-2", "Moderate", "level-3", "Severe", "level-4", "")
	if res := send(t, wc, "POST", l.ts.URL+"/la/risk-scale", form); res.status != 403 {
		t.Errorf("worker changes the scale: %d", res.status)
	}
	if res := send(t, mc, "POST", l.ts.URL+"/la/risk-scale", v("version", "0", "level-1", "Low", "level-2", "", "level-3", "High")); res.status != 422 ||
		!strings.Contains(res.body, "Enter a name for level 2") {
		t.Errorf("a gap in the scale: %d", res.status)
	}
	if res := send(t, mc, "POST", l.ts.URL+"/la/risk-scale", form); res.status != 303 {
		t.Fatalf("manager changes the scale: %d %s", res.status, res.body)
	}
	if res := send(t, mc, "POST", l.ts.URL+"/la/risk-scale", form); res.status != 409 || !strings.Contains(res.body, "Someone else changed the risk scale") {
		t.Errorf("a stale change: %d", res.status)
	}
	if res := send(t, wc, "GET", l.ts.URL+"/la/risk-scale", nil); res.status != 200 || !strings.Contains(res.body, "<li>Moderate</li>") || strings.Contains(res.body, "Very high") {
		t.Errorf("the worker's view of the scale: %d", res.status)
	}
	evs, _ := db.SearchAudit(t.Context(), store.AuditFilter{RecordType: "la-team", Page: store.Page{Limit: 10}})
	if len(evs) != 1 || evs[0].UserID != l.manager.UserID {
		t.Errorf("audit of the scale's change: %+v", evs)
	}
	// A case at Decision 2, through the store.
	today := haven.NewDate(2026, time.November, 23)
	c, err := db.OpenReunification(t.Context(), audit.Event{}, reunify.Case{Child: l.child.ID, Route: "s20", OpenedOn: haven.NewDate(2026, 3, 1)}, today)
	if err != nil {
		t.Fatal(err)
	}
	scale, _ := db.RiskScale(t.Context(), l.demo.LATeam.ID)
	d, err := db.ProposeDecision(t.Context(), audit.Event{UserID: l.worker.UserID}, c.ID, 1, reunify.Decision{Kind: reunify.Decision1, Answer: "yes", DecidedOn: today, Rationale: "x"}, scale, l.worker.UserID, today)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SignOffDecision(t.Context(), audit.Event{UserID: l.manager.UserID}, c.ID, 2, d.ID, l.manager.UserID, true, false, ""); err != nil {
		t.Fatal(err)
	}
	version := int64(3)
	for _, to := range []reunify.Stage{reunify.StagePlanAssessment, reunify.StageChronology, reunify.StageAssessment, reunify.StageDecision2} {
		if err := db.MoveReunification(t.Context(), audit.Event{UserID: l.worker.UserID}, c.ID, version, to, l.worker.UserID, today); err != nil {
			t.Fatal(err)
		}
		version++
	}
	if res := send(t, wc, "GET", l.ts.URL+l.path+"/decisions/new?kind=risk-1", nil); res.status != 200 || !strings.Contains(res.body, ">Severe</label>") || strings.Contains(res.body, "Very high") {
		t.Errorf("the classification form does not offer the team's scale: %d", res.status)
	}
	body := `{"kind":"risk-1","level":3,"decidedOn":"2026-11-22","rationale":"Some concerns","version":` + strconv.FormatInt(version, 10) + `}`
	first := apiJSON(t, l, l.worker, "POST", "/api/v1"+l.path+"/decisions", body, web.IdempotencyHeader, "propose-risk-1-key")
	again := apiJSON(t, l, l.worker, "POST", "/api/v1"+l.path+"/decisions", body, web.IdempotencyHeader, "propose-risk-1-key")
	if first.status != 201 || again.status != 201 || again.header.Get(web.ReplayedHeader) != "true" || first.body != again.body || !strings.Contains(first.body, `"levelLabel":"Severe"`) {
		t.Errorf("proposal and its repeat: %d %s / %d %s", first.status, first.body, again.status, again.body)
	}
	if ds, _ := db.ReunifyDecisions(t.Context(), c.ID); len(ds) != 2 {
		t.Errorf("%d decisions, want 2", len(ds))
	}
}
