package web_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/auth"
	"haven/internal/demo"
	"haven/internal/haven"
	"haven/internal/programme"
	"haven/internal/store"
	"haven/internal/store/storetest"
	"haven/internal/web"
)

// Fuzz targets that drive Haven over HTTP as a browser or an API client
// would, on a demo database in SQLite. Each asserts what the user must be
// able to rely on: never a 5xx; a refusal says what is wrong (JSON with a
// message, or an error summary whose every link reaches its field); nothing
// is written when the answer is a refusal; and what is accepted is stored
// exactly as sent. scripts/fuzz runs them; `go test` replays their seeds, on
// PostgreSQL with HAVEN_FUZZ_DB=postgres.

// fuzzEnv is one demo Haven per fuzzing process, shared by every input.
type fuzzEnv struct {
	ts      *httptest.Server
	db      *store.DB
	clock   *clock
	sum     demo.Summary
	lead    demo.Account     // the Riverside lead, for the forms and the API
	browser *http.Client     // signed in as the lead
	admin   *http.Client     // signed in as the administrator
	leads   []*access.Actor  // every Practice's lead, to find a referral wherever it went
	person  programme.Person // a woman in Riverside with a goal, an enrolment and a session
	goal    int64
	enrol   int64
	session int64
	triage  string        // a new self-referral in Riverside's queue
	prac    int64         // a Riverside practitioner, for the admin forms
	ips     atomic.Uint32 // a fresh client address per public referral, so the rate limit stays out of the way
	keys    atomic.Uint64 // a fresh idempotency key per form
}

func newFuzzEnv(f *testing.F) *fuzzEnv {
	f.Helper()
	ctx := f.Context()
	c := newClock()
	db := storetest.SQLite(f)
	if os.Getenv("HAVEN_FUZZ_DB") == "postgres" { // replay the seeds on PostgreSQL, whose text rules are stricter
		db = storetest.Postgres(f)
	}
	db.SetClock(c.Now)
	sum, err := demo.Seed(ctx, db, demo.Options{Hasher: &auth.Hasher{Memory: 64, Time: 1}, Now: c.Now()})
	if err != nil {
		f.Fatal(err)
	}
	s, err := web.NewServer(web.Options{Store: db, Now: c.Now, HTTPS: true, TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}})
	if err != nil {
		f.Fatal(err)
	}
	ts := httptest.NewTLSServer(s)
	f.Cleanup(ts.Close)
	e := &fuzzEnv{ts: ts, db: db, clock: c, sum: sum}
	var riverside int64
	for _, p := range sum.Practices {
		if p.Slug == "demo-riverside" {
			riverside = p.ID
		}
	}
	var practitioner int64
	for _, a := range sum.Accounts {
		switch {
		case a.Role == access.RolePracticeLead:
			actor, err := db.Actor(ctx, a.UserID)
			if err != nil {
				f.Fatal(err)
			}
			e.leads = append(e.leads, actor)
			if a.Tenant == "demo-riverside" {
				e.lead = a
			}
		case a.Role == access.RolePractitioner && a.Tenant == "demo-riverside" && practitioner == 0:
			practitioner = a.UserID
		}
	}
	leadActor, err := db.Actor(ctx, e.lead.UserID)
	if err != nil {
		f.Fatal(err)
	}
	if e.person, err = db.CreatePerson(ctx, audit.Event{}, leadActor, programme.Person{PracticeID: riverside, PractitionerID: practitioner,
		FirstName: "Sky", LastName: "Fuzzcase"}); err != nil {
		f.Fatal(err)
	}
	g, err := db.CreateGoal(ctx, audit.Event{}, programme.Goal{PersonID: e.person.ID, Domain: "housing", Words: "A flat of my own", Progress: programme.NotStarted}, e.lead.UserID, haven.Date{})
	if err != nil {
		f.Fatal(err)
	}
	en, err := db.StartEnrolment(ctx, audit.Event{}, e.person, haven.NewDate(2026, 11, 2))
	if err != nil {
		f.Fatal(err)
	}
	se, err := db.RecordSession(ctx, audit.Event{}, programme.Session{PersonID: e.person.ID, On: haven.NewDate(2026, 11, 2), Type: programme.SessionPhone,
		Minutes: 15, InitiatedBy: programme.InitiatedByHer, Note: "Spoke on the phone", CreatedBy: e.lead.UserID}, haven.NewDate(2026, 11, 23), false)
	if err != nil {
		f.Fatal(err)
	}
	rf, err := db.CreateReferral(ctx, audit.Event{}, nil, programme.Referral{Source: programme.ReferralSelf, FirstName: "Robin", LastName: "Fuzzcase",
		Phone: "07700 900123", LACode: "E08000035", Contact: programme.SafeContact{Channels: []programme.ContactChannel{programme.ChannelText}},
		ChildrenRemoved: programme.RemovedTwo, Consent: programme.ConsentGiven})
	if err != nil {
		f.Fatal(err)
	}
	e.goal, e.enrol, e.session, e.triage, e.prac = g.ID, en.ID, se.ID, rf.Ref, practitioner
	e.browser = e.signIn(f, e.lead)
	for _, a := range sum.Accounts {
		if a.Role == access.RoleAdmin {
			e.admin = e.signIn(f, a)
			break
		}
	}
	return e
}

