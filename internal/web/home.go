package web

import (
	"net/http"
	"slices"
	"strings"

	"haven/internal/access"
	"haven/internal/haven"
	"haven/internal/programme"
	"haven/internal/store"
)

// The signed-in home: where each role lands after signing in. It shows who
// is signed in, then what their roles have for them today: a practitioner's
// caseload and tasks, a lead's triage, caseloads and what is overdue, a
// co-ordinator's triage and tasks; and for every role the pages it may open.

type signedInHomePage struct {
	Layout
	User  access.User
	Roles []homeRole
	Today haven.Date

	Practitioner bool                     // holds the practitioner role somewhere
	Caseload     []programme.Person       // the women allocated to her
	Triage       bool                     // may triage: a lead or co-ordinator
	TriageNew    int                      // referrals nobody has answered yet
	TriageAll    int                      // every referral in the queue
	Lead         bool                     // holds the practice lead role somewhere
	Practices    []store.PracticeOverview // caseloads per practitioner, where she leads
	Coordinator  bool
	Tasks        []homeTask // the soonest due and overdue, at most homeTasks
	TaskCount    int
	Overdue      []homeTask // the tasks whose date has passed, at most homeTasks
	OverdueCount int
	Links        []homeLink
	Notes        []string // what a role's own pages will be, where Haven has none yet
}

// homeRole is one role held, where, and the organisation that runs it.
type homeRole struct {
	Name, Where, Organisation string
}

type homeTask struct {
	programme.Task
	Overdue bool
}

// homeLink is a page the signed-in user may open, from the route list.
type homeLink struct {
	Href, Text, Hint string
}

// homeLinks are the pages a home may offer, each with the route that serves
// it: a link is shown only when that route's permission is held.
var homeLinks = []struct{ pattern, href, text, hint string }{
	{"GET /people", "/people", "People", "Find a woman's record"},
	{"GET /tasks", "/tasks", "Tasks", "Everything due and overdue"},
	{"GET /triage", "/triage", "Triage", "Referrals waiting for an answer"},
	{"GET /referrals/new", "/referrals/new", "Make a referral", "Refer a woman to your Practice"},
	{"GET /overview", "/overview", "Practice overview", "Caseloads, phases and programmes nearing their end"},
	{"GET /agencies", "/agencies", "Partner agencies", "The agencies your Practice refers women to"},
	{"GET /reports/contact", "/reports/contact", "Contact report", "Contact with children, for your Practice"},
	{"GET /reports/contact/organisation", "/reports/contact/organisation", "Organisation report", "Contact with children across Practices, with small numbers hidden"},
	{"GET /evaluation", "/evaluation", "Programme outcomes", "Outcome metrics, completion and time in each phase, across Practices"},
	{"GET /directory/coverage", "/directory/coverage", "Coverage of the directory", "Local authorities with no service, and services by model, host and funding"},
	{"GET /directory/queue", "/directory/queue", "Directory queue", "Suggestions and corrections from the public, and entries not checked for 12 months"},
	{"GET /directory/import", "/directory/import", "Import directory entries", "Entries in HSDS's tabular form, checked row by row, all or nothing"},
	{"GET /directory/my-services", "/directory/my-services", "Your services' entries", "Keep your service's entry in the national directory up to date"},
	{"GET /events/new", "/events/new", "Add an event", "A seminar, panel or practice forum for the community of practice"},
	{"GET /mailing-list/send", "/mailing-list/send", "Write to the mailing list", "A message, with the new resources and the events to come"},
	{"GET /forum", "/forum", "Practitioners' forum", "Ask other practitioners, and share what works"},
	{"GET /admin/users", "/admin/users", "Users", "Invite people, give and take roles, reset second factors"},
	{"GET /admin/audit", "/admin/audit", "Audit trail", "Who did what, and when"},
	{"GET /admin/measures", "/admin/measures", "Measures that need registering", "Switch on the wellbeing scales once this service has registered"},
	{"GET /admin/evaluation", "/admin/evaluation", "Evaluation settings", "The smallest number shown in reports, and each measure's meaningful change"},
	{"GET /library/review", "/library/review", "Resources to review", "Proposals for the resource library, to publish or turn down"},
	{"GET /library/propose", "/library/propose", "Propose a resource", "Suggest a guide, tool or piece of research for the resource library"},
	{"GET /account/tokens", "/account/tokens", "API tokens", "Tokens for connecting other systems to Haven"},
	{"GET /account", "/account", "Your account", "Your roles, your sessions and your password"},
	{"GET /practices", "/practices", "Practices", "Every Practice using Haven"},
}

// roleNotes say, for roles whose own pages Haven does not have yet, what
// will be there, so that nobody is left looking for them.
var roleNotes = map[access.Role]string{}

// allowed reports whether the actor holds the permission of the route with
// this pattern: the same check the route itself makes.
func (s *Server) allowed(actor *access.Actor, pattern string) bool {
	method, path, _ := strings.Cut(pattern, " ")
	return s.mayFollow(actor, method, path)
}

