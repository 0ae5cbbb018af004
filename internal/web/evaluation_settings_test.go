package web_test

import (
	"encoding/csv"
	"encoding/json"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"haven/internal/access"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// jsonValues are the numbers given as "value" in an API answer.
var jsonValues = regexp.MustCompile(`"value":(\d+)`)

// Issue 17 item 7: the suppression threshold is a setting an administrator
// may raise, never lower below 5, version-checked; once it is 10 the
// dashboard, its API and its download show no count from 1 to 9 and say
// "fewer than 10".
func TestEvaluationThresholdSetting(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		admin := f.signIn(t, f.account(access.RoleAdmin))
		post := func(v url.Values) response {
			return send(t, admin, "POST", f.ts.URL+"/admin/evaluation/threshold", v)
		}
		for _, tt := range []struct{ value, version, want string }{
			{"4", "0", "Smallest number shown must be a whole number from 5 to 50"},
			{"51", "0", "Smallest number shown must be a whole number from 5 to 50"},
			{"ten", "0", "Smallest number shown must be a whole number from 5 to 50"},
			{"", "0", "Enter the smallest number shown"},
			{"10", "7", "Someone else changed this setting"},
		} {
			if res := post(url.Values{"threshold": {tt.value}, "version": {tt.version}}); res.status != 422 || !strings.Contains(res.body, tt.want) {
				t.Errorf("threshold %q version %s: %d, want 422 with %q", tt.value, tt.version, res.status, tt.want)
			}
		}
		if all, _ := db.EvaluationSettings(t.Context()); len(all) != 0 {
			t.Fatalf("a refused setting was stored: %+v", all)
		}
		if res := post(url.Values{"threshold": {"10"}, "version": {"0"}}); res.status != 303 {
			t.Fatalf("setting 10: %d\n%s", res.status, res.body)
		}
		if res := post(url.Values{"threshold": {"12"}, "version": {"0"}}); res.status != 422 {
			t.Errorf("a second change naming the old version: %d, want 422", res.status)
		}
		if got, err := db.EvaluationSettings(t.Context()); err != nil || got[store.SettingThreshold].Value != 10 || got[store.SettingThreshold].Version != 1 {
			t.Fatalf("stored %+v, %v", got[store.SettingThreshold], err)
		}
		if es, err := db.AuditEntries(t.Context(), store.AuditFilter{RecordType: "evaluation-setting", RecordID: store.SettingThreshold, Page: store.Page{Limit: 10}}); err != nil || len(es) != 1 {
			t.Errorf("audit rows for the setting: %d, %v", len(es), err)
		}
		if res := send(t, admin, "GET", f.ts.URL+"/admin/evaluation", nil); !strings.Contains(res.body, "It is 10 now") {
			t.Errorf("the settings page does not show 10")
		}

		analyst := f.account(access.RoleNationalAnalyst)
		page := send(t, f.signIn(t, analyst), "GET", f.ts.URL+"/evaluation", nil)
		if page.status != 200 || !strings.Contains(page.body, "fewer than 10") || !strings.Contains(page.body, "Numbers from 1 to 9 are not shown") {
			t.Errorf("the dashboard at 10: %d, without \"fewer than 10\"", page.status)
		}
		if strings.Contains(page.body, "fewer than 5") {
			t.Error("the dashboard still says \"fewer than 5\"")
		}
		for _, m := range cellNumbers.FindAllStringSubmatch(page.body, -1) {
			if n, _ := strconv.Atoi(m[1]); n > 0 && n < 10 {
				t.Errorf("the dashboard shows a count of %d at threshold 10", n)
			}
		}
		var raw json.RawMessage
		if st := getInto(t, f, analyst.APIToken, "/api/v1/evaluation/outcomes", &raw); st != 200 {
			t.Fatalf("API: %d", st)
		}
		body := string(raw)
		if !strings.Contains(body, `"threshold":10`) || !strings.Contains(body, "fewer than 10") {
			t.Errorf("the API at 10 does not say so: %.300s", body)
		}
		for _, m := range jsonValues.FindAllStringSubmatch(body, -1) {
			if n, _ := strconv.Atoi(m[1]); n > 0 && n < 10 {
				t.Errorf("the API gives a count of %d at threshold 10", n)
			}
		}
		dl := send(t, f.signIn(t, analyst), "GET", f.ts.URL+"/evaluation/outcomes.csv", nil)
		recs, err := csv.NewReader(strings.NewReader(dl.body)).ReadAll()
		if dl.status != 200 || err != nil {
			t.Fatalf("download: %d %v", dl.status, err)
		}
		for _, rec := range recs[1:] {
			for c, cell := range rec {
				if n, err := strconv.Atoi(cell); err == nil && n > 0 && n < 10 && !strings.Contains(recs[0][c], "median") {
					t.Errorf("the download's %q is %d at threshold 10", recs[0][c], n)
				}
			}
		}
	})
}

