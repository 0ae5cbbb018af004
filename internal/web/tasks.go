package web

import (
	"net/http"

	"haven/internal/access"
	"haven/internal/haven"
	"haven/internal/programme"
	"haven/internal/store"
)

// tasksPage is the dashboard of what is due and overdue: a practitioner's
// own women, or a lead's whole Practice.
type tasksPage struct {
	Layout
	Tasks []programme.Task
	Today haven.Date
}

// Overdue counts the tasks whose date has passed.
func (p *tasksPage) Overdue() int {
	n := 0
	for _, t := range p.Tasks {
		if t.Overdue(p.Today) {
			n++
		}
	}
	return n
}

func (s *Server) tasks(w http.ResponseWriter, r *http.Request) error {
	today := s.today()
	ts, err := s.store.TasksFor(r.Context(), infoFrom(r.Context()).actor, today)
	if err != nil {
		return err
	}
	// The list names people, so reading it is recorded like any list of records.
	if err := s.store.Audit(r.Context(), s.viewEvent(r, 0, "tasks")); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "tasks.html", &tasksPage{Layout: Layout{Title: "Tasks", Nav: "tasks"}, Tasks: ts, Today: today})
}

// overviewPage is the lead's and co-ordinator's view of each Practice they run.
type overviewPage struct {
	Layout
	Practices []store.PracticeOverview
	Phases    []programme.Phase
	Transfers []store.Transfer // waiting for this lead's answer
}

func (s *Server) overview(w http.ResponseWriter, r *http.Request) error {
	actor := infoFrom(r.Context()).actor
	p := &overviewPage{Layout: Layout{Title: "Practice overview", Nav: "overview"}, Phases: programme.Phases}
	for _, m := range actor.Memberships {
		if m.TenantKind != access.TenantPractice || !m.Role.Has(access.PermCaseAllocate) {
			continue
		}
		o, err := s.store.Overview(r.Context(), store.Tenant{Kind: m.TenantKind, ID: m.TenantID, Slug: m.TenantSlug, Name: m.TenantName}, s.today())
		if err != nil {
			return err
		}
		p.Practices = append(p.Practices, o)
	}
	ts, err := s.store.TransfersWaiting(r.Context(), actor)
	if err != nil {
		return err
	}
	p.Transfers = ts
	if err := s.store.Audit(r.Context(), s.viewEvent(r, 0, "overview")); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "overview.html", p)
}
