package calculator

import (
	"math/big"
	"net/url"
	"reflect"
	"testing"
)

// The fixtures below were worked out by hand (and checked with Python's
// fractions module), never by this package.

func TestReturnHomeDefaults(t *testing.T) {
	in, ps := ParseReturnHome(url.Values{})
	if len(ps) != 0 {
		t.Fatalf("defaults: %v", ps)
	}
	got := in.Calculate()
	year := Amounts{78_570_000, 497_278_800, 402_055_200, 95_223_600, 16_653_600}
	total := Amounts{235_710_000, 1_491_836_400, 1_206_165_600, 285_670_800, 49_960_800}
	if got.Year != year {
		t.Errorf("a year = %+v, want %+v", got.Year, year)
	}
	if got.Total != total {
		t.Errorf("over 3 years = %+v, want %+v", got.Total, total)
	}
	checks := []struct {
		name      string
		got, want int64
	}{
		{"support per child", got.SupportPerChildPence, 785_700},
		{"breakdowns prevented a year (hundredths)", got.PreventedHundredths, 900},
		{"return for each £1 (hundredths)", got.ReturnHundredths, 121},
		{"break-even breakdowns a year (hundredths)", got.BreakEvenHundredths, 743},
		{"break-even rate (hundredths of a percent)", got.BreakEvenRateBP, 3957},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %d, want %d", c.name, c.got, c.want)
		}
	}
	if !got.ReturnDefined || !got.BreakEvenDefined || len(got.Warnings) != 0 {
		t.Errorf("defined %v %v, warnings %v", got.ReturnDefined, got.BreakEvenDefined, got.Warnings)
	}
	if len(got.Years) != 3 || got.Years[2].Cumulative != total || got.Years[1].Amounts != year {
		t.Errorf("years = %+v", got.Years)
	}
	// Rows b1 = 47, 42, … 22; columns support × 0.5, × 1, × 1.5; over 3 years.
	wantRates := []int64{4700, 4200, 3700, 3200, 2700, 2200}
	if len(got.Sensitivity) != len(wantRates) {
		t.Fatalf("sensitivity rows = %d", len(got.Sensitivity))
	}
	for i, r := range got.Sensitivity {
		if r.WithSupportBP != wantRates[i] {
			t.Errorf("row %d rate = %d, want %d", i, r.WithSupportBP, wantRates[i])
		}
	}
	cells := map[int][]int64{
		0: {-117_855_000, -235_710_000, -353_565_000},
		1: {40_851_000, -77_004_000, -194_859_000},
		5: {675_675_000, 557_820_000, 439_965_000},
	}
	for i, want := range cells {
		if !reflect.DeepEqual(got.Sensitivity[i].NetSavingPence, want) {
			t.Errorf("sensitivity row %d = %v, want %v", i, got.Sensitivity[i].NetSavingPence, want)
		}
	}
}

func TestReturnHomeDiscounted(t *testing.T) {
	in, ps := ParseReturnHome(url.Values{"discount": {"3.5"}})
	if len(ps) != 0 {
		t.Fatal(ps)
	}
	got := in.Calculate()
	// Σ 1/1.035^t for t = 0, 1, 2, each amount rounded once at the end.
	want := Amounts{227_828_979, 1_441_956_490, 1_165_837_162, 276_119_328, 48_290_349}
	if got.Total != want {
		t.Errorf("over 3 years = %+v, want %+v", got.Total, want)
	}
	years := []Amounts{
		{78_570_000, 497_278_800, 402_055_200, 95_223_600, 16_653_600},
		{75_913_043, 480_462_609, 388_459_130, 92_003_478, 16_090_435},
		{73_345_936, 464_215_081, 375_322_831, 88_892_250, 15_546_314},
	}
	for i, y := range got.Years {
		if y.Amounts != years[i] {
			t.Errorf("year %d = %+v, want %+v", i+1, y.Amounts, years[i])
		}
	}
	// A year is undiscounted; so is the return for each £1.
	if got.Year != years[0] || got.ReturnHundredths != 121 {
		t.Errorf("a year %+v, return %d", got.Year, got.ReturnHundredths)
	}
}

func TestReturnHomeNeedMix(t *testing.T) {
	cases := []struct {
		name        string
		q           url.Values
		perChild    int64
		supportYear int64
	}{
		// 0.53 × 11,000 + 0.27 × 6,000 + 0.2 × 1,644 = 7,778.80.
		{"default mix", url.Values{"supportBy": {"need"}}, 777_880, 77_788_000},
		// 0.3333 × 1,000.01 + 0.3333 × 2,000 + 0.3334 × 3,000 = 2,000.103333…;
		// seven children cost 14,000.723333…: rounded once, not 7 × 2,000.10.
		{"rounded once", url.Values{"supportBy": {"need"}, "children": {"7"}, "highShare": {"33.33"}, "highCost": {"1000.01"},
			"mediumShare": {"33.33"}, "mediumCost": {"2,000"}, "lowShare": {"33.34%"}, "lowCost": {"£3000"}}, 200_010, 1_400_072},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in, ps := ParseReturnHome(c.q)
			if len(ps) != 0 {
				t.Fatal(ps)
			}
			got := in.Calculate()
			if got.SupportPerChildPence != c.perChild || got.Year.SupportCostPence != c.supportYear {
				t.Errorf("per child %d, a year %d; want %d, %d", got.SupportPerChildPence, got.Year.SupportCostPence, c.perChild, c.supportYear)
			}
		})
	}
}

