package measure

import (
	"time"

	"haven/internal/haven"
)

// Need domains are the areas of her life the evaluations of Pause followed
// (issue 17 item 2; DOMAIN.md §1.6–1.8): at each point her practitioner
// records whether she has a need in each, and at later points how it has
// changed since her previous reading. The practitioner makes that judgement
// with her; Haven never works one out.

// NeedDomain is one area of need.
type NeedDomain string

const (
	NeedSubstanceUse    NeedDomain = "substance-use"
	NeedDomesticAbuse   NeedDomain = "domestic-abuse"
	NeedMentalHealth    NeedDomain = "mental-health"
	NeedHousing         NeedDomain = "housing"
	NeedEducationWork   NeedDomain = "education-training-work"
	NeedContactChildren NeedDomain = "contact-with-children"
	NeedPhysicalHealth  NeedDomain = "physical-health"
	needDomainCount                = 7
)

// NeedDomains lists the domains in the order forms and reports show them.
var NeedDomains = [needDomainCount]NeedDomain{NeedSubstanceUse, NeedDomesticAbuse, NeedMentalHealth, NeedHousing, NeedEducationWork, NeedContactChildren, NeedPhysicalHealth}

var needDomainLabels = map[NeedDomain]string{
	NeedSubstanceUse: "Substance use", NeedDomesticAbuse: "Domestic abuse", NeedMentalHealth: "Mental health", NeedHousing: "Housing",
	NeedEducationWork: "Education, training and work", NeedContactChildren: "Contact with her children", NeedPhysicalHealth: "Physical health",
}

// Label is the domain as people read it.
func (d NeedDomain) Label() string { return needDomainLabels[d] }

// NeedStatus is one reading of a domain.
type NeedStatus string

const (
	Need         NeedStatus = "need"
	NoNeed       NeedStatus = "no-need"
	NeedNotKnown NeedStatus = "not-known"
)

// NeedStatuses lists the answers in the order the form offers them.
var NeedStatuses = []NeedStatus{Need, NoNeed, NeedNotKnown}

// Label is the reading as people read it.
func (s NeedStatus) Label() string {
	switch s {
	case Need:
		return "Need"
	case NoNeed:
		return "No need"
	case NeedNotKnown:
		return "Not known"
	}
	return ""
}

// Known reports whether the reading says need or no need.
func (s NeedStatus) Known() bool { return s == Need || s == NoNeed }

// Change is the practitioner's judgement of a domain since her previous reading.
type Change string

const (
	Improved Change = "improved"
	Stable   Change = "stable"
	Worse    Change = "worse"
)

// Changes lists the answers in the order the form offers them.
var Changes = []Change{Improved, Stable, Worse}

// Label is the change as people read it.
func (c Change) Label() string {
	switch c {
	case Improved:
		return "Improved"
	case Stable:
		return "Stable"
	case Worse:
		return "Worse"
	}
	return ""
}

// Fact is a yes, no or not known answer to one of the questions the
// evaluation compares between start and exit (issue 17 item 4).
type Fact string

const (
	Yes          Fact = "yes"
	No           Fact = "no"
	FactNotKnown Fact = "not-known"
)

// Facts lists the answers in the order the form offers them.
var Facts = []Fact{Yes, No, FactNotKnown}

// Label is the answer as people read it.
func (f Fact) Label() string {
	switch f {
	case Yes:
		return "Yes"
	case No:
		return "No"
	case FactNotKnown:
		return "Not known"
	}
	return ""
}

// FactQuestion is one of the three facts, with its form field.
type FactQuestion struct {
	Field, Question, Missing string
}

// FactQuestions are the three facts in the order the form asks them.
var FactQuestions = []FactQuestion{
	{"stableHousing", "Is she in stable housing?", "Choose whether she is in stable housing, or not known"},
	{"paidWork", "Is she in paid work?", "Choose whether she is in paid work, or not known"},
	{"childContact", "Does she have face-to-face contact with any of her children?", "Choose whether she has face-to-face contact with any of her children, or not known"},
}

// NeedReading is one domain at one point.
type NeedReading struct {
	Domain NeedDomain
	Status NeedStatus
	Change Change // "" at baseline, and where it was not judged
}

// Needs is everything recorded at one point: a reading for every domain and
// the three facts. There is one per woman per point; recording the point
// again replaces it (Version guards against two people doing so at once).
type Needs struct {
	Point         Point
	AssessedOn    haven.Date
	Readings      [needDomainCount]NeedReading // in NeedDomains order
	StableHousing Fact
	PaidWork      Fact
	ChildContact  Fact
	Version       int64 // 0 until first stored
	By            string
	At            time.Time
}

