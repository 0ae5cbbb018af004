package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/programme"
	"haven/internal/store"
)

// People pages. Every view of a record is written to the audit trail before
// the page is sent; if that write fails, the page is not shown.

type peoplePage struct {
	Layout
	People   []programme.Listed
	Names    map[int64]string // practitioners by user ID
	Next     int64
	CanAdd   bool
	LANames  map[string]string
	Query    string // as typed into the search box
	Searched bool   // showing search results rather than the whole list
}

func (s *Server) viewEvent(r *http.Request, id int64, section string) audit.Event {
	e := s.auditEvent(r, audit.View)
	e.RecordType, e.Section = "person", section
	if id != 0 {
		e.RecordID = itoa(id)
	}
	return e
}

func (s *Server) practitionerNames(r *http.Request, practiceIDs []int64) (map[int64]string, error) {
	names := map[int64]string{}
	for _, id := range practiceIDs {
		us, err := s.store.Practitioners(r.Context(), id)
		if err != nil {
			return nil, err
		}
		for _, u := range us {
			names[u.ID] = u.DisplayName
		}
	}
	return names, nil
}

func (s *Server) peopleList(w http.ResponseWriter, r *http.Request) error {
	actor := infoFrom(r.Context()).actor
	pg := pageParam(r)
	people, err := s.store.ListPeopleFor(r.Context(), actor, pg)
	if err != nil {
		return err
	}
	p, err := s.peopleListPage(r, actor, people, pg)
	if err != nil {
		return err
	}
	if err := s.store.Audit(r.Context(), s.viewEvent(r, 0, "list")); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "people.html", p)
}

// personForm is the details form, as typed.
type personForm struct {
	FirstName, LastName, PreferredName, Pronouns string
	DOBDay, DOBMonth, DOBYear                    string
	LACode, CommunicationNeeds                   string
	CareExperienced                              string // yes, no or unknown
	AddressConfidential                          bool
	Phone, OtherPhone, Email, Address            string
	PhoneSafe, OtherPhoneSafe, EmailSafe         string
	AddressSafe                                  string
	Practice, Practitioner                       string
	Version                                      string
	SafeChannels                                 []string
	SafeTimes, ViaProfessional                   string
	NoVoicemail                                  bool
}

// Channel reports whether a safe channel is ticked, for the checkboxes.
func (f personForm) Channel(c string) bool {
	for _, x := range f.SafeChannels {
		if x == c {
			return true
		}
	}
	return false
}

func formFromPerson(p programme.Person) personForm {
	d, m, y := p.DateOfBirth.Parts()
	return personForm{FirstName: p.FirstName, LastName: p.LastName, PreferredName: p.PreferredName, Pronouns: p.Pronouns,
		DOBDay: d, DOBMonth: m, DOBYear: y, LACode: p.LACode, CommunicationNeeds: p.CommunicationNeeds,
		CareExperienced: string(p.CareExperienced), AddressConfidential: p.AddressConfidential,
		Phone: p.Contact.Phone.Value, PhoneSafe: string(p.Contact.Phone.Safe), OtherPhone: p.Contact.OtherPhone.Value,
		OtherPhoneSafe: string(p.Contact.OtherPhone.Safe), Email: p.Contact.Email.Value, EmailSafe: string(p.Contact.Email.Safe),
		Address: p.Contact.Address.Value, AddressSafe: string(p.Contact.Address.Safe),
		Practice: itoa(p.PracticeID), Practitioner: itoa(p.PractitionerID), Version: itoa(p.Version),
		SafeChannels: p.SafeContact.Channels, SafeTimes: p.SafeContact.Times, ViaProfessional: p.SafeContact.ViaProfessional, NoVoicemail: p.SafeContact.NoVoicemail}
}

func readPersonForm(r *http.Request) personForm {
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	return personForm{FirstName: v("firstName"), LastName: v("lastName"), PreferredName: v("preferredName"), Pronouns: v("pronouns"),
		DOBDay: v("dateOfBirth-day"), DOBMonth: v("dateOfBirth-month"), DOBYear: v("dateOfBirth-year"),
		LACode: v("laCode"), CommunicationNeeds: v("communicationNeeds"),
		CareExperienced: v("careExperienced"), AddressConfidential: r.PostFormValue("addressConfidential") == "yes",
		Phone: v("phone"), PhoneSafe: v("phoneSafe"), OtherPhone: v("otherPhone"), OtherPhoneSafe: v("otherPhoneSafe"),
		Email: v("email"), EmailSafe: v("emailSafe"), Address: v("address"), AddressSafe: v("addressSafe"),
		Practice: v("practice"), Practitioner: v("practitioner"), Version: v("version"),
		SafeChannels: r.PostForm["safeChannels"], SafeTimes: v("safeTimes"), ViaProfessional: v("viaProfessional"), NoVoicemail: r.PostFormValue("noVoicemail") == "yes"}
}

