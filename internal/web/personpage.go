package web

import (
	"html/template"
	"strconv"
	"strings"

	"haven/internal/programme"
)

// The record page is the one practitioners open most, and its template ran
// about a hundred actions, each through reflection: half the page's time.
// It is written here in Go for the reason rows.go gives, with the same
// markup (TestPersonPageMatchesTheTemplateItReplaced) and every value escaped.

// Content is the record page's main content.
func (p *personPage) Content() template.HTML {
	var w rows
	if !p.Access.Record {
		w.markup(`<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds"><h1 class="govuk-heading-l">Restricted record</h1>` +
			`<p class="govuk-body">This person is not allocated to you or shared with you, so you cannot see her record.</p>`)
		p.breakGlassForm(&w)
		w.markup("</div></div>\n")
		return w.html()
	}
	ref := "/people/" + p.Person.Ref
	w.markup(`<span class="govuk-caption-l">Person</span><h1 class="govuk-heading-l">`)
	w.bdi(p.Person.Name())
	w.markup("</h1>\n")
	p.safeContact(&w)
	w.markup(`<h2 class="govuk-heading-m govuk-!-margin-top-6">Details</h2><dl class="govuk-summary-list">`)
	nameRow(&w, "Name", p.Person.FirstName+" "+p.Person.LastName)
	nameRow(&w, "Preferred name", or(p.Person.PreferredName, "None given"))
	summaryRow(&w, "Pronouns", or(p.Person.Pronouns, "None given"))
	summaryRow(&w, "Date of birth", or(p.Person.DateOfBirth.Long(), "Not recorded"))
	summaryRow(&w, "Local authority", or(p.LAName, "Not recorded"))
	summaryRow(&w, "Care-experienced", p.Person.CareExperienced.Title())
	summaryRow(&w, "Communication needs", or(p.Person.CommunicationNeeds, "None recorded"))
	nameRow(&w, "Dedicated practitioner", or(p.Practitioner, "Not allocated"))
	w.markup(`</dl><p class="govuk-body"><a class="govuk-link" href="`)
	w.href(ref + "/edit")
	w.markup(`">Change her details</a>`)
	if p.Access.AccessLog {
		w.markup(` · <a class="govuk-link" href="`)
		w.href(ref + "/access-log")
		w.markup(`">Who has seen this record</a>`)
	}
	w.markup("</p>\n")
	p.referralsIn(&w)
	p.around(&w, ref)
	p.programme(&w, ref)
	p.sections(&w, ref)
	if p.Access.BreakGlass {
		p.breakGlassForm(&w)
	}
	if p.Access.Allocate {
		p.allocation(&w, ref)
	}
	if len(p.BreakGlass) > 0 {
		w.markup(`<h2 class="govuk-heading-m">Break-glass access</h2><ul class="govuk-list">`)
		for _, b := range p.BreakGlass {
			w.markup("<li>")
			w.bdi(b.UserName)
			w.text(", " + b.CreatedAt.In(london).Format("2 January 2006 at 3:04pm") + ": “" + b.Reason + "”")
			w.markup("</li>")
		}
		w.markup("</ul>\n")
	}
	return w.html()
}

// safeContact is how it is safe to reach her, first, as on triage: getting
// it wrong can put her at risk. Her phone numbers, email and address are left
// out when her address is confidential and the reader is not her practitioner
// or the lead.
func (p *personPage) safeContact(w *rows) {
	sc := p.Person.SafeContact
	w.markup(`<h2 class="govuk-heading-m govuk-!-margin-top-6" id="safe-contact">Contacting her safely</h2>`)
	if sc.NoVoicemail {
		w.markup(`<div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span>` +
			`<strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span>Do not leave a voicemail.</strong></div>`)
	}
	w.markup(`<dl class="govuk-summary-list">`)
	summaryRow(w, "Safe ways to contact her", or(strings.Join(sc.Channels, ", "), "None recorded: ask her at the first contact"))
	summaryRow(w, "Safe times", or(sc.Times, "None recorded"))
	if sc.ViaProfessional != "" {
		summaryRow(w, "Contact her only through", sc.ViaProfessional)
	}
	if p.ShowContact {
		c := p.Person.Contact
		for _, d := range [...]struct {
			key string
			d   programme.ContactDetail
		}{{"Mobile phone", c.Phone}, {"Other phone", c.OtherPhone}, {"Email", c.Email}, {"Postal address", c.Address}} {
			w.markup(`<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">`)
			w.text(d.key)
			w.markup(`</dt><dd class="govuk-summary-list__value">`)
			if d.d.Value == "" {
				w.markup("None recorded")
			} else {
				for i, l := range strings.Split(d.d.Value, "\n") {
					if i > 0 {
						w.markup("<br>")
					}
					w.text(strings.TrimSpace(l))
				}
				w.markup(" ")
				w.markup(safeTag(d.d.Safe))
			}
			w.markup("</dd></div>\n")
		}
	}
	w.markup("</dl>\n")
	if !p.ShowContact {
		w.markup(`<p class="govuk-body">Her address is confidential: her phone numbers, email and address are shown only to her practitioner and the practice lead.</p>` + "\n")
	}
}

