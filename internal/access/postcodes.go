package access

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// PostcodeDistrict is the first part of a postcode (LS6, SW1A) and the
// upper-tier authority holding most of its postcodes. It is a rough guide: a
// district near a boundary can straddle two authorities.
type PostcodeDistrict struct {
	District string
	LACode   string // upper-tier ONS code; "" in Wales and Scotland
	LAName   string
	Country  string // England, Wales or Scotland
	// Latitude and Longitude are the centroid of its postcodes (WGS84).
	Latitude, Longitude float64
}

//go:embed data/postcode-districts-gb.csv
var postcodeCSV []byte

var postcodeDistricts = sync.OnceValue(func() map[string]PostcodeDistrict {
	rows, err := csv.NewReader(bytes.NewReader(postcodeCSV)).ReadAll()
	if err != nil {
		panic("access: embedded postcode district list is malformed: " + err.Error())
	}
	countries := map[byte]string{'E': "England", 'W': "Wales", 'S': "Scotland"}
	out := make(map[string]PostcodeDistrict, len(rows))
	// postcode_district, latitude, longitude, postcode_count, main_ltla_code,
	// main_ltla_name, main_ltla_share, main_utla_code, main_utla_name, ...
	for _, r := range rows[1:] {
		lat, errLat := strconv.ParseFloat(r[1], 64)
		lon, errLon := strconv.ParseFloat(r[2], 64)
		if errLat != nil || errLon != nil {
			panic("access: embedded postcode district list has a bad centroid for " + r[0])
		}
		out[r[0]] = PostcodeDistrict{District: r[0], LACode: r[7], LAName: r[8], Country: countries[r[4][0]], Latitude: lat, Longitude: lon}
	}
	return out
})

var (
	outwardCode  = regexp.MustCompile(`^[A-Z]{1,2}[0-9][A-Z0-9]?$`)
	inwardCode   = regexp.MustCompile(`[0-9][A-Z]{2}$`)
	inwardPrefix = regexp.MustCompile(`^[0-9][A-Z]{0,2}$`)
)

// PostcodeDistrictOf returns the district part of a postcode as someone
// typed it: "ls6 2ab", "LS62AB", "LS6  2AB" and " ls6 " are all LS6. It
// returns "" for anything that cannot be a district. No outward code ends in
// a digit and two letters, so a full postcode typed without its space still
// splits cleanly; after a space, only the start of an inward code may follow.
func PostcodeDistrictOf(s string) string {
	if len(s) > 20 {
		return ""
	}
	var out string
	// Only ASCII letters are raised: strings.ToUpper would make "ſ" an S.
	upper := strings.Map(func(r rune) rune {
		if 'a' <= r && r <= 'z' {
			return r - 'a' + 'A'
		}
		return r
	}, s)
	switch parts := strings.Fields(upper); len(parts) {
	case 1:
		out = parts[0]
		if len(out) >= 5 && inwardCode.MatchString(out) {
			out = out[:len(out)-3]
		}
	case 2:
		if !inwardPrefix.MatchString(parts[1]) {
			return ""
		}
		out = parts[0]
	default:
		return ""
	}
	if !outwardCode.MatchString(out) {
		return ""
	}
	return out
}

// LookupPostcodeDistrict finds the district of a postcode or district. ok is
// false for a district Great Britain does not have.
func LookupPostcodeDistrict(s string) (PostcodeDistrict, bool) {
	d, ok := postcodeDistricts()[PostcodeDistrictOf(s)]
	return d, ok
}

var laByCode = sync.OnceValue(func() map[string]LocalAuthority {
	out := map[string]LocalAuthority{}
	for _, la := range LocalAuthorities() {
		out[la.Code] = la
	}
	return out
})

// LocalAuthorityByCode finds one of the 153 upper-tier authorities by its ONS code.
func LocalAuthorityByCode(code string) (LocalAuthority, bool) {
	la, ok := laByCode()[code]
	return la, ok
}

var districtsByLA = sync.OnceValue(func() map[string][]PostcodeDistrict {
	out := map[string][]PostcodeDistrict{}
	for _, d := range postcodeDistricts() {
		if d.LACode != "" {
			out[d.LACode] = append(out[d.LACode], d)
		}
	}
	for _, ds := range out {
		slices.SortFunc(ds, func(a, b PostcodeDistrict) int { return strings.Compare(a.District, b.District) })
	}
	return out
})

// PostcodeDistrictsIn returns the districts whose postcodes mostly lie in
// an upper-tier authority, by district: the demo directory places its
// fictional services at their centroids.
func PostcodeDistrictsIn(laCode string) []PostcodeDistrict {
	return slices.Clone(districtsByLA()[laCode])
}