// signIn passes both sign-in steps and returns a client with the session.
func (e *fuzzEnv) signIn(tb testing.TB, a demo.Account) *http.Client {
	tb.Helper()
	jar, _ := cookiejar.New(nil)
	c := *e.ts.Client()
	c.Jar, c.CheckRedirect = jar, noRedirect
	for _, step := range []struct {
		path string
		form url.Values
	}{
		{"/sign-in", url.Values{"email": {a.Email}, "password": {a.Password}}},
		{"/sign-in/code", url.Values{"code": {e.clock.code(a.TOTPSecret)}}},
	} {
		res, err := c.PostForm(e.ts.URL+step.path, step.form)
		if err != nil {
			tb.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusSeeOther {
			tb.Fatalf("sign in as %s: %s answered %d", a.Role, step.path, res.StatusCode)
		}
	}
	e.clock.Add(30 * time.Second) // the next sign-in needs a fresh code
	return &c
}

// fill puts the environment's references and IDs into a seed's placeholders.
func (e *fuzzEnv) fill(s string) string {
	return strings.NewReplacer("{ref}", e.person.Ref, "{goal}", itoa(e.goal), "{enrol}", itoa(e.enrol), "{session}", itoa(e.session),
		"{triage}", e.triage, "{prac}", itoa(e.prac)).Replace(s)
}

// lastWrite is the newest audit row for a change. Every write is audited in
// its own transaction, so an unchanged mark means nothing was stored.
func (e *fuzzEnv) lastWrite(t *testing.T) int64 {
	t.Helper()
	var last int64
	for _, a := range []audit.Action{audit.Create, audit.Update, audit.Delete} {
		ev, err := e.db.SearchAudit(t.Context(), store.AuditFilter{Action: string(a), Page: store.Page{Limit: 1}})
		if err != nil {
			t.Fatal(err)
		}
		if len(ev) > 0 {
			last = max(last, ev[0].ID)
		}
	}
	return last
}

type fuzzResponse struct {
	status int
	header http.Header
	body   []byte
}

func (e *fuzzEnv) send(t *testing.T, c *http.Client, req *http.Request) fuzzResponse {
	t.Helper()
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return fuzzResponse{res.StatusCode, res.Header, b}
}

// withKey adds a fresh idempotency key, as every create form carries one,
// unless the input brings its own.
func (e *fuzzEnv) withKey(body string) string {
	if strings.Contains(body, "idempotency_key") {
		return body
	}
	return body + "&idempotency_key=fuzz-key-" + strconv.FormatUint(1e15+e.keys.Add(1), 10)
}

func (e *fuzzEnv) postForm(t *testing.T, c *http.Client, path, body string) fuzzResponse {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.ts.URL+path, strings.NewReader(e.withKey(body)))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return e.send(t, c, req)
}

func (e *fuzzEnv) postJSON(t *testing.T, path, token, body string, header map[string]string) fuzzResponse {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.ts.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	return e.send(t, e.ts.Client(), req)
}

// publicAddress is a new client address, as the trusted proxy would give it.
func (e *fuzzEnv) publicAddress() string {
	n := e.ips.Add(1)
	return netip.AddrFrom4([4]byte{10, byte(n >> 16), byte(n >> 8), byte(n)}).String()
}

var (
	summaryList = regexp.MustCompile(`(?s)<ul class="govuk-list govuk-error-summary__list">(.*?)</ul>`)
	summaryLink = regexp.MustCompile(`<li><a href="#([^"]*)">([^<]*)</a></li>`)
)