// safeTag says whether a way to reach her is safe to use.
func safeTag(a programme.Answer) string {
	switch a {
	case programme.AnswerYes:
		return `<strong class="govuk-tag govuk-tag--green">Safe to use</strong>`
	case programme.AnswerNo:
		return `<strong class="govuk-tag govuk-tag--red">Not safe: do not use</strong>`
	}
	return `<strong class="govuk-tag govuk-tag--grey">Not known if safe: ask her</strong>`
}

func summaryRow(w *rows, key, value string) {
	w.markup(`<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">`)
	w.text(key)
	w.markup(`</dt><dd class="govuk-summary-list__value">`)
	w.text(value)
	w.markup("</dd></div>\n")
}

// nameRow is summaryRow for a name, isolated in <bdi>.
func nameRow(w *rows, key, value string) {
	w.markup(`<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">`)
	w.text(key)
	w.markup(`</dt><dd class="govuk-summary-list__value">`)
	w.bdi(value)
	w.markup("</dd></div>\n")
}

func or(s, otherwise string) string {
	if s == "" {
		return otherwise
	}
	return s
}

// referralsIn lists the referrals that brought her to the Practice. The
// other parts of her record are in the bar's sub-navigation (record.go).
func (p *personPage) referralsIn(w *rows) {
	if len(p.Referrals) == 0 {
		return
	}
	w.markup(`<h2 class="govuk-heading-m" id="referrals">Referrals in</h2><ul class="govuk-list">`)
	for _, rf := range p.Referrals {
		w.markup(`<li><a class="govuk-link" href="`)
		w.href("/triage/" + rf.Ref)
		w.markup(`">Referral `)
		w.text(rf.Ref + ", received " + rf.ReceivedAt.Format("2 January 2006"))
		w.markup(`</a></li>`)
	}
	w.markup("</ul>\n")
}

// around is the people in her life, and the form to add one.
func (p *personPage) around(w *rows, ref string) {
	w.markup(`<h2 class="govuk-heading-m" id="around">People around her</h2>`)
	if len(p.Around) > 0 {
		w.markup(`<ul class="govuk-list">`)
		for _, a := range p.Around {
			w.markup("<li><strong>")
			w.bdi(a.Name)
			w.markup("</strong>, ")
			w.text(a.Relationship)
			if a.Notes != "" {
				w.markup(": ")
				w.text(a.Notes)
			}
			w.markup("</li>")
		}
		w.markup("</ul>\n")
	} else {
		w.markup(`<p class="govuk-body">None recorded.</p>`)
	}
	w.markup(`<details class="govuk-details"`)
	if p.AroundForm.Name != "" {
		w.markup(" open")
	}
	if p.ErrorFor("aroundName") != "" {
		w.markup(" open")
	}
	w.markup(`><summary class="govuk-details__summary"><span class="govuk-details__summary-text">Add someone in her life</span></summary>` +
		`<div class="govuk-details__text"><form method="post" action="`)
	w.href(ref + "/people-around")
	w.markup(`" novalidate>`)
	w.markup(string(idempotencyInput(p, ref+"/people-around")))
	w.markup(string(inputHTML(formField{Name: "aroundName", Label: "Name", Value: p.AroundForm.Name, Error: p.ErrorFor("aroundName"), Type: "text", Autocomplete: "off"})))
	w.markup(string(inputHTML(formField{Name: "relationship", Label: "Relationship to her", Hint: "For example, sister, friend, GP", Value: p.AroundForm.Relationship,
		Error: p.ErrorFor("relationship"), Type: "text", Autocomplete: "off"})))
	w.markup(string(textareaHTML(formField{Name: "aroundNotes", Label: "Notes (optional)", Value: p.AroundForm.Notes, Error: p.ErrorFor("aroundNotes"), Width: "aroundNotes"})))
	w.markup(`<button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">Add</button></form></div></details>` + "\n")
}