func TestReturnHomeEdges(t *testing.T) {
	t.Run("no children", func(t *testing.T) {
		in, _ := ParseReturnHome(url.Values{"children": {"0"}})
		got := in.Calculate()
		if got.Total != (Amounts{}) || got.ReturnDefined || got.BreakEvenHundredths != 0 || got.BreakEvenRateBP != 3957 {
			t.Errorf("%+v", got)
		}
		for _, r := range got.Sensitivity {
			for _, v := range r.NetSavingPence {
				if v != 0 {
					t.Errorf("sensitivity %v with no children", r)
				}
			}
		}
	})
	t.Run("same rate with support", func(t *testing.T) {
		in, _ := ParseReturnHome(url.Values{"withSupport": {"47"}})
		got := in.Calculate()
		if got.Year.AvoidedPence != 0 || got.Year.NetSavingPence != -78_570_000 || got.ReturnHundredths != 0 || !got.ReturnDefined || got.PreventedHundredths != 0 {
			t.Errorf("%+v", got)
		}
	})
	t.Run("rate with support above baseline warns", func(t *testing.T) {
		in, ps := ParseReturnHome(url.Values{"withSupport": {"50"}})
		got := in.Calculate()
		if len(ps) != 0 || len(got.Warnings) != 1 || got.PreventedHundredths != -300 {
			t.Errorf("problems %v, warnings %v, prevented %d", ps, got.Warnings, got.PreventedHundredths)
		}
	})
	t.Run("sensitivity stops at zero", func(t *testing.T) {
		in, _ := ParseReturnHome(url.Values{"baseline": {"12"}, "withSupport": {"10"}})
		var rates []int64
		for _, r := range in.Calculate().Sensitivity {
			rates = append(rates, r.WithSupportBP)
		}
		if !reflect.DeepEqual(rates, []int64{1200, 700, 200, 0}) {
			t.Errorf("rates %v", rates)
		}
	})
	t.Run("free support has no return", func(t *testing.T) {
		in, _ := ParseReturnHome(url.Values{"support": {"0"}, "failedCost": {"0"}})
		got := in.Calculate()
		if got.ReturnDefined || got.BreakEvenDefined {
			t.Errorf("%+v", got)
		}
	})
}

func TestReturnHomeProblems(t *testing.T) {
	cases := []struct {
		name  string
		q     url.Values
		field string
	}{
		{"negative", url.Values{"children": {"-1"}}, "children"},
		{"fraction of a child", url.Values{"children": {"1.5"}}, "children"},
		{"empty", url.Values{"support": {""}}, "support"},
		{"three decimals", url.Values{"support": {"1.005"}}, "support"},
		{"bad grouping", url.Values{"support": {"78,57"}}, "support"},
		{"over 100%", url.Values{"baseline": {"100.01"}}, "baseline"},
		{"share over 100%", url.Values{"supportBy": {"need"}, "highShare": {"150"}}, "highShare"},
		{"shares not 100%", url.Values{"supportBy": {"need"}, "highShare": {"50"}}, "highShare"},
		{"no years", url.Values{"years": {"0"}}, "years"},
		{"too many years", url.Values{"years": {"26"}}, "years"},
		{"discount too high", url.Values{"discount": {"21"}}, "discount"},
		{"exponent", url.Values{"failedCost": {"1e5"}}, "failedCost"},
		{"unknown mode", url.Values{"supportBy": {"guess"}}, "supportBy"},
		{"too large", url.Values{"failedCost": {"100000000.01"}}, "failedCost"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, ps := ParseReturnHome(c.q)
			if len(ps) != 1 || ps[0].Field != c.field || ps[0].Message == "" {
				t.Errorf("problems %v, want one for %s", ps, c.field)
			} else if c.name == "negative" && ps[0].Message != "The number of children returning home a year must be 0 or more, not a negative number" {
				t.Errorf("problems %v, want one for %s", ps, c.field)
			}
		})
	}
}

