package reunify

import (
	"errors"
	"testing"
	"time"

	"haven/internal/haven"
)

func TestSupportTooShort(t *testing.T) {
	var none haven.Date
	for _, tt := range []struct {
		name             string
		returned, endsOn haven.Date
		want             bool
	}{
		{"exactly 6 months", d(2026, 1, 15), d(2026, 7, 15), false},
		{"a day short of 6 months", d(2026, 1, 15), d(2026, 7, 14), true},
		{"3 months", d(2026, 1, 15), d(2026, 4, 15), true},
		{"a year", d(2026, 1, 15), d(2027, 1, 15), false},
		{"ends before the return", d(2026, 1, 15), d(2025, 12, 1), true},
		{"31 August to 28 February is 6 months", d(2025, 8, 31), d(2026, 2, 28), false},
		{"not yet returned", none, d(2026, 2, 1), false},
		{"no end recorded", d(2026, 1, 15), none, false},
	} {
		if got := SupportTooShort(tt.returned, tt.endsOn); got != tt.want {
			t.Errorf("%s: SupportTooShort = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestChecksDue(t *testing.T) {
	returned := d(2026, 1, 10) // checks on 10 April, 10 July, 10 January 2027
	for _, tt := range []struct {
		name  string
		done  map[int]bool
		today haven.Date
		want  []DueCheck
	}{
		{"long before the first", nil, d(2026, 2, 1), nil},
		{"15 days before the 3-month check", nil, d(2026, 3, 26), nil},
		{"14 days before the 3-month check", nil, d(2026, 3, 27), []DueCheck{{3, d(2026, 4, 10)}}},
		{"the 3-month check overdue, 6 months not yet near", nil, d(2026, 5, 1), []DueCheck{{3, d(2026, 4, 10)}}},
		{"3 done, 6 due", map[int]bool{3: true}, d(2026, 7, 10), []DueCheck{{6, d(2026, 7, 10)}}},
		{"all overdue", nil, d(2027, 2, 1), []DueCheck{{3, d(2026, 4, 10)}, {6, d(2026, 7, 10)}, {12, d(2027, 1, 10)}}},
		{"all done", map[int]bool{3: true, 6: true, 12: true}, d(2027, 2, 1), nil},
	} {
		got := ChecksDue(returned, tt.done, tt.today)
		if len(got) != len(tt.want) {
			t.Errorf("%s: ChecksDue = %v, want %v", tt.name, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("%s: check %d = %v, want %v", tt.name, i, got[i], tt.want[i])
			}
		}
	}
	if got := ChecksDue(haven.Date{}, nil, d(2027, 1, 1)); got != nil {
		t.Errorf("checks due before any return: %v", got)
	}
}

// Hand-worked: A has a plan and a year's support, B a plan and exactly 6
// months, C a plan and 5 months, D a year's support but no plan, E a plan
// and no support recorded.
func TestSupportedReturn(t *testing.T) {
	var none haven.Date
	for _, tc := range []struct {
		name string
		r    SupportedReturn
		want bool
	}{
		{"A", SupportedReturn{Returned: d(2026, 2, 1), HasPlan: true, SupportEndsOn: d(2027, 2, 1)}, true},
		{"B: exactly 6 months (30 September)", SupportedReturn{Returned: d(2026, 3, 31), HasPlan: true, SupportEndsOn: d(2026, 9, 30)}, true},
		{"C", SupportedReturn{Returned: d(2026, 4, 1), HasPlan: true, SupportEndsOn: d(2026, 9, 1)}, false},
		{"D", SupportedReturn{Returned: d(2026, 5, 1), HasPlan: false, SupportEndsOn: d(2027, 5, 1)}, false},
		{"E", SupportedReturn{Returned: d(2026, 6, 1), HasPlan: true, SupportEndsOn: none}, false},
	} {
		if got := tc.r.Supported(); got != tc.want {
			t.Errorf("%s: Supported() = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestOutcomeCheckValidate(t *testing.T) {
	returned, today := d(2026, 1, 10), d(2026, 12, 7)
	ok := OutcomeCheck{Month: 3, CheckedOn: d(2026, 4, 12), Outcome: "settled"}
	if err := ok.Validate(returned, today); err != nil {
		t.Fatalf("a good check: %v", err)
	}
	for _, tt := range []struct {
		name     string
		c        OutcomeCheck
		returned haven.Date
		field    string
	}{
		{"month 4", OutcomeCheck{Month: 4, CheckedOn: d(2026, 4, 12), Outcome: "settled"}, returned, "month"},
		{"before the return", OutcomeCheck{Month: 3, CheckedOn: d(2026, 1, 1), Outcome: "settled"}, returned, "checkedOn"},
		{"in the future", OutcomeCheck{Month: 12, CheckedOn: d(2027, 1, 10), Outcome: "settled"}, returned, "checkedOn"},
		{"no return yet", ok, haven.Date{}, "checkedOn"},
		{"no outcome", OutcomeCheck{Month: 3, CheckedOn: d(2026, 4, 12)}, returned, "outcome"},
	} {
		err := tt.c.Validate(tt.returned, today)
		var he *haven.Error
		if !errors.As(err, &he) || he.Fields[tt.field] == "" {
			t.Errorf("%s: %v, want an error on %s", tt.name, err, tt.field)
		}
	}
	_ = time.January
}