// programme is her open enrolment and its clock, the form to move it on or
// start one, and the history of each enrolment.
func (p *personPage) programme(w *rows, ref string) {
	w.markup(`<h2 class="govuk-heading-m" id="programme">Programme</h2>`)
	if e := p.OpenEnrolment(); e != nil {
		w.markup(`<dl class="govuk-summary-list"><div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Phase</dt><dd class="govuk-summary-list__value"><strong class="govuk-tag">`)
		w.text(e.Phase.Title())
		w.markup("</strong></dd></div>\n")
		summaryRow(w, "Referred", e.ReferredOn.Long())
		if !e.EngagedOn.IsZero() {
			summaryRow(w, "Engagement began", e.EngagedOn.Long())
		}
		if !e.StartedOn.IsZero() {
			summaryRow(w, "Programme started", e.StartedOn.Long())
		}
		if e.HasClock {
			w.markup(`<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">`)
			w.text(e.Clock.Stage)
			w.markup(` clock</dt><dd class="govuk-summary-list__value">`)
			w.text(e.Clock.ElapsedText())
			w.markup(" so far; ")
			if e.Clock.Overdue() {
				w.markup(`<strong class="govuk-tag govuk-tag--red">`)
				w.text(e.Clock.RemainingText())
				w.markup(" overdue</strong>")
			} else {
				w.text(e.Clock.RemainingText())
				w.markup(" left")
			}
			w.markup(" (due ")
			w.text(e.Clock.Due.Long())
			w.markup(")</dd></div>\n")
		}
		if !e.EndedOn.IsZero() {
			ended := e.EndedOn.Long()
			if e.Exit != "" {
				ended += ", ended early: " + e.Exit.Title()
			}
			if e.EndReason != "" {
				ended += ": " + e.EndReason
			}
			summaryRow(w, "Ended", ended)
		}
		w.markup("</dl>\n")
		if next := e.Phase.NextPhases(); len(next) > 0 {
			w.markup(`<form method="post" action="`)
			w.href(ref + "/enrolments/" + strconv.FormatInt(e.ID, 10) + "/phase")
			w.markup(`" novalidate><input type="hidden" name="version" value="`)
			w.int(e.Version)
			w.markup(`">`)
			w.formGroup(p.ErrorFor("to"))
			w.markup(`<label class="govuk-label govuk-label--s" for="to">Move to</label>`)
			w.fieldError("to", p.ErrorFor("to"))
			// No phase is chosen for her: moving her on is a decision.
			w.markup(`<select class="govuk-select" id="to" name="to"><option value="">Choose the next phase</option>`)
			for _, ph := range next {
				w.markup(`<option value="`)
				w.text(string(ph))
				w.markup(`"`)
				if string(ph) == p.PhaseForm.To {
					w.markup(" selected")
				}
				w.markup(">")
				w.text(ph.Title())
				w.markup("</option>")
			}
			w.markup("</select></div>\n")
			w.markup(string(dateInputHTML(dateField{"on", "Date of the change", "For example, 14 9 2026", p.PhaseForm.Day, p.PhaseForm.Month, p.PhaseForm.Year, p.ErrorFor("on")})))
			if e.Phase.CanMoveTo(programme.PhaseEnded) {
				// A category, counted across Practices; the reason below stays in hers.
				w.formGroup(p.ErrorFor("exitCategory"))
				w.markup(`<label class="govuk-label govuk-label--s" for="exitCategory">Why she ended early (needed if ending early)</label>`)
				w.fieldError("exitCategory", p.ErrorFor("exitCategory"))
				w.markup(`<select class="govuk-select" id="exitCategory" name="exitCategory"><option value="">Choose a reason</option>`)
				for _, c := range p.ExitCategories() {
					w.markup(`<option value="`)
					w.text(string(c))
					w.markup(`"`)
					if string(c) == p.PhaseForm.Exit {
						w.markup(" selected")
					}
					w.markup(">")
					w.text(c.Title())
					w.markup("</option>")
				}
				w.markup("</select></div>\n")
			}
			w.markup(string(textareaHTML(formField{Name: "reason", Label: "Reason (needed if ending early)", Value: p.PhaseForm.Reason, Error: p.ErrorFor("reason"), Width: "reason"})))
			w.markup(`<button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">Record the change</button></form>` + "\n")
		}
	} else {
		w.markup(`<p class="govuk-body">She has no open enrolment.</p><form method="post" action="`)
		w.href(ref + "/enrolments")
		w.markup(`" novalidate>`)
		w.markup(string(idempotencyInput(p, ref+"/enrolments")))
		w.markup(string(dateInputHTML(dateField{"referredOn", "Referral date", "For example, 14 9 2026", p.Referral.Day, p.Referral.Month, p.Referral.Year, p.ErrorFor("referredOn")})))
		w.markup(`<button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">Start an enrolment</button></form>` + "\n")
	}
	if p.OverCap() {
		w.markup(`<div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span><strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span>`)
		w.bdi(p.Practitioner)
		w.markup(" is working with ")
		w.int(int64(p.Caseload))
		w.markup(" women, above this Practice's cap of ")
		w.int(int64(p.Settings.CaseloadCap))
		w.markup(".</strong></div>\n")
	}
	for _, e := range p.Enrolments {
		if len(e.PhaseEvents) == 0 {
			continue
		}
		w.markup(`<details class="govuk-details"><summary class="govuk-details__summary"><span class="govuk-details__summary-text">History of the enrolment referred on `)
		w.text(e.ReferredOn.Long())
		w.markup(`</span></summary><div class="govuk-details__text"><ul class="govuk-list">`)
		for _, ev := range e.PhaseEvents {
			w.markup("<li>")
			w.text(ev.On.Long() + ": " + ev.From.Title() + " to " + ev.To.Title())
			if ev.Reason != "" {
				w.text(" (" + ev.Reason + ")")
			}
			w.markup("</li>")
		}
		w.markup("</ul></div></details>\n")
	}
}

