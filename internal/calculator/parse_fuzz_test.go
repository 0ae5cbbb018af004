package calculator

import (
	"net/url"
	"testing"
)

// FuzzParseQuery holds both parsers to their promise for any query: either
// problems, or inputs inside the limits that calculate without a panic and
// survive a trip through their own URL.
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"", "children=100&support=7857", "supportBy=need&highShare=33.33&mediumShare=33.33&lowShare=33.34",
		"careCost=60000&programmeCost=500000&discount=3.5", "years=25&children=100000&failedCost=100000000", "support=1,2,3&baseline=47%25"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		if in, ps := ParseReturnHome(q); len(ps) == 0 {
			if in.Children < 0 || in.Children > MaxChildren || in.Years < 1 || in.Years > MaxYears || in.DiscountBP > MaxDiscount {
				t.Fatalf("out of limits: %+v", in)
			}
			got := in.Calculate()
			if len(got.Years) != in.Years {
				t.Fatalf("%d years for %d", len(got.Years), in.Years)
			}
			if again, ps := ParseReturnHome(in.Query()); len(ps) != 0 || again.Calculate().Total != got.Total {
				t.Fatalf("round trip: %v", ps)
			}
		}
		for _, parse := range []func(url.Values) (InfantCare, Problems){ParseInfantCare, ParseInfantCareAPI} {
			if in, ps := parse(q); len(ps) == 0 && in.Given {
				got := in.Calculate()
				if again, ps := ParseInfantCare(in.Query()); len(ps) != 0 || again.Calculate().NetPence != got.NetPence {
					t.Fatalf("round trip: %v", ps)
				}
			}
		}
	})
}
