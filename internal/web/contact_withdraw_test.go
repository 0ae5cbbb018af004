package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"haven/internal/contact"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// contactSetup gives the fixture's fresh woman a child (Jay, born 1 May
// 2022) and a supervised arrangement (monthly, from 1 March 2023), and
// returns her contact page's address and the arrangement.
func contactSetup(t *testing.T, f *fixture, c *http.Client) (string, contact.Arrangement) {
	t.Helper()
	base := f.ts.URL + "/people/" + f.person.Ref + "/contact"
	child := dateForm(url.Values{"name": {"Jay"}, "legalStatus": {"care-order"}, "placement": {"foster-care"}}, "born", "1", "5", "2022")
	if res := send(t, c, "POST", base+"/children", child); res.status != 303 {
		t.Fatalf("add child: %d\n%s", res.status, res.body)
	}
	rec, _ := f.db.Contact(t.Context(), f.person.ID)
	arr := dateForm(url.Values{"child": {itoa(rec.Children[0].ID)}, "type": {"supervised"}, "frequency": {"Monthly"}, "arrangedBy": {"local-authority"},
		"basis": {"care-plan"}}, "start", "1", "3", "2023")
	dateForm(arr, "nextReview", "1", "6", "2024") // long past: overdue
	if res := send(t, c, "POST", base+"/arrangements", arr); res.status != 303 {
		t.Fatalf("add arrangement: %d\n%s", res.status, res.body)
	}
	rec, _ = f.db.Contact(t.Context(), f.person.ID)
	return base, rec.Arrangements[0]
}

// currentVersion is the arrangement's version now, for the next change.
func currentVersion(t *testing.T, db *store.DB, personID, id int64) string {
	t.Helper()
	rec, _ := db.Contact(t.Context(), personID)
	for _, a := range rec.Arrangements {
		if a.ID == id {
			return itoa(a.Version)
		}
	}
	t.Fatalf("no arrangement %d", id)
	return ""
}

// cardOf is the arrangement's card on her contact page.
func cardOf(body string, id int64) string {
	start := strings.Index(body, `id="arrangement-`+itoa(id)+`"`)
	if start < 0 {
		return ""
	}
	rest := body[start:]
	if end := strings.Index(rest, `<h2 class="govuk-heading-m" id="sessions">`); end > 0 {
		rest = rest[:end]
	}
	return rest
}

// rowValue is the value of a summary list row on a card, tags included, without markup.
func rowValue(card, key string) string {
	m := regexp.MustCompile(`(?s)<dt class="govuk-summary-list__key">` + regexp.QuoteMeta(key) + `</dt><dd class="govuk-summary-list__value">(.*?)</dd>`).FindStringSubmatch(card)
	if m == nil {
		return ""
	}
	return strings.Join(strings.Fields(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(m[1], " ")), " ")
}

