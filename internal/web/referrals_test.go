package web_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/demo"
	"haven/internal/haven"
	"haven/internal/programme"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// selfForm is a complete self-referral from Leeds, which Riverside covers.
func selfForm(first string) url.Values {
	return url.Values{"firstName": {first}, "lastName": {"Testcase"}, "phone": {"07700 900123"}, "postcode": {"LS6 2AB"},
		"safeChannels": {"text"}, "noVoicemail": {"yes"}, "safeTimes": {"Weekday mornings"}, "childrenRemoved": {"2"},
		"childrenInCare": {"no"}, "consent": {"yes"}, "website": {""}}
}

// proForm is a complete professional referral from Leeds.
func proForm(first string) url.Values {
	v := selfForm(first)
	v.Del("consent")
	for k, x := range map[string]string{"referrerName": "Sam Worker", "referrerOrganisation": "Leeds Children's Services (test)",
		"referrerRole": "Social worker", "referrerContact": "sam.worker@example.invalid", "consent": "not-asked",
		"proceedings": "Second child removed in 2025", "risks": "Former partner checks her phone"} {
		v.Set(k, x)
	}
	return v
}

var referenceShown = regexp.MustCompile(`<strong>(HVN-[A-Z2-7]{4}-[A-Z2-7]{4})</strong>`)

// queueFor returns the first names in a lead's triage queue.
func queueFor(t *testing.T, db *store.DB, userID int64) map[string]programme.Referral {
	t.Helper()
	q, err := db.TriageQueue(t.Context(), mustActor(t, db, userID))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]programme.Referral{}
	for _, r := range q {
		out[r.FirstName] = r
	}
	return out
}

func referralRows(t *testing.T, db *store.DB, action string) int {
	t.Helper()
	evs, err := db.SearchAudit(t.Context(), store.AuditFilter{RecordType: "referral", Action: action, Page: store.Page{Limit: 500}})
	if err != nil {
		t.Fatal(err)
	}
	return len(evs)
}

// A self-referral lands in the queue of the Practice covering her area, and
// the reference reaches her through a one-time cookie, never the URL.
func TestSelfReferralLandsInTheRightQueue(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		c := f.browser()
		form := send(t, c, "GET", f.ts.URL+"/refer", nil)
		for _, want := range []string{`name="website"`, `tabindex="-1"`, `autocomplete="off"`, "Leave this empty", `href="/privacy"`, "Exit this page", `name="postcode"`} {
			if form.status != 200 || !strings.Contains(form.body, want) {
				t.Errorf("self-referral form: %d, lacks %s", form.status, want)
			}
		}
		res := send(t, c, "POST", f.ts.URL+"/refer", selfForm("Marigold"))
		if res.status != 303 || res.header.Get("Location") != "/refer/done" {
			t.Fatalf("send: %d to %q\n%s", res.status, res.header.Get("Location"), res.body)
		}
		done := send(t, c, "GET", f.ts.URL+"/refer/done", nil)
		ref := referenceShown.FindStringSubmatch(done.body)
		if done.status != 200 || ref == nil || !strings.Contains(done.body, "What happens next") || !strings.Contains(done.body, "govuk-panel--confirmation") {
			t.Fatalf("done page: %d, reference shown: %v", done.status, ref != nil)
		}
		if again := send(t, c, "GET", f.ts.URL+"/refer/done", nil); again.status != 303 || strings.Contains(again.body, ref[1]) {
			t.Errorf("the reference was shown twice: %d", again.status)
		}
		river := queueFor(t, db, f.riverLead.UserID)
		if r, ok := river["Marigold"]; !ok || r.Ref != ref[1] || r.LACode != "E08000035" || r.PostcodeDistrict != "LS6" || !r.Contact.NoVoicemail {
			t.Errorf("Riverside's queue: %+v", river["Marigold"])
		}
		if _, ok := queueFor(t, db, f.otherLead.UserID)["Marigold"]; ok {
			t.Error("the referral reached Hillcrest's queue too")
		}

		// From an area no Practice covers: still thanked, honestly, with a reference.
		before := referralRows(t, db, "create")
		m := selfForm("Juniper")
		m.Set("postcode", "M1")
		if res := send(t, c, "POST", f.ts.URL+"/refer", m); res.status != 303 {
			t.Fatalf("send from Manchester: %d", res.status)
		}
		done = send(t, c, "GET", f.ts.URL+"/refer/done", nil)
		if !strings.Contains(done.body, "No Practice covers your area yet") || referenceShown.FindString(done.body) == "" {
			t.Errorf("done page for an area with no Practice does not say so, or gives no reference")
		}
		if referralRows(t, db, "create") != before+1 {
			t.Error("the referral from an area with no Practice was not kept")
		}
	})
}

