package evaluate

import (
	"math/rand/v2"
	"testing"

	"haven/internal/haven"
	"haven/internal/measure"
)

// reading scores answers for one woman at a point.
func reading(t *testing.T, person int64, id measure.ID, point measure.Point, on haven.Date, answers ...int) Reading {
	t.Helper()
	as := make([]measure.Answer, len(answers))
	for i, a := range answers {
		as[i] = measure.A(a)
	}
	res, err := measure.Score(id, as)
	if err != nil {
		t.Fatal(err)
	}
	return Reading{Person: person, Point: point, TakenOn: on, ID: person*100 + int64(on.Time().YearDay()), Result: res}
}

// phq makes PHQ-9 answers adding up to total (each item 0–3).
func phq(total int) []int {
	out := make([]int, 9)
	for i := range out {
		out[i] = min(3, total)
		total -= out[i]
	}
	return out
}

func measureByKey(key string) ChangeMeasure {
	for _, m := range ChangeMeasures() {
		if m.Key == key {
			return m
		}
	}
	panic(key)
}

// The pair is her first baseline with her latest exit after it, or with no
// exit her latest later score; a score on the baseline's own day is not later.
func TestPairFor(t *testing.T) {
	m := measureByKey("phq9")
	base := reading(t, 1, measure.PHQ9, measure.Baseline, d(2024, 1, 10), phq(20)...)
	six := reading(t, 1, measure.PHQ9, measure.Month6, d(2024, 7, 10), phq(15)...)
	exit := reading(t, 1, measure.PHQ9, measure.Exit, d(2025, 1, 10), phq(8)...)
	follow := reading(t, 1, measure.PHQ9, measure.FollowUp, d(2025, 7, 10), phq(12)...)
	sameDay := reading(t, 1, measure.PHQ9, measure.Month6, d(2024, 1, 10), phq(2)...)
	gad := reading(t, 1, measure.GAD7, measure.Exit, d(2025, 2, 1), 0, 0, 0, 0, 0, 0, 0)
	tests := []struct {
		name string
		rs   []Reading
		want Pair
		ok   bool
	}{
		{"exit wins over a later follow-up", []Reading{follow, exit, six, base}, Pair{20, 8}, true},
		{"no exit: the latest", []Reading{base, six, follow}, Pair{20, 12}, true},
		{"no later score", []Reading{base, sameDay, gad}, Pair{}, false},
		{"no baseline", []Reading{six, exit}, Pair{}, false},
	}
	for _, tt := range tests {
		got, ok := PairFor(m, tt.rs)
		if ok != tt.ok || got != tt.want {
			t.Errorf("%s: %+v %v, want %+v %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
	// ONS4 items are paired one by one; SWEMWBS on its metric score.
	ons := []Reading{reading(t, 2, measure.ONS4, measure.Baseline, d(2024, 1, 1), 2, 3, 4, 9), reading(t, 2, measure.ONS4, measure.Exit, d(2025, 1, 1), 6, 7, 8, 3)}
	if p, ok := PairFor(measureByKey("ons4-anxiety"), ons); !ok || p != (Pair{9, 3}) {
		t.Errorf("ONS4 anxiety: %+v %v", p, ok)
	}
	sw := []Reading{reading(t, 3, measure.SWEMWBS, measure.Baseline, d(2024, 1, 1), 3, 3, 3, 3, 3, 3, 2), reading(t, 3, measure.SWEMWBS, measure.Exit, d(2025, 1, 1), 4, 4, 4, 4, 4, 4, 3)}
	// Raw 20 → 18.59 and raw 27 → 24.11 (MEASURES.md's table), in hundredths.
	if p, ok := PairFor(measureByKey("swemwbs"), sw); !ok || p != (Pair{1859, 2411}) {
		t.Errorf("SWEMWBS: %+v %v, want 1859 → 2411", p, ok)
	}
}

// Issue 17 item 5 by hand. Twelve women's PHQ-9 changes, two of each of
// −10, −3, −9, 0, −6, +1: n = 12, mean −4.5, SD √(211/11) = 4.3797,
// t(11) = 2.2010, so the 95% interval is −4.5 ± 2.2010·4.3797/√12 = −7.28
// to −1.72; d_z = −4.5/4.3797 = −1.03; improved by 5 or more (lower is
// better): −10, −9, −6 twice each = 6 of 12, 50%.
func TestBuildChangesByHand(t *testing.T) {
	changes := []int{-10, -3, -9, 0, -6, 1}
	var women [][]Reading
	for i := range 12 {
		before := 10 + i%6
		after := before + changes[i%6]
		women = append(women, []Reading{
			reading(t, int64(i), measure.PHQ9, measure.Baseline, d(2024, 1, 5), phq(before)...),
			reading(t, int64(i), measure.PHQ9, measure.Exit, d(2025, 3, 5), phq(after)...),
		})
	}
	// A Practice of two women: their counts never show, nor their mean; a
	// third Practice's six are hidden too, or Two's would be the rest.
	small := [][]Reading{women[0], women[1]}
	rep := BuildChanges([]ChangeGroup{{Key: "1", Name: "One", Women: women}, {Key: "2", Name: "Two", Women: small}, {Key: "3", Name: "Three", Women: women[2:8]}}, ChangeMeasures(), Settings{})
	var f ChangeFigures
	for _, x := range rep.Rows[0].Measures {
		if x.Measure.Key == "phq9" {
			f = x
		}
	}
	if !f.StatsShown() || f.N.Value != 12 {
		t.Fatalf("PHQ-9: %+v", f)
	}
	c := f.Change
	if c.MeanText() != "-4.50" || Round2(c.CI.Lo) != "-7.28" || Round2(c.CI.Hi) != "-1.72" || Round2(c.EffectSize) != "-1.03" {
		t.Errorf("PHQ-9: mean %s, CI %s to %s, d %s", c.MeanText(), Round2(c.CI.Lo), Round2(c.CI.Hi), Round2(c.EffectSize))
	}
	if !f.Improved.Shown() || f.Improved.Value != 6 || f.ImprovedShare() != "50%" {
		t.Errorf("improved: %+v %s", f.Improved, f.ImprovedShare())
	}
	for _, x := range rep.Rows[1].Measures {
		if x.N.Shown() && x.N.Value > 0 || x.StatsShown() || x.ImprovedShare() != "" {
			t.Errorf("Practice Two's %s: %+v", x.Measure.Key, x.N)
		}
	}
	// ONS4 has no published threshold: no share improving, ever.
	for _, x := range rep.Rows[0].Measures {
		if x.Measure.Instrument == measure.ONS4 && (x.HasThreshold() || x.ImprovedShare() != "") {
			t.Errorf("%s has a threshold", x.Measure.Key)
		}
	}
	attack(t, rep.Table, rep.Why)
}

// Random Practices: no count from 1 to 4 can be worked out.
func TestBuildChangesNeverGivesAwayASmallCount(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 2026))
	for range 20 {
		var groups []ChangeGroup
		person := int64(0)
		for p := range 2 + rng.IntN(4) {
			var women [][]Reading
			for range rng.IntN(16) {
				person++
				w := []Reading{reading(t, person, measure.PHQ9, measure.Baseline, d(2024, 1, 5), phq(rng.IntN(28))...)}
				if rng.IntN(4) > 0 {
					w = append(w, reading(t, person, measure.PHQ9, measure.Exit, d(2025, 1, 5), phq(rng.IntN(28))...))
				}
				women = append(women, w)
			}
			groups = append(groups, ChangeGroup{Key: string(rune('a' + p)), Women: women})
		}
		rep := BuildChanges(groups, ChangeMeasures(), Settings{})
		attack(t, rep.Table, rep.Why)
		for _, r := range rep.Rows {
			for _, f := range r.Measures {
				if f.StatsShown() && (!f.N.Shown() || f.N.Value < MinThreshold) {
					t.Errorf("a mean over %+v is shown", f.N)
				}
			}
		}
	}
}

// Item 5: a deployment's meaningful change replaces the published one.
// Twenty-four women with PHQ-9 changes -10, -3, -9, 0, -6, 1, four times
// over: at the published 5 points, 12 improve (-10, -9, -6), 50%; set to
// 3 points, 16 do (-3 as well), 67%, and 8 do not (so nothing is hidden).
// The published value stays beside the setting.
func TestBuildChangesWithASetThreshold(t *testing.T) {
	changes := []int{-10, -3, -9, 0, -6, 1}
	var women [][]Reading
	for i := range 24 {
		before := 10 + i%6
		women = append(women, []Reading{
			reading(t, int64(i), measure.PHQ9, measure.Baseline, d(2024, 1, 5), phq(before)...),
			reading(t, int64(i), measure.PHQ9, measure.Exit, d(2025, 3, 5), phq(before+changes[i%6])...),
		})
	}
	phq9 := func(ms []ChangeMeasure, rows []ChangeRow) (ChangeMeasure, ChangeFigures) {
		var m ChangeMeasure
		for _, x := range ms {
			if x.Key == "phq9" {
				m = x
			}
		}
		for _, x := range rows[0].Measures {
			if x.Measure.Key == "phq9" {
				return m, x
			}
		}
		t.Fatal("no PHQ-9")
		return m, ChangeFigures{}
	}
	for _, tt := range []struct {
		name      string
		set       map[measure.ID]measure.Hundredths
		threshold string
		isSet     bool
		improved  int
		share     string
	}{
		{"published", nil, "5.00", false, 12, "50%"},
		{"set to 3", map[measure.ID]measure.Hundredths{measure.PHQ9: measure.Points(3)}, "3.00", true, 16, "67%"},
		{"set for another instrument", map[measure.ID]measure.Hundredths{measure.GAD7: measure.Points(2)}, "5.00", false, 12, "50%"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ms := ChangeMeasuresWith(tt.set)
			rep := BuildChanges([]ChangeGroup{{Key: "1", Name: "One", Women: women}}, ms, Settings{})
			m, f := phq9(ms, rep.Rows)
			if m.ThresholdText() != tt.threshold || m.Set() != tt.isSet || m.PublishedText() != "5.00" {
				t.Errorf("threshold %s set %v published %s", m.ThresholdText(), m.Set(), m.PublishedText())
			}
			if f.Improved.Value != tt.improved || !f.Improved.Shown() || f.ImprovedShare() != tt.share {
				t.Errorf("improved %+v (%s), want %d (%s)", f.Improved, f.ImprovedShare(), tt.improved, tt.share)
			}
		})
	}
	// SWEMWBS's metric score is in hundredths, so a setting of 2.50 is exact.
	for _, m := range ChangeMeasuresWith(map[measure.ID]measure.Hundredths{measure.SWEMWBS: 250}) {
		if m.Instrument == measure.SWEMWBS && (m.Threshold != 250 || m.ThresholdText() != "2.50" || m.PublishedText() != "3.00") {
			t.Errorf("SWEMWBS: %+v", m)
		}
	}
}

func TestChangeSettingAllowed(t *testing.T) {
	phq, _ := measure.Lookup(measure.PHQ9)
	swem, _ := measure.Lookup(measure.SWEMWBS)
	ons, _ := measure.Lookup(measure.ONS4)
	for _, tt := range []struct {
		in   *measure.Instrument
		h    measure.Hundredths
		want bool
	}{
		{phq, measure.Points(3), true}, {phq, measure.Points(27), true}, {phq, measure.Points(28), false},
		{phq, 250, false}, {phq, 0, false}, {phq, -100, false},
		{swem, 250, true}, {swem, measure.Points(28), true}, {swem, 2801, false},
		{ons, measure.Points(2), true}, {ons, measure.Points(11), false},
	} {
		if _, ok := ChangeSettingAllowed(tt.in, tt.h); ok != tt.want {
			t.Errorf("%s %s: %v, want %v", tt.in.ID, tt.h, ok, tt.want)
		}
	}
}
