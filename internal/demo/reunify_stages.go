package demo

import (
	"fmt"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/reunify"
)

// The demo LA team's cases at every point of the framework, each taken there
// through the workflow itself: the social worker proposes every decision
// and classification and the team manager signs each off. One waits for the
// manager's sign-off of Decision 1, one of risk classification 1 and
// Decision 2; one went home and is in support; one went home and the case
// closed; one's Decision 2 was no, so alternative permanence.

// stageStep is one thing done on a demo case, in order.
type stageStep struct {
	decide reunify.DecisionKind // propose (and sign off unless pending) this decision
	answer string
	level  int // a classification's level, 1 to 4
	move   reunify.Stage
	home   bool // record the return home, ending the episode E4A
	alt    bool // choose alternative permanence
	// pending leaves the decision awaiting the manager's sign-off.
	pending bool
}

var stepsToReturn = []stageStep{
	{decide: reunify.Decision1, answer: "yes"},
	{move: reunify.StagePlanAssessment}, {move: reunify.StageChronology}, {move: reunify.StageAssessment}, {move: reunify.StageDecision2},
	{decide: reunify.Risk1, level: 2}, {decide: reunify.Decision2, answer: "yes"},
	{move: reunify.StagePlan}, {move: reunify.StageDecision3},
	{decide: reunify.Risk2, level: 2}, {decide: reunify.Decision3, answer: "yes"},
	{move: reunify.StagePlanReview}, {move: reunify.StagePanel},
	{decide: reunify.Panel, answer: "yes"},
	{move: reunify.StageReturnHome}, {home: true},
}

var laStageChildren = []struct {
	ref, name string
	born      int // days ago
	opened    int // days ago
	steps     []stageStep
}{
	{"ST-01", "Ava", 6*365 + 20, 20, []stageStep{{decide: reunify.Decision1, answer: "yes", pending: true}}},
	{"ST-02", "Noah", 9*365 + 100, 90, stepsToReturn[:3]},
	{"ST-03", "Isla", 4*365 + 200, 150, stepsToReturn[:5]},
	{"ST-04", "Leo", 10*365 + 5, 200, append(append([]stageStep{}, stepsToReturn[:5]...), stageStep{decide: reunify.Risk1, level: 3, pending: true})},
	{"ST-05", "Mia", 7*365 + 60, 260, stepsToReturn[:9]},
	{"ST-06", "Oscar", 12*365 + 30, 320, stepsToReturn[:13]},
	{"ST-07", "Poppy", 5*365 + 150, 400, stepsToReturn},
	{"ST-08", "Theo", 8*365 + 300, 600, append(append([]stageStep{}, stepsToReturn...),
		stageStep{move: reunify.StageRisk3}, stageStep{decide: reunify.Risk3, level: 1},
		stageStep{move: reunify.StageDischarge}, stageStep{move: reunify.StageClosed})},
	{"ST-09", "Zara", 11*365 + 10, 300, append(append([]stageStep{}, stepsToReturn[:5]...),
		stageStep{decide: reunify.Risk1, level: 4}, stageStep{decide: reunify.Decision2, answer: "no"}, stageStep{alt: true})},
}

// laStages gives the demo LA team its cases at every stage.
func (s *seeder) laStages() error {
	var worker, manager int64
	for _, a := range s.sum.Accounts {
		if a.Tenant != s.sum.LATeam.Slug {
			continue
		}
		switch a.Role {
		case access.RoleLASocialWorker:
			worker = a.UserID
		case access.RoleLAManager:
			manager = a.UserID
		}
	}
	wev := audit.Event{RequestID: "demo-seed", UserID: worker}
	mev := audit.Event{RequestID: "demo-seed", UserID: manager}
	day := func(ago int) haven.Date {
		t := s.now.AddDate(0, 0, -ago)
		return haven.NewDate(t.Year(), t.Month(), t.Day())
	}
	today := day(0)
	scale, err := s.db.RiskScale(s.ctx, s.sum.LATeam.ID)
	if err != nil {
		return err
	}
	for _, dc := range laStageChildren {
		child, err := s.db.CreateLAChild(s.ctx, wev, reunify.Child{Team: s.sum.LATeam.ID, Ref: dc.ref, FirstName: dc.name, BornOn: day(dc.born), Worker: worker}, worker, today)
		if err != nil {
			return fmt.Errorf("demo stage child: %w", err)
		}
		if _, err := s.db.AddLAEpisode(s.ctx, wev, reunify.Episode{Child: child.ID, StartsOn: day(dc.opened + 120), RNE: "S", LegalStatus: "C2", Placement: "U4", Provider: "PR1"}, worker, today); err != nil {
			return fmt.Errorf("demo stage episode: %w", err)
		}
		c, err := s.db.OpenReunification(s.ctx, wev, reunify.Case{Child: child.ID, Route: "s31", OpenedOn: day(dc.opened), Worker: worker}, today)
		if err != nil {
			return fmt.Errorf("demo stage case: %w", err)
		}
		version := c.Version
		// Each step a few days after the last, ending before today.
		on := func(i int) haven.Date { return day(max(0, dc.opened-(i+1)*dc.opened/(len(dc.steps)+1))) }
		for i, st := range dc.steps {
			switch {
			case st.decide != "":
				d := reunify.Decision{Kind: st.decide, Answer: st.answer, Level: st.level, DecidedOn: on(i),
					Rationale: "Recorded for the demo: the reasons as the social worker wrote them. (Fictional.)"}
				got, err := s.db.ProposeDecision(s.ctx, wev, c.ID, version, d, scale, worker, today)
				if err != nil {
					return fmt.Errorf("demo %s %s: %w", dc.ref, st.decide, err)
				}
				version++
				if st.pending {
					continue
				}
				if _, err := s.db.SignOffDecision(s.ctx, mev, c.ID, version, got.ID, manager, true, false, ""); err != nil {
					return fmt.Errorf("demo %s sign-off of %s: %w", dc.ref, st.decide, err)
				}
				version++
			case st.move != "":
				if err := s.db.MoveReunification(s.ctx, wev, c.ID, version, st.move, worker, today); err != nil {
					return fmt.Errorf("demo %s to %s: %w", dc.ref, st.move, err)
				}
				version++
			case st.home:
				if err := s.db.RecordReturnHome(s.ctx, wev, c.ID, version, reunify.ReturnHome{On: on(i), REC: "E4A"}, worker, today); err != nil {
					return fmt.Errorf("demo %s return: %w", dc.ref, err)
				}
				version++
			case st.alt:
				if err := s.db.ChooseAlternative(s.ctx, wev, c.ID, version, "Decision 2 was not to return home: adoption is being considered. (Fictional.)", on(i), worker, today); err != nil {
					return fmt.Errorf("demo %s alternative: %w", dc.ref, err)
				}
				version++
			}
		}
	}
	return nil
}
