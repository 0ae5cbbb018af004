package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/reunify"
	"haven/internal/store"
)

// A local authority team's looked-after children (issue 18 item 1): the
// list, the child's record with the open episode and every episode, the
// people around the child, the child's views, and the forms that add to
// them. Every view and change is audited as the child's; every form works
// without JavaScript.

// laListPage is the team's children, a page at a time, or those a search found.
type laListPage struct {
	Layout
	Team     string
	Rows     []laListRow
	Query    string
	Searched bool
	Next     int64
}

type laListRow struct {
	Child           reunify.Child
	LegalStatus     string // the open episode's, with its title; "" if none
	Placement       string
	LookedAfterFrom haven.Date
}

// laPageSize is how many children a page of the list shows.
const laPageSize = 25

func (s *Server) laChildrenList(w http.ResponseWriter, r *http.Request) error {
	team, err := laTeam(r)
	if err != nil {
		return err
	}
	pg := pageParam(r)
	pg.Limit = laPageSize
	return s.laList(w, r, http.StatusOK, team, "", false, pg, nil)
}

func (s *Server) laChildrenSearch(w http.ResponseWriter, r *http.Request) error {
	team, err := laTeam(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	q := strings.TrimSpace(r.PostForm.Get("q"))
	after, _ := strconv.ParseInt(r.PostForm.Get("after"), 10, 64)
	pg := store.Page{After: max(after, 0), Limit: laPageSize}
	switch {
	case q == "":
		return s.laList(w, r, http.StatusUnprocessableEntity, team, q, true, pg, map[string]string{"q": "Enter the child's ID or first name"})
	case utf8.RuneCountInString(q) > 100:
		return s.laList(w, r, http.StatusUnprocessableEntity, team, q, true, pg, map[string]string{"q": haven.CharactersOrFewer("Child's ID or first name", 100)})
	}
	return s.laList(w, r, http.StatusOK, team, q, true, pg, nil)
}

func (s *Server) laList(w http.ResponseWriter, r *http.Request, status int, team access.Membership, q string, searched bool, pg store.Page, errs map[string]string) error {
	p := &laListPage{Layout: Layout{Title: "Looked-after children", Nav: "la"}, Team: team.TenantName, Query: q, Searched: searched}
	p.Errors = fieldErrors(errs, "q")
	if len(errs) == 0 {
		rows, err := s.store.SearchLAChildren(r.Context(), team.TenantID, q, pg)
		if err != nil {
			return err
		}
		for _, row := range rows {
			lr := laListRow{Child: row.Child}
			if row.Current.ID != 0 {
				lr.LegalStatus, lr.Placement = reunify.LegalStatuses.Title(row.Current.LegalStatus), reunify.Placements.Title(row.Current.Placement)
				lr.LookedAfterFrom = row.Current.StartsOn
			}
			p.Rows = append(p.Rows, lr)
		}
		if len(rows) == pg.Limit {
			p.Next = rows[len(rows)-1].Child.ID
		}
		if err := s.store.AuditLAChild(r.Context(), s.auditEvent(r, audit.View), 0, "children"); err != nil {
			return err
		}
	}
	return s.render(w, r, status, "reunify_children.html", p)
}

// laChildPage is one child's record.
type laChildPage struct {
	Layout
	Child    reunify.Child
	Current  *laEpisodeRow // the open episode, if any
	Episodes []laEpisodeRow
	Cases    []laCaseRow
	People   []laPersonRow
	Views    []reunify.View
	Today    haven.Date
}

// laEpisodeRow is an episode with each code's title.
type laEpisodeRow struct {
	reunify.Episode
	RNETitle, LSTitle, PlaceTitle, ProviderTitle, RECTitle string
}

func episodeRow(e reunify.Episode) laEpisodeRow {
	row := laEpisodeRow{Episode: e, RNETitle: reunify.NewEpisodeReasons.Title(e.RNE), LSTitle: reunify.LegalStatuses.Title(e.LegalStatus),
		PlaceTitle: reunify.Placements.Title(e.Placement)}
	if e.Provider != "" {
		row.ProviderTitle = reunify.Providers.Title(e.Provider)
	}
	if e.REC != "" {
		row.RECTitle = reunify.CeasedReasons.Title(e.REC)
	}
	return row
}

type laCaseRow struct {
	reunify.Case
	StageTitle, RouteTitle string
}

type laPersonRow struct {
	reunify.Person
	RelationshipTitle string
}

// Age is the child's age in whole years on the day.
func (p *laChildPage) Age() int {
	b, t := p.Child.BornOn.Time(), p.Today.Time()
	age := t.Year() - b.Year()
	if t.Month() < b.Month() || t.Month() == b.Month() && t.Day() < b.Day() {
		age--
	}
	return max(age, 0)
}

// Base is the child's page, which every link on it starts from.
func (p *laChildPage) Base() string { return "/la/children/" + itoa(p.Child.ID) }

func (s *Server) laChildShow(w http.ResponseWriter, r *http.Request) error {
	c, _, err := s.laChild(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	eps, err := s.store.LAEpisodes(ctx, c.ID)
	if err != nil {
		return err
	}
	cases, err := s.store.ReunificationCases(ctx, c.ID)
	if err != nil {
		return err
	}
	people, err := s.store.LAPeople(ctx, c.ID)
	if err != nil {
		return err
	}
	views, err := s.store.LAChildViews(ctx, c.ID)
	if err != nil {
		return err
	}
	p := &laChildPage{Layout: Layout{Title: c.FirstName + " (" + c.Ref + ")", Nav: "la"}, Child: c, Views: views, Today: s.today()}
	for _, e := range eps {
		row := episodeRow(e)
		p.Episodes = append(p.Episodes, row)
		if e.Open() {
			p.Current = &row
		}
	}
	for _, k := range cases {
		p.Cases = append(p.Cases, laCaseRow{Case: k, StageTitle: k.Stage.Title(), RouteTitle: reunify.TitleOf(reunify.Routes, k.Route)})
	}
	for _, x := range people {
		p.People = append(p.People, laPersonRow{Person: x, RelationshipTitle: reunify.TitleOf(reunify.Relationships, x.Relationship)})
	}
	if err := s.store.AuditLAChild(ctx, s.auditEvent(r, audit.View), c.ID, ""); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "reunify_child.html", p)
}

// laField is one question on a child's form, after the GOV.UK components.
type laField struct {
	Kind             string // text, textarea, date, select, radios
	Name, Label      string
	Hint             string
	Value            string
	Day, Month, Year string
	Options          []reunify.Choice
	Error            string
	Width            string // text inputs: 10, 20, 30
	MaxLength        int    // textareas: drawn as a character count
}

// Checked reports whether an option is chosen.
func (f laField) Checked(v string) bool { return f.Value == v }

// laFormPage is every form on a child's record: one template, many questions.
type laFormPage struct {
	Layout
	Caption string // the child, or the team for a new child
	Action  string
	Back    string
	Submit  string
	Intro   []string
	Fields  []laField
	Version int64
	Create  bool // carries an idempotency key
}

// laCtx is what a form's questions and its save step need.
type laCtx struct {
	r     *http.Request
	team  access.Membership
	child reunify.Child // zero on the form that adds a child
	id    int64         // the record named by {id}, if any
	today haven.Date
}

func (c *laCtx) back() string {
	if c.child.ID == 0 {
		return "/la/children"
	}
	return "/la/children/" + itoa(c.child.ID)
}

// laForm describes one form: its questions, the values it starts with, and
// how a sent form is saved.
type laForm struct {
	create  bool
	title   string
	intro   []string
	submit  string
	fields  func(c *laCtx) ([]laField, error)
	initial func(c *laCtx) (url.Values, int64, error) // the values shown first, and the record's version
	// save stores the form and says where to go next and what to say there.
	save func(c *laCtx, v url.Values, version int64, errs map[string]string) (to, flash string, err error)
}

func (s *Server) laCtx(r *http.Request) (*laCtx, error) {
	c := &laCtx{r: r, today: s.today()}
	var err error
	if r.PathValue("child") == "" {
		c.team, err = laTeam(r)
	} else {
		c.child, c.team, err = s.laChild(r)
	}
	if err != nil {
		return nil, err
	}
	if !c.team.Role.Has(access.PermReunifyEdit) {
		return nil, haven.ErrNotFound
	}
	if r.PathValue("id") != "" {
		if c.id, err = userID(r, "id"); err != nil {
			return nil, err
		}
	}
	return c, nil
}

func (s *Server) laAuditForm(r *http.Request, c *laCtx, section string) error {
	if c.child.ID == 0 {
		return nil // the form to add a child shows nobody
	}
	return s.store.AuditLAChild(r.Context(), s.auditEvent(r, audit.View), c.child.ID, section)
}

func (s *Server) laFormShow(f laForm) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		c, err := s.laCtx(r)
		if err != nil {
			return err
		}
		v, version := url.Values{}, int64(0)
		if f.initial != nil {
			if v, version, err = f.initial(c); err != nil {
				return err
			}
		}
		if err := s.laAuditForm(r, c, "form"); err != nil {
			return err
		}
		return s.renderLAForm(w, r, http.StatusOK, f, c, v, version, nil)
	}
}

