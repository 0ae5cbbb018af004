package programme

import (
	"strings"
	"unicode/utf8"

	"haven/internal/haven"
)

// Search bounds for finding a person by name or reference.
const (
	SearchMinRunes = 2
	SearchMaxRunes = 100
)

// SearchTerm tidies what someone typed into the people search: trimmed,
// inner spaces collapsed and lower-cased, so "  Jo  SMITH " finds Jo Smith.
func SearchTerm(q string) (string, error) {
	if haven.CheckText(q) != haven.TextOK { // the rule every text field keeps (S22)
		return "", haven.Invalid(map[string]string{"q": "Enter a name or reference using letters, numbers and spaces"})
	}
	q = strings.ToLower(strings.Join(strings.Fields(q), " "))
	switch n := utf8.RuneCountInString(q); {
	case n == 0:
		return "", haven.Invalid(map[string]string{"q": "Enter a name or reference to search for"})
	case n < SearchMinRunes:
		return "", haven.Invalid(map[string]string{"q": "Enter at least 2 characters of a name or reference"})
	case n > SearchMaxRunes:
		return "", haven.Invalid(map[string]string{"q": "Search must be 100 characters or fewer"})
	}
	return q, nil
}
