// Package programme holds the Pause-model programme's records and rules:
// the people a Practice works with, who may see them, and (as it grows)
// referrals, enrolments, sessions and plans. It does no I/O.
package programme

import (
	"strings"
	"time"
	"unicode/utf8"

	"haven/internal/access"
	"haven/internal/haven"
)

// Person is a woman a Practice works with.
type Person struct {
	ID                  int64
	Ref                 string // random public reference, used in URLs
	PracticeID          int64
	PractitionerID      int64 // her dedicated practitioner; 0 until allocated
	FirstName           string
	LastName            string
	PreferredName       string
	Pronouns            string
	DateOfBirth         haven.Date
	LACode              string
	CareExperienced     Answer // yes, no or not known: "not known" is kept as such
	AddressConfidential bool
	CommunicationNeeds  string
	SafeContact         ContactPrefs
	Contact             ContactDetails
	Version             int64
	CreatedAt           time.Time
	UpdatedAt           time.Time
}

// ContactPrefs are how and when it is safe to reach her.
type ContactPrefs struct {
	Channels        []string // from SafeChannels
	Times           string   // e.g. "weekday mornings"
	NoVoicemail     bool
	ViaProfessional string // contact her through this named professional
}

// ContactDetails are the ways to reach her. Each says whether it is safe to
// use: a phone someone else reads, or an address she shares, can put her at risk.
type ContactDetails struct {
	Phone      ContactDetail // her mobile, usually
	OtherPhone ContactDetail
	Email      ContactDetail
	Address    ContactDetail // postal address, postcode included
}

// ContactDetail is one way to reach her and whether it is safe to use.
type ContactDetail struct {
	Value string
	Safe  Answer
}

// Empty reports whether no contact details are recorded.
func (c ContactDetails) Empty() bool {
	return c.Phone.Value == "" && c.OtherPhone.Value == "" && c.Email.Value == "" && c.Address.Value == ""
}

// ContactVisible reports whether this access may see her contact details:
// when her address is confidential, only her practitioner and the lead (and
// whoever has broken the glass) may.
func ContactVisible(p Person, a Access) bool {
	return a.Record && (!p.AddressConfidential || a.Restricted)
}

// SafeChannels are the ways she may say it is safe to contact her.
var SafeChannels = []string{"phone", "text", "email", "letter", "in person"}

// Allows reports whether she has said a channel is safe.
func (s ContactPrefs) Allows(channel string) bool {
	for _, c := range s.Channels {
		if c == channel {
			return true
		}
	}
	return false
}

// Name is how Haven addresses her: her preferred name if she has one.
func (p Person) Name() string { return displayName(p.FirstName, p.PreferredName, p.LastName) }

// Reference is her Haven reference as people read and say it.
func (p Person) Reference() string { return FormatRef(p.Ref) }

// FormatRef writes a record's random reference as people read it, in
// capitals and fours: abcdefghijkl is ABCD-EFGH-IJKL.
func FormatRef(ref string) string {
	if len(ref) != 12 {
		return strings.ToUpper(ref)
	}
	r := strings.ToUpper(ref)
	return r[:4] + "-" + r[4:8] + "-" + r[8:]
}

// ParseRef reads a Haven reference however it was typed (any case, with or
// without its hyphens or spaces), giving the form URLs use.
func ParseRef(s string) (string, bool) {
	r := strings.ToLower(strings.NewReplacer("-", "", " ", "").Replace(strings.TrimSpace(s)))
	if len(r) != 12 {
		return "", false
	}
	for _, c := range r {
		if !(c >= 'a' && c <= 'z' || c >= '2' && c <= '7') {
			return "", false
		}
	}
	return r, true
}

func displayName(first, preferred, last string) string {
	if preferred != "" {
		first = preferred
	}
	return strings.TrimSpace(first + " " + last)
}

// Listed is what a list of people shows of each woman: enough to name her
// and link to her record. Lists read only this, not her whole row.
type Listed struct {
	ID             int64
	Ref            string
	PracticeID     int64
	PractitionerID int64
	FirstName      string
	LastName       string
	PreferredName  string
	LACode         string
	DateOfBirth    haven.Date // with her reference, how two women of one name are told apart
}

// Name is as Person.Name.
func (p Listed) Name() string { return displayName(p.FirstName, p.PreferredName, p.LastName) }

// Reference is as Person.Reference.
func (p Listed) Reference() string { return FormatRef(p.Ref) }

// Identity is what tells her apart from another woman of the same name:
// her date of birth, if known, and her Haven reference.
func Identity(dob haven.Date, ref string) string {
	if dob.IsZero() {
		return "date of birth not recorded, " + FormatRef(ref)
	}
	return "born " + dob.Long() + ", " + FormatRef(ref)
}