// The form asks for the reason only under "Yes", refuses a reason beside
// "No" or "Not known", and checks each date against the child's birth, the
// arrangement's start and today; nothing refused is written.
func TestContactChangeCannotContradictItself(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	f.freshPerson(t)
	c := f.signIn(t, f.allocated)
	base, arr := contactSetup(t, f, c)
	path := base + "/arrangements/" + itoa(arr.ID) + "/changes"

	form := send(t, c, "GET", path+"/new", nil)
	if form.status != 200 {
		t.Fatalf("change form: %d", form.status)
	}
	// The reason questions sit inside the conditional block of "Yes", hidden (with JavaScript on) until it is chosen.
	cond := regexp.MustCompile(`(?s)<input class="govuk-radios__input" id="reasonGiven" name="reasonGiven" type="radio" value="yes">.*?<div class="govuk-radios__conditional haven-reveal" id="conditional-reasonGiven-0">(.*?)id="reasonGiven-1"`).FindStringSubmatch(form.body)
	if cond == nil {
		t.Fatalf("no conditional reveal under Yes:\n%s", form.body)
	}
	for _, name := range []string{`name="reason"`, `name="toldHow"`, `name="toldOn-day"`, `name="toldBy"`} {
		if !strings.Contains(cond[1], name) {
			t.Errorf("%s is not inside the block revealed by Yes", name)
		}
	}

	change := func(answer string) url.Values {
		v := url.Values{"version": {currentVersion(t, f.db, f.person.ID, arr.ID)}, "aspect": {"frequency"}, "from": {"Monthly"}, "to": {"Every two months"},
			"changedBy": {"local-authority"}, "reasonGiven": {answer}}
		return dateForm(v, "effective", "1", "10", "2026")
	}
	tests := []struct {
		name  string
		form  url.Values
		wants []string
	}{
		{"no, with the reason as told", func() url.Values {
			v := change("no")
			v.Set("reason", "The carers moved")
			return v
		}(), []string{"Leave “The reason, as she was told it” blank when the answer to “Was she given a reason?” is “No”, or answer Yes", "The carers moved"}},
		{"not known, with who told her and when", func() url.Values {
			v := dateForm(change("not-known"), "toldOn", "1", "9", "2026")
			v.Set("toldBy", "Her social worker")
			return v
		}(), []string{"Leave the reason, and how, when and by whom she was told, blank when the answer to “Was she given a reason?” is “Not known”, or answer Yes"}},
		{"takes effect in 2031, told in 1999", func() url.Values {
			v := dateForm(dateForm(change("yes"), "effective", "1", "1", "2031"), "toldOn", "1", "1", "1999")
			v.Set("reason", "The carers moved")
			return v
		}(), []string{"Date the change took effect must be no more than 12 months from today, by 23 November 2027",
			"Date she was told must be on or after Jay&#39;s date of birth, 1 May 2022"}},
		{"no, with a date she was told that is not a date", dateForm(change("no"), "toldOn", "31", "2", "2026"),
			[]string{"Leave “Date she was told” blank when the answer to “Was she given a reason?” is “No”, or answer Yes"}},
		{"took effect before the arrangement started", dateForm(change("no"), "effective", "1", "2", "2023"),
			[]string{"Date the change took effect must be on or after the date the arrangement started, 1 March 2023"}},
		{"told in the future", func() url.Values {
			v := dateForm(change("yes"), "toldOn", "1", "1", "2027")
			v.Set("reason", "The carers moved")
			return v
		}(), []string{"Date she was told must be today or in the past"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := send(t, c, "POST", path, tt.form)
			if res.status != 422 {
				t.Fatalf("%d, want 422", res.status)
			}
			for _, w := range tt.wants {
				if !strings.Contains(res.body, w) {
					t.Errorf("the page does not say %q", w)
				}
			}
			if !strings.Contains(res.body, `class="govuk-error-summary`) {
				t.Error("no error summary")
			}
		})
	}
	if rec, _ := f.db.Contact(t.Context(), f.person.ID); len(rec.Changes) != 0 {
		t.Errorf("%d changes written by refused forms", len(rec.Changes))
	}
	// A consistent change is saved.
	ok := dateForm(change("yes"), "toldOn", "20", "9", "2026")
	ok.Set("reason", "The carers moved")
	if res := send(t, c, "POST", path, ok); res.status != 303 {
		t.Fatalf("consistent change: %d\n%s", res.status, res.body)
	}
}

// The API applies the same rules as the form.
func TestContactAPIChangeCannotContradictItself(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	f.freshPerson(t)
	c := f.signIn(t, f.allocated)
	_, arr := contactSetup(t, f, c)
	call := func(body string) response {
		req, _ := http.NewRequest("POST", f.ts.URL+"/api/v1/people/"+f.person.Ref+"/changes", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+f.allocated.APIToken)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("If-Match", `"`+currentVersion(t, f.db, f.person.ID, arr.ID)+`"`)
		return tlsDo(t, f, req)
	}
	head := `{"arrangementId":` + itoa(arr.ID) + `,"aspect":"frequency","from":"Monthly","to":"Weekly","changedBy":"court",`
	tests := []struct {
		name, body string
		wants      []string
	}{
		{"no, with a reason", head + `"effectiveOn":"2026-10-01","reasonGiven":"no","reason":"The carers moved"}`, []string{`"reason":"Leave`}},
		{"2031 and 1999", head + `"effectiveOn":"2031-01-01","reasonGiven":"yes","reason":"x","toldOn":"1999-01-01"}`,
			[]string{`"effective":"Date the change took effect must be no more than 12 months`, `"toldOn":"Date she was told must be on or after Jay's date of birth`}},
		{"before the arrangement", head + `"effectiveOn":"2023-02-01","reasonGiven":"not-known"}`, []string{`on or after the date the arrangement started`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := call(tt.body)
			if res.status != 422 {
				t.Fatalf("%d %s, want 422", res.status, res.body)
			}
			for _, w := range tt.wants {
				if !strings.Contains(res.body, w) {
					t.Errorf("%s lacks %s", res.body, w)
				}
			}
		})
	}
	if rec, _ := f.db.Contact(t.Context(), f.person.ID); len(rec.Changes) != 0 {
		t.Errorf("%d changes written by refused requests", len(rec.Changes))
	}
}

