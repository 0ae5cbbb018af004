// Package reunify models a local authority's work to bring a looked-after
// child home: the child's record and SSDA903 episodes, and the NSPCC
// Reunification Practice Framework (Wilkins and Farmer, 2015) as stages,
// after Leeds' published procedure. Types and rules only; no I/O.
package reunify

import (
	"strings"
	"time"
	"unicode/utf8"

	"haven/internal/haven"
)

// Child is a looked-after child in a local authority team's records. It
// holds the minimum: the LA's own id for the child (the 903 CHILD field), a
// first name and a date of birth. Legal status and placement are those of
// the child's current episode.
type Child struct {
	ID        int64
	Team      int64  // the LA team, the tenant
	Ref       string // the LA's own child id
	FirstName string
	BornOn    haven.Date
	Worker    int64 // the allocated social worker; 0 if none
	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Validate checks a child's record as entered.
func (c Child) Validate(today haven.Date) error {
	f := map[string]string{}
	ref := strings.TrimSpace(c.Ref)
	switch {
	case ref == "":
		f["ref"] = "Enter the child's ID"
	case utf8.RuneCountInString(ref) > 10 || !refChars(ref):
		// 903 CHILD is up to 10 characters.
		f["ref"] = "Child ID must be 10 letters, digits or hyphens or fewer"
	}
	name := strings.TrimSpace(c.FirstName)
	switch {
	case name == "":
		f["firstName"] = "Enter the child's first name"
	case utf8.RuneCountInString(name) > 100:
		f["firstName"] = haven.CharactersOrFewer("First name", 100)
	}
	switch {
	case c.BornOn.IsZero():
		f["bornOn"] = "Enter the child's date of birth"
	case today.Before(c.BornOn):
		f["bornOn"] = "Date of birth must be today or in the past"
	case c.BornOn.Before(yearsBefore(today, 19)):
		// Looked-after children are under 18; a year's grace for late records.
		f["bornOn"] = "Date of birth must be within the last 19 years"
	}
	if len(f) > 0 {
		return haven.Invalid(f)
	}
	return nil
}

func refChars(s string) bool {
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// Episode is one SSDA903 episode of care: it starts with a reason (RNE) and
// a legal status and placement, and ends, if it has ended, with a reason
// (REC).
type Episode struct {
	ID          int64
	Child       int64
	StartsOn    haven.Date // DECOM
	RNE         string
	LegalStatus string     // LS
	Placement   string     // PLACE
	Provider    string     // PLACE_PROVIDER; "" if not recorded
	EndsOn      haven.Date // DEC; zero while open
	REC         string     // "" while open
	PlaceChange string     // REASON_PLACE_CHANGE; "" if not recorded
	Version     int64
}

// Open reports whether the episode has not ended.
func (e Episode) Open() bool { return e.EndsOn.IsZero() }

// ReturnedHome reports whether the episode ended with a return home to
// parents or others with parental responsibility (E4A planned, E4B not).
func (e Episode) ReturnedHome() bool { return e.REC == "E4A" || e.REC == "E4B" }

// Validate checks one episode on its own: its codes and dates. The rules
// between a child's episodes are in CheckEpisodes.
func (e Episode) Validate(today haven.Date) error {
	f := map[string]string{}
	if e.StartsOn.IsZero() {
		f["startsOn"] = "Enter the date the episode started"
	} else if today.Before(e.StartsOn) {
		f["startsOn"] = "Start date must be today or in the past"
	}
	if !NewEpisodeReasons.Has(e.RNE) {
		f["rne"] = "Choose the reason for the new episode"
	}
	if !LegalStatuses.Has(e.LegalStatus) {
		f["legalStatus"] = "Choose the legal status"
	}
	if !Placements.Has(e.Placement) {
		f["placement"] = "Choose the placement type"
	}
	if e.Provider != "" && !Providers.Has(e.Provider) {
		f["provider"] = "Choose the placement provider"
	}
	if e.PlaceChange != "" && !PlacementChanges.Has(e.PlaceChange) {
		f["placeChange"] = "Choose the reason for the placement change"
	}
	switch {
	case e.EndsOn.IsZero() && e.REC != "":
		f["endsOn"] = "Enter the date the episode ended"
	case !e.EndsOn.IsZero() && e.REC == "":
		f["rec"] = "Choose the reason the episode ended"
	case !e.EndsOn.IsZero() && !CeasedReasons.Has(e.REC):
		f["rec"] = "Choose the reason the episode ended"
	}
	if !e.EndsOn.IsZero() {
		if today.Before(e.EndsOn) {
			f["endsOn"] = "End date must be today or in the past"
		} else if !e.StartsOn.IsZero() && e.EndsOn.Before(e.StartsOn) {
			f["endsOn"] = "End date must be the same as or after the start date"
		}
	}
	if len(f) > 0 {
		return haven.Invalid(f)
	}
	return nil
}

// Person is someone in the child's life: a parent or another person around
// the child, with what each may be told.
type Person struct {
	ID                     int64
	Child                  int64
	Name                   string
	Relationship           string // see Relationships
	ParentalResponsibility bool
	MayBeTold              string // what this person may be told, in the worker's words
	Version                int64
}

// Relationships are the ways a person can be related to the child.
var Relationships = []Choice{
	{"mother", "Mother"}, {"father", "Father"}, {"step-parent", "Step-parent or partner of a parent"},
	{"grandparent", "Grandparent"}, {"sibling", "Brother or sister"}, {"other-relative", "Other relative"},
	{"friend", "Family friend"}, {"carer", "Foster carer or other carer"}, {"other", "Other"},
}

// IsParent reports whether the person is one of the child's parents, for
// whom the assessment and the agreement are written.
func (p Person) IsParent() bool {
	return p.Relationship == "mother" || p.Relationship == "father" || p.Relationship == "step-parent" && p.ParentalResponsibility
}

// Choice is a value and its title, for a form's radios or select.
type Choice struct{ Value, Title string }

// TitleOf is the title of v among cs, or v itself.
func TitleOf(cs []Choice, v string) string {
	for _, c := range cs {
		if c.Value == v {
			return c.Title
		}
	}
	return v
}

// ValidChoice reports whether v is one of cs.
func ValidChoice(cs []Choice, v string) bool {
	for _, c := range cs {
		if c.Value == v {
			return true
		}
	}
	return false
}

// Route is the legal route the child is looked after under.
var Routes = []Choice{
	{"s20", "Accommodated under section 20"}, {"s31", "Care order (section 31)"},
	{"s38", "Interim care order (section 38)"}, {"pre-proceedings", "Pre-proceedings or edge of care"},
}

// Stage is a step of the framework, after Leeds' procedure (DOMAIN.md §5.1).
type Stage string

// The stages in order. Alternative permanence and closed end a case.
const (
	StageIdentification Stage = "identification"        // and Decision 1
	StagePlanAssessment Stage = "plan-assessment"       // plan the assessment
	StageChronology     Stage = "chronology"            // analytical chronology
	StageAssessment     Stage = "assessment"            // return-home assessment
	StageDecision2      Stage = "decision-2"            // risk classification 1 and Decision 2
	StagePlan           Stage = "plan"                  // reunification plan and parental agreement
	StageDecision3      Stage = "decision-3"            // risk classification 2 and Decision 3
	StageEmergency      Stage = "emergency-approval"    // emergency placement with parents, if needed
	StagePlanReview     Stage = "plan-review"           // reunification plan review
	StagePanel          Stage = "permanence-panel"      // permanence panel
	StageReturnHome     Stage = "return-home"           // the return; its date ends the episode E4A/E4B
	StageSupport        Stage = "support"               // post-return support and monitoring
	StageRisk3          Stage = "risk-classification-3" // after return
	StageDischarge      Stage = "order-discharged"      // the order discharged
	StageClosed         Stage = "closed"
	StageAlternative    Stage = "alternative-permanence" // a decision not to return
)

// Stages is every stage in the order a case moves through them.
var Stages = []Choice{
	{string(StageIdentification), "Identification and Decision 1"},
	{string(StagePlanAssessment), "Plan the assessment"},
	{string(StageChronology), "Analytical chronology"},
	{string(StageAssessment), "Return-home assessment"},
	{string(StageDecision2), "Risk classification 1 and Decision 2"},
	{string(StagePlan), "Reunification plan and parental agreement"},
	{string(StageDecision3), "Risk classification 2 and Decision 3"},
	{string(StageEmergency), "Emergency placement with parents approval"},
	{string(StagePlanReview), "Reunification plan review"},
	{string(StagePanel), "Permanence panel"},
	{string(StageReturnHome), "Return home"},
	{string(StageSupport), "Support and monitoring after return"},
	{string(StageRisk3), "Risk classification 3"},
	{string(StageDischarge), "Order discharged"},
	{string(StageClosed), "Closed"},
	{string(StageAlternative), "Alternative permanence"},
}

// Title is the stage's name for people.
func (s Stage) Title() string { return TitleOf(Stages, string(s)) }

// Case is one attempt to bring a child home under the framework.
type Case struct {
	ID       int64
	Child    int64
	Route    string // see Routes
	Stage    Stage
	OpenedOn haven.Date
	ClosedOn haven.Date // zero while open
	// Outcome is "returned" or "alternative-permanence" once decided, with
	// the reason for an alternative.
	Outcome       string
	OutcomeReason string
	Worker        int64 // the social worker who opened it
	Version       int64
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// Validate checks a case as opened.
func (c Case) Validate(today haven.Date) error {
	f := map[string]string{}
	if !ValidChoice(Routes, c.Route) {
		f["route"] = "Choose the legal route"
	}
	if c.OpenedOn.IsZero() {
		f["openedOn"] = "Enter the date the case was opened"
	} else if today.Before(c.OpenedOn) {
		f["openedOn"] = "Date opened must be today or in the past"
	}
	if len(f) > 0 {
		return haven.Invalid(f)
	}
	return nil
}

// yearsBefore is the date n years before d (29 February to 28 February).
func yearsBefore(d haven.Date, n int) haven.Date {
	t := d.Time()
	y, m, day := t.Year()-n, t.Month(), t.Day()
	if m == time.February && day == 29 {
		day = 28
	}
	return haven.NewDate(y, m, day)
}
