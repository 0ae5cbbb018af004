package web

import (
	"net/http"
	"strconv"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/reunify"
	"haven/internal/store"
)

// The looked-after children API: /api/v1/la/children and each child's
// episodes, with the same team rule (404 for anyone outside the team), the
// same checks, audit and idempotency keys as the pages. Dates are YYYY-MM-DD.

type apiLAEpisode struct {
	ID          int64   `json:"id"`
	StartsOn    apiDate `json:"startsOn"`
	RNE         string  `json:"rne"`
	LegalStatus string  `json:"legalStatus"`
	Placement   string  `json:"placement"`
	Provider    string  `json:"provider"`
	EndsOn      apiDate `json:"endsOn"`
	REC         string  `json:"rec"`
	PlaceChange string  `json:"placeChange"`
	Version     int64   `json:"version"`
}

type apiLAChildOut struct {
	ID        int64         `json:"id"`
	Ref       string        `json:"ref"`
	FirstName string        `json:"firstName"`
	BornOn    apiDate       `json:"bornOn"`
	Current   *apiLAEpisode `json:"currentEpisode"` // null if not looked after now
	Version   int64         `json:"version"`
}

type apiLAPerson struct {
	ID                     int64  `json:"id"`
	Name                   string `json:"name"`
	Relationship           string `json:"relationship"`
	ParentalResponsibility bool   `json:"parentalResponsibility"`
	MayBeTold              string `json:"mayBeTold"`
	Version                int64  `json:"version"`
}

type apiLAView struct {
	SaidOn     apiDate `json:"saidOn"`
	Words      string  `json:"words"`
	RecordedBy string  `json:"recordedBy"`
}

type apiLACase struct {
	ID       int64   `json:"id"`
	Stage    string  `json:"stage"`
	Route    string  `json:"route"`
	OpenedOn apiDate `json:"openedOn"`
	ClosedOn apiDate `json:"closedOn"`
}

// apiLAChildRecord is GET /api/v1/la/children/{child}.
type apiLAChildRecord struct {
	apiLAChildOut
	Episodes      []apiLAEpisode `json:"episodes"`
	People        []apiLAPerson  `json:"people"`
	Views         []apiLAView    `json:"views"`
	Reunification []apiLACase    `json:"reunification"`
}

// laChildRequest is the body of POST /api/v1/la/children.
type laChildRequest struct {
	Ref       string  `json:"ref"`
	FirstName string  `json:"firstName"`
	BornOn    apiDate `json:"bornOn"`
}

// laEpisodeRequest is the body of POST /api/v1/la/children/{child}/episodes.
// endsOn and rec are given together, or neither while the episode goes on.
type laEpisodeRequest struct {
	StartsOn    apiDate `json:"startsOn"`
	RNE         string  `json:"rne"`
	LegalStatus string  `json:"legalStatus"`
	Placement   string  `json:"placement"`
	Provider    string  `json:"provider"`
	EndsOn      apiDate `json:"endsOn"`
	REC         string  `json:"rec"`
}

func toAPILAEpisode(e reunify.Episode) apiLAEpisode {
	return apiLAEpisode{ID: e.ID, StartsOn: dated(e.StartsOn), RNE: e.RNE, LegalStatus: e.LegalStatus, Placement: e.Placement, Provider: e.Provider,
		EndsOn: dated(e.EndsOn), REC: e.REC, PlaceChange: e.PlaceChange, Version: e.Version}
}

func toAPILAChild(c reunify.Child, current reunify.Episode) apiLAChildOut {
	out := apiLAChildOut{ID: c.ID, Ref: c.Ref, FirstName: c.FirstName, BornOn: dated(c.BornOn), Version: c.Version}
	if current.ID != 0 {
		e := toAPILAEpisode(current)
		out.Current = &e
	}
	return out
}

// parseLAChildRequest reads a new child from an API body, for the team:
// 400 for a body that is not one JSON object of these fields, 422 naming
// each field that is wrong.
func parseLAChildRequest(r *http.Request, team int64, today haven.Date) (reunify.Child, error) {
	var b laChildRequest
	if err := decodeJSON(r, &b); err != nil {
		return reunify.Child{}, err
	}
	c := reunify.Child{Team: team, Ref: b.Ref, FirstName: b.FirstName, BornOn: b.BornOn.Date}
	f := map[string]string{}
	if m := haven.NameError("ref", b.Ref); m != "" {
		f["ref"] = m
	}
	if m := haven.NameError("firstName", b.FirstName); m != "" {
		f["firstName"] = m
	}
	if err := merged(c.Validate(today), f); err != nil {
		return c, err
	}
	if len(f) > 0 {
		return c, haven.Invalid(f)
	}
	return c, nil
}

// parseLAEpisodeRequest reads a new episode of the child from an API body,
// checked on its own (its codes current, its dates in order); the rules
// between the child's episodes are the store's to check.
func parseLAEpisodeRequest(r *http.Request, child int64, today haven.Date) (reunify.Episode, error) {
	var b laEpisodeRequest
	if err := decodeJSON(r, &b); err != nil {
		return reunify.Episode{}, err
	}
	e := reunify.Episode{Child: child, StartsOn: b.StartsOn.Date, RNE: b.RNE, LegalStatus: b.LegalStatus, Placement: b.Placement, Provider: b.Provider,
		EndsOn: b.EndsOn.Date, REC: b.REC}
	f := map[string]string{}
	if err := merged(currentCodes(e), f); err != nil {
		return e, err
	}
	if err := merged(e.Validate(today), f); err != nil {
		return e, err
	}
	if len(f) > 0 {
		return e, haven.Invalid(f)
	}
	return e, nil
}