// A filled honeypot gets the same answer as a person, and nothing is stored.
func TestReferralHoneypot(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newAuthEnv(t, db)
		strip := func(s string) string {
			return referenceShown.ReplaceAllString(regexp.MustCompile(`Reference: <strong>[^<]*</strong>`).ReplaceAllString(s, ""), "")
		}
		var pages []response
		for _, website := range []string{"", "https://spam.example"} {
			c := e.browser()
			form := selfForm("Heather")
			form.Set("website", website)
			before := referralRows(t, db, "create")
			res := send(t, c, "POST", e.ts.URL+"/refer", form)
			if res.status != 303 || res.header.Get("Location") != "/refer/done" {
				t.Fatalf("website %q: %d to %q", website, res.status, res.header.Get("Location"))
			}
			pages = append(pages, send(t, c, "GET", e.ts.URL+"/refer/done", nil))
			stored := referralRows(t, db, "create") - before
			if want := map[bool]int{true: 1, false: 0}[website == ""]; stored != want {
				t.Errorf("website %q: %d referrals stored, want %d", website, stored, want)
			}
		}
		if pages[0].status != pages[1].status || strip(pages[0].body) != strip(pages[1].body) || referenceShown.FindString(pages[1].body) == "" {
			t.Error("the honeypot's answer differs from a person's")
		}
		if !strings.Contains(e.logs.String(), "referral_honeypot") || strings.Contains(e.logs.String(), "Heather") {
			t.Error("the honeypot is not logged, or the log carries what was typed")
		}
	})
}

// Public referrals are limited per address with a clear 429 that keeps what
// was typed; the limit runs out by itself. The API shares it.
func TestReferralRateLimit(t *testing.T) {
	e := newAuthEnv(t, storetest.SQLite(t))
	c := e.browser()
	var last response
	n := 0
	for n = 1; n <= 20; n++ {
		last = send(t, c, "POST", e.ts.URL+"/refer", selfForm("Rosehip"))
		if last.status != 303 {
			break
		}
	}
	if n < 10 || last.status != 429 {
		t.Fatalf("referral %d: %d, want 429 after at least 10", n, last.status)
	}
	if !strings.Contains(last.body, "Wait 1 minute") || !strings.Contains(last.body, `value="Rosehip"`) || last.header.Get("Retry-After") == "" {
		t.Errorf("429 page does not explain, keep the form, or set Retry-After")
	}
	if status, body := postJSON(t, e, "/api/v1/self-referrals", apiSelf("Rosehip")); status != 429 || body["code"] != "too_many_requests" {
		t.Errorf("API while limited: %d %v", status, body)
	}
	e.clock.Add(2 * time.Minute)
	if res := send(t, c, "POST", e.ts.URL+"/refer", selfForm("Rosehip")); res.status != 303 {
		t.Errorf("after the wait: %d, want 303", res.status)
	}
}

