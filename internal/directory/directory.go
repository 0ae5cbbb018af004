package directory

import (
	"crypto/sha1" // #nosec G505 -- UUID version 5 is defined on SHA-1; it names terms, it protects nothing
	"fmt"
	"net/mail"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// Status is an HSDS 3.0 service status, with "in development" as Haven's
// local extension (allowed by the Open Referral UK profile).
type Status string

const (
	StatusActive        Status = "active"
	StatusInactive      Status = "inactive"
	StatusDefunct       Status = "defunct"
	StatusTempClosed    Status = "temporarily closed"
	StatusInDevelopment Status = "in development"
)

// Statuses are the choices, in the order a form offers them.
var Statuses = []Status{StatusActive, StatusTempClosed, StatusInDevelopment, StatusInactive, StatusDefunct}

// HSDS is the status as the standard's enumeration allows: a service in
// development is not yet "active", so the feed calls it inactive and keeps
// the detail in Haven's own extension field.
func (s Status) HSDS() string {
	if s == StatusInDevelopment {
		return string(StatusInactive)
	}
	return string(s)
}

// Valid says whether s is one of Statuses.
func (s Status) Valid() bool {
	for _, v := range Statuses {
		if s == v {
			return true
		}
	}
	return false
}

// Taxonomy is one of Haven's taxonomies for this field, with its terms.
type Taxonomy struct {
	ID, Name, Description string
	Terms                 []Term
	// Many says a service may carry more than one of its terms.
	Many bool
}

// Term is a taxonomy term; its ID is a UUID fixed by its taxonomy and code,
// so the Open Referral feed's ids never change between releases.
type Term struct {
	ID, Code, Name, TaxonomyID string
}

// namespace is the UUID namespace of Haven's directory taxonomies.
const namespace = "haven:directory:taxonomy:"

// Taxonomies are the five issue 20 names, in the order a page shows them.
var Taxonomies = []Taxonomy{
	taxonomy("model", "Service model", "Which model of practice the service follows.", false,
		"pause-practice", "Pause Practice", "fdac", "Family Drug and Alcohol Court", "locally-developed", "Locally developed service"),
	taxonomy("point-of-intervention", "Point of intervention", "When in a parent's journey the service works with her or him.", true,
		"after-first-removal", "After a first removal", "after-repeat-removals", "After repeat removals",
		"pregnant-again", "Pregnant again", "during-proceedings", "During care proceedings"),
	taxonomy("who-is-supported", "Who is supported", "Which parents the service works with.", true,
		"mothers", "Mothers", "fathers", "Fathers", "couples", "Couples"),
	taxonomy("reproductive-health", "Reproductive health offer", "Whether the service offers or arranges contraception and sexual health support.", false,
		"offered", "Offered", "arranged", "Arranged with another service", "not-offered", "Not offered"),
	taxonomy("host", "Host", "Who runs the service.", false,
		"local-authority", "Local authority", "third-sector", "Third sector", "nhs", "NHS"),
}

func taxonomy(code, name, desc string, many bool, terms ...string) Taxonomy {
	t := Taxonomy{ID: uuid5(namespace + code), Name: name, Description: desc, Many: many}
	for i := 0; i+1 < len(terms); i += 2 {
		t.Terms = append(t.Terms, Term{ID: uuid5(namespace + code + ":" + terms[i]), Code: terms[i], Name: terms[i+1], TaxonomyID: t.ID})
	}
	return t
}

// TermByID finds a term in any taxonomy.
func TermByID(id string) (Term, Taxonomy, bool) {
	for _, t := range Taxonomies {
		for _, term := range t.Terms {
			if term.ID == id {
				return term, t, true
			}
		}
	}
	return Term{}, Taxonomy{}, false
}

// uuid5 is a name-based UUID (RFC 9562 version 5) in the nil namespace.
func uuid5(name string) string {
	h := sha1.Sum(append(make([]byte, 16), name...)) // #nosec G401 -- as above: a name, not a secret
	h[6] = h[6]&0x0f | 0x50
	h[8] = h[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

// StaleAfter is how long an entry may go unverified before it is flagged.
const StaleAfter = 12 // months

// Stale says an entry last verified on verified is overdue on today: not
// verified in the StaleAfter months before it (never verified is stale).
func Stale(verified, today time.Time) bool {
	if verified.IsZero() {
		return true
	}
	return !today.Before(verified.AddDate(0, StaleAfter, 0))
}

// Entry is the part of a service a person edits or suggests: the fields
// checked here, whichever form or import they came from.
type Entry struct {
	Name, Description string
	Status            Status
	Email, Website    string
	Phone             string
	HowToRefer        string
	SelfReferral      bool
	Eligibility       string
	Postcode          string
	ServiceAreas      []string // upper-tier authority codes (ONS)
	Terms             []string // taxonomy term ids
}

// Problem is one bad field of an entry, in GOV.UK's words.
type Problem struct{ Field, Message string }

// Check is every problem with e, in the form's order. knownArea says
// whether an authority code is one of England's.
func (e Entry) Check(knownArea func(code string) bool) []Problem {
	var ps []Problem
	add := func(field, msg string) { ps = append(ps, Problem{field, msg}) }
	text := func(field, label, v string, required bool, max int) {
		switch {
		case strings.TrimSpace(v) == "" && required:
			add(field, "Enter "+label)
		case utf8.RuneCountInString(v) > max:
			add(field, fmt.Sprintf("%s must be %d characters or fewer", capitalise(label), max))
		case strings.ContainsAny(v, "<>"):
			add(field, capitalise(label)+" must not contain < or >")
		}
	}
	text("name", "the service's name", e.Name, true, 200)
	text("description", "a description of the service", e.Description, true, 2000)
	if !e.Status.Valid() {
		add("status", "Choose the service's status")
	}
	if e.Email != "" && !emailLike(e.Email) {
		add("email", "Enter an email address in the correct format, like name@example.org")
	}
	if e.Website != "" && !websiteLike(e.Website) {
		add("website", "Enter a web address that starts with https://")
	}
	if e.Phone != "" && !phoneLike(e.Phone) {
		add("phone", "Enter a telephone number, like 01632 960 001")
	}
	text("how-to-refer", "how to refer", e.HowToRefer, true, 2000)
	text("eligibility", "who the service is for", e.Eligibility, false, 2000)
	if len(e.ServiceAreas) == 0 {
		add("areas", "Choose at least one local authority the service covers")
	}
	for _, code := range e.ServiceAreas {
		if !knownArea(code) {
			add("areas", "Choose local authorities from the list")
			break
		}
	}
	seen := map[string]bool{}
	for _, id := range e.Terms {
		_, tax, ok := TermByID(id)
		if !ok {
			add("terms", "Choose from the lists given")
			break
		}
		if seen[tax.ID] && !tax.Many {
			add("terms", "Choose one "+strings.ToLower(tax.Name))
			break
		}
		seen[tax.ID] = true
	}
	return ps
}

// emailLike is one bare address, with no display name.
func emailLike(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && a.Name == ""
}

// websiteLike is an http or https address with a host.
func websiteLike(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && len(s) <= 500
}

// phoneLike accepts UK numbers as people write them: digits, spaces, one
// leading +, brackets and hyphens, 10 to 13 digits.
func phoneLike(s string) bool {
	digits := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == ' ' || r == '-' || r == '(' || r == ')':
		case r == '+' && i == 0:
		default:
			return false
		}
	}
	return digits >= 10 && digits <= 13
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// Change is one field's change to an entry: HSDS metadata.
type Change struct {
	Field, Previous, Replacement string
}

// Changes are the fields that differ between an entry before and after an
// edit, for its field history.
func Changes(before, after Entry) []Change {
	var out []Change
	pair := func(field, a, b string) {
		if a != b {
			out = append(out, Change{field, a, b})
		}
	}
	pair("name", before.Name, after.Name)
	pair("description", before.Description, after.Description)
	pair("status", string(before.Status), string(after.Status))
	pair("email", before.Email, after.Email)
	pair("url", before.Website, after.Website)
	pair("phone", before.Phone, after.Phone)
	pair("application_process", before.HowToRefer, after.HowToRefer)
	pair("self_referral", fmt.Sprint(before.SelfReferral), fmt.Sprint(after.SelfReferral))
	pair("eligibility_description", before.Eligibility, after.Eligibility)
	pair("postcode", before.Postcode, after.Postcode)
	pair("service_areas", strings.Join(before.ServiceAreas, ","), strings.Join(after.ServiceAreas, ","))
	pair("taxonomy_terms", strings.Join(before.Terms, ","), strings.Join(after.Terms, ","))
	return out
}
