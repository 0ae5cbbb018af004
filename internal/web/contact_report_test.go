package web

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"haven/internal/access"
	"haven/internal/contact"
	"haven/internal/evaluate"
	"haven/internal/haven"
)

// randomFigures is a country of Practices with many small counts: nOrg
// organisations, nPrac Practices, nLA local authorities each covered by one
// to three Practices.
func randomCountry(rng *rand.Rand, nOrg, nPrac, nLA int) country {
	var orgs []access.Organisation
	for i := range nOrg {
		orgs = append(orgs, access.Organisation{ID: int64(i + 1), Name: fmt.Sprintf("Org %d", i+1)})
	}
	var las []access.LocalAuthority
	for i := range nLA {
		las = append(las, access.LocalAuthority{Code: fmt.Sprintf("E06%06d", i), Name: fmt.Sprintf("LA %d", i)})
	}
	var practices []access.Practice
	var reports []contact.Report
	count := func() int {
		switch rng.IntN(4) {
		case 0:
			return 0
		case 1:
			return 1 + rng.IntN(4)
		}
		return 5 + rng.IntN(15)
	}
	measure := func() contact.Measure {
		num := count()
		return contact.Measure{Num: num, Den: num + count()}
	}
	for i := range nPrac {
		p := access.Practice{ID: int64(100 + i), OrganisationID: orgs[i%nOrg].ID, Name: fmt.Sprintf("Practice %d", i)}
		for range min(nLA, 1+rng.IntN(2)) {
			p.LocalAuthorities = append(p.LocalAuthorities, las[rng.IntN(nLA)].Code)
		}
		practices = append(practices, p)
		changed := measure()
		unexplained := contact.Measure{Num: rng.IntN(changed.Num + 1), Den: changed.Num}
		reports = append(reports, contact.Report{Women: changed.Den, WomenChanged: changed, WomenUnexplained: unexplained,
			ChangesNoReason: measure(), LetterboxReviewed: measure(), DirectAtStart: measure(), DirectAtExit: measure()})
	}
	return country{orgs, practices, las, reports}
}

// country is what the figures are built from.
type country struct {
	orgs      []access.Organisation
	practices []access.Practice
	las       []access.LocalAuthority
	reports   []contact.Report
}

func (c country) figures() *contactFigures {
	d := haven.NewDate(2026, 1, 1)
	return buildFigures(c.practices, c.orgs, c.las, c.reports, d, d, 0)
}

// Every row of every contact report, read as a reader would read the pages:
// what each shows, how the rows add up (an organisation is its Practices, a
// local authority's row the Practices covering it, England all of them) and
// how each "N of M" adds up. The reader's attack (evaluate.Bounds: elimination
// and interval bounds, knowing what each reason implies) must work out no
// hidden number. The equations are written out here from the pages, not taken
// from buildFigures, so a relation it forgot would be caught.
func TestContactReportsCannotBeWorkedOut(t *testing.T) {
	for _, tc := range []struct{ orgs, practices, las, seeds int }{{1, 1, 1, 40}, {1, 3, 3, 40}, {2, 5, 4, 40}, {3, 9, 8, 20}, {8, 40, 60, 1}} {
		for seed := range tc.seeds {
			name := fmt.Sprintf("%d organisations, %d Practices, %d local authorities, seed %d", tc.orgs, tc.practices, tc.las, seed)
			c := randomCountry(rand.New(rand.NewPCG(uint64(seed), 15)), tc.orgs, tc.practices, tc.las)
			attack(t, name, c)
		}
	}
}