// checkPage holds a page to what every answer to a form must be: no 5xx;
// a 422 or 409 names each problem in the error summary, linked to a field
// that is on the page; and a refusal stores nothing.
func checkPage(t *testing.T, what string, res fuzzResponse, wroteBefore, wroteAfter int64) {
	t.Helper()
	if res.status >= 500 {
		t.Fatalf("%s: status %d\n%.2000s", what, res.status, res.body)
	}
	if res.status >= 400 && wroteAfter != wroteBefore {
		t.Fatalf("%s: status %d, but something was stored", what, res.status)
	}
	if res.status != http.StatusUnprocessableEntity && res.status != http.StatusConflict {
		return
	}
	if ct := res.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		return // the API's own checks cover JSON
	}
	list := summaryList.FindSubmatch(res.body)
	if list == nil {
		t.Fatalf("%s: status %d with no error summary\n%.3000s", what, res.status, res.body)
	}
	links := summaryLink.FindAllSubmatch(list[1], -1)
	if len(links) == 0 {
		t.Fatalf("%s: status %d with an empty error summary", what, res.status)
	}
	for _, l := range links {
		if len(bytes.TrimSpace(l[2])) == 0 {
			t.Fatalf("%s: the error for %q has no message", what, l[1])
		}
		if !bytes.Contains(res.body, []byte(`id="`+string(l[1])+`"`)) {
			t.Fatalf("%s: the error %q links to #%s, which is not on the page", what, l[2], l[1])
		}
	}
}

func hasNUL(v url.Values) bool {
	for k, vs := range v {
		if strings.ContainsRune(k, 0) || slices.ContainsFunc(vs, func(s string) bool { return strings.ContainsRune(s, 0) }) {
			return true
		}
	}
	return false
}

// apiError is what every 4xx from the API must be.
type apiError struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields"`
}

// checkAPI holds an API answer to the same rules as checkPage, in JSON.
func checkAPI(t *testing.T, what string, res fuzzResponse, wroteBefore, wroteAfter int64) {
	t.Helper()
	if res.status >= 500 {
		t.Fatalf("%s: status %d\n%.2000s", what, res.status, res.body)
	}
	if res.status < 400 {
		return
	}
	if wroteAfter != wroteBefore {
		t.Fatalf("%s: status %d, but something was stored", what, res.status)
	}
	var e apiError
	if !strings.HasPrefix(res.header.Get("Content-Type"), "application/json") || json.Unmarshal(res.body, &e) != nil || e.Message == "" || e.Code == "" {
		t.Fatalf("%s: status %d is not a JSON error with a message: %s", what, res.status, res.body)
	}
	if res.status == http.StatusUnprocessableEntity {
		if len(e.Fields) == 0 {
			t.Fatalf("%s: 422 names no field: %s", what, res.body)
		}
		for k, m := range e.Fields {
			if k == "" || m == "" {
				t.Fatalf("%s: field error %q: %q", what, k, m)
			}
		}
	}
}

// checkOneObject fails if a body that is not exactly one JSON object got
// further than a 400: the API promises to refuse anything else as unreadable.
func checkOneObject(t *testing.T, body string, res fuzzResponse) {
	t.Helper()
	if res.status == http.StatusBadRequest || res.status == http.StatusRequestEntityTooLarge {
		return
	}
	trimmed := strings.TrimLeft(body, " \t\r\n")
	if !json.Valid([]byte(body)) || !strings.HasPrefix(trimmed, "{") {
		t.Fatalf("%q is not one JSON object, yet the answer was %d: %s", body, res.status, res.body)
	}
}

