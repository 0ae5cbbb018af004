package measure

import (
	"strings"
	"testing"

	"haven/internal/haven"
)

var starToday = haven.NewDate(2026, 11, 23)

const starGood = "date,version,Physical health,Where you live,Money\n" +
	"2026-01-12,Family Star Plus,3,5,2\n" +
	"\n" +
	"2026-07-09,Family Star Plus,6,7,4\n"

func TestParseStarCSV(t *testing.T) {
	got, errs := ParseStarCSV([]byte("\uFEFF"+starGood), starToday)
	if len(errs) != 0 || len(got) != 2 {
		t.Fatalf("%d readings, errors %v", len(got), errs)
	}
	if got[1].TakenOn != haven.NewDate(2026, 7, 9) || got[1].Version != "Family Star Plus" || len(got[1].Scales) != 3 ||
		got[1].Scales[1] != (StarScale{"Where you live", 7}) {
		t.Errorf("second reading: %+v", got[1])
	}
	for _, tt := range []struct {
		name, file string
		want       []string
	}{
		{"empty", "", []string{"The file is empty"}},
		{"header only", "date,version,Money\n", []string{"The file has no readings"}},
		{"wrong header", "when,version,Money\n2026-01-01,X,3\n", []string{"Row 1: The header must be date, version, then one column for each scale"}},
		{"no scales", "date,version\n2026-01-01,X\n", []string{"Row 1: The header must be"}},
		{"scale named twice", "date,version,Money,money\n2026-01-01,X,3,4\n", []string{`Row 1: The scale "money" is named twice`}},
		{"blank scale name", "date,version,,Money\n2026-01-01,X,3,4\n", []string{"Row 1: Column 3 needs the scale's name"}},
		{"reading out of range", "date,version,Money,Health\n2026-01-01,X,0,11\n", []string{"Row 2: Money must be a whole number from 1 to 10", "Row 2: Health must be a whole number from 1 to 10"}},
		{"reading not whole", "date,version,Money\n2026-01-01,X,3.5\n", []string{"Row 2: Money must be a whole number from 1 to 10"}},
		{"reading with a sign", "date,version,Money\n2026-01-01,X,+3\n", []string{"Row 2: Money must be a whole number from 1 to 10"}},
		{"impossible date", "date,version,Money\n2026-02-30,X,3\n", []string{"Row 2: Date must be a real date written YYYY-MM-DD"}},
		{"no date", "date,version,Money\n,X,3\n", []string{"Row 2: Date must be a real date written YYYY-MM-DD"}},
		{"British date", "date,version,Money\n12/01/2026,X,3\n", []string{"Row 2: Date must be a real date written YYYY-MM-DD"}},
		{"future date", "date,version,Money\n2027-01-01,X,3\n", []string{"Row 2: Date must be today or in the past"}},
		{"no version", "date,version,Money\n2026-01-01, ,3\n", []string{"Row 2: Version needs the Star's name"}},
		{"short row", "date,version,Money,Health\n2026-01-01,X,3\n", []string{"Row 2: The row has 3 columns; the header has 4"}},
		{"one bad row of two", "date,version,Money\n2026-01-01,X,3\n2026-01-02,X,12\n", []string{"Row 3: Money must be a whole number from 1 to 10"}},
		{"not UTF-8", "date,version,Money\n2026-01-01,\xff,3\n", []string{"The file must be CSV text saved as UTF-8"}},
		{"control character", "date,version,Money\n2026-01-01,\"A\x07B\",3\n", []string{"Row 2: Version must be 100 characters or fewer, with no control characters"}},
		{"too many scales", "date,version" + strings.Repeat(",s", 21) + "\n", []string{"Row 1: A Star has at most 20 scales; the file has 21"}},
		{"too many rows", "date,version,Money\n" + strings.Repeat("2026-01-01,X,3\n", 201), []string{"Row 202: An import holds at most 200 readings"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, errs := ParseStarCSV([]byte(tt.file), starToday)
			if got != nil {
				t.Errorf("readings returned with errors: %+v", got)
			}
			var msgs []string
			for _, e := range errs {
				msgs = append(msgs, e.String())
			}
			all := strings.Join(msgs, "\n")
			for _, w := range tt.want {
				if !strings.Contains(all, w) {
					t.Errorf("errors %q lack %q", all, w)
				}
			}
		})
	}
}

func TestStarScalesRoundTrip(t *testing.T) {
	ss := []StarScale{{"Physical health", 3}, {"Where you live, and who with", 10}}
	got, err := DecodeScales(EncodeScales(ss))
	if err != nil || len(got) != 2 || got[0] != ss[0] || got[1] != ss[1] {
		t.Errorf("%+v %v", got, err)
	}
}

// FuzzParseStarCSV: any file either gives readings every one of which is
// valid, or problems each with a message, never both, never a panic; and
// the readings survive storage unchanged.
func FuzzParseStarCSV(f *testing.F) {
	f.Add([]byte(starGood))
	f.Add([]byte(""))
	f.Add([]byte("date,version,Money\n2026-02-30,X,3\n"))
	f.Add([]byte("date,version,a,a\n\"2026-01-01\",\"X\"\"Y\",3,4\n"))
	f.Add([]byte("date,version,Money\r\n2026-01-01,X,10\r\n"))
	f.Add([]byte("\uFEFFDATE,Version,\t\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, errs := ParseStarCSV(data, starToday)
		if (len(got) == 0) == (len(errs) == 0) {
			t.Fatalf("%d readings and %d errors", len(got), len(errs))
		}
		for _, e := range errs {
			if e.Message == "" {
				t.Fatal("an error with no message")
			}
		}
		if len(got) > StarMaxRows {
			t.Fatalf("%d readings", len(got))
		}
		for _, r := range got {
			if r.TakenOn.IsZero() || starToday.Before(r.TakenOn) || r.Version == "" || len(r.Scales) == 0 || len(r.Scales) > StarMaxScales {
				t.Fatalf("invalid reading %+v", r)
			}
			for _, s := range r.Scales {
				if s.Reading < 1 || s.Reading > 10 || s.Name == "" {
					t.Fatalf("invalid scale %+v", s)
				}
			}
			back, err := DecodeScales(EncodeScales(r.Scales))
			if err != nil || len(back) != len(r.Scales) {
				t.Fatalf("scales do not round-trip: %+v → %+v %v", r.Scales, back, err)
			}
			for i := range back {
				if back[i] != r.Scales[i] {
					t.Fatalf("scale %d: %+v → %+v", i, r.Scales[i], back[i])
				}
			}
		}
	})
}