// attack reads every row of the reports for country c as a reader would,
// and fails if any hidden number can be worked out.
func attack(t *testing.T, name string, c country) {
	t.Helper()
	f := c.figures()
	var tab evaluate.Table
	var why []evaluate.Reason
	var unprinted []bool
	cell := func(v int, r evaluate.Reason) int {
		why, unprinted = append(why, r), append(unprinted, false)
		return tab.Cell(v)
	}
	// Each row's cells as printed: for each measure the count, the whole,
	// and the rest nobody prints. The rest is known to the reader when both
	// are shown; otherwise the reader is credited with knowing whether it is
	// from 1 to 4 or more, which only makes the attack stronger. Working out
	// a rest of 5 or more gives nothing away by itself (a small number it
	// gave away would fail on its own account), so only printed numbers and
	// small rests must stay hidden.
	type printed [][3]int
	read := func(key string) (printed, bool) {
		g, ok := f.group(key)
		if !ok {
			return nil, false
		}
		row := make(printed, len(g.Rows))
		for m, mr := range g.Rows {
			if hidden := mr.Num.Why.Hidden() || mr.Den.Why.Hidden(); hidden != (mr.Percent() == "not shown") {
				t.Errorf("%s, %s, %s: %q beside %q of %q", name, key, mr.Name, mr.Percent(), mr.Num.Text(), mr.Den.Text())
			}
			for _, fg := range []figure{mr.Num, mr.Den} {
				want := map[evaluate.Reason]string{evaluate.Small: "not shown (fewer than 5)",
					evaluate.Protected: "not shown (so that a number under 5 cannot be worked out)"}[fg.Why]
				if fg.Why.Hidden() && fg.Text() != want || !fg.Why.Hidden() && strings.HasPrefix(fg.Text(), "not shown") {
					t.Errorf("%s, %s: %d shown as %q", name, key, fg.Value, fg.Text())
				}
				if fg.Value > 0 && fg.Value < evaluate.MinThreshold && !fg.Why.Hidden() {
					t.Errorf("%s, %s, %s: %d shown as %q", name, key, mr.Name, fg.Value, fg.Text())
				}
			}
			rest := mr.Den.Value - mr.Num.Value
			rr := evaluate.Shown
			switch {
			case rest > 0 && rest < evaluate.MinThreshold:
				rr = evaluate.Small
			case !mr.Shown() && rest > 0:
				rr = evaluate.Protected
			}
			row[m] = [3]int{cell(mr.Num.Value, mr.Num.Why), cell(rest, rr), cell(mr.Den.Value, mr.Den.Why)}
			unprinted[row[m][1]] = rr == evaluate.Protected
			tab.AddSum(row[m][2], row[m][0], row[m][1])
		}
		// The women with an arrangement are printed twice, and so are the women changed.
		w := cell(g.Women.Value, g.Women.Why)
		tab.AddSum(w, row[0][2])
		tab.AddSum(row[0][0], row[2][2])
		return row, true
	}
	rows := map[string]printed{}
	for _, p := range c.practices {
		r, ok := read(practiceKey(p.ID))
		if !ok {
			t.Fatalf("%s: no row for %s", name, p.Name)
		}
		rows[practiceKey(p.ID)] = r
	}
	adds := func(key string, parts []access.Practice) {
		total, ok := read(key)
		if !ok {
			t.Fatalf("%s: no row %s", name, key)
		}
		for m := range total {
			for k := range 3 {
				var ps []int
				for _, p := range parts {
					ps = append(ps, rows[practiceKey(p.ID)][m][k])
				}
				tab.AddSum(total[m][k], ps...)
			}
		}
	}
	for _, o := range c.orgs {
		adds(organisationKey(o.ID), slices.DeleteFunc(slices.Clone(c.practices), func(p access.Practice) bool { return p.OrganisationID != o.ID }))
	}
	for _, la := range c.las {
		in := slices.DeleteFunc(slices.Clone(c.practices), func(p access.Practice) bool { return !slices.Contains(p.LocalAuthorities, la.Code) })
		if len(in) > 0 {
			adds(laKey(la.Code), in)
		}
	}
	adds(nationalKey, c.practices)
	for i, b := range evaluate.Bounds(tab, why) {
		if v := tab.Values[i]; v < b.Lo || !b.Open && v > b.Hi {
			t.Fatalf("%s: the attack excludes the true %d: %+v", name, v, b)
		}
		if why[i].Hidden() && !unprinted[i] && b.Exact() {
			t.Errorf("%s: a hidden %d can be worked out from the reports", name, tab.Values[i])
		}
	}
}

// The report that started issue 15's item 6: "12 of 15" with the 12 hidden
// as "fewer than 5" gave away the 3. Now the 12 is hidden to protect the 3,
// and says so; the percentage goes too.
func TestTwelveOfFifteen(t *testing.T) {
	c := country{orgs: []access.Organisation{{ID: 1, Name: "Trust"}},
		practices: []access.Practice{{ID: 7, OrganisationID: 1, Name: "Riverside", LocalAuthorities: []string{"E08000035"}}},
		las:       []access.LocalAuthority{{Code: "E08000035", Name: "Leeds"}},
		reports: []contact.Report{{Women: 15, WomenChanged: contact.Measure{Num: 12, Den: 15}, WomenUnexplained: contact.Measure{Num: 12, Den: 12},
			ChangesNoReason: contact.Measure{Num: 20, Den: 20}, LetterboxReviewed: contact.Measure{Num: 6, Den: 9}}}}
	f := c.figures()
	for _, key := range []string{practiceKey(7), organisationKey(1), laKey("E08000035"), nationalKey} {
		g, _ := f.group(key)
		changed := g.Rows[0]
		if changed.Num.Text() != "not shown (so that a number under 5 cannot be worked out)" || changed.Den.Text() != "15" || changed.Percent() != "not shown" {
			t.Errorf("%s: %q of %q: %q", key, changed.Num.Text(), changed.Den.Text(), changed.Percent())
		}
		// 12 of the 12 changed were unexplained: printed, it would be the 12 again.
		if g.Rows[2].Den.Text() == "12" {
			t.Errorf("%s: the women changed are hidden in one line and shown in the next", key)
		}
		// 6 of 9 letterbox reviews: the 3 not reviewed hide the 6, and the 9 shows.
		if lb := g.Rows[3]; lb.Num.Why != evaluate.Protected || lb.Den.Text() != "9" {
			t.Errorf("%s: letterbox %q of %q", key, lb.Num.Text(), lb.Den.Text())
		}
		if g.Rows[1].Num.Text() != "20" || g.Rows[1].Percent() != "100%" {
			t.Errorf("%s: 20 of 20 shows as %q: %q", key, g.Rows[1].Num.Text(), g.Rows[1].Percent())
		}
	}
	attack(t, "12 of 15", c)
}
