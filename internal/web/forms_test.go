package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"haven/internal/audit"
	"haven/internal/contact"
	"haven/internal/haven"
	"haven/internal/programme"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// dateValues is a GOV.UK date input's three parts.
func dateValues(v url.Values, name string, d, m, y string) url.Values {
	v.Set(name+"-day", d)
	v.Set(name+"-month", m)
	v.Set(name+"-year", y)
	return v
}

// Dates that make no sense are refused on every form and the JSON API: a
// 422 whose message names the field as its label does, and nothing saved.
// The fixture's clock is 23 November 2026.
func TestDatesThatMakeNoSenseAreRefused(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.freshPerson(t)
		ctx := t.Context()
		prac, lead, public := f.signIn(t, f.allocated), f.signIn(t, f.riverLead), f.browser()
		base := f.ts.URL + "/people/" + f.person.Ref
		leadActor := mustActor(t, db, f.riverLead.UserID)

		agencies, err := db.Agencies(ctx, f.person.PracticeID)
		if err != nil || len(agencies) == 0 {
			t.Fatalf("no agencies: %v", err)
		}
		out, err := db.SendReferralOut(ctx, audit.Event{}, f.person, agencies[0].ID, "Housing advice", haven.NewDate(2026, 11, 2))
		if err != nil {
			t.Fatal(err)
		}
		child, err := db.CreateChild(ctx, audit.Event{}, contact.Child{PersonID: f.person.ID, Name: "Jay", BornOn: haven.NewDate(2020, 5, 1), LegalStatus: "care-order", Placement: "foster-care"}, 0, haven.NewDate(2026, 11, 23))
		if err != nil {
			t.Fatal(err)
		}
		goal, err := db.CreateGoal(ctx, audit.Event{}, programme.Goal{PersonID: f.person.ID, Domain: programme.DomainHousing, Words: "A flat", Progress: programme.NotStarted}, 0, haven.Date{})
		if err != nil {
			t.Fatal(err)
		}
		count := map[string]func() int{
			"goals": func() int { g, _ := db.Goals(ctx, f.person.ID, true); return len(g) },
			"reviews": func() int {
				g, _ := db.Goals(ctx, f.person.ID, true)
				n := 0
				for _, x := range g {
					n += len(x.Reviews)
				}
				return n
			},
			"sessions":     func() int { s, _ := db.SupportSessions(ctx, f.person.ID); return len(s) },
			"arrangements": func() int { r, _ := db.Contact(ctx, f.person.ID); return len(r.Arrangements) },
			"placements": func() int {
				r, _ := db.Contact(ctx, f.person.ID)
				n := 0
				for _, c := range r.Children {
					n += len(c.Placements)
				}
				return n
			},
			"people":      func() int { p, _ := db.PeopleFor(ctx, leadActor, store.Page{Limit: 500}); return len(p) },
			"referrals":   func() int { r, _ := db.TriageQueue(ctx, leadActor); return len(r) },
			"pregnancies": func() int { p, _ := db.Pregnancies(ctx, f.person.ID); return len(p) },
			"contraception": func() int {
				_, ok, _ := db.Contraception(ctx, f.person.ID)
				return map[bool]int{true: 1}[ok]
			},
			"referral out moved": func() int {
				r, _ := db.ReferralsOut(ctx, f.person.ID)
				return map[bool]int{true: 1}[len(r) > 0 && r[0].Status != programme.OutSent]
			},
		}
		self := selfForm("Clover")
		tests := []struct {
			name   string
			client *http.Client
			path   string
			form   url.Values
			counts string
			want   string
		}{
			{"goal target passed", prac, base + "/plan/goals", dateValues(url.Values{"domain": {"housing"}, "words": {"A flat"}}, "target", "22", "11", "2026"),
				"goals", "Target date must be today or in the future"},
			{"goal review tomorrow", prac, base + "/plan/goals/" + itoa(goal.ID) + "/reviews",
				dateValues(url.Values{"version": {"1"}, "note": {"Went well"}, "progress": {"in-progress"}}, "review-"+itoa(goal.ID)+"-on", "24", "11", "2026"),
				"reviews", "Date of the review must be today or in the past"},
			{"session tomorrow", prac, base + "/sessions", sessionValues("24", "A note"), "sessions", "Date of the session must be today or in the past"},
			{"referral out step tomorrow", prac, base + "/referrals-out/" + itoa(out.ID),
				dateValues(url.Values{"version": {"1"}, "status": {"accepted"}}, "move-"+itoa(out.ID)+"-on", "24", "11", "2026"),
				"referral out moved", "Date of this step must be today or in the past"},
			{"person aged 109", lead, f.ts.URL + "/people", dateValues(url.Values{"firstName": {"Ivy"}, "lastName": {"Oldcase"}, "practice": {itoa(f.person.PracticeID)}}, "dateOfBirth", "1", "1", "1917"),
				"people", "Date of birth must be on or after 24 November 1925"},
			{"person aged 9", lead, f.ts.URL + "/people", dateValues(url.Values{"firstName": {"Ivy"}, "lastName": {"Youngcase"}, "practice": {itoa(f.person.PracticeID)}}, "dateOfBirth", "1", "1", "2017"),
				"people", "Date of birth must be on or before 23 November 2012"},
			{"self-referral aged 9", public, f.ts.URL + "/refer", dateValues(self, "dateOfBirth", "1", "1", "2017"),
				"referrals", "Date of birth must be on or before 23 November 2012"},
			{"self-referral aged 109", public, f.ts.URL + "/refer", dateValues(selfForm("Clover"), "dateOfBirth", "1", "1", "1917"),
				"referrals", "Date of birth must be on or after 24 November 1925"},
			{"arrangement before the child was born", prac, base + "/contact/arrangements",
				dateValues(url.Values{"child": {itoa(child.ID)}, "type": {"letterbox"}, "frequency": {"Once a year"}, "arrangedBy": {"local-authority"}, "basis": {"care-plan"}}, "start", "1", "1", "2019"),
				"arrangements", "Start date must be on or after Jay&#39;s date of birth"},
			{"child moved before birth", prac, base + "/contact/children/" + itoa(child.ID),
				dateValues(url.Values{"version": {"1"}, "legalStatus": {"care-order"}, "placement": {"kinship-care"}}, "placementFrom", "1", "1", "2019"),
				"placements", "Date of the move must be on or after Jay&#39;s date of birth"},
			{"contraception started tomorrow", prac, base + "/reproductive-health/contraception", dateValues(url.Values{"version": {"0"}, "method": {"implant"}}, "startedOn", "24", "11", "2026"),
				"contraception", "Start date must be today or in the past"},
			{"pregnancy known tomorrow", prac, base + "/reproductive-health/pregnancies", dateValues(url.Values{}, "knownOn", "24", "11", "2026"),
				"pregnancies", "Date the pregnancy became known must be today or in the past"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := count[tt.counts]()
				res := send(t, tt.client, "POST", tt.path, tt.form)
				if res.status != 422 || !strings.Contains(res.body, tt.want) {
					t.Errorf("status %d, want 422 saying %q", res.status, tt.want)
				}
				if after := count[tt.counts](); after != before {
					t.Errorf("%s went from %d to %d: something was saved", tt.counts, before, after)
				}
			})
		}

		// The JSON API keeps the same rule.
		before := count["goals"]()
		res := apiCall(t, f, f.allocated, "POST", "/api/v1/people/"+f.person.Ref+"/goals", `{"domain":"housing","words":"A flat","targetOn":"2026-11-01"}`)
		if res.status != 422 || !strings.Contains(res.body, "Target date must be today or in the future") || count["goals"]() != before {
			t.Errorf("API goal with a passed target: %d %s", res.status, res.body)
		}
		res = apiCall(t, f, f.allocated, "POST", "/api/v1/people/"+f.person.Ref+"/goals", `{"domain":"housing","words":"A flat","targetOn":"2027-03-01"}`)
		if res.status != 201 {
			t.Errorf("API goal with a target ahead: %d %s", res.status, res.body)
		}
	})
}