func (s *Server) renderLAForm(w http.ResponseWriter, r *http.Request, status int, f laForm, c *laCtx, v url.Values, version int64, errs map[string]string) error {
	fields, err := f.fields(c)
	if err != nil {
		return err
	}
	page := &laFormPage{Layout: Layout{Title: f.title, Nav: "la"}, Submit: f.submit, Intro: f.intro, Version: version, Create: f.create,
		Back: c.back(), Action: strings.TrimSuffix(r.URL.Path, "/new")} // a form shown at …/new is sent to …
	page.Caption = c.team.TenantName
	if c.child.ID != 0 {
		page.Caption = c.child.FirstName + " (" + c.child.Ref + ")"
	}
	var order []string
	for _, fd := range fields {
		if fd.Kind == "date" {
			fd.Day, fd.Month, fd.Year = v.Get(fd.Name+"-day"), v.Get(fd.Name+"-month"), v.Get(fd.Name+"-year")
		} else {
			fd.Value = v.Get(fd.Name)
		}
		fd.Error = errs[fd.Name]
		order = append(order, fd.Name)
		page.Fields = append(page.Fields, fd)
	}
	page.Errors = fieldErrors(errs, order...)
	if m, ok := errs[""]; ok && len(page.Fields) > 0 {
		page.Errors = append([]FieldError{{Field: page.Fields[0].Name, Message: m}}, page.Errors...)
	}
	return s.render(w, r, status, "reunify_child_form.html", page)
}