// Issue 17 item 5: an administrator sets PHQ-9's meaningful change; the
// change page and its API use it and give the published value and its
// source beside it; clearing it goes back to the published value.
func TestMeaningfulChangeSetting(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		admin := f.signIn(t, f.account(access.RoleAdmin))
		post := func(v url.Values) response {
			return send(t, admin, "POST", f.ts.URL+"/admin/evaluation/change", v)
		}
		for _, tt := range []struct {
			form url.Values
			want string
		}{
			{url.Values{"instrument": {"phq9"}, "version-phq9": {"0"}, "points": {"2.5"}}, "Meaningful change must be a whole number of points: PHQ-9 scores are whole numbers"},
			{url.Values{"instrument": {"phq9"}, "version-phq9": {"0"}, "points": {"28"}}, "Meaningful change must be at most 27.00 points"},
			{url.Values{"instrument": {"phq9"}, "version-phq9": {"0"}, "points": {"0"}}, "Meaningful change must be more than 0"},
			{url.Values{"instrument": {"phq9"}, "version-phq9": {"0"}, "points": {"3.123"}}, "Meaningful change must be a number of points"},
			{url.Values{"instrument": {"phq9"}, "version-phq9": {"0"}, "points": {"-3"}}, "Meaningful change must be a number of points"},
			{url.Values{"instrument": {"phq9"}, "version-phq9": {"0"}, "points": {""}}, "Enter the meaningful change, in points"},
			{url.Values{"instrument": {"nope"}, "points": {"3"}}, "Choose a measure"},
			{url.Values{"instrument": {"phq9"}, "version-phq9": {"4"}, "points": {"3"}}, "Someone else changed this setting"},
		} {
			if res := post(tt.form); res.status != 422 || !strings.Contains(res.body, tt.want) {
				t.Errorf("%v: %d, want 422 with %q", tt.form, res.status, tt.want)
			}
		}
		if all, _ := db.EvaluationSettings(t.Context()); len(all) != 0 {
			t.Fatalf("a refused setting was stored: %+v", all)
		}
		if res := post(url.Values{"instrument": {"phq9"}, "version-phq9": {"0"}, "points": {"3"}}); res.status != 303 {
			t.Fatalf("setting 3: %d", res.status)
		}
		if res := post(url.Values{"instrument": {"swemwbs"}, "version-swemwbs": {"0"}, "points": {"2.5"}}); res.status != 303 {
			t.Fatalf("setting SWEMWBS 2.5: %d", res.status)
		}
		analyst := f.account(access.RoleNationalAnalyst)
		page := send(t, f.signIn(t, analyst), "GET", f.ts.URL+"/evaluation/change", nil)
		if !strings.Contains(page.body, "A meaningful change is 3.00 points or more, as this deployment has set it. The published value is 5.00 points. Source:") ||
			!strings.Contains(page.body, "A meaningful change is 2.50 points or more, as this deployment has set it. The published value is 3.00 points.") ||
			!strings.Contains(page.body, "A meaningful change is 4.00 points or more, the published value. Source:") { // GAD-7, not set
			t.Errorf("the change page does not give the setting beside the published value: %d", page.status)
		}
		var body struct {
			Measures []struct {
				Key       string  `json:"key"`
				InUse     *string `json:"meaningfulChange"`
				Published *string `json:"publishedMeaningfulChange"`
				Set       bool    `json:"meaningfulChangeSet"`
				Source    string  `json:"source"`
			} `json:"measures"`
		}
		if st := getInto(t, f, analyst.APIToken, "/api/v1/evaluation/change", &body); st != 200 {
			t.Fatalf("API: %d", st)
		}
		found := false
		for _, m := range body.Measures {
			if m.Key == "phq9" {
				found = true
				if m.InUse == nil || *m.InUse != "3.00" || m.Published == nil || *m.Published != "5.00" || !m.Set || m.Source == "" {
					t.Errorf("API PHQ-9: %+v", m)
				}
			}
			if m.Key == "gad7" && (m.Set || m.InUse == nil || *m.InUse != "4.00") {
				t.Errorf("API GAD-7: %+v", m)
			}
		}
		if !found {
			t.Error("the API lists no PHQ-9")
		}
		// Back to the published value: the version must be the current one.
		all, _ := db.EvaluationSettings(t.Context())
		v := strconv.FormatInt(all[store.SettingChange("phq9")].Version, 10)
		if res := post(url.Values{"instrument": {"phq9"}, "version-phq9": {v}, "points": {""}}); res.status != 303 {
			t.Fatalf("clearing: %d", res.status)
		}
		page = send(t, f.signIn(t, analyst), "GET", f.ts.URL+"/evaluation/change", nil)
		if strings.Contains(page.body, "3.00 points or more, as this deployment") || !strings.Contains(page.body, "A meaningful change is 5.00 points or more, the published value.") {
			t.Error("the cleared setting is still in use")
		}
	})
}

