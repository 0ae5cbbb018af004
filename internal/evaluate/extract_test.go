package evaluate_test

import (
	"flag"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"haven/internal/contact"
	"haven/internal/evaluate"
	"haven/internal/haven"
	"haven/internal/measure"
	"haven/internal/programme"
)

// The pseudonym is stable for one secret, differs with the secret and with
// the person, and is 64 hexadecimal characters.
func TestPseudonym(t *testing.T) {
	a, b := []byte("secret of deployment one, 32 b.."), []byte("secret of deployment two, 32 b..")
	k := evaluate.Pseudonym(a, 17)
	if k != evaluate.Pseudonym(a, 17) {
		t.Error("not stable")
	}
	if k == evaluate.Pseudonym(b, 17) {
		t.Error("the same key under another secret")
	}
	if k == evaluate.Pseudonym(a, 18) {
		t.Error("two women share a key")
	}
	if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(k) {
		t.Errorf("key %q", k)
	}
}

func TestMonthYear(t *testing.T) {
	for d, want := range map[haven.Date]string{
		haven.NewDate(2024, 3, 31): "2024-03", haven.NewDate(1999, 12, 1): "1999-12", {}: "",
	} {
		if got := evaluate.MonthYear(d); got != want {
			t.Errorf("%v: %q, want %q", d, got, want)
		}
	}
}

// Age bands at engagement, at each edge: the day before a birthday and the day of it.
func TestEngagementAgeBandEdges(t *testing.T) {
	born := haven.NewDate(2000, 6, 15)
	leap := haven.NewDate(2004, 2, 29)
	tests := []struct {
		born, engaged haven.Date
		want          string
	}{
		{born, haven.NewDate(2014, 1, 1), "under-18"},
		{born, haven.NewDate(2018, 6, 14), "under-18"},
		{born, haven.NewDate(2018, 6, 15), "18-19"},
		{born, haven.NewDate(2020, 6, 14), "18-19"},
		{born, haven.NewDate(2020, 6, 15), "20-24"},
		{born, haven.NewDate(2025, 6, 14), "20-24"},
		{born, haven.NewDate(2025, 6, 15), "25-29"},
		{born, haven.NewDate(2030, 6, 14), "25-29"},
		{born, haven.NewDate(2030, 6, 15), "30-34"},
		{born, haven.NewDate(2035, 6, 15), "35-39"},
		{born, haven.NewDate(2040, 6, 14), "35-39"},
		{born, haven.NewDate(2040, 6, 15), "40+"},
		{born, haven.NewDate(2062, 1, 1), "40+"},
		{leap, haven.NewDate(2022, 2, 28), "under-18"}, // born on 29 February: 18 on 1 March in a common year
		{leap, haven.NewDate(2022, 3, 1), "18-19"},
		{haven.Date{}, haven.NewDate(2022, 3, 1), "unknown"},
		{born, haven.Date{}, "unknown"}, // never engaged
		{born, haven.NewDate(1999, 1, 1), "unknown"},
	}
	for _, tt := range tests {
		got := evaluate.EngagementAgeBand(evaluate.Journey{BornOn: tt.born, EngagedOn: tt.engaged})
		if got != tt.want {
			t.Errorf("born %v, engaged %v: %q, want %q", tt.born, tt.engaged, got, tt.want)
		}
		if !slices.Contains(evaluate.EngagementAgeBands, got) {
			t.Errorf("%q is not a band the dictionary lists", got)
		}
	}
}

// value reads one cell of an extract row by its column's name.
func value(t *testing.T, x evaluate.Extract, row int, name string) evaluate.Value {
	t.Helper()
	for i, c := range x.Columns {
		if c.Name == name {
			return x.Rows[row][i]
		}
	}
	t.Fatalf("no column %q", name)
	return evaluate.Value{}
}

func show(v evaluate.Value) string {
	switch v.Kind {
	case evaluate.Text:
		return v.Text
	case evaluate.Whole:
		return "#" + strconv.FormatInt(v.Int, 10)
	case evaluate.Decimal:
		return "." + strconv.FormatInt(v.Int, 10)
	}
	return ""
}

