package web

import (
	"errors"
	"net/http"
	"strconv"

	"haven/internal/access"
	"haven/internal/haven"
	"haven/internal/programme"
	"haven/internal/store"
)

// People search is a POST so that names never appear in URLs, browser
// history or access logs.

// searchAfter reads the keyset cursor a search results page posts back.
func searchAfter(v string) (int64, error) {
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, badRequest("The page of results asked for does not exist. Search again.")
	}
	return n, nil
}

func (s *Server) peopleSearch(w http.ResponseWriter, r *http.Request) error {
	actor := infoFrom(r.Context()).actor
	after, err := searchAfter(r.PostFormValue("after"))
	if err != nil {
		return err
	}
	q := r.PostFormValue("q")
	term, err := programme.SearchTerm(q)
	if err != nil {
		p, perr := s.peopleListPage(r, actor, nil, store.Page{})
		if perr != nil {
			return perr
		}
		p.Query, p.Searched = q, true
		var he *haven.Error
		if errors.As(err, &he) {
			p.Errors = fieldErrors(he.Fields, "q")
		}
		return s.render(w, r, http.StatusUnprocessableEntity, "people.html", p)
	}
	pg := store.Page{After: after, Limit: 50}
	people, err := s.store.SearchListPeople(r.Context(), actor, term, pg)
	if err != nil {
		return err
	}
	p, err := s.peopleListPage(r, actor, people, pg)
	if err != nil {
		return err
	}
	p.Query, p.Searched = q, true
	if err := s.store.Audit(r.Context(), s.viewEvent(r, 0, "search")); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "people.html", p)
}

// peopleListPage fills in what the people page shows beside the people.
func (s *Server) peopleListPage(r *http.Request, actor *access.Actor, people []programme.Listed, pg store.Page) (*peoplePage, error) {
	names, err := s.practitionerNames(r, actor.PracticeIDs(access.PermCaseView))
	if err != nil {
		return nil, err
	}
	las, err := s.laCached(r.Context())
	if err != nil {
		return nil, err
	}
	p := &peoplePage{Layout: Layout{Title: "People", Nav: "people"}, People: people, Names: names,
		CanAdd: len(actor.PracticeIDs(access.PermCaseAllocate)) > 0, LANames: las.names}
	if pg.Limit > 0 && len(people) == pg.Limit {
		p.Next = people[len(people)-1].ID
	}
	return p, nil
}

type apiSearchRequest struct {
	Query string `json:"query"`
	After string `json:"after,omitempty"`
	Limit int    `json:"limit,omitempty"`
}

// apiPeopleSearch is POST /api/v1/people/search, with the query in the body.
func (s *Server) apiPeopleSearch(w http.ResponseWriter, r *http.Request) error {
	var req apiSearchRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	after, err := searchAfter(req.After)
	if err != nil {
		return err
	}
	if req.Limit < 0 || req.Limit > 500 {
		return haven.Invalid(map[string]string{"limit": "limit must be a whole number from 1 to 500"})
	}
	term, err := programme.SearchTerm(req.Query)
	if err != nil {
		var he *haven.Error
		if errors.As(err, &he) && he.Fields["q"] != "" {
			return haven.Invalid(map[string]string{"query": he.Fields["q"]})
		}
		return err
	}
	pg := store.Page{After: after, Limit: req.Limit}
	if pg.Limit == 0 {
		pg.Limit = 100
	}
	people, err := s.store.SearchPeople(r.Context(), infoFrom(r.Context()).actor, term, pg)
	if err != nil {
		return err
	}
	return s.writePeoplePage(w, r, people, pg, "search")
}
