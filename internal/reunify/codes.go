package reunify

import (
	"embed"
	"encoding/csv"
	"strings"
)

//go:embed ssda903/*.csv
var codeFiles embed.FS

// Code is one SSDA903 code with our short description of it and where its
// validity comes from (ssda903/LICENCE.md).
type Code struct {
	Code, Description, Source string
	// Current is false for a code that is no longer valid in the 2025-26
	// return. Historic episodes may still carry it.
	Current bool
}

// CodeList is one 903 field's codes, in the DfE's order.
type CodeList []Code

// Find returns the code, if the list has it.
func (l CodeList) Find(code string) (Code, bool) {
	for _, c := range l {
		if c.Code == code {
			return c, true
		}
	}
	return Code{}, false
}

// Has reports whether code is in the list, current or not.
func (l CodeList) Has(code string) bool {
	_, ok := l.Find(code)
	return ok
}

// Title is the code with its description, or the code alone if unknown.
func (l CodeList) Title(code string) string {
	if c, ok := l.Find(code); ok {
		return c.Code + ": " + c.Description
	}
	return code
}

// CurrentCodes is the codes valid in the current return, for a form.
func (l CodeList) CurrentCodes() CodeList {
	var out CodeList
	for _, c := range l {
		if c.Current {
			out = append(out, c)
		}
	}
	return out
}

// The 903 code lists.
var (
	LegalStatuses     = load("legal-status.csv")                // LS
	Placements        = load("placement-type.csv")              // PLACE
	NewEpisodeReasons = load("reason-for-new-episode.csv")      // RNE
	CeasedReasons     = load("reason-episode-ceased.csv")       // REC
	Providers         = load("placement-provider.csv")          // PLACE_PROVIDER
	PlacementChanges  = load("reason-for-placement-change.csv") // REASON_PLACE_CHANGE
	CategoriesOfNeed  = load("category-of-need.csv")            // CIN
)

func load(name string) CodeList {
	f, err := codeFiles.Open("ssda903/" + name)
	if err != nil {
		panic(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil || len(rows) < 2 {
		panic("reunify: bad code list " + name)
	}
	var out CodeList
	for _, r := range rows[1:] {
		retired := strings.Contains(r[2], "not valid from 2025-26") || strings.Contains(r[2], "replaced by")
		out = append(out, Code{Code: r[0], Description: r[1], Source: r[2], Current: !retired})
	}
	return out
}