// sections are the restricted sections: each one's notes for those who may
// read them, and a note that it is restricted for everyone else.
func (p *personPage) sections(w *rows, ref string) {
	w.markup(`<h2 class="govuk-heading-m">Restricted sections</h2>`)
	for _, s := range p.Sections {
		title := s.Section.Title()
		w.markup(`<div class="govuk-summary-card" id="section-`)
		w.text(string(s.Section))
		w.markup(`-card"><div class="govuk-summary-card__title-wrapper"><h3 class="govuk-summary-card__title">`)
		w.text(title)
		w.markup(`</h3>`)
		if s.Visible {
			w.markup(`<ul class="govuk-summary-card__actions"><li class="govuk-summary-card__action"><a class="govuk-link" href="`)
			w.href(ref + "/restricted/" + string(s.Section))
			w.markup(`">Edit<span class="govuk-visually-hidden"> `)
			w.text(strings.ToLower(title))
			w.markup(` notes</span></a></li></ul>`)
		}
		w.markup(`</div><div class="govuk-summary-card__content">`)
		if s.Visible {
			if s.Section == programme.SectionReproductiveHealth {
				w.markup(`<p class="govuk-body"><a class="govuk-link" href="`)
				w.href(ref + "/reproductive-health")
				w.markup(`">Contraception, review dates and pregnancy events</a></p>`)
			}
			// Read here, changed on the section's own page, which keeps every version.
			if s.Note.Body == "" {
				w.markup(`<p class="govuk-body">Nothing recorded.</p>`)
			} else {
				w.markup(`<p class="govuk-body">`)
				for i, l := range strings.Split(s.Note.Body, "\n") {
					if i > 0 {
						w.markup("<br>")
					}
					w.text(l)
				}
				w.markup(`</p>`)
			}
			if s.Note.Version > 0 {
				w.markup(`<p class="govuk-body-s">Version `)
				w.int(s.Note.Version)
				w.markup(`, `)
				w.text(s.Note.UpdatedAt.In(london).Format("2 January 2006 at 3:04pm"))
				w.markup(`</p>`)
			}
		} else {
			w.markup(`<p class="govuk-body">This section is restricted. Only her dedicated practitioner and the practice lead can read it.</p>`)
		}
		w.markup("</div></div>\n")
	}
}

