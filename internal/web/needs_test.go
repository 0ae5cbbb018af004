package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/measure"
	"haven/internal/programme"
	"haven/internal/store"
	"haven/internal/store/storetest"
	"haven/internal/web"
)

// needsForm is a complete form: every domain st, change c ("" for none), the facts answered.
func needsForm(st, c string) url.Values {
	v := url.Values{"assessedOn-day": {"20"}, "assessedOn-month": {"11"}, "assessedOn-year": {"2026"},
		"stableHousing": {"yes"}, "paidWork": {"no"}, "childContact": {"not-known"}}
	for _, d := range measure.NeedDomains {
		v.Set(string(d), st)
		if c != "" {
			v.Set(measure.ChangeField(d), c)
		}
	}
	return v
}

// Issue 17 item 2, S17: her practitioner records her needs at each point
// from her Outcome measures page; bad input is refused by field and stores
// nothing; a later point asks how each area changed; a second save from
// the same version is a conflict; nobody else may read or write them.
func TestNeedsJourney(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.freshPerson(t)
		base := f.ts.URL + "/people/" + f.person.Ref + "/measures"
		prac := f.signIn(t, f.allocated)
		stored := func() []measure.Needs {
			ns, err := db.Needs(t.Context(), f.person.ID)
			if err != nil {
				t.Fatal(err)
			}
			return ns
		}

		page := send(t, prac, "GET", base, nil)
		if page.status != 200 || !strings.Contains(page.body, "No needs recorded yet") ||
			!strings.Contains(page.body, `href="/people/`+f.person.Ref+`/measures/needs/baseline">Record her needs at baseline`) {
			t.Fatalf("measures page: %d", page.status)
		}
		if res := send(t, prac, "GET", base+"/needs/baseline", nil); res.status != 200 || !strings.Contains(res.body, "Her needs at baseline") || strings.Contains(res.body, "How has") {
			t.Errorf("baseline form: %d", res.status)
		}
		if res := send(t, prac, "GET", base+"/needs/24-months", nil); res.status != 404 {
			t.Errorf("no such point: %d", res.status)
		}

		// Nothing chosen: every question named, nothing stored.
		res := send(t, prac, "POST", base+"/needs/baseline", url.Values{"assessedOn-day": {"31"}, "assessedOn-month": {"2"}, "assessedOn-year": {"2026"}})
		for _, want := range []string{"Choose need, no need or not known for substance use", "Choose need, no need or not known for contact with her children",
			"Choose whether she is in stable housing", "Choose whether she has face-to-face contact", "Date you went through her needs must be a real date", `href="#physical-health"`} {
			if !strings.Contains(res.body, want) {
				t.Errorf("empty baseline lacks %q", want)
			}
		}
		if res.status != 422 {
			t.Errorf("empty baseline: %d", res.status)
		}
		// A change at baseline, a status not on the list, a date in the future.
		bad := needsForm("need", "improved")
		bad.Set("housing", "maybe")
		bad.Set("assessedOn-year", "2027")
		res = send(t, prac, "POST", base+"/needs/baseline", bad)
		if res.status != 422 || !strings.Contains(res.body, "Leave how substance use has changed blank at baseline") || !strings.Contains(res.body, "Choose need, no need or not known for housing") ||
			!strings.Contains(res.body, "today or in the past") || !strings.Contains(res.body, `id="mental-health" name="mental-health" type="radio" value="need" checked`) {
			t.Errorf("bad baseline: %d", res.status)
		}
		if n := len(stored()); n != 0 {
			t.Fatalf("refused forms stored %d points", n)
		}

		if res := send(t, prac, "POST", base+"/needs/baseline", needsForm("need", "")); res.status != 303 || res.header.Get("Location") != "/people/"+f.person.Ref+"/measures#needs" {
			t.Fatalf("baseline: %d to %q", res.status, res.header.Get("Location"))
		}
		// 6 months: the change questions appear, with her last reading.
		six := send(t, prac, "GET", base+"/needs/6-months", nil)
		if !strings.Contains(six.body, "How has domestic abuse changed?") || !strings.Contains(six.body, "At baseline: need") {
			t.Errorf("6-month form does not ask about change")
		}
		res = send(t, prac, "POST", base+"/needs/6-months", needsForm("no-need", ""))
		if res.status != 422 || !strings.Contains(res.body, "Choose whether substance use has improved, stayed stable or got worse since her reading at baseline (need)") ||
			!strings.Contains(res.body, `href="#substance-use-change"`) {
			t.Errorf("6 months with no change: %d", res.status)
		}
		if n := len(stored()); n != 1 {
			t.Fatalf("%d points stored, want 1", n)
		}
		if res := send(t, prac, "POST", base+"/needs/6-months", needsForm("no-need", "improved")); res.status != 303 {
			t.Fatalf("6 months: %d", res.status)
		}
		// The same blank form sent again: someone has recorded it since.
		res = send(t, prac, "POST", base+"/needs/6-months", needsForm("need", "worse"))
		if res.status != 409 || !strings.Contains(res.body, "Someone else recorded her needs at 6 months") || !strings.Contains(res.body, `name="version" value="1"`) {
			t.Errorf("stale 6 months: %d", res.status)
		}
		again := needsForm("need", "worse")
		again.Set("version", "1")
		if res := send(t, prac, "POST", base+"/needs/6-months", again); res.status != 303 {
			t.Errorf("6 months recorded again: %d", res.status)
		}
		got := stored()
		if len(got) != 2 || got[1].Version != 2 || got[1].Reading(measure.NeedHousing).Change != measure.Worse {
			t.Errorf("stored: %+v", got)
		}
		page = send(t, prac, "GET", base, nil)
		if !strings.Contains(page.body, "Need<br><span class=\"govuk-body-s\">Worse") || !strings.Contains(page.body, "Change her needs at 6 months") {
			t.Error("her measures page does not show her needs")
		}
		if res := send(t, prac, "GET", base+"/needs/6-months", nil); !strings.Contains(res.body, `id="housing-change-2" name="housing-change" type="radio" value="worse" checked`) {
			t.Error("the form does not show what is recorded")
		}

		// Nobody else reads or writes them.
		for name, a := range f.who(t) {
			if name == "riverside lead" || name == "allocated practitioner" {
				continue
			}
			c := f.signIn(t, a)
			if res := send(t, c, "GET", base+"/needs/6-months", nil); res.status != 404 && res.status != 403 {
				t.Errorf("%s read her needs: %d", name, res.status)
			}
			if res := send(t, c, "POST", base+"/needs/12-months", needsForm("need", "stable")); res.status != 404 && res.status != 403 {
				t.Errorf("%s recorded her needs: %d", name, res.status)
			}
			if strings.Contains(send(t, c, "GET", f.ts.URL+"/people/"+f.person.Ref, nil).body, "/measures/needs/") {
				t.Errorf("%s is offered her needs", name)
			}
		}
		if n := len(stored()); n != 2 {
			t.Errorf("%d points stored, want 2", n)
		}
	})
}

