package programme

import (
	"crypto/rand"
	"fmt"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"haven/internal/access"
	"haven/internal/haven"
)

// Referral asks a Practice to work with a woman: from her (self-referral) or
// from a professional (DOMAIN.md §1.3). It is triaged before she becomes a Person.
type Referral struct {
	ID           int64
	Ref          string // HVN-XXXX-XXXX, given to whoever referred her
	PracticeID   int64  // 0: no Practice covers her area yet
	PracticeName string // for display
	Source       ReferralSource
	Status       ReferralStatus
	ReceivedAt   time.Time

	FirstName          string
	LastName           string
	DateOfBirth        haven.Date
	Phone              string
	Email              string
	LACode             string // upper-tier authority, chosen or found from her postcode district
	PostcodeDistrict   string // as found, e.g. LS6; never the full postcode
	Contact            SafeContact
	CommunicationNeeds string // interpreter, reading, hearing: anything that helps her take part
	ChildrenRemoved    ChildrenRemoved
	CareExperienced    Answer
	ChildrenInCare     Answer // whether any of her children are in her care now
	Consent            Consent

	Referrer    Referrer // a professional's referral only
	Proceedings string   // dates of care proceedings, as the referrer gives them
	Situation   string
	Risks       string
	EnteredBy   int64 // the member of staff who typed it in, if any

	OutcomeReason string // why it was declined
	ReferredOnTo  string
	OutcomeBy     int64
	OutcomeByName string // for display
	OutcomeAt     time.Time
	PersonID      int64 // the record an accepted referral became
	PersonRef     string

	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Name is how triage pages address her.
func (r Referral) Name() string { return strings.TrimSpace(r.FirstName + " " + r.LastName) }

// ReferralSource says who made the referral.
type ReferralSource string

const (
	ReferralSelf         ReferralSource = "self"
	ReferralProfessional ReferralSource = "professional"
)

// Title is the source's name for people.
func (s ReferralSource) Title() string {
	if s == ReferralProfessional {
		return "Professional"
	}
	return "Self-referral"
}

// ReferralStatus is where a referral is in triage.
type ReferralStatus string

const (
	ReferralNew        ReferralStatus = "new"
	ReferralWaiting    ReferralStatus = "waiting-list"
	ReferralAccepted   ReferralStatus = "accepted"
	ReferralDeclined   ReferralStatus = "declined"
	ReferralReferredOn ReferralStatus = "referred-on"
)

// Title is the status's name for people.
func (s ReferralStatus) Title() string {
	switch s {
	case ReferralNew:
		return "New"
	case ReferralWaiting:
		return "Waiting list"
	case ReferralAccepted:
		return "Accepted"
	case ReferralDeclined:
		return "Declined"
	case ReferralReferredOn:
		return "Referred on"
	}
	return string(s)
}

// Open reports whether the referral still needs a decision.
func (s ReferralStatus) Open() bool { return s == ReferralNew || s == ReferralWaiting }

// Answer is a yes, no or "not known" answer: someone may not know, or may
// rather not say.
type Answer string

const (
	AnswerYes     Answer = "yes"
	AnswerNo      Answer = "no"
	AnswerUnknown Answer = "unknown"
)

// Title is the answer for people.
func (a Answer) Title() string {
	switch a {
	case AnswerYes:
		return "Yes"
	case AnswerNo:
		return "No"
	}
	return "Not known"
}

// ChildrenRemoved is how many of her children have been removed from her care.
type ChildrenRemoved string

const (
	RemovedNone        ChildrenRemoved = "0"
	RemovedOne         ChildrenRemoved = "1"
	RemovedTwo         ChildrenRemoved = "2"
	RemovedThreeOrMore ChildrenRemoved = "3+"
)

// ChildrenRemovedChoices lists the answers in the order forms show them.
var ChildrenRemovedChoices = []ChildrenRemoved{RemovedNone, RemovedOne, RemovedTwo, RemovedThreeOrMore}

// Title is the answer for people.
func (c ChildrenRemoved) Title() string {
	switch c {
	case RemovedNone:
		return "None"
	case RemovedThreeOrMore:
		return "3 or more"
	}
	return string(c)
}

// ContactChannel is a way it is safe to contact her.
type ContactChannel string

const (
	ChannelPhone  ContactChannel = "phone"
	ChannelText   ContactChannel = "text"
	ChannelEmail  ContactChannel = "email"
	ChannelLetter ContactChannel = "letter"
)

// ContactChannels lists the channels in the order forms show them.
var ContactChannels = []ContactChannel{ChannelPhone, ChannelText, ChannelEmail, ChannelLetter}

// Title is the channel for people.
func (c ContactChannel) Title() string {
	switch c {
	case ChannelPhone:
		return "Phone call"
	case ChannelText:
		return "Text message"
	case ChannelEmail:
		return "Email"
	case ChannelLetter:
		return "Letter"
	}
	return string(c)
}

// SafeContact is how she says it is safe to reach her. Getting this wrong can
// put her at risk from someone she lives with, so triage shows it first.
type SafeContact struct {
	Channels        []ContactChannel
	NoVoicemail     bool
	SafeTimes       string
	ViaProfessional bool // contact her through a named professional
	ViaName         string
	ViaContact      string
}

// Allows reports whether she said c is safe.
func (s SafeContact) Allows(c ContactChannel) bool { return slices.Contains(s.Channels, c) }

// Consent is whether she has agreed to the referral. A professional's
// referral she has declined is refused, so it is never stored.
type Consent string

const (
	ConsentGiven    Consent = "given"
	ConsentNotAsked Consent = "not-asked"
	ConsentDeclined Consent = "declined"
)

// Title is the consent status for people.
func (c Consent) Title() string {
	switch c {
	case ConsentGiven:
		return "She has agreed"
	case ConsentNotAsked:
		return "Not yet asked"
	case ConsentDeclined:
		return "She has said no"
	}
	return string(c)
}

// Referrer is the professional who made a referral.
type Referrer struct {
	Name, Organisation, Role, Contact string
}

// Field limits, in characters.
const (
	maxReferralName  = 100
	maxReferralShort = 200
	maxSafeTimes     = 500
	maxProceedings   = 1000
	maxReferralLong  = 5000
)

// NewReferralRef returns a random reference, HVN-XXXX-XXXX. The alphabet has
// no 0, 1, 8 or 9, so nothing reads as O, I, B or g when said over the phone.
func NewReferralRef() string {
	t := rand.Text()
	return "HVN-" + t[:4] + "-" + t[4:8]
}

var referralRefPattern = regexp.MustCompile(`^HVN-[A-Z2-7]{4}-[A-Z2-7]{4}$`)

// ValidReferralRef reports whether s has the shape of a referral reference.
func ValidReferralRef(s string) bool { return referralRefPattern.MatchString(s) }

// Prepare tidies what was typed: spaces trimmed, and her local authority
// found from her postcode district when she did not choose one.
func (r *Referral) Prepare() {
	for _, s := range []*string{&r.FirstName, &r.LastName, &r.Phone, &r.Email, &r.LACode, &r.Contact.SafeTimes,
		&r.Contact.ViaName, &r.Contact.ViaContact, &r.Referrer.Name, &r.Referrer.Organisation, &r.Referrer.Role,
		&r.Referrer.Contact, &r.Proceedings, &r.Situation, &r.Risks, &r.CommunicationNeeds} {
		*s = strings.TrimSpace(*s)
	}
	r.PostcodeDistrict = strings.ToUpper(strings.TrimSpace(r.PostcodeDistrict))
	if d, ok := access.LookupPostcodeDistrict(r.PostcodeDistrict); ok {
		r.PostcodeDistrict = d.District // never more than the district is kept
		if r.LACode == "" {
			r.LACode = d.LACode
		}
	}
	if !r.Contact.ViaProfessional {
		r.Contact.ViaName, r.Contact.ViaContact = "", ""
	}
	if r.CareExperienced == "" {
		r.CareExperienced = AnswerUnknown
	}
	if r.ChildrenInCare == "" {
		r.ChildrenInCare = AnswerUnknown
	}
}

// say picks the wording for her own referral or a professional's.
func (r *Referral) say(self, pro string) string {
	if r.Source == ReferralProfessional {
		return pro
	}
	return self
}

// referralText checks one answer. Single-line answers may hold no control
// characters at all; longer ones may hold line breaks and tabs.
func referralText(f map[string]string, key, label, v string, required bool, max int, multiline bool) {
	n := utf8.RuneCountInString(v)
	switch {
	case haven.CheckText(v) == haven.TextNotUTF8:
		f[key] = haven.TextError(label, v)
	case required && n == 0:
		f[key] = "Enter " + strings.ToLower(label[:1]) + label[1:]
	case n > max:
		f[key] = haven.CharactersOrFewer(label, max)
	case haven.CheckText(v) != haven.TextOK || !multiline && strings.ContainsAny(v, "\r\n\t"):
		f[key] = haven.TextControl.Message(label)
	}
}

// referralName is referralText for a name, refusing bidirectional controls too.
func referralName(f map[string]string, key, label, v string, required bool) {
	referralText(f, key, label, v, required, maxReferralName, false)
	noBidi(f, key, label, v)
}

var phoneChars = regexp.MustCompile(`^\+?[0-9 ()-]+$`)

// validPhone accepts a UK or international number as people write them.
func validPhone(s string) bool {
	if len(s) > 30 || !phoneChars.MatchString(s) {
		return false
	}
	n := 0
	for _, c := range s {
		if c >= '0' && c <= '9' {
			n++
		}
	}
	return n >= 10 && n <= 15
}

func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && len(s) <= 254 && strings.Contains(s[strings.LastIndex(s, "@"):], ".")
}

