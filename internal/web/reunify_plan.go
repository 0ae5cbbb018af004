package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/reunify"
)

// The return-home assessment, the parental agreement and plan, and support
// after the return (issue 18 items 3 to 5), each a page of the child's
// current reunification case. Every route names the child; laChild makes a
// child of another team, or anyone outside an LA team, not found.

// reunifyCtx is the case a page works on, with what every page shows: the
// child, the parents, the return home and any re-entry after it.
type reunifyCtx struct {
	Child     reunify.Child
	Team      access.Membership
	Case      reunify.Case
	Parents   []reunify.Person
	Episodes  []reunify.Episode
	Returned  haven.Date        // the end of the episode ended E4A/E4B in this case; zero before
	REC       string            // E4A or E4B
	ReEntry   *reunify.ReEntry  // the child came back into care after Returned
	ReEntries []reunify.ReEntry // every re-entry in the child's history
}

// Base is the case's address, for links and forms.
func (c *reunifyCtx) Base() string {
	return "/la/children/" + itoa(c.Child.ID) + "/reunification"
}

// ParentName is a parent's name, from the child's people.
func (c *reunifyCtx) ParentName(id int64) string {
	for _, p := range c.Parents {
		if p.ID == id {
			return p.Name
		}
	}
	return "A parent no longer recorded"
}

// ReturnedHow says how the child went home, in words.
func (c *reunifyCtx) ReturnedHow() string {
	if c.REC == "E4B" {
		return "not as part of the care plan (E4B)"
	}
	return "as part of the care plan (E4A)"
}

// planCase loads the child's current case and what every page needs.
func (s *Server) planCase(r *http.Request) (*reunifyCtx, error) {
	child, team, err := s.laChild(r)
	if err != nil {
		return nil, err
	}
	c, found, err := s.store.CurrentReunification(r.Context(), child.ID)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, haven.ErrNotFound
	}
	x := &reunifyCtx{Child: child, Team: team, Case: c}
	if x.Parents, err = s.store.PlanParents(r.Context(), child.ID); err != nil {
		return nil, err
	}
	if x.Episodes, err = s.store.LAEpisodes(r.Context(), child.ID); err != nil {
		return nil, err
	}
	// The return is read from the episodes: the stages record it by ending
	// the child's episode E4A or E4B.
	x.Returned = reunify.ReturnedOn(x.Episodes, c.OpenedOn)
	for _, e := range x.Episodes {
		if e.EndsOn == x.Returned && e.ReturnedHome() {
			x.REC = e.REC
		}
	}
	x.ReEntries = reunify.ReEntries(x.Episodes)
	if re, ok := reunify.ReEntryAfter(x.Episodes, x.Returned); ok {
		x.ReEntry = &re
	}
	return x, nil
}

// audit records that the actor read or changed a part of the case.
func (s *Server) reunifyAudit(r *http.Request, x *reunifyCtx, section string, action audit.Action) error {
	return s.store.AuditReunifyView(r.Context(), s.auditEvent(r, action), x.Case, section, action)
}

// formVersion reads a form's hidden version; anything else is 0.
func formVersion(r *http.Request) int64 {
	v, err := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if err != nil || v < 0 {
		return 0
	}
	return v
}

// formID reads a positive ID from a form field; 0 if it is not one.
func formID(r *http.Request, name string) int64 {
	v, err := strconv.ParseInt(r.PostFormValue(name), 10, 64)
	if err != nil || v <= 0 {
		return 0
	}
	return v
}

// assessmentPage is the return-home assessment: a summary of which sections
// are complete, then each section's form.
type assessmentPage struct {
	Layout
	R        *reunifyCtx
	Sections []reunify.AssessmentSection
	Entries  map[string]reunify.AssessmentEntry
	Done     reunify.Completeness
	// Earlier are the versions before the current one, by entryKey, newest first.
	Earlier map[string][]reunify.AssessmentEntry
	// Sent is the form sent back with a problem, keeping what was typed.
	Sent reunify.AssessmentEntry
}

func entryKey(section string, person int64) string { return section + "-" + itoa(person) }

// assessmentSlot is one section for one parent (or the family), as the
// summary table and the forms show it.
type assessmentSlot struct {
	Section reunify.AssessmentSection
	Person  int64
	About   string
	Entry   reunify.AssessmentEntry
	Earlier []reunify.AssessmentEntry // versions before Entry, newest first
	ID      string                    // the form's anchor and its fields' prefix
}

// Status is the slot's state in words: colour is never the only sign.
func (a assessmentSlot) Status() string {
	switch {
	case a.Entry.Complete:
		return "Complete"
	case a.Entry.Version > 0:
		return "In progress"
	}
	return "Not started"
}