// Issue 17 item 3: the lead sets her Practice's schedule next to the
// overview; a co-ordinator reads it; nobody else reaches it. What falls due
// shows on the lead's tasks with a link to the form, the point chosen.
func TestScheduleJourney(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.freshPerson(t)
		ctx := t.Context()
		ev := audit.Event{UserID: f.allocated.UserID}
		// Engaging since 1 November 2026: baseline due 29 November.
		e, err := db.StartEnrolment(ctx, ev, f.person, haven.NewDate(2026, 10, 20))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.MoveEnrolment(ctx, ev, e, programme.PhaseEngaging, haven.NewDate(2026, 11, 1), "", "", f.allocated.UserID); err != nil {
			t.Fatal(err)
		}
		lead, coord := f.signIn(t, f.riverLead), f.signIn(t, f.riverCoord)
		ref := "/people/" + f.person.Ref
		tasks := send(t, lead, "GET", f.ts.URL+"/tasks", nil)
		for _, want := range []string{ref + "/measures/new/phq9?point=baseline", ref + "/measures/needs/baseline", "PHQ-9 at baseline is due", "29 November 2026"} {
			if !strings.Contains(tasks.body, want) {
				t.Errorf("the lead's tasks lack %q", want)
			}
		}
		if res := send(t, coord, "GET", f.ts.URL+"/tasks", nil); strings.Contains(res.body, "/measures/") {
			t.Error("the co-ordinator is given her measures")
		}
		if res := send(t, lead, "GET", f.ts.URL+ref+"/measures/new/phq9?point=baseline", nil); !strings.Contains(res.body, `id="point" name="point" type="radio" value="baseline" checked`) {
			t.Error("the task's link does not choose the point")
		}

		sched := f.ts.URL + "/overview/demo-riverside/schedule"
		if res := send(t, lead, "GET", f.ts.URL+"/overview", nil); !strings.Contains(res.body, `href="/overview/demo-riverside/schedule"`) {
			t.Error("the overview does not link to the schedule")
		}
		res := send(t, lead, "GET", sched, nil)
		if res.status != 200 || !strings.Contains(res.body, "follows the default schedule") || !strings.Contains(res.body, `id="slot-phq9" name="slot" type="checkbox" value="phq9:baseline" checked`) ||
			strings.Contains(res.body, `value="wemwbs:baseline"`) {
			t.Fatalf("schedule: %d", res.status)
		}
		for form, want := range map[string]string{"wemwbs:baseline": "WEMWBS cannot be scheduled until", "phq9:follow-up": "Choose measures and points from the list"} {
			res := send(t, lead, "POST", sched, url.Values{"slot": {"needs:exit", form}, "version": {"0"}})
			if res.status != 422 || !strings.Contains(res.body, want) || !strings.Contains(res.body, `value="needs:exit" checked`) {
				t.Errorf("slot %s: %d", form, res.status)
			}
		}
		if sc, _ := db.Schedule(ctx, f.person.PracticeID); sc.Own {
			t.Fatal("a refused schedule was stored")
		}
		if res := send(t, coord, "POST", sched, url.Values{"slot": {"needs:exit"}, "version": {"0"}}); res.status != 403 {
			t.Errorf("co-ordinator changed the schedule: %d", res.status)
		}
		if res := send(t, lead, "POST", sched, url.Values{"slot": {"needs:exit", "gad7:baseline"}, "version": {"0"}}); res.status != 303 {
			t.Fatalf("schedule: %d", res.status)
		}
		if res := send(t, lead, "POST", sched, url.Values{"slot": {"needs:exit"}, "version": {"0"}}); res.status != 409 {
			t.Errorf("stale schedule: %d", res.status)
		}
		if res := send(t, coord, "GET", sched, nil); res.status != 200 || !strings.Contains(res.body, "has set its own schedule") || strings.Contains(res.body, "<form method=\"post\" action=\"/overview") {
			t.Errorf("co-ordinator's view: %d", res.status)
		}
		tasks = send(t, lead, "GET", f.ts.URL+"/tasks", nil)
		if strings.Contains(tasks.body, "phq9?point=baseline") || !strings.Contains(tasks.body, "gad7?point=baseline") {
			t.Error("the tasks do not follow the Practice's own schedule")
		}
	})
}

