package measure_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"haven/internal/measure"
)

// The published tables, written out here from MEASURES.md and the brief
// independently of the package's own tables, so that a slip in either fails.

// swemwbsPublished is MEASURES.md's conversion list, verbatim.
const swemwbsPublished = `7→7.00, 8→9.51, 9→11.25, 10→12.40,
11→13.33, 12→14.08, 13→14.75, 14→15.32, 15→15.84, 16→16.36, 17→16.88, 18→17.43, 19→17.98, 20→18.59,
21→19.25, 22→19.98, 23→20.73, 24→21.54, 25→22.35, 26→23.21, 27→24.11, 28→25.03, 29→26.02, 30→27.03,
31→28.13, 32→29.31, 33→30.70, 34→32.55, 35→35.00`

func swemwbsTable(t *testing.T) map[int]string {
	t.Helper()
	out := map[int]string{}
	for _, pair := range strings.Split(swemwbsPublished, ",") {
		raw, metric, ok := strings.Cut(strings.TrimSpace(pair), "→")
		if !ok {
			t.Fatalf("bad pair %q", pair)
		}
		var n int
		if _, err := fmt.Sscan(raw, &n); err != nil {
			t.Fatal(err)
		}
		out[n] = metric
	}
	if len(out) != 29 {
		t.Fatalf("the published table has %d rows, want 29 (raw 7–35)", len(out))
	}
	return out
}

type band struct {
	from, to int
	band     measure.Band
}

var published = map[measure.ID][]band{
	measure.PHQ9: {{0, 4, "minimal"}, {5, 9, "mild"}, {10, 14, "moderate"}, {15, 19, "moderately-severe"}, {20, 27, "severe"}},
	measure.GAD7: {{0, 4, "minimal"}, {5, 9, "mild"}, {10, 14, "moderate"}, {15, 21, "severe"}},
}

var onsPublished = map[string][]band{
	"lifeSatisfaction": {{0, 4, "low"}, {5, 6, "medium"}, {7, 8, "high"}, {9, 10, "very-high"}},
	"worthwhile":       {{0, 4, "low"}, {5, 6, "medium"}, {7, 8, "high"}, {9, 10, "very-high"}},
	"happiness":        {{0, 4, "low"}, {5, 6, "medium"}, {7, 8, "high"}, {9, 10, "very-high"}},
	"anxiety":          {{0, 1, "very-low"}, {2, 3, "low"}, {4, 5, "medium"}, {6, 10, "high"}},
}

func bandFor(t *testing.T, bands []band, score int) measure.Band {
	t.Helper()
	for _, b := range bands {
		if score >= b.from && score <= b.to {
			return b.band
		}
	}
	if bands == nil {
		return ""
	}
	t.Fatalf("score %d is in no published band", score)
	return ""
}

func instrument(t *testing.T, id measure.ID) *measure.Instrument {
	t.Helper()
	in, ok := measure.Lookup(id)
	if !ok {
		t.Fatalf("no instrument %q", id)
	}
	return in
}

// each calls f with every complete set of answers to n items of range min..max.
func each(n, min, max int, f func([]measure.Answer)) {
	a := make([]measure.Answer, n)
	for i := range a {
		a[i] = measure.A(min)
	}
	for {
		f(a)
		i := 0
		for i < n && a[i].Value == max {
			a[i] = measure.A(min)
			i++
		}
		if i == n {
			return
		}
		a[i] = measure.A(a[i].Value + 1)
	}
}

// Every complete set of answers to SWEMWBS, PHQ-9, GAD-7 and ONS4 (and so
// every possible raw total) scores as published: total, band, metric and flag.
func TestEveryAnswerSetScoresAsPublished(t *testing.T) {
	swemwbs := swemwbsTable(t)
	for _, id := range []measure.ID{measure.SWEMWBS, measure.PHQ9, measure.GAD7, measure.ONS4} {
		t.Run(string(id), func(t *testing.T) {
			in := instrument(t, id)
			totals := map[int]int{}
			each(len(in.Items), in.Min, in.Max, func(a []measure.Answer) {
				sum := 0
				for _, x := range a {
					sum += x.Value
				}
				r, err := in.Score(a)
				if err != nil {
					t.Fatalf("%v: %v", a, err)
				}
				if !r.Valid || r.Missing != 0 || r.Reason != "" {
					t.Fatalf("%v: not valid: %+v", a, r)
				}
				totals[sum]++
				switch id {
				case measure.ONS4:
					if r.HasTotal || r.Band != "" || r.HasMetric {
						t.Fatalf("ONS4 has a total, band or metric: %+v", r)
					}
					if len(r.Parts) != 4 {
						t.Fatalf("ONS4 parts: %+v", r.Parts)
					}
					for i, p := range r.Parts {
						if p.Key != in.Items[i].Key || p.Value != a[i].Value || p.Band != bandFor(t, onsPublished[p.Key], a[i].Value) {
							t.Fatalf("%v: part %d = %+v", a, i, p)
						}
					}
				default:
					if !r.HasTotal || r.Total != sum {
						t.Fatalf("%v: total %d (%v), want %d", a, r.Total, r.HasTotal, sum)
					}
					if want := bandFor(t, published[id], sum); r.Band != want {
						t.Fatalf("%v: band %q, want %q", a, r.Band, want)
					}
					if id == measure.SWEMWBS {
						if !r.HasMetric || r.Metric.String() != swemwbs[sum] {
							t.Fatalf("raw %d: metric %s, want %s", sum, r.Metric, swemwbs[sum])
						}
					} else if r.HasMetric {
						t.Fatalf("%s has a metric score", id)
					}
				}
				wantFlag := id == measure.PHQ9 && a[8].Value > 0
				if got := len(r.Flags) == 1 && r.Flags[0] == measure.FlagItem9; got != wantFlag || (!wantFlag && len(r.Flags) != 0) {
					t.Fatalf("%v: flags %v, want item9 %v", a, r.Flags, wantFlag)
				}
			})
			// Every raw total from all-minimum to all-maximum was reached.
			n := len(in.Items)
			for sum := n * in.Min; sum <= n*in.Max; sum++ {
				if totals[sum] == 0 {
					t.Errorf("raw total %d never reached", sum)
				}
			}
		})
	}
}