// Bad input is refused with a GOV.UK error summary, keeping what was typed.
func TestReferralFormKeepsInput(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		e := newAuthEnv(t, db)
		before := referralRows(t, db, "create")
		tests := []struct {
			name   string
			path   string
			change func(url.Values)
			status int
			want   []string
		}{
			{"no consent", "/refer", func(v url.Values) { v.Del("consent") }, 422, []string{`href="#consent"`, "Tick the box", `value="Testcase"`}},
			{"a name too long", "/refer", func(v url.Values) { v.Set("firstName", strings.Repeat("Ā", 101)) }, 422, []string{"100 characters or fewer", strings.Repeat("Ā", 101)}},
			{"invalid UTF-8", "/refer", func(v url.Values) { v.Set("lastName", "Test\xffcase") }, 422, []string{`href="#lastName"`, "characters Haven cannot read", "Test\uFFFDcase"}},
			{"a control character", "/refer", func(v url.Values) { v.Set("lastName", "Test\x1bcase") }, 422, []string{"control characters"}},
			{"an unknown postcode district", "/refer", func(v url.Values) { v.Set("postcode", "ZZ9") }, 422, []string{`href="#postcode"`, `value="ZZ9"`}},
			{"no way to contact her", "/refer", func(v url.Values) { v.Del("phone"); v.Del("safeChannels") }, 422, []string{`href="#phone"`}},
			{"safe times too long", "/refer", func(v url.Values) { v.Set("safeTimes", strings.Repeat("x", 501)) }, 422, []string{"500 characters or fewer"}},
			{"the honeypot does not hide a bad form", "/refer", func(v url.Values) { v.Set("website", "x"); v.Del("consent") }, 422, []string{"Tick the box"}},
			{"she has said no", "/refer/professional", func(v url.Values) { v.Set("consent", "declined") }, 422, []string{"She has said no to this referral", `value="Sam Worker"`}},
			{"no referrer", "/refer/professional", func(v url.Values) { v.Del("referrerName") }, 422, []string{`href="#referrerName"`, "Enter your name"}},
			{"a body over 1 MiB", "/refer", func(v url.Values) { v.Set("situation", strings.Repeat("x", 1<<20)) }, 413, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				v := selfForm("Robin")
				if strings.HasSuffix(tt.path, "professional") {
					v = proForm("Robin")
				}
				tt.change(v)
				res := send(t, e.browser(), "POST", e.ts.URL+tt.path, v)
				if res.status != tt.status {
					t.Fatalf("status %d, want %d", res.status, tt.status)
				}
				if tt.status == 422 && (!strings.Contains(res.body, "govuk-error-summary") || (v.Get("firstName") == "Robin" && !strings.Contains(res.body, `value="Robin"`))) {
					t.Error("no error summary, or the name typed was lost")
				}
				for _, w := range tt.want {
					if !strings.Contains(res.body, w) {
						t.Errorf("page lacks %q", w)
					}
				}
			})
		}
		if referralRows(t, db, "create") != before {
			t.Error("a bad referral was stored")
		}
	})
}

// Staff refer into one of their own Practices; a practitioner cannot triage,
// so they are thanked; a lead goes straight to the referral.
func TestStaffReferral(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		prac := f.signIn(t, f.allocated)
		if res := send(t, prac, "GET", f.ts.URL+"/referrals/new", nil); res.status != 200 || !strings.Contains(res.body, `name="practice"`) || strings.Contains(res.body, `name="website"`) {
			t.Fatalf("staff form: %d", res.status)
		}
		v := proForm("Saffron")
		v.Set("practice", itoa(f.hillcrest.PracticeID))
		if res := send(t, prac, "POST", f.ts.URL+"/referrals/new", v); res.status != 422 || !strings.Contains(res.body, "Choose a Practice you work in") {
			t.Errorf("referring into another Practice: %d", res.status)
		}
		v.Set("practice", itoa(f.person.PracticeID))
		if res := send(t, prac, "POST", f.ts.URL+"/referrals/new", v); res.status != 303 || res.header.Get("Location") != "/refer/done" {
			t.Fatalf("practitioner's referral: %d to %q", res.status, res.header.Get("Location"))
		}
		r, ok := queueFor(t, db, f.riverLead.UserID)["Saffron"]
		if !ok || r.EnteredBy != f.allocated.UserID || r.Source != programme.ReferralProfessional || r.Risks == "" {
			t.Errorf("the practitioner's referral in the queue: %+v", r)
		}
		lead := f.signIn(t, f.riverLead)
		res := send(t, lead, "POST", f.ts.URL+"/referrals/new", proForm("Tansy"))
		if res.status != 303 || !strings.HasPrefix(res.header.Get("Location"), "/triage/HVN-") {
			t.Errorf("lead's referral: %d to %q", res.status, res.header.Get("Location"))
		}
		if res := send(t, f.signIn(t, f.account(access.RoleAdmin)), "GET", f.ts.URL+"/referrals/new", nil); res.status != 403 {
			t.Errorf("administrator: %d, want 403", res.status)
		}
	})
}