// The card, the letter and the API read the arrangement as it stands after
// its changes, from one function: a change of frequency shows on the card
// as soon as it is recorded (as a change to come until it takes effect), a
// change of arranger moves "Arranged by", and overdue dates are flagged.
func TestContactCardShowsTheArrangementAsItStands(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	f.freshPerson(t)
	c := f.signIn(t, f.allocated)
	base, arr := contactSetup(t, f, c)
	path := base + "/arrangements/" + itoa(arr.ID) + "/changes"
	record := func(aspect, to, day, month, year string) {
		t.Helper()
		v := dateForm(url.Values{"version": {currentVersion(t, f.db, f.person.ID, arr.ID)}, "aspect": {aspect}, "to": {to},
			"changedBy": {"local-authority"}, "reasonGiven": {"not-known"}}, "effective", day, month, year)
		if res := send(t, c, "POST", path, v); res.status != 303 {
			t.Fatalf("record %s change: %d\n%s", aspect, res.status, res.body)
		}
	}
	// Recorded today to take effect in January: the letter lists it, so the card must too.
	record("frequency", "Every two months", "1", "1", "2027")
	card := cardOf(send(t, c, "GET", base, nil).body, arr.ID)
	if got := rowValue(card, "How often"); got != "Monthly" {
		t.Errorf("how often %q, want Monthly until the change takes effect", got)
	}
	if got := rowValue(card, "Changes to come"); got != "How often to “Every two months”, from 1 January 2027" {
		t.Errorf("changes to come %q: the card does not show the new frequency", got)
	}
	period := dateForm(dateForm(url.Values{}, "from", "1", "1", "2026"), "to", "23", "11", "2026")
	if letter := send(t, c, "POST", base+"/letter", period).body; !strings.Contains(letter, "It is due to change on 1 January 2027: how often to “Every two months”.") {
		t.Error("the letter does not show the change to come as the card does")
	}

	// In effect: the card, the letter and the API all give the new frequency and arranger.
	record("frequency", "Fortnightly", "1", "10", "2026")
	record("arranged-by", "Court order", "1", "11", "2026")
	card = cardOf(send(t, c, "GET", base, nil).body, arr.ID)
	if got := rowValue(card, "How often"); got != "Fortnightly" {
		t.Errorf("how often %q after a change of frequency, want Fortnightly", got)
	}
	if got := rowValue(card, "Arranged by"); got != "Court order" {
		t.Errorf("arranged by %q after a change of arranger, want Court order", got)
	}
	if got := rowValue(card, "Next review"); got != "1 June 2024 Overdue" {
		t.Errorf("next review %q, want it flagged overdue", got)
	}
	letter := send(t, c, "POST", base+"/letter", period).body
	if !strings.Contains(letter, "With Jay: supervised contact, fortnightly. It is arranged by a court order") {
		t.Error("the letter and the card disagree about the arrangement as it stands")
	}
	req, _ := http.NewRequest("GET", f.ts.URL+"/api/v1/people/"+f.person.Ref+"/arrangements", nil)
	req.Header.Set("Authorization", "Bearer "+f.allocated.APIToken)
	if res := tlsDo(t, f, req); !strings.Contains(res.body, `"frequency":"Fortnightly"`) || !strings.Contains(res.body, `"arrangedBy":"court-order"`) {
		t.Errorf("the API disagrees with the card: %s", res.body)
	}
}

// A letterbox arrangement whose next letter fell due years ago is flagged.
func TestContactCardFlagsAnOverdueLetter(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	f.freshPerson(t)
	c := f.signIn(t, f.allocated)
	base := f.ts.URL + "/people/" + f.person.Ref + "/contact"
	child := dateForm(url.Values{"name": {"Ash"}, "legalStatus": {"adopted"}, "placement": {"adoptive-family"}}, "born", "1", "5", "2015")
	if res := send(t, c, "POST", base+"/children", child); res.status != 303 {
		t.Fatalf("add child: %d", res.status)
	}
	rec, _ := f.db.Contact(t.Context(), f.person.ID)
	arr := dateForm(url.Values{"child": {itoa(rec.Children[0].ID)}, "type": {"letterbox"}, "frequency": {"Once a year"}, "arrangedBy": {"adoption-agency"},
		"basis": {"adoption-contact-plan"}}, "start", "1", "3", "2019")
	if res := send(t, c, "POST", base+"/arrangements", arr); res.status != 303 {
		t.Fatalf("add arrangement: %d", res.status)
	}
	rec, _ = f.db.Contact(t.Context(), f.person.ID)
	card := cardOf(send(t, c, "GET", base, nil).body, rec.Arrangements[0].ID)
	if got := rowValue(card, "Next letter due"); got != "1 March 2020 Overdue" {
		t.Errorf("next letter due %q, want it flagged overdue", got)
	}
	if strings.Contains(rowValue(card, "Next review"), "Overdue") {
		t.Error("no next review is planned, yet it is flagged overdue")
	}
}

