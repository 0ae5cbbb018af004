package haven

import (
	"strings"
	"testing"
)

// FuzzParseDate: the API's YYYY-MM-DD dates. A date accepted prints back as
// exactly what was sent, reads the same through JSON and through a GOV.UK
// date input; a date refused is an error that names what is expected.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"", "2026-11-02", "2024-02-29", "2023-02-29", "1899-12-31", "2200-12-31", "2201-01-01",
		"2026-1-2", "2026-01-02T00:00:00Z", " 2026-01-02", "+2026-01-02", "0000-00-00", "2026-13-01", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		var viaJSON Date
		jerr := viaJSON.UnmarshalText([]byte(s))
		if (err == nil) != (jerr == nil) || viaJSON != d {
			t.Fatalf("ParseDate(%q) = %v, %v but UnmarshalText gives %v, %v", s, d, err, viaJSON, jerr)
		}
		if err != nil {
			if !d.IsZero() || !strings.Contains(err.Error(), "YYYY-MM-DD") {
				t.Fatalf("ParseDate(%q) = %v, %v", s, d, err)
			}
			return
		}
		if d.String() != s {
			t.Fatalf("ParseDate(%q) prints back as %q", s, d.String())
		}
		if d.IsZero() {
			return
		}
		if y := d.Time().Year(); y < 1900 || y > 2200 {
			t.Fatalf("ParseDate(%q) accepted year %d", s, y)
		}
		b, _ := d.MarshalText()
		dd, mm, yy := d.Parts()
		parts, perr := ParseDateParts("Date", dd, mm, yy)
		if string(b) != s || perr != nil || parts != d {
			t.Fatalf("%q: MarshalText %q, Parts %s/%s/%s gives %v, %v", s, b, dd, mm, yy, parts, perr)
		}
		var scanned Date
		if err := scanned.Scan(s); err != nil || scanned != d {
			t.Fatalf("Scan(%q) = %v, %v", s, scanned, err)
		}
	})
}