// A Practice's referrals are for its lead and co-ordinator only: another
// Practice's lead, and a practitioner, get 404 on a referral, and every
// successful view, in the page or the API, is audited before it is sent.
func TestTriageIsolationAndAudit(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		var rf programme.Referral
		for _, r := range queueFor(t, db, f.riverLead.UserID) {
			rf = r
		}
		if rf.Ref == "" {
			t.Fatal("the demo gave Riverside no referrals")
		}
		views := func() int {
			evs, _ := db.SearchAudit(t.Context(), store.AuditFilter{RecordType: "referral", RecordID: itoa(rf.ID), Action: "view", Page: store.Page{Limit: 500}})
			return len(evs)
		}
		before := views()
		who := map[string]struct {
			a           demo.Account
			queue, page int
		}{
			"riverside lead":         {f.riverLead, 200, 200},
			"riverside co-ordinator": {f.riverCoord, 200, 200},
			"hillcrest lead":         {f.otherLead, 200, 404},
			"allocated practitioner": {f.allocated, 403, 404},
			"admin":                  {f.account(access.RoleAdmin), 403, 404},
		}
		ok := 0
		for name, w := range who {
			c := f.signIn(t, w.a)
			q := send(t, c, "GET", f.ts.URL+"/triage", nil)
			if q.status != w.queue || (q.status == 200 && strings.Contains(q.body, rf.Ref) != (w.page == 200)) {
				t.Errorf("%s: queue %d, shows the Riverside referral: %v", name, q.status, strings.Contains(q.body, rf.Ref))
			}
			p := send(t, c, "GET", f.ts.URL+"/triage/"+rf.Ref, nil)
			if p.status != w.page || (p.status != 200 && strings.Contains(p.body, rf.LastName)) {
				t.Errorf("%s: referral page %d, want %d", name, p.status, w.page)
			}
			if p.status == 200 {
				ok++
				if !strings.Contains(p.body, "advice") || !strings.Contains(p.body, "Possible matches") {
					t.Errorf("%s: the page lacks the screen or the duplicate check", name)
				}
			}
			status, _ := getJSON(t, f.authEnv, "/api/v1/referrals/"+rf.Ref, w.a.APIToken)
			if status != w.page {
				t.Errorf("%s: API referral %d, want %d", name, status, w.page)
			} else if status == 200 {
				ok++
			}
		}
		if got := views() - before; got != ok {
			t.Errorf("%d view rows for %d successful views", got, ok)
		}
		c := f.signIn(t, f.riverLead)
		for _, path := range []string{"/triage/HVN-AAAA-AAAA", "/triage/not-a-reference", "/triage/" + strings.ToLower(rf.Ref)} {
			if res := send(t, c, "GET", f.ts.URL+path, nil); res.status != 404 {
				t.Errorf("%s: %d, want 404", path, res.status)
			}
		}
		lists, _ := db.SearchAudit(t.Context(), store.AuditFilter{RecordType: "referral", Action: "view", UserID: f.riverLead.UserID, Page: store.Page{Limit: 500}})
		listed := false
		for _, e := range lists {
			listed = listed || e.Section == "list"
		}
		if !listed {
			t.Error("viewing the queue was not audited")
		}
	})
}

