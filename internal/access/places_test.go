package access

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"haven/internal/haven"
)

func TestPlaceKey(t *testing.T) {
	tests := []struct{ typed, want string }{
		{"St. Helens", "st helens"},
		{"St Helens", "st helens"},
		{"  st   helens ", "st helens"},
		{"ST-HELENS", "st helens"},
		{"St.Helens", "st helens"},
		{"Stockton-on-Tees", "stockton on tees"},
		{"Kingston upon Hull, City of", "kingston upon hull city of"},
		{"King's Lynn and West Norfolk", "kings lynn and west norfolk"},
		{"King’s Lynn & West Norfolk", "kings lynn and west norfolk"},
		{"&Hove", "and hove"},
		{"...", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := placeKey(tt.typed); got != tt.want {
			t.Errorf("placeKey(%q) = %q, want %q", tt.typed, got, tt.want)
		}
	}
}

func TestFindAreas(t *testing.T) {
	las := LocalAuthorities()
	tests := []struct {
		name, typed string
		postcode    bool
		district    string
		want        []string // authority names, in order
		place       string   // the district named for the first match
	}{
		{"a full postcode", "LS6 1AA", true, "LS6", []string{"Leeds"}, ""},
		{"a full postcode in lower case, no space", "ls61aa", true, "LS6", []string{"Leeds"}, ""},
		{"a full postcode with extra spaces", "  Ls6   1aA ", true, "LS6", []string{"Leeds"}, ""},
		{"a postcode district", "LS6", true, "LS6", []string{"Leeds"}, ""},
		{"a district inside a county", "ct1", true, "CT1", []string{"Kent"}, ""},
		{"a Welsh postcode: no English authority", "CF10 1AA", true, "CF10", nil, ""},
		{"a district Great Britain does not have", "ZZ99 9ZZ", true, "", nil, ""},
		{"Northern Ireland is not in the data", "BT1 1AA", true, "", nil, ""},
		{"with a full stop, as the data writes it", "St. Helens", false, "", []string{"St. Helens"}, ""},
		{"without the full stop", "St Helens", false, "", []string{"St. Helens"}, ""},
		{"lower case", "st helens", false, "", []string{"St. Helens"}, ""},
		{"hyphens as spaces", "Stockton on Tees", false, "", []string{"Stockton-on-Tees"}, ""},
		{"the name before the comma", "Kingston upon Hull", false, "", []string{"Kingston upon Hull, City of"}, ""},
		{"a word of the name before part of a word", "Hull", false, "", []string{"Kingston upon Hull, City of", "Solihull"}, ""},
		{"the words in another order", "City of Bristol", false, "", []string{"Bristol, City of"}, ""},
		{"an ONS code", "e08000035", false, "", []string{"Leeds"}, ""},
		{"a council district in a county", "Canterbury", false, "", []string{"Kent"}, "Canterbury"},
		{"a council district with an apostrophe, typed without", "kings lynn", false, "", []string{"Norfolk"}, "King's Lynn and West Norfolk"},
		{"a council district with punctuation", "St Albans", false, "", []string{"Hertfordshire"}, "St Albans"},
		{"exact names first", "York", false, "", []string{"York", "East Riding of Yorkshire", "North Yorkshire"}, ""},
		{"an authority's own name beats a district in it", "Derbyshire", false, "", []string{"Derbyshire"}, ""},
		{"an authority and a district elsewhere", "Newcastle", false, "", []string{"Newcastle upon Tyne", "Staffordshire"}, ""},
		{"nothing like a place", "Atlantis", false, "", nil, ""},
		{"only punctuation", "!!!", false, "", nil, ""},
		{"markup", "<script>", false, "", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := FindAreas(tt.typed, las, 20)
			var names []string
			for _, m := range got.Matches {
				names = append(names, m.Authority.Name)
			}
			if got.Postcode != tt.postcode || got.District.District != tt.district || !slices.Equal(names, tt.want) {
				t.Errorf("FindAreas(%q) = postcode %v, district %q, %q; want %v, %q, %q", tt.typed, got.Postcode, got.District.District, names, tt.postcode, tt.district, tt.want)
			}
			if len(got.Matches) > 0 && got.Matches[0].Place != tt.place {
				t.Errorf("FindAreas(%q) matched by place %q, want %q", tt.typed, got.Matches[0].Place, tt.place)
			}
		})
	}
}