// checked turns the form into a Person and lists every problem with it at once.
func (f personForm) checked(today time.Time) (programme.Person, map[string]string) {
	fields := map[string]string{}
	p := f.person(fields)
	if he, ok := errors.AsType[*haven.Error](p.Validate(today)); ok {
		for k, v := range he.Fields {
			if _, dup := fields[k]; !dup {
				fields[k] = v
			}
		}
	}
	return p, fields
}

// person turns the form into a Person, collecting field errors.
func (f personForm) person(fields map[string]string) programme.Person {
	p := programme.Person{FirstName: f.FirstName, LastName: f.LastName, PreferredName: f.PreferredName, Pronouns: f.Pronouns,
		LACode: f.LACode, CommunicationNeeds: f.CommunicationNeeds, CareExperienced: programme.Answer(f.CareExperienced), AddressConfidential: f.AddressConfidential,
		SafeContact: programme.ContactPrefs{Channels: f.SafeChannels, Times: f.SafeTimes, NoVoicemail: f.NoVoicemail, ViaProfessional: f.ViaProfessional},
		Contact: programme.ContactDetails{Phone: programme.ContactDetail{Value: f.Phone, Safe: programme.Answer(f.PhoneSafe)},
			OtherPhone: programme.ContactDetail{Value: f.OtherPhone, Safe: programme.Answer(f.OtherPhoneSafe)},
			Email:      programme.ContactDetail{Value: f.Email, Safe: programme.Answer(f.EmailSafe)},
			Address:    programme.ContactDetail{Value: f.Address, Safe: programme.Answer(f.AddressSafe)}}}
	dob, err := haven.ParseDateParts("Date of birth", f.DOBDay, f.DOBMonth, f.DOBYear)
	if err != nil {
		fields["dateOfBirth"] = err.Error()
	}
	p.DateOfBirth = dob
	p.PracticeID, _ = strconv.ParseInt(f.Practice, 10, 64)
	p.PractitionerID, _ = strconv.ParseInt(f.Practitioner, 10, 64)
	p.Version, _ = strconv.ParseInt(f.Version, 10, 64)
	return p
}

type personFormPage struct {
	Layout
	Ref           string
	Form          personForm
	Practices     []store.Tenant
	Practitioners []access.User
	LAs           []access.LocalAuthority
	Conflict      *programme.Person // the record as it is now, when an edit was stale
	HideContact   bool              // her address is confidential and this user may not see her contact details
}

// contactField is one of her contact details on the form, with "safe to use?".
type contactField struct {
	Name, Label, Short, Hint, Value, Safe, Error, SafeError string
	Multiline                                               bool
	MaxLength                                               int // a multiline field's limit, for its character count
}

// ContactFields are her contact details as the form shows them, with their errors.
func (p *personFormPage) ContactFields() []contactField {
	f := p.Form
	fs := []contactField{
		{Name: "phone", Label: "Mobile phone (optional)", Short: "mobile phone", Value: f.Phone, Safe: f.PhoneSafe},
		{Name: "otherPhone", Label: "Other phone (optional)", Short: "other phone", Value: f.OtherPhone, Safe: f.OtherPhoneSafe},
		{Name: "email", Label: "Email address (optional)", Short: "email address", Value: f.Email, Safe: f.EmailSafe},
		{Name: "address", Label: "Postal address (optional)", Short: "postal address", Hint: "Include the postcode", Value: f.Address, Safe: f.AddressSafe, Multiline: true, MaxLength: programme.MaxAddressLen},
	}
	for i := range fs {
		fs[i].Error, fs[i].SafeError = p.ErrorFor(fs[i].Name), p.ErrorFor(fs[i].Name+"Safe")
	}
	return fs
}

// Answers are the choices for "safe to use?" and "care-experienced".
func (p *personFormPage) Answers() []programme.Answer {
	return []programme.Answer{programme.AnswerYes, programme.AnswerNo, programme.AnswerUnknown}
}

