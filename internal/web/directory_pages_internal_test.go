package web

import "testing"

func TestMilesText(t *testing.T) {
	for _, tc := range []struct {
		miles float64
		want  string
	}{{0, "Less than 0.1 miles"}, {0.049, "Less than 0.1 miles"}, {0.05, "0.1 miles"}, {22.54, "22.5 miles"}, {3, "3.0 miles"}} {
		if got := milesText(tc.miles); got != tc.want {
			t.Errorf("milesText(%v) = %q, want %q", tc.miles, got, tc.want)
		}
	}
}
