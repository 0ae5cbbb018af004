package demo

import (
	"fmt"
	"slices"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/programme"
	"haven/internal/store"
)

// Fictional case notes. Every one says it is made up.
var sessionNotes = map[programme.SessionType][]string{
	programme.SessionHomeVisit: {
		"Visited her at home. She had been to the food bank and talked about wanting to get the flat ready before winter.\n\nWe agreed to look at a budgeting plan next time.",
		"Home visit. She was tired but chatty; she had slept badly after a letter from the council. We read it together and it was only a rent statement.",
		"She showed me the photos she keeps of her children. We talked about the later-life letter and what she might want to say.",
	},
	programme.SessionAccompanied: {
		"Went with her to her GP appointment. She asked her own questions and the GP referred her for talking therapy.",
		"Accompanied her to the housing options appointment. The officer agreed to review her banding.",
		"Went with her to the sexual health clinic for her review. She wanted me in the waiting room only, which was her choice.",
	},
	programme.SessionPhone: {
		"Short call. She wanted to check the time of Thursday's appointment and said she was feeling more settled.",
		"She texted to say her phone credit had run out; called her back. She is keeping her appointments this week.",
	},
	programme.SessionVideo: {
		"Video call as she had a cold. We went over her goals and she said the gym pass had helped her mood.",
	},
	programme.SessionGroup: {
		"Group session on healthy relationships. She joined in for the first time and stayed for lunch.",
		"Creative writing group. She wrote a short piece about the seaside and chose to read it out.",
	},
	programme.SessionOutreach: {
		"Called at her address as agreed; no answer. Left a card with my number.",
		"Tried her phone twice and sent a text. No reply yet; will try again on Monday.",
	},
}

var sessionHelp = []string{"Helped her fill in a housing form", "Lift to the GP surgery", "Bought a bus pass with her", "Helped her set up a bank account", ""}

var sessionAgencies = []string{"GP surgery", "Housing options team", "Local domestic abuse service", "Sexual health clinic", "Jobcentre", ""}

// sessionSpend is flexible-fund spend that fits each kind: pence and category.
var sessionSpend = []struct {
	pence    int64
	category programme.FundCategory
}{
	{450, programme.FundTravel}, {1250, programme.FundFood}, {3500, programme.FundClothing},
	{1000, programme.FundPhone}, {2200, programme.FundActivities}, {6999, programme.FundHousehold},
}

var sessionMinutes = map[programme.SessionType][2]int{
	programme.SessionHomeVisit:   {45, 120},
	programme.SessionAccompanied: {60, 240},
	programme.SessionPhone:       {5, 30},
	programme.SessionVideo:       {30, 60},
	programme.SessionGroup:       {90, 150},
	programme.SessionOutreach:    {10, 30},
}

// sessions gives each demo woman past referral 3 to 12 fictional sessions
// over the last months, with some flexible-fund spend and one correction.
func (s *seeder) sessions() error {
	today := haven.NewDate(s.now.Year(), s.now.Month(), s.now.Day())
	corrected := false
	by := audit.Event{RequestID: "demo-seed"}
	for _, pr := range s.sum.Practices {
		var lead *access.Actor
		for _, a := range s.sum.Accounts {
			if a.Tenant == pr.Slug && a.Role == access.RolePracticeLead {
				actor, err := s.db.Actor(s.ctx, a.UserID)
				if err != nil {
					return err
				}
				lead = actor
			}
		}
		if lead == nil {
			continue
		}
		people, err := s.db.PeopleFor(s.ctx, lead, store.Page{Limit: 500})
		if err != nil {
			return err
		}
		for _, p := range people {
			es, err := s.db.Enrolments(s.ctx, p.ID)
			if err != nil {
				return err
			}
			var open *programme.Enrolment
			for i := range es {
				if es[i].Phase.Open() && es[i].Phase != programme.PhaseReferred {
					open = &es[i]
					break
				}
			}
			if open == nil {
				continue
			}
			author := p.PractitionerID
			if author == 0 {
				author = lead.User.ID
			}
			// The window, in days before today: from engagement (or referral) to
			// yesterday, or to the day she left if she ended early; at most 240 days.
			daysAgo := func(d haven.Date) int { return int(today.Time().Sub(d.Time()).Hours() / 24) }
			start := daysAgo(open.ReferredOn)
			if !open.EngagedOn.IsZero() {
				start = daysAgo(open.EngagedOn)
			}
			end := 1
			if open.Phase == programme.PhaseEnded && !open.EndedOn.IsZero() {
				end = daysAgo(open.EndedOn)
			}
			start = min(start, end+240)
			if start-end < 7 {
				continue
			}
			n := 3 + s.rng.IntN(10)
			ago := make([]int, n)
			for i := range ago {
				ago[i] = end + s.rng.IntN(start-end+1)
			}
			slices.Sort(ago)
			slices.Reverse(ago) // oldest first
			for i, a := range ago {
				kind := programme.SessionTypes[s.rng.IntN(len(programme.SessionTypes))]
				notes := sessionNotes[kind]
				span := sessionMinutes[kind]
				sess := programme.Session{PersonID: p.ID, On: sessionDay(today, a), Type: kind,
					Minutes:       span[0] + s.rng.IntN(span[1]-span[0]+1),
					InitiatedBy:   programme.Initiators[s.rng.IntN(len(programme.Initiators))],
					Note:          notes[s.rng.IntN(len(notes))] + " (Fictional demo note.)",
					PracticalHelp: sessionHelp[s.rng.IntN(len(sessionHelp))],
					Agencies:      sessionAgencies[s.rng.IntN(len(sessionAgencies))],
					CreatedBy:     author}
				if kind == programme.SessionOutreach {
					sess.InitiatedBy, sess.PracticalHelp, sess.Agencies = programme.InitiatedByPractitioner, "", ""
				}
				if s.rng.IntN(3) == 0 && kind != programme.SessionOutreach {
					sp := sessionSpend[s.rng.IntN(len(sessionSpend))]
					sess.FundPence, sess.FundCategory = sp.pence, sp.category
				}
				created, err := s.db.RecordSession(s.ctx, by, sess, today, false)
				if err != nil {
					return fmt.Errorf("demo session: %w", err)
				}
				if !corrected && i == 0 {
					corrected = true
					note := created.Note + "\n\nCorrection: the appointment mentioned was on Tuesday, not Monday."
					if err := s.db.CorrectSession(s.ctx, by, p.ID, created.ID, created.Version, note, "Wrong day given for her appointment", author); err != nil {
						return fmt.Errorf("demo correction: %w", err)
					}
				}
			}
		}
	}
	return nil
}

// sessionDay is the date a number of days before today.
func sessionDay(today haven.Date, ago int) haven.Date {
	t := today.Time().AddDate(0, 0, -ago)
	return haven.NewDate(t.Year(), t.Month(), t.Day())
}
