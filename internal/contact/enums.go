// Package contact models a mother's contact with her children who are in
// care or adopted: the children (kept to the minimum), care proceedings,
// contact arrangements, every change to them and whether she was told why,
// contact sessions and letterbox exchanges. Types and rules only; no I/O.
package contact

import "strings"

// option is one value of an enumeration and its name for people.
type option struct{ value, title string }

func titleOf(opts []option, v string) string {
	for _, o := range opts {
		if o.value == v {
			return o.title
		}
	}
	return v
}

func valid(opts []option, v string) bool {
	for _, o := range opts {
		if o.value == v {
			return true
		}
	}
	return false
}

// Choice is a value and its title, for a form's radios or select.
type Choice struct{ Value, Title string }

func choices(opts []option) []Choice {
	out := make([]Choice, len(opts))
	for i, o := range opts {
		out[i] = Choice{o.value, o.title}
	}
	return out
}

// LegalStatus is a child's current legal status.
type LegalStatus string

var legalStatuses = []option{
	{"interim-care-order", "Interim care order"}, {"care-order", "Care order"}, {"placement-order", "Placement order"},
	{"adopted", "Adopted"}, {"special-guardianship-order", "Special guardianship order"},
	{"child-arrangements-order", "Child arrangements order"}, {"supervision-order", "Supervision order"},
	{"section-20", "Section 20 accommodation"}, {"returned-home", "Returned home"}, {"other", "Other"},
}

// LegalStatuses lists the legal statuses in the order forms show them.
func LegalStatuses() []Choice { return choices(legalStatuses) }

// Title is the status for people.
func (s LegalStatus) Title() string { return titleOf(legalStatuses, string(s)) }

// Placement is where a child lives now.
type Placement string

var placements = []option{
	{"foster-care", "Foster care"}, {"kinship-care", "Kinship care"}, {"adoptive-family", "Adoptive family"},
	{"residential", "Residential"}, {"with-parent", "Placed with a parent"}, {"other", "Other"},
}

// Placements lists where a child may live.
func Placements() []Choice { return choices(placements) }

// Title is the placement for people.
func (p Placement) Title() string { return titleOf(placements, string(p)) }

// Outcome is how a set of care proceedings ended. Empty means not yet decided.
type Outcome string

var outcomes = []option{
	{"care-order", "Care order"}, {"placement-order", "Placement order"}, {"special-guardianship-order", "Special guardianship order"},
	{"supervision-order", "Supervision order"}, {"child-arrangements-order", "Child arrangements order"},
	{"no-order", "No order"}, {"withdrawn", "Withdrawn"},
}

// Outcomes lists the outcomes of proceedings.
func Outcomes() []Choice { return choices(outcomes) }

// Title is the outcome for people; "Not decided yet" when empty.
func (o Outcome) Title() string {
	if o == "" {
		return "Not decided yet"
	}
	return titleOf(outcomes, string(o))
}

// Type is a kind of contact arrangement.
type Type string

const (
	FaceToFace Type = "face-to-face"
	Supervised Type = "supervised"
	Supported  Type = "supported"
	Letterbox  Type = "letterbox"
	Digital    Type = "digital"
	NoContact  Type = "none"
)

var types = []option{
	{string(FaceToFace), "Face-to-face (direct)"}, {string(Supervised), "Supervised"}, {string(Supported), "Supported"},
	{string(Letterbox), "Indirect: letterbox"}, {string(Digital), "Phone, video or digital"}, {string(NoContact), "None or suspended"},
}

// Types lists the kinds of contact.
func Types() []Choice { return choices(types) }

// Title is the kind of contact for people.
func (t Type) Title() string { return titleOf(types, string(t)) }

// Direct reports whether she sees the child in person: the "face-to-face
// contact" the reports count.
func (t Type) Direct() bool { return t == FaceToFace || t == Supervised || t == Supported }

// Arranger is who arranges the contact.
type Arranger string

var arrangers = []option{
	{"local-authority", "Local authority"}, {"adoption-agency", "Adoption agency"}, {"carers", "Carers"}, {"court-order", "Court order"},
}

// arrangerFrom reads who arranges contact from a change's new value: the
// value itself or its title, as a practitioner may type either.
func arrangerFrom(s string) (Arranger, bool) {
	s = strings.TrimSpace(s)
	for _, o := range arrangers {
		if strings.EqualFold(s, o.value) || strings.EqualFold(s, o.title) {
			return Arranger(o.value), true
		}
	}
	return "", false
}

// Arrangers lists who may arrange contact.
func Arrangers() []Choice { return choices(arrangers) }

// Title is the arranger for people.
func (a Arranger) Title() string { return titleOf(arrangers, string(a)) }

// Basis is the legal basis of an arrangement.
type Basis string

