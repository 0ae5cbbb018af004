package programme

import (
	"strings"
	"time"

	"haven/internal/haven"
)

// Dates that make no sense. A form parses a date (haven.ParseDateParts) and
// these rules say whether it can be right: a session in the future has not
// happened, a goal's target in the past cannot be aimed at, and a date of
// birth that makes her 9 or 109 is a slip of the keyboard. The messages name
// the field as its label does.

// The ages a date of birth may give her today. Haven works with women aged
// 16 and over; 14 leaves room for a referral made early.
const (
	MinAge = 14
	MaxAge = 100
)

// dateOf is the calendar date of t in its own zone.
func dateOf(t time.Time) haven.Date { return haven.NewDate(t.Year(), t.Month(), t.Day()) }

// yearsBefore is the same day n years before d; 29 February falls back to
// the 28th in a common year, so AgeOn counts whole years from it.
func yearsBefore(d haven.Date, n int) haven.Date {
	t := d.Time()
	y, m, day := t.Year()-n, t.Month(), t.Day()
	if last := time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day(); day > last {
		day = last
	}
	return haven.NewDate(y, m, day)
}

// checkBirth refuses a date of birth in the future, or one that makes her
// younger than MinAge or older than MaxAge today. It adds to f under key.
func checkBirth(f map[string]string, key string, dob, today haven.Date) {
	if dob.IsZero() {
		return
	}
	switch age := AgeOn(dob, today); {
	case age < 0 || dob == today:
		f[key] = "Date of birth must be in the past"
	case age < MinAge:
		f[key] = "Date of birth must be on or before " + yearsBefore(today, MinAge).Long() + ": she must be at least 14 years old"
	case age > MaxAge:
		earliest := yearsBefore(today, MaxAge+1).Time().AddDate(0, 0, 1)
		f[key] = "Date of birth must be on or after " + dateOf(earliest).Long() + ": check the year"
	}
}

// Happened checks the date of something that has already happened (a
// session, a review, a phase change, a step of a referral out): it must be
// given, and today or earlier. key is the form's field; label is the
// field's label, which the message starts with.
func Happened(key, label string, on, today haven.Date) error {
	switch {
	case on.IsZero():
		return haven.Invalid(map[string]string{key: "Enter the " + lowerFirst(label)})
	case today.Before(on):
		return haven.Invalid(map[string]string{key: label + " must be today or in the past"})
	}
	return nil
}

// SessionDateQuestion questions a session date that is possible but
// unusual: more than a year ago, which is more often a slip of the year
// than a session recorded so late. The form asks once, and takes the date
// when the practitioner says it is right. "" means nothing to ask.
func SessionDateQuestion(on, today haven.Date) string {
	if on.IsZero() || today.Before(on) || !on.Before(yearsBefore(today, 1)) {
		return ""
	}
	return "Date of the session is more than a year ago: check the year, or confirm the date is right"
}

// checkTarget refuses a target date already passed: a goal aims ahead.
func checkTarget(f map[string]string, key, label string, target, today haven.Date) {
	if !target.IsZero() && target.Before(today) {
		f[key] = label + " must be today or in the future"
	}
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}
