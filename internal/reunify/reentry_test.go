package reunify

import (
	"testing"
	"time"

	"haven/internal/haven"
)

func d(y int, m time.Month, day int) haven.Date { return haven.NewDate(y, m, day) }

// ep is an episode from its start, reason, and (if ended) end and REC.
func ep(start haven.Date, rne string, end haven.Date, rec string) Episode {
	return Episode{StartsOn: start, RNE: rne, LegalStatus: "C2", Placement: "U4", EndsOn: end, REC: rec}
}

func TestReEntries(t *testing.T) {
	var none haven.Date
	tests := []struct {
		name    string
		eps     []Episode
		want    []ReEntry
		windows []string // Window() of each re-entry
	}{
		{"still in care", []Episode{ep(d(2024, 1, 5), "S", none, "")}, nil, nil},
		{"went home and stayed", []Episode{ep(d(2024, 1, 5), "S", d(2024, 9, 1), "E4A")}, nil, nil},
		{"back within 3 months",
			[]Episode{ep(d(2024, 1, 5), "S", d(2024, 9, 1), "E4A"), ep(d(2024, 12, 1), "S", none, "")},
			[]ReEntry{{Returned: d(2024, 9, 1), REC: "E4A", ReEntered: d(2024, 12, 1)}}, []string{"within 3 months"}},
		{"back the day after 3 months is within 12",
			[]Episode{ep(d(2024, 1, 5), "S", d(2024, 9, 1), "E4B"), ep(d(2024, 12, 2), "S", none, "")},
			[]ReEntry{{Returned: d(2024, 9, 1), REC: "E4B", ReEntered: d(2024, 12, 2)}}, []string{"within 12 months"}},
		{"back within 6 years",
			[]Episode{ep(d(2018, 1, 5), "S", d(2018, 6, 30), "E4A"), ep(d(2023, 2, 1), "S", none, "")},
			[]ReEntry{{Returned: d(2018, 6, 30), REC: "E4A", ReEntered: d(2023, 2, 1)}}, []string{"within 6 years"}},
		{"back after more than 6 years",
			[]Episode{ep(d(2010, 1, 5), "S", d(2010, 6, 30), "E4A"), ep(d(2016, 7, 1), "S", none, "")},
			[]ReEntry{{Returned: d(2010, 6, 30), REC: "E4A", ReEntered: d(2016, 7, 1)}}, []string{""}},
		{"X1 is not an exit: a new episode the same day is not a re-entry",
			[]Episode{ep(d(2024, 1, 5), "S", d(2024, 3, 1), "X1"), ep(d(2024, 3, 1), "L", d(2024, 8, 1), "E4A"), ep(d(2025, 1, 10), "S", none, "")},
			[]ReEntry{{Returned: d(2024, 8, 1), REC: "E4A", ReEntered: d(2025, 1, 10)}}, []string{"within 12 months"}},
		{"E13 is not a return to parents",
			[]Episode{ep(d(2024, 1, 5), "S", d(2024, 3, 1), "E13"), ep(d(2024, 5, 1), "S", none, "")}, nil, nil},
		{"two returns, two re-entries, given out of order",
			[]Episode{ep(d(2023, 2, 1), "S", d(2023, 6, 1), "E4B"), ep(d(2022, 1, 1), "S", d(2022, 6, 1), "E4A"), ep(d(2022, 7, 1), "S", d(2022, 12, 1), "E4A")},
			[]ReEntry{{Returned: d(2022, 6, 1), REC: "E4A", ReEntered: d(2022, 7, 1)}, {Returned: d(2022, 12, 1), REC: "E4A", ReEntered: d(2023, 2, 1)}},
			[]string{"within 3 months", "within 3 months"}},
		{"a later placement change is not a re-entry",
			[]Episode{ep(d(2024, 1, 5), "S", d(2024, 9, 1), "E4A"), ep(d(2024, 10, 1), "P", none, "")}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ReEntries(tt.eps)
			if len(got) != len(tt.want) {
				t.Fatalf("ReEntries = %+v, want %+v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("re-entry %d = %+v, want %+v", i, got[i], tt.want[i])
				}
				if w := got[i].Window(); w != tt.windows[i] {
					t.Errorf("re-entry %d window %q, want %q", i, w, tt.windows[i])
				}
			}
		})
	}
}

func TestReturnedOnAndReEntryAfter(t *testing.T) {
	var none haven.Date
	eps := []Episode{ep(d(2022, 1, 1), "S", d(2022, 6, 1), "E4A"), ep(d(2022, 7, 1), "S", d(2024, 2, 1), "E4B"), ep(d(2024, 5, 1), "S", none, "")}
	if got := ReturnedOn(eps, d(2023, 1, 1)); got != d(2024, 2, 1) {
		t.Errorf("ReturnedOn = %v, want 2024-02-01", got)
	}
	if got := ReturnedOn(eps, d(2024, 3, 1)); !got.IsZero() {
		t.Errorf("ReturnedOn for a case opened after the last return = %v, want none", got)
	}
	r, ok := ReEntryAfter(eps, d(2024, 2, 1))
	if !ok || r.ReEntered != d(2024, 5, 1) || !r.Within(3) {
		t.Errorf("ReEntryAfter = %+v, %v", r, ok)
	}
	if _, ok := ReEntryAfter(eps[:2], d(2024, 2, 1)); ok {
		t.Error("a re-entry found where the child stayed home")
	}
}