// A mistaken change is withdrawn with a reason: kept and struck through,
// with who, when and why; left out of the arrangement, the letter, the
// count of unexplained changes, the report and her tasks; audited.
func TestWithdrawAContactChange(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.freshPerson(t)
		c := f.signIn(t, f.allocated)
		base, arr := contactSetup(t, f, c)
		tasksBefore := strings.Count(send(t, c, "GET", f.ts.URL+"/tasks", nil).body, "find out why and tell her")
		reportBefore := send(t, c, "GET", f.ts.URL+"/reports/contact", nil).body

		v := dateForm(url.Values{"version": {itoa(arr.Version)}, "aspect": {"frequency"}, "from": {"Monthly"}, "to": {"MISTAKEN-WEEKLY"},
			"changedBy": {"local-authority"}, "reasonGiven": {"no"}}, "effective", "1", "10", "2026")
		if res := send(t, c, "POST", base+"/arrangements/"+itoa(arr.ID)+"/changes", v); res.status != 303 {
			t.Fatalf("record change: %d\n%s", res.status, res.body)
		}
		if n := strings.Count(send(t, c, "GET", f.ts.URL+"/tasks", nil).body, "find out why and tell her"); n != tasksBefore+1 {
			t.Fatalf("%d explain tasks, want %d", n, tasksBefore+1)
		}
		rec, _ := db.Contact(t.Context(), f.person.ID)
		id := itoa(rec.Changes[0].ID)
		page := send(t, c, "GET", base, nil).body
		if !strings.Contains(page, `href="/people/`+f.person.Ref+`/contact/changes/`+id+`/withdraw"`) {
			t.Fatal("the change has no withdraw link")
		}
		withdraw := base + "/changes/" + id + "/withdraw"
		if res := send(t, c, "GET", withdraw, nil); res.status != 200 || !strings.Contains(res.body, "Why are you withdrawing this change?") ||
			!strings.Contains(res.body, "“MISTAKEN-WEEKLY”") {
			t.Fatalf("withdraw page: %d\n%s", res.status, res.body)
		}
		if res := send(t, c, "POST", withdraw, url.Values{"reason": {"  "}}); res.status != 422 || !strings.Contains(res.body, "Enter why you are withdrawing this change") {
			t.Errorf("withdrawing without a reason: %d", res.status)
		}
		if res := send(t, c, "POST", withdraw, url.Values{"reason": {"Recorded on the wrong child"}}); res.status != 303 ||
			!strings.HasSuffix(res.header.Get("Location"), "/contact#change-"+id) {
			t.Fatalf("withdraw: %d %s", res.status, res.header.Get("Location"))
		}

		rec, _ = db.Contact(t.Context(), f.person.ID)
		if len(rec.Changes) != 1 || !rec.Changes[0].Withdrawn() {
			t.Fatalf("changes %+v, want the one change kept and withdrawn", rec.Changes)
		}
		page = send(t, c, "GET", base, nil).body
		block := page[strings.Index(page, `id="change-`+id+`"`):]
		block = block[:strings.Index(block, "</div>")]
		who, _ := db.Actor(t.Context(), f.allocated.UserID)
		for _, want := range []string{"Withdrawn by <bdi>" + who.User.DisplayName + "</bdi>", "23 November 2026", "“Recorded on the wrong child”", "<del", "MISTAKEN-WEEKLY"} {
			if !strings.Contains(block, want) {
				t.Errorf("the withdrawn change does not show %q:\n%s", want, block)
			}
		}
		if strings.Contains(block, "/withdraw") || strings.Contains(block, "/explanation") {
			t.Error("a withdrawn change still offers to be withdrawn or explained")
		}
		if got := rowValue(cardOf(page, arr.ID), "How often"); got != "Monthly" {
			t.Errorf("how often %q, want the withdrawn change left out", got)
		}
		if strings.Contains(page, "no reason she knows of") {
			t.Error("the page still warns about the withdrawn change")
		}
		if n := strings.Count(send(t, c, "GET", f.ts.URL+"/tasks", nil).body, "find out why and tell her"); n != tasksBefore {
			t.Errorf("%d explain tasks after withdrawing, want %d: withdrawing ends the task", n, tasksBefore)
		}
		if res := send(t, c, "GET", f.ts.URL+"/people/"+f.person.Ref, nil); strings.Contains(res.body, "not explained to her") {
			t.Error("her record still counts the withdrawn change as not explained")
		}
		period := dateForm(dateForm(url.Values{}, "from", "1", "1", "2026"), "to", "23", "11", "2026")
		if letter := send(t, c, "POST", base+"/letter", period).body; strings.Contains(letter, "MISTAKEN-WEEKLY") || !strings.Contains(letter, "Nothing changed in this time.") {
			t.Error("the letter includes the withdrawn change")
		}
		if reportAfter := send(t, c, "GET", f.ts.URL+"/reports/contact", nil).body; reportAfter != reportBefore {
			t.Error("the report moved for a change that was withdrawn")
		}
		if res := send(t, c, "GET", withdraw, nil); res.status != 409 {
			t.Errorf("withdraw page for a withdrawn change: %d, want 409", res.status)
		}
		if res := send(t, c, "POST", withdraw, url.Values{"reason": {"Again"}}); res.status != 422 || !strings.Contains(res.body, "already been withdrawn") {
			t.Errorf("withdrawing twice: %d", res.status)
		}
		if res := send(t, c, "GET", base+"/changes/"+id+"/explanation", nil); res.status != 404 {
			t.Errorf("explaining a withdrawn change: %d, want 404", res.status)
		}
		evs, _ := db.SearchAudit(t.Context(), store.AuditFilter{RecordType: "person", RecordID: itoa(f.person.ID), Action: "update", Page: store.Page{Limit: 50}})
		n := 0
		for _, e := range evs {
			if e.Section == "contact:withdrawal" {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d audited withdrawals, want 1", n)
		}
		req, _ := http.NewRequest("GET", f.ts.URL+"/api/v1/people/"+f.person.Ref+"/changes", nil)
		req.Header.Set("Authorization", "Bearer "+f.allocated.APIToken)
		if res := tlsDo(t, f, req); !strings.Contains(res.body, `"withdrawal":{"reason":"Recorded on the wrong child"`) || !strings.Contains(res.body, `"unexplained":false`) {
			t.Errorf("the API does not show the withdrawal: %s", res.body)
		}
	})
}