// The duplicate check finds a woman the Practice already knows, links to her
// record, and audits that her details were shown.
func TestTriageDuplicateCheck(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		c := f.signIn(t, f.riverCoord)
		// The demo has a re-referral of a woman Riverside has worked with.
		people, _ := db.PeopleFor(t.Context(), mustActor(t, db, f.riverLead.UserID), store.Page{})
		found := false
		for _, r := range queueFor(t, db, f.riverLead.UserID) {
			for _, p := range people {
				if r.PossibleMatch(p) {
					res := send(t, c, "GET", f.ts.URL+"/triage/"+r.Ref, nil)
					found = found || strings.Contains(res.body, `href="/people/`+p.Ref+`"`)
				}
			}
		}
		if !found {
			t.Error("no demo referral links to the demo woman it matches")
		}
		// Same last name and date of birth, another first name.
		ref := programme.Referral{Source: programme.ReferralSelf, FirstName: "Different", LastName: f.person.LastName, DateOfBirth: f.person.DateOfBirth,
			Phone: "07700 900555", LACode: "E08000035", ChildrenRemoved: programme.RemovedOne, Consent: programme.ConsentGiven}
		made, err := db.CreateReferral(t.Context(), audit.Event{}, nil, ref)
		if err != nil {
			t.Fatal(err)
		}
		shown := func() int {
			evs, _ := db.SearchAudit(t.Context(), store.AuditFilter{RecordType: "person", RecordID: itoa(f.person.ID), Action: "view", Page: store.Page{Limit: 500}})
			n := 0
			for _, e := range evs {
				if e.Section == "duplicate-check" {
					n++
				}
			}
			return n
		}
		before := shown()
		res := send(t, c, "GET", f.ts.URL+"/triage/"+made.Ref, nil)
		if res.status != 200 || !strings.Contains(res.body, `href="/people/`+f.person.Ref+`"`) {
			t.Errorf("the duplicate check missed %s %s", f.person.FirstName, f.person.LastName)
		}
		if shown() != before+1 {
			t.Error("showing her as a possible match was not audited")
		}
		if strings.Contains(res.body, f.hillcrest.Ref) {
			t.Error("the duplicate check looked in another Practice")
		}
	})
}

// Accepting a referral makes her record and her enrolment, referred on the
// day the referral arrived, and links the two.
func TestTriageAccept(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		c := f.signIn(t, f.riverLead)
		rf := queueFor(t, db, f.riverLead.UserID)["Amber"]
		page := send(t, c, "GET", f.ts.URL+"/triage/"+rf.Ref, nil)
		if page.status != 200 || !strings.Contains(page.body, "Do not leave a voicemail") || !strings.Contains(page.body, "Two or more children removed") {
			t.Fatalf("referral page: %d", page.status)
		}
		res := send(t, c, "POST", f.ts.URL+"/triage/"+rf.Ref+"/outcome", url.Values{"version": {itoa(rf.Version)}, "outcome": {"accepted"}, "practitioner": {itoa(f.allocated.UserID)}})
		if res.status != 303 || !strings.HasPrefix(res.header.Get("Location"), "/people/") {
			t.Fatalf("accept: %d to %q\n%s", res.status, res.header.Get("Location"), res.body)
		}
		personRef := strings.TrimPrefix(res.header.Get("Location"), "/people/")
		p, _, err := db.PersonFor(t.Context(), mustActor(t, db, f.riverLead.UserID), personRef)
		if err != nil || p.FirstName != "Amber" || p.PractitionerID != f.allocated.UserID || p.PracticeID != rf.PracticeID || p.CareExperienced != programme.AnswerYes {
			t.Fatalf("her record: %+v, %v", p, err)
		}
		es, _ := db.Enrolments(t.Context(), p.ID)
		received := rf.ReceivedAt.In(mustLondon(t))
		if len(es) != 1 || es[0].ReferredOn != haven.NewDate(received.Year(), received.Month(), received.Day()) {
			t.Errorf("enrolments %+v, want one referred on %s", es, received.Format(time.DateOnly))
		}
		after := send(t, c, "GET", f.ts.URL+"/triage/"+rf.Ref, nil)
		if !strings.Contains(after.body, `href="/people/`+personRef+`"`) || strings.Contains(after.body, `name="outcome"`) {
			t.Error("the accepted referral does not link to her record, or still offers a decision")
		}
		if _, ok := queueFor(t, db, f.riverLead.UserID)["Amber"]; ok {
			t.Error("the accepted referral is still queued")
		}
		if res := send(t, c, "GET", f.ts.URL+"/people/"+personRef, nil); res.status != 200 || !strings.Contains(res.body, "Referred") {
			t.Errorf("her record: %d", res.status)
		}
	})
}

