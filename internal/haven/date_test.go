package haven

import (
	"strings"
	"testing"
	"time"
)

func TestParseDateParts(t *testing.T) {
	tests := []struct {
		d, m, y string
		want    string
		wantErr string
	}{
		{"", "", "", "", ""},
		{"27", "3", "2007", "2007-03-27", ""},
		{" 1 ", "01", "1990", "1990-01-01", ""},
		{"29", "2", "2024", "2024-02-29", ""},
		{"29", "2", "2023", "", "real date"},
		{"31", "4", "2020", "", "real date"},
		{"", "4", "2020", "", "must include a day"},
		{"1", "", "", "", "must include a month and a year"},
		{"x", "4", "2020", "", "real date"},
		{"1", "13", "2020", "", "real date"},
		{"1", "1", "20", "", "real date"},
		{"1", "1", "1899", "", "real date"},
	}
	for _, tt := range tests {
		got, err := ParseDateParts("Date of birth", tt.d, tt.m, tt.y)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.HasPrefix(err.Error(), "Date of birth") {
				t.Errorf("%q/%q/%q: error %v, want %q", tt.d, tt.m, tt.y, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got.String() != tt.want {
			t.Errorf("%q/%q/%q = %q, %v; want %q", tt.d, tt.m, tt.y, got, err, tt.want)
		}
	}
}

func TestDateScan(t *testing.T) {
	for _, src := range []any{"2001-02-03", []byte("2001-02-03"), "2001-02-03 00:00:00+00:00", time.Date(2001, 2, 3, 23, 0, 0, 0, time.UTC)} {
		var d Date
		if err := d.Scan(src); err != nil || d.String() != "2001-02-03" {
			t.Errorf("Scan(%v) = %q, %v", src, d, err)
		}
	}
	var d Date
	if err := d.Scan(nil); err != nil || !d.IsZero() {
		t.Errorf("Scan(nil) = %v, %v", d, err)
	}
}

func FuzzParseDateParts(f *testing.F) {
	f.Add("27", "3", "2007")
	f.Add("29", "2", "2023")
	f.Add("", "", "")
	f.Add("-1", "99999999999999999999", "2e3")
	f.Fuzz(func(t *testing.T, d, m, y string) {
		got, err := ParseDateParts("Date", d, m, y)
		if err != nil && (!got.IsZero() || !strings.HasPrefix(err.Error(), "Date must ")) {
			t.Fatalf("%q/%q/%q: %v, %v; want the zero Date and a message for the field", d, m, y, got, err)
		}
		if err == nil && !got.IsZero() {
			// A date accepted must print back as the same day, month and year.
			dd, mm, yy := got.Parts()
			again, err := ParseDateParts("Date", dd, mm, yy)
			if err != nil || again != got {
				t.Fatalf("round trip of %q/%q/%q failed: %v", d, m, y, err)
			}
			if iso, err := ParseDate(got.String()); err != nil || iso != got {
				t.Fatalf("%q/%q/%q accepted as %s, which ParseDate refuses: %v", d, m, y, got, err)
			}
		}
	})
}

func TestCount(t *testing.T) {
	for n, want := range map[int]string{0: "0", 9: "9", 40: "40", 999: "999", 1000: "1,000", 20000: "20,000", 1234567: "1,234,567", -5000: "-5,000"} {
		if got := Count(n); got != want {
			t.Errorf("Count(%d) = %q, want %q", n, got, want)
		}
	}
}

// AddMonths keeps the corresponding date: a day the month lacks becomes its
// last day. The cases came from the outcome metrics, the reunification
// checks and the measure schedules, which all count months this way.
func TestAddMonths(t *testing.T) {
	for _, tt := range []struct {
		from string
		n    int
		want string
	}{
		{"2024-01-15", 12, "2025-01-15"},
		{"2023-08-31", 6, "2024-02-29"},
		{"2022-08-31", 6, "2023-02-28"},
		{"2024-02-29", 12, "2025-02-28"},
		{"2024-10-31", 18, "2026-04-30"},
		{"2024-01-31", 36, "2027-01-31"},
		{"2026-01-15", 6, "2026-07-15"},
		{"2025-08-31", 6, "2026-02-28"},
		{"2026-10-31", 3, "2027-01-31"},
		{"2026-11-30", 3, "2027-02-28"},
		{"2026-03-31", -1, "2026-02-28"},
		{"2020-02-29", 72, "2026-02-28"},
		{"2026-08-31", 6, "2027-02-28"},
		{"2027-08-31", 6, "2028-02-29"},
		{"2026-08-31", 12, "2027-08-31"},
		{"2026-08-31", 18, "2028-02-29"},
		{"2026-08-30", 6, "2027-02-28"},
		{"2026-08-28", 6, "2027-02-28"},
		{"2026-03-31", 6, "2026-09-30"},
		{"2026-05-31", 6, "2026-11-30"},
		{"2026-12-31", 6, "2027-06-30"},
		{"2025-08-29", 6, "2026-02-28"},
	} {
		d, err := ParseDate(tt.from)
		if err != nil {
			t.Fatal(err)
		}
		if got := d.AddMonths(tt.n).String(); got != tt.want {
			t.Errorf("%s + %d months = %s, want %s", tt.from, tt.n, got, tt.want)
		}
	}
}
