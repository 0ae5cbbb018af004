package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/auth"
	"haven/internal/haven"
	"haven/internal/programme"
	"haven/internal/store"
)

// Referrals: a woman referring herself and a professional referring her,
// both without an account; the professional form again for signed-in staff;
// and triage for a Practice's lead and co-ordinator. The public forms never
// say whether she is already known to a Practice.

// referralCookie carries the reference from a sent form to the page that
// shows it, so the reference never appears in a URL. It lasts ten minutes and
// is cleared once shown: on a shared phone, nobody else should find it.
const referralCookie = "__Host-haven_referral"

// newReferralLimit allows ten referrals from one address, then waits that
// double from a minute to an hour. A refuge or an office shares one address,
// so it is generous; it is there to stop floods, not people.
func newReferralLimit() *auth.Throttle {
	return &auth.Throttle{Free: 10, Base: time.Minute, Max: time.Hour}
}

func (s *Server) referralLimit() *auth.Throttle { return s.referralThrottle }

func referralLimitKey(r *http.Request) string { return "refer:" + clientIP(r) }

// referralForm is the referral form as typed, kept whole when it is sent back.
type referralForm struct {
	Practice                                                          string
	FirstName, LastName, DOBDay, DOBMonth, DOBYear                    string
	Phone, Email, LACode, Postcode                                    string
	Channels                                                          []string
	NoVoicemail, Via                                                  bool
	SafeTimes, ViaName, ViaContact                                    string
	CommunicationNeeds                                                string
	ChildrenRemoved, CareExperienced, ChildrenInCare, Consent         string
	ReferrerName, ReferrerOrganisation, ReferrerRole, ReferrerContact string
	Proceedings, Situation, Risks                                     string
	Website                                                           string // the honeypot: people never see it
}

// Ticked reports whether the channel's box was ticked.
func (f referralForm) Ticked(c programme.ContactChannel) bool {
	return slices.Contains(f.Channels, string(c))
}

// referralFields are the form's fields in page order, for the error summary.
var (
	selfReferralFields = []string{"firstName", "lastName", "dateOfBirth", "careExperienced", "laCode", "postcode", "phone", "email",
		"safeChannels", "viaName", "viaContact", "safeTimes", "communicationNeeds", "childrenRemoved", "childrenInCare", "consent"}
	proReferralFields = append([]string{"practice", "referrerName", "referrerOrganisation", "referrerRole", "referrerContact"},
		append(slices.Clone(selfReferralFields[:len(selfReferralFields)-1]), "proceedings", "situation", "risks", "consent")...)
)

// readReferralForm reads the form. Answers holding what no text field may
// (invalid UTF-8, control characters: haven.CheckText) are kept, with those
// characters shown as �, and marked for her to check: better than losing
// everything she typed.
func readReferralForm(r *http.Request) (referralForm, map[string]string, error) {
	if err := r.ParseForm(); err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return referralForm{}, nil, errTooLarge
		}
		return referralForm{}, nil, badRequest("The form could not be read. Go back and try again.")
	}
	unreadable := map[string]string{}
	for k, vs := range r.PostForm {
		for i, v := range vs {
			p := haven.CheckText(v)
			if p == haven.TextOK {
				continue
			}
			vs[i] = haven.ShowText(v)
			field, _, _ := strings.Cut(k, "-") // dateOfBirth-day is dateOfBirth
			switch {
			case !slices.Contains(proReferralFields, field):
			case p == haven.TextControl:
				unreadable[field] = "This answer had control characters Haven cannot keep, shown as \uFFFD. Check it, then send the form again"
			default:
				unreadable[field] = "This answer had characters Haven cannot read, shown as \uFFFD. Check it, then send the form again"
			}
		}
	}
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	f := referralForm{Practice: v("practice"), FirstName: v("firstName"), LastName: v("lastName"),
		DOBDay: v("dateOfBirth-day"), DOBMonth: v("dateOfBirth-month"), DOBYear: v("dateOfBirth-year"),
		Phone: v("phone"), Email: v("email"), LACode: v("laCode"), Postcode: v("postcode"),
		Channels: r.PostForm["safeChannels"], NoVoicemail: v("noVoicemail") == "yes", Via: v("via") == "yes",
		SafeTimes: v("safeTimes"), ViaName: v("viaName"), ViaContact: v("viaContact"), CommunicationNeeds: v("communicationNeeds"),
		ChildrenRemoved: v("childrenRemoved"), CareExperienced: v("careExperienced"), ChildrenInCare: v("childrenInCare"), Consent: v("consent"),
		ReferrerName: v("referrerName"), ReferrerOrganisation: v("referrerOrganisation"), ReferrerRole: v("referrerRole"), ReferrerContact: v("referrerContact"),
		Proceedings: v("proceedings"), Situation: v("situation"), Risks: v("risks"), Website: r.PostFormValue("website")}
	return f, unreadable, nil
}

