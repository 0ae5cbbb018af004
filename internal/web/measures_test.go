package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/demo"
	"haven/internal/haven"
	"haven/internal/measure"
	"haven/internal/programme"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// measureForm is a completed form: point, date and answers by item ("" blank).
func measureForm(point string, answers ...string) url.Values {
	v := url.Values{"point": {point}, "takenOn-day": {"20"}, "takenOn-month": {"11"}, "takenOn-year": {"2026"}}
	for i, a := range answers {
		v.Set("item"+strconv.Itoa(i+1), a)
	}
	return v
}

// Issue 17 item 1, S17: her practitioner records measures with her; a PHQ-9
// with item 9 above 0 interrupts her with what to do now and gives the lead a
// task, which the lead clears by recording what was done. Nobody else sees
// them, and WEMWBS stays off until an administrator records the registration.
func TestMeasuresJourney(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.freshPerson(t)
		base := f.ts.URL + "/people/" + f.person.Ref + "/measures"
		prac := f.signIn(t, f.allocated)
		count := func() int {
			ms, err := db.Measures(t.Context(), f.person.ID)
			if err != nil {
				t.Fatal(err)
			}
			return len(ms)
		}

		page := send(t, prac, "GET", base, nil)
		if page.status != 200 || !strings.Contains(page.body, "No measures recorded yet") || !strings.Contains(page.body, "switched off until an administrator records") ||
			!strings.Contains(page.body, `href="/people/`+f.person.Ref+`/measures/new/phq9"`) || strings.Contains(page.body, "/measures/new/wemwbs") {
			t.Errorf("measures page: %d", page.status)
		}
		if res := send(t, prac, "GET", base+"/new/wemwbs", nil); res.status != 404 {
			t.Errorf("WEMWBS form before registration: %d, want 404", res.status)
		}
		if res := send(t, prac, "GET", base+"/new/phq9", nil); res.status != 200 || !strings.Contains(res.body, "Pfizer") || !strings.Contains(res.body, `name="item9"`) {
			t.Errorf("PHQ-9 form: %d", res.status)
		}

		// Bad input: every problem named, what she typed kept, nothing stored.
		bad := measureForm("", "1", "2", "9", "0", "0", "0", "0", "0", "x")
		res := send(t, prac, "POST", base+"/new/phq9", bad)
		if res.status != 422 || !strings.Contains(res.body, "Choose when in her programme") || strings.Count(res.body, "must be a whole number from 0 to 3") < 2 ||
			!strings.Contains(res.body, `id="item2-2" name="item2" type="radio" value="2" checked`) {
			t.Errorf("bad PHQ-9: %d\n%s", res.status, res.body)
		}
		bad = measureForm("baseline", "1", "1", "1", "1", "1", "1", "1", "1", "1")
		bad.Set("takenOn-year", "2030")
		if res := send(t, prac, "POST", base+"/new/phq9", bad); res.status != 422 || !strings.Contains(res.body, "today or in the past") {
			t.Errorf("PHQ-9 in the future: %d", res.status)
		}
		if n := count(); n != 0 {
			t.Fatalf("refused forms stored %d measures", n)
		}

		// A blank item is kept and not scored.
		if res := send(t, prac, "POST", base+"/new/gad7", measureForm("baseline", "1", "2", "", "0", "3", "1", "1")); res.status != 303 || res.header.Get("Location") != "/people/"+f.person.Ref+"/measures" {
			t.Fatalf("GAD-7: %d to %q", res.status, res.header.Get("Location"))
		}
		// Item 9 above 0: straight to the prompt.
		res = send(t, prac, "POST", base+"/new/phq9", measureForm("baseline", "2", "2", "1", "1", "0", "1", "2", "0", "1"))
		if res.status != 303 || !strings.Contains(res.header.Get("Location"), "/measures/prompt/") {
			t.Fatalf("PHQ-9 with item 9: %d to %q", res.status, res.header.Get("Location"))
		}
		prompt := send(t, prac, "GET", f.ts.URL+res.header.Get("Location"), nil)
		if prompt.status != 200 || !strings.Contains(prompt.body, "moj-interruption-card") || !strings.Contains(prompt.body, "Act on her answer now") {
			t.Errorf("prompt: %d", prompt.status)
		}
		page = send(t, prac, "GET", base, nil)
		for _, want := range []string{"not scored: 1 item missing", "10 (Moderate)", "Safeguarding prompt", "The practice lead has been asked"} {
			if !strings.Contains(page.body, want) {
				t.Errorf("measures page lacks %q", want)
			}
		}
		ms, _ := db.Measures(t.Context(), f.person.ID)
		flagged := ms[1]
		respond := base + "/response/" + strconv.FormatInt(flagged.ID, 10)
		if res := send(t, prac, "POST", respond, url.Values{"note": {"I spoke to her"}}); res.status != 403 && res.status != 404 {
			t.Errorf("practitioner recording the lead's response: %d", res.status)
		}

		today := haven.NewDate(2026, 11, 23)
		hasTask := func(a demo.Account) bool {
			tasks, err := db.TasksFor(t.Context(), mustActor(t, db, a.UserID), today)
			if err != nil {
				t.Fatal(err)
			}
			return slices.ContainsFunc(tasks, func(tk programme.Task) bool {
				return tk.Kind == programme.TaskMeasureFlag && tk.PersonRef == f.person.Ref
			})
		}
		if !hasTask(f.riverLead) || hasTask(f.allocated) || hasTask(f.riverCoord) {
			t.Errorf("task: lead %v, practitioner %v, co-ordinator %v; want the lead only", hasTask(f.riverLead), hasTask(f.allocated), hasTask(f.riverCoord))
		}
		lead := f.signIn(t, f.riverLead)
		if res := send(t, lead, "GET", f.ts.URL+"/tasks", nil); !strings.Contains(res.body, "Safeguarding prompt from a measure") || !strings.Contains(res.body, "/measures#measure-"+strconv.FormatInt(flagged.ID, 10)) {
			t.Errorf("the lead's tasks page does not offer the prompt")
		}
		if res := send(t, lead, "POST", respond, url.Values{"note": {"  "}}); res.status != 422 || !strings.Contains(res.body, "Enter what was done") {
			t.Errorf("empty response: %d", res.status)
		}
		if res := send(t, lead, "POST", respond, url.Values{"note": {"Spoke with her that afternoon; GP the next morning"}}); res.status != 303 {
			t.Errorf("response: %d", res.status)
		}
		if hasTask(f.riverLead) {
			t.Error("the task stayed after the lead recorded what was done")
		}
		if res := send(t, lead, "POST", respond, url.Values{"note": {"again"}}); res.status != 422 {
			t.Errorf("second response: %d, want 422", res.status)
		}

		// Nobody else sees her measures.
		for who, a := range map[string]demo.Account{"co-ordinator": f.riverCoord, "other practitioner": f.otherPrac, "other Practice's lead": f.otherLead} {
			c := f.signIn(t, a)
			for _, path := range []string{base, base + "/new/phq9", base + "/prompt/" + strconv.FormatInt(flagged.ID, 10)} {
				if res := send(t, c, "GET", path, nil); res.status != 404 && res.status != 403 {
					t.Errorf("%s GET %s: %d", who, path, res.status)
				}
			}
			if res := send(t, c, "POST", base+"/new/phq9", measureForm("baseline", "0", "0", "0", "0", "0", "0", "0", "0", "0")); res.status != 404 && res.status != 403 {
				t.Errorf("%s recorded a measure: %d", who, res.status)
			}
		}
		if n := count(); n != 2 {
			t.Errorf("%d measures stored, want 2", n)
		}

		// An administrator switches WEMWBS on by recording the registration.
		admin := f.signIn(t, f.account(access.RoleAdmin))
		if res := send(t, admin, "POST", f.ts.URL+"/admin/measures", url.Values{"instrument": {"wemwbs"}, "reference": {""}, "registeredOn-day": {"1"}, "registeredOn-month": {"11"}, "registeredOn-year": {"2026"}}); res.status != 422 || !strings.Contains(res.body, "Enter the registration reference") {
			t.Errorf("registration with no reference: %d", res.status)
		}
		if res := send(t, admin, "POST", f.ts.URL+"/admin/measures", url.Values{"instrument": {"wemwbs"}, "reference": {"WEMWBS-2026-0001"}, "registeredOn-day": {"1"}, "registeredOn-month": {"11"}, "registeredOn-year": {"2026"}}); res.status != 303 {
			t.Fatalf("registration: %d", res.status)
		}
		if res := send(t, admin, "GET", f.ts.URL+"/admin/measures", nil); !strings.Contains(res.body, "WEMWBS-2026-0001") {
			t.Error("the registration is not listed")
		}
		if res := send(t, prac, "GET", base+"/new/wemwbs", nil); res.status != 200 || !strings.Contains(res.body, "University of Warwick") {
			t.Errorf("WEMWBS form after registration: %d", res.status)
		}
		if res := send(t, prac, "GET", base+"/new/swemwbs", nil); res.status != 404 {
			t.Errorf("SWEMWBS switched on by WEMWBS's registration: %d", res.status)
		}
		if res := send(t, prac, "GET", f.ts.URL+"/admin/measures", nil); res.status != 403 && res.status != 404 {
			t.Errorf("a practitioner opened the registrations: %d", res.status)
		}
	})
}

