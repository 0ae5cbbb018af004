package main

import (
	"net/url"
	"strings"
	"testing"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"haven/internal/calculator"
)

// Every request the calculators phase sends is a good scenario (a 400 would
// measure the error path), and with fresh every one is new.
func TestCalculatorTargetsAreGoodScenarios(t *testing.T) {
	for _, fresh := range []bool{false, true} {
		tg := calculatorTargeter("http://haven.test", fresh)
		seen := map[string]bool{}
		for range 5000 {
			var tt vegeta.Target
			if err := tg(&tt); err != nil {
				t.Fatal(err)
			}
			u, err := url.Parse(tt.URL)
			if err != nil {
				t.Fatal(err)
			}
			var ps calculator.Problems
			if strings.HasSuffix(u.Path, "/return-home") {
				_, ps = calculator.ParseReturnHome(u.Query())
			} else {
				_, ps = calculator.ParseInfantCareAPI(u.Query())
			}
			if len(ps) > 0 {
				t.Fatalf("%s: %v", tt.URL, ps)
			}
			if tt.Header.Get("X-Forwarded-For") == "" {
				t.Fatal("no client address")
			}
			seen[tt.URL] = true
		}
		if fresh && len(seen) != 5000 || !fresh && len(seen) != len(calculatorScenarios()) {
			t.Errorf("fresh %v: %d distinct scenarios", fresh, len(seen))
		}
	}
}
