package web

import (
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"haven/internal/calculator"
)

// FuzzScenarioForm: the save form is read without panicking whatever is
// sent; what it accepts has a name of 1 to 100 characters, a known
// calculator and inputs the calculator reads again without a problem and
// encodes to the same query; what it refuses names its field.
func FuzzScenarioForm(f *testing.F) {
	for _, seed := range [][3]string{
		{"return-home", "Base case", "children=100&support=7%2C857&baseline=47"},
		{"return-home", "By need", "supportBy=need&highShare=53&mediumShare=27&lowShare=20"},
		{"infant-care", "Pause", "careCost=60000&programmeCost=500000&years=18"},
		{"infant-care", "No costs", "avoided=14.4"},
		{"return-home", "", "children=-1"},
		{"payroll", "x", "a=1"},
		{"return-home", strings.Repeat("é", 101), "children=%zz"},
	} {
		f.Add(seed[0], seed[1], seed[2])
	}
	f.Fuzz(func(t *testing.T, calc, name, query string) {
		form, encoded, errs := readScenarioForm(url.Values{"calculator": {calc}, "name": {name}, "query": {query}})
		for _, e := range errs {
			if (e.Field != "scenario-name" && e.Field != "scenario-inputs") || e.Message == "" {
				t.Fatalf("error %+v", e)
			}
		}
		if len(errs) > 0 {
			return
		}
		if form.Name == "" || utf8.RuneCountInString(form.Name) > maxScenarioName || form.Name != strings.TrimSpace(name) {
			t.Fatalf("accepted the name %q", form.Name)
		}
		q, err := url.ParseQuery(encoded)
		if err != nil {
			t.Fatal(err)
		}
		var again string
		var problems calculator.Problems
		switch calc {
		case "return-home":
			var in calculator.ReturnHome
			in, problems = calculator.ParseReturnHome(q)
			again = in.Query().Encode()
		case "infant-care":
			var in calculator.InfantCare
			in, problems = calculator.ParseInfantCareAPI(q)
			again = in.Query().Encode()
		default:
			t.Fatalf("accepted the calculator %q", calc)
		}
		if len(problems) > 0 || again != encoded {
			t.Fatalf("%q reads back as %q, %v", encoded, again, problems)
		}
	})
}