// laConflict is what a form says when someone else saved first.
const laConflict = "Someone else changed this record while you were writing. What you typed is kept below: check the record, then save again"

func (s *Server) laFormSave(f laForm) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := parseForm(r); err != nil {
			return err
		}
		c, err := s.laCtx(r)
		if err != nil {
			return err
		}
		v := r.PostForm
		version, _ := strconv.ParseInt(v.Get("version"), 10, 64)
		errs := map[string]string{}
		to, flash, err := f.save(c, v, version, errs)
		he, _ := errors.AsType[*haven.Error](err)
		switch {
		case err == nil && len(errs) == 0:
			s.saved(w, r, to, flash)
			return nil
		case err == nil:
		case errors.Is(err, haven.ErrConflict) && !isDuplicate(err):
			errs[""] = laConflict
			if f.initial != nil {
				if _, version, err = f.initial(c); err != nil {
					return err
				}
			}
			return s.renderLAForm(w, r, http.StatusConflict, f, c, v, version, errs)
		case he != nil && he.Kind == haven.KindInvalid && len(he.Fields) > 0:
			for k, m := range he.Fields {
				errs[k] = m
			}
		default:
			return err
		}
		return s.renderLAForm(w, r, http.StatusUnprocessableEntity, f, c, v, version, errs)
	}
}

// codeChoices are a 903 code list's current codes for a select, after a
// first option that chooses nothing.
func codeChoices(l reunify.CodeList, none string) []reunify.Choice {
	out := []reunify.Choice{{Value: "", Title: none}}
	for _, c := range l.CurrentCodes() {
		out = append(out, reunify.Choice{Value: c.Code, Title: c.Code + ": " + c.Description})
	}
	return out
}

// laText reads a text answer, refusing what Haven cannot store safely.
func laText(v url.Values, name, label string, errs map[string]string) string {
	s := strings.TrimSpace(v.Get(name))
	if m := haven.NameError(label, s); m != "" {
		errs[name] = m
	}
	return s
}

