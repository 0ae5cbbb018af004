// Package access holds Haven's tenants and people who use it: organisations,
// Practices, local authorities and user accounts, with their validation rules.
// It does no I/O.
package access

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"haven/internal/haven"
)

// Organisation runs one or more Practices.
type Organisation struct {
	ID        int64
	Slug      string
	Name      string
	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Practice is one local service team. It serves one or more local authorities.
type Practice struct {
	ID               int64
	OrganisationID   int64
	Slug             string
	Name             string
	LocalAuthorities []string // ONS codes
	Version          int64
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

// LocalAuthority is an English upper-tier authority that runs children's services.
type LocalAuthority struct {
	Code       string // ONS code, e.g. E06000001
	Name       string
	Kind       string // unitary authority, county council, ...
	RegionCode string
	RegionName string
}

// User is a person who signs in to Haven.
type User struct {
	ID          int64
	Email       string
	DisplayName string
	Version     int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

var (
	slugPattern   = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	onsLACodeExpr = regexp.MustCompile(`^E(06|08|09|10)\d{6}$`)
)

// ValidSlug reports whether s is a lower-case, hyphenated identifier of 2 to 64 characters.
func ValidSlug(s string) bool {
	return len(s) >= 2 && len(s) <= 64 && slugPattern.MatchString(s)
}

// ValidLACode reports whether code has the shape of an English upper-tier ONS code.
func ValidLACode(code string) bool { return onsLACodeExpr.MatchString(code) }

func checkName(fields map[string]string, key, label, v string, max int) {
	switch n := utf8.RuneCountInString(strings.TrimSpace(v)); {
	case !utf8.ValidString(v):
		fields[key] = label + " must be plain text"
	case n == 0:
		fields[key] = "Enter " + strings.ToLower(label[:1]) + label[1:]
	case n > max:
		fields[key] = fmt.Sprintf("%s must be %d characters or fewer", label, max)
	case haven.CheckName(v) != haven.TextOK: // controls, and the bidi controls that let a name display as another
		fields[key] = haven.NameError(label, v)
	}
}

func checkSlug(fields map[string]string, slug string) {
	if !ValidSlug(slug) {
		fields["slug"] = "Short name must be 2 to 64 lower-case letters, numbers and hyphens, like north-vale"
	}
}

// Validate checks an organisation before it is stored.
func (o *Organisation) Validate() error {
	f := map[string]string{}
	checkName(f, "name", "Name", o.Name, 200)
	checkSlug(f, o.Slug)
	if len(f) > 0 {
		return haven.Invalid(f)
	}
	return nil
}

// Validate checks a Practice before it is stored.
func (p *Practice) Validate() error {
	f := map[string]string{}
	checkName(f, "name", "Name", p.Name, 200)
	checkSlug(f, p.Slug)
	if p.OrganisationID <= 0 {
		f["organisation"] = "Choose the organisation that runs this Practice"
	}
	if len(p.LocalAuthorities) == 0 {
		f["localAuthorities"] = "Choose at least one local authority"
	}
	for _, c := range p.LocalAuthorities {
		if !ValidLACode(c) {
			f["localAuthorities"] = "Choose local authorities from the list"
		}
	}
	if len(f) > 0 {
		return haven.Invalid(f)
	}
	return nil
}

// NormaliseEmail trims and lower-cases an address so that one person has one account.
func NormaliseEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// Validate checks a user before it is stored.
func (u *User) Validate() error {
	f := map[string]string{}
	checkName(f, "displayName", "Name", u.DisplayName, 200)
	if a, err := mail.ParseAddress(u.Email); err != nil || a.Address != u.Email || len(u.Email) > 254 {
		f["email"] = "Enter an email address in the correct format, like name@example.org"
	}
	if len(f) > 0 {
		return haven.Invalid(f)
	}
	return nil
}

//go:embed data/england-upper-tier-local-authorities-2025.csv
var laCSV []byte

// LocalAuthorities returns the 153 English upper-tier authorities (ONS, 2025).
func LocalAuthorities() []LocalAuthority {
	rows, err := csv.NewReader(bytes.NewReader(laCSV)).ReadAll()
	if err != nil {
		panic("access: embedded local authority list is malformed: " + err.Error())
	}
	out := make([]LocalAuthority, 0, len(rows)-1)
	for _, r := range rows[1:] {
		out = append(out, LocalAuthority{Code: r[0], Name: r[1], Kind: r[2], RegionCode: r[3], RegionName: r[4]})
	}
	return out
}