// FuzzAPIProgramme posts any body to the programme API's create calls:
// enrolments, phase moves, goals and sessions. A 2xx has stored exactly what
// the body said.
func FuzzAPIProgramme(f *testing.F) {
	seeds := []struct {
		route   uint8
		body    string
		ifMatch string
	}{
		{0, `{"referredOn":"2026-11-02"}`, ""},
		{0, `{"referredOn":"2026-02-30"}`, ""},
		{0, `{"referredOn":"2030-01-01"}`, ""},
		{0, `{"referredOn":`, ""},
		{1, `{"to":"engaging","on":"2026-11-09","version":1}`, ""},
		{1, `{"to":"engaging","on":"2026-11-09"}`, `"1"`},
		{1, `{"to":"ended","on":"2026-11-09","reason":"moved away"}`, `W/"x"`},
		{2, `{"domain":"housing","words":"A flat of my own","steps":"Call the council","targetOn":"2027-01-31"}`, ""},
		{2, `{"domain":"sexual-health","words":"x"}`, ""},
		{2, `{"domain":"nowhere","words":"  "}`, ""},
		{3, `{"date":"2026-11-20","type":"home-visit","minutes":45,"initiatedBy":"her","note":"We talked"}`, ""},
		{3, `{"date":"2026-11-20","type":"phone","minutes":10,"initiatedBy":"her","note":"x","fundPence":1250,"fundCategory":"travel"}`, ""},
		{3, `{"date":"2026-11-20","type":"phone","minutes":-1,"initiatedBy":"nobody","fundPence":-5}`, ""},
		{3, `{"date":"2026-11-20","minutes":1e400}`, ""},
		{3, `{} {}`, ""},
		{3, "null", ""}, {3, `{"date":"2026-11-20"}]`, ""},
		{3, `{"date":"2026-11-20","type":"phone","minutes":5,"initiatedBy":"her","note":"nul\u0000byte"}`, ""},
		{2, `{"domain":"housing","words":"nul\u0000byte"}`, ""},
	}
	for _, s := range seeds {
		f.Add(s.route, s.body, s.ifMatch)
	}
	e := newFuzzEnv(f)
	f.Fuzz(func(t *testing.T, route uint8, body, ifMatch string) {
		base := "/api/v1/people/" + e.person.Ref
		paths := []string{base + "/enrolments", base + "/enrolments/" + itoa(e.enrol) + "/phase", base + "/goals", base + "/sessions"}
		path := paths[int(route)%len(paths)]
		var header map[string]string
		if ifMatch != "" && !strings.ContainsFunc(ifMatch, func(r rune) bool { return r < ' ' || r == 0x7f }) {
			header = map[string]string{"If-Match": ifMatch}
		}
		before := e.lastWrite(t)
		res := e.postJSON(t, path, e.lead.APIToken, body, header)
		checkAPI(t, path+" "+body, res, before, e.lastWrite(t))
		checkOneObject(t, body, res)
		if res.status >= 300 {
			return
		}
		e.checkCreated(t, int(route)%len(paths), body, res)
	})
}