// merged adds a domain error's fields to errs; any other error is returned.
func merged(err error, errs map[string]string) error {
	if he, ok := errors.AsType[*haven.Error](err); ok && he.Kind == haven.KindInvalid && len(he.Fields) > 0 {
		for k, m := range he.Fields {
			if _, ok := errs[k]; !ok {
				errs[k] = m
			}
		}
		return nil
	}
	return err
}

func (s *Server) laChildForm() laForm {
	return laForm{create: true, title: "Add a child", submit: "Add child",
		intro: []string{"Add a child your team is looking after. Their legal status and placement come from their episodes, which you can add next."},
		fields: func(c *laCtx) ([]laField, error) {
			return []laField{
				{Kind: "text", Name: "ref", Label: "Child ID", Hint: "Your local authority's own ID for the child, as in your SSDA903 return: up to 10 letters, digits or hyphens", Width: "10"},
				{Kind: "text", Name: "firstName", Label: "First name", Width: "20"},
				{Kind: "date", Name: "bornOn", Label: "Date of birth", Hint: "For example, 27 3 2019"},
			}, nil
		},
		save: func(c *laCtx, v url.Values, _ int64, errs map[string]string) (string, string, error) {
			ch := reunify.Child{Team: c.team.TenantID, Ref: laText(v, "ref", "Child ID", errs), FirstName: laText(v, "firstName", "First name", errs),
				BornOn: dateIn(v, "bornOn", "Date of birth", errs)}
			if err := merged(ch.Validate(c.today), errs); err != nil || len(errs) > 0 {
				return "", "", err
			}
			by := infoFrom(c.r.Context()).actor.User.ID
			ch.Worker = by
			made, err := s.store.CreateLAChild(c.r.Context(), s.auditEvent(c.r, audit.Create), ch, by, c.today)
			if d, ok := duplicateOf(err); ok {
				return "/la/children/" + itoa(d.ID), "la-child", nil
			}
			if err != nil {
				return "", "", err
			}
			return "/la/children/" + itoa(made.ID), "la-child", nil
		},
	}
}

func (s *Server) laEpisodeForm() laForm {
	return laForm{create: true, title: "Add an episode", submit: "Add episode",
		intro: []string{"An episode starts whenever the child starts to be looked after, or their legal status, placement or carer changes. Leave the end date and reason empty while the episode goes on."},
		fields: func(c *laCtx) ([]laField, error) {
			return []laField{
				{Kind: "date", Name: "startsOn", Label: "Start date", Hint: "For example, 27 3 2025"},
				{Kind: "select", Name: "rne", Label: "Reason for new episode (RNE)", Options: codeChoices(reunify.NewEpisodeReasons, "Choose a reason")},
				{Kind: "select", Name: "legalStatus", Label: "Legal status (LS)", Options: codeChoices(reunify.LegalStatuses, "Choose a legal status")},
				{Kind: "select", Name: "placement", Label: "Placement type (PLACE)", Options: codeChoices(reunify.Placements, "Choose a placement type")},
				{Kind: "select", Name: "provider", Label: "Placement provider (optional)", Options: codeChoices(reunify.Providers, "Not recorded")},
				{Kind: "date", Name: "endsOn", Label: "End date (optional)", Hint: "Only if the episode has ended. For example, 27 3 2025"},
				{Kind: "select", Name: "rec", Label: "Reason episode ceased (REC, optional)", Hint: "Only if the episode has ended", Options: codeChoices(reunify.CeasedReasons, "Not ended")},
			}, nil
		},
		save: func(c *laCtx, v url.Values, _ int64, errs map[string]string) (string, string, error) {
			e := reunify.Episode{Child: c.child.ID, StartsOn: dateIn(v, "startsOn", "Start date", errs), RNE: v.Get("rne"), LegalStatus: v.Get("legalStatus"),
				Placement: v.Get("placement"), Provider: v.Get("provider"), EndsOn: dateIn(v, "endsOn", "End date", errs), REC: v.Get("rec")}
			if err := merged(currentCodes(e), errs); err != nil {
				return "", "", err
			}
			if err := merged(e.Validate(c.today), errs); err != nil || len(errs) > 0 {
				return "", "", err
			}
			_, err := s.store.AddLAEpisodeChecked(c.r.Context(), s.auditEvent(c.r, audit.Create), e, infoFrom(c.r.Context()).actor.User.ID, c.today)
			if isDuplicate(err) {
				err = nil
			}
			return "/la/children/" + itoa(c.child.ID) + "#episodes", "la-episode", err
		},
	}
}

