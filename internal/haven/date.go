package haven

import (
	"database/sql/driver"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Date is a calendar date with no time of day or zone: a date of birth, a
// hearing date. The zero Date means "not known".
type Date struct{ t time.Time }

// NewDate returns the date y-m-d. It does not normalise: check with ParseDate for input.
func NewDate(y int, m time.Month, d int) Date { return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)} }

// IsZero reports whether the date is unknown.
func (d Date) IsZero() bool { return d.t.IsZero() }

// Time is midnight UTC on the date.
func (d Date) Time() time.Time { return d.t }

// String is ISO 8601, YYYY-MM-DD, or "" when unknown.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format(time.DateOnly)
}

// Long is how GOV.UK writes dates: 5 January 2026.
func (d Date) Long() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format("2 January 2006")
}

// AddMonths is the date n calendar months on, on the same day of the month
// or, where that month is shorter, on its last day: 31 August + 6 months is
// 28 or 29 February (the corresponding-date rule), never 2 or 3 March as
// time.AddDate would make it, so a 6-month point never slips into month 7.
func (d Date) AddMonths(n int) Date {
	first := time.Date(d.t.Year(), d.t.Month()+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return NewDate(first.Year(), first.Month(), min(d.t.Day(), last))
}

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.t.Before(e.t) }

// Parts returns the day, month and year as typed into a GOV.UK date input.
func (d Date) Parts() (day, month, year string) {
	if d.IsZero() {
		return "", "", ""
	}
	return strconv.Itoa(d.t.Day()), strconv.Itoa(int(d.t.Month())), strconv.Itoa(d.t.Year())
}

// ParseDateParts reads a GOV.UK date input. All three empty is the zero Date.
// The message in the error is written for the person who typed it, following
// the GOV.UK date input pattern; label is the field's name, e.g. "Date of birth".
func ParseDateParts(label, day, month, year string) (Date, error) {
	day, month, year = strings.TrimSpace(day), strings.TrimSpace(month), strings.TrimSpace(year)
	if day == "" && month == "" && year == "" {
		return Date{}, nil
	}
	var missing []string
	for _, p := range []struct{ name, v string }{{"day", day}, {"month", month}, {"year", year}} {
		if p.v == "" {
			missing = append(missing, p.name)
		}
	}
	if len(missing) > 0 {
		return Date{}, fmt.Errorf("%s must include a %s", label, strings.Join(missing, " and a "))
	}
	d, errD := strconv.Atoi(day)
	m, errM := strconv.Atoi(month)
	y, errY := strconv.Atoi(year)
	if errD != nil || errM != nil || errY != nil || len(year) != 4 {
		return Date{}, fmt.Errorf("%s must be a real date, like 27 3 2007", label)
	}
	if y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31 {
		return Date{}, fmt.Errorf("%s must be a real date", label)
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d { // 31 April, 29 February in a common year
		return Date{}, fmt.Errorf("%s must be a real date", label)
	}
	return Date{t}, nil
}

// ParseDate reads YYYY-MM-DD, as the API sends dates.
func ParseDate(s string) (Date, error) {
	if s == "" {
		return Date{}, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil || t.Year() < 1900 || t.Year() > 2200 {
		return Date{}, fmt.Errorf("date %q must be YYYY-MM-DD", s)
	}
	return Date{t}, nil
}

// Value stores the date as YYYY-MM-DD text, which both databases accept.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan reads a date from either database.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
	case time.Time:
		*d = Date{time.Date(v.Year(), v.Month(), v.Day(), 0, 0, 0, 0, time.UTC)}
	case string:
		return d.scanText(v)
	case []byte:
		return d.scanText(string(v))
	default:
		return fmt.Errorf("haven: cannot scan %T into a Date", src)
	}
	return nil
}

func (d *Date) scanText(s string) error {
	if len(s) < 10 {
		return fmt.Errorf("haven: bad date %q", s)
	}
	t, err := time.Parse(time.DateOnly, s[:10])
	if err != nil {
		return err
	}
	*d = Date{t}
	return nil
}

// MarshalText writes YYYY-MM-DD for JSON.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads YYYY-MM-DD from JSON.
func (d *Date) UnmarshalText(b []byte) error {
	p, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = p
	return nil
}