// Issue 17 item 4: the outcomes dashboard, its API and its download count
// early exits by category, per Practice and pooled, suppressed with the
// rest: every category is there, none shows a count from 1 to 4, and where
// all are shown they add up to the early exits.
func TestEvaluationEarlyExitsByCategory(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t))
	analyst := f.account(access.RoleNationalAnalyst)
	type count struct {
		Value  *int   `json:"value"`
		Reason string `json:"reason"`
	}
	var body struct {
		Rows []struct {
			Name       string           `json:"name"`
			EndedEarly count            `json:"endedEarly"`
			By         map[string]count `json:"endedEarlyBy"`
		} `json:"rows"`
	}
	if st := getInto(t, f, analyst.APIToken, "/api/v1/evaluation/outcomes", &body); st != 200 || len(body.Rows) == 0 {
		t.Fatalf("API: %d, %d rows", st, len(body.Rows))
	}
	cats := []string{"moved-away", "lost-contact", "chose-to-leave", "new-pregnancy", "custody", "ill-health", "died", "other", "not-recorded"}
	for _, r := range body.Rows {
		if len(r.By) != len(cats) {
			t.Errorf("%s: %d categories, want %d", r.Name, len(r.By), len(cats))
		}
		sum, all := 0, r.EndedEarly.Value != nil
		for _, c := range cats {
			x, ok := r.By[c]
			switch {
			case !ok:
				t.Errorf("%s: no %s", r.Name, c)
			case x.Value == nil && x.Reason == "":
				t.Errorf("%s %s: no value and no reason", r.Name, c)
			case x.Value != nil && *x.Value > 0 && *x.Value < 5:
				t.Errorf("%s %s: %d", r.Name, c, *x.Value)
			case x.Value != nil:
				sum += *x.Value
			default:
				all = false
			}
		}
		if all && sum != *r.EndedEarly.Value {
			t.Errorf("%s: categories add up to %d, ended early %d", r.Name, sum, *r.EndedEarly.Value)
		}
	}
	c := f.signIn(t, analyst)
	if page := send(t, c, "GET", f.ts.URL+"/evaluation", nil); !strings.Contains(page.body, "Why programmes ended early") || !strings.Contains(page.body, "Custody or prison") {
		t.Error("the dashboard has no table of early exits by reason")
	}
	dl := send(t, c, "GET", f.ts.URL+"/evaluation/outcomes.csv", nil)
	if !strings.Contains(dl.body, "Ended early: custody or prison") || !strings.Contains(dl.body, "Ended early: not recorded") {
		t.Error("the download has no early exits by reason")
	}
}