// currentCodes refuses, by field, a code retired from the current return:
// history may hold one, but nobody records a new episode with it.
func currentCodes(e reunify.Episode) error {
	f := map[string]string{}
	check := func(name, code, msg string, l reunify.CodeList) {
		if c, ok := l.Find(code); ok && !c.Current {
			f[name] = msg
		}
	}
	check("rne", e.RNE, "Choose a reason for the new episode that is in use", reunify.NewEpisodeReasons)
	check("legalStatus", e.LegalStatus, "Choose a legal status that is in use", reunify.LegalStatuses)
	check("placement", e.Placement, "Choose a placement type that is in use", reunify.Placements)
	check("provider", e.Provider, "Choose a placement provider that is in use", reunify.Providers)
	check("rec", e.REC, "Choose a reason the episode ended that is in use", reunify.CeasedReasons)
	if len(f) > 0 {
		return haven.Invalid(f)
	}
	return nil
}

// laEpisode finds the {id} episode of the child.
func (s *Server) laEpisode(c *laCtx) (reunify.Episode, error) {
	eps, err := s.store.LAEpisodes(c.r.Context(), c.child.ID)
	if err != nil {
		return reunify.Episode{}, err
	}
	for _, e := range eps {
		if e.ID == c.id {
			return e, nil
		}
	}
	return reunify.Episode{}, haven.ErrNotFound
}

func (s *Server) laEndEpisodeForm() laForm {
	return laForm{title: "End the current episode", submit: "End episode",
		intro: []string{"Enter the day the episode ended and why. If the child went home to a parent, choose E4A (as part of the care plan) or E4B (not as part of it)."},
		fields: func(c *laCtx) ([]laField, error) {
			e, err := s.laEpisode(c)
			if err != nil {
				return nil, err
			}
			row := episodeRow(e)
			return []laField{
				{Kind: "date", Name: "endsOn", Label: "End date", Hint: "The episode started on " + e.StartsOn.Long() + " (" + row.LSTitle + "; " + row.PlaceTitle + "). For example, 27 3 2026"},
				{Kind: "select", Name: "rec", Label: "Reason episode ceased (REC)", Options: codeChoices(reunify.CeasedReasons, "Choose a reason")},
			}, nil
		},
		initial: func(c *laCtx) (url.Values, int64, error) {
			e, err := s.laEpisode(c)
			return url.Values{}, e.Version, err
		},
		save: func(c *laCtx, v url.Values, version int64, errs map[string]string) (string, string, error) {
			endsOn, rec := dateIn(v, "endsOn", "End date", errs), v.Get("rec")
			if err := merged(currentCodes(reunify.Episode{REC: rec}), errs); err != nil || len(errs) > 0 {
				return "", "", err
			}
			_, err := s.store.EndLAEpisode(c.r.Context(), s.auditEvent(c.r, audit.Update), c.child.ID, c.id, version, endsOn, rec, c.today)
			return "/la/children/" + itoa(c.child.ID) + "#episodes", "la-episode-ended", err
		},
	}
}

func personFields(*laCtx) ([]laField, error) {
	return []laField{
		{Kind: "text", Name: "name", Label: "Name", Width: "30"},
		{Kind: "radios", Name: "relationship", Label: "Relationship to the child", Options: reunify.Relationships},
		{Kind: "radios", Name: "parentalResponsibility", Label: "Do they have parental responsibility?", Options: []reunify.Choice{{Value: "yes", Title: "Yes"}, {Value: "no", Title: "No"}}},
		{Kind: "textarea", Name: "mayBeTold", Label: "What they may be told", Hint: "For example, about school and health but not where the child lives", MaxLength: 2000},
	}, nil
}

func readPerson(v url.Values, p *reunify.Person, errs map[string]string) {
	p.Name, p.Relationship, p.MayBeTold = laText(v, "name", "Name", errs), v.Get("relationship"), strings.TrimSpace(v.Get("mayBeTold"))
	switch v.Get("parentalResponsibility") {
	case "yes":
		p.ParentalResponsibility = true
	case "no":
	default:
		errs["parentalResponsibility"] = "Choose whether they have parental responsibility"
	}
}