// The API withdraws a change with the same rules: a reason is required.
func TestContactAPIWithdrawChange(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	f.freshPerson(t)
	c := f.signIn(t, f.allocated)
	base, arr := contactSetup(t, f, c)
	v := dateForm(url.Values{"version": {itoa(arr.Version)}, "aspect": {"other"}, "changedBy": {"court"}, "reasonGiven": {"not-known"}}, "effective", "1", "10", "2026")
	if res := send(t, c, "POST", base+"/arrangements/"+itoa(arr.ID)+"/changes", v); res.status != 303 {
		t.Fatalf("record change: %d", res.status)
	}
	rec, _ := f.db.Contact(t.Context(), f.person.ID)
	call := func(body string) response {
		req, _ := http.NewRequest("POST", f.ts.URL+"/api/v1/people/"+f.person.Ref+"/changes/"+itoa(rec.Changes[0].ID)+"/withdrawal", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+f.allocated.APIToken)
		req.Header.Set("Content-Type", "application/json")
		return tlsDo(t, f, req)
	}
	if res := call(`{"reason":""}`); res.status != 422 || !strings.Contains(res.body, "Enter why you are withdrawing this change") {
		t.Errorf("no reason: %d %s", res.status, res.body)
	}
	if res := call(`{"reason":"Recorded twice"}`); res.status != 200 || !strings.Contains(res.body, `"withdrawal":{"reason":"Recorded twice"`) {
		t.Errorf("withdraw: %d %s", res.status, res.body)
	}
	if res := call(`{"reason":"Again"}`); res.status != 409 {
		t.Errorf("withdraw twice: %d, want 409", res.status)
	}
}