// WEMWBS has 5^14 answer sets, so every raw total 14–70 is reached several
// ways instead: filled from the front, from the back and evenly.
func TestWEMWBSEveryTotal(t *testing.T) {
	in := instrument(t, measure.WEMWBS)
	for sum := 14; sum <= 70; sum++ {
		for _, fill := range []string{"front", "back", "even"} {
			a := make([]measure.Answer, 14)
			left := sum - 14
			for i := range a {
				a[i] = measure.A(1)
			}
			for left > 0 {
				for i := range a {
					j := i
					if fill == "back" {
						j = 13 - i
					}
					if left == 0 || a[j].Value == 5 {
						continue
					}
					step := 1
					if fill != "even" {
						step = min(4-(a[j].Value-1), left)
					}
					a[j] = measure.A(a[j].Value + step)
					left -= step
				}
			}
			r, err := in.Score(a)
			if err != nil {
				t.Fatal(err)
			}
			if !r.Valid || !r.HasTotal || r.Total != sum || r.Band != "" || r.HasMetric || len(r.Flags) != 0 {
				t.Errorf("raw %d (%s): %+v", sum, fill, r)
			}
		}
	}
}

// The metric table covers every SWEMWBS raw total and says 29 → 26.02, the
// value chosen (MEASURES.md's warning: one copy says 25.99; docs/MEASURES.md
// says why 26.02).
func TestSWEMWBSMetricTable(t *testing.T) {
	in := instrument(t, measure.SWEMWBS)
	for raw, want := range swemwbsTable(t) {
		a := make([]measure.Answer, 7)
		left := raw
		for i := range a {
			v := min(5, left-(6-i)) // leave at least 1 for each later item
			a[i] = measure.A(v)
			left -= v
		}
		r, err := in.Score(a)
		if err != nil {
			t.Fatal(err)
		}
		if r.Total != raw || r.Metric.String() != want {
			t.Errorf("raw %d: total %d metric %s, want %s", raw, r.Total, r.Metric, want)
		}
	}
}

// Every pattern of missing items (all 2^n, 16,384 for WEMWBS) is "not
// scored: N items missing", with no total, metric, band or parts: never a guess.
func TestEveryMissingPatternIsNotScored(t *testing.T) {
	for _, in := range measure.All() {
		t.Run(string(in.ID), func(t *testing.T) {
			n := len(in.Items)
			for mask := 0; mask < 1<<n; mask++ {
				a := make([]measure.Answer, n)
				missing := 0
				for i := range a {
					if mask&(1<<i) != 0 {
						a[i] = measure.Missing
						missing++
					} else {
						a[i] = measure.A(in.Max) // item 9 of PHQ-9 at its top: the flag must survive a gap
					}
				}
				r, err := in.Score(a)
				if err != nil {
					t.Fatalf("mask %b: %v", mask, err)
				}
				if missing == 0 {
					if !r.Valid || r.Reason != "" {
						t.Fatalf("complete form not scored: %+v", r)
					}
					continue
				}
				want := fmt.Sprintf("not scored: %d items missing", missing)
				if missing == 1 {
					want = "not scored: 1 item missing"
				}
				if r.Valid || r.Reason != want || r.Missing != missing || r.HasTotal || r.Total != 0 || r.HasMetric || r.Band != "" || r.Parts != nil {
					t.Fatalf("mask %b: %+v, want %q and nothing else", mask, r, want)
				}
				if in.ID == measure.PHQ9 {
					item9 := mask&(1<<8) == 0
					if got := len(r.Flags) == 1 && r.Flags[0] == measure.FlagItem9; got != item9 {
						t.Fatalf("mask %b: flags %v, want item9 %v (item 9 answered 3)", mask, r.Flags, item9)
					}
				} else if len(r.Flags) != 0 {
					t.Fatalf("%s flags %v", in.ID, r.Flags)
				}
			}
		})
	}
}

