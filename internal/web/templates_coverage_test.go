package web

import (
	"fmt"
	"strings"
	"testing"

	"haven/internal/access"
	"haven/internal/directory"
)

// directoryCoverageTemplateCases are TestEveryTemplateRenders' cases for
// the commissioners' coverage page.
func directoryCoverageTemplateCases() map[string]struct {
	p    page
	want string
} {
	c := dirCoverage{Areas: 153, Levels: dirLevels{None: 150, Service: 2, Pause: 1},
		Uncovered: []mapArea{{Code: "E06000001", Name: "Hartlepool", Region: "North East"}, {Code: "E09000001", Name: "City of <London>"}},
		Summary:   directory.Summarise([]directory.Service{{Entry: directory.Entry{Status: directory.StatusActive}, PracticeID: 1}})}
	p := &dirCoveragePage{Layout: Layout{Title: "Coverage of the directory"}, dirCoverage: c, Covering: dirCoveringText(),
		Tables: c.tallyTables(), StatusTable: c.statusRows(), CSV: "/directory/coverage.csv", XLSX: "/directory/coverage.xlsx"}
	return map[string]struct {
		p    page
		want string
	}{
		"directory-coverage.html": {p, "City of &lt;London&gt;"},
	}
}

// A name is looked up without guessing: a whole name that fits one
// authority goes straight to it, as does the only match; several partial
// matches, or several whole ones, are offered as choices.
func TestDirPickArea(t *testing.T) {
	las := []access.LocalAuthority{
		{Code: "E06000014", Name: "York"}, {Code: "E06000065", Name: "North Yorkshire"}, {Code: "E06000011", Name: "East Riding of Yorkshire"},
		{Code: "E10000016", Name: "Kent"}, {Code: "E08000035", Name: "Leeds"}, {Code: "E06000010", Name: "Kingston upon Hull, City of"},
		{Code: "E08000029", Name: "Solihull"}, {Code: "E09000021", Name: "Kingston upon Thames"},
	}
	names := func(ms []access.AreaMatch) []string {
		var out []string
		for _, m := range ms {
			out = append(out, m.Authority.Name)
		}
		return out
	}
	tests := []struct {
		typed   string
		want    string   // the authority gone to straight away, or ""
		choices []string // otherwise, the choices offered
	}{
		{"York", "York", nil},       // exact, although North Yorkshire starts with it too
		{"york", "York", nil},       // whatever the case
		{"E06000014", "York", nil},  // a code is exact
		{"Leeds", "Leeds", nil},     // the only match
		{"Canterbury", "Kent", nil}, // a council district's whole name
		{"Kingston upon Hull", "Kingston upon Hull, City of", nil},
		{"Yorkshire", "", []string{"East Riding of Yorkshire", "North Yorkshire"}},
		{"Kingston", "", []string{"Kingston upon Hull, City of", "Kingston upon Thames"}},
		{"hull", "", []string{"Kingston upon Hull, City of", "Solihull"}},
		{"Atlantis", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.typed, func(t *testing.T) {
			one, choices := dirPickArea(access.FindAreas(tt.typed, las, dirMaxChoices).Matches)
			got := ""
			if one != nil {
				got = one.Authority.Name
			}
			if got != tt.want || fmt.Sprint(names(choices)) != fmt.Sprint(tt.choices) {
				t.Errorf("dirPickArea(%q) = %q, %v; want %q, %v", tt.typed, got, names(choices), tt.want, tt.choices)
			}
		})
	}
}

func TestDirPagination(t *testing.T) {
	href := func(n int) string { return fmt.Sprintf("/p%d", n) }
	render := func(p *dirPages) string {
		if p == nil {
			return "none"
		}
		var b strings.Builder
		fmt.Fprintf(&b, "prev=%s next=%s:", p.Prev, p.Next)
		for _, it := range p.Items {
			switch {
			case it.Ellipsis:
				b.WriteString(" …")
			case it.Current:
				fmt.Fprintf(&b, " [%d]", it.Number)
			default:
				fmt.Fprintf(&b, " %d", it.Number)
			}
		}
		return b.String()
	}
	tests := []struct {
		cur, last int
		want      string
	}{
		{1, 1, "none"},
		{1, 2, "prev= next=/p2: [1] 2"},
		{2, 4, "prev=/p1 next=/p3: 1 [2] 3 4"},
		{1, 10, "prev= next=/p2: [1] 2 … 10"},
		{5, 10, "prev=/p4 next=/p6: 1 … 4 [5] 6 … 10"},
		{10, 10, "prev=/p9 next=: 1 … 9 [10]"},
	}
	for _, tt := range tests {
		if got := render(dirPagination(tt.cur, tt.last, href)); got != tt.want {
			t.Errorf("dirPagination(%d, %d) = %q, want %q", tt.cur, tt.last, got, tt.want)
		}
	}
	for _, tt := range []struct {
		raw   string
		total int
		want  int
		ok    bool
	}{
		{"", 0, 1, true}, {"", 63, 1, true}, {"1", 0, 1, true}, {"3", 63, 3, true}, {"4", 63, 4, true}, {"5", 63, 0, false},
		{"0", 63, 0, false}, {"-1", 63, 0, false}, {"two", 63, 0, false}, {"+2", 63, 0, false}, {"99999999999", 63, 0, false},
	} {
		if got, ok := dirPageNumber(tt.raw, tt.total); ok != tt.ok || (ok && got != tt.want) {
			t.Errorf("dirPageNumber(%q, %d) = %d, %v; want %d, %v", tt.raw, tt.total, got, ok, tt.want, tt.ok)
		}
	}
}