func TestBuildExtract(t *testing.T) {
	asOf := haven.NewDate(2026, 12, 1)
	phqAnswers := func(v int) []measure.Answer {
		as := make([]measure.Answer, 9)
		for i := range as {
			as[i] = measure.A(v)
		}
		return as
	}
	score := func(id measure.ID, as []measure.Answer) measure.Result {
		r, err := measure.Score(id, as)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	swem := make([]measure.Answer, 7)
	for i := range swem {
		swem[i] = measure.A(3)
	}
	ons := []measure.Answer{measure.A(6), measure.A(7), measure.A(5), measure.A(4)}
	j := evaluate.Journey{Enrolment: 9, Person: 5, Practice: 2, Ended: evaluate.Completed,
		ReferredOn: haven.NewDate(2021, 12, 20), EngagedOn: haven.NewDate(2022, 1, 10), StartedOn: haven.NewDate(2022, 4, 2), EndedOn: haven.NewDate(2023, 7, 31),
		BornOn: haven.NewDate(1999, 1, 11), CareExperienced: "yes",
		Pregnancies: []haven.Date{haven.NewDate(2021, 11, 1), haven.NewDate(2023, 9, 1)},
		Proceedings: []evaluate.Proceedings{{IssuedOn: haven.NewDate(2018, 3, 5), Index: true, Outcome: "placement-order"}, {IssuedOn: haven.NewDate(2024, 3, 5)}}}
	// Her earlier enrolment: never engaged, no measures of its own.
	early := evaluate.Journey{Enrolment: 3, Person: 5, Practice: 2, ReferredOn: haven.NewDate(2019, 5, 1), EndedOn: haven.NewDate(2019, 8, 1), Ended: evaluate.EndedEarly,
		BornOn: j.BornOn, CareExperienced: "", Proceedings: j.Proceedings}
	other := evaluate.Journey{Enrolment: 11, Person: 6, Practice: 3, ReferredOn: haven.NewDate(2026, 10, 1)}
	x := evaluate.BuildExtract(evaluate.ExtractInput{
		Secret: []byte("a secret of thirty-two bytes...."), AsOf: asOf,
		Journeys:  []evaluate.Journey{j, early, other},
		Phases:    map[int64]string{9: "follow-on", 3: "closed", 11: "referred"},
		Practices: map[int64]string{2: "north-vale", 3: "south-dale"},
		Readings: []evaluate.Reading{
			{Person: 5, Instrument: measure.PHQ9, Point: measure.Baseline, TakenOn: haven.NewDate(2022, 1, 20), Result: score(measure.PHQ9, phqAnswers(2))},
			{Person: 5, Instrument: measure.PHQ9, Point: measure.Baseline, TakenOn: haven.NewDate(2022, 2, 20), Result: score(measure.PHQ9, phqAnswers(3))},
			{Person: 5, Instrument: measure.PHQ9, Point: measure.Exit, TakenOn: haven.NewDate(2023, 7, 1), Result: score(measure.PHQ9, phqAnswers(1))},
			{Person: 5, Instrument: measure.PHQ9, Point: measure.Exit, TakenOn: haven.NewDate(2023, 7, 30), Result: score(measure.PHQ9, phqAnswers(0))},
			{Person: 5, Instrument: measure.SWEMWBS, Point: measure.Baseline, TakenOn: haven.NewDate(2022, 1, 20), Result: score(measure.SWEMWBS, swem)},
			{Person: 5, Instrument: measure.ONS4, Point: measure.Exit, TakenOn: haven.NewDate(2023, 7, 30), Result: score(measure.ONS4, ons)},
			// After her programme ended: not this enrolment's exit.
			{Person: 5, Instrument: measure.GAD7, Point: measure.Exit, TakenOn: haven.NewDate(2024, 1, 1), Result: score(measure.GAD7, phqAnswers(1)[:7])},
		},
		Outcomes: []string{"care-order", "placement-order"},
	})
	for i, r := range x.Rows {
		if len(r) != len(x.Columns) {
			t.Fatalf("row %d has %d values for %d columns", i, len(r), len(x.Columns))
		}
	}
	want := map[string]string{
		"person_key": evaluate.Pseudonym([]byte("a secret of thirty-two bytes...."), 5), "enrolment_number": "#2", "practice": "north-vale",
		"phase": "follow-on", "ending": "completed", "referred_month": "2021-12", "engaged_month": "2022-01", "programme_started_month": "2022-04",
		"ended_month": "2023-07", "age_band_at_engagement": "20-24", "age_band_at_first_proceedings": "14-19", "care_experienced": "yes",
		"metric1": "met", "metric2": "not-met", "pregnancies_during_programme": "#0", "index_proceedings_month": "2018-03",
		"index_outcome": "placement-order", "next_proceedings": "yes", "days_to_next_proceedings": "#2192",
		"phq9_baseline_total": "#18", "phq9_exit_total": "#0", "swemwbs_baseline_total": "#21", "swemwbs_baseline_metric": ".1925",
		"swemwbs_exit_total": "", "ons4_life_satisfaction_exit": "#6", "ons4_anxiety_exit": "#4", "ons4_anxiety_baseline": "", "gad7_exit_total": "",
	}
	for name, w := range want {
		if got := show(value(t, x, 0, name)); got != w {
			t.Errorf("%s: %q, want %q", name, got, w)
		}
	}
	for name, w := range map[string]string{"enrolment_number": "#1", "ending": "ended-early", "engaged_month": "", "metric1": "left-out",
		"pregnancies_during_programme": "", "care_experienced": "unknown", "age_band_at_engagement": "unknown", "phq9_baseline_total": ""} {
		if got := show(value(t, x, 1, name)); got != w {
			t.Errorf("earlier enrolment %s: %q, want %q", name, got, w)
		}
	}
	for name, w := range map[string]string{"next_proceedings": "", "days_to_next_proceedings": "", "index_outcome": "", "age_band_at_first_proceedings": "unknown",
		"metric2": "left-out", "ending": "not-ended"} {
		if got := show(value(t, x, 2, name)); got != w {
			t.Errorf("woman with no proceedings %s: %q, want %q", name, got, w)
		}
	}
	// Dates as months only: no text value anywhere is a full date.
	full := regexp.MustCompile(`\d{4}-\d{2}-\d{2}`)
	for _, r := range x.Rows {
		for i, v := range r {
			if full.MatchString(v.Text) {
				t.Errorf("%s holds a full date %q", x.Columns[i].Name, v.Text)
			}
		}
	}
}

// The dictionary names every column once, and lists the phases and
// outcomes the rest of Haven uses.
func TestExtractDictionary(t *testing.T) {
	var outcomes []string
	for _, c := range contact.Outcomes() {
		outcomes = append(outcomes, c.Value)
	}
	x := evaluate.BuildExtract(evaluate.ExtractInput{Outcomes: outcomes})
	seen := map[string]bool{}
	for _, c := range x.Columns {
		if seen[c.Name] || c.Type == "" || c.Allowed == "" || c.Meaning == "" || !regexp.MustCompile(`^[a-z0-9_]+$`).MatchString(c.Name) {
			t.Errorf("column %+v", c)
		}
		seen[c.Name] = true
		switch c.Name {
		case "phase":
			for _, p := range programme.Phases {
				if !strings.Contains(c.Allowed, string(p)) {
					t.Errorf("phase %q is not in the dictionary", p)
				}
			}
		case "index_outcome":
			for _, o := range outcomes {
				if !strings.Contains(c.Allowed, o) {
					t.Errorf("outcome %q is not in the dictionary", o)
				}
			}
		case "wemwbs_baseline_total", "swemwbs_exit_metric":
			if !strings.Contains(c.Meaning, "©") {
				t.Errorf("%s lacks its copyright line", c.Name)
			}
		}
	}
	if len(x.Columns) < 30 {
		t.Errorf("only %d columns", len(x.Columns))
	}
}

var updateDictionary = flag.Bool("update-dictionary", false, "rewrite the data dictionary in docs/EVALUATION-EXTRACT.md")

// dictionaryTable is the data dictionary as a Markdown table.
func dictionaryTable() string {
	var outcomes []string
	for _, c := range contact.Outcomes() {
		outcomes = append(outcomes, c.Value)
	}
	esc := strings.NewReplacer("|", `\|`).Replace
	var b strings.Builder
	b.WriteString("| Column | Type | Allowed values | Meaning |\n|---|---|---|---|\n")
	for _, c := range evaluate.BuildExtract(evaluate.ExtractInput{Outcomes: outcomes}).Columns {
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", c.Name, esc(c.Type), esc(c.Allowed), esc(c.Meaning))
	}
	return b.String()
}

// The documented dictionary (the CSV's, which has no second sheet) is the
// one the code writes.
func TestExtractDictionaryDocumented(t *testing.T) {
	const path = "../../docs/EVALUATION-EXTRACT.md"
	const start, end = "<!-- dictionary:start -->\n", "<!-- dictionary:end -->"
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	i, j := strings.Index(doc, start), strings.Index(doc, end)
	if i < 0 || j < i {
		t.Fatalf("%s has no dictionary markers", path)
	}
	want := dictionaryTable()
	if *updateDictionary {
		if err := os.WriteFile(path, []byte(doc[:i+len(start)]+want+doc[j:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if got := doc[i+len(start) : j]; got != want {
		t.Errorf("%s's dictionary differs from the code's: run go test ./internal/evaluate -run TestExtractDictionaryDocumented -update-dictionary", path)
	}
}
