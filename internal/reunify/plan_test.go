package reunify

import (
	"errors"
	"testing"

	"haven/internal/haven"
)

func TestReviewRatesEveryGoal(t *testing.T) {
	goals := []Goal{{ID: 1, Words: "Go to the parenting course every week"}, {ID: 2, Words: "Keep the flat safe"}}
	today := d(2026, 12, 7)
	for _, tt := range []struct {
		name   string
		r      Review
		fields []string
		notFnd bool
	}{
		{"every goal rated", Review{HeldOn: d(2026, 12, 1), Ratings: map[int64]Rating{1: Red, 2: Green}}, nil, false},
		{"one goal unrated", Review{HeldOn: d(2026, 12, 1), Ratings: map[int64]Rating{1: Amber}}, []string{"rating-2"}, false},
		{"no date", Review{Ratings: map[int64]Rating{1: Amber, 2: Amber}}, []string{"heldOn"}, false},
		{"in the future", Review{HeldOn: d(2026, 12, 8), Ratings: map[int64]Rating{1: Amber, 2: Amber}}, []string{"heldOn"}, false},
		{"a goal of another plan", Review{HeldOn: d(2026, 12, 1), Ratings: map[int64]Rating{1: Amber, 2: Amber, 9: Red}}, nil, true},
	} {
		err := tt.r.Validate(goals, today)
		if tt.notFnd {
			if !errors.Is(err, haven.ErrNotFound) {
				t.Errorf("%s: %v, want not found", tt.name, err)
			}
			continue
		}
		var he *haven.Error
		errors.As(err, &he)
		if len(tt.fields) == 0 && err != nil {
			t.Errorf("%s: %v", tt.name, err)
		}
		for _, f := range tt.fields {
			if he == nil || he.Fields[f] == "" {
				t.Errorf("%s: %v, want an error on %s", tt.name, err, f)
			}
		}
	}
}

func TestParseRating(t *testing.T) {
	for in, want := range map[string]Rating{"red": Red, "amber": Amber, "green": Green, "Red": "", "": "", "blue": ""} {
		got, ok := ParseRating(in)
		if got != want || ok != (want != "") {
			t.Errorf("ParseRating(%q) = %q, %v", in, got, ok)
		}
	}
}

// The progress table has a row a goal and a column a review, oldest first;
// a goal added after a review has no rating for it.
func TestProgressOf(t *testing.T) {
	goals := []Goal{{ID: 1}, {ID: 2}}
	reviews := []Review{
		{ID: 20, HeldOn: d(2026, 10, 1), Ratings: map[int64]Rating{1: Amber, 2: Red}},
		{ID: 10, HeldOn: d(2026, 8, 1), Ratings: map[int64]Rating{1: Red}},
	}
	p := ProgressOf(goals, reviews)
	if p.Reviews[0].ID != 10 || p.Reviews[1].ID != 20 {
		t.Fatalf("reviews not oldest first: %+v", p.Reviews)
	}
	want := [][]Rating{{Red, Amber}, {"", Red}}
	for i, row := range p.Rows {
		for j, c := range row.Cells {
			if c != want[i][j] {
				t.Errorf("goal %d review %d: %q, want %q", row.Goal.ID, j, c, want[i][j])
			}
		}
	}
	if Rating("").Title() != "Not rated" || Amber.Title() != "Amber" {
		t.Error("ratings must say themselves in words")
	}
}

func TestAssessmentCompleteness(t *testing.T) {
	perParent, family := 0, 0
	for _, s := range AssessmentSections {
		if s.PerParent {
			perParent++
		} else {
			family++
		}
	}
	entries := []AssessmentEntry{
		{Section: "strengths", Person: 7, Complete: true},
		{Section: "strengths", Person: 8, Complete: false},
		{Section: "concerns", Person: 8, Complete: true},
		{Section: "child-views", Complete: true},
		{Section: "strengths", Person: 99, Complete: true}, // not a parent any more: not counted
	}
	got := AssessmentCompleteness([]int64{7, 8}, entries)
	if want := (Completeness{Done: 3, Total: 2*perParent + family}); got != want {
		t.Errorf("completeness %+v, want %+v", got, want)
	}
	if got.Complete() {
		t.Error("an assessment with sections left is complete")
	}
	if err := (AssessmentEntry{Section: "strengths", Person: 7, Complete: true, Text: "  "}).Validate(); err == nil {
		t.Error("an empty section marked complete was accepted")
	}
	if err := (AssessmentEntry{Section: "nonsense"}).Validate(); !errors.Is(err, haven.ErrNotFound) {
		t.Errorf("an unknown section: %v", err)
	}
}
