package programme

import (
	"strings"
	"time"
	"unicode/utf8"

	"haven/internal/haven"
)

// Domain is an area of her life a goal belongs to.
type Domain string

// The support plan's domains. Sexual and reproductive health goals are in a
// restricted section, like the rest of that part of her record.
const (
	DomainHousing       Domain = "housing"
	DomainMentalHealth  Domain = "mental-health"
	DomainSubstanceUse  Domain = "substance-use"
	DomainDomesticAbuse Domain = "domestic-abuse"
	DomainMoney         Domain = "money"
	DomainWork          Domain = "education-work"
	DomainPhysical      Domain = "physical-health"
	DomainChildren      Domain = "children"
	DomainIdentity      Domain = "identity-loss-grief"
	DomainSexualHealth  Domain = "sexual-health"
)

// Domains lists them in the order the plan shows them.
var Domains = []Domain{DomainHousing, DomainMentalHealth, DomainSubstanceUse, DomainDomesticAbuse, DomainMoney,
	DomainWork, DomainPhysical, DomainChildren, DomainIdentity, DomainSexualHealth}

var domainTitles = map[Domain]string{
	DomainHousing: "Housing", DomainMentalHealth: "Mental health", DomainSubstanceUse: "Substance use",
	DomainDomesticAbuse: "Domestic abuse", DomainMoney: "Money and benefits", DomainWork: "Education, training and work",
	DomainPhysical: "Physical health", DomainChildren: "Relationships with children", DomainIdentity: "Identity, loss and grief",
	DomainSexualHealth: "Sexual and reproductive health",
}

// Title is the domain's name for people.
func (d Domain) Title() string { return domainTitles[d] }

// Restricted reports whether goals in this domain are in a restricted section.
func (d Domain) Restricted() bool { return d == DomainSexualHealth }

// Progress is how a goal is going.
type Progress string

const (
	NotStarted       Progress = "not-started"
	InProgress       Progress = "in-progress"
	Achieved         Progress = "achieved"
	NoLongerRelevant Progress = "no-longer-relevant"
)

// Progresses lists the statuses in order.
var Progresses = []Progress{NotStarted, InProgress, Achieved, NoLongerRelevant}

// Title is the status for people.
func (p Progress) Title() string {
	switch p {
	case NotStarted:
		return "Not started"
	case InProgress:
		return "In progress"
	case Achieved:
		return "Achieved"
	case NoLongerRelevant:
		return "No longer relevant"
	}
	return string(p)
}

// Goal is one aim in her support plan, in her own words.
type Goal struct {
	ID        int64
	PersonID  int64
	Domain    Domain
	Words     string // the goal as she put it
	Steps     string // the steps agreed, one a line
	TargetOn  haven.Date
	Progress  Progress
	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
	Reviews   []Review
}

// Review is one look at a goal: when, what was said, and the status after it.
type Review struct {
	On       haven.Date
	Note     string
	Progress Progress
	By       int64
	ByName   string
	At       time.Time
}

// StepList splits the steps into lines for display.
func (g Goal) StepList() []string {
	var out []string
	for _, l := range strings.Split(g.Steps, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func validDomain(d Domain) bool {
	_, ok := domainTitles[d]
	return ok
}

func validProgress(p Progress) bool {
	for _, x := range Progresses {
		if x == p {
			return true
		}
	}
	return false
}

// Validate checks a new goal before it is saved, as of today.
func (g *Goal) Validate(today haven.Date) error {
	f := map[string]string{}
	if !validDomain(g.Domain) {
		f["domain"] = "Choose the area of her life this goal is about"
	}
	words := strings.TrimSpace(g.Words)
	switch n := utf8.RuneCountInString(words); {
	case n == 0:
		f["words"] = "Enter the goal in her own words"
	case n > 2000:
		f["words"] = haven.CharactersOrFewer("The goal in her own words", 2000)
	}
	if utf8.RuneCountInString(g.Steps) > 5000 {
		f["steps"] = haven.CharactersOrFewer("Steps", 5000)
	}
	if strings.ContainsRune(g.Words, 0) {
		f["words"] = "The goal must not contain control characters"
	}
	if strings.ContainsRune(g.Steps, 0) {
		f["steps"] = "Steps must not contain control characters"
	}
	if !validProgress(g.Progress) {
		f["progress"] = "Choose how the goal is going"
	}
	checkTarget(f, "target", "Target date", g.TargetOn, today)
	if len(f) > 0 {
		return haven.Invalid(f)
	}
	return nil
}

// ValidateReview checks a review before it is saved.
func (r *Review) Validate(today haven.Date) error {
	f := map[string]string{}
	if r.On.IsZero() {
		f["on"] = "Enter the date of the review"
	} else if today.Before(r.On) {
		f["on"] = "Date of the review must be today or in the past"
	}
	if n := utf8.RuneCountInString(strings.TrimSpace(r.Note)); n == 0 {
		f["note"] = "Enter what was said at the review"
	} else if n > 5000 {
		f["note"] = haven.CharactersOrFewer("What was said", 5000)
	}
	if !validProgress(r.Progress) {
		f["progress"] = "Choose how the goal is going"
	}
	if len(f) > 0 {
		return haven.Invalid(f)
	}
	return nil
}