func textField(f map[string]string, key, label, v string, required bool, max int) {
	n := utf8.RuneCountInString(strings.TrimSpace(v))
	switch {
	case required && n == 0:
		f[key] = "Enter " + strings.ToLower(label)
	case n > max:
		f[key] = haven.CharactersOrFewer(label, max)
	case haven.CheckText(v) != haven.TextOK:
		f[key] = haven.TextError(label, v)
	}
}

// nameField is textField for a name, which refuses as well the hidden
// characters that change the direction text is shown in (haven.CheckName):
// one of them lets a name display as another in a list.
func nameField(f map[string]string, key, label, v string, required bool, max int) {
	textField(f, key, label, v, required, max)
	noBidi(f, key, label, v)
}

// noBidi refuses a bidirectional control in a name or reference that has
// passed its other checks.
func noBidi(f map[string]string, key, label, v string) {
	if _, bad := f[key]; !bad && haven.CheckName(v) != haven.TextOK {
		f[key] = haven.NameError(label, v)
	}
}

// Validate checks a person's details, as of today.
func (p *Person) Validate(today time.Time) error {
	f := map[string]string{}
	nameField(f, "firstName", "First name", p.FirstName, true, 100)
	nameField(f, "lastName", "Last name", p.LastName, true, 100)
	nameField(f, "preferredName", "Preferred name", p.PreferredName, false, 100)
	textField(f, "pronouns", "Pronouns", p.Pronouns, false, 40)
	textField(f, "communicationNeeds", "Communication needs", p.CommunicationNeeds, false, 2000)
	textField(f, "safeTimes", "Safe times to contact her", p.SafeContact.Times, false, 500)
	// As long as a referral may give them, so that accepting one never fails on its own answers.
	nameField(f, "viaProfessional", "Contact her only through a named professional", p.SafeContact.ViaProfessional, false, 310)
	if p.CareExperienced == "" {
		p.CareExperienced = AnswerUnknown
	}
	if !validAnswer(p.CareExperienced) {
		f["careExperienced"] = "Choose whether she is care-experienced"
	}
	p.Contact.validate(f)
	for _, c := range p.SafeContact.Channels {
		ok := false
		for _, x := range SafeChannels {
			ok = ok || x == c
		}
		if !ok {
			f["safeChannels"] = "Choose safe ways to contact her from the list"
		}
	}
	checkBirth(f, "dateOfBirth", p.DateOfBirth, dateOf(today))
	if p.LACode != "" && !access.ValidLACode(p.LACode) {
		f["laCode"] = "Choose a local authority from the list"
	}
	if len(f) > 0 {
		return haven.Invalid(f)
	}
	return nil
}

func validAnswer(a Answer) bool { return a == AnswerYes || a == AnswerNo || a == AnswerUnknown }

// MaxAddressLen is the longest postal address, for the form's character count.
const MaxAddressLen = 500

// validate checks her contact details into f, keyed by the form's field names.
func (c *ContactDetails) validate(f map[string]string) {
	for _, d := range []struct {
		key, label string
		d          *ContactDetail
		lines      bool
		max        int
	}{{"phone", "Mobile phone", &c.Phone, false, 30}, {"otherPhone", "Other phone", &c.OtherPhone, false, 30},
		{"email", "Email address", &c.Email, false, 254}, {"address", "Postal address", &c.Address, true, MaxAddressLen}} {
		d.d.Value = strings.TrimSpace(d.d.Value)
		if d.d.Safe == "" || d.d.Value == "" {
			d.d.Safe = AnswerUnknown
		}
		referralText(f, d.key, d.label, d.d.Value, false, d.max, d.lines)
		if _, bad := f[d.key]; bad || d.d.Value == "" {
			continue
		}
		switch {
		case (d.key == "phone" || d.key == "otherPhone") && !validPhone(d.d.Value):
			f[d.key] = "Enter the " + strings.ToLower(d.label) + " number, like 07700 900 982 or +44 7700 900 982"
		case d.key == "email" && !validEmail(d.d.Value):
			f[d.key] = "Enter an email address in the correct format, like name@example.com"
		case !validAnswer(d.d.Safe):
			f[d.key+"Safe"] = "Choose whether it is safe to use"
		}
	}
}

// Section names a restricted part of a person's record.
type Section string

// The restricted sections (SECURITY S17): only the allocated practitioner and
// the practice lead read them; everyone else sees only that they exist.
const (
	SectionReproductiveHealth Section = "reproductive-health"
	SectionCriminalRecords    Section = "criminal-records"
	SectionPerpetrator        Section = "perpetrator"
)

// Sections lists the restricted sections in the order pages show them.
var Sections = []Section{SectionReproductiveHealth, SectionCriminalRecords, SectionPerpetrator}

// Title is the section's heading.
func (s Section) Title() string {
	switch s {
	case SectionReproductiveHealth:
		return "Reproductive and sexual health"
	case SectionCriminalRecords:
		return "Criminal records"
	case SectionPerpetrator:
		return "Perpetrator of abuse"
	}
	return string(s)
}

