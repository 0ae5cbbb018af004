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