func (s *Server) laPersonForm() laForm {
	return laForm{create: true, title: "Add a person around the child", submit: "Add person", fields: personFields,
		save: func(c *laCtx, v url.Values, _ int64, errs map[string]string) (string, string, error) {
			p := reunify.Person{Child: c.child.ID}
			readPerson(v, &p, errs)
			if err := merged(p.Validate(), errs); err != nil || len(errs) > 0 {
				return "", "", err
			}
			_, err := s.store.AddLAPerson(c.r.Context(), s.auditEvent(c.r, audit.Create), p)
			if isDuplicate(err) {
				err = nil
			}
			return "/la/children/" + itoa(c.child.ID) + "#people", "la-person-added", err
		},
	}
}

// laPerson finds the {id} person around the child.
func (s *Server) laPerson(c *laCtx) (reunify.Person, error) {
	ps, err := s.store.LAPeople(c.r.Context(), c.child.ID)
	if err != nil {
		return reunify.Person{}, err
	}
	for _, p := range ps {
		if p.ID == c.id {
			return p, nil
		}
	}
	return reunify.Person{}, haven.ErrNotFound
}

func (s *Server) laPersonUpdateForm() laForm {
	return laForm{title: "Change a person around the child", submit: "Save changes", fields: personFields,
		initial: func(c *laCtx) (url.Values, int64, error) {
			p, err := s.laPerson(c)
			if err != nil {
				return nil, 0, err
			}
			pr := map[bool]string{true: "yes", false: "no"}[p.ParentalResponsibility]
			return url.Values{"name": {p.Name}, "relationship": {p.Relationship}, "parentalResponsibility": {pr}, "mayBeTold": {p.MayBeTold}}, p.Version, nil
		},
		save: func(c *laCtx, v url.Values, version int64, errs map[string]string) (string, string, error) {
			p := reunify.Person{ID: c.id, Child: c.child.ID}
			readPerson(v, &p, errs)
			if err := merged(p.Validate(), errs); err != nil || len(errs) > 0 {
				return "", "", err
			}
			_, err := s.store.UpdateLAPerson(c.r.Context(), s.auditEvent(c.r, audit.Update), p, version)
			return "/la/children/" + itoa(c.child.ID) + "#people", "la-person", err
		},
	}
}

func (s *Server) laViewForm() laForm {
	return laForm{create: true, title: "Record the child's views", submit: "Save the child's views",
		intro: []string{"Write what the child said, in their own words, as closely as you can. Views are kept as recorded and cannot be changed later."},
		fields: func(*laCtx) ([]laField, error) {
			return []laField{
				{Kind: "date", Name: "saidOn", Label: "Date the child said this", Hint: "For example, 27 3 2026"},
				{Kind: "textarea", Name: "words", Label: "What the child said", Hint: "In the child's own words", MaxLength: reunify.MaxViewWords},
			}, nil
		},
		save: func(c *laCtx, v url.Values, _ int64, errs map[string]string) (string, string, error) {
			by := infoFrom(c.r.Context()).actor.User.ID
			vw := reunify.View{Child: c.child.ID, SaidOn: dateIn(v, "saidOn", "Date the child said this", errs), Words: strings.TrimSpace(v.Get("words")), RecordedBy: by}
			if err := merged(vw.Validate(c.today), errs); err != nil || len(errs) > 0 {
				return "", "", err
			}
			_, err := s.store.AddLAChildView(c.r.Context(), s.auditEvent(c.r, audit.Create), vw, c.today)
			if isDuplicate(err) {
				err = nil
			}
			return "/la/children/" + itoa(c.child.ID) + "#views", "la-view", err
		},
	}
}

// laMember reports whether the actor works in a local authority team's
// looked-after children's records.
func laMember(actor *access.Actor) bool {
	for _, m := range actor.Memberships {
		if m.TenantKind == access.TenantLocalAuthority && m.Role.Has(access.PermReunifyView) {
			return true
		}
	}
	return false
}

// laHome is where the signed-in home sends someone whose only work is in a
// local authority team: their children list, not a page with nothing on it.
func laHome(actor *access.Actor) (string, bool) {
	if len(actor.Memberships) == 0 {
		return "", false
	}
	for _, m := range actor.Memberships {
		if m.TenantKind != access.TenantLocalAuthority || !m.Role.Has(access.PermReunifyView) {
			return "", false
		}
	}
	return "/la/children", true
}