// SafeChannels are the checkboxes for safe ways to contact her.
func (p *personFormPage) SafeChannels() []string { return programme.SafeChannels }

var personFieldOrder = []string{"practice", "firstName", "lastName", "preferredName", "pronouns", "dateOfBirth", "laCode", "careExperienced",
	"phone", "phoneSafe", "otherPhone", "otherPhoneSafe", "email", "emailSafe", "address", "addressSafe",
	"safeChannels", "safeTimes", "viaProfessional", "communicationNeeds", "practitioner"}

func (s *Server) newPersonPage(r *http.Request, f personForm) (*personFormPage, error) {
	actor := infoFrom(r.Context()).actor
	p := &personFormPage{Layout: Layout{Title: "Add a person", Nav: "people"}, Form: f}
	for _, m := range actor.Memberships {
		if m.TenantKind == access.TenantPractice && m.Role.Has(access.PermCaseAllocate) {
			p.Practices = append(p.Practices, store.Tenant{Kind: m.TenantKind, ID: m.TenantID, Slug: m.TenantSlug, Name: m.TenantName})
			us, err := s.store.Practitioners(r.Context(), m.TenantID)
			if err != nil {
				return nil, err
			}
			p.Practitioners = append(p.Practitioners, us...)
		}
	}
	if len(p.Practices) == 1 && f.Practice == "" {
		p.Form.Practice = itoa(p.Practices[0].ID)
	}
	_, las, err := s.laIndex(r.Context())
	p.LAs = las
	return p, err
}

func (s *Server) personNewForm(w http.ResponseWriter, r *http.Request) error {
	p, err := s.newPersonPage(r, personForm{})
	if err != nil {
		return err
	}
	if len(p.Practices) == 0 {
		return haven.ErrForbidden
	}
	return s.render(w, r, http.StatusOK, "person-form.html", p)
}

func (s *Server) personCreate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := readPersonForm(r)
	person, fields := f.checked(s.now())
	if len(fields) == 0 {
		created, err := s.store.CreatePerson(r.Context(), s.auditEvent(r, audit.Create), infoFrom(r.Context()).actor, person)
		if d, ok := duplicateOf(err); ok {
			created.Ref, err = d.Ref, nil // sent twice: go where the first went
		}
		if he, ok := errors.AsType[*haven.Error](err); ok && he.Kind == haven.KindInvalid {
			fields = he.Fields
		} else if err != nil {
			return err
		} else {
			s.saved(w, r, "/people/"+created.Ref, "person-created")
			return nil
		}
	}
	p, err := s.newPersonPage(r, f)
	if err != nil {
		return err
	}
	p.Errors = fieldErrors(fields, personFieldOrder...)
	return s.render(w, r, http.StatusUnprocessableEntity, "person-form.html", p)
}

// personPage is one person's record.
type personPage struct {
	Layout
	Person        programme.Person
	Access        programme.Access
	Practitioner  string
	LAName        string
	Sections      []sectionView
	Practitioners []access.User
	BreakGlass    []store.BreakGlassUse
	Reason        string
	Enrolments    []enrolmentView
	Settings      programme.Settings
	Caseload      int
	Referral      enrolmentForm // the start-enrolment form, as typed
	PhaseForm     enrolmentForm // the phase form, as typed
	Transfer      *store.Transfer
	Practices     []access.Practice // where she could move to
	Around        []programme.PersonAround
	AroundForm    programme.PersonAround
	Referrals     []programme.Referral // referrals in, for those who triage in her Practice
	Unexplained   int                  // changes to her contact she was not told the reason for
	ShowContact   bool                 // her phone numbers, email and address (programme.ContactVisible)
}

// OpenEnrolment is her current enrolment, if she has one.
func (p *personPage) OpenEnrolment() *enrolmentView {
	for i := range p.Enrolments {
		if p.Enrolments[i].Phase.Open() {
			return &p.Enrolments[i]
		}
	}
	return nil
}

// OverCap reports whether her practitioner's caseload is above the Practice's cap.
func (p *personPage) OverCap() bool {
	return p.Caseload > p.Settings.CaseloadCap && p.Settings.CaseloadCap > 0
}

type sectionView struct {
	Section programme.Section
	Note    programme.RestrictedNote
	Visible bool
}