var successBanner = regexp.MustCompile(`<div class="govuk-notification-banner govuk-notification-banner--success" role="alert"[^>]*>.*?<p class="govuk-notification-banner__heading">([^<]*)</p>`)

// A save says what it did on the page it leads to, once: not again on a
// reload, and not in another session. The cookie carrying it names only the
// message.
func TestSaveShowsItsBannerOnce(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.freshPerson(t)
		prac, lead := f.signIn(t, f.allocated), f.signIn(t, f.riverLead)
		base := f.ts.URL + "/people/" + f.person.Ref
		agencies, err := db.Agencies(t.Context(), f.person.PracticeID)
		if err != nil || len(agencies) == 0 {
			t.Fatalf("no agencies: %v", err)
		}
		tests := []struct {
			name   string
			client *http.Client
			path   string
			form   url.Values
			want   string
		}{
			{"session", prac, base + "/sessions", sessionValues("20", "Talked about the move"), "Session recorded"},
			{"goal", prac, base + "/plan/goals", url.Values{"domain": {"housing"}, "words": {"A flat of my own"}}, "Goal added"},
			{"referral out", prac, base + "/referrals-out", dateValues(url.Values{"agency": {itoa(agencies[0].ID)}, "reason": {"Housing advice"}}, "sentOn", "20", "11", "2026"), "Referral sent"},
			{"pregnancy", prac, base + "/reproductive-health/pregnancies", dateValues(url.Values{}, "knownOn", "20", "11", "2026"), "Pregnancy recorded"},
			{"new record", lead, f.ts.URL + "/people", url.Values{"firstName": {"Wren"}, "lastName": {"Bannercase"}, "practice": {itoa(f.person.PracticeID)}}, "Record created"},
			{"agency", lead, f.ts.URL + "/agencies", url.Values{"practice": {itoa(f.person.PracticeID)}, "name": {"Fictional Advice Centre"}, "kind": {"Housing"}}, "Agency added"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				res := send(t, tt.client, "POST", tt.path, tt.form)
				loc, _, _ := strings.Cut(res.header.Get("Location"), "#")
				if res.status != 303 || loc == "" {
					t.Fatalf("save: %d to %q\n%s", res.status, loc, res.body)
				}
				for _, c := range (&http.Response{Header: res.header}).Cookies() {
					if c.Name == "__Host-haven_flash" && (strings.Contains(c.Value, f.person.Ref) || strings.Contains(c.Value, "Wren") || !c.Secure || !c.HttpOnly) {
						t.Errorf("flash cookie %q (Secure %v, HttpOnly %v) carries more than a message's name", c.Value, c.Secure, c.HttpOnly)
					}
				}
				page := send(t, tt.client, "GET", f.ts.URL+loc, nil)
				if m := successBanner.FindStringSubmatch(page.body); page.status != 200 || m == nil || m[1] != tt.want {
					t.Errorf("after saving, %s (%d) shows banner %q, want %q", loc, page.status, m, tt.want)
				}
				if again := send(t, tt.client, "GET", f.ts.URL+loc, nil); successBanner.MatchString(again.body) {
					t.Errorf("reloading %s shows the banner again", loc)
				}
			})
		}

		// A flash cookie carried to another session says nothing there.
		res := send(t, prac, "POST", base+"/plan/goals", url.Values{"domain": {"housing"}, "words": {"Another goal"}})
		var flash *http.Cookie
		for _, c := range (&http.Response{Header: res.header}).Cookies() {
			if c.Name == "__Host-haven_flash" {
				flash = c
			}
		}
		if flash == nil {
			t.Fatal("a save set no flash cookie")
		}
		other := f.signIn(t, f.allocated)
		u, _ := url.Parse(f.ts.URL)
		other.Jar.SetCookies(u, []*http.Cookie{{Name: flash.Name, Value: flash.Value, Path: "/", Secure: true}})
		if page := send(t, other, "GET", base+"/plan", nil); successBanner.MatchString(page.body) {
			t.Error("another session's flash cookie showed its banner")
		}
	})
}

