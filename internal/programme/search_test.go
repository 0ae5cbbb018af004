package programme_test

import (
	"errors"
	"testing"

	"haven/internal/haven"
	"haven/internal/programme"
)

func TestSearchTerm(t *testing.T) {
	long := ""
	for range 101 {
		long += "a"
	}
	for _, tc := range []struct {
		in, want string
		field    bool
	}{
		{in: "  Jo  SMITH ", want: "jo smith"},
		{in: "ab", want: "ab"},
		{in: "Zoë", want: "zoë"},
		{in: "", field: true},
		{in: "   ", field: true},
		{in: "a", field: true},
		{in: long, field: true},
		{in: "\xff\xfe", field: true},
		{in: "jo\vsmith", field: true},     // S22: a control that is also space, refused as every text field refuses it
		{in: "jo\u0085smith", field: true}, // S22: C1 next line
		{in: "jo\tsmith", want: "jo smith"},
	} {
		got, err := programme.SearchTerm(tc.in)
		if tc.field {
			var he *haven.Error
			if !errors.As(err, &he) || he.Kind != haven.KindInvalid || he.Fields["q"] == "" {
				t.Errorf("SearchTerm(%q) error %v, want invalid with a message", tc.in, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("SearchTerm(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}