// A decision made from a stale page is refused with 409, keeps what was typed,
// and changes nothing; a declined referral needs a reason.
func TestTriageStaleOutcome(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		lead, coord := f.signIn(t, f.riverLead), f.signIn(t, f.riverCoord)
		rf := queueFor(t, db, f.riverLead.UserID)["Brooke"]
		post := func(c *http.Client, v url.Values) response {
			return send(t, c, "POST", f.ts.URL+"/triage/"+rf.Ref+"/outcome", v)
		}
		v := itoa(rf.Version)
		if res := post(lead, url.Values{"version": {v}, "outcome": {"declined"}, "reason": {"  "}}); res.status != 422 || !strings.Contains(res.body, `href="#reason"`) {
			t.Errorf("decline without a reason: %d", res.status)
		}
		if res := post(lead, url.Values{"version": {v}, "outcome": {"referred-on"}}); res.status != 422 || !strings.Contains(res.body, "Enter who she is referred on to") {
			t.Errorf("refer on without saying to whom: %d", res.status)
		}
		if res := post(lead, url.Values{"version": {v}, "outcome": {"waiting-list"}}); res.status != 303 {
			t.Fatalf("waiting list: %d", res.status)
		}
		res := post(coord, url.Values{"version": {v}, "outcome": {"declined"}, "reason": {"Typed before the page changed"}})
		if res.status != 409 || !strings.Contains(res.body, "Someone else recorded an outcome") || !strings.Contains(res.body, "Typed before the page changed") ||
			!strings.Contains(res.body, `value="`+itoa(rf.Version+1)+`"`) {
			t.Errorf("stale decision: %d, want 409 keeping the reason and offering the new version", res.status)
		}
		if got := queueFor(t, db, f.riverLead.UserID)["Brooke"]; got.Status != programme.ReferralWaiting {
			t.Errorf("after the stale decision the referral is %s", got.Status)
		}
		if res := post(coord, url.Values{"version": {itoa(rf.Version + 1)}, "outcome": {"declined"}, "reason": {"She has moved away"}}); res.status != 303 {
			t.Fatalf("decline: %d", res.status)
		}
		if res := post(lead, url.Values{"version": {itoa(rf.Version + 1)}, "outcome": {"accepted"}}); res.status != 409 {
			t.Errorf("accepting a declined referral: %d, want 409", res.status)
		}
		page := send(t, lead, "GET", f.ts.URL+"/triage/"+rf.Ref, nil)
		if !strings.Contains(page.body, "She has moved away") || !strings.Contains(page.body, "Decided by") {
			t.Error("the decision is not shown")
		}
	})
}

func apiSelf(first string) map[string]any {
	return map[string]any{"firstName": first, "lastName": "Testcase", "email": "robin@example.invalid", "laCode": "E10000016",
		"safeChannels": []string{"email"}, "childrenRemoved": "3+", "careExperienced": "no", "consent": true, "dateOfBirth": "1995-06-01"}
}

func postJSON(t *testing.T, e *authEnv, path string, body any) (int, map[string]any) {
	t.Helper()
	b, _ := json.Marshal(body)
	return callJSON(t, e, "POST", path, strings.NewReader(string(b)), "")
}

func getJSON(t *testing.T, e *authEnv, path, token string) (int, map[string]any) {
	t.Helper()
	return callJSON(t, e, "GET", path, nil, token)
}

func callJSON(t *testing.T, e *authEnv, method, path string, body io.Reader, token string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, e.ts.URL+path, body)
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := e.ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		t.Fatalf("%s %s: not JSON: %v", method, path, err)
	}
	return res.StatusCode, out
}