// ParseSection checks a section name from a URL or form.
func ParseSection(s string) (Section, bool) {
	for _, x := range Sections {
		if string(x) == s {
			return x, true
		}
	}
	return "", false
}

// RestrictedNote is the text of one restricted section.
type RestrictedNote struct {
	Section   Section
	Body      string
	Version   int64
	UpdatedBy int64
	UpdatedAt time.Time
}

// MaxRestrictedLen bounds a restricted section's text.
const MaxRestrictedLen = 20000

// RestrictedVersion is one version of a restricted section. Every version
// is kept; clearing a section is a version with no text and a reason.
type RestrictedVersion struct {
	Version int64
	Body    string
	Reason  string // why it was cleared
	ByName  string
	At      time.Time
}

// CheckRestricted checks a new version of a restricted section: text, or
// for a section that has some, nothing and a reason for clearing it.
// version is the version the writer started from; 0 for a new section.
func CheckRestricted(s Section, body, reason string, version int64) error {
	f := map[string]string{}
	body, reason = strings.TrimSpace(body), strings.TrimSpace(reason)
	switch n := utf8.RuneCountInString(body); {
	case n == 0 && version == 0:
		f["body"] = "Enter the " + strings.ToLower(s.Title()) + " notes"
	case n == 0 && utf8.RuneCountInString(reason) < 10:
		f["reason"] = "Say why you are clearing the " + strings.ToLower(s.Title()) + " notes, in at least 10 characters"
	case n > MaxRestrictedLen:
		f["body"] = s.Title() + " notes must be 20,000 characters or fewer"
	}
	if _, bad := f["body"]; !bad {
		referralText(f, "body", s.Title()+" notes", body, false, MaxRestrictedLen, true)
	}
	if _, bad := f["reason"]; !bad {
		referralText(f, "reason", "Why you are clearing them", reason, false, 1000, true)
	}
	if len(f) > 0 {
		return haven.Invalid(f)
	}
	return nil
}

// Relation is what the store knows about an actor and one person, read from
// live memberships in the same query as the record.
type Relation struct {
	Lead         bool // practice lead in her Practice
	Coordinator  bool // practice co-ordinator in her Practice
	Practitioner bool // practitioner in her Practice
	Allocated    bool // her dedicated practitioner
	Shared       bool // shared with the actor by the lead
	BreakGlass   bool // the actor broke the glass for her and it has not run out
}

// Access is what an actor may do with one person's record.
type Access struct {
	Record     bool // see and edit her record
	Restricted bool // read and write the restricted sections
	Allocate   bool // allocate, hand over or share her
	AccessLog  bool // see who has seen her record
	BreakGlass bool // may break the glass: in her Practice, not already allowed
	Lead       bool // the lead of her Practice, who answers safeguarding prompts
}

// Decide applies the record-level rules (SECURITY S16, S17):
//   - a lead or co-ordinator sees the whole Practice;
//   - a practitioner sees the people allocated to them and those shared with them;
//   - restricted sections are for the allocated practitioner and the lead;
//   - break-glass gives time-limited access to everything, recorded and shown to the lead.
func Decide(r Relation) Access {
	var a Access
	a.Record = r.Lead || r.Coordinator || (r.Practitioner && (r.Allocated || r.Shared)) || r.BreakGlass
	a.Restricted = r.Lead || (r.Practitioner && r.Allocated) || r.BreakGlass
	a.Allocate = r.Lead || r.Coordinator
	a.AccessLog = r.Lead
	a.Lead = r.Lead
	a.BreakGlass = (r.Coordinator || r.Practitioner) && !a.Restricted
	return a
}

// BreakGlassFor is how long break-glass access lasts.
const BreakGlassFor = time.Hour

// CheckBreakGlassReason checks the typed reason for breaking the glass.
func CheckBreakGlassReason(reason string) error {
	n := utf8.RuneCountInString(strings.TrimSpace(reason))
	switch {
	case n < 10:
		return haven.Invalid(map[string]string{"reason": "Explain why you need to see this record, in at least 10 characters"})
	case n > 1000:
		return haven.Invalid(map[string]string{"reason": "Reason must be 1000 characters or fewer"})
	}
	return nil
}

// PersonAround is someone in her life: family, a friend, a professional.
type PersonAround struct {
	ID           int64
	Name         string
	Relationship string
	Notes        string
}

// Validate checks a person around her before saving.
func (a *PersonAround) Validate() error {
	f := map[string]string{}
	nameField(f, "aroundName", "Name", a.Name, true, 200)
	textField(f, "relationship", "Relationship", a.Relationship, true, 100)
	textField(f, "aroundNotes", "Notes", a.Notes, false, 2000)
	if len(f) > 0 {
		return haven.Invalid(f)
	}
	return nil
}
