package evaluate

import (
	"encoding/json"
	"math"
	"slices"
	"testing"
)

// tol is the fixtures' precision: worked by hand to 4 decimal places.
const tol = 5e-5

func near(a, b float64) bool { return math.Abs(a-b) <= tol }

// z = 1.959964, the 97.5th percentile of the standard normal (any normal
// table: Φ(1.96) = 0.9750). The fixtures below use it to 6 places.

// sixWomen: six women, with a tie of two events (day 90), an event and a
// censoring on the same day (240), a censoring between events (150) and a
// censored last follow-up (365).
var sixWomen = []Observation{
	{365, false}, {90, true}, {240, false}, {150, false}, {90, true}, {240, true},
}

// sixWomenSteps is worked by hand:
//
// t = 90: n = 6 (everyone), d = 2, censored before = 0.
//
//	S = 1 − 2/6 = 4/6 = 0.666667
//	Greenwood sum G = 2/(6·4) = 1/12 = 0.083333
//	Var = S²·G = (4/9)(1/12) = 4/108 = 0.037037; SE = √0.037037 = 0.192450
//	plain: 0.666667 ± 1.959964·0.192450 = 0.666667 ± 0.377195
//	       = (0.289471, 1.043862) → upper clipped to 1
//	log-log: log S = ln(2/3) = −0.405465; σ = √G/|log S| = 0.288675/0.405465 = 0.711960
//	         z·σ = 1.395417; e^{1.395417} = 4.036657; e^{−1.395417} = 0.247729
//	         lower = S^{4.036657} = exp(−0.405465·4.036657) = exp(−1.636723) = 0.194617
//	         upper = S^{0.247729} = exp(−0.405465·0.247729) = exp(−0.100446) = 0.904434
//
// Day 150: one censored; at risk after: 6 − 2 − 1 = 3.
//
// t = 240: n = 3 (the women of days 240, 240 and 365: the one censored on
// day 240 is still at risk on day 240), d = 1, censored since day 90 = 1.
//
//	S = 4/6 · (1 − 1/3) = 4/9 = 0.444444
//	G = 1/12 + 1/(3·2) = 1/12 + 2/12 = 3/12 = 0.25
//	Var = (16/81)(0.25) = 4/81 = 0.049383; SE = 2/9 = 0.222222
//	plain: 0.444444 ± 1.959964·0.222222 = 0.444444 ± 0.435548 = (0.008897, 0.879992)
//	log-log: log S = ln(4/9) = −0.810930; σ = 0.5/0.810930 = 0.616576
//	         z·σ = 1.208466; e^{1.208466} = 3.348346; e^{−1.208466} = 0.298655
//	         lower = exp(−0.810930·3.348346) = exp(−2.715279) = 0.066187
//	         upper = exp(−0.810930·0.298655) = exp(−0.242188) = 0.784908
//
// After day 240: 3 − 1 − 1 = 1 left (day 365, censored). Censored after
// the last event time: the day-240 and day-365 censorings, 2.
var sixWomenSteps = []Step{
	{Days: 90, AtRisk: 6, Events: 2, Censored: 0, Survival: 0.666667, Variance: 0.037037, VarianceDefined: true,
		Plain: Band{0.289471, 1, true}, LogLog: Band{0.194617, 0.904434, true}},
	{Days: 240, AtRisk: 3, Events: 1, Censored: 1, Survival: 0.444444, Variance: 0.049383, VarianceDefined: true,
		Plain: Band{0.008897, 0.879992, true}, LogLog: Band{0.066187, 0.784908, true}},
}

// sameStep compares a step with a hand-worked one to 4 decimal places.
func sameStep(got, want Step) bool {
	band := func(a, b Band) bool { return a.Defined == b.Defined && near(a.Lo, b.Lo) && near(a.Hi, b.Hi) }
	return got.Days == want.Days && got.AtRisk == want.AtRisk && got.Events == want.Events &&
		got.Censored == want.Censored && near(got.Survival, want.Survival) &&
		got.VarianceDefined == want.VarianceDefined && near(got.Variance, want.Variance) &&
		band(got.Plain, want.Plain) && band(got.LogLog, want.LogLog)
}

