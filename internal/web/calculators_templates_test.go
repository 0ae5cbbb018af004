package web

import (
	"net/url"
	"testing"

	"haven/internal/calculator"
)

// calculatorTemplateCases are TestEveryTemplateRenders' cases for the cost
// calculators' pages.
func calculatorTemplateCases() map[string]struct {
	p    page
	want string
} {
	rh := calculator.DefaultReturnHome()
	ic, _ := calculator.ParseInfantCare(url.Values{"careCost": {"40000"}, "programmeCost": {"300000"}})
	bad := calculator.Problems{{Field: "children", Message: "Enter le<eds"}}
	return map[string]struct {
		p    page
		want string
	}{
		"calculators.html": {&calcIndexPage{Layout{Title: "Cost calculators"}}, `href="/calculators/infant-care"`},
		"calculators-return-home.html": {&returnHomePage{Layout: Layout{Title: "Return home"},
			Inputs: calcInputs(calculator.ReturnHomeFields(), calcFormValues(url.Values{}, rh.Query()), nil),
			Result: newReturnHomeView(rh.Calculate()), Team: &calculatorTeam{}}, `id="rh-net-year" data-pence="16653600">£166,536.00<`},
		"calculators-infant-care.html": {&infantCarePage{Layout: Layout{Title: "Infant care", Errors: calcErrors(bad)},
			Inputs: calcInputs(calculator.InfantCareFields(), calcFormValues(url.Values{"avoided": {"le<eds"}}, ic.Query()), bad),
			Result: newInfantCareView(ic.Calculate()), Benchmarks: infantCareBenchmarks()}, `id="ic-net" data-pence="456000000">£4,560,000.00<`},
	}
}

func TestCalculatorChartScale(t *testing.T) {
	for _, tt := range []struct {
		in, step int64
	}{{0, 100}, {99, 100}, {101, 200}, {250_000, 500_000}, {1_000_000, 1_000_000}, {1_000_001, 2_000_000}} {
		if got := niceStep(tt.in); got != tt.step {
			t.Errorf("niceStep(%d) = %d, want %d", tt.in, got, tt.step)
		}
	}
	for _, tt := range []struct {
		pence int64
		want  string
	}{{0, "£0"}, {4_000, "£40"}, {95_000_000, "£950k"}, {250_000_000, "£2.5m"}, {-150_000, "-£1.5k"}, {299_999_999, "£3m"}, {125_000_000_000, "£1.3bn"}, {2_500_000_000_000_000, "£25000bn"}} {
		if got := compactPounds(tt.pence); got != tt.want {
			t.Errorf("compactPounds(%d) = %q, want %q", tt.pence, got, tt.want)
		}
	}
	// A loss takes the axis below zero; every point sits inside the plot.
	c := newCalcChart("x", "t", "d", "c", "cost", "saved", []int64{100_000, 200_000}, []int64{-50_000, 300_000})
	if c.YTicks[0].Label != "-£1k" || c.YTicks[len(c.YTicks)-1].Label != "£3k" {
		t.Errorf("ticks %+v", c.YTicks)
	}
	for _, m := range append(c.A.Marks, c.B.Marks...) {
		if m.Y < c.Top || m.Y > c.Bottom || m.X < c.Left || m.X > c.Right {
			t.Errorf("point %+v outside the plot", m)
		}
	}
	if c.ZeroY <= c.Top || c.ZeroY >= c.Bottom {
		t.Errorf("zero at %v", c.ZeroY)
	}
}
