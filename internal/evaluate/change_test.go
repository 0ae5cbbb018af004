package evaluate

import (
	"math"
	"testing"
)

// Student's t percentiles for a two-sided 95% interval (upper-tail 0.025),
// from NIST/SEMATECH e-Handbook of Statistical Methods, §1.3.6.7.2,
// "Critical Values of the Student's t Distribution":
// ν = 1: 12.706; ν = 2: 4.303; ν = 4: 2.776. The table gives 3 places, so
// intervals worked with it are compared to 1e-3.
var tTable = map[int]float64{1: 12.706, 2: 4.303, 4: 2.776}

func TestPairedChange(t *testing.T) {
	type want struct {
		n, improved         int
		meanText            string
		mean, sd            float64
		sdDefined           bool
		ciLo, ciHi          float64
		ciDefined           bool
		effect              float64
		effectDefined       bool
		noteEmpty, hasTable bool
	}
	tests := []struct {
		name      string
		pairs     []Pair
		scale     int
		threshold int
		dir       Direction
		want      want
	}{
		// PHQ-9, whole points, lower is better; five women.
		// Before 15 12 20 9 14, after 10 11 12 9 8.
		// Changes (after − before): −5 −1 −8 0 −6; Σ = −20; mean = −20/5 = −4.
		// Deviations from −4: −1 3 −4 4 −2; squares 1 9 16 16 4; Σ = 46.
		// SD = √(46/4) = √11.5 = 3.391165. SE = SD/√5 = √2.3 = 1.516575.
		// t(0.975, 4) = 2.776; half-width 2.776·1.516575 = 4.210012;
		// CI (−8.210012, 0.210012). d_z = −4/3.391165 = −1.179536.
		// Improved by ≥ 5 (before − after ≥ 5): 5 yes, 1 no, 8 yes, 0 no, 6 yes → 3.
		{"PHQ-9 five women", []Pair{{15, 10}, {12, 11}, {20, 12}, {9, 9}, {14, 8}}, 1, 5, LowerIsBetter,
			want{n: 5, improved: 3, meanText: "-4.00", mean: -4, sd: 3.391165, sdDefined: true,
				ciLo: -8.210012, ciHi: 0.210012, ciDefined: true, effect: -1.179536, effectDefined: true, noteEmpty: true, hasTable: true}},
		// The same scores read as higher-is-better with threshold 1: a
		// change of at least +1: none of −5 −1 −8 0 −6 → 0 improved.
		{"direction matters", []Pair{{15, 10}, {12, 11}, {20, 12}, {9, 9}, {14, 8}}, 1, 1, HigherIsBetter,
			want{n: 5, improved: 0, meanText: "-4.00", mean: -4, sd: 3.391165, sdDefined: true,
				ciLo: -8.210012, ciHi: 0.210012, ciDefined: true, effect: -1.179536, effectDefined: true, noteEmpty: true, hasTable: true}},
		// SWEMWBS metric scores in hundredths, higher is better; three women.
		// Changes in hundredths: 2103 − 1925 = 178, 2000 − 2000 = 0, 1750 − 1800 = −50.
		// Σ = 128 hundredths; mean = 128/300 = 0.426667 points → "0.43".
		// In points 1.78, 0, −0.50; deviations 1.353333, −0.426667, −0.926667;
		// squares 1.831511, 0.182044, 0.858711; Σ = 2.872267; /2 = 1.436133;
		// SD = 1.198388; SE = 1.198388/√3 = 0.691890.
		// t(0.975, 2) = 4.303; half-width 2.977201; CI (−2.550534, 3.403868).
		// d_z = 0.426667/1.198388 = 0.356034.
		// Improved by ≥ 1.00 point (100 hundredths): only 178 → 1.
		{"SWEMWBS hundredths", []Pair{{1925, 2103}, {2000, 2000}, {1800, 1750}}, 100, 100, HigherIsBetter,
			want{n: 3, improved: 1, meanText: "0.43", mean: 0.426667, sd: 1.198388, sdDefined: true,
				ciLo: -2.550534, ciHi: 3.403868, ciDefined: true, effect: 0.356034, effectDefined: true, noteEmpty: true, hasTable: true}},
		// n = 2: changes 2 and 4; mean 3; deviations −1, 1; SD = √(2/1) = 1.414214;
		// SE = 1.414214/√2 = 1; t(0.975, 1) = 12.706; CI (−9.706, 15.706);
		// d_z = 3/1.414214 = 2.121320. Threshold 4, higher better: only 4 → 1.
		{"two women", []Pair{{10, 12}, {10, 14}}, 1, 4, HigherIsBetter,
			want{n: 2, improved: 1, meanText: "3.00", mean: 3, sd: 1.414214, sdDefined: true,
				ciLo: -9.706, ciHi: 15.706, ciDefined: true, effect: 2.121320, effectDefined: true, noteEmpty: true, hasTable: true}},
		// Every change the same (+3): SD 0, CI (3, 3), effect size not defined.
		{"no spread", []Pair{{1, 4}, {5, 8}, {0, 3}}, 1, 3, HigherIsBetter,
			want{n: 3, improved: 3, meanText: "3.00", mean: 3, sd: 0, sdDefined: true, ciLo: 3, ciHi: 3, ciDefined: true}},
		// n = 1: a mean, but no SD, interval or effect size; said so.
		{"one woman", []Pair{{20, 15}}, 1, 5, LowerIsBetter,
			want{n: 1, improved: 1, meanText: "-5.00", mean: -5}},
		// n = 0: nothing but the count; said so.
		{"no women", nil, 1, 5, LowerIsBetter, want{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := PairedChange(tt.pairs, tt.scale, tt.threshold, tt.dir)
			if err != nil {
				t.Fatal(err)
			}
			w := tt.want
			ciTol := tol
			if w.hasTable {
				ciTol = 1e-3
			}
			if c.N != w.n || c.Improved != w.improved || c.MeanText() != w.meanText {
				t.Errorf("n %d improved %d mean %q; want %d %d %q", c.N, c.Improved, c.MeanText(), w.n, w.improved, w.meanText)
			}
			if !near(c.Mean, w.mean) || c.SDDefined != w.sdDefined || !near(c.SD, w.sd) {
				t.Errorf("mean %v sd %v (%v); want %v %v (%v)", c.Mean, c.SD, c.SDDefined, w.mean, w.sd, w.sdDefined)
			}
			if c.CI.Defined != w.ciDefined || math.Abs(c.CI.Lo-w.ciLo) > ciTol || math.Abs(c.CI.Hi-w.ciHi) > ciTol {
				t.Errorf("CI %+v; want (%v, %v) defined %v", c.CI, w.ciLo, w.ciHi, w.ciDefined)
			}
			if c.EffectSizeDefined != w.effectDefined || !near(c.EffectSize, w.effect) {
				t.Errorf("d_z %v (%v); want %v (%v)", c.EffectSize, c.EffectSizeDefined, w.effect, w.effectDefined)
			}
			if (c.Note == "") != w.noteEmpty {
				t.Errorf("note %q", c.Note)
			}
			if c.CI.Defined {
				if want, ok := tTable[c.DF]; ok && math.Abs(c.T-want) > 5e-4 {
					t.Errorf("t(0.975, %d) = %v, table %v", c.DF, c.T, want)
				}
			}
		})
	}
}