// Every long text box on the sampled forms is a GOV.UK character count that
// states its limit without JavaScript.
func TestLongTextBoxesCountCharacters(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		prac, lead := f.signIn(t, f.allocated), f.signIn(t, f.riverLead)
		sess := f.seedSession(t, "A note to correct")
		base := "/people/" + f.person.Ref
		textarea := regexp.MustCompile(`<textarea[^>]*\bid="([^"]+)"`)
		for _, tt := range []struct {
			client *http.Client
			path   string
			want   map[string]string // textarea id → the limit as the page writes it
		}{
			{prac, base + "/sessions/new", map[string]string{"note": "20,000", "practicalHelp": "5,000", "agencies": "2,000"}},
			{prac, base + "/sessions/" + itoa(sess.ID), map[string]string{"note": "20,000", "reason": "1,000"}},
			{prac, base + "/plan", map[string]string{"words": "2,000", "steps": "5,000"}},
			{prac, base + "/referrals-out", map[string]string{"reason": "2,000"}},
			{prac, base + "/edit", map[string]string{"address": "500", "communicationNeeds": "2,000"}},
			{lead, "/agencies", map[string]string{"agreement": "2,000"}},
			{prac, "/refer", map[string]string{"safeTimes": "500", "communicationNeeds": "2,000"}},
			{prac, base + "/contact/sessions/new", map[string]string{"herWords": "5,000", "supportAfter": "5,000"}},
			{prac, base + "/contact/letterbox/new", map[string]string{"statusReason": "2,000"}},
		} {
			res := send(t, tt.client, "GET", f.ts.URL+tt.path, nil)
			if res.status != 200 {
				t.Errorf("%s: %d", tt.path, res.status)
				continue
			}
			for _, m := range textarea.FindAllStringSubmatchIndex(res.body, -1) {
				id := res.body[m[2]:m[3]]
				group := res.body[strings.LastIndex(res.body[:m[0]], `<div class="govuk-form-group`):m[0]]
				if !strings.Contains(group, `govuk-character-count`) || !strings.Contains(group, `data-module="govuk-character-count"`) || !strings.Contains(group, `data-maxlength="`) {
					t.Errorf("%s: textarea %s is not a character count", tt.path, id)
				}
				if !strings.Contains(res.body[m[0]:m[1]], `govuk-js-character-count`) {
					t.Errorf("%s: textarea %s lacks govuk-js-character-count", tt.path, id)
				}
			}
			for id, limit := range tt.want {
				info := regexp.MustCompile(`<div id="` + regexp.QuoteMeta(id) + `-info" class="govuk-hint govuk-character-count__message">You can enter up to ` + regexp.QuoteMeta(limit) + ` characters</div>`)
				if !info.MatchString(res.body) {
					t.Errorf("%s: %s does not say it takes up to %s characters", tt.path, id, limit)
				}
			}
		}
	})
}

