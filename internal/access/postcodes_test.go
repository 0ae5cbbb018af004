package access

import "testing"

func TestLookupPostcodeDistrict(t *testing.T) {
	tests := []struct {
		typed, district, la, name, country string
		found                              bool
	}{
		{"LS6", "LS6", "E08000035", "Leeds", "England", true},
		{"ls6 2ab", "LS6", "E08000035", "Leeds", "England", true},
		{"LS62AB", "LS6", "E08000035", "Leeds", "England", true},
		{"CT1", "CT1", "E10000016", "Kent", "England", true}, // Canterbury, a lower-tier district of Kent
		{" po1 ", "PO1", "E06000044", "Portsmouth", "England", true},
		{"SW1A 1AA", "SW1A", "E09000033", "Westminster", "England", true},
		{"CF10", "CF10", "", "", "Wales", true},
		{"EH1 1YZ", "EH1", "", "", "Scotland", true},
		{"ZZ99", "", "", "", "", false},
		{"LS", "", "", "", "", false},
		{"", "", "", "", "", false},
		{"<script>", "", "", "", "", false},
		{"BT1 1AA", "", "", "", "", false}, // Northern Ireland is not in the data
	}
	for _, tt := range tests {
		got, ok := LookupPostcodeDistrict(tt.typed)
		if ok != tt.found || got.District != tt.district || got.LACode != tt.la || got.LAName != tt.name || got.Country != tt.country {
			t.Errorf("LookupPostcodeDistrict(%q) = %+v, %v; want %s %s %s %s, %v", tt.typed, got, ok, tt.district, tt.la, tt.name, tt.country, tt.found)
		}
	}
}

func TestPostcodeDistrictOf(t *testing.T) {
	for typed, want := range map[string]string{
		"M1 1AE": "M1", "m11ae": "M1", "W1A 0AX": "W1A", "W1A0AX": "W1A", "EC1A": "EC1A", "b33 8th": "B33",
		"123": "", "LS6 2AB EXTRA": "", "L\x00S6": "", "ＬＳ６": "",
		// Any spacing and case; after a space, only (the start of) an inward code.
		"LS6  2AB": "LS6", "ls6\t2ab": "LS6", "\u00a0Ls6\u00a02aB ": "LS6", "LS6 2": "LS6", "LS6 2A": "LS6",
		"LS6 XYZ": "", "LS6 22AB": "", "ſs6": "", "LS6 2AB\x00": "",
	} {
		if got := PostcodeDistrictOf(typed); got != want {
			t.Errorf("PostcodeDistrictOf(%q) = %q, want %q", typed, got, want)
		}
	}
}

// Every English district routes to one of the 153 upper-tier authorities,
// and every Welsh or Scottish one to none.
func TestPostcodeDistrictsRouteToKnownAuthorities(t *testing.T) {
	all := postcodeDistricts()
	if len(all) < 2900 {
		t.Fatalf("only %d districts", len(all))
	}
	english := 0
	for d, pd := range all {
		switch pd.Country {
		case "England":
			english++
			la, ok := LocalAuthorityByCode(pd.LACode)
			if !ok || la.Name != pd.LAName {
				t.Errorf("%s routes to %s %q, not one of the upper-tier authorities", d, pd.LACode, pd.LAName)
			}
		case "Wales", "Scotland":
			if pd.LACode != "" {
				t.Errorf("%s in %s has an English authority %s", d, pd.Country, pd.LACode)
			}
		default:
			t.Errorf("%s has no country", d)
		}
	}
	if english < 2300 {
		t.Errorf("only %d English districts", english)
	}
	if _, ok := LocalAuthorityByCode("E08000016"); ok {
		t.Error("a retired code is still known")
	}
}

// The directory measures distances from a district's centroid (issue 20).
func TestPostcodeDistrictCentroid(t *testing.T) {
	for _, tc := range []struct {
		in       string
		lat, lon float64
	}{
		{"LS1 4AP", 53.79736, -1.55313},
		{"yo1", 53.95814, -1.07188},
		{"TS24 8AA", 54.69341, -1.21076},
	} {
		d, ok := LookupPostcodeDistrict(tc.in)
		if !ok || d.Latitude != tc.lat || d.Longitude != tc.lon {
			t.Errorf("LookupPostcodeDistrict(%q) = %v, %v, %v; want centroid %v, %v", tc.in, d.Latitude, d.Longitude, ok, tc.lat, tc.lon)
		}
	}
}
