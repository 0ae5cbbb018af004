package directory

import "strings"

// Label is the status as a form or page shows it.
func (s Status) Label() string {
	if s == "" {
		return ""
	}
	return strings.ToUpper(string(s[:1])) + string(s[1:])
}

// TermNames names the entry's taxonomy terms, "Taxonomy: term", for pages.
func (e Entry) TermNames() []string {
	var out []string
	for _, id := range e.Terms {
		if t, tax, ok := TermByID(id); ok {
			out = append(out, tax.Name+": "+t.Name)
		}
	}
	return out
}
