package demo

import (
	"fmt"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/reunify"
)

// reunifyPlans gives the demo LA team two children whose cases show the
// assessment, the agreement and support after the return (issue 18 items 3
// to 5): Ellis went home four months ago with support planned for too short
// a time, and her 3-month check is overdue; Sam went home and came back into
// care. Both are allocated to the demo social worker.
func (s *seeder) reunifyPlans(team access.LATeam) error {
	by := audit.Event{RequestID: "demo-seed"}
	day := func(ago int) haven.Date {
		t := s.now.AddDate(0, 0, -ago)
		return haven.NewDate(t.Year(), t.Month(), t.Day())
	}
	today := day(0)
	var worker int64
	for _, a := range s.sum.Accounts {
		if a.Role == access.RoleLASocialWorker && a.Tenant == team.Slug {
			worker = a.UserID
		}
	}
	type episode struct {
		start, end int
		rne, rec   string
	}
	for _, d := range []struct {
		ref, name  string
		born       haven.Date
		opened     int
		episodes   []episode
		mum, dad   string
		supportEnd int // days ago the support ends (negative: in the future)
		rich       bool
	}{
		{"R3-DEMO-1", "Ellis", haven.NewDate(2017, 5, 14), 330, []episode{{420, 120, "S", "E4A"}}, "Jade Alderley", "Ştefan Łącki", 30, true},
		{"R3-DEMO-2", "Kai", haven.NewDate(2015, 9, 2), 640, []episode{{700, 500, "S", "E4B"}, {400, 0, "S", ""}}, "Megan Foxglove", "", -100, false},
	} {
		child, err := s.db.CreateLAChild(s.ctx, by, reunify.Child{Team: team.ID, Ref: d.ref, FirstName: d.name, BornOn: d.born, Worker: worker}, 0, today)
		if err != nil {
			return fmt.Errorf("demo reunification child: %w", err)
		}
		for _, e := range d.episodes {
			ep := reunify.Episode{Child: child.ID, StartsOn: day(e.start), RNE: e.rne, LegalStatus: "C2", Placement: "U4", REC: e.rec}
			if e.rec != "" {
				ep.EndsOn = day(e.end)
			}
			if _, err := s.db.AddLAEpisode(s.ctx, by, ep, 0, today); err != nil {
				return fmt.Errorf("demo episode: %w", err)
			}
		}
		c, err := s.db.OpenReunification(s.ctx, by, reunify.Case{Child: child.ID, Route: "s31", OpenedOn: day(d.opened), Worker: worker}, today)
		if err != nil {
			return fmt.Errorf("demo reunification case: %w", err)
		}
		var parents []reunify.Person
		for _, p := range []reunify.Person{{Name: d.mum, Relationship: "mother"}, {Name: d.dad, Relationship: "father"}} {
			if p.Name == "" {
				continue
			}
			p.Child, p.ParentalResponsibility = child.ID, true
			saved, err := s.db.AddLAPerson(s.ctx, by, p)
			if err != nil {
				return fmt.Errorf("demo parent: %w", err)
			}
			parents = append(parents, saved)
		}
		entries := []reunify.AssessmentEntry{
			{Section: "strengths", Person: parents[0].ID, Text: "Warm and attentive at every contact; has kept a clean, safe home for six months.", Complete: true},
			{Section: "concerns", Person: parents[0].ID, Text: "A history of relationships with violent partners.", Complete: true},
			{Section: "family-network", Text: "A grandmother nearby who will collect " + d.name + " from school twice a week.", Complete: true},
			{Section: "child-views", Text: "“I want to go home to mum, and see my friends at school.”", Complete: d.rich},
		}
		for _, e := range entries {
			e.By = worker
			if _, err := s.db.SaveAssessmentSection(s.ctx, by, c, e, 0); err != nil {
				return fmt.Errorf("demo assessment: %w", err)
			}
		}
		if _, err := s.db.SavePlan(s.ctx, by, c, reunify.Plan{Expectations: d.name + " is safe, fed, and at school every day. Everyone comes to the review meetings.",
			AgreedOn: day(d.opened - 60), ReviewDates: []haven.Date{day(d.opened - 90), day(d.opened - 120)}}, 0, worker, today); err != nil {
			return fmt.Errorf("demo plan: %w", err)
		}
		var goals []int64
		for _, p := range parents {
			g, err := s.db.AddPlanGoal(s.ctx, by, c, reunify.Goal{Person: p.ID, Words: "Go to the parenting course every week", Steps: "Book a place\nGo every Tuesday\nTalk about it with the family support worker",
				Timeframe: "Within 10 weeks", Support: "A family support worker visits every week"}, worker)
			if err != nil {
				return fmt.Errorf("demo goal: %w", err)
			}
			goals = append(goals, g.ID)
		}
		for i, rs := range [][]reunify.Rating{{reunify.Red, reunify.Amber}, {reunify.Amber, reunify.Green}} {
			r := reunify.Review{HeldOn: day(d.opened - 90 - 30*i), Ratings: map[int64]reunify.Rating{}, By: worker}
			for j, g := range goals {
				r.Ratings[g] = rs[j%2]
			}
			if _, err := s.db.AddPlanReview(s.ctx, by, c, r, today); err != nil {
				return fmt.Errorf("demo review: %w", err)
			}
		}
		if _, err := s.db.AddPlanComment(s.ctx, by, c, reunify.Comment{Person: parents[0].ID, SaidOn: day(d.opened - 60), Words: "I know what I have to do, and I want the help.", By: worker}, today); err != nil {
			return fmt.Errorf("demo comment: %w", err)
		}
		if _, err := s.db.SaveSupport(s.ctx, by, c, reunify.Support{Package: "A family support worker every week, and a place at the parents' group.", EndsOn: day(d.supportEnd)}, 0, worker); err != nil {
			return fmt.Errorf("demo support: %w", err)
		}
	}
	return nil
}