// Each error message names its field as the field's label does (the label
// without "(optional)"), and writes numbers as the hints do.
func TestErrorsNameFieldsAsTheirLabelsDo(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.freshPerson(t)
		prac, lead := f.signIn(t, f.allocated), f.signIn(t, f.riverLead)
		base := f.ts.URL + "/people/" + f.person.Ref
		sess := f.seedSession(t, "A note to correct")
		agencies, _ := db.Agencies(t.Context(), f.person.PracticeID)
		long := func(n int) string { return strings.Repeat("x", n+1) }
		badSession := sessionValues("31", long(20000))
		badSession.Set("on-month", "2")
		badSession.Set("minutes", "ninety")
		badSession.Set("practicalHelp", long(5000))
		badSession.Set("agencies", long(2000))
		tests := []struct {
			name   string
			client *http.Client
			path   string
			form   url.Values
			fields []string // the fields that must show an error
		}{
			{"session", prac, base + "/sessions", badSession, []string{"on", "minutes", "note", "practicalHelp", "agencies"}},
			{"correction", prac, base + "/sessions/" + itoa(sess.ID) + "/corrections", url.Values{"version": {"1"}, "note": {long(20000)}, "reason": {long(1000)}}, []string{"note", "reason"}},
			{"goal", prac, base + "/plan/goals", dateValues(url.Values{"domain": {"housing"}, "words": {long(2000)}, "steps": {long(5000)}}, "target", "1", "1", "2020"), []string{"words", "steps", "target"}},
			{"empty goal", prac, base + "/plan/goals", url.Values{"domain": {"housing"}}, []string{"words"}},
			{"referral out", prac, base + "/referrals-out", dateValues(url.Values{"agency": {itoa(agencies[0].ID)}, "reason": {long(2000)}}, "sentOn", "30", "11", "2026"), []string{"reason", "sentOn"}},
			{"empty referral out", prac, base + "/referrals-out", url.Values{"agency": {itoa(agencies[0].ID)}}, []string{"reason"}},
			{"agency", lead, f.ts.URL + "/agencies", url.Values{"practice": {itoa(f.person.PracticeID)}, "name": {"Fictional Centre"}, "kind": {"Housing"}, "agreement": {long(2000)}}, []string{"agreement"}},
			{"person", lead, f.ts.URL + "/people", dateValues(url.Values{"firstName": {long(100)}, "lastName": {"Labelcase"}, "practice": {itoa(f.person.PracticeID)},
				"phone": {"call me"}, "address": {long(500)}, "communicationNeeds": {long(2000)}}, "dateOfBirth", "1", "1", "1900"),
				[]string{"firstName", "phone", "address", "communicationNeeds", "dateOfBirth"}},
		}
		badSelf := selfForm(long(100))
		badSelf.Set("phone", "call me")
		badSelf.Set("safeTimes", long(500))
		badSelf.Set("communicationNeeds", long(2000))
		tests = append(tests, struct {
			name   string
			client *http.Client
			path   string
			form   url.Values
			fields []string
		}{"self-referral", f.browser(), f.ts.URL + "/refer", badSelf, []string{"firstName", "phone", "safeTimes", "communicationNeeds"}})
		errorMsg := regexp.MustCompile(`<p id="([^"]+)-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> ([^<]*)</p>`)
		optional := regexp.MustCompile(`\s*\([^)]*\)\s*$`)
		number := regexp.MustCompile(`\b\d{4,} characters`)
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				res := send(t, tt.client, "POST", tt.path, tt.form)
				if res.status != 422 {
					t.Fatalf("status %d, want 422", res.status)
				}
				shown := map[string]string{}
				for _, m := range errorMsg.FindAllStringSubmatch(res.body, -1) {
					shown[m[1]] = m[2]
				}
				for _, field := range tt.fields {
					msg, ok := shown[field]
					if !ok {
						t.Errorf("%s shows no error (errors: %v)", field, shown)
						continue
					}
					label := labelOf(res.body, field)
					if label == "" {
						t.Errorf("%s has no label or legend", field)
						continue
					}
					label = strings.ToLower(optional.ReplaceAllString(label, ""))
					if !strings.Contains(strings.ToLower(msg), label) {
						t.Errorf("%s: error %q does not name the field as its label %q does", field, msg, label)
					}
					if n := number.FindString(msg); n != "" {
						t.Errorf("%s: error %q writes %s without commas, unlike the hints", field, msg, n)
					}
				}
			})
		}
	})
}