// The API takes self-referrals with the same rules, limits and honeypot, and
// gives triagers their queue.
func TestAPISelfReferral(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		status, body := postJSON(t, f.authEnv, "/api/v1/self-referrals", apiSelf("Clementine"))
		if status != 201 || !programme.ValidReferralRef(body["reference"].(string)) || body["areaCovered"] != true {
			t.Fatalf("self-referral: %d %v", status, body)
		}
		r, ok := queueFor(t, db, f.otherLead.UserID)["Clementine"]
		if !ok || r.Ref != body["reference"] || r.ChildrenRemoved != programme.RemovedThreeOrMore || r.DateOfBirth != haven.NewDate(1995, 6, 1) {
			t.Errorf("Hillcrest's queue: %+v", r)
		}

		bad := apiSelf("")
		bad["consent"], bad["dateOfBirth"], bad["postcode"] = false, "1 June 1995", "ZZ9"
		status, body = postJSON(t, f.authEnv, "/api/v1/self-referrals", bad)
		fields, _ := body["fields"].(map[string]any)
		if status != 422 || body["code"] != "invalid" || fields["consent"] == nil || fields["firstName"] == nil || fields["dateOfBirth"] == nil || fields["postcode"] == nil {
			t.Errorf("invalid self-referral: %d %v", status, body)
		}

		before := referralRows(t, db, "create")
		spam := apiSelf("Spammy")
		spam["website"] = "https://spam.example"
		if status, body := postJSON(t, f.authEnv, "/api/v1/self-referrals", spam); status != 201 || !programme.ValidReferralRef(body["reference"].(string)) {
			t.Errorf("honeypot: %d %v, want the same 201 as a person", status, body)
		}
		if referralRows(t, db, "create") != before {
			t.Error("the honeypot's referral was stored")
		}
		for name, raw := range map[string]string{"unknown field": `{"firstName":"A","shoeSize":5}`, "not JSON": `firstName=A`, "two objects": `{}{}`} {
			if status, body := callJSON(t, f.authEnv, "POST", "/api/v1/self-referrals", strings.NewReader(raw), ""); status != 400 || body["code"] != "bad_request" {
				t.Errorf("%s: %d %v, want 400", name, status, body)
			}
		}
		// S22: invalid UTF-8 is a 422 naming the field, not silently U+FFFD (TestS22TextFieldsRefuseControlsOnEveryAPI has the rest).
		if status, body := callJSON(t, f.authEnv, "POST", "/api/v1/self-referrals", strings.NewReader("{\"firstName\":\"\xff\"}"), ""); status != 422 || !strings.HasPrefix(fieldsOf(body)["firstName"], "firstName contains characters") {
			t.Errorf("invalid UTF-8: %d %v, want 422 naming firstName", status, body)
		}

		status, body = getJSON(t, f.authEnv, "/api/v1/referrals", f.otherLead.APIToken)
		list, _ := body["referrals"].([]any)
		found := false
		for _, x := range list {
			found = found || x.(map[string]any)["firstName"] == "Clementine"
		}
		if status != 200 || !found {
			t.Errorf("Hillcrest's queue through the API: %d, has the referral: %v", status, found)
		}
		status, body = getJSON(t, f.authEnv, "/api/v1/referrals/"+r.Ref, f.otherLead.APIToken)
		if status != 200 || body["email"] != "robin@example.invalid" || body["safeContact"].(map[string]any)["channels"].([]any)[0] != "email" {
			t.Errorf("one referral through the API: %d %v", status, body)
		}
		if status, _ := getJSON(t, f.authEnv, "/api/v1/referrals", f.allocated.APIToken); status != 403 {
			t.Errorf("a practitioner's queue: %d, want 403", status)
		}
		if status, _ := getJSON(t, f.authEnv, "/api/v1/referrals/"+r.Ref, f.riverLead.APIToken); status != 404 {
			t.Errorf("another Practice's referral through the API: %d, want 404", status)
		}
	})
}

func mustLondon(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