// channels turns ticked boxes into channels in the form's order, once each;
// anything else is kept once so that validation names it.
func referralChannels(ticked []string) []programme.ContactChannel {
	var out []programme.ContactChannel
	for _, c := range programme.ContactChannels {
		if slices.Contains(ticked, string(c)) {
			out = append(out, c)
		}
	}
	for _, t := range ticked {
		if !slices.Contains(programme.ContactChannels, programme.ContactChannel(t)) {
			return append(out, programme.ContactChannel(t))
		}
	}
	return out
}

// referral turns the form into a Referral and lists every problem with it.
func (f referralForm) referral(source programme.ReferralSource, now time.Time) (programme.Referral, map[string]string) {
	fields := map[string]string{}
	r := programme.Referral{Source: source, FirstName: f.FirstName, LastName: f.LastName, Phone: f.Phone, Email: f.Email,
		LACode: f.LACode, PostcodeDistrict: f.Postcode,
		Contact: programme.SafeContact{Channels: referralChannels(f.Channels), NoVoicemail: f.NoVoicemail, SafeTimes: f.SafeTimes,
			ViaProfessional: f.Via, ViaName: f.ViaName, ViaContact: f.ViaContact},
		CommunicationNeeds: f.CommunicationNeeds,
		ChildrenRemoved:    programme.ChildrenRemoved(f.ChildrenRemoved), CareExperienced: programme.Answer(f.CareExperienced),
		ChildrenInCare: programme.Answer(f.ChildrenInCare), Consent: programme.Consent(f.Consent),
		Referrer:    programme.Referrer{Name: f.ReferrerName, Organisation: f.ReferrerOrganisation, Role: f.ReferrerRole, Contact: f.ReferrerContact},
		Proceedings: f.Proceedings, Situation: f.Situation, Risks: f.Risks}
	if source == programme.ReferralSelf {
		r.Consent = ""
		if f.Consent == "yes" {
			r.Consent = programme.ConsentGiven
		}
	}
	dob, err := haven.ParseDateParts("Date of birth", f.DOBDay, f.DOBMonth, f.DOBYear)
	if err != nil {
		fields["dateOfBirth"] = err.Error()
	}
	r.DateOfBirth = dob
	r.PracticeID, _ = strconv.ParseInt(f.Practice, 10, 64)
	checkReferral(&r, fields, now)
	return r, fields
}

// checkReferral tidies and validates r, adding its problems to fields
// without replacing any already there.
func checkReferral(r *programme.Referral, fields map[string]string, now time.Time) {
	r.Prepare()
	if he, ok := errors.AsType[*haven.Error](r.Validate(now)); ok {
		for k, v := range he.Fields {
			if _, dup := fields[k]; !dup {
				fields[k] = v
			}
		}
	}
}

// referralChoice is one radio button.
type referralChoice struct{ Value, Label string }

// referralRadios is what the page's "referral-radios" template needs.
type referralRadios struct {
	Name, Legend, Hint, Error, Value string
	Choices                          []referralChoice
}

// referralFormPage is the self-referral form, or the professional one
// (public, or for staff when Staff is set).
type referralFormPage struct {
	Layout
	Pro       bool
	Staff     bool
	Action    string
	Form      referralForm
	LAs       []access.LocalAuthority
	Practices []store.Tenant
	Channels  []programme.ContactChannel
	Busy      string // too many referrals from this address: wait, then send again
}

// Say picks the wording for a woman referring herself or a professional referring her.
func (p *referralFormPage) Say(self, pro string) string {
	if p.Pro {
		return pro
	}
	return self
}

// Radios describes one of the form's radio questions.
func (p *referralFormPage) Radios(name string) referralRadios {
	g := referralRadios{Name: name, Error: p.ErrorFor(name)}
	answers := []referralChoice{{"yes", "Yes"}, {"no", "No"}, {"unknown", p.Say("I would rather not say", "Not known")}}
	switch name {
	case "childrenRemoved":
		g.Legend = p.Say("How many of your children have been removed from your care?", "How many of her children have been removed from her care?")
		g.Hint = "Include children who were adopted, or who live with family or foster carers because of a court order."
		for _, c := range programme.ChildrenRemovedChoices {
			g.Choices = append(g.Choices, referralChoice{string(c), c.Title()})
		}
		g.Value = p.Form.ChildrenRemoved
	case "careExperienced":
		g.Legend = p.Say("Were you ever in care as a child? (optional)", "Is she care-experienced? (optional)")
		g.Hint = p.Say("For example, in foster care, a children’s home, or living with relatives arranged by children’s services.", "Was she ever in care as a child, for example in foster care or a children’s home?")
		g.Choices, g.Value = answers, p.Form.CareExperienced
	case "childrenInCare":
		g.Legend = p.Say("Are any of your children living with you and in your care at the moment? (optional)", "Are any of her children living with her and in her care at the moment? (optional)")
		g.Choices, g.Value = answers, p.Form.ChildrenInCare
	case "consent":
		g.Legend = "Has she agreed to this referral?"
		g.Hint = "Haven only accepts a referral she has agreed to, or one you have not yet been able to ask her about."
		for _, c := range []programme.Consent{programme.ConsentGiven, programme.ConsentNotAsked, programme.ConsentDeclined} {
			g.Choices = append(g.Choices, referralChoice{string(c), c.Title()})
		}
		g.Value = p.Form.Consent
	}
	return g
}

