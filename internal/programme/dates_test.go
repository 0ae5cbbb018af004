package programme

import (
	"strings"
	"testing"
	"time"

	"haven/internal/haven"
)

// Dates that make no sense are refused, each with a message that starts
// with the field's label.
func TestDatesThatMakeNoSense(t *testing.T) {
	today := haven.NewDate(2026, 12, 7)
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	good := func() Person { return Person{FirstName: "Ada", LastName: "Test", CareExperienced: AnswerUnknown} }
	self := func() Referral { r := goodSelf(); r.Prepare(); return r }
	tests := []struct {
		name  string
		check func() error
		key   string // "" when the date is fine
		want  string // the start of the message
	}{
		{"person aged 9", func() error { p := good(); p.DateOfBirth = haven.NewDate(2017, 6, 1); return p.Validate(now) }, "dateOfBirth", "Date of birth must be on or before 7 December 2012"},
		{"person aged 109", func() error { p := good(); p.DateOfBirth = haven.NewDate(1917, 6, 1); return p.Validate(now) }, "dateOfBirth", "Date of birth must be on or after 8 December 1925"},
		{"person born tomorrow", func() error { p := good(); p.DateOfBirth = haven.NewDate(2026, 12, 8); return p.Validate(now) }, "dateOfBirth", "Date of birth must be in the past"},
		{"person aged 14 today", func() error { p := good(); p.DateOfBirth = haven.NewDate(2012, 12, 7); return p.Validate(now) }, "", ""},
		{"person 13, 14 tomorrow", func() error { p := good(); p.DateOfBirth = haven.NewDate(2012, 12, 8); return p.Validate(now) }, "dateOfBirth", "Date of birth must be on or before"},
		{"person aged 100", func() error { p := good(); p.DateOfBirth = haven.NewDate(1925, 12, 8); return p.Validate(now) }, "", ""},
		{"person 101 today", func() error { p := good(); p.DateOfBirth = haven.NewDate(1925, 12, 7); return p.Validate(now) }, "dateOfBirth", "Date of birth must be on or after"},
		{"person aged 30", func() error { p := good(); p.DateOfBirth = haven.NewDate(1996, 2, 29); return p.Validate(now) }, "", ""},
		{"referral aged 9", func() error { r := self(); r.DateOfBirth = haven.NewDate(2017, 1, 1); return r.Validate(now) }, "dateOfBirth", "Date of birth must be on or before"},
		{"referral aged 109", func() error { r := self(); r.DateOfBirth = haven.NewDate(1917, 1, 1); return r.Validate(now) }, "dateOfBirth", "Date of birth must be on or after"},
		{"referral aged 25", func() error { r := self(); r.DateOfBirth = haven.NewDate(2001, 1, 1); return r.Validate(now) }, "", ""},
		{"goal target yesterday", func() error {
			g := Goal{Domain: DomainHousing, Words: "A flat", Progress: NotStarted, TargetOn: haven.NewDate(2026, 12, 6)}
			return g.Validate(today)
		}, "target", "Target date must be today or in the future"},
		{"goal target today", func() error {
			g := Goal{Domain: DomainHousing, Words: "A flat", Progress: NotStarted, TargetOn: today}
			return g.Validate(today)
		}, "", ""},
		{"goal review tomorrow", func() error {
			r := Review{On: haven.NewDate(2026, 12, 8), Note: "ok", Progress: InProgress}
			return r.Validate(today)
		}, "on", "Date of the review must be today or in the past"},
		{"pregnancy known tomorrow", func() error { p := Pregnancy{KnownOn: haven.NewDate(2026, 12, 8)}; return p.Validate(today) }, "knownOn", "Date the pregnancy became known must be today or in the past"},
		{"contraception review before start", func() error {
			c := Contraception{Method: Methods[0], StartedOn: haven.NewDate(2026, 6, 1), ReviewOn: haven.NewDate(2026, 5, 1)}
			return c.Validate()
		}, "reviewOn", "Review or expiry date must be on or after the start date"},
		{"referral out step tomorrow", func() error {
			return Happened("on", "Date of this step", haven.NewDate(2026, 12, 8), today)
		}, "on", "Date of this step must be today or in the past"},
		{"phase change before the referral", func() error {
			e := Enrolment{Phase: PhaseReferred, ReferredOn: haven.NewDate(2026, 11, 1)}
			_, err := e.Move(PhaseEngaging, haven.NewDate(2026, 10, 31), "", "", 1)
			return err
		}, "on", "Date of the change must be on or after 1 November 2026"},
		{"phase change today", func() error { return Happened("on", "Date of the change", today, today) }, "", ""},
		{"session 13 months ago is questioned", func() error {
			if q := SessionDateQuestion(haven.NewDate(2025, 11, 6), today); q != "" {
				return haven.Invalid(map[string]string{"on": q})
			}
			return nil
		}, "on", "Date of the session is more than a year ago"},
		{"session a year ago today is not questioned", func() error {
			if q := SessionDateQuestion(haven.NewDate(2025, 12, 7), today); q != "" {
				return haven.Invalid(map[string]string{"on": q})
			}
			return nil
		}, "", ""},
		{"no date", func() error { return Happened("on", "Date of the change", haven.Date{}, today) }, "on", "Enter the date of the change"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.check()
			he, _ := err.(*haven.Error)
			var got string
			if he != nil {
				got = he.Fields[tt.key]
			}
			switch {
			case tt.key == "":
				if he != nil && he.Fields["dateOfBirth"]+he.Fields["target"]+he.Fields["on"] != "" {
					t.Errorf("refused a date that makes sense: %v", he.Fields)
				}
			case !strings.HasPrefix(got, tt.want):
				t.Errorf("%s: %q, want it to start %q (all: %v)", tt.key, got, tt.want, err)
			}
		})
	}
}

func TestYearsBeforeKeepsWholeYears(t *testing.T) {
	for _, today := range []haven.Date{haven.NewDate(2028, 2, 29), haven.NewDate(2026, 12, 7), haven.NewDate(2026, 1, 1)} {
		if got := AgeOn(yearsBefore(today, MinAge), today); got != MinAge {
			t.Errorf("on %s, born %s is %d, want %d", today, yearsBefore(today, MinAge), got, MinAge)
		}
	}
}