// apiLATeam is the actor's LA team, for a call that changes its records.
func apiLATeam(r *http.Request, perm access.Permission) (access.Membership, error) {
	team, err := laTeam(r)
	if err == nil && !team.Role.Has(perm) {
		err = haven.ErrNotFound
	}
	return team, err
}

func (s *Server) apiLAChildren(w http.ResponseWriter, r *http.Request) error {
	team, err := laTeam(r)
	if err != nil {
		return err
	}
	pg := store.Page{Limit: 100}
	if after := r.URL.Query().Get("after"); after != "" {
		n, err := strconv.ParseInt(after, 10, 64)
		if err != nil || n < 0 {
			return badRequest("after must be a whole number from a previous page's next")
		}
		pg.After = n
	}
	rows, err := s.store.SearchLAChildren(r.Context(), team.TenantID, "", pg)
	if err != nil {
		return err
	}
	if err := s.store.AuditLAChild(r.Context(), s.auditEvent(r, audit.View), 0, "children"); err != nil {
		return err
	}
	out := struct {
		Children []apiLAChildOut `json:"children"`
		Next     string          `json:"next,omitempty"`
	}{Children: []apiLAChildOut{}}
	for _, row := range rows {
		out.Children = append(out.Children, toAPILAChild(row.Child, row.Current))
	}
	if len(rows) == pg.Limit {
		out.Next = itoa(rows[len(rows)-1].Child.ID)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiCreateLAChild(w http.ResponseWriter, r *http.Request) error {
	team, err := apiLATeam(r, access.PermReunifyEdit)
	if err != nil {
		return err
	}
	today := s.today()
	c, err := parseLAChildRequest(r, team.TenantID, today)
	if err != nil {
		return err
	}
	by := s.apiBy(r)
	c.Worker = by
	made, err := s.store.CreateLAChild(r.Context(), s.auditEvent(r, audit.Create), c, by, today)
	if d, ok := duplicateOf(err); ok {
		first, err := s.store.LAChild(r.Context(), team.TenantID, d.ID)
		if err != nil {
			return err
		}
		replayed(w)
		writeJSON(w, http.StatusCreated, toAPILAChild(first, reunify.Episode{}))
		return nil
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toAPILAChild(made, reunify.Episode{}))
	return nil
}

func (s *Server) apiLAChild(w http.ResponseWriter, r *http.Request) error {
	c, _, err := s.laChild(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	eps, err := s.store.LAEpisodes(ctx, c.ID)
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
	cases, err := s.store.ReunificationCases(ctx, c.ID)
	if err != nil {
		return err
	}
	current, _ := reunify.OpenEpisode(eps)
	out := apiLAChildRecord{apiLAChildOut: toAPILAChild(c, current), Episodes: []apiLAEpisode{}, People: []apiLAPerson{}, Views: []apiLAView{}, Reunification: []apiLACase{}}
	for _, e := range eps {
		out.Episodes = append(out.Episodes, toAPILAEpisode(e))
	}
	for _, p := range people {
		out.People = append(out.People, apiLAPerson{ID: p.ID, Name: p.Name, Relationship: p.Relationship, ParentalResponsibility: p.ParentalResponsibility, MayBeTold: p.MayBeTold, Version: p.Version})
	}
	for _, v := range views {
		out.Views = append(out.Views, apiLAView{SaidOn: dated(v.SaidOn), Words: v.Words, RecordedBy: v.ByName})
	}
	for _, k := range cases {
		out.Reunification = append(out.Reunification, apiLACase{ID: k.ID, Stage: string(k.Stage), Route: k.Route, OpenedOn: dated(k.OpenedOn), ClosedOn: dated(k.ClosedOn)})
	}
	if err := s.store.AuditLAChild(ctx, s.auditEvent(r, audit.View), c.ID, ""); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) apiLAEpisodes(w http.ResponseWriter, r *http.Request) error {
	c, _, err := s.laChild(r)
	if err != nil {
		return err
	}
	eps, err := s.store.LAEpisodes(r.Context(), c.ID)
	if err != nil {
		return err
	}
	if err := s.store.AuditLAChild(r.Context(), s.auditEvent(r, audit.View), c.ID, "episodes"); err != nil {
		return err
	}
	out := []apiLAEpisode{}
	for _, e := range eps {
		out = append(out, toAPILAEpisode(e))
	}
	writeJSON(w, http.StatusOK, map[string]any{"episodes": out})
	return nil
}

func (s *Server) apiCreateLAEpisode(w http.ResponseWriter, r *http.Request) error {
	c, team, err := s.laChild(r)
	if err == nil && !team.Role.Has(access.PermReunifyEdit) {
		err = haven.ErrNotFound
	}
	if err != nil {
		return err
	}
	today := s.today()
	e, err := parseLAEpisodeRequest(r, c.ID, today)
	if err != nil {
		return err
	}
	made, err := s.store.AddLAEpisodeChecked(r.Context(), s.auditEvent(r, audit.Create), e, s.apiBy(r), today)
	if d, ok := duplicateOf(err); ok {
		eps, err := s.store.LAEpisodes(r.Context(), c.ID)
		if err != nil {
			return err
		}
		first, ok := byID(eps, d.ID, func(e reunify.Episode) int64 { return e.ID })
		if !ok {
			return haven.ErrNotFound
		}
		replayed(w)
		writeJSON(w, http.StatusCreated, toAPILAEpisode(first))
		return nil
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toAPILAEpisode(made))
	return nil
}