func (s *Server) newReferralFormPage(r *http.Request, pro, staff bool, f referralForm) (*referralFormPage, error) {
	p := &referralFormPage{Pro: pro, Staff: staff, Form: f, Channels: programme.ContactChannels}
	switch {
	case staff:
		p.Title, p.Action, p.Nav = "Add a referral", "/referrals/new", "triage"
		for _, m := range infoFrom(r.Context()).actor.Memberships {
			if m.TenantKind == access.TenantPractice && m.Role.Has(access.PermCaseEdit) && !slices.ContainsFunc(p.Practices, func(t store.Tenant) bool { return t.ID == m.TenantID }) {
				p.Practices = append(p.Practices, store.Tenant{Kind: m.TenantKind, ID: m.TenantID, Slug: m.TenantSlug, Name: m.TenantName})
			}
		}
		if len(p.Practices) == 1 && f.Practice == "" {
			p.Form.Practice = itoa(p.Practices[0].ID)
		}
	case pro:
		p.Title, p.Action = "Refer a woman to a Practice", "/refer/professional"
	default:
		p.Title, p.Action = "Ask a Practice to contact you", "/refer"
	}
	_, las, err := s.laIndex(r.Context())
	p.LAs = las
	return p, err
}

func (s *Server) renderReferralForm(w http.ResponseWriter, r *http.Request, status int, pro, staff bool, f referralForm, errs []FieldError) error {
	p, err := s.newReferralFormPage(r, pro, staff, f)
	if err != nil {
		return err
	}
	p.Errors = errs
	return s.render(w, r, status, "referral-form.html", p)
}

func (s *Server) referSelfForm(w http.ResponseWriter, r *http.Request) error {
	return s.renderReferralForm(w, r, http.StatusOK, false, false, referralForm{}, nil)
}

func (s *Server) referProfessionalForm(w http.ResponseWriter, r *http.Request) error {
	return s.renderReferralForm(w, r, http.StatusOK, true, false, referralForm{}, nil)
}

func (s *Server) referStaffForm(w http.ResponseWriter, r *http.Request) error {
	p, err := s.newReferralFormPage(r, true, true, referralForm{ReferrerName: infoFrom(r.Context()).actor.User.DisplayName})
	if err != nil {
		return err
	}
	if len(p.Practices) == 0 {
		return haven.ErrForbidden
	}
	return s.render(w, r, http.StatusOK, "referral-form.html", p)
}

func (s *Server) referSelf(w http.ResponseWriter, r *http.Request) error {
	return s.receiveReferral(w, r, programme.ReferralSelf, false)
}

func (s *Server) referProfessional(w http.ResponseWriter, r *http.Request) error {
	return s.receiveReferral(w, r, programme.ReferralProfessional, false)
}

func (s *Server) referStaff(w http.ResponseWriter, r *http.Request) error {
	return s.receiveReferral(w, r, programme.ReferralProfessional, true)
}

// referralWaitText says how long to wait, in whole minutes, rounded up.
func referralWaitText(wait time.Duration) string {
	mins := int((wait + time.Minute - 1) / time.Minute)
	if mins == 1 {
		return "1 minute"
	}
	return fmt.Sprintf("%d minutes", mins)
}

// receiveReferral takes a sent referral form. Public forms are limited per
// address, and a filled honeypot gets exactly the answer a person would, with
// nothing stored, so that bots learn nothing.
func (s *Server) receiveReferral(w http.ResponseWriter, r *http.Request, source programme.ReferralSource, staff bool) error {
	f, unreadable, err := readReferralForm(r)
	if err != nil {
		return err
	}
	pro := source == programme.ReferralProfessional
	order := selfReferralFields
	if pro {
		order = proReferralFields
	}
	now := s.now()
	if !staff {
		if wait := s.referralLimit().Wait(referralLimitKey(r), now); wait > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
			p, err := s.newReferralFormPage(r, pro, staff, f)
			if err != nil {
				return err
			}
			p.Busy = "Several referrals have been sent from this device or network in a short time. Wait " + referralWaitText(wait) + ", then send the form again. What you typed is kept below."
			return s.render(w, r, http.StatusTooManyRequests, "referral-form.html", p)
		}
	}
	if staff && f.Practice == "" {
		if p, err := s.newReferralFormPage(r, pro, staff, f); err == nil && len(p.Practices) == 1 {
			f.Practice = p.Form.Practice // their only Practice, as the hidden field would have said
		}
	}
	ref, fields := f.referral(source, now)
	for k, m := range unreadable {
		fields[k] = m
	}
	if len(fields) == 0 {
		var reference string
		var covered bool
		if staff {
			actor := infoFrom(r.Context()).actor
			var created programme.Referral
			created, err = s.store.CreateReferral(r.Context(), s.auditEvent(r, audit.Create), actor, ref)
			if d, ok := duplicateOf(err); ok {
				// Sent twice: go where the first went.
				created.Ref, created.PracticeID, err = d.Ref, ref.PracticeID, nil
			}
			if err == nil && actor.CanIn(access.PermCaseAllocate, access.TenantPractice, created.PracticeID) {
				s.saved(w, r, "/triage/"+created.Ref, "referral-entered")
				return nil
			}
			reference, covered = created.Ref, created.PracticeID != 0
		} else {
			reference, covered, err = s.takePublicReferral(r, ref, f.Website != "")
		}
		if err == nil || isDuplicate(err) {
			setReferralCookie(w, reference, source, covered)
			http.Redirect(w, r, "/refer/done", http.StatusSeeOther)
			return nil
		}
		he, ok := errors.AsType[*haven.Error](err)
		if !ok || he.Kind != haven.KindInvalid {
			return err
		}
		fields = he.Fields
	}
	return s.renderReferralForm(w, r, http.StatusUnprocessableEntity, pro, staff, f, fieldErrors(fields, order...))
}