func TestFindAreasLimit(t *testing.T) {
	las := LocalAuthorities()
	if got := FindAreas("a", las, 20).Matches; len(got) != 20 {
		t.Errorf("a one-letter search gave %d matches, want the limit of 20", len(got))
	}
	if got := FindAreas("LS6", las, 0).Matches; len(got) != 0 {
		t.Errorf("a limit of 0 gave %d matches", len(got))
	}
	if got := FindAreas("Kent", las[:0], 20).Matches; len(got) != 0 {
		t.Errorf("with no authorities to search, found %v", got)
	}
}

// Every council district the data names lies in one of the 153 upper-tier
// authorities, and none is left out for lying in two.
func TestCouncilDistricts(t *testing.T) {
	ds := councilDistricts()
	if len(ds) < 150 {
		t.Fatalf("only %d council districts", len(ds))
	}
	for _, d := range ds {
		if _, ok := LocalAuthorityByCode(d.LACode); !ok || !strings.HasPrefix(d.Code, "E07") || d.Name == "" {
			t.Errorf("council district %+v does not lie in a known authority", d)
		}
	}
}

// FuzzPostcodeDistrictOf: whatever is typed, the district is "" or an
// outward code in capitals, found again from itself, and made only from
// what was typed.
func FuzzPostcodeDistrictOf(f *testing.F) {
	for _, s := range []string{"LS6 1AA", "ls61aa", " W1A 0AX ", "SW1A", "LS6 2", "LS6 2AB EXTRA", "ſs6", "L\x00S6", "ＬＳ６", "\u00a0LS6\u00a01AA", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, typed string) {
		d := PostcodeDistrictOf(typed)
		if d == "" {
			return
		}
		if !outwardCode.MatchString(d) || PostcodeDistrictOf(d) != d {
			t.Fatalf("PostcodeDistrictOf(%q) = %q, not a district", typed, d)
		}
		if !strings.Contains(strings.ToUpper(strings.Join(strings.Fields(typed), "")), d) {
			t.Fatalf("PostcodeDistrictOf(%q) = %q, which was not typed", typed, d)
		}
	})
}

// FuzzFindAreas: whatever is typed, Find a Practice gets at most the limit
// of distinct authorities from the list it gave, and a place key is plain
// lower-case words that key to themselves.
func FuzzFindAreas(f *testing.F) {
	for _, s := range []string{"LS6 1AA", "St. Helens", "st helens", "King’s Lynn", "&", "city of", "a", "E08000035", "CF10", "\xff", "İstanbul", strings.Repeat("a ", 60)} {
		f.Add(s)
	}
	las := LocalAuthorities()
	f.Fuzz(func(t *testing.T, typed string) {
		k := placeKey(typed)
		if placeKey(k) != k || strings.Contains(k, "  ") || strings.TrimSpace(k) != k || !utf8.ValidString(k) {
			t.Fatalf("placeKey(%q) = %q, not plain words", typed, k)
		}
		got := FindAreas(typed, las, 20)
		if len(got.Matches) > 20 {
			t.Fatalf("FindAreas(%q) gave %d matches", typed, len(got.Matches))
		}
		seen := map[string]bool{}
		for _, m := range got.Matches {
			if seen[m.Authority.Code] || !slices.Contains(las, m.Authority) {
				t.Fatalf("FindAreas(%q) gave %+v twice or from outside the list", typed, m.Authority)
			}
			seen[m.Authority.Code] = true
		}
		if got.District.District != "" && (!got.Postcode || got.District.District != PostcodeDistrictOf(typed)) {
			t.Fatalf("FindAreas(%q) found district %q", typed, got.District.District)
		}
	})
}

// S22: a member of staff's display name, like every name, refuses the
// bidirectional controls and control characters (issue 16 items 3 and 4).
func TestS22StaffNameRefusesBidiAndControls(t *testing.T) {
	for in, want := range map[string]string{"Sam\u202EWorker": "Name must not contain hidden", "Sam\x07": "Name must not contain control", "Sam Łucja": ""} {
		u := User{Email: "sam@example.org", DisplayName: in}
		err := u.Validate()
		he, _ := errors.AsType[*haven.Error](err)
		switch {
		case want == "" && err != nil:
			t.Errorf("%q refused: %v", in, err)
		case want != "" && (he == nil || !strings.HasPrefix(he.Fields["displayName"], want)):
			t.Errorf("%q: %v, want %q", in, err, want)
		}
	}
}
