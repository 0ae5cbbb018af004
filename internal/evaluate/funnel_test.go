package evaluate

import (
	"math"
	"testing"
)

// Normal percentiles (any normal table): Φ⁻¹(0.975) = 1.959964 and
// Φ⁻¹(0.999) = 3.090232, Spiegelhalter's 1.96 and 3.09.
func TestFunnelLimits(t *testing.T) {
	tests := []struct {
		name string
		p    float64
		n    int
		want Limits
	}{
		// p = 0.6, n = 25: SE = √(0.6·0.4/25) = √0.0096 = 0.097980.
		// 95%: 0.6 ± 1.959964·0.097980 = 0.6 ± 0.192036 = (0.407964, 0.792036).
		// 99.8%: 0.6 ± 3.090232·0.097980 = 0.6 ± 0.302780 = (0.297220, 0.902780).
		// n·p = 15, n·(1 − p) = 10: not rough.
		{"p 0.6 n 25", 0.6, 25, Limits{N: 25, Target: 0.6, Lower95: 0.407964, Upper95: 0.792036, Lower998: 0.297220, Upper998: 0.902780}},
		// p = 0.6, n = 100: SE = √0.0024 = 0.048990.
		// 95%: 0.6 ± 0.096018 = (0.503982, 0.696018).
		// 99.8%: 0.6 ± 0.151390 = (0.448610, 0.751390).
		{"p 0.6 n 100", 0.6, 100, Limits{N: 100, Target: 0.6, Lower95: 0.503982, Upper95: 0.696018, Lower998: 0.448610, Upper998: 0.751390}},
		// p = 0.6, n = 5: SE = √0.048 = 0.219089.
		// 95%: 0.6 ± 0.429407 = (0.170593, 1.029407) → upper clipped to 1.
		// 99.8%: 0.6 ± 0.677036 = (−0.077036, 1.277036) → (0, 1).
		// n·p = 3 < 5: rough.
		{"small n clipped and rough", 0.6, 5, Limits{N: 5, Target: 0.6, Lower95: 0.170593, Upper95: 1, Lower998: 0, Upper998: 1, Rough: true}},
		// p = 0: SE = 0, all limits 0; n·p = 0 < 5: rough.
		{"pooled rate 0", 0, 40, Limits{N: 40, Rough: true}},
		// p = 1: SE = 0, all limits 1.
		{"pooled rate 1", 1, 40, Limits{N: 40, Target: 1, Lower95: 1, Upper95: 1, Lower998: 1, Upper998: 1, Rough: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := FunnelLimits(tt.p, tt.n)
			if err != nil {
				t.Fatal(err)
			}
			if got.N != tt.want.N || got.Rough != tt.want.Rough || !near(got.Target, tt.want.Target) ||
				!near(got.Lower95, tt.want.Lower95) || !near(got.Upper95, tt.want.Upper95) ||
				!near(got.Lower998, tt.want.Lower998) || !near(got.Upper998, tt.want.Upper998) {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestFunnelLimitsRefuses(t *testing.T) {
	tests := []struct {
		p    float64
		n    int
		want string
	}{
		{-0.1, 10, "pooled proportion -0.1: must be from 0 to 1"},
		{1.5, 10, "pooled proportion 1.5: must be from 0 to 1"},
		{math.NaN(), 10, "pooled proportion NaN: must be from 0 to 1"},
		{0.5, 0, "denominator 0: must be 1 or more"},
	}
	for _, tt := range tests {
		if _, err := FunnelLimits(tt.p, tt.n); err == nil || err.Error() != tt.want {
			t.Errorf("FunnelLimits(%v, %d): err = %v, want %q", tt.p, tt.n, err, tt.want)
		}
	}
}

func TestFunnelCurve(t *testing.T) {
	tests := []struct {
		name           string
		lo, hi, points int
		wantN          []int
		wantErr        string
	}{
		// The range holds no more than points whole numbers: every one.
		{"every n", 3, 6, 10, []int{3, 4, 5, 6}, ""},
		// 1 to 100 in 3 points on a log scale: 1·100^(0/2) = 1, 100^(1/2) = 10, 100.
		{"log spaced", 1, 100, 3, []int{1, 10, 100}, ""},
		// 1 to 1000 in 4 points: 1, 10, 100, 1000.
		{"log spaced ends kept", 1, 1000, 4, []int{1, 10, 100, 1000}, ""},
		// 10 to 20 in 3 points: 10, 10·2^(1/2) = 14.14 → 14, 20.
		{"rounded", 10, 20, 3, []int{10, 14, 20}, ""},
		{"from above to", 5, 4, 10, nil, "denominators 5 to 4: need 1 ≤ from ≤ to"},
		{"from 0", 0, 4, 10, nil, "denominators 0 to 4: need 1 ≤ from ≤ to"},
		{"one point", 1, 4, 1, nil, "points 1: need at least 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := FunnelCurve(0.6, tt.lo, tt.hi, tt.points)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tt.wantN) {
				t.Fatalf("got %d points %+v, want n %v", len(got), got, tt.wantN)
			}
			for i, l := range got {
				want, _ := FunnelLimits(0.6, tt.wantN[i])
				if l != want {
					t.Errorf("point %d = %+v, want %+v", i, l, want)
				}
			}
		})
	}
}

// TestFunnelCurveNarrows: the funnel narrows as n grows and always holds
// the target, the 95% band inside the 99.8% band.
func TestFunnelCurveNarrows(t *testing.T) {
	curve, err := FunnelCurve(0.35, 1, 5000, 60)
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range curve {
		if !(l.Lower998 <= l.Lower95 && l.Lower95 <= l.Target && l.Target <= l.Upper95 && l.Upper95 <= l.Upper998) {
			t.Fatalf("point %d out of order: %+v", i, l)
		}
		if i > 0 {
			p := curve[i-1]
			if l.N <= p.N || l.Upper95 > p.Upper95 || l.Lower95 < p.Lower95 {
				t.Fatalf("point %d does not narrow: %+v after %+v", i, l, p)
			}
		}
	}
	if curve[0].N != 1 || curve[len(curve)-1].N != 5000 {
		t.Errorf("ends %d and %d", curve[0].N, curve[len(curve)-1].N)
	}
}

func TestPooled(t *testing.T) {
	// (12 + 3 + 15) / (20 + 5 + 25) = 30/50 = 0.6.
	p, ok, err := Pooled([]int{12, 3, 15}, []int{20, 5, 25})
	if err != nil || !ok || p != 0.6 {
		t.Errorf("Pooled = %v %v %v, want 0.6", p, ok, err)
	}
	if _, ok, err := Pooled(nil, nil); ok || err != nil {
		t.Errorf("no units: ok %v err %v", ok, err)
	}
	for _, bad := range []struct {
		counts, totals []int
		want           string
	}{
		{[]int{1}, []int{1, 2}, "1 counts for 2 totals"},
		{[]int{6}, []int{5}, "unit 0: count 6 of 5"},
		{[]int{1, -1}, []int{2, 2}, "unit 1: count -1 of 2"},
	} {
		if _, _, err := Pooled(bad.counts, bad.totals); err == nil || err.Error() != bad.want {
			t.Errorf("Pooled(%v, %v): err = %v, want %q", bad.counts, bad.totals, err, bad.want)
		}
	}
}

func TestPlace(t *testing.T) {
	// p = 0.6, n = 25: 95% (0.407964, 0.792036), 99.8% (0.297220, 0.902780).
	l, _ := FunnelLimits(0.6, 25)
	tests := []struct {
		count int
		want  Position
	}{
		{7, Below998},  // 0.28
		{8, Below95},   // 0.32
		{10, Below95},  // 0.40
		{11, Within},   // 0.44
		{15, Within},   // 0.60
		{19, Within},   // 0.76
		{20, Above95},  // 0.80
		{22, Above95},  // 0.88
		{23, Above998}, // 0.92
	}
	for _, tt := range tests {
		if got := l.Place(tt.count); got != tt.want {
			t.Errorf("Place(%d of 25) = %v, want %v", tt.count, got, tt.want)
		}
	}
}