// takePublicReferral stores a valid referral from the public forms or API and
// counts it against the address's limit. For a filled honeypot it stores
// nothing and makes up a reference, answering exactly as it would have.
// A repeat (same idempotency key) gives the first referral's reference with
// its *store.Duplicate error.
func (s *Server) takePublicReferral(r *http.Request, ref programme.Referral, honeypot bool) (reference string, covered bool, err error) {
	s.referralLimit().Fail(referralLimitKey(r), s.now())
	if honeypot {
		s.log.Info("referral honeypot filled", "event", "referral_honeypot", "request_id", infoFrom(r.Context()).id)
		practice, err := s.store.PracticeCovering(r.Context(), ref.LACode)
		return programme.NewReferralRef(), practice != 0, err
	}
	created, err := s.store.CreateReferral(r.Context(), s.auditEvent(r, audit.Create), nil, ref)
	if d, ok := duplicateOf(err); ok {
		practice, perr := s.store.PracticeCovering(r.Context(), ref.LACode)
		if perr != nil {
			return "", false, perr
		}
		return d.Ref, practice != 0, err
	}
	return created.Ref, created.PracticeID != 0, err
}

func setReferralCookie(w http.ResponseWriter, reference string, source programme.ReferralSource, covered bool) {
	v := reference + "." + string(source) + "." + map[bool]string{true: "1", false: "0"}[covered]
	http.SetCookie(w, &http.Cookie{Name: referralCookie, Value: v, Path: "/", MaxAge: 600, Secure: true, HttpOnly: true, SameSite: http.SameSiteStrictMode})
}

// referralDonePage thanks whoever sent a referral and gives its reference.
type referralDonePage struct {
	Layout
	Ref     string
	Pro     bool
	Covered bool
}

// Say picks the wording for a woman referring herself or a professional referring her.
func (p *referralDonePage) Say(self, pro string) string {
	if p.Pro {
		return pro
	}
	return self
}

func (s *Server) referDone(w http.ResponseWriter, r *http.Request) error {
	c, err := r.Cookie(referralCookie)
	var parts []string
	if err == nil {
		parts = strings.Split(c.Value, ".")
	}
	if len(parts) != 3 || !programme.ValidReferralRef(parts[0]) || (parts[1] != string(programme.ReferralSelf) && parts[1] != string(programme.ReferralProfessional)) {
		http.Redirect(w, r, "/refer", http.StatusSeeOther)
		return nil
	}
	http.SetCookie(w, &http.Cookie{Name: referralCookie, Value: "", Path: "/", MaxAge: -1, Secure: true, HttpOnly: true, SameSite: http.SameSiteStrictMode})
	p := &referralDonePage{Layout: Layout{Title: "Referral sent"}, Ref: parts[0], Pro: parts[1] == string(programme.ReferralProfessional), Covered: parts[2] == "1"}
	return s.render(w, r, http.StatusOK, "referral-done.html", p)
}

// Triage.

// onDay is the UK calendar day of t.
func referralDay(t time.Time) haven.Date {
	t = t.In(london)
	return haven.NewDate(t.Year(), t.Month(), t.Day())
}

// daysWaiting is how many whole days have passed since t, by the UK calendar.
func (s *Server) daysWaiting(t time.Time) int {
	return int(s.today().Time().Sub(referralDay(t).Time()).Hours() / 24)
}

func (s *Server) referralViewEvent(r *http.Request, id int64, section string) audit.Event {
	e := s.auditEvent(r, audit.View)
	e.RecordType, e.Section = "referral", section
	if id != 0 {
		e.RecordID = itoa(id)
	}
	return e
}

// referralFor loads the referral named in the URL, if the actor may triage it.
func (s *Server) referralFor(r *http.Request) (programme.Referral, error) {
	ref := r.PathValue("ref")
	if !programme.ValidReferralRef(ref) {
		return programme.Referral{}, haven.ErrNotFound
	}
	return s.store.ReferralFor(r.Context(), infoFrom(r.Context()).actor, ref)
}

