package programme

import (
	"testing"

	"haven/internal/haven"
)

func TestGoalValidate(t *testing.T) {
	tests := []struct {
		name string
		g    Goal
		bad  []string
	}{
		{"good", Goal{Domain: DomainHousing, Words: "I want my own flat near my sister", Progress: NotStarted}, nil},
		{"nothing", Goal{}, []string{"domain", "words", "progress"}},
		{"unknown domain", Goal{Domain: "astrology", Words: "x", Progress: Achieved}, []string{"domain"}},
		{"target passed", Goal{Domain: DomainHousing, Words: "x", Progress: NotStarted, TargetOn: haven.NewDate(2025, 12, 31)}, []string{"target"}},
	}
	for _, tt := range tests {
		err := tt.g.Validate(haven.NewDate(2026, 1, 1))
		he, _ := err.(*haven.Error)
		if len(tt.bad) == 0 && err != nil {
			t.Errorf("%s: %v", tt.name, err)
		}
		for _, k := range tt.bad {
			if he == nil || he.Fields[k] == "" {
				t.Errorf("%s: no error for %s", tt.name, k)
			}
		}
	}
	if !DomainSexualHealth.Restricted() || DomainHousing.Restricted() {
		t.Error("only sexual and reproductive health goals are restricted")
	}
	r := Review{On: haven.NewDate(2030, 1, 1), Note: "ok", Progress: InProgress}
	if r.Validate(haven.NewDate(2026, 1, 1)) == nil {
		t.Error("a review in the future was accepted")
	}
}