// recordForm reads the form sent to a person's record and loads her as the
// actor may see her; without access to her record, she is refused (refuseRecord).
func (s *Server) recordForm(r *http.Request) (programme.Person, programme.Access, error) {
	if err := parseForm(r); err != nil {
		return programme.Person{}, programme.Access{}, err
	}
	p, acc, err := s.personFor(r)
	if err == nil && !acc.Record {
		err = refuseRecord(p, acc)
	}
	return p, acc, err
}

// personFor loads the person named in the URL as the actor may see her.
func (s *Server) personFor(r *http.Request) (programme.Person, programme.Access, error) {
	ref := r.PathValue("ref")
	if len(ref) != 12 {
		return programme.Person{}, programme.Access{}, haven.ErrNotFound
	}
	return s.store.PersonFor(r.Context(), infoFrom(r.Context()).actor, ref)
}

func (s *Server) personPageData(r *http.Request, p programme.Person, acc programme.Access) (*personPage, error) {
	page := &personPage{Layout: Layout{Title: p.Name(), Nav: "people"}, Person: p, Access: acc, ShowContact: programme.ContactVisible(p, acc)}
	if !acc.Record {
		page.Title = "Restricted record"
		return page, nil
	}
	var notes map[programme.Section]programme.RestrictedNote
	if acc.Restricted {
		var err error
		if notes, err = s.store.RestrictedNotes(r.Context(), p.ID); err != nil {
			return nil, err
		}
	}
	for _, sec := range programme.Sections {
		page.Sections = append(page.Sections, sectionView{Section: sec, Note: notes[sec], Visible: acc.Restricted})
	}
	us, err := s.store.Practitioners(r.Context(), p.PracticeID)
	if err != nil {
		return nil, err
	}
	page.Practitioners = us
	for _, u := range us {
		if u.ID == p.PractitionerID {
			page.Practitioner = u.DisplayName
		}
	}
	if p.LACode != "" {
		idx, _, err := s.laIndex(r.Context())
		if err != nil {
			return nil, err
		}
		page.LAName = idx[p.LACode].Name
	}
	if acc.AccessLog {
		if page.BreakGlass, err = s.store.BreakGlassUses(r.Context(), p.ID); err != nil {
			return nil, err
		}
	}
	if err := s.addEnrolments(r, page); err != nil {
		return nil, err
	}
	if page.Around, err = s.store.PeopleAround(r.Context(), p.ID); err != nil {
		return nil, err
	}
	if page.Referrals, err = s.store.ReferralsForPerson(r.Context(), infoFrom(r.Context()).actor, p.ID); err != nil {
		return nil, err
	}
	if page.Unexplained, err = s.store.UnexplainedChanges(r.Context(), p.ID); err != nil {
		return nil, err
	}
	if acc.Allocate {
		if t, ok, err := s.store.PendingTransfer(r.Context(), p.ID); err != nil {
			return nil, err
		} else if ok {
			page.Transfer = &t
		}
		all, err := s.store.ListPractices(r.Context(), store.Page{Limit: 500})
		if err != nil {
			return nil, err
		}
		for _, pr := range all {
			if pr.ID != p.PracticeID {
				page.Practices = append(page.Practices, pr)
			}
		}
	}
	return page, nil
}

func (s *Server) personShow(w http.ResponseWriter, r *http.Request) error {
	p, acc, err := s.personFor(r)
	if err != nil {
		return err
	}
	page, err := s.personPageData(r, p, acc)
	if err != nil {
		return err
	}
	if acc.Record {
		section := "details"
		if acc.Restricted {
			section = "details,restricted"
		}
		// Durable before the page is sent: no audit row, no page.
		if err := s.store.Audit(r.Context(), s.viewEvent(r, p.ID, section)); err != nil {
			return err
		}
	}
	status := http.StatusOK
	if !acc.Record {
		status = http.StatusForbidden
	}
	return s.render(w, r, status, "person.html", page)
}

func (s *Server) personEditForm(w http.ResponseWriter, r *http.Request) error {
	p, acc, err := s.personFor(r)
	if err != nil {
		return err
	}
	if !acc.Record {
		return refuseRecord(p, acc)
	}
	if err := s.store.Audit(r.Context(), s.viewEvent(r, p.ID, "details")); err != nil {
		return err
	}
	_, las, err := s.laIndex(r.Context())
	if err != nil {
		return err
	}
	page := &personFormPage{Layout: Layout{Title: "Change " + p.Name() + "'s details", Nav: "people"}, Ref: p.Ref, Form: formFromPerson(p), LAs: las,
		HideContact: !programme.ContactVisible(p, acc)}
	if page.HideContact {
		page.Form.Phone, page.Form.OtherPhone, page.Form.Email, page.Form.Address = "", "", "", ""
	}
	return s.render(w, r, http.StatusOK, "person-form.html", page)
}