// S15, S17: every needs and schedule route, for every kind of user. Allowed
// users get the page or, for an empty or bad form, a 422. Anyone else gets
// 404, as for any route naming a record (her ref, or a Practice's slug),
// except the Practice's co-ordinator, who reads the schedule but is refused
// a change to it (403).
func TestNeedsRouteMatrix(t *testing.T) {
	db := storetest.SQLite(t)
	f := newFixture(t, db)
	restricted := map[string]bool{"riverside lead": true, "allocated practitioner": true}
	runs := map[string]bool{"riverside lead": true, "riverside co-ordinator": true}
	type rule struct {
		path     string
		form     url.Values
		allowed  map[string]bool
		ok       int
		denied   map[string]int // by user; anyone else signed in: fallback
		fallback int
	}
	ref := "/people/" + f.person.Ref
	rules := map[string]rule{
		// S16: a colleague in her Practice is offered break-glass (403); anyone else, 404.
		"GET /people/{ref}/measures/needs/{point}":  {ref + "/measures/needs/exit", nil, restricted, 200, map[string]int{"other practitioner": 403}, 404},
		"POST /people/{ref}/measures/needs/{point}": {ref + "/measures/needs/exit", url.Values{}, restricted, 422, map[string]int{"other practitioner": 403}, 404},
		"GET /overview/{slug}/schedule":             {"/overview/demo-riverside/schedule", nil, runs, 200, nil, 404},
		"POST /overview/{slug}/schedule":            {"/overview/demo-riverside/schedule", url.Values{"slot": {"x"}}, map[string]bool{"riverside lead": true}, 422, map[string]int{"riverside co-ordinator": 403}, 404},
	}
	s, err := web.NewServer(web.Options{Store: db})
	if err != nil {
		t.Fatal(err)
	}
	for pattern := range s.Routes() {
		if strings.Contains(pattern, "/measures/needs") || strings.Contains(pattern, "/schedule") {
			if _, ok := rules[pattern]; !ok {
				t.Errorf("%s is not in the matrix", pattern)
			}
		}
	}
	for name, a := range f.who(t) {
		c := f.signIn(t, a)
		for pattern, rl := range rules {
			method, _, _ := strings.Cut(pattern, " ")
			want, ok := rl.denied[name]
			if !ok {
				want = rl.fallback
			}
			if rl.allowed[name] {
				want = rl.ok
			}
			if res := send(t, c, method, f.ts.URL+rl.path, rl.form); res.status != want {
				t.Errorf("%s %s: %d, want %d", name, pattern, res.status, want)
			}
		}
	}
	anon := f.browser()
	for pattern, rl := range rules {
		method, _, _ := strings.Cut(pattern, " ")
		if res := send(t, anon, method, f.ts.URL+rl.path, rl.form); res.status != http.StatusSeeOther && res.status != http.StatusUnauthorized && res.status != http.StatusForbidden {
			t.Errorf("anonymous %s: %d", pattern, res.status)
		}
	}
}