// Issue 17 item 10: GET|POST /api/v1/people/{ref}/measures, for her
// practitioner and the lead only; bad input is a 422 naming the field and
// stores nothing; item 9 raises the lead's task as the form does.
func TestMeasuresAPI(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.freshPerson(t)
		path := f.ts.URL + "/api/v1/people/" + f.person.Ref + "/measures"
		call := func(token, method, body string) (int, map[string]any) {
			req, _ := http.NewRequest(method, path, strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+token)
			if body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			res, err := f.ts.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			var out map[string]any
			json.NewDecoder(res.Body).Decode(&out)
			return res.StatusCode, out
		}
		tok := f.allocated.APIToken
		for _, tc := range []struct{ body, field string }{
			{`{"instrument":"phq9","point":"baseline","takenOn":"2026-11-20","answers":[1,1,1]}`, "answers"},
			{`{"instrument":"phq9","point":"later","takenOn":"2026-11-20","answers":[0,0,0,0,0,0,0,0,0]}`, "point"},
			{`{"instrument":"phq9","point":"baseline","takenOn":"2026-02-30","answers":[0,0,0,0,0,0,0,0,0]}`, "takenOn"},
			{`{"instrument":"phq9","point":"baseline","takenOn":"2030-01-01","answers":[0,0,0,0,0,0,0,0,0]}`, "takenOn"},
			{`{"instrument":"phq9","point":"baseline","takenOn":"2026-11-20","answers":[0,0,0,0,0,0,0,0,4]}`, "answers[8]"},
			{`{"instrument":"wemwbs","point":"baseline","takenOn":"2026-11-20","answers":[1,1,1,1,1,1,1,1,1,1,1,1,1,1]}`, "instrument"},
			{`{"instrument":"stars","point":"baseline","takenOn":"2026-11-20","answers":[]}`, "instrument"},
		} {
			st, out := call(tok, "POST", tc.body)
			fields, _ := out["fields"].(map[string]any)
			if st != 422 || fields[tc.field] == nil {
				t.Errorf("%s: %d %v, want 422 naming %s", tc.body, st, out, tc.field)
			}
		}
		if ms, _ := db.Measures(t.Context(), f.person.ID); len(ms) != 0 {
			t.Fatalf("refused calls stored %d measures", len(ms))
		}
		st, out := call(tok, "POST", `{"instrument":"phq9","point":"baseline","takenOn":"2026-11-20","answers":[2,2,1,1,0,1,2,0,1]}`)
		score, _ := out["score"].(map[string]any)
		if st != 201 || score["total"] != float64(10) || score["band"] != "moderate" || !strings.Contains(fmt.Sprint(score["flags"]), "item9") {
			t.Fatalf("PHQ-9: %d %v", st, out)
		}
		tasks, _ := db.TasksFor(t.Context(), mustActor(t, db, f.riverLead.UserID), haven.NewDate(2026, 11, 23))
		if !slices.ContainsFunc(tasks, func(tk programme.Task) bool {
			return tk.Kind == programme.TaskMeasureFlag && tk.PersonRef == f.person.Ref
		}) {
			t.Error("item 9 through the API raised no task for the lead")
		}
		st, out = call(tok, "GET", "")
		list, _ := out["measures"].([]any)
		if st != 200 || len(list) != 1 {
			t.Errorf("GET: %d %v", st, out)
		}
		for who, a := range map[string]demo.Account{"co-ordinator": f.riverCoord, "other practitioner": f.otherPrac, "other Practice's lead": f.otherLead} {
			if st, _ := call(a.APIToken, "GET", ""); st != 403 && st != 404 {
				t.Errorf("%s GET: %d", who, st)
			}
			if st, _ := call(a.APIToken, "POST", `{"instrument":"gad7","point":"baseline","takenOn":"2026-11-20","answers":[0,0,0,0,0,0,0]}`); st != 403 && st != 404 {
				t.Errorf("%s POST: %d", who, st)
			}
		}
		if ms, _ := db.Measures(t.Context(), f.person.ID); len(ms) != 1 {
			t.Errorf("%d measures stored, want 1", len(ms))
		}
	})
}