// Validate checks a referral as of now and lists every problem at once, keyed
// by the form's field names. It expects Prepare to have run.
func (r *Referral) Validate(now time.Time) error {
	f := map[string]string{}
	you := r.say("your", "her")
	if r.Source != ReferralSelf && r.Source != ReferralProfessional {
		f["source"] = "Say who is making the referral"
	}
	referralName(f, "firstName", r.say("Your first name", "Her first name"), r.FirstName, true)
	referralName(f, "lastName", r.say("Your last name", "Her last name"), r.LastName, true)
	checkBirth(f, "dateOfBirth", r.DateOfBirth, dateOf(now))

	// A way to reach her, and only ways she has said are safe.
	referralText(f, "phone", r.say("Your phone number", "Her phone number"), r.Phone, false, 30, false)
	if _, bad := f["phone"]; !bad && r.Phone != "" && !validPhone(r.Phone) {
		f["phone"] = "Enter a phone number, like 07700 900 982 or +44 7700 900 982"
	}
	referralText(f, "email", r.say("Your email address", "Her email address"), r.Email, false, 254, false)
	if _, bad := f["email"]; !bad && r.Email != "" && !validEmail(r.Email) {
		f["email"] = "Enter an email address in the correct format, like name@example.com"
	}
	c := r.Contact
	for _, ch := range c.Channels {
		if !slices.Contains(ContactChannels, ch) {
			f["safeChannels"] = "Choose from the ways listed"
		}
	}
	if (c.Allows(ChannelPhone) || c.Allows(ChannelText)) && r.Phone == "" && f["phone"] == "" {
		f["phone"] = r.say("Enter your phone number, or untick phone call and text message", "Enter her phone number, or untick phone call and text message")
	}
	if c.Allows(ChannelEmail) && r.Email == "" && f["email"] == "" {
		f["email"] = r.say("Enter your email address, or untick email", "Enter her email address, or untick email")
	}
	referralText(f, "safeTimes", r.say("Safe times to contact you", "Safe times to contact her"), c.SafeTimes, false, maxSafeTimes, true)
	referralText(f, "communicationNeeds", r.say("Anything that would help you talk with us", "Her communication needs"), r.CommunicationNeeds, false, 2000, true)
	if c.ViaProfessional {
		referralName(f, "viaName", "Their name", c.ViaName, true)
		referralText(f, "viaContact", "How to reach them", c.ViaContact, true, maxReferralShort, false)
	}
	if r.Phone == "" && r.Email == "" && !c.ViaProfessional && f["phone"] == "" {
		f["phone"] = r.say("Enter a phone number or email address, or tell us about a professional we can contact you through",
			"Enter her phone number or email address, or the professional to contact her through")
	}

	// Where she lives decides which Practice sees the referral.
	switch {
	case r.LACode != "":
		if _, ok := access.LocalAuthorityByCode(r.LACode); !ok {
			f["laCode"] = "Choose a local authority from the list"
		}
	case r.PostcodeDistrict == "":
		f["laCode"] = "Choose " + you + " local authority, or enter the first part of " + you + " postcode"
	}
	if r.PostcodeDistrict != "" {
		if _, ok := access.LookupPostcodeDistrict(r.PostcodeDistrict); !ok {
			f["postcode"] = "Enter the first part of a postcode in England, Scotland or Wales, like LS6, or leave it empty and choose from the list"
		}
	}

	if !slices.Contains(ChildrenRemovedChoices, r.ChildrenRemoved) {
		f["childrenRemoved"] = r.say("Select how many of your children have been removed from your care", "Select how many of her children have been removed from her care")
	}
	for key, a := range map[string]Answer{"careExperienced": r.CareExperienced, "childrenInCare": r.ChildrenInCare} {
		if a != AnswerYes && a != AnswerNo && a != AnswerUnknown {
			f[key] = "Choose one of the answers"
		}
	}

	switch {
	case r.Source == ReferralSelf && r.Consent != ConsentGiven:
		f["consent"] = "Tick the box to agree to us keeping your details and passing them to a Practice, so they can contact you"
	case r.Consent == ConsentDeclined:
		f["consent"] = "She has said no to this referral, so Haven cannot accept it. Talk to her about it first, or ask the Practice for advice without giving her details"
	case r.Consent != ConsentGiven && r.Consent != ConsentNotAsked:
		f["consent"] = "Select whether she has agreed to this referral"
	}

	if r.Source == ReferralProfessional {
		referralName(f, "referrerName", "Your name", r.Referrer.Name, true)
		referralText(f, "referrerOrganisation", "Your organisation", r.Referrer.Organisation, true, maxReferralShort, false)
		noBidi(f, "referrerOrganisation", "Your organisation", r.Referrer.Organisation)
		referralText(f, "referrerRole", "Your role", r.Referrer.Role, true, maxReferralShort, false)
		referralText(f, "referrerContact", "Your phone number or email address", r.Referrer.Contact, true, maxReferralShort, false)
		referralText(f, "proceedings", "Dates of care proceedings", r.Proceedings, false, maxProceedings, true)
		referralText(f, "situation", "Her current situation", r.Situation, false, maxReferralLong, true)
		referralText(f, "risks", "Risks", r.Risks, false, maxReferralLong, true)
	}
	if len(f) > 0 {
		return haven.Invalid(f)
	}
	return nil
}

