package access

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"slices"
	"strings"
	"sync"
	"unicode"
)

// AreaSearch is what FindAreas made of what someone typed into Find a
// Practice: a postcode, a postcode district or a place name.
type AreaSearch struct {
	// Postcode is set when what was typed has the shape of a postcode or
	// postcode district, whether or not Great Britain has it.
	Postcode bool
	// District is the postcode district found; its District is "" when
	// Great Britain has no such district.
	District PostcodeDistrict
	Matches  []AreaMatch
}

// AreaMatch is one upper-tier authority that matched, and how.
type AreaMatch struct {
	Authority LocalAuthority
	// Place is the lower-tier council district whose name matched, such as
	// Canterbury for Kent; "" when the authority's own name, its code or a
	// postcode matched.
	Place string
	// Exact says the whole name matched (the authority's own, its code, or
	// its council district's), not a word or part of a word of it.
	Exact bool
}

// FindAreas finds the authorities among las that what someone typed names.
// A postcode or postcode district finds the authority holding most of the
// district's postcodes. A name matches whatever the case, spacing or
// punctuation ("st helens" finds St. Helens, "stockton on tees" finds
// Stockton-on-Tees), by any part of it ("hull" finds Kingston upon Hull,
// City of) or by the name of a council district inside it, as the ONS
// postcode data records (Canterbury is in Kent). Exact names come first,
// then the rest in name order; at most limit are returned.
func FindAreas(typed string, las []LocalAuthority, limit int) AreaSearch {
	var s AreaSearch
	if d := PostcodeDistrictOf(typed); d != "" {
		s.Postcode = true
		pd, ok := postcodeDistricts()[d]
		if !ok {
			return s
		}
		s.District = pd
		if i := slices.IndexFunc(las, func(la LocalAuthority) bool { return la.Code == pd.LACode }); i >= 0 && limit > 0 {
			s.Matches = []AreaMatch{{Authority: las[i]}}
		}
		return s
	}
	q := placeKey(typed)
	if q == "" {
		return s
	}
	// rank: an authority's own name before a district's, and within each an
	// exact name, then whole words, then part of a word ("hull" finds
	// Kingston upon Hull before Solihull).
	type found struct {
		AreaMatch
		rank int
	}
	best := map[string]found{}
	add := func(la LocalAuthority, place string, rank int) {
		if f, ok := best[la.Code]; !ok || rank < f.rank {
			best[la.Code] = found{AreaMatch{Authority: la, Place: place, Exact: rank <= 1}, rank}
		}
	}
	byCode := make(map[string]LocalAuthority, len(las))
	for _, la := range las {
		byCode[la.Code] = la
		// "Bristol, City of" is also plain Bristol.
		short, _, _ := strings.Cut(la.Name, ",")
		switch r := placeRank(placeKey(la.Name), q); {
		case placeKey(short) == q || strings.EqualFold(la.Code, strings.TrimSpace(typed)):
			add(la, "", 0)
		case r >= 0:
			add(la, "", 2*r)
		}
	}
	for _, d := range councilDistricts() {
		if la, ok := byCode[d.LACode]; ok {
			if r := placeRank(placeKey(d.Name), q); r >= 0 {
				add(la, d.Name, 2*r+1)
			}
		}
	}
	all := make([]found, 0, len(best))
	for _, f := range best {
		all = append(all, f)
	}
	slices.SortFunc(all, func(a, b found) int {
		return cmp.Or(cmp.Compare(a.rank, b.rank), strings.Compare(a.Authority.Name, b.Authority.Name))
	})
	for _, f := range all[:min(len(all), max(limit, 0))] {
		s.Matches = append(s.Matches, f.AreaMatch)
	}
	return s
}

// placeKey is a place name as it is compared: lower case, apostrophes
// dropped ("King's Lynn" is "kings lynn"), "&" read as "and", and every
// other run of punctuation or space made one space, so "St. Helens",
// "st helens" and "ST-HELENS" are all "st helens".
func placeKey(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case r == '\'' || r == '’' || r == '‘' || r == '`':
			continue
		case r == '&':
			b.WriteString(" and")
			space = true
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(unicode.ToLower(r))
		default:
			space = true
		}
	}
	return strings.TrimPrefix(b.String(), " ")
}

// placeRank says how well the query key q matches the name key: 0 the
// same, 1 each of q's words starts one of the name's, in any order ("city of
// bristol" matches "bristol city of"), 2 q is inside it ("hull" in
// "solihull"), -1 not at all.
func placeRank(name, q string) int {
	if name == q {
		return 0
	}
	words := strings.Fields(name)
	whole := true
	for _, w := range strings.Fields(q) {
		if !slices.ContainsFunc(words, func(n string) bool { return strings.HasPrefix(n, w) }) {
			whole = false
			break
		}
	}
	switch {
	case whole:
		return 1
	case strings.Contains(name, q):
		return 2
	}
	return -1
}

// councilDistrict is a lower-tier council district in England and the
// upper-tier authority it lies in.
type councilDistrict struct {
	Code, Name, LACode string
}

// councilDistricts are the lower-tier districts named in the postcode data
// (its main_ltla columns), each with the upper-tier authority its
// districts' postcodes mostly lie in. A district the data puts in more than
// one authority is left out rather than guessed, as is one whose name is
// its authority's own.
var councilDistricts = sync.OnceValue(func() []councilDistrict {
	rows, err := csv.NewReader(bytes.NewReader(postcodeCSV)).ReadAll()
	if err != nil {
		panic("access: embedded postcode district list is malformed: " + err.Error())
	}
	seen := map[string]*councilDistrict{}
	var order []string
	clash := map[string]bool{}
	for _, r := range rows[1:] {
		code, name, la := r[4], r[5], r[7]
		if !strings.HasPrefix(code, "E") || la == "" || code == la {
			continue
		}
		if d, ok := seen[code]; ok {
			clash[code] = clash[code] || d.LACode != la
			continue
		}
		seen[code] = &councilDistrict{Code: code, Name: name, LACode: la}
		order = append(order, code)
	}
	out := make([]councilDistrict, 0, len(order))
	for _, code := range order {
		if !clash[code] {
			out = append(out, *seen[code])
		}
	}
	slices.SortFunc(out, func(a, b councilDistrict) int { return strings.Compare(a.Name, b.Name) })
	return out
})
