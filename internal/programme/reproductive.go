package programme

import (
	"strings"
	"unicode/utf8"

	"haven/internal/haven"
)

// The reproductive-health section is restricted (SECURITY S17). Its dates
// drive reminders and aggregate reports only: never an automated decision
// about a woman (DOMAIN.md §E).

// Method is a contraceptive method category.
type Method string

const (
	MethodImplant   Method = "implant"
	MethodIUD       Method = "iud"
	MethodIUS       Method = "ius"
	MethodInjection Method = "injection"
	MethodOther     Method = "other"
)

// Methods lists the categories in the form's order.
var Methods = []Method{MethodImplant, MethodIUD, MethodIUS, MethodInjection, MethodOther}

// Title is the method for people.
func (m Method) Title() string {
	switch m {
	case MethodImplant:
		return "Implant"
	case MethodIUD:
		return "IUD (copper coil)"
	case MethodIUS:
		return "IUS (hormonal coil)"
	case MethodInjection:
		return "Injection"
	case MethodOther:
		return "Other"
	}
	return string(m)
}

// Contraception is the current method, when it started and when it is due a review.
type Contraception struct {
	Method    Method
	StartedOn haven.Date
	ReviewOn  haven.Date // review or expiry date
	Service   string     // the sexual health service involved
	Version   int64
}

// Validate checks the section before it is saved.
func (c *Contraception) Validate() error {
	f := map[string]string{}
	ok := false
	for _, m := range Methods {
		ok = ok || m == c.Method
	}
	if !ok {
		f["method"] = "Choose the method"
	}
	if !c.StartedOn.IsZero() && !c.ReviewOn.IsZero() && c.ReviewOn.Before(c.StartedOn) {
		f["reviewOn"] = "Review or expiry date must be on or after the start date"
	}
	if utf8.RuneCountInString(strings.TrimSpace(c.Service)) > 200 {
		f["service"] = "Service must be 200 characters or fewer"
	}
	if len(f) > 0 {
		return haven.Invalid(f)
	}
	return nil
}

// Pregnancy is a pregnancy event: when it became known, and what happened.
type Pregnancy struct {
	KnownOn haven.Date
	Outcome string
}

// Validate checks a pregnancy event.
func (p *Pregnancy) Validate(today haven.Date) error {
	f := map[string]string{}
	if p.KnownOn.IsZero() {
		f["knownOn"] = "Enter the date the pregnancy became known"
	} else if today.Before(p.KnownOn) {
		f["knownOn"] = "Date the pregnancy became known must be today or in the past"
	}
	if utf8.RuneCountInString(p.Outcome) > 500 {
		f["outcome"] = "Outcome must be 500 characters or fewer"
	}
	if len(f) > 0 {
		return haven.Invalid(f)
	}
	return nil
}