// allocation is for those who allocate: her practitioner, sharing her record,
// and moving her to another Practice.
func (p *personPage) allocation(w *rows, ref string) {
	w.markup(`<h2 class="govuk-heading-m">Allocation</h2><form method="post" action="`)
	w.href(ref + "/allocation")
	w.markup(`" novalidate><input type="hidden" name="version" value="`)
	w.int(p.Person.Version)
	w.markup(`">`)
	w.formGroup(p.ErrorFor("practitioner"))
	w.markup(`<label class="govuk-label" for="practitioner">Practitioner</label>`)
	w.fieldError("practitioner", p.ErrorFor("practitioner"))
	w.markup(`<select class="govuk-select" id="practitioner" name="practitioner">`)
	for _, u := range p.Practitioners {
		w.markup(`<option value="`)
		w.int(u.ID)
		w.markup(`"`)
		if u.ID == p.Person.PractitionerID {
			w.markup(" selected")
		}
		w.markup(">")
		w.text(u.DisplayName)
		w.markup("</option>")
	}
	w.markup(`</select></div><div class="govuk-button-group">` +
		`<button type="submit" name="action" value="allocate" class="govuk-button govuk-button--secondary" data-module="govuk-button">Allocate as her practitioner</button>` +
		`<button type="submit" name="action" value="share" class="govuk-button govuk-button--secondary" data-module="govuk-button">Share her record with them</button></div></form>` + "\n")
	w.markup(`<h2 class="govuk-heading-m" id="transfer">Moving to another Practice</h2>`)
	if p.Transfer != nil {
		w.markup(`<p class="govuk-body">A transfer to `)
		w.text(p.Transfer.ToPractice)
		w.markup(" is waiting for that Practice's lead to accept it.</p>\n")
		return
	}
	w.markup(`<form method="post" action="`)
	w.href(ref + "/transfer")
	w.markup(`" novalidate>`)
	w.markup(string(idempotencyInput(p, ref+"/transfer")))
	w.formGroup(p.ErrorFor("toPractice"))
	w.markup(`<label class="govuk-label" for="toPractice">Practice she is moving to</label>`)
	w.fieldError("toPractice", p.ErrorFor("toPractice"))
	w.markup(`<select class="govuk-select" id="toPractice" name="toPractice"><option value="">Choose a Practice</option>`)
	for _, pr := range p.Practices {
		w.markup(`<option value="`)
		w.int(pr.ID)
		w.markup(`">`)
		w.text(pr.Name)
		w.markup("</option>")
	}
	w.markup("</select></div>\n")
	w.markup(string(textareaHTML(formField{Name: "note", Label: "Note for the receiving lead (optional)", Hint: "Do not include restricted information",
		Error: p.ErrorFor("note"), Width: "note"})))
	w.markup(`<button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">Ask to transfer her</button></form>` + "\n")
}

// breakGlassForm lets someone in her Practice open the whole record for an hour.
func (p *personPage) breakGlassForm(w *rows) {
	w.markup(`<details class="govuk-details"`)
	if p.Reason != "" {
		w.markup(" open")
	}
	w.markup(`><summary class="govuk-details__summary"><span class="govuk-details__summary-text">I need to see the whole record now</span></summary>` +
		`<div class="govuk-details__text"><p class="govuk-body">You can open the whole record, including restricted sections, for one hour. Your reason is recorded and shown to the practice lead.</p>` +
		`<form method="post" action="`)
	w.href("/people/" + p.Person.Ref + "/break-glass")
	w.markup(`" novalidate>`)
	w.markup(string(idempotencyInput(p, "/people/"+p.Person.Ref+"/break-glass")))
	w.markup(string(textareaHTML(formField{Name: "reason", Label: "Why do you need to see it?", Value: p.Reason, Error: p.ErrorFor("reason"), Width: "reason"})))
	w.markup(`<button type="submit" class="govuk-button govuk-button--warning" data-module="govuk-button">Open the record</button></form></div></details>` + "\n")
}