func holds(actor *access.Actor, role access.Role) bool {
	return slices.ContainsFunc(actor.Memberships, func(m access.Membership) bool { return m.Role == role })
}

// homeTasks is how many tasks a home lists; the tasks page has them all.
const homeTasks = 10

// maxCaseloadPages bounds reading a practitioner's women; at 500 a page
// it is far beyond any caseload cap.
const maxCaseloadPages = 4

func (s *Server) signedInHome(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	actor := infoFrom(ctx).actor
	if to, ok := laHome(actor); ok {
		http.Redirect(w, r, to, http.StatusSeeOther)
		return nil
	}
	p := &signedInHomePage{Layout: Layout{Title: "Home", Nav: "home"}, User: actor.User, Today: s.today(),
		Practitioner: holds(actor, access.RolePractitioner), Lead: holds(actor, access.RolePracticeLead),
		Coordinator: holds(actor, access.RolePracticeCoordinator), Triage: s.allowed(actor, "GET /triage")}
	roles, err := s.homeRoles(r, actor)
	if err != nil {
		return err
	}
	p.Roles = roles
	shown := false // whether the page names any woman, and so must be audited

	if p.Practitioner {
		pg := store.Page{Limit: 500}
		for range maxCaseloadPages {
			people, err := s.store.PeopleFor(ctx, actor, pg)
			if err != nil {
				return err
			}
			for _, person := range people {
				// Lists also show women shared with her or opened by break-glass; her caseload is hers.
				if person.PractitionerID == actor.User.ID {
					p.Caseload = append(p.Caseload, person)
				}
			}
			if len(people) < pg.Limit {
				break
			}
			pg.After = people[len(people)-1].ID
		}
		shown = shown || len(p.Caseload) > 0
	}
	if p.Practitioner || p.Lead || p.Coordinator {
		tasks, err := s.store.TasksFor(ctx, actor, p.Today)
		if err != nil {
			return err
		}
		for _, t := range tasks { // soonest first: the first few are the ones to show
			ht := homeTask{Task: t, Overdue: t.Overdue(p.Today)}
			if p.TaskCount++; len(p.Tasks) < homeTasks {
				p.Tasks = append(p.Tasks, ht)
			}
			if !ht.Overdue {
				continue
			}
			if p.OverdueCount++; len(p.Overdue) < homeTasks {
				p.Overdue = append(p.Overdue, ht)
			}
		}
		shown = shown || len(tasks) > 0
	}
	if p.Triage {
		queue, err := s.store.TriageQueue(ctx, actor)
		if err != nil {
			return err
		}
		p.TriageAll = len(queue)
		for _, rf := range queue {
			if rf.Status == programme.ReferralNew {
				p.TriageNew++
			}
		}
	}
	if p.Lead {
		for _, m := range actor.Memberships {
			if m.Role != access.RolePracticeLead || m.TenantKind != access.TenantPractice {
				continue
			}
			o, err := s.store.Overview(ctx, store.Tenant{Kind: m.TenantKind, ID: m.TenantID, Slug: m.TenantSlug, Name: m.TenantName}, p.Today)
			if err != nil {
				return err
			}
			p.Practices = append(p.Practices, o)
		}
	}
	for _, l := range homeLinks {
		if s.allowed(actor, l.pattern) {
			p.Links = append(p.Links, homeLink{Href: l.href, Text: l.text, Hint: l.hint})
		}
	}
	if laMember(actor) {
		p.Links = append(p.Links, homeLink{Href: "/la/children", Text: "Looked-after children", Hint: "Your team's children, their episodes, the people around them and their views"})
	}
	for _, m := range actor.Memberships {
		if n, ok := roleNotes[m.Role]; ok && !slices.Contains(p.Notes, n) {
			p.Notes = append(p.Notes, n)
		}
	}
	if shown {
		// It names women, so reading it is recorded like any list of records.
		if err := s.store.Audit(ctx, s.viewEvent(r, 0, "home")); err != nil {
			return err
		}
	}
	return s.render(w, r, http.StatusOK, "signed-in-home.html", p)
}

// homeRoles names each role held, where, and the organisation running a Practice.
func (s *Server) homeRoles(r *http.Request, actor *access.Actor) ([]homeRole, error) {
	var orgs map[int64]string
	var out []homeRole
	for _, m := range actor.Memberships {
		hr := homeRole{Name: m.Role.Name(), Where: m.TenantName}
		if m.TenantKind == access.TenantPractice {
			if orgs == nil {
				list, err := s.store.ListOrganisations(r.Context())
				if err != nil {
					return nil, err
				}
				orgs = map[int64]string{}
				for _, o := range list {
					orgs[o.ID] = o.Name
				}
			}
			pr, err := s.store.Practice(r.Context(), m.TenantID)
			if err != nil {
				return nil, err
			}
			hr.Organisation = orgs[pr.OrganisationID]
		}
		out = append(out, hr)
	}
	return out, nil
}