// Cohort is a group of women Practices work with (DOMAIN.md §1.2).
type Cohort string

const (
	CohortOneRemoved       Cohort = "one-removed"
	CohortTwoOrMoreRemoved Cohort = "two-or-more-removed"
	CohortCareExperienced  Cohort = "care-experienced"
	CohortYoungWoman       Cohort = "intervening-earlier"
	CohortNoChildrenInCare Cohort = "no-children-in-care"
)

// YoungWomanAges bounds the "intervening earlier" cohort. Pause names 16 as
// the lower bound; the upper bound is Haven's, to keep the cohort to young women.
const (
	YoungWomanFrom  = 16
	YoungWomanUntil = 25 // exclusive
)

// CohortAdvice is one cohort that may apply, with what it means.
type CohortAdvice struct {
	Cohort Cohort
	Title  string
	Advice string
}

// Screening is advice for whoever triages a referral. It never decides:
// there is deliberately no "eligible" answer, because eligibility is set per
// Practice and a person makes the decision (DOMAIN.md §1.2 and E).
type Screening struct {
	Age      int // her age today; -1 when her date of birth is not known
	Cohorts  []CohortAdvice
	Concerns []string
}

// AgeOn returns how old someone born on dob is on day, or -1 if dob is unknown.
func AgeOn(dob, day haven.Date) int {
	if dob.IsZero() || day.Before(dob) {
		return -1
	}
	b, d := dob.Time(), day.Time()
	age := d.Year() - b.Year()
	if d.Month() < b.Month() || (d.Month() == b.Month() && d.Day() < b.Day()) {
		age--
	}
	return age
}