// triageRow is one referral in the queue.
type triageRow struct {
	programme.Referral
	ReceivedOn haven.Date
	Days       int
}

// Waiting says how long she has waited.
func (t triageRow) Waiting() string {
	switch t.Days {
	case 0:
		return "Today"
	case 1:
		return "1 day"
	}
	return fmt.Sprintf("%d days", t.Days)
}

type triageQueuePage struct {
	Layout
	New, Waiting, Unfinished []triageRow
	ManyPractices            bool
}

// triageTable is one table of the queue.
type triageTable struct {
	Caption, Empty string
	Rows           []triageRow
	ManyPractices  bool
}

// Table returns the queue's new referrals, its waiting list, or those accepted without a record.
func (p *triageQueuePage) Table(which string) triageTable {
	t := triageTable{ManyPractices: p.ManyPractices}
	switch which {
	case "new":
		t.Caption, t.Empty, t.Rows = "New referrals", "No new referrals.", p.New
	case "waiting":
		t.Caption, t.Empty, t.Rows = "Waiting list", "Nobody is on the waiting list.", p.Waiting
	default:
		t.Caption, t.Rows = "Accepted, but her record was not made", p.Unfinished
	}
	return t
}

func (s *Server) triageQueue(w http.ResponseWriter, r *http.Request) error {
	actor := infoFrom(r.Context()).actor
	queue, err := s.store.TriageQueue(r.Context(), actor)
	if err != nil {
		return err
	}
	p := &triageQueuePage{Layout: Layout{Title: "Triage", Nav: "triage"}, ManyPractices: len(actor.PracticeIDs(access.PermCaseAllocate)) > 1}
	for _, rf := range queue {
		row := triageRow{Referral: rf, ReceivedOn: referralDay(rf.ReceivedAt), Days: s.daysWaiting(rf.ReceivedAt)}
		switch rf.Status {
		case programme.ReferralNew:
			p.New = append(p.New, row)
		case programme.ReferralWaiting:
			p.Waiting = append(p.Waiting, row)
		default:
			p.Unfinished = append(p.Unfinished, row)
		}
	}
	if err := s.store.Audit(r.Context(), s.referralViewEvent(r, 0, "list")); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "triage.html", p)
}

// triageOutcomeForm is the triage outcome form as typed.
type triageOutcomeForm struct {
	Outcome, Reason, To, Practitioner, Match, Version string
}

type triagePage struct {
	Layout
	Referral      programme.Referral
	ReceivedOn    haven.Date
	Days          int
	Screening     programme.Screening
	Matches       []programme.Person
	LAName        string
	Practitioners []access.User
	Form          triageOutcomeForm
}

// Unfinished reports whether she was accepted but her record was not made.
func (p *triagePage) Unfinished() bool {
	return p.Referral.Status == programme.ReferralAccepted && p.Referral.PersonID == 0
}

// Channels lists the ways she said are safe, for people.
func (p *triagePage) Channels() string {
	var out []string
	for _, c := range p.Referral.Contact.Channels {
		out = append(out, c.Title())
	}
	return strings.Join(out, ", ")
}

// Waiting says how long she has waited.
func (p *triagePage) Waiting() string { return triageRow{Days: p.Days}.Waiting() }

// StatusClass colours the status tag.
func (p *triagePage) StatusClass() string {
	switch p.Referral.Status {
	case programme.ReferralNew:
		return "govuk-tag--blue"
	case programme.ReferralWaiting:
		return "govuk-tag--yellow"
	case programme.ReferralAccepted:
		return "govuk-tag--green"
	case programme.ReferralReferredOn:
		return "govuk-tag--purple"
	}
	return "govuk-tag--grey"
}

// Lines splits free text at its line breaks, since the page may not style them.
func (p *triagePage) Lines(s string) []string {
	var out []string
	for l := range strings.Lines(strings.TrimSpace(s)) {
		out = append(out, strings.TrimRight(l, "\r\n"))
	}
	return out
}

// Checked reports whether an outcome was chosen in the form as typed.
func (p *triagePage) Checked(outcome string) bool { return p.Form.Outcome == outcome }

func (s *Server) triagePageData(r *http.Request, rf programme.Referral) (*triagePage, error) {
	p := &triagePage{Layout: Layout{Title: rf.Name(), Nav: "triage"}, Referral: rf, ReceivedOn: referralDay(rf.ReceivedAt), Days: s.daysWaiting(rf.ReceivedAt),
		Form: triageOutcomeForm{Version: itoa(rf.Version)}}
	practice, err := s.store.Practice(r.Context(), rf.PracticeID)
	if err != nil {
		return nil, err
	}
	p.Screening = programme.Screen(rf, s.today(), practice.LocalAuthorities)
	if la, ok := access.LocalAuthorityByCode(rf.LACode); ok {
		p.LAName = la.Name
	}
	if p.Matches, err = s.possibleMatches(r, rf); err != nil {
		return nil, err
	}
	p.Practitioners, err = s.store.Practitioners(r.Context(), rf.PracticeID)
	return p, err
}