func TestKaplanMeier(t *testing.T) {
	tests := []struct {
		name string
		obs  []Observation
		want Curve // Steps compared to 4 places, the rest exactly
	}{
		{"ties and censoring", sixWomen, Curve{N: 6, Events: 3, Censored: 3, CensoredAfter: 2, LastDays: 365, Steps: sixWomenSteps}},
		// An empty stratum is an empty curve, not a panic.
		{"empty stratum", nil, Curve{}},
		// One woman, censored: no event, so no step; S = 1 to day 400.
		{"one woman censored", []Observation{{400, false}}, Curve{N: 1, Censored: 1, CensoredAfter: 1, LastDays: 400}},
		// One woman, whose next proceedings came on day 50: n = 1, d = 1,
		// S = 1 − 1/1 = 0. Greenwood's term 1/(1·0) divides by zero, so
		// neither the variance nor either interval is defined.
		{"one woman with an event", []Observation{{50, true}}, Curve{N: 1, Events: 1, LastDays: 50,
			Steps: []Step{{Days: 50, AtRisk: 1, Events: 1}}}},
		{"all censored", []Observation{{30, false}, {10, false}, {30, false}}, Curve{N: 3, Censored: 3, CensoredAfter: 3, LastDays: 30}},
		// S reaches 0. t = 10: n = 3, d = 1: S = 2/3, G = 1/(3·2) = 1/6 = 0.166667,
		//   Var = (4/9)(1/6) = 0.074074, SE = 0.272166,
		//   plain 0.666667 ± 0.533435 = (0.133232, 1.200101) → (0.133232, 1);
		//   log-log σ = 0.408248/0.405465 = 1.006864, zσ = 1.973418,
		//   e^{zσ} = 7.195224, e^{−zσ} = 0.138981,
		//   lower = exp(−0.405465·7.195224) = exp(−2.917412) = 0.054073,
		//   upper = exp(−0.405465·0.138981) = exp(−0.056352) = 0.945206.
		// Day 20 censored. t = 30: n = 1, d = 1, censored since = 1: S = 0, nothing defined.
		{"reaches zero", []Observation{{10, true}, {20, false}, {30, true}}, Curve{N: 3, Events: 2, Censored: 1, LastDays: 30,
			Steps: []Step{
				{Days: 10, AtRisk: 3, Events: 1, Survival: 0.666667, Variance: 0.074074, VarianceDefined: true,
					Plain: Band{0.133232, 1, true}, LogLog: Band{0.054073, 0.945206, true}},
				{Days: 30, AtRisk: 1, Events: 1, Censored: 1},
			}}},
		// Everyone on the same day, all events: n = 4, d = 4, S = 0.
		{"all events tied", []Observation{{7, true}, {7, true}, {7, true}, {7, true}}, Curve{N: 4, Events: 4, LastDays: 7,
			Steps: []Step{{Days: 7, AtRisk: 4, Events: 4}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := KaplanMeier(tt.obs)
			if err != nil {
				t.Fatal(err)
			}
			if got.N != tt.want.N || got.Events != tt.want.Events || got.Censored != tt.want.Censored ||
				got.CensoredAfter != tt.want.CensoredAfter || got.LastDays != tt.want.LastDays ||
				len(got.Steps) != len(tt.want.Steps) {
				t.Fatalf("got %+v\nwant %+v", got, tt.want)
			}
			for i := range got.Steps {
				if !sameStep(got.Steps[i], tt.want.Steps[i]) {
					t.Errorf("step %d:\n got %+v\nwant %+v", i, got.Steps[i], tt.want.Steps[i])
				}
			}
			// The curve goes to the API as JSON: no NaN or infinity in it.
			if _, err := json.Marshal(got); err != nil {
				t.Errorf("curve does not encode as JSON: %v", err)
			}
		})
	}
}

func TestKaplanMeierRefusesNegativeDays(t *testing.T) {
	_, err := KaplanMeier([]Observation{{10, true}, {-1, false}})
	if err == nil || err.Error() != "observation 1: days -1 is negative" {
		t.Fatalf("err = %v", err)
	}
}

// TestKaplanMeierIgnoresOrder: the estimate depends on the observations,
// not the order they come in, and the caller's slice is left as it was.
func TestKaplanMeierIgnoresOrder(t *testing.T) {
	in := []Observation{{240, true}, {90, true}, {365, false}, {150, false}, {240, false}, {90, true}}
	before := append([]Observation(nil), in...)
	got, err := KaplanMeier(in)
	if err != nil {
		t.Fatal(err)
	}
	for i := range sixWomenSteps {
		if !sameStep(got.Steps[i], sixWomenSteps[i]) {
			t.Errorf("step %d = %+v, want %+v", i, got.Steps[i], sixWomenSteps[i])
		}
	}
	for i := range in {
		if in[i] != before[i] {
			t.Fatalf("input reordered: %v", in)
		}
	}
}

func TestCurveAt(t *testing.T) {
	six, _ := KaplanMeier(sixWomen)
	zero, _ := KaplanMeier([]Observation{{10, true}, {20, false}, {30, true}})
	censored, _ := KaplanMeier([]Observation{{400, false}})
	empty, _ := KaplanMeier(nil)
	one := Band{1, 1, true}
	tests := []struct {
		name  string
		curve Curve
		days  int
		want  Estimate
	}{
		{"before the first event S is 1", six, 89, Estimate{Days: 89, Known: true, Survival: 1, VarianceDefined: true, Plain: one, LogLog: one}},
		{"on an event day", six, 90, Estimate{Days: 90, Known: true, Survival: 0.666667, Variance: 0.037037, VarianceDefined: true,
			Plain: Band{0.289471, 1, true}, LogLog: Band{0.194617, 0.904434, true}}},
		{"between events holds the last step", six, 239, Estimate{Days: 239, Known: true, Survival: 0.666667, Variance: 0.037037,
			VarianceDefined: true, Plain: Band{0.289471, 1, true}, LogLog: Band{0.194617, 0.904434, true}}},
		{"at the longest follow-up", six, 365, Estimate{Days: 365, Known: true, Survival: 0.444444, Variance: 0.049383,
			VarianceDefined: true, Plain: Band{0.008897, 0.879992, true}, LogLog: Band{0.066187, 0.784908, true}}},
		{"beyond the longest follow-up is not known", six, 366, Estimate{Days: 366}},
		{"after S reached 0 it stays 0", zero, Years(7), Estimate{Days: 2557, Known: true}},
		{"all censored: 1 within follow-up", censored, 400, Estimate{Days: 400, Known: true, Survival: 1, VarianceDefined: true, Plain: one, LogLog: one}},
		{"empty stratum is not known", empty, 0, Estimate{}},
		{"negative time is not known", six, -1, Estimate{Days: -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.curve.At(tt.days)
			if !sameEstimate(got, tt.want) {
				t.Errorf("At(%d) = %+v\nwant %+v", tt.days, got, tt.want)
			}
		})
	}
}

func sameEstimate(got, want Estimate) bool {
	band := func(a, b Band) bool { return a.Defined == b.Defined && near(a.Lo, b.Lo) && near(a.Hi, b.Hi) }
	return got.Days == want.Days && got.Known == want.Known && near(got.Survival, want.Survival) &&
		got.VarianceDefined == want.VarianceDefined && near(got.Variance, want.Variance) &&
		band(got.Plain, want.Plain) && band(got.LogLog, want.LogLog)
}

// TestIncidence: "next proceedings within T" is 1 − S(T), with the
// intervals turned over. Day 300 of the six women: S = 4/9, so
// 1 − S = 5/9 = 0.555556; plain (1 − 0.879992, 1 − 0.008897) =
// (0.120008, 0.991103); log-log (1 − 0.784908, 1 − 0.066187) = (0.215092, 0.933813).
func TestIncidence(t *testing.T) {
	six, _ := KaplanMeier(sixWomen)
	got := six.At(300).Incidence()
	want := Estimate{Days: 300, Known: true, Survival: 0.555556, Variance: 0.049383, VarianceDefined: true,
		Plain: Band{0.120008, 0.991103, true}, LogLog: Band{0.215092, 0.933813, true}}
	if !sameEstimate(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	if got := six.At(400).Incidence(); got.Known {
		t.Errorf("beyond follow-up: got %+v, want not known", got)
	}
}

func TestYears(t *testing.T) {
	// 365.25 days a year: 1 → 365.25 → 365; 3 → 1095.75 → 1096;
	// 7 → 2556.75 → 2557; 10 → 3652.5 → 3653 (half away from zero).
	for y, want := range map[int]int{0: 0, 1: 365, 3: 1096, 7: 2557, 10: 3653} {
		if got := Years(y); got != want {
			t.Errorf("Years(%d) = %d, want %d", y, got, want)
		}
	}
}

func TestAtRisk(t *testing.T) {
	// Followed to at least the day: 90 → all 6; 91 → 4 (not the two day-90
	// events); 240 → 3; 241 → 1; 366 → 0.
	for days, want := range map[int]int{0: 6, 90: 6, 91: 4, 240: 3, 241: 1, 365: 1, 366: 0} {
		if got := AtRisk(sixWomen, days); got != want {
			t.Errorf("AtRisk(%d) = %d, want %d", days, got, want)
		}
	}
}

func TestStratify(t *testing.T) {
	type woman struct {
		band string
		obs  Observation
	}
	women := []woman{
		{"20–24", Observation{100, true}},
		{"14–19", Observation{200, false}},
		{"20–24", Observation{300, false}},
		{"", Observation{50, true}}, // age not recorded
	}
	strata, other := Stratify(women, []string{"14–19", "20–24", "25+"}, func(w woman) (string, Observation) { return w.band, w.obs })
	if other != 1 {
		t.Errorf("other = %d, want 1", other)
	}
	want := []struct {
		key string
		obs []Observation
	}{
		{"14–19", []Observation{{200, false}}}, // a stratum with one woman
		{"20–24", []Observation{{100, true}, {300, false}}},
		{"25+", nil}, // an empty stratum is kept, in order
	}
	if len(strata) != len(want) {
		t.Fatalf("got %d strata, want %d", len(strata), len(want))
	}
	for i, w := range want {
		s := strata[i]
		if s.Key != w.key || len(s.Observations) != len(w.obs) {
			t.Fatalf("stratum %d = %+v, want %v %v", i, s, w.key, w.obs)
		}
		for j := range w.obs {
			if s.Observations[j] != w.obs[j] {
				t.Errorf("stratum %q obs %d = %v, want %v", s.Key, j, s.Observations[j], w.obs[j])
			}
		}
		c, err := KaplanMeier(s.Observations)
		if err != nil {
			t.Fatal(err)
		}
		if c.N != len(w.obs) {
			t.Errorf("stratum %q: N = %d", s.Key, c.N)
		}
	}
	// The one-woman stratum, censored on day 200, and the 20–24 stratum:
	// t = 100: n = 2, d = 1, S = 1/2.
	c, _ := KaplanMeier(strata[1].Observations)
	if len(c.Steps) != 1 || c.Steps[0].AtRisk != 2 || c.Steps[0].Survival != 0.5 {
		t.Errorf("20–24 curve = %+v", c)
	}
}

// FuzzKaplanMeier checks what must hold of any curve: S in [0, 1] and
// non-increasing, the number at risk falling by the events and censorings
// between steps, every woman accounted for, each interval containing S,
// S agreeing with the product-limit formula worked from the raw data, and
// a curve that encodes as JSON.
func FuzzKaplanMeier(f *testing.F) {
	f.Add([]byte{90, 1, 90, 1, 150, 0, 240, 1, 240, 0, 255, 0})
	f.Add([]byte{})
	f.Add([]byte{5, 1})
	f.Add([]byte{3, 1, 3, 1, 3, 0, 9, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		var obs []Observation
		for i := 0; i+1 < len(data); i += 2 {
			obs = append(obs, Observation{Days: int(data[i] % 40), Event: data[i+1]&1 == 1})
		}
		c, err := KaplanMeier(obs)
		if err != nil {
			t.Fatal(err)
		}
		if c.N != len(obs) || c.Events+c.Censored != c.N {
			t.Fatalf("N %d, events %d, censored %d for %d observations", c.N, c.Events, c.Censored, len(obs))
		}
		prevS, prevAtRisk, prevEvents, censored := 1.0, c.N, 0, c.CensoredAfter
		for i, st := range c.Steps {
			if st.Survival < 0 || st.Survival > 1 || st.Survival > prevS {
				t.Fatalf("step %d: S %v after %v", i, st.Survival, prevS)
			}
			if want := prevAtRisk - prevEvents - st.Censored; st.AtRisk != want || st.AtRisk > prevAtRisk {
				t.Fatalf("step %d: at risk %d, want %d", i, st.AtRisk, want)
			}
			if st.Events < 1 || st.Events > st.AtRisk {
				t.Fatalf("step %d: %d events of %d at risk", i, st.Events, st.AtRisk)
			}
			if st.AtRisk != AtRisk(obs, st.Days) {
				t.Fatalf("step %d: at risk %d, counted %d", i, st.AtRisk, AtRisk(obs, st.Days))
			}
			// The product-limit formula from the raw data.
			want := 1.0
			for _, u := range c.Steps[:i+1] {
				n, d := 0, 0
				for _, o := range obs {
					if o.Days >= u.Days {
						n++
					}
					if o.Days == u.Days && o.Event {
						d++
					}
				}
				want *= 1 - float64(d)/float64(n)
			}
			if math.Abs(st.Survival-want) > 1e-12 {
				t.Fatalf("step %d: S %v, product-limit %v", i, st.Survival, want)
			}
			for _, b := range []Band{st.Plain, st.LogLog} {
				if b.Defined && !(0 <= b.Lo && b.Lo <= st.Survival && st.Survival <= b.Hi && b.Hi <= 1) {
					t.Fatalf("step %d: S %v outside %+v", i, st.Survival, b)
				}
			}
			// Only S = 0 leaves anything undefined.
			if defined := st.VarianceDefined && st.Plain.Defined && st.LogLog.Defined; defined != (st.Survival > 0) {
				t.Fatalf("step %d: S %v with defined = %v", i, st.Survival, defined)
			}
			prevS, prevAtRisk, prevEvents = st.Survival, st.AtRisk, st.Events
			censored += st.Censored
		}
		if censored != c.Censored {
			t.Fatalf("censored in steps and after: %d, want %d", censored, c.Censored)
		}
		if _, err := json.Marshal(c); err != nil {
			t.Fatal(err)
		}
		// Read day by day, the curve is known exactly to the longest
		// follow-up (or for ever once S is 0), non-increasing, and each
		// reading matches its step.
		prevS = 1
		for day := -1; day <= 41; day++ {
			e := c.At(day)
			known := day >= 0 && c.N > 0 && (day <= c.LastDays || (len(c.Steps) > 0 && c.Steps[len(c.Steps)-1].Survival == 0))
			if e.Known != known {
				t.Fatalf("At(%d).Known = %v, want %v (last day %d)", day, e.Known, known, c.LastDays)
			}
			if !e.Known {
				continue
			}
			if e.Survival > prevS {
				t.Fatalf("At(%d) = %v after %v", day, e.Survival, prevS)
			}
			prevS = e.Survival
			for _, b := range []Band{e.Plain, e.LogLog} {
				if b.Defined && !(b.Lo <= e.Survival && e.Survival <= b.Hi) {
					t.Fatalf("At(%d): S %v outside %+v", day, e.Survival, b)
				}
			}
			if i := slices.IndexFunc(c.Steps, func(s Step) bool { return s.Days == day }); i >= 0 && e.Survival != c.Steps[i].Survival {
				t.Fatalf("At(%d) = %v, step says %v", day, e.Survival, c.Steps[i].Survival)
			}
			if inc := e.Incidence(); math.Abs(inc.Survival+e.Survival-1) > 1e-15 {
				t.Fatalf("At(%d): incidence %v for S %v", day, inc.Survival, e.Survival)
			}
		}
	})
}
