package calculator

import (
	"net/url"
	"strconv"
	"strings"
)

// kind is how a field is typed: which symbols it may carry and how many decimals.
type kind int

const (
	kindWhole kind = iota // a whole number: 100, 1,000
	kindMoney             // pounds and pence: 7857, £7,857.50
	kindRate              // a percentage, up to two decimals: 47, 47.5%
	kindCount             // a number to two decimals: 14.4
)

// spec is one field's rules.
type spec struct {
	Field
	kind     kind
	min, max int64 // in the field's units (pence, hundredths, whole)
	noun     string
}

// reader collects a form's values and its problems, in the form's order.
type reader struct {
	q        url.Values
	problems Problems
}

// value is the field's value: def if the query lacks it (so a bare URL shows
// the defaults), else the typed value checked against the spec.
func (r *reader) value(s spec, def int64) int64 {
	raw, present := r.q[s.Name]
	if !present {
		return def
	}
	v, msg := parseField(s, strings.TrimSpace(raw[0]))
	if msg != "" {
		r.problems = append(r.problems, Problem{Field: s.Name, Message: msg})
		return def
	}
	return v
}

// required is value for a field with no default: absent or empty is a problem
// only if the form was sent (sent), else it is simply not yet given.
func (r *reader) required(s spec, sent bool) (int64, bool) {
	raw := strings.TrimSpace(r.q.Get(s.Name))
	if raw == "" {
		if sent {
			r.problems = append(r.problems, Problem{Field: s.Name, Message: "Enter " + s.noun})
		}
		return 0, false
	}
	v, msg := parseField(s, raw)
	if msg != "" {
		r.problems = append(r.problems, Problem{Field: s.Name, Message: msg})
		return 0, false
	}
	return v, true
}

// parseField reads one typed value; msg says what is wrong, in GOV.UK's words.
func parseField(s spec, raw string) (int64, string) {
	cap := strings.ToUpper(s.noun[:1]) + s.noun[1:]
	if raw == "" {
		return 0, "Enter " + s.noun
	}
	if len(raw) > 32 {
		return 0, cap + " is too long"
	}
	if rest, neg := strings.CutPrefix(raw, "-"); neg {
		if _, ok := decimal(strings.TrimPrefix(strings.TrimSuffix(rest, "%"), "£"), 2); ok {
			return 0, cap + " must be " + s.show(s.min) + " or more, not a negative number"
		}
	}
	var v int64
	var ok bool
	switch s.kind {
	case kindWhole:
		v, ok = decimal(raw, 0)
		if !ok {
			return 0, cap + " must be a whole number, like 100"
		}
	case kindMoney:
		v, ok = decimal(strings.TrimPrefix(raw, "£"), 2)
		if !ok {
			return 0, cap + " must be an amount in pounds, like 7,857 or 7857.50"
		}
	case kindRate:
		v, ok = decimal(strings.TrimSpace(strings.TrimSuffix(raw, "%")), 2)
		if !ok {
			return 0, cap + " must be a percentage with up to two decimals, like 47 or 47.5"
		}
	case kindCount:
		v, ok = decimal(raw, 2)
		if !ok {
			return 0, cap + " must be a number with up to two decimals, like 14.4"
		}
	}
	if v < s.min || v > s.max {
		return 0, cap + " must be between " + s.show(s.min) + " and " + s.show(s.max)
	}
	return v, ""
}

// show writes a value in the field's units as a person would type it.
func (s spec) show(v int64) string {
	switch s.kind {
	case kindMoney:
		return FormatPence(v)
	case kindRate:
		return FormatRate(v)
	case kindCount:
		return strings.TrimSuffix(strings.TrimRight(fixed(v, 2), "0"), ".")
	}
	return fixed(v, 0)
}

// input writes a value as the form's input would hold it.
func (s spec) input(v int64) string {
	switch s.kind {
	case kindMoney:
		return penceInput(v)
	case kindRate, kindCount:
		return hundredthsInput(v)
	}
	return strconv.FormatInt(v, 10)
}

// decimal reads digits, optionally grouped by commas in threes, with at most
// places decimals, as a whole number of 10^-places; no sign, no exponent.
func decimal(s string, places int) (int64, bool) {
	whole, part, hasPoint := strings.Cut(s, ".")
	if hasPoint && (places == 0 || part == "" || len(part) > places || !digits(part)) {
		return 0, false
	}
	whole, ok := ungroup(whole)
	if !ok || len(whole) > 13 {
		return 0, false
	}
	for len(part) < places {
		part += "0"
	}
	v, err := strconv.ParseInt(whole+part, 10, 64)
	return v, err == nil
}

// ungroup accepts 5000 or 5,000, not 50,00.
func ungroup(s string) (string, bool) {
	if !strings.Contains(s, ",") {
		return s, digits(s)
	}
	groups := strings.Split(s, ",")
	if len(groups[0]) > 3 || !digits(groups[0]) {
		return "", false
	}
	for _, g := range groups[1:] {
		if len(g) != 3 || !digits(g) {
			return "", false
		}
	}
	return strings.Join(groups, ""), true
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