var bases = []option{{"court-order", "Court order"}, {"care-plan", "Care plan"}, {"adoption-contact-plan", "Adoption contact plan"}}

// Bases lists the legal bases.
func Bases() []Choice { return choices(bases) }

// Title is the basis for people.
func (b Basis) Title() string { return titleOf(bases, string(b)) }

// Aspect is what part of an arrangement a change altered.
type Aspect string

const (
	AspectType       Aspect = "type"
	AspectFrequency  Aspect = "frequency"
	AspectArrangedBy Aspect = "arranged-by"
	AspectSuspended  Aspect = "suspended"
	AspectEnded      Aspect = "ended"
)

var aspects = []option{
	{string(AspectType), "Kind of contact"}, {string(AspectFrequency), "How often"}, {"venue", "Where it happens"},
	{"supervision", "Who supervises"}, {"who-attends", "Who can attend"}, {"arranged-by", "Who arranges it"},
	{"suspended", "Suspended"}, {"ended", "Ended"}, {"other", "Something else"},
}

// Aspects lists what a change may alter.
func Aspects() []Choice { return choices(aspects) }

// Title is the aspect for people.
func (a Aspect) Title() string { return titleOf(aspects, string(a)) }

// ChangedBy is who made a change.
type ChangedBy string

var changers = []option{
	{"court", "The court"}, {"local-authority", "The local authority"}, {"adoption-agency", "The adoption agency"},
	{"adopters-carers", "Adopters or carers"}, {"her-request", "At her own request"},
}

// Changers lists who may change an arrangement.
func Changers() []Choice { return choices(changers) }

// Title is who changed it, for people.
func (c ChangedBy) Title() string { return titleOf(changers, string(c)) }

// ReasonGiven records whether she was given a reason for a change.
type ReasonGiven string

const (
	ReasonYes      ReasonGiven = "yes"
	ReasonNo       ReasonGiven = "no"
	ReasonNotKnown ReasonGiven = "not-known"
)

var reasons = []option{{string(ReasonYes), "Yes"}, {string(ReasonNo), "No"}, {string(ReasonNotKnown), "Not known"}}

// Reasons lists the answers to "was she given a reason?".
func Reasons() []Choice { return choices(reasons) }

// Title is the answer for people.
func (r ReasonGiven) Title() string { return titleOf(reasons, string(r)) }

// SessionOutcome is what happened to a planned contact session. Empty: not yet recorded.
type SessionOutcome string

const (
	TookPlace    SessionOutcome = "took-place"
	Cancelled    SessionOutcome = "cancelled"
	DidNotAttend SessionOutcome = "did-not-attend"
)

var sessionOutcomes = []option{{string(TookPlace), "Took place"}, {string(Cancelled), "Cancelled"}, {string(DidNotAttend), "She did not attend"}}

// SessionOutcomes lists what may happen to a session.
func SessionOutcomes() []Choice { return choices(sessionOutcomes) }

// Title is the outcome for people; "Not recorded yet" when empty.
func (o SessionOutcome) Title() string {
	if o == "" {
		return "Not recorded yet"
	}
	return titleOf(sessionOutcomes, string(o))
}

// Canceller is who cancelled a session.
type Canceller string

var cancellers = []option{
	{"her", "She did"}, {"carers", "Carers or adopters"}, {"local-authority", "The local authority"},
	{"adoption-agency", "The adoption agency"}, {"contact-centre", "The contact centre"}, {"child", "The child"}, {"other", "Someone else"},
}

// Cancellers lists who may cancel a session.
func Cancellers() []Choice { return choices(cancellers) }

// Title is who cancelled, for people.
func (c Canceller) Title() string { return titleOf(cancellers, string(c)) }

// Direction is which way a letterbox letter goes.
type Direction string

var directions = []option{{"from-her", "From her to the child's family"}, {"to-her", "From the child's family to her"}}

// Directions lists the directions of a letter.
func Directions() []Choice { return choices(directions) }

// Title is the direction for people.
func (d Direction) Title() string { return titleOf(directions, string(d)) }

// LetterStatus says whether a letter was held back. Empty: it went through.
type LetterStatus string

var letterStatuses = []option{{"returned", "Returned"}, {"withheld", "Withheld"}}

// LetterStatuses lists what may happen to a letter that did not go through.
func LetterStatuses() []Choice { return choices(letterStatuses) }

// Title is the status for people.
func (s LetterStatus) Title() string { return titleOf(letterStatuses, string(s)) }

// Phrase is who changed it, to go inside a sentence.
func (c ChangedBy) Phrase() string { return lowerFirst(c.Title()) }

// Phrase is who cancelled, to go inside a sentence.
func (c Canceller) Phrase() string { return lowerFirst(c.Title()) }