// checkCreated compares what the API stored with the body it was sent.
func (e *fuzzEnv) checkCreated(t *testing.T, route int, body string, res fuzzResponse) {
	t.Helper()
	var got map[string]any
	if err := json.Unmarshal(res.body, &got); err != nil {
		t.Fatalf("2xx answer is not JSON: %s", res.body)
	}
	id, _ := got["id"].(float64)
	if bytes.Contains(res.body, []byte(`\u0000`)) {
		t.Fatalf("sent %s; stored a NUL, which PostgreSQL cannot: %s", body, res.body)
	}
	switch route {
	case 0, 1:
		var in struct {
			ReferredOn haven.Date `json:"referredOn"`
			To         string     `json:"to"`
			On         haven.Date `json:"on"`
		}
		json.Unmarshal([]byte(body), &in)
		es, err := e.db.Enrolments(t.Context(), e.person.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, en := range es {
			if en.ID != int64(id) {
				continue
			}
			if route == 0 && (res.status != http.StatusCreated || en.ReferredOn != in.ReferredOn || got["referredOn"] != in.ReferredOn.String()) {
				t.Fatalf("sent %s; stored referred on %s, answered %s", body, en.ReferredOn, res.body)
			}
			if route == 1 && (string(en.Phase) != in.To || got["phase"] != in.To) {
				t.Fatalf("sent %s; stored phase %s, answered %s", body, en.Phase, res.body)
			}
			return
		}
		t.Fatalf("sent %s; answered %s, but no such enrolment is stored", body, res.body)
	case 2:
		var in struct {
			Domain, Words, Steps string
			TargetOn             haven.Date
		}
		json.Unmarshal([]byte(body), &in)
		goals, err := e.db.Goals(t.Context(), e.person.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range goals {
			if g.ID != int64(id) {
				continue
			}
			if string(g.Domain) != in.Domain || g.Words != strings.TrimSpace(in.Words) || g.Steps != in.Steps || g.TargetOn != in.TargetOn ||
				got["domain"] != in.Domain || got["words"] != g.Words || g.Progress != programme.NotStarted {
				t.Fatalf("sent %s; stored %+v, answered %s", body, g, res.body)
			}
			return
		}
		t.Fatalf("sent %s; answered %s, but no such goal is stored", body, res.body)
	case 3:
		var in struct {
			Date, Type, InitiatedBy, Note, PracticalHelp, FundCategory, Agencies string
			Minutes                                                              int
			FundPence                                                            *int64
		}
		json.Unmarshal([]byte(body), &in)
		s, err := e.db.SupportSession(t.Context(), e.person.ID, int64(id))
		if err != nil {
			t.Fatalf("sent %s; answered %s, but: %v", body, res.body, err)
		}
		var pence int64
		if in.FundPence != nil {
			pence = *in.FundPence
		}
		if s.On.String() != in.Date || string(s.Type) != in.Type || s.Minutes != in.Minutes || string(s.InitiatedBy) != in.InitiatedBy ||
			s.Note != in.Note || s.PracticalHelp != in.PracticalHelp || string(s.FundCategory) != in.FundCategory || s.Agencies != in.Agencies ||
			s.FundPence != pence {
			t.Fatalf("sent %s; stored %+v", body, s)
		}
	}
}

// FuzzAPISelfReferral posts any body to the public self-referral call. A
// refusal names its fields and stores nothing; a 201 stored the referral as
// sent (tidied as the form tidies it), unless the honeypot was filled.
func FuzzAPISelfReferral(f *testing.F) {
	for _, s := range []string{
		`{"firstName":"Robin","lastName":"Testcase","email":"robin@example.invalid","laCode":"E10000016","safeChannels":["email"],"childrenRemoved":"3+","careExperienced":"no","consent":true,"dateOfBirth":"1995-06-01"}`,
		`{"firstName":"Robin","lastName":"Testcase","phone":"07700 900123","postcode":"ls6 2ab","safeChannels":["text","text"],"noVoicemail":true,"childrenRemoved":"2","consent":true}`,
		`{"firstName":"Robin","lastName":"Testcase","phone":"07700 900123","safeChannels":["carrier-pigeon"],"childrenRemoved":"2","consent":false}`,
		`{"firstName":"Bot","lastName":"Testcase","phone":"07700 900123","childrenRemoved":"2","consent":true,"website":"http://spam.example"}`,
		`{"firstName":"","dateOfBirth":"1995-02-30","viaProfessional":true,"viaName":"  "}`,
		`{"firstName":"Robin\u0000","lastName":"Testcase","phone":"07700 900123","childrenRemoved":"1","consent":true}`,
		`{"firstName":"Robin"`, `[]`, `{"unknown":1}`, "\xff", `{"firstName":"Robin"}]`, "null",
	} {
		f.Add(s)
	}
	e := newFuzzEnv(f)
	f.Fuzz(func(t *testing.T, body string) {
		before := e.lastWrite(t)
		res := e.postJSON(t, "/api/v1/self-referrals", "", body, map[string]string{"X-Forwarded-For": e.publicAddress()})
		after := e.lastWrite(t)
		checkAPI(t, body, res, before, after)
		checkOneObject(t, body, res)
		if res.status >= 300 {
			return
		}
		var out struct {
			Reference   string `json:"reference"`
			AreaCovered bool   `json:"areaCovered"`
		}
		if res.status != http.StatusCreated || json.Unmarshal(res.body, &out) != nil || !programme.ValidReferralRef(out.Reference) {
			t.Fatalf("sent %s; answered %d %s", body, res.status, res.body)
		}
		var in struct {
			FirstName, LastName, Phone, Email, LACode, Postcode, Website string
		}
		json.Unmarshal([]byte(body), &in)
		if in.Website != "" {
			if after != before {
				t.Fatalf("the honeypot was filled, yet something was stored: %s", body)
			}
			return
		}
		if !out.AreaCovered {
			return // nobody may see a referral no Practice covers until it is assigned
		}
		for _, lead := range e.leads {
			rf, err := e.db.ReferralFor(t.Context(), lead, out.Reference)
			if err != nil {
				continue
			}
			want := programme.Referral{FirstName: in.FirstName, LastName: in.LastName, Phone: in.Phone, Email: in.Email, LACode: in.LACode, PostcodeDistrict: in.Postcode}
			want.Prepare()
			if rf.Source != programme.ReferralSelf || rf.FirstName != want.FirstName || rf.LastName != want.LastName || rf.Phone != want.Phone ||
				rf.Email != want.Email || rf.LACode != want.LACode || rf.PostcodeDistrict != want.PostcodeDistrict {
				t.Fatalf("sent %s; stored %+v", body, rf)
			}
			return
		}
		t.Fatalf("sent %s; answered %s, but no Practice has it", body, res.body)
	})
}

// FuzzReferralForms posts any form to the public self-referral and
// professional referral pages, and to the staff one.
func FuzzReferralForms(f *testing.F) {
	self := "firstName=Robin&lastName=Testcase&phone=07700+900123&postcode=LS6+2AB&safeChannels=text&noVoicemail=yes&safeTimes=Weekday+mornings&childrenRemoved=2&childrenInCare=no&consent=yes&website="
	pro := "firstName=Robin&lastName=Testcase&phone=07700+900123&postcode=LS6+2AB&safeChannels=text&childrenRemoved=2&childrenInCare=no&consent=not-asked" +
		"&referrerName=Sam+Worker&referrerOrganisation=Leeds&referrerRole=Social+worker&referrerContact=sam%40example.invalid&proceedings=2025&risks=None+known"
	for _, s := range []struct {
		route uint8
		body  string
	}{
		{0, self}, {0, self + "&dateOfBirth-day=30&dateOfBirth-month=2&dateOfBirth-year=1995"}, {0, "firstName=%ff&lastName=Testcase"},
		{0, self + "&website=spam"}, {0, "safeChannels=carrier-pigeon&via=yes"}, {0, "firstName=a%00b&%zz"},
		{1, pro}, {1, pro + "&practice=1"}, {1, "consent=yes&referrerName="}, {2, pro}, {2, pro + "&practice=99999"},
	} {
		f.Add(s.route, s.body)
	}
	e := newFuzzEnv(f)
	f.Fuzz(func(t *testing.T, route uint8, body string) {
		paths := []string{"/refer", "/refer/professional", "/referrals/new"}
		path := paths[int(route)%len(paths)]
		c := e.browser
		req, _ := http.NewRequest(http.MethodPost, e.ts.URL+path, strings.NewReader(e.withKey(body)))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if path != "/referrals/new" {
			jar, _ := cookiejar.New(nil)
			anon := *e.ts.Client()
			anon.Jar, anon.CheckRedirect = jar, noRedirect
			c = &anon
			req.Header.Set("X-Forwarded-For", e.publicAddress())
		}
		before := e.lastWrite(t)
		res := e.send(t, c, req)
		checkPage(t, path+" "+body, res, before, e.lastWrite(t))
		// A filled honeypot looks like success and stores nothing; any other "sent" must
		// have stored it, unless it repeats a key the input chose.
		v, _ := url.ParseQuery(body)
		repeat := strings.Contains(body, "idempotency_key")
		if stored := e.lastWrite(t) != before; res.status == http.StatusSeeOther && !repeat && stored != (v.Get("website") == "") {
			t.Fatalf("%s %s: answered 303; stored: %v", path, body, stored)
		}
	})
}

// FuzzRecordForms posts any form to the forms on a woman's record: sessions
// and drafts, corrections, goals and reviews, contraception and pregnancies,
// enrolments and phases, her details, the people around her, referrals out,
// a new record, allocation, transfer, partner agencies, API tokens and triage.
func FuzzRecordForms(f *testing.F) {
	for _, s := range []struct {
		route uint8
		body  string
	}{
		{0, "on-day=20&on-month=11&on-year=2026&type=home-visit&minutes=60&initiatedBy=her&note=We+talked&fundAmount=12.50&fundCategory=travel"},
		{0, "on-day=20&on-month=11&on-year=2026&type=phone&minutes=1.5&initiatedBy=her&fundAmount=00000001"},
		{0, "on-day=31&on-month=11&on-year=2026&fundCategory=travel"},
		{1, "on-day=20&note=half+written&action=draft"},
		{2, "note=Corrected+wording&reason=Typo&version=1"},
		{3, "domain=housing&words=A+flat&steps=Call&target-day=31&target-month=1&target-year=2027"},
		{3, "domain=sexual-health&words=&target-day=31&target-month=2&target-year=2027"},
		{4, "review-{goal}-on-day=20&review-{goal}-on-month=11&review-{goal}-on-year=2026&note=Going+well&progress=in-progress&version=1"},
		{4, "review-{goal}-on-day=20&progress=done&version=x"},
		{5, "method=implant&startedOn-day=1&startedOn-month=10&startedOn-year=2026&reviewOn-day=1&reviewOn-month=10&reviewOn-year=2029&service=Clinic&version=0"},
		{6, "knownOn-day=1&knownOn-month=11&knownOn-year=2026&outcome=ongoing"},
		{7, "referredOn-day=2&referredOn-month=11&referredOn-year=2026"},
		{8, "to=engaging&on-day=9&on-month=11&on-year=2026&reason=&version=1"},
		{9, "firstName=Sky&lastName=Fuzzcase&dateOfBirth-day=1&dateOfBirth-month=6&dateOfBirth-year=1995&laCode=E08000035&safeChannels=text&version=1"},
		{10, "firstName=Ash&lastName=Fuzzcase&practice=1&practitioner=0&dateOfBirth-day=29&dateOfBirth-month=2&dateOfBirth-year=2023"},
		{11, "aroundName=Jo&relationship=Sister&aroundNotes=Safe+to+call"},
		{12, "agency=1&reason=Housing+advice&sentOn-day=20&sentOn-month=11&sentOn-year=2026"},
		{0, "on-day=%ff&minutes=%zz"},
		{13, "practitioner={prac}&version=1&action=share"}, {13, "practitioner=-1&version=x"},
		{14, "practice=1&name=Housing+Advice&kind=housing&contact=01632+960000&agreement=Yes"},
		{15, "toPractice=2&note=Moving+to+Kent"}, {16, "name=Case+system&days=90"}, {16, "name=&days=366"},
		{17, "outcome=accepted&practitioner={prac}&version=1"}, {17, "outcome=declined&reason=&version=1"}, {17, "outcome=referred-on&to=&version=9"},
		{0, "on-day=20&on-month=11&on-year=2026&type=phone&minutes=5&initiatedBy=her&note=nul%00byte"},
		{11, "aroundName=Jo%00&relationship=Sister"},
	} {
		f.Add(s.route, s.body)
	}
	e := newFuzzEnv(f)
	f.Fuzz(func(t *testing.T, route uint8, body string) {
		base := "/people/" + e.person.Ref
		paths := []string{base + "/sessions", base + "/sessions/draft", base + "/sessions/{session}/corrections", base + "/plan/goals",
			base + "/plan/goals/{goal}/reviews", base + "/reproductive-health/contraception", base + "/reproductive-health/pregnancies",
			base + "/enrolments", base + "/enrolments/{enrol}/phase", base, "/people", base + "/people-around", base + "/referrals-out",
			base + "/allocation", "/agencies", base + "/transfer", "/account/tokens", "/triage/{triage}/outcome"}
		path := e.fill(paths[int(route)%len(paths)])
		before := e.lastWrite(t)
		res := e.postForm(t, e.browser, path, e.fill(body))
		checkPage(t, path+" "+body, res, before, e.lastWrite(t))
		// PostgreSQL cannot store a NUL, so no database may accept one: the
		// form is refused, 422 naming the field, or 400 for a NUL in a name (S22).
		if v, err := url.ParseQuery(body); err == nil && hasNUL(v) && res.status != http.StatusUnprocessableEntity && res.status != http.StatusBadRequest {
			t.Fatalf("%s %q: a NUL was answered %d, not 422", path, body, res.status)
		}
	})
}

// FuzzAuditSearch sends any filters to the administrator's audit search.
// Bad filters are a 422 naming the field; good ones show only matching rows.
func FuzzAuditSearch(f *testing.F) {
	for _, s := range [][5]string{
		{"", "", "", "", ""}, {"1", "person", "1", "view", "0"}, {"x", "", "", "", ""}, {"-1", "", "", "no-such", "-5"},
		{"", strings.Repeat("t", 41), "", "", ""}, {"", "", "", "", "99999999999999999999"}, {"", "\xff", "\x00", "", ""},
	} {
		f.Add(s[0], s[1], s[2], s[3], s[4])
	}
	e := newFuzzEnv(f)
	f.Fuzz(func(t *testing.T, user, recordType, recordID, action, after string) {
		q := url.Values{}
		for k, v := range map[string]string{"user": user, "type": recordType, "record": recordID, "action": action, "after": after} {
			if v != "" {
				q.Set(k, v)
			}
		}
		req, _ := http.NewRequest(http.MethodGet, e.ts.URL+"/admin/audit?"+q.Encode(), nil)
		res := e.send(t, e.admin, req)
		checkPage(t, "audit search "+q.Encode(), res, 0, 0)
		if res.status != http.StatusOK && res.status != http.StatusUnprocessableEntity {
			t.Fatalf("audit search %s: status %d", q.Encode(), res.status)
		}
		if res.status == http.StatusOK {
			if id, err := strconv.ParseInt(user, 10, 64); user != "" && (err != nil || id <= 0) {
				t.Fatalf("audit search accepted user %q", user)
			}
			// What PostgreSQL cannot compare must be refused on every database.
			for _, v := range []string{recordType, recordID, action} {
				if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
					t.Fatalf("audit search accepted the filter %q", v)
				}
			}
		}
	})
}

// FuzzPeopleSearch sends any search by the people page's form and by the
// API. What is refused names the search box; what is found matches the term
// by name or reference; and the woman the term names is found.
func FuzzPeopleSearch(f *testing.F) {
	for _, s := range []struct {
		route    uint8
		q, after string
		limit    int
	}{
		{0, "fuzzcase", "", 0}, {1, "  Sky   FUZZ ", "0", 500}, {0, "x", "", 0}, {1, "ab", "-1", 0}, {0, "%_", "99999999999999999999", 0},
		{1, "a\x00b", "", 0}, {0, "\xff", "", 0}, {1, "{ref}", "", 1}, {1, "sky", "", 501}, {0, strings.Repeat("é", 101), "", 0},
	} {
		f.Add(s.route, s.q, s.after, s.limit)
	}
	e := newFuzzEnv(f)
	f.Fuzz(func(t *testing.T, route uint8, q, after string, limit int) {
		q = e.fill(q)
		term, termErr := programme.SearchTerm(q)
		if route%2 == 0 {
			res := e.postForm(t, e.browser, "/people/search", url.Values{"q": {q}, "after": {after}}.Encode())
			checkPage(t, "search "+q, res, 0, 0)
			if res.status == http.StatusOK && termErr != nil || res.status == http.StatusUnprocessableEntity && termErr == nil {
				t.Fatalf("search %q: status %d, but SearchTerm says %v", q, res.status, termErr)
			}
			if res.status == http.StatusUnprocessableEntity && !bytes.Contains(res.body, []byte(`href="#q"`)) {
				t.Fatalf("search %q refused without naming the search box", q)
			}
			return
		}
		body, _ := json.Marshal(map[string]any{"query": q, "after": after, "limit": limit})
		res := e.postJSON(t, "/api/v1/people/search", e.lead.APIToken, string(body), nil)
		checkAPI(t, "search "+string(body), res, 0, 0)
		if res.status != http.StatusOK {
			return
		}
		var sent struct{ Query string } // JSON carries q with each byte that is not UTF-8 as U+FFFD
		json.Unmarshal(body, &sent)
		if term, termErr = programme.SearchTerm(sent.Query); termErr != nil {
			t.Fatalf("search %s: 200, but SearchTerm says %v", body, termErr)
		}
		var out struct {
			People []struct{ Ref, FirstName, LastName, PreferredName string }
		}
		if err := json.Unmarshal(res.body, &out); err != nil {
			t.Fatalf("search %s: %v", body, err)
		}
		found := false
		for _, p := range out.People {
			names := []string{p.FirstName, p.LastName, p.PreferredName, p.FirstName + " " + p.LastName}
			if p.Ref != term && !slices.ContainsFunc(names, func(n string) bool { return strings.Contains(strings.ToLower(n), term) }) {
				t.Fatalf("search %q found %+v, which does not match", term, p)
			}
			found = found || p.Ref == e.person.Ref
		}
		pageSize := limit
		if pageSize == 0 {
			pageSize = 100
		}
		named := term == e.person.Ref || strings.Contains("sky fuzzcase", term)
		if named && (after == "" || after == "0") && len(out.People) < pageSize && !found {
			t.Fatalf("search %q did not find Sky Fuzzcase", term)
		}
	})
}

// FuzzAdminForms posts any form to the administrator's account forms:
// inviting a user and adding or removing a role.
func FuzzAdminForms(f *testing.F) {
	for _, s := range []struct {
		route uint8
		body  string
	}{
		{0, "email=new.user%40example.invalid&name=New+User&role=practitioner&tenant=practice:demo-riverside"},
		{0, "email=not-an-email&name=&role=king&tenant=nowhere"}, {0, "email=a%40b&role=admin&tenant=organisation:"},
		{1, "role=practice-lead&tenant=practice:demo-hillcrest"}, {1, "role=&tenant=:"},
		{2, "role=practitioner&tenant=practice:demo-riverside"}, {2, "role=practitioner&tenant=practice:%ff"},
	} {
		f.Add(s.route, s.body)
	}
	e := newFuzzEnv(f)
	f.Fuzz(func(t *testing.T, route uint8, body string) {
		paths := []string{"/admin/users", "/admin/users/{prac}/roles", "/admin/users/{prac}/roles/remove"}
		path := e.fill(paths[int(route)%len(paths)])
		before := e.lastWrite(t)
		res := e.postForm(t, e.admin, path, e.fill(body))
		checkPage(t, path+" "+body, res, before, e.lastWrite(t))
	})
}