func TestPairedChangeRefuses(t *testing.T) {
	tests := []struct {
		name             string
		scale, threshold int
		dir              Direction
		want             string
	}{
		{"scale 0", 0, 5, LowerIsBetter, "scale 0: must be 1 or more units a point"},
		{"threshold 0", 1, 0, LowerIsBetter, "meaningful change 0: must be above 0"},
		{"no direction", 1, 5, 0, "direction 0: not known"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := PairedChange([]Pair{{1, 2}}, tt.scale, tt.threshold, tt.dir)
			if err == nil || err.Error() != tt.want {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

// TestMeanText: the exact mean, rounded half away from zero to 2 places.
func TestMeanText(t *testing.T) {
	tests := []struct {
		name  string
		pairs []Pair
		scale int
		want  string
	}{
		{"half up", []Pair{{0, 1}, {0, 0}}, 100, "0.01"},                  // 1/200 = 0.005 → 0.01
		{"half down", []Pair{{1, 0}, {0, 0}}, 100, "-0.01"},               // −0.005 → −0.01
		{"below half", []Pair{{0, 1}, {0, 0}, {0, 0}}, 100, "0.00"},       // 1/300 = 0.00333 → 0.00
		{"negative to zero", []Pair{{1, 0}, {0, 0}, {0, 0}}, 100, "0.00"}, // −0.00333 → 0.00, not −0.00
		{"thirds", []Pair{{0, 2}, {0, 0}, {0, 0}}, 1, "0.67"},             // 2/3 = 0.666… → 0.67
		{"exact", []Pair{{0, 2}, {0, 1}}, 1, "1.50"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := PairedChange(tt.pairs, tt.scale, 1, HigherIsBetter)
			if err != nil {
				t.Fatal(err)
			}
			if got := c.MeanText(); got != tt.want {
				t.Errorf("MeanText = %q, want %q", got, tt.want)
			}
		})
	}
	if got := (Change{}).MeanText(); got != "" {
		t.Errorf("no women: %q", got)
	}
}

func TestRound2(t *testing.T) {
	tests := []struct {
		x    float64
		want string
	}{
		{0.125, "0.13"},   // exactly representable half: away from zero
		{-0.125, "-0.13"}, // and the same below zero
		{2.345, "2.35"},   // binary 2.34500000000000019… is above the half
		{1.005, "1.00"},   // binary 1.00499999999999989… is below it
		{-0.001, "0.00"},  // no "-0.00"
		{3, "3.00"},
		{math.NaN(), ""},
		{math.Inf(1), ""},
	}
	for _, tt := range tests {
		if got := Round2(tt.x); got != tt.want {
			t.Errorf("Round2(%v) = %q, want %q", tt.x, got, tt.want)
		}
	}
}

func TestImprovedShare(t *testing.T) {
	c, _ := PairedChange([]Pair{{15, 10}, {12, 11}, {20, 12}, {9, 9}, {14, 8}}, 1, 5, LowerIsBetter)
	if s, ok := c.ImprovedShare(); !ok || s != 0.6 { // 3 of 5
		t.Errorf("share %v %v, want 0.6", s, ok)
	}
	c, _ = PairedChange(nil, 1, 5, LowerIsBetter)
	if _, ok := c.ImprovedShare(); ok {
		t.Error("share of no women should not be known")
	}
}