// An answer outside its item's range is refused, naming the item; so is the
// wrong number of answers.
func TestOutOfRangeAndWrongCountRefused(t *testing.T) {
	for _, in := range measure.All() {
		n := len(in.Items)
		for i, it := range in.Items {
			for _, v := range []int{in.Min - 1, in.Max + 1, -1 << 31, 1 << 31} {
				if v >= in.Min && v <= in.Max {
					continue
				}
				a := make([]measure.Answer, n)
				for j := range a {
					a[j] = measure.A(in.Min)
				}
				a[i] = measure.A(v)
				_, err := in.Score(a)
				ie, ok := errors.AsType[*measure.InputError](err)
				if !ok {
					t.Fatalf("%s item %d = %d: %v, want an InputError", in.ID, i+1, v, err)
				}
				want := fmt.Sprintf("%s must be a whole number from %d to %d", it.Label, in.Min, in.Max)
				if ie.Item != i+1 || ie.Message != want {
					t.Errorf("%s item %d = %d: %+v, want item %d %q", in.ID, i+1, v, ie, i+1, want)
				}
			}
		}
		for _, count := range []int{0, n - 1, n + 1, 100} {
			_, err := in.Score(make([]measure.Answer, count))
			ie, ok := errors.AsType[*measure.InputError](err)
			if !ok || ie.Item != 0 || !strings.Contains(ie.Message, fmt.Sprintf("has %d items", n)) {
				t.Errorf("%s with %d answers: %v", in.ID, count, err)
			}
		}
	}
	// Check names every bad answer at once, so a form can show them all.
	in := instrument(t, measure.ONS4)
	errs := in.Check([]measure.Answer{measure.A(-1), measure.A(5), measure.Missing, measure.A(11)})
	if len(errs) != 2 || errs[0].Item != 1 || errs[1].Item != 4 || errs[1].Message != "Anxiety must be a whole number from 0 to 10" {
		t.Errorf("Check: %v", errs)
	}
	if _, err := measure.Score("core10", nil); err == nil {
		t.Error("an unknown instrument was scored")
	}
}

// Each instrument carries what every copy must show, and WEMWBS/SWEMWBS
// wording, under copyright, is never held.
func TestInstrumentsCarryTheirTerms(t *testing.T) {
	tests := []struct {
		id         measure.ID
		items      int
		min, max   int
		worded     bool
		registered bool
		copyright  string
		change     string // "" where none is published
	}{
		{measure.WEMWBS, 14, 1, 5, false, true, "© NHS Health Scotland, University of Warwick and University of Edinburgh", "3.00"},
		{measure.SWEMWBS, 7, 1, 5, false, true, "© NHS Health Scotland, University of Warwick and University of Edinburgh, 2008, all rights reserved", "3.00"},
		{measure.PHQ9, 9, 0, 3, true, false, "Pfizer", "5.00"},
		{measure.GAD7, 7, 0, 3, true, false, "Pfizer", "4.00"},
		{measure.ONS4, 4, 0, 10, true, false, "Office for National Statistics", ""},
	}
	if len(measure.All()) != len(tests) {
		t.Fatalf("%d instruments, want %d", len(measure.All()), len(tests))
	}
	for _, tt := range tests {
		in := instrument(t, tt.id)
		if len(in.Items) != tt.items || in.Min != tt.min || in.Max != tt.max || in.Registered != tt.registered {
			t.Errorf("%s: %d items %d–%d registered %v", tt.id, len(in.Items), in.Min, in.Max, in.Registered)
		}
		if !strings.Contains(in.Copyright, tt.copyright) {
			t.Errorf("%s copyright %q lacks %q", tt.id, in.Copyright, tt.copyright)
		}
		if len(in.Options) != tt.max-tt.min+1 || in.Options[0].Value != tt.min || in.Options[len(in.Options)-1].Value != tt.max {
			t.Errorf("%s options %v", tt.id, in.Options)
		}
		for _, it := range in.Items {
			if (it.Text != "") != tt.worded || it.Label == "" || it.Key == "" {
				t.Errorf("%s item %+v: worded %v", tt.id, it, tt.worded)
			}
		}
		c := in.Change
		switch {
		case tt.change == "":
			if c.Points != 0 || !strings.HasPrefix(c.Check, "TODO(lead)") {
				t.Errorf("%s: a meaningful change with no published source: %+v", tt.id, c)
			}
		case c.Points.String() != tt.change || c.Source == "":
			t.Errorf("%s: meaningful change %s (%q), want %s with its source", tt.id, c.Points, c.Source, tt.change)
		}
		if in.MissingRule == "" {
			t.Errorf("%s says nothing about missing items", tt.id)
		}
	}
}

func TestHundredthsString(t *testing.T) {
	for _, tt := range []struct {
		h    measure.Hundredths
		want string
	}{{0, "0.00"}, {7, "0.07"}, {700, "7.00"}, {2602, "26.02"}, {-5, "-0.05"}, {-300, "-3.00"}, {3500, "35.00"}} {
		if got := tt.h.String(); got != tt.want {
			t.Errorf("%d: %q, want %q", int(tt.h), got, tt.want)
		}
	}
}