// Slots are every section for every parent, in order.
func (p *assessmentPage) Slots() []assessmentSlot {
	var out []assessmentSlot
	for _, sec := range p.Sections {
		if !sec.PerParent {
			out = append(out, p.slot(sec, 0, "The child and family"))
			continue
		}
		for _, parent := range p.R.Parents {
			out = append(out, p.slot(sec, parent.ID, parent.Name))
		}
	}
	return out
}

func (p *assessmentPage) slot(sec reunify.AssessmentSection, person int64, about string) assessmentSlot {
	key := entryKey(sec.Key, person)
	a := assessmentSlot{Section: sec, Person: person, About: about, Entry: p.Entries[key], Earlier: p.Earlier[key], ID: "section-" + sec.Key + "-" + itoa(person)}
	// A form sent back keeps what was typed.
	if p.Sent.Section == sec.Key && p.Sent.Person == person {
		a.Entry.Text, a.Entry.Complete = p.Sent.Text, p.Sent.Complete
	}
	return a
}

func (s *Server) assessmentData(r *http.Request) (*assessmentPage, error) {
	x, err := s.planCase(r)
	if err != nil {
		return nil, err
	}
	versions, err := s.store.AssessmentVersions(r.Context(), x.Case)
	if err != nil {
		return nil, err
	}
	p := &assessmentPage{Layout: Layout{Title: "Return-home assessment", Nav: "la"}, R: x, Sections: reunify.AssessmentSections,
		Entries: map[string]reunify.AssessmentEntry{}, Earlier: map[string][]reunify.AssessmentEntry{}}
	// Newest first within each section: the first seen is the current one.
	var entries []reunify.AssessmentEntry
	for _, e := range versions {
		key := entryKey(e.Section, e.Person)
		if _, seen := p.Entries[key]; seen {
			p.Earlier[key] = append(p.Earlier[key], e)
			continue
		}
		p.Entries[key] = e
		entries = append(entries, e)
	}
	var parents []int64
	for _, pa := range x.Parents {
		parents = append(parents, pa.ID)
	}
	p.Done = reunify.AssessmentCompleteness(parents, entries)
	return p, nil
}

func (s *Server) reunifyAssessment(w http.ResponseWriter, r *http.Request) error {
	p, err := s.assessmentData(r)
	if err != nil {
		return err
	}
	if err := s.reunifyAudit(r, p.R, "assessment", audit.View); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "reunify_assessment.html", p)
}

func (s *Server) saveAssessment(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	p, err := s.assessmentData(r)
	if err != nil {
		return err
	}
	sec, ok := reunify.SectionByKey(r.PostFormValue("section"))
	if !ok {
		return haven.ErrNotFound
	}
	person := formID(r, "person")
	if !sec.PerParent {
		person = 0
	}
	e := reunify.AssessmentEntry{Section: sec.Key, Person: person, Text: strings.TrimSpace(r.PostFormValue("text")),
		Complete: r.PostFormValue("complete") == "yes", By: infoFrom(r.Context()).actor.User.ID}
	prefix := "section-" + sec.Key + "-" + itoa(person) + "-"
	_, err = s.store.SaveAssessmentSection(r.Context(), s.auditEvent(r, audit.Update), p.R.Case, e, formVersion(r))
	he, _ := errors.AsType[*haven.Error](err)
	status := http.StatusUnprocessableEntity
	switch {
	case err == nil:
		s.saved(w, r, p.R.Base()+"/assessment#"+strings.TrimSuffix(prefix, "-"), "")
		return nil
	case errors.Is(err, haven.ErrConflict):
		status = http.StatusConflict
		p.Errors = []FieldError{{prefix + "text", "Someone else saved this section while you were writing. Your words are kept below: check the section, then save again"}}
	case he != nil && he.Kind == haven.KindInvalid:
		if he.Fields["person"] != "" {
			return haven.ErrNotFound // a parent of another child, or none
		}
		p.Errors = []FieldError{{prefix + "text", he.Fields["text"]}}
	default:
		return err
	}
	p.Sent = e
	return s.render(w, r, status, "reunify_assessment.html", p)
}

// reunifySubNav is what the case's sub-navigation needs: the case and the
// part shown.
type reunifySubNav struct {
	R       *reunifyCtx
	Current string
}

// SubNav is the assessment page's sub-navigation.
func (p *assessmentPage) SubNav() reunifySubNav { return reunifySubNav{p.R, "assessment"} }

// SaveLabel is the section's button.
func (a assessmentSlot) SaveLabel() string {
	return "Save " + strings.ToLower(a.Section.Title[:1]) + a.Section.Title[1:]
}