// S15, S16, S17: every measure route (pages, API and the registrations)
// for every kind of user. Her measures are for her practitioner and the
// lead; a colleague in her Practice is offered break-glass (403); anyone
// else gets 404. The registrations are for administrators.
func TestMeasureRoutesMatrix(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	f.freshPerson(t)
	ref := "/people/" + f.person.Ref
	rec, err := measure.NewRecord(measure.PHQ9, measure.Baseline, haven.NewDate(2026, 11, 20),
		[]measure.Answer{measure.A(1), measure.A(1), measure.A(1), measure.A(1), measure.A(1), measure.A(1), measure.A(1), measure.A(1), measure.A(1)}, haven.NewDate(2026, 11, 23))
	if err != nil {
		t.Fatal(err)
	}
	id, err := f.db.AddMeasure(t.Context(), audit.Event{}, f.person.ID, rec, f.allocated.UserID)
	if err != nil {
		t.Fatal(err)
	}
	mid := strconv.FormatInt(id, 10)
	hers := map[string]bool{"riverside lead": true, "allocated practitioner": true}
	admins := map[string]bool{"admin": true}
	phq := url.Values{"point": {"baseline"}, "takenOn-day": {"20"}, "takenOn-month": {"11"}, "takenOn-year": {"2026"}, "item1": {"9"}}
	rules := []struct {
		method, path string
		form         url.Values
		api          string // a JSON body for the API's POST
		allowed      map[string]bool
		ok           int
		colleague    int // the other practitioner in her Practice
	}{
		{"GET", ref + "/measures", nil, "", hers, 200, 403},
		{"GET", ref + "/measures/new/phq9", nil, "", hers, 200, 403},
		{"POST", ref + "/measures/new/phq9", phq, "", hers, 422, 403},
		{"GET", ref + "/measures/prompt/" + mid, nil, "", hers, 200, 403},
		{"POST", ref + "/measures/response/" + mid, url.Values{"note": {""}}, "", map[string]bool{"riverside lead": true, "allocated practitioner": true}, 0, 403},
		{"GET", "/api/v1" + ref + "/measures", nil, "", hers, 200, 403},
		{"POST", "/api/v1" + ref + "/measures", nil, `{"instrument":"phq9","point":"baseline","takenOn":"2026-11-20","answers":[]}`, hers, 422, 403},
		{"GET", "/admin/measures", nil, "", admins, 200, 404},
		{"POST", "/admin/measures", url.Values{"instrument": {"wemwbs"}}, "", admins, 422, 404},
		{"GET", "/admin/evaluation", nil, "", admins, 200, 404},
		{"POST", "/admin/measures/star-licence", url.Values{"licence": {""}}, "", admins, 422, 404},
		// No licence is recorded here: her practitioner and the lead are refused too.
		{"POST", ref + "/measures/star", url.Values{}, "", hers, 403, 403},
		{"POST", "/admin/evaluation/threshold", url.Values{"threshold": {"4"}, "version": {"0"}}, "", admins, 422, 404},
		{"POST", "/admin/evaluation/change", url.Values{"instrument": {"phq9"}, "version-phq9": {"0"}, "points": {"x"}}, "", admins, 422, 404},
	}
	for name, a := range f.who(t) {
		c := f.signIn(t, a)
		for _, rl := range rules {
			want := 404
			switch {
			case rl.allowed[name]:
				want = rl.ok
			case name == "other practitioner":
				want = rl.colleague
			}
			if rl.path == ref+"/measures/response/"+mid && rl.allowed[name] {
				want = 422 // the lead: an empty note; her practitioner: only the lead records it
				if name != "riverside lead" {
					want = 403
				}
			}
			var got int
			if strings.HasPrefix(rl.path, "/api/") {
				req, _ := http.NewRequest(rl.method, f.ts.URL+rl.path, strings.NewReader(rl.api))
				req.Header.Set("Authorization", "Bearer "+a.APIToken)
				if rl.api != "" {
					req.Header.Set("Content-Type", "application/json")
				}
				res, err := f.ts.Client().Do(req)
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				got = res.StatusCode
			} else {
				got = send(t, c, rl.method, f.ts.URL+rl.path, rl.form).status
			}
			if got != want && !(want == 404 && got == 403) {
				t.Errorf("%s %s %s: %d, want %d", name, rl.method, rl.path, got, want)
			}
		}
	}
	for _, rl := range rules {
		want := 303 // a page: to sign in
		if strings.HasPrefix(rl.path, "/api/") || rl.method == "POST" {
			want = 401
		}
		if got := send(t, f.browser(), rl.method, f.ts.URL+rl.path, rl.form).status; got != want {
			t.Errorf("anonymous %s %s: %d, want %d", rl.method, rl.path, got, want)
		}
	}
}