func TestQueryRoundTrips(t *testing.T) {
	for _, q := range []url.Values{
		{},
		{"supportBy": {"need"}, "highShare": {"33.33"}, "mediumShare": {"33.33"}, "lowShare": {"33.34"}, "lowCost": {"1644.50"}, "discount": {"3.5"}},
	} {
		in, _ := ParseReturnHome(q)
		again, ps := ParseReturnHome(in.Query())
		if len(ps) != 0 || !reflect.DeepEqual(in, again) {
			t.Errorf("%v: %+v then %+v (%v)", q, in, again, ps)
		}
	}
	in, _ := ParseInfantCare(url.Values{"careCost": {"60000"}, "programmeCost": {"500,000.5"}, "avoided": {"3.25"}})
	again, ps := ParseInfantCare(in.Query())
	if len(ps) != 0 || !reflect.DeepEqual(in, again) {
		t.Errorf("infant care: %+v then %+v (%v)", in, again, ps)
	}
}

func TestInfantCare(t *testing.T) {
	base := url.Values{"careCost": {"60000"}, "programmeCost": {"500000"}}
	with := func(kv ...string) url.Values {
		q := url.Values{}
		for k, v := range base {
			q[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			q.Set(kv[i], kv[i+1])
		}
		return q
	}
	cases := []struct {
		name                        string
		q                           url.Values
		savings, cost, net, return_ int64
		out                         []int64 // children out of care each year, hundredths
	}{
		// 14.4 × (1 + 2 + 3 + 4) × 60,000 = 8,640,000; 4 × 500,000.
		{"defaults", base, 864_000_000, 200_000_000, 664_000_000, 432, []int64{1440, 2880, 4320, 5760}},
		// In care for 2 years: 14.4, 28.8, 28.8, 28.8.
		{"care shorter than the horizon", with("careYears", "2"), 604_800_000, 200_000_000, 404_800_000, 302, []int64{1440, 2880, 2880, 2880}},
		// T longer than H: the horizon cuts it off.
		{"care longer than the horizon", with("careYears", "25", "years", "2"), 259_200_000, 100_000_000, 159_200_000, 259, []int64{1440, 2880}},
		// Each year ÷ 1.035^t, summed exactly, rounded once.
		{"discounted", with("discount", "3.5"), 807_033_894, 190_081_849, 616_952_045, 425, []int64{1440, 2880, 4320, 5760}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in, ps := ParseInfantCare(c.q)
			if len(ps) != 0 || !in.Given {
				t.Fatal(ps)
			}
			got := in.Calculate()
			if got.SavingsPence != c.savings || got.CostPence != c.cost || got.NetPence != c.net || got.ReturnHundredths != c.return_ {
				t.Errorf("savings %d cost %d net %d return %d", got.SavingsPence, got.CostPence, got.NetPence, got.ReturnHundredths)
			}
			var out []int64
			for _, y := range got.Years {
				out = append(out, y.OutOfCareHundredths)
			}
			if !reflect.DeepEqual(out, c.out) || got.Years[len(got.Years)-1].CumulativeNetPence != c.net {
				t.Errorf("years %+v", got.Years)
			}
		})
	}
	t.Run("bare form shows no result and no errors", func(t *testing.T) {
		in, ps := ParseInfantCare(url.Values{})
		if len(ps) != 0 || in.Given {
			t.Errorf("%+v %v", in, ps)
		}
	})
	t.Run("a sent form needs both costs", func(t *testing.T) {
		_, ps := ParseInfantCare(url.Values{"careCost": {"60000"}, "programmeCost": {""}})
		if len(ps) != 1 || ps[0].Field != "programmeCost" {
			t.Errorf("%v", ps)
		}
		_, ps = ParseInfantCareAPI(url.Values{})
		if len(ps) != 2 {
			t.Errorf("API without costs: %v", ps)
		}
	})
	t.Run("free service has no ratio", func(t *testing.T) {
		in, _ := ParseInfantCare(with("programmeCost", "0"))
		if in.Calculate().ReturnDefined {
			t.Error("a ratio over a cost of nothing")
		}
	})
}

func TestFormats(t *testing.T) {
	cases := []struct{ got, want string }{
		{FormatPence(-123456), "-£1,234.56"},
		{FormatPence(5), "£0.05"},
		{FormatPence(1_000_000_00), "£1,000,000.00"},
		{FormatHundredths(450), "4.50"},
		{FormatHundredths(-5), "-0.05"},
		{FormatRate(4750), "47.5%"},
		{FormatRate(350), "3.5%"},
		{FormatRate(0), "0%"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

func TestRoundHalvesAwayFromZero(t *testing.T) {
	cases := []struct {
		n, d, want int64
	}{{1, 2, 1}, {-1, 2, -1}, {3, 2, 2}, {-3, 2, -2}, {149, 100, 1}, {-151, 100, -2}, {0, 1, 0}, {5, -2, -3}, {-7, -2, 4}}
	for _, c := range cases {
		if got := divRound(big.NewInt(c.n), big.NewInt(c.d)); got != c.want {
			t.Errorf("round(%d/%d) = %d, want %d", c.n, c.d, got, c.want)
		}
	}
}
