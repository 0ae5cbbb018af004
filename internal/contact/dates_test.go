package contact

import (
	"strings"
	"testing"

	"haven/internal/haven"
)

func TestDatesAgainstTheChild(t *testing.T) {
	today := haven.NewDate(2026, 12, 7)
	born := Child{ID: 1, Name: "A", BornOn: haven.NewDate(2020, 5, 1), BirthYear: 2020}
	yearOnly := Child{ID: 2, Name: "B", BirthYear: 2021}
	kids := []Child{born, yearOnly}
	tests := []struct {
		name  string
		check func() error
		key   string // "" when the date makes sense
		want  string
	}{
		{"arrangement before birth", func() error {
			a := Arrangement{ChildID: 1, StartOn: haven.NewDate(2020, 4, 30)}
			return a.CheckChild(kids)
		}, "start", "Start date must be on or after A's date of birth"},
		{"arrangement on the birthday", func() error {
			a := Arrangement{ChildID: 1, StartOn: haven.NewDate(2020, 5, 1)}
			return a.CheckChild(kids)
		}, "", ""},
		{"arrangement before the birth year", func() error {
			a := Arrangement{ChildID: 2, StartOn: haven.NewDate(2020, 12, 31)}
			return a.CheckChild(kids)
		}, "start", "Start date must be on or after B's date of birth"},
		{"arrangement in the birth year", func() error {
			a := Arrangement{ChildID: 2, StartOn: haven.NewDate(2021, 1, 1)}
			return a.CheckChild(kids)
		}, "", ""},
		{"arrangement with another child", func() error {
			a := Arrangement{ChildID: 9, StartOn: haven.NewDate(1999, 1, 1)}
			return a.CheckChild(kids)
		}, "", ""},
		{"move before birth", func() error { return born.CheckMove(haven.NewDate(2019, 1, 1), today) }, "placementFrom", "Date of the move must be on or after A's date of birth"},
		{"move tomorrow", func() error { return born.CheckMove(haven.NewDate(2026, 12, 8), today) }, "placementFrom", "Date of the move must be today or in the past"},
		{"move today", func() error { return born.CheckMove(today, today) }, "", ""},
		{"no move", func() error { return born.CheckMove(haven.Date{}, today) }, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.check()
			he, _ := err.(*haven.Error)
			switch {
			case tt.key == "" && err != nil:
				t.Errorf("refused a date that makes sense: %v", he.Fields)
			case tt.key != "" && (he == nil || he.Fields[tt.key] != tt.want):
				t.Errorf("got %v, want %s: %q", err, tt.key, tt.want)
			}
		})
	}
}

// Text over its limit is refused with a message that starts with the
// field's label, as the contact forms label it.
func TestLongAnswersNameTheirField(t *testing.T) {
	today := haven.NewDate(2026, 12, 7)
	long := func(n int) string { return strings.Repeat("x", n+1) }
	tests := []struct {
		name  string
		check func() error
		key   string
		want  string
	}{
		{"child's name", func() error {
			c := Child{Name: long(40), BirthYear: 2020, LegalStatus: "care-order", Placement: "foster-care"}
			return c.Validate(today)
		}, "name", "First name or initials must be 40 characters or fewer"},
		{"court", func() error { p := Proceedings{Court: long(200)}; return p.Validate(today, nil) }, "court", "Court must be 200 characters or fewer"},
		{"frequency", func() error { a := Arrangement{Frequency: long(200)}; return a.Validate(today) }, "frequency", "How often must be 200 characters or fewer"},
		{"her words", func() error { s := ContactSession{HerWords: long(5000)}; return s.Validate(today) }, "herWords", "How it went, in her words must be 5,000 characters or fewer"},
		{"checked by", func() error { x := LetterboxExchange{CheckedBy: long(200)}; return x.Validate(today) }, "checkedBy", "Who checked the letter must be 200 characters or fewer"},
		{"status reason", func() error {
			x := LetterboxExchange{Status: "returned", StatusReason: long(2000)}
			return x.Validate(today)
		}, "statusReason", "Why it was returned or withheld must be 2,000 characters or fewer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			he, _ := tt.check().(*haven.Error)
			if he == nil || he.Fields[tt.key] != tt.want {
				t.Errorf("%s: got %v, want %q", tt.key, he, tt.want)
			}
		})
	}
}