// possibleMatches lists the women her Practice already knows who may be her,
// among those the actor may see. It only suggests: a person checks.
func (s *Server) possibleMatches(r *http.Request, rf programme.Referral) ([]programme.Person, error) {
	var out []programme.Person
	pg := store.Page{Limit: 500}
	for {
		people, err := s.store.PeopleFor(r.Context(), infoFrom(r.Context()).actor, pg)
		if err != nil {
			return nil, err
		}
		for _, p := range people {
			if p.PracticeID == rf.PracticeID && p.ID != rf.PersonID && rf.PossibleMatch(p) {
				out = append(out, p)
			}
		}
		if len(people) < pg.Limit {
			return out, nil
		}
		pg.After = people[len(people)-1].ID
	}
}

// showTriage audits the view of the referral, and of each possible match
// shown with it, before the page is sent: no audit row, no page.
func (s *Server) showTriage(w http.ResponseWriter, r *http.Request, status int, p *triagePage) error {
	if err := s.store.Audit(r.Context(), s.referralViewEvent(r, p.Referral.ID, "details")); err != nil {
		return err
	}
	for _, m := range p.Matches {
		if err := s.store.Audit(r.Context(), s.viewEvent(r, m.ID, "duplicate-check")); err != nil {
			return err
		}
	}
	return s.render(w, r, status, "triage-referral.html", p)
}

func (s *Server) triageShow(w http.ResponseWriter, r *http.Request) error {
	rf, err := s.referralFor(r)
	if err != nil {
		return err
	}
	p, err := s.triagePageData(r, rf)
	if err != nil {
		return err
	}
	return s.showTriage(w, r, http.StatusOK, p)
}

const staleReferral = "Someone else recorded an outcome for this referral while you were deciding. Check it below, then choose again"

// triageFields are the decision form's fields, in page order. A problem with
// any other field is with her details, which must be put right before she
// can be accepted as she is.
var triageFields = []string{"outcome", "match", "practitioner", "reason", "to"}

func (s *Server) triageDecide(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	rf, err := s.referralFor(r)
	if err != nil {
		return err
	}
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	f := triageOutcomeForm{Outcome: v("outcome"), Reason: v("reason"), To: v("to"), Practitioner: v("practitioner"), Match: v("match"), Version: v("version")}
	version, _ := strconv.ParseInt(f.Version, 10, 64)
	if version == rf.Version {
		actor := infoFrom(r.Context()).actor
		o := programme.Outcome{Status: programme.ReferralStatus(f.Outcome), Reason: f.Reason, To: f.To}
		if f.Outcome == "linked" {
			// A re-referral: the referral joins the record of the woman she already is.
			var p programme.Person
			if p, err = s.store.LinkReferral(r.Context(), s.auditEvent(r, audit.Update), actor, rf, f.Match, referralDay(rf.ReceivedAt)); err == nil {
				s.saved(w, r, "/people/"+p.Ref, "referral-linked")
				return nil
			}
		} else if o.Status == programme.ReferralAccepted {
			practitioner, _ := strconv.ParseInt(f.Practitioner, 10, 64)
			var p programme.Person
			if p, err = s.store.AcceptReferral(r.Context(), s.auditEvent(r, audit.Update), actor, rf, practitioner, referralDay(rf.ReceivedAt)); err == nil {
				s.saved(w, r, "/people/"+p.Ref, "referral-accepted")
				return nil
			}
		} else if _, err = s.store.DecideReferral(r.Context(), s.auditEvent(r, audit.Update), actor, rf, o); err == nil {
			s.saved(w, r, "/triage/"+rf.Ref, "referral-decided")
			return nil
		}
	} else {
		err = haven.ErrConflict
	}
	he, _ := errors.AsType[*haven.Error](err)
	if he == nil || (he.Kind != haven.KindConflict && he.Kind != haven.KindInvalid) {
		return err
	}
	status := statusOf(err)
	if he.Kind == haven.KindConflict {
		// Show the referral as it is now, and keep what they chose and typed.
		if rf, err = s.referralFor(r); err != nil {
			return err
		}
	}
	p, err := s.triagePageData(r, rf)
	if err != nil {
		return err
	}
	p.Form = f
	p.Form.Version = itoa(rf.Version)
	if he.Kind == haven.KindConflict {
		msg := staleReferral
		if he.Message != haven.ErrConflict.Message {
			msg = strings.TrimSuffix(he.Message, ".")
		}
		p.Errors = []FieldError{{"outcome", msg}}
		return s.showTriage(w, r, status, p)
	}
	fields := maps.Clone(he.Fields)
	for k, m := range he.Fields {
		if !slices.Contains(triageFields, k) && m != "" {
			fields["outcome"] = "Her details need correcting before she can be accepted: " + strings.ToLower(m[:1]) + m[1:]
		}
	}
	p.Errors = fieldErrors(fields, triageFields...)
	return s.showTriage(w, r, status, p)
}