// Screen lists the cohorts a referral may fit and anything to check before
// deciding. practiceLAs are the areas her Practice serves.
func Screen(r Referral, today haven.Date, practiceLAs []string) Screening {
	s := Screening{Age: AgeOn(r.DateOfBirth, today)}
	add := func(c Cohort, title, advice string) {
		s.Cohorts = append(s.Cohorts, CohortAdvice{c, title, advice})
	}
	young := s.Age >= YoungWomanFrom && s.Age < YoungWomanUntil
	switch r.ChildrenRemoved {
	case RemovedOne:
		add(CohortOneRemoved, "One child removed",
			"Some Practices work with women after a first removal; most work with women who have had two or more. Check whether this Practice takes this cohort.")
	case RemovedTwo, RemovedThreeOrMore:
		add(CohortTwoOrMoreRemoved, "Two or more children removed",
			"This is the group most Practices work with: women who have had children removed through repeated care proceedings.")
	}
	if r.CareExperienced == AnswerYes {
		add(CohortCareExperienced, "Care-experienced",
			"She may fit a care leavers pathway, where this Practice runs one.")
	}
	if young {
		add(CohortYoungWoman, fmt.Sprintf("Young woman, aged %d", s.Age),
			"Intervening Earlier works with young women aged 16 and over who are judged likely to benefit, sometimes before any removal.")
	}
	if r.ChildrenInCare == AnswerNo {
		add(CohortNoChildrenInCare, "No children in her care",
			"The programme works best when a woman has no children in her care.")
	}

	concern := func(format string, args ...any) { s.Concerns = append(s.Concerns, fmt.Sprintf(format, args...)) }
	switch {
	case s.Age < 0:
		concern("Her date of birth is not known: check her age when you first speak to her.")
	case s.Age < YoungWomanFrom:
		concern("She is %d. Practices work with young women aged 16 and over: consider which other services could support her.", s.Age)
	}
	if r.ChildrenRemoved == RemovedNone && !young {
		concern("No children have been removed from her care so far. Most Practices work with women who have had children removed: check whether this Practice, or another service, fits her better.")
	}
	switch r.ChildrenInCare {
	case AnswerYes:
		concern("She has children in her care. The programme works best when a woman has none in her care: consider whether it fits her now.")
	case AnswerUnknown:
		concern("It is not known whether she has children in her care: ask when you first speak to her.")
	}
	if r.Consent == ConsentNotAsked {
		concern("She has not yet been asked about this referral. Make sure she agrees before anything else happens.")
	}
	switch la, known := access.LocalAuthorityByCode(r.LACode); {
	case r.LACode == "":
		concern("Her local authority is not known, or she lives outside England: check where she lives.")
	case known && len(practiceLAs) > 0 && !slices.Contains(practiceLAs, r.LACode):
		concern("She lives in %s, which this Practice does not serve: consider referring her on.", la.Name)
	}
	if len(r.Contact.Channels) == 0 && !r.Contact.ViaProfessional {
		concern("She has not said how it is safe to contact her: ask at the first contact before using any other way.")
	}
	if r.Risks != "" {
		concern("The referrer has noted risks: read them before anyone contacts her.")
	}
	return s
}

