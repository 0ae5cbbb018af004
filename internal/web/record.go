package web

import (
	"net/http"
	"strings"

	"haven/internal/programme"
)

// Every page of her record carries a bar saying whose record it is (MOJ's
// identity bar) and the sections of her record (MOJ's sub-navigation), so
// that nobody writes in the wrong woman's file and each part is one step away.

// recordBar is what the bar shows.
type recordBar struct {
	Person       programme.Person
	Phase        programme.Phase // of her open enrolment; "" if she has none
	Practitioner string
	Section      string // the section this page shows, as in recordSections
	Restricted   bool   // may read her restricted sections
	Unexplained  int    // changes to her contact she was not told the reason for
}

// recordPage is a page of her record: it says whose, and which section.
// A page that has already read what the bar needs gives it in bar.
type recordPage interface {
	record() (p programme.Person, section string, bar *recordBar)
}

// recordSections are her record's sections in the order the bar lists them.
var recordSections = []struct{ key, path, title string }{
	{"details", "", "Details"},
	{"sessions", "/sessions", "Sessions and case notes"},
	{"chronology", "/chronology", "Chronology"},
	{"plan", "/plan", "Support plan"},
	{"contact", "/contact", "Children and contact"},
	{"referrals-out", "/referrals-out", "Referrals to partner agencies"},
	{"reproductive", "/reproductive-health", "Reproductive health"},
	{"measures", "/measures", "Outcome measures"},
}

// recordBarFor builds the bar for p, reading what the page did not.
func (s *Server) recordBarFor(r *http.Request, rp recordPage) (*recordBar, error) {
	p, section, bar := rp.record()
	if p.ID == 0 || p.FirstName == "" {
		return nil, nil // not her record, or one the reader may not see
	}
	if bar != nil {
		return bar, nil
	}
	bar = &recordBar{Person: p, Section: section}
	var err error
	if bar.Phase, bar.Practitioner, bar.Restricted, err = s.store.RecordBar(r.Context(), infoFrom(r.Context()).actor, p.ID); err != nil {
		return nil, err
	}
	if bar.Unexplained, err = s.store.UnexplainedChanges(r.Context(), p.ID); err != nil {
		return nil, err
	}
	return bar, nil
}

// html is the identity bar and the sub-navigation.
func (b *recordBar) html() string {
	var w rows
	p := b.Person
	ref := "/people/" + p.Ref
	w.markup(`<div class="moj-identity-bar haven-record-bar"><div class="moj-identity-bar__container"><div class="moj-identity-bar__details">` +
		`<p class="moj-identity-bar__title govuk-!-margin-bottom-1"><span class="govuk-visually-hidden">Record of </span><strong>`)
	w.bdi(p.Name())
	w.markup(`</strong></p><p class="govuk-body-s govuk-!-margin-bottom-1">`)
	facts := []string{programme.Identity(p.DateOfBirth, p.Ref)}
	if b.Phase != "" {
		facts = append(facts, "phase: "+b.Phase.Title())
	} else {
		facts = append(facts, "no open enrolment")
	}
	w.text(strings.ToUpper(facts[0][:1]) + facts[0][1:] + "; " + strings.Join(facts[1:], "; ") + "; ")
	if b.Practitioner != "" {
		w.text("practitioner: ")
		w.bdi(b.Practitioner)
	} else {
		w.text("not allocated")
	}
	w.markup(`</p><p class="govuk-body-s govuk-!-margin-bottom-0"><a class="govuk-link" href="`)
	w.href(ref + "#safe-contact")
	w.markup(`">`)
	sc := p.SafeContact
	switch {
	case len(sc.Channels) == 0 && sc.ViaProfessional == "":
		w.markup(`<strong class="govuk-tag govuk-tag--grey">Safe contact: not recorded, ask her</strong>`)
	default:
		var ways []string
		if len(sc.Channels) > 0 {
			ways = append(ways, strings.Join(sc.Channels, ", ")+" only")
		}
		w.markup(`<strong class="govuk-tag govuk-tag--yellow">Safe contact: `)
		w.text(strings.Join(ways, "; "))
		if sc.ViaProfessional != "" { // a name: isolated, so it cannot reorder the words around it
			if len(ways) > 0 {
				w.text("; ")
			}
			w.text("through ")
			w.bdi(sc.ViaProfessional)
		}
		if sc.NoVoicemail {
			w.text("; no voicemail")
		}
		w.markup(`</strong>`)
	}
	w.markup(`</a>`)
	if p.AddressConfidential {
		w.markup(` <strong class="govuk-tag govuk-tag--red">Address confidential</strong>`)
	}
	w.markup(`</p></div></div></div>` + "\n" + `<nav class="moj-sub-navigation" aria-label="Her record"><ul class="moj-sub-navigation__list">`)
	for _, sec := range recordSections {
		if (sec.key == "reproductive" || sec.key == "measures") && !b.Restricted {
			continue
		}
		w.markup(`<li class="moj-sub-navigation__item"><a class="moj-sub-navigation__link" href="`)
		w.href(ref + sec.path)
		w.markup(`"`)
		if sec.key == b.Section {
			w.markup(` aria-current="page"`)
		}
		w.markup(`>`)
		w.markup(sec.title)
		w.markup("</a>")
		if sec.key == "contact" && b.Unexplained > 0 {
			w.markup(` <strong class="govuk-tag govuk-tag--red">`)
			if b.Unexplained == 1 {
				w.markup("1 change")
			} else {
				w.int(int64(b.Unexplained))
				w.markup(" changes")
			}
			w.markup(` not explained to her</strong>`)
		}
		w.markup("</li>")
	}
	w.markup("</ul></nav>\n")
	return w.b.String()
}

// Each page of her record says whose it is and which section it shows.

func (p *personPage) record() (programme.Person, string, *recordBar) {
	if !p.Access.Record {
		return programme.Person{}, "", nil
	}
	var phase programme.Phase
	if e := p.OpenEnrolment(); e != nil {
		phase = e.Phase
	}
	return p.Person, "details", &recordBar{Person: p.Person, Phase: phase, Practitioner: p.Practitioner, Section: "details",
		Restricted: p.Access.Restricted, Unexplained: p.Unexplained}
}
func (p *sessionsPage) record() (programme.Person, string, *recordBar) {
	return p.Person, "sessions", nil
}
func (p *sessionFormPage) record() (programme.Person, string, *recordBar) {
	return p.Person, "sessions", nil
}
func (p *sessionPage) record() (programme.Person, string, *recordBar) {
	return p.Person, "sessions", nil
}
func (p *chronologyPage) record() (programme.Person, string, *recordBar) {
	return p.Person, "chronology", nil
}
func (p *planPage) record() (programme.Person, string, *recordBar) { return p.Person, "plan", nil }
func (p *contactPage) record() (programme.Person, string, *recordBar) {
	return p.Person, "contact", nil
}
func (p *contactFormPage) record() (programme.Person, string, *recordBar) {
	return p.Person, "contact", nil
}
func (p *letterPage) record() (programme.Person, string, *recordBar) { return p.Person, "contact", nil }
func (p *referralsOutPage) record() (programme.Person, string, *recordBar) {
	return p.Person, "referrals-out", nil
}
func (p *reproPage) record() (programme.Person, string, *recordBar) {
	return p.Person, "reproductive", nil
}
func (p *accessLogPage) record() (programme.Person, string, *recordBar) {
	return p.Person, "details", nil
}