// The JSON API.

// apiSelfReferralIn is a self-referral sent to the API. Field names match the
// form's, so errors name the same fields.
type apiSelfReferralIn struct {
	FirstName       string   `json:"firstName"`
	LastName        string   `json:"lastName"`
	DateOfBirth     apiDate  `json:"dateOfBirth"` // YYYY-MM-DD
	Phone           string   `json:"phone"`
	Email           string   `json:"email"`
	LACode          string   `json:"laCode"`
	Postcode        string   `json:"postcode"`
	SafeChannels    []string `json:"safeChannels"`
	NoVoicemail     bool     `json:"noVoicemail"`
	SafeTimes       string   `json:"safeTimes"`
	ViaProfessional bool     `json:"viaProfessional"`
	ViaName         string   `json:"viaName"`
	ViaContact      string   `json:"viaContact"`
	// CommunicationNeeds is anything that would help her take part.
	CommunicationNeeds string `json:"communicationNeeds"`
	ChildrenRemoved    string `json:"childrenRemoved"`
	CareExperienced    string `json:"careExperienced"`
	ChildrenInCare     string `json:"childrenInCare"`
	Consent            bool   `json:"consent"`
	Website            string `json:"website"` // the honeypot: leave it empty
}

type apiReferralCreated struct {
	Reference   string `json:"reference"`
	AreaCovered bool   `json:"areaCovered"` // a Practice covers her area
}

// apiSelfReferral is POST /api/v1/self-referrals: the self-referral form as
// JSON, with the same checks, limits and honeypot.
func (s *Server) apiSelfReferral(w http.ResponseWriter, r *http.Request) error {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return errTooLarge
		}
		return badRequest("The request body could not be read.")
	}
	var in apiSelfReferralIn
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if err := dec.Decode(&in); err != nil || dec.More() || len(trimmed) == 0 || trimmed[0] != '{' {
		return badRequest("The request body must be one JSON object with the fields the API documents.")
	}
	if _, err := dec.Token(); err != io.EOF { // nothing after the object, not even a stray bracket
		return badRequest("The request body must be one JSON object with the fields the API documents.")
	}
	if err := checkJSONText(body); err != nil { // what the decoder turned into U+FFFD, or kept as a control
		return err
	}
	now := s.now()
	if wait := s.referralLimit().Wait(referralLimitKey(r), now); wait > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
		return &statusError{http.StatusTooManyRequests, "Several referrals have been sent from this address in a short time. Wait " + referralWaitText(wait) + ", then try again."}
	}
	fields := map[string]string{}
	ref := programme.Referral{Source: programme.ReferralSelf, FirstName: in.FirstName, LastName: in.LastName, Phone: in.Phone, Email: in.Email,
		LACode: in.LACode, PostcodeDistrict: in.Postcode,
		Contact: programme.SafeContact{Channels: referralChannels(in.SafeChannels), NoVoicemail: in.NoVoicemail, SafeTimes: in.SafeTimes,
			ViaProfessional: in.ViaProfessional, ViaName: in.ViaName, ViaContact: in.ViaContact},
		CommunicationNeeds: in.CommunicationNeeds,
		ChildrenRemoved:    programme.ChildrenRemoved(in.ChildrenRemoved), CareExperienced: programme.Answer(in.CareExperienced),
		ChildrenInCare: programme.Answer(in.ChildrenInCare)}
	if in.Consent {
		ref.Consent = programme.ConsentGiven
	}
	ref.DateOfBirth = in.DateOfBirth.Date
	maps.Copy(fields, dateProblems(&in))
	checkReferral(&ref, fields, now)
	if len(fields) > 0 {
		return haven.Invalid(fields)
	}
	reference, covered, err := s.takePublicReferral(r, ref, in.Website != "")
	if isDuplicate(err) {
		replayed(w) // sent again with the same Idempotency-Key: answer as the first time
	} else if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, apiReferralCreated{Reference: reference, AreaCovered: covered})
	return nil
}

// apiReferralSummary is a referral in the queue.
type apiReferralSummary struct {
	Reference   string    `json:"reference"`
	PracticeID  int64     `json:"practiceId"`
	Source      string    `json:"source"`
	Status      string    `json:"status"`
	ReceivedAt  time.Time `json:"receivedAt"`
	DaysWaiting int       `json:"daysWaiting"`
	FirstName   string    `json:"firstName"`
	LastName    string    `json:"lastName"`
}