// PossibleMatch reports whether p may be the woman referred: the same first
// and last names, or the same last name and date of birth. It only suggests;
// a person checks.
func (r Referral) PossibleMatch(p Person) bool {
	same := func(a, b string) bool { return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b)) }
	if !same(r.LastName, p.LastName) || r.LastName == "" {
		return false
	}
	return same(r.FirstName, p.FirstName) || (!r.DateOfBirth.IsZero() && r.DateOfBirth == p.DateOfBirth)
}

// NewPerson is the record an accepted referral becomes: everything the
// referral said about her, so that nobody contacts her in a way she said is
// unsafe. The referrer is kept as one of the people around her (Referrer).
func (r Referral) NewPerson() Person {
	p := Person{PracticeID: r.PracticeID, FirstName: r.FirstName, LastName: r.LastName, DateOfBirth: r.DateOfBirth,
		LACode: r.LACode, CareExperienced: r.CareExperienced, CommunicationNeeds: r.CommunicationNeeds}
	if p.CareExperienced == "" {
		p.CareExperienced = AnswerUnknown
	}
	r.applyContact(&p)
	return p
}

// applyContact writes what the referral says of reaching her onto p: her
// newest word on safe contact replaces the record's; what it leaves out
// leaves the record's as it was.
func (r Referral) applyContact(p *Person) {
	c := r.Contact
	if len(c.Channels) > 0 {
		p.SafeContact.Channels = nil
		for _, ch := range c.Channels {
			p.SafeContact.Channels = append(p.SafeContact.Channels, string(ch))
		}
	}
	if c.SafeTimes != "" {
		p.SafeContact.Times = c.SafeTimes
	}
	p.SafeContact.NoVoicemail = p.SafeContact.NoVoicemail || c.NoVoicemail
	if c.ViaProfessional {
		p.SafeContact.ViaProfessional = strings.TrimSpace(c.ViaName + ", " + c.ViaContact)
	}
	// A way she did not tick as safe is not safe; with nothing ticked, nobody knows.
	safe := func(ok bool) Answer {
		switch {
		case len(c.Channels) == 0:
			return AnswerUnknown
		case ok:
			return AnswerYes
		}
		return AnswerNo
	}
	if r.Phone != "" {
		p.Contact.Phone = ContactDetail{Value: r.Phone, Safe: safe(c.Allows(ChannelPhone) || c.Allows(ChannelText))}
	}
	if r.Email != "" {
		p.Contact.Email = ContactDetail{Value: r.Email, Safe: safe(c.Allows(ChannelEmail))}
	}
}