// Reading returns the domain's reading.
func (n Needs) Reading(d NeedDomain) NeedReading {
	for _, r := range n.Readings {
		if r.Domain == d {
			return r
		}
	}
	return NeedReading{Domain: d}
}

// FactAnswer returns the answer to the fact asked by a FactQuestion's field.
func (n Needs) FactAnswer(field string) Fact {
	switch field {
	case "stableHousing":
		return n.StableHousing
	case "paidWork":
		return n.PaidWork
	case "childContact":
		return n.ChildContact
	}
	return ""
}

// ChangeField is the form field for a domain's change; the domain's own
// reading uses the domain's name.
func ChangeField(d NeedDomain) string { return string(d) + "-change" }

// PreviousNeeds is, for each domain, her latest reading at a point before
// the one being recorded (in programme order), and that point.
type PreviousNeeds map[NeedDomain]PreviousReading

// PreviousReading is one earlier reading.
type PreviousReading struct {
	Point  Point
	Status NeedStatus
}

// Earlier works out PreviousNeeds for point p from what is already stored.
func Earlier(stored []Needs, p Point) PreviousNeeds {
	out := PreviousNeeds{}
	at := pointIndex(p)
	best := map[NeedDomain]int{}
	for _, n := range stored {
		i := pointIndex(n.Point)
		if i >= at {
			continue
		}
		for _, r := range n.Readings {
			if j, ok := best[r.Domain]; !ok || i > j {
				best[r.Domain] = i
				out[r.Domain] = PreviousReading{Point: n.Point, Status: r.Status}
			}
		}
	}
	return out
}

func pointIndex(p Point) int {
	for i, q := range Timepoints {
		if q == p {
			return i
		}
	}
	return -1
}

// CheckNeeds checks one point's readings. The errors name the form's fields:
// "point", "assessedOn", each domain, each domain's "-change", and the three
// facts. The change rule:
//   - at baseline there is nothing to compare with, so a change is refused;
//   - at a later point a change is required for a domain when both this
//     reading and her previous one (see Earlier) say need or no need, and
//     may be left blank otherwise (no earlier reading, or one of them not
//     known), because then there may be nothing the practitioner can judge.
func CheckNeeds(n Needs, prev PreviousNeeds, today haven.Date) error {
	fields := map[string]string{}
	if _, ok := ParsePoint(string(n.Point)); !ok {
		fields["point"] = "Choose when in her programme these needs were recorded"
	}
	switch {
	case n.AssessedOn.IsZero():
		fields["assessedOn"] = "Enter the date you went through her needs with her"
	case today.Before(n.AssessedOn):
		fields["assessedOn"] = "The date you went through her needs must be today or in the past"
	case n.AssessedOn.Before(haven.NewDate(2000, time.January, 1)):
		fields["assessedOn"] = "The date you went through her needs must be in 2000 or later"
	}
	for i, d := range NeedDomains {
		r := n.Readings[i]
		if r.Domain != d {
			fields[string(d)] = "Choose need, no need or not known for " + lower(d.Label())
			continue
		}
		switch r.Status {
		case Need, NoNeed, NeedNotKnown:
		default:
			fields[string(d)] = "Choose need, no need or not known for " + lower(d.Label())
		}
		switch r.Change {
		case "":
			if n.Point != Baseline && r.Status.Known() && prev[d].Status.Known() {
				fields[ChangeField(d)] = "Choose whether " + lower(d.Label()) + " has improved, stayed stable or got worse since her reading at " + lower(prev[d].Point.Label()) + " (" + lower(prev[d].Status.Label()) + ")"
			}
		case Improved, Stable, Worse:
			if n.Point == Baseline {
				fields[ChangeField(d)] = "Leave how " + lower(d.Label()) + " has changed blank at baseline: there is no earlier reading to compare with"
			}
		default:
			fields[ChangeField(d)] = "Choose whether " + lower(d.Label()) + " has improved, stayed stable or got worse"
		}
	}
	for _, q := range FactQuestions {
		switch n.FactAnswer(q.Field) {
		case Yes, No, FactNotKnown:
		default:
			fields[q.Field] = q.Missing
		}
	}
	if len(fields) > 0 {
		return haven.Invalid(fields)
	}
	return nil
}

// NeedFields lists the form's fields in the order the form shows them, for
// the error summary.
func NeedFields() []string {
	out := []string{"point", "assessedOn"}
	for _, d := range NeedDomains {
		out = append(out, string(d), ChangeField(d))
	}
	for _, q := range FactQuestions {
		out = append(out, q.Field)
	}
	return out
}

// lower makes a label fit mid-sentence, keeping the rest as written.
func lower(s string) string {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return s
	}
	return string(s[0]+'a'-'A') + s[1:]
}