func (s *Server) personUpdate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	current, acc, err := s.personFor(r)
	if err != nil {
		return err
	}
	if !acc.Record {
		return refuseRecord(current, acc)
	}
	f := readPersonForm(r)
	edited, fields := f.checked(s.now())
	edited.ID, edited.Ref, edited.PracticeID, edited.PractitionerID = current.ID, current.Ref, current.PracticeID, current.PractitionerID
	hide := !programme.ContactVisible(current, acc)
	if hide {
		// She may not see them, so the form did not send them: keep what is recorded.
		edited.Contact, edited.AddressConfidential = current.Contact, current.AddressConfidential
		delete(fields, "phone")
		delete(fields, "otherPhone")
		delete(fields, "email")
		delete(fields, "address")
	}
	page := &personFormPage{Layout: Layout{Title: "Change " + current.Name() + "'s details", Nav: "people"}, Ref: current.Ref, Form: f, HideContact: hide}
	if len(fields) == 0 {
		_, err = s.store.UpdatePerson(r.Context(), s.auditEvent(r, audit.Update), edited)
		switch {
		case err == nil:
			s.saved(w, r, "/people/"+current.Ref, "person")
			return nil
		case errors.Is(err, haven.ErrConflict):
			// Keep what they typed, show what changed, and let them save again over the new version.
			page.Conflict = &current
			page.Form.Version = itoa(current.Version)
			page.Errors = []FieldError{{"firstName", "Someone else changed these details while you were editing. Check the current details below, then save again"}}
			if _, las, err := s.laIndex(r.Context()); err == nil {
				page.LAs = las
			}
			return s.render(w, r, http.StatusConflict, "person-form.html", page)
		default:
			he, ok := errors.AsType[*haven.Error](err)
			if !ok || he.Kind != haven.KindInvalid {
				return err
			}
			fields = he.Fields
		}
	}
	_, las, err := s.laIndex(r.Context())
	if err != nil {
		return err
	}
	page.LAs = las
	page.Errors = fieldErrors(fields, personFieldOrder...)
	return s.render(w, r, http.StatusUnprocessableEntity, "person-form.html", page)
}

func (s *Server) breakGlass(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	p, acc, err := s.personFor(r)
	if err != nil {
		return err
	}
	actor := infoFrom(r.Context()).actor
	if !acc.BreakGlass {
		// Refused, unless this is a repeat of the send that broke the glass.
		d, err := s.store.Claimed(r.Context(), actor.User.ID, store.KindBreakGlass, p.ID)
		if err != nil {
			return err
		}
		if d == nil {
			return haven.ErrForbidden
		}
		http.Redirect(w, r, "/people/"+p.Ref, http.StatusSeeOther)
		return nil
	}
	reason := r.PostFormValue("reason")
	if _, err := s.store.BreakGlass(r.Context(), s.auditEvent(r, audit.BreakGlass), p.ID, actor.User.ID, reason); isDuplicate(err) {
		http.Redirect(w, r, "/people/"+p.Ref, http.StatusSeeOther) // sent twice: the first opened the record
		return nil
	} else if err != nil {
		he, ok := errors.AsType[*haven.Error](err)
		if !ok || he.Kind != haven.KindInvalid {
			return err
		}
		page, perr := s.personPageData(r, p, acc)
		if perr != nil {
			return perr
		}
		page.Reason = reason
		page.Errors = fieldErrors(he.Fields, "reason")
		return s.render(w, r, http.StatusUnprocessableEntity, "person.html", page)
	}
	s.log.Warn("security event", "event", "break_glass", "request_id", infoFrom(r.Context()).id, "user_id", actor.User.ID)
	http.Redirect(w, r, "/people/"+p.Ref, http.StatusSeeOther)
	return nil
}