// MergeInto brings a re-referral's news onto the record of the woman it is
// about: her newest contact details and safe-contact wishes, care experience
// where the record does not know it, and communication needs not yet noted.
func (r Referral) MergeInto(p Person) Person {
	r.applyContact(&p)
	if (p.CareExperienced == "" || p.CareExperienced == AnswerUnknown) && r.CareExperienced != "" {
		p.CareExperienced = r.CareExperienced
	}
	if n := r.CommunicationNeeds; n != "" && !strings.Contains(p.CommunicationNeeds, n) {
		p.CommunicationNeeds = strings.TrimSpace(p.CommunicationNeeds + "\n" + n)
	}
	if p.LACode == "" {
		p.LACode = r.LACode
	}
	if p.DateOfBirth.IsZero() {
		p.DateOfBirth = r.DateOfBirth
	}
	return p
}

// ReferrerAround is the professional who referred her, as one of the people
// around her; ok is false for a referral with no professional named.
func (r Referral) ReferrerAround() (a PersonAround, ok bool) {
	if r.Source != ReferralProfessional || r.Referrer.Name == "" {
		return a, false
	}
	rel := "Referred her"
	if parts := strings.Trim(strings.Join([]string{r.Referrer.Role, r.Referrer.Organisation}, ", "), ", "); parts != "" {
		rel = "Referred her (" + parts + ")"
	}
	a = PersonAround{Name: r.Referrer.Name, Relationship: truncate(rel, 100), Notes: truncate(strings.TrimSpace("Referral "+r.Ref+". Contact: "+r.Referrer.Contact), 2000)}
	return a, true
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// Outcome is what triage decided.
type Outcome struct {
	Status ReferralStatus // accepted, declined, waiting-list or referred-on
	Reason string         // why it was declined
	To     string         // who she was referred on to
}

// CheckOutcome checks that o may be recorded for r, listing problems by
// field. A referral with an outcome is a conflict; an accepted one whose
// record was not made may be accepted again, to finish the job.
func (r Referral) CheckOutcome(o Outcome) error {
	unfinished := r.Status == ReferralAccepted && r.PersonID == 0
	if !r.Status.Open() && !(unfinished && o.Status == ReferralAccepted) {
		return haven.Errorf(haven.KindConflict, "This referral already has an outcome: %s.", strings.ToLower(r.Status.Title()))
	}
	f := map[string]string{}
	switch o.Status {
	case ReferralAccepted:
	case ReferralWaiting:
		if r.Status == ReferralWaiting {
			f["outcome"] = "She is already on the waiting list: choose another outcome"
		}
	case ReferralDeclined:
		referralText(f, "reason", "Why the referral is declined", strings.TrimSpace(o.Reason), true, 1000, true)
	case ReferralReferredOn:
		referralText(f, "to", "Who she is referred on to", strings.TrimSpace(o.To), true, maxReferralShort, false)
	default:
		f["outcome"] = "Choose what happens to this referral"
	}
	if len(f) > 0 {
		return haven.Invalid(f)
	}
	return nil
}
