package demo

import (
	"fmt"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/programme"
	"haven/internal/store"
)

// Fictional partner agencies each demo Practice works with.
var demoAgencies = []programme.Agency{
	{Name: "Northway Housing Advice (demo)", Kind: "Housing", Contact: "01632 960001", Agreement: "Same-week appointments for women on the programme"},
	{Name: "Clearwater Sexual Health Clinic (demo)", Kind: "Sexual health", Contact: "01632 960002", Agreement: "Named nurse; women can be seen without an appointment"},
	{Name: "Safer Futures Domestic Abuse Service (demo)", Kind: "Domestic abuse", Contact: "01632 960003"},
	{Name: "Brightpath Money Advice (demo)", Kind: "Money and benefits", Contact: "01632 960004"},
}

// Goals as women might put them, by domain.
var demoGoals = []struct {
	domain programme.Domain
	words  string
	steps  string
}{
	{programme.DomainHousing, "I want a flat of my own, somewhere quiet", "Register with the council\nView two flats with my practitioner"},
	{programme.DomainMentalHealth, "Sleep better and stop feeling on edge all the time", "See the GP about the waiting list\nTry the breathing exercises"},
	{programme.DomainMoney, "Get my benefits sorted so I am not always short", "Appointment with money advice\nSet up a bank account"},
	{programme.DomainChildren, "Write a letter to my daughter I am proud of", "Talk about what to say\nDraft it together"},
	{programme.DomainWork, "Start a course at the college in September", "Visit the college open day"},
	{programme.DomainIdentity, "Feel like me again", "Join the women's group on Thursdays"},
}

// plans gives each Practice a directory of partner agencies, and the women
// past engagement some goals, referrals out (one stalled) and, for a few, a
// contraception review due soon, so that the tasks dashboard has work on it.
func (s *seeder) plans() error {
	by := audit.Event{RequestID: "demo-seed"}
	today := haven.NewDate(s.now.Year(), s.now.Month(), s.now.Day())
	day := func(ago int) haven.Date {
		t := s.now.AddDate(0, 0, -ago)
		return haven.NewDate(t.Year(), t.Month(), t.Day())
	}
	for _, p := range s.sum.Practices {
		var agencies []programme.Agency
		for _, a := range demoAgencies {
			a.PracticeID = p.ID
			created, err := s.db.CreateAgency(s.ctx, by, a)
			if err != nil {
				return fmt.Errorf("demo agency: %w", err)
			}
			agencies = append(agencies, created)
		}
		lead, err := s.leadOf(p.Slug)
		if err != nil {
			return err
		}
		people, err := s.db.PeopleFor(s.ctx, lead, store.Page{Limit: 500})
		if err != nil {
			return err
		}
		for i, person := range people {
			es, err := s.db.Enrolments(s.ctx, person.ID)
			if err != nil {
				return err
			}
			if len(es) == 0 || es[0].Phase == programme.PhaseReferred {
				continue
			}
			for j := range 2 + i%2 {
				g := demoGoals[(i+j)%len(demoGoals)]
				goal, err := s.db.CreateGoal(s.ctx, by, programme.Goal{PersonID: person.ID, Domain: g.domain, Words: g.words, Steps: g.steps, Progress: programme.NotStarted}, lead.User.ID, today)
				if err != nil {
					return fmt.Errorf("demo goal: %w", err)
				}
				if j == 0 && i%3 != 2 { // most first goals have been reviewed; the rest are due a review
					rev := programme.Review{On: day(20 + 10*i), Note: "Talked it through; first step done.", Progress: programme.InProgress, By: person.PractitionerID}
					if err := s.db.ReviewGoal(s.ctx, by, goal, rev, goal.Version, today); err != nil {
						return fmt.Errorf("demo review: %w", err)
					}
				}
			}
			ref, err := s.db.SendReferralOut(s.ctx, by, person, agencies[i%len(agencies)].ID, "Help with "+agencies[i%len(agencies)].Kind, day(10+9*i))
			if err != nil {
				return fmt.Errorf("demo referral out: %w", err)
			}
			if i%2 == 0 { // the others are left to stall, so there is something to chase
				if err := s.db.AdvanceReferralOut(s.ctx, by, ref, programme.OutAccepted, day(5+i), ""); err != nil {
					return fmt.Errorf("demo referral out: %w", err)
				}
			}
			if i%2 == 1 {
				c := programme.Contraception{Method: programme.Methods[i%len(programme.Methods)], StartedOn: day(300), ReviewOn: day(-7 - 5*i), Service: "Clearwater Sexual Health Clinic (demo)"}
				if err := s.db.SaveContraception(s.ctx, by, person.ID, c, 0, lead.User.ID); err != nil {
					return fmt.Errorf("demo contraception: %w", err)
				}
			}
		}
	}
	return nil
}

// leadOf returns the demo lead of a Practice, as an actor.
func (s *seeder) leadOf(slug string) (*access.Actor, error) {
	for _, a := range s.sum.Accounts {
		if a.Role == access.RolePracticeLead && a.Tenant == slug {
			return s.db.Actor(s.ctx, a.UserID)
		}
	}
	return nil, fmt.Errorf("demo: no lead for %s", slug)
}