// apiReferral is one referral in full.
type apiReferral struct {
	apiReferralSummary
	DateOfBirth      string         `json:"dateOfBirth,omitempty"`
	Phone            string         `json:"phone,omitempty"`
	Email            string         `json:"email,omitempty"`
	LACode           string         `json:"laCode,omitempty"`
	PostcodeDistrict string         `json:"postcodeDistrict,omitempty"`
	SafeContact      apiSafeContact `json:"safeContact"`
	ChildrenRemoved  string         `json:"childrenRemoved"`
	CareExperienced  string         `json:"careExperienced"`
	ChildrenInCare   string         `json:"childrenInCare"`
	Consent          string         `json:"consent"`
	Referrer         *apiReferrer   `json:"referrer,omitempty"`
	Proceedings      string         `json:"proceedings,omitempty"`
	Situation        string         `json:"situation,omitempty"`
	Risks            string         `json:"risks,omitempty"`
	Cohorts          []string       `json:"cohorts"`  // advice only
	Concerns         []string       `json:"concerns"` // advice only
	OutcomeReason    string         `json:"outcomeReason,omitempty"`
	ReferredOnTo     string         `json:"referredOnTo,omitempty"`
	OutcomeAt        *time.Time     `json:"outcomeAt,omitempty"`
	PersonRef        string         `json:"personRef,omitempty"`
	Version          int64          `json:"version"`
}

type apiSafeContact struct {
	Channels        []string `json:"channels"`
	NoVoicemail     bool     `json:"noVoicemail"`
	SafeTimes       string   `json:"safeTimes,omitempty"`
	ViaProfessional bool     `json:"viaProfessional"`
	ViaName         string   `json:"viaName,omitempty"`
	ViaContact      string   `json:"viaContact,omitempty"`
}

type apiReferrer struct {
	Name         string `json:"name"`
	Organisation string `json:"organisation"`
	Role         string `json:"role"`
	Contact      string `json:"contact"`
}

func (s *Server) apiReferralSummary(rf programme.Referral) apiReferralSummary {
	return apiReferralSummary{Reference: rf.Ref, PracticeID: rf.PracticeID, Source: string(rf.Source), Status: string(rf.Status),
		ReceivedAt: rf.ReceivedAt, DaysWaiting: s.daysWaiting(rf.ReceivedAt), FirstName: rf.FirstName, LastName: rf.LastName}
}

// apiReferrals is GET /api/v1/referrals: the triage queue of the caller's Practices.
func (s *Server) apiReferrals(w http.ResponseWriter, r *http.Request) error {
	queue, err := s.store.TriageQueue(r.Context(), infoFrom(r.Context()).actor)
	if err != nil {
		return err
	}
	if err := s.store.Audit(r.Context(), s.referralViewEvent(r, 0, "list")); err != nil {
		return err
	}
	out := struct {
		Referrals []apiReferralSummary `json:"referrals"`
	}{Referrals: []apiReferralSummary{}}
	for _, rf := range queue {
		out.Referrals = append(out.Referrals, s.apiReferralSummary(rf))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// apiReferralShow is GET /api/v1/referrals/{ref}, with the same rules and audit as the page.
func (s *Server) apiReferralShow(w http.ResponseWriter, r *http.Request) error {
	rf, err := s.referralFor(r)
	if err != nil {
		return err
	}
	practice, err := s.store.Practice(r.Context(), rf.PracticeID)
	if err != nil {
		return err
	}
	screen := programme.Screen(rf, s.today(), practice.LocalAuthorities)
	out := apiReferral{apiReferralSummary: s.apiReferralSummary(rf), DateOfBirth: rf.DateOfBirth.String(), Phone: rf.Phone, Email: rf.Email,
		LACode: rf.LACode, PostcodeDistrict: rf.PostcodeDistrict,
		SafeContact: apiSafeContact{Channels: []string{}, NoVoicemail: rf.Contact.NoVoicemail, SafeTimes: rf.Contact.SafeTimes,
			ViaProfessional: rf.Contact.ViaProfessional, ViaName: rf.Contact.ViaName, ViaContact: rf.Contact.ViaContact},
		ChildrenRemoved: string(rf.ChildrenRemoved), CareExperienced: string(rf.CareExperienced), ChildrenInCare: string(rf.ChildrenInCare),
		Consent: string(rf.Consent), Proceedings: rf.Proceedings, Situation: rf.Situation, Risks: rf.Risks,
		Cohorts: []string{}, Concerns: append([]string{}, screen.Concerns...),
		OutcomeReason: rf.OutcomeReason, ReferredOnTo: rf.ReferredOnTo, PersonRef: rf.PersonRef, Version: rf.Version}
	for _, c := range rf.Contact.Channels {
		out.SafeContact.Channels = append(out.SafeContact.Channels, string(c))
	}
	for _, c := range screen.Cohorts {
		out.Cohorts = append(out.Cohorts, string(c.Cohort))
	}
	if rf.Source == programme.ReferralProfessional {
		out.Referrer = &apiReferrer{rf.Referrer.Name, rf.Referrer.Organisation, rf.Referrer.Role, rf.Referrer.Contact}
	}
	if !rf.OutcomeAt.IsZero() {
		out.OutcomeAt = &rf.OutcomeAt
	}
	if err := s.store.Audit(r.Context(), s.referralViewEvent(r, rf.ID, "details")); err != nil {
		return err
	}
	w.Header().Set("ETag", `"`+itoa(rf.Version)+`"`)
	writeJSON(w, http.StatusOK, out)
	return nil
}