func (s *Server) allocate(w http.ResponseWriter, r *http.Request) error {
	p, acc, err := s.recordForm(r)
	if err != nil {
		return err
	}
	if !acc.Allocate {
		return haven.ErrForbidden
	}
	to, _ := strconv.ParseInt(r.PostFormValue("practitioner"), 10, 64)
	p.Version, _ = strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	action := r.PostFormValue("action")
	if action == "share" {
		err = s.store.Share(r.Context(), s.auditEvent(r, audit.Update), p, to, infoFrom(r.Context()).actor.User.ID)
	} else {
		err = s.store.Allocate(r.Context(), s.auditEvent(r, audit.Update), p, to)
	}
	if he, ok := errors.AsType[*haven.Error](err); ok && (he.Kind == haven.KindInvalid || he.Kind == haven.KindConflict) {
		page, perr := s.personPageData(r, p, acc)
		if perr != nil {
			return perr
		}
		msg := "Choose a practitioner in this Practice"
		if he.Kind == haven.KindConflict {
			msg = "The record changed while you were choosing, or she is already shared with them. Check and try again"
		}
		page.Errors = []FieldError{{"practitioner", msg}}
		return s.render(w, r, statusOf(err), "person.html", page)
	}
	if err != nil {
		return err
	}
	s.saved(w, r, "/people/"+p.Ref, map[bool]string{true: "shared", false: "allocation"}[action == "share"])
	return nil
}

type accessLogPage struct {
	Layout
	Person  programme.Person
	Lines   []auditLine
	Uses    []store.BreakGlassUse
	Users   []store.AuditUser // everyone in her log, to filter by
	Actions []audit.Action
	Filters auditFilters
	Next    string // the link to the next page
}

// recordActions are what can happen to her record, for the filter.
var recordActions = []audit.Action{audit.View, audit.Create, audit.Update, audit.Delete, audit.Export, audit.Print, audit.BreakGlass}

// accessLog is "who has seen this record", for the practice lead (S32): each
// view and change as a sentence, filtered by who, what and when.
func (s *Server) accessLog(w http.ResponseWriter, r *http.Request) error {
	p, acc, err := s.personFor(r)
	if err != nil {
		return err
	}
	if !acc.Record {
		return refuseRecord(p, acc)
	}
	if !acc.AccessLog {
		return haven.ErrForbidden
	}
	users, err := s.store.AccessLogUsers(r.Context(), p.ID)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	errs := map[string]string{}
	f, form := parseAuditFilters(q, recordActions, errs)
	if f.UserID != 0 && !slices.ContainsFunc(users, func(u store.AuditUser) bool { return u.ID == f.UserID }) {
		errs["user"] = "Choose someone from the list"
	}
	page := &accessLogPage{Layout: Layout{Title: "Who has seen " + p.Name() + "'s record", Nav: "people"}, Person: p, Users: users, Actions: recordActions, Filters: form}
	if len(errs) > 0 {
		page.Errors = fieldErrors(errs, "user", "action", "from", "to")
		return s.render(w, r, http.StatusUnprocessableEntity, "access-log.html", page)
	}
	entries, err := s.store.AccessLog(r.Context(), p.ID, f)
	if err != nil {
		return err
	}
	if page.Uses, err = s.store.BreakGlassUses(r.Context(), p.ID); err != nil {
		return err
	}
	if err := s.store.Audit(r.Context(), s.viewEvent(r, p.ID, "access-log")); err != nil {
		return err
	}
	page.Lines, page.Next = auditLines(entries, "her", nil), nextHref("/people/"+p.Ref+"/access-log", q, entries)
	return s.render(w, r, http.StatusOK, "access-log.html", page)
}

func (s *Server) addPersonAround(w http.ResponseWriter, r *http.Request) error {
	p, acc, err := s.recordForm(r)
	if err != nil {
		return err
	}
	a := programme.PersonAround{Name: strings.TrimSpace(r.PostFormValue("aroundName")), Relationship: strings.TrimSpace(r.PostFormValue("relationship")), Notes: strings.TrimSpace(r.PostFormValue("aroundNotes"))}
	err = s.store.AddPersonAround(r.Context(), s.auditEvent(r, audit.Create), p.ID, a)
	he, _ := errors.AsType[*haven.Error](err)
	if err == nil || isDuplicate(err) {
		s.saved(w, r, "/people/"+p.Ref+"#around", "around")
		return nil
	}
	if he == nil || he.Kind != haven.KindInvalid {
		return err
	}
	page, err := s.personPageData(r, p, acc)
	if err != nil {
		return err
	}
	page.AroundForm = a
	page.Errors = fieldErrors(he.Fields, "aroundName", "relationship", "aroundNotes")
	return s.render(w, r, http.StatusUnprocessableEntity, "person.html", page)
}

// ExitCategories are the early-exit categories offered on the phase form.
func (p *personPage) ExitCategories() []programme.ExitCategory { return programme.ExitCategories }