// labelOf returns the text of a field's label, or of the legend of the date
// input it belongs to, unescaped as far as the tests need.
func labelOf(body, field string) string {
	if m := regexp.MustCompile(`<label class="govuk-label[^"]*" for="` + regexp.QuoteMeta(field) + `">([^<]*)</label>`).FindStringSubmatch(body); m != nil {
		return strings.ReplaceAll(m[1], "&#39;", "'")
	}
	i := strings.Index(body, `<div class="govuk-date-input" id="`+field+`">`)
	if i < 0 {
		return ""
	}
	j := strings.LastIndex(body[:i], `<legend`)
	if m := regexp.MustCompile(`<legend[^>]*>([^<]*)</legend>`).FindStringSubmatch(body[j:i]); m != nil {
		return m[1]
	}
	return ""
}

// A session more than a year ago is possible but unusual: the form asks
// once, keeps what was typed, and takes the date when it is confirmed.
func TestUnusualSessionDateIsQuestioned(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.freshPerson(t)
		c := f.signIn(t, f.allocated)
		path := f.ts.URL + "/people/" + f.person.Ref + "/sessions"
		v := sessionValues("20", "A late note")
		v.Set("on-year", "2025")
		v.Set("on-month", "10")
		res := send(t, c, "POST", path, v)
		if res.status != 422 || !strings.Contains(res.body, "Date of the session is more than a year ago") ||
			!strings.Contains(res.body, `name="on-confirmed"`) || !strings.Contains(res.body, "A late note") {
			t.Fatalf("a session 13 months ago: %d, want 422 asking to confirm, keeping the note", res.status)
		}
		if s, _ := db.SupportSessions(t.Context(), f.person.ID); len(s) != 0 {
			t.Fatalf("the questioned session was saved: %d", len(s))
		}
		v.Set("on-confirmed", "yes")
		if res := send(t, c, "POST", path, v); res.status != 303 {
			t.Fatalf("confirmed: %d", res.status)
		}
		if s, _ := db.SupportSessions(t.Context(), f.person.ID); len(s) != 1 || s[0].On != haven.NewDate(2025, 10, 20) {
			t.Errorf("after confirming: %+v", s)
		}
	})
}
