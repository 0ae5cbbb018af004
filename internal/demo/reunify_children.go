package demo

import (
	"fmt"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/reunify"
)

// The demo local authority team's looked-after children (issue 18 item 1):
// believable SSDA903 histories, every one made through the same checks as a
// worker's (reunify.CheckNewEpisode), with the people around each child and
// the child's views. Fixed, not drawn from the seed's random numbers, so
// the rest of the demo is the same with or without them.

// laEpisodeStep is one episode: started so many days ago, ended so many
// days ago (0 while open) with a reason.
type laEpisodeStep struct {
	from           int
	rne, ls, place string
	to             int
	rec            string
}

type laDemoPerson struct {
	name, relationship string
	pr                 bool
	mayBeTold          string
}

type laDemoView struct {
	ago   int
	words string
}

type laDemoChild struct {
	ref, name string
	ageDays   int
	episodes  []laEpisodeStep
	people    []laDemoPerson
	views     []laDemoView
}

// laDemoChildren are the demo team's children.
var laDemoChildren = []laDemoChild{
	{ref: "LC-0001", name: "Amara", ageDays: 8*365 + 40,
		episodes: []laEpisodeStep{{900, "S", "C1", "U6", 700, "X1"}, {700, "L", "C2", "U4", 0, ""}},
		people: []laDemoPerson{{"Leanne Marshwood", "mother", true, "How Amara is doing at school and her health; not her carers' address"},
			{"Dean Marshwood", "father", true, "School reports only"}},
		views: []laDemoView{{400, "I like living with Sue and Pete. I want to see Mum more."}, {60, "I want to go home to Mum when she is better."}}},
	{ref: "LC-0002", name: "Finley", ageDays: 11*365 + 200,
		episodes: []laEpisodeStep{{400, "S", "V2", "U1", 0, ""}},
		people:   []laDemoPerson{{"Kerry Tansley", "mother", true, "Everything about Finley's care"}, {"Margaret Tansley", "grandparent", false, "Contact arrangements"}},
		views:    []laDemoView{{120, "Staying with Nan is OK. I miss my room."}}},
	{ref: "LC-0003", name: "Kai", ageDays: 5*365 + 100,
		episodes: []laEpisodeStep{{1200, "S", "C1", "U5", 1000, "X1"}, {1000, "L", "C2", "U6", 0, ""}},
		people:   []laDemoPerson{{"Shona Pellow", "mother", true, "Health and education"}},
		views:    []laDemoView{{200, "I have a dog called Biscuit at my foster house."}}},
	{ref: "LC-0004", name: "Ellis", ageDays: 9*365 + 10,
		episodes: []laEpisodeStep{{800, "S", "C2", "U3", 200, "E4A"}},
		people: []laDemoPerson{{"Gemma Rowntree", "mother", true, "Everything about Ellis's care and support"},
			{"Tony Rowntree", "step-parent", false, "The support plan and review dates"}},
		views: []laDemoView{{300, "I want to go back to Mum's. I will be good."}, {150, "Home is better. I have my own room again."}}},
	{ref: "LC-0005", name: "Maya", ageDays: 12*365 + 90,
		episodes: []laEpisodeStep{{700, "S", "V2", "U6", 420, "E4B"}, {300, "S", "C1", "U4", 150, "X1"}, {150, "L", "C2", "U4", 0, ""}},
		people:   []laDemoPerson{{"Tracey Holloway", "mother", true, "Contact and health; not school details"}},
		views:    []laDemoView{{410, "I just want to go home. I hate it here."}, {90, "It did not work at home. I want to stay with Jan for now."}}},
	{ref: "LC-0006", name: "Zara", ageDays: 3*365 + 150,
		episodes: []laEpisodeStep{{600, "S", "C1", "U4", 365, "X1"}, {365, "B", "C2", "P1", 0, ""}},
		people:   []laDemoPerson{{"Chantelle Okafor", "mother", true, "Everything about Zara's care"}, {"Grace Okafor", "grandparent", false, "Family time arrangements"}},
		views:    []laDemoView{{30, "Mummy's house. Teddy."}}},
	{ref: "LC-0007", name: "Olly", ageDays: 14*365 + 20,
		episodes: []laEpisodeStep{{1500, "S", "C2", "U4", 1000, "X1"}, {1000, "P", "C2", "U6", 0, ""}},
		people:   []laDemoPerson{{"Sarah Brindley", "mother", true, "School and health"}, {"Paul Brindley", "father", true, "School and health"}},
		views:    []laDemoView{{45, "I want to stay where I am until I finish my exams."}}},
	{ref: "LC-0008", name: "Rhys", ageDays: 2*365 + 60,
		episodes: []laEpisodeStep{{90, "S", "V2", "U6", 0, ""}},
		people:   []laDemoPerson{{"Nicola Farrant", "mother", true, "Everything about Rhys's care"}}},
}

// laChildren gives the demo LA team its children, allocated to its social worker.
func (s *seeder) laChildren() error {
	var worker int64
	for _, a := range s.sum.Accounts {
		if a.Role == access.RoleLASocialWorker && a.Tenant == s.sum.LATeam.Slug {
			worker = a.UserID
		}
	}
	ev := audit.Event{RequestID: "demo-seed", UserID: worker}
	day := func(ago int) haven.Date {
		t := s.now.AddDate(0, 0, -ago)
		return haven.NewDate(t.Year(), t.Month(), t.Day())
	}
	today := day(0)
	for _, dc := range laDemoChildren {
		c, err := s.db.CreateLAChild(s.ctx, ev, reunify.Child{Team: s.sum.LATeam.ID, Ref: dc.ref, FirstName: dc.name, BornOn: day(dc.ageDays), Worker: worker}, worker, today)
		if err != nil {
			return fmt.Errorf("demo LA child: %w", err)
		}
		for _, st := range dc.episodes {
			e := reunify.Episode{Child: c.ID, StartsOn: day(st.from), RNE: st.rne, LegalStatus: st.ls, Placement: st.place, Provider: "PR1"}
			if st.place == "P1" {
				e.Provider = "PR0"
			}
			if st.to > 0 {
				e.EndsOn, e.REC = day(st.to), st.rec
			}
			if _, err := s.db.AddLAEpisodeChecked(s.ctx, ev, e, worker, today); err != nil {
				return fmt.Errorf("demo LA episode for %s: %w", dc.ref, err)
			}
		}
		for _, p := range dc.people {
			if _, err := s.db.AddLAPerson(s.ctx, ev, reunify.Person{Child: c.ID, Name: p.name, Relationship: p.relationship, ParentalResponsibility: p.pr, MayBeTold: p.mayBeTold}); err != nil {
				return fmt.Errorf("demo LA person: %w", err)
			}
		}
		for _, v := range dc.views {
			if _, err := s.db.AddLAChildView(s.ctx, ev, reunify.View{Child: c.ID, SaidOn: day(v.ago), Words: v.words, RecordedBy: worker}, today); err != nil {
				return fmt.Errorf("demo LA view: %w", err)
			}
		}
	}
	return nil
}
