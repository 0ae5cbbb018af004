package reunify

import (
	"errors"
	"slices"
	"testing"
	"time"

	"haven/internal/haven"
)

var (
	wfToday  = haven.NewDate(2026, time.December, 7)
	wfOpened = haven.NewDate(2026, time.March, 1)
	wfScale  = RiskScale{Labels: DefaultRiskScale}
)

func fields(err error) map[string]string {
	var he *haven.Error
	if errors.As(err, &he) {
		return he.Fields
	}
	return nil
}

// signed is a decision of kind k with answer (or level), signed off.
func signed(k DecisionKind, answer string) Decision {
	d := Decision{Kind: k, Stage: k.Stage(), Answer: answer, Status: SignedOff, ProposedBy: 1, SignedBy: 2}
	if k.IsRisk() {
		d.Answer, d.Level, d.Label = "", 2, "Medium"
	}
	return d
}

func pending(k DecisionKind, answer string) Decision {
	d := signed(k, answer)
	d.Status, d.SignedBy = Proposed, 0
	return d
}

func declined(k DecisionKind, answer string) Decision {
	d := signed(k, answer)
	d.Status, d.Reason = Declined, "Say more about the family network"
	return d
}

// Every transition of the stage machine, allowed and refused.
func TestMove(t *testing.T) {
	yes := func(ks ...DecisionKind) []Decision {
		var ds []Decision
		for _, k := range ks {
			ds = append(ds, signed(k, "yes"))
		}
		return ds
	}
	tests := []struct {
		name string
		from Stage
		to   Stage
		ds   []Decision
		want string // "" allowed; else the "to" message, or "conflict"
	}{
		{"decision 1 signed yes", StageIdentification, StagePlanAssessment, yes(Decision1), ""},
		{"decision 1 not recorded", StageIdentification, StagePlanAssessment, nil, "Record Decision 1: consider return home before moving on"},
		{"decision 1 awaiting sign-off", StageIdentification, StagePlanAssessment, []Decision{pending(Decision1, "yes")}, "Decision 1: consider return home must be signed off by a team manager before moving on"},
		{"decision 1 declined", StageIdentification, StagePlanAssessment, []Decision{declined(Decision1, "yes")}, "Record Decision 1: consider return home before moving on"},
		{"decision 1 no", StageIdentification, StagePlanAssessment, []Decision{signed(Decision1, "no")}, "Decision 1: consider return home was no: choose alternative permanence instead"},
		{"declined then signed", StageIdentification, StagePlanAssessment, []Decision{declined(Decision1, "yes"), signed(Decision1, "yes")}, ""},
		{"skip a stage", StageIdentification, StageChronology, yes(Decision1), "Choose the next stage"},
		{"backwards", StageChronology, StagePlanAssessment, nil, "Choose the next stage"},
		{"plan the assessment", StagePlanAssessment, StageChronology, nil, ""},
		{"chronology", StageChronology, StageAssessment, nil, ""},
		{"assessment", StageAssessment, StageDecision2, nil, ""},
		{"decision 2 with risk 1", StageDecision2, StagePlan, yes(Risk1, Decision2), ""},
		{"decision 2 without risk 1", StageDecision2, StagePlan, yes(Decision2), "Record risk classification 1 before moving on"},
		{"risk 1 pending", StageDecision2, StagePlan, []Decision{pending(Risk1, ""), signed(Decision2, "yes")}, "Risk classification 1 must be signed off by a team manager before moving on"},
		{"decision 2 no", StageDecision2, StagePlan, []Decision{signed(Risk1, ""), signed(Decision2, "no")}, "Decision 2: return home was no: choose alternative permanence instead"},
		{"plan", StagePlan, StageDecision3, nil, ""},
		{"decision 3 to plan review", StageDecision3, StagePlanReview, yes(Risk2, Decision3), ""},
		{"decision 3 to emergency approval", StageDecision3, StageEmergency, yes(Risk2, Decision3), ""},
		{"decision 3 without risk 2", StageDecision3, StagePlanReview, yes(Decision3), "Record risk classification 2 before moving on"},
		{"decision 3 no", StageDecision3, StagePlanReview, []Decision{signed(Risk2, ""), signed(Decision3, "no")}, "Decision 3: reunification goes ahead was no: choose alternative permanence instead"},
		{"emergency approved", StageEmergency, StagePlanReview, yes(Emergency), ""},
		{"emergency refused still moves on", StageEmergency, StagePlanReview, []Decision{signed(Emergency, "no")}, ""},
		{"emergency not recorded", StageEmergency, StagePlanReview, nil, "Record emergency placement with parents approval before moving on"},
		{"plan review", StagePlanReview, StagePanel, nil, ""},
		{"panel yes", StagePanel, StageReturnHome, yes(Panel), ""},
		{"panel pending", StagePanel, StageReturnHome, []Decision{pending(Panel, "yes")}, "Permanence panel decision must be signed off by a team manager before moving on"},
		{"panel no", StagePanel, StageReturnHome, []Decision{signed(Panel, "no")}, "Permanence panel decision was no: choose alternative permanence instead"},
		{"return home is left by recording it", StageReturnHome, StageSupport, nil, "Record the return home, with its date and reason, to move on"},
		{"support", StageSupport, StageRisk3, nil, ""},
		{"risk 3 signed", StageRisk3, StageDischarge, yes(Risk3), ""},
		{"risk 3 not recorded", StageRisk3, StageDischarge, nil, "Record risk classification 3 before moving on"},
		{"discharged to closed", StageDischarge, StageClosed, nil, ""},
		{"discharged cannot skip back", StageDischarge, StageSupport, nil, "Choose the next stage"},
		{"closed", StageClosed, StageIdentification, nil, "conflict"},
		{"alternative permanence", StageAlternative, StageClosed, nil, "conflict"},
		{"unknown stage", StageIdentification, Stage("nowhere"), yes(Decision1), "Choose the next stage"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Move(Case{Stage: tt.from, OpenedOn: wfOpened}, tt.to, tt.ds)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("Move(%s → %s) = %v, want allowed", tt.from, tt.to, err)
			case tt.want == "conflict" && !errors.Is(err, haven.ErrConflict):
				t.Errorf("Move(%s → %s) = %v, want a conflict", tt.from, tt.to, err)
			case tt.want != "" && tt.want != "conflict" && fields(err)["to"] != tt.want:
				t.Errorf("Move(%s → %s) = %v, want %q", tt.from, tt.to, fields(err), tt.want)
			}
		})
	}
}

// Every stage but the ends and the return home has somewhere to go, and the
// only way to reach each stage is from the one before it.
func TestNextCoversEveryStage(t *testing.T) {
	reached := map[Stage]bool{StageIdentification: true}
	for _, s := range MainStages() {
		for _, n := range Next(s) {
			reached[n] = true
		}
		if len(Next(s)) == 0 && !s.Ended() && s != StageReturnHome {
			t.Errorf("%s leads nowhere", s)
		}
	}
	for _, s := range MainStages() {
		if !reached[s] && s != StageSupport { // support follows the return, recorded
			t.Errorf("%s cannot be reached", s)
		}
	}
}

func TestPropose(t *testing.T) {
	c := Case{Stage: StageDecision2, OpenedOn: wfOpened}
	ok := Decision{Kind: Decision2, Answer: "yes", DecidedOn: wfToday, Rationale: " The assessment supports a return. "}
	tests := []struct {
		name  string
		c     Case
		d     Decision
		ds    []Decision
		field string // "" allowed
		want  string
	}{
		{"decision", c, ok, nil, "", ""},
		{"risk", c, Decision{Kind: Risk1, Level: 3, DecidedOn: wfToday, Rationale: "Concerns remain"}, nil, "", ""},
		{"wrong stage", c, Decision{Kind: Decision1, Answer: "yes", DecidedOn: wfToday, Rationale: "x"}, nil, "kind", "Decision 1: consider return home is made at the stage Identification and Decision 1, and this case is at Risk classification 1 and Decision 2"},
		{"unknown kind", c, Decision{Kind: "decision-9", Answer: "yes", DecidedOn: wfToday, Rationale: "x"}, nil, "kind", "Choose what you are recording"},
		{"already pending", c, ok, []Decision{pending(Decision2, "yes")}, "kind", "Decision 2: return home is already awaiting sign-off by a team manager"},
		{"already signed", c, ok, []Decision{signed(Decision2, "yes")}, "kind", "Decision 2: return home has already been signed off"},
		{"again after a decline", c, ok, []Decision{declined(Decision2, "yes")}, "", ""},
		{"no answer", c, Decision{Kind: Decision2, DecidedOn: wfToday, Rationale: "x"}, nil, "answer", "Choose yes or no"},
		{"maybe", c, Decision{Kind: Decision2, Answer: "maybe", DecidedOn: wfToday, Rationale: "x"}, nil, "answer", "Choose yes or no"},
		{"level 0", c, Decision{Kind: Risk1, DecidedOn: wfToday, Rationale: "x"}, nil, "level", "Choose the level of risk"},
		{"level off the scale", c, Decision{Kind: Risk1, Level: 5, DecidedOn: wfToday, Rationale: "x"}, nil, "level", "Choose the level of risk"},
		{"no date", c, Decision{Kind: Decision2, Answer: "no", Rationale: "x"}, nil, "decidedOn", "Enter the date of the decision"},
		{"future", c, Decision{Kind: Decision2, Answer: "no", DecidedOn: haven.NewDate(2026, 12, 8), Rationale: "x"}, nil, "decidedOn", "Date of the decision must be today or in the past"},
		{"before opened", c, Decision{Kind: Decision2, Answer: "no", DecidedOn: haven.NewDate(2026, 2, 28), Rationale: "x"}, nil, "decidedOn", "Date of the decision must be on or after the date the case was opened, 1 March 2026"},
		{"no rationale", c, Decision{Kind: Decision2, Answer: "no", DecidedOn: wfToday, Rationale: "  "}, nil, "rationale", "Enter the reasons for the decision"},
		{"control character", c, Decision{Kind: Decision2, Answer: "no", DecidedOn: wfToday, Rationale: "a\x00b"}, nil, "rationale", "Reasons for the decision must not contain control characters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Propose(tt.c, tt.d, tt.ds, wfScale, wfToday)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Propose = %v", err)
				}
				if got.Status != Proposed || got.Stage != tt.c.Stage {
					t.Errorf("Propose = %+v", got)
				}
				if got.Kind.IsRisk() && (got.Label != "High" || got.Answer != "") {
					t.Errorf("classification %+v: want the label High and no answer", got)
				}
				return
			}
			if f := fields(err); f[tt.field] != tt.want {
				t.Errorf("Propose fields = %v, want %s: %q", f, tt.field, tt.want)
			}
		})
	}
	if _, err := Propose(Case{Stage: StageClosed}, ok, nil, wfScale, wfToday); !errors.Is(err, haven.ErrConflict) {
		t.Errorf("a proposal on a closed case: %v", err)
	}
}

func TestSignOffAndDecline(t *testing.T) {
	c := Case{Stage: StageIdentification}
	d := pending(Decision1, "yes") // proposed by 1
	tests := []struct {
		name    string
		c       Case
		d       Decision
		by      int64
		manager bool
		want    error
	}{
		{"another manager", c, d, 2, true, nil},
		{"the proposer, a manager", c, d, 1, true, ErrOwnDecision},
		{"a social worker", c, d, 2, false, ErrNotManager},
		{"already signed", c, signed(Decision1, "yes"), 3, true, haven.ErrConflict},
		{"declined", c, declined(Decision1, "yes"), 3, true, haven.ErrConflict},
		{"closed case", Case{Stage: StageClosed}, d, 2, true, haven.ErrConflict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := SignOff(tt.c, tt.d, tt.by, tt.manager)
			if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("SignOff = %v, want %v", err, tt.want)
			}
			if tt.want == ErrOwnDecision && !errors.Is(err, haven.ErrForbidden) {
				t.Error("signing off one's own proposal must be forbidden (403)")
			}
			_, err = Decline(tt.c, tt.d, tt.by, tt.manager, "Say more about the family network")
			if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("Decline = %v, want %v", err, tt.want)
			}
		})
	}
	if _, err := Decline(c, d, 2, true, " "); fields(err)["reason"] != "Enter why you are not signing this off" {
		t.Errorf("a decline without a reason: %v", err)
	}
}

func TestAlternative(t *testing.T) {
	tests := []struct {
		name  string
		stage Stage
		ds    []Decision
		ok    bool
	}{
		{"decision 1 no", StageIdentification, []Decision{signed(Decision1, "no")}, true},
		{"decision 1 no awaiting sign-off", StageIdentification, []Decision{pending(Decision1, "no")}, false},
		{"decision 1 yes", StageIdentification, []Decision{signed(Decision1, "yes")}, false},
		{"decision 2 no", StageDecision2, []Decision{signed(Decision2, "no")}, true},
		{"decision 3 no", StageDecision3, []Decision{signed(Risk2, ""), signed(Decision3, "no")}, true},
		{"panel no", StagePanel, []Decision{signed(Panel, "no")}, true},
		{"emergency no is not a no to going home", StageEmergency, []Decision{signed(Emergency, "no")}, false},
		{"an earlier stage's no does not count", StageDecision2, []Decision{signed(Decision1, "no")}, false},
		{"nothing decided", StagePlan, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Case{Stage: tt.stage, OpenedOn: wfOpened}
			if _, ok := AlternativeAllowed(c, tt.ds); ok != tt.ok {
				t.Errorf("AlternativeAllowed = %v, want %v", ok, tt.ok)
			}
			_, err := Alternative(c, tt.ds, "Special guardianship with her aunt", wfToday, wfToday)
			if (err == nil) != tt.ok {
				t.Errorf("Alternative = %v, want allowed %v", err, tt.ok)
			}
		})
	}
	c := Case{Stage: StageIdentification, OpenedOn: wfOpened}
	ds := []Decision{signed(Decision1, "no")}
	if _, err := Alternative(c, ds, "", wfToday, wfToday); fields(err)["reason"] != "Enter the reason for alternative permanence" {
		t.Errorf("no reason: %v", err)
	}
	if _, err := Alternative(c, ds, "x", haven.Date{}, wfToday); fields(err)["decidedOn"] != "Enter the date of the decision" {
		t.Errorf("no date: %v", err)
	}
}

func TestRecordReturn(t *testing.T) {
	at := Case{Stage: StageReturnHome, OpenedOn: wfOpened}
	open := Episode{StartsOn: haven.NewDate(2026, 1, 10)}
	tests := []struct {
		name    string
		c       Case
		ret     ReturnHome
		hasOpen bool
		field   string
		want    string
	}{
		{"planned", at, ReturnHome{wfToday, "E4A"}, true, "", ""},
		{"unplanned", at, ReturnHome{wfToday, "E4B"}, true, "", ""},
		{"another REC", at, ReturnHome{wfToday, "E11"}, true, "rec", "Choose whether the return was planned (E4A) or not (E4B)"},
		{"no date", at, ReturnHome{haven.Date{}, "E4A"}, true, "returnedOn", "Enter the date of the return home"},
		{"future", at, ReturnHome{haven.NewDate(2026, 12, 8), "E4A"}, true, "returnedOn", "Date of the return home must be today or in the past"},
		{"before the case", at, ReturnHome{haven.NewDate(2026, 2, 1), "E4A"}, true, "returnedOn", "Date of the return home must be on or after the date the case was opened, 1 March 2026"},
		{"no open episode", at, ReturnHome{wfToday, "E4A"}, false, "returnedOn", "The child has no open episode of care for the return to end"},
		{"wrong stage", Case{Stage: StagePanel, OpenedOn: wfOpened}, ReturnHome{wfToday, "E4A"}, true, "returnedOn", "The return home is recorded at the stage Return home, and this case is at Permanence panel"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := RecordReturn(tt.c, tt.ret, open, tt.hasOpen, wfToday)
			if tt.field == "" && err != nil || tt.field != "" && fields(err)[tt.field] != tt.want {
				t.Errorf("RecordReturn = %v (%v), want %s %q", err, fields(err), tt.field, tt.want)
			}
		})
	}
	// An episode that started after the case opened still bounds the date.
	late := Episode{StartsOn: haven.NewDate(2026, 6, 1)}
	if err := RecordReturn(at, ReturnHome{haven.NewDate(2026, 5, 1), "E4A"}, late, true, wfToday); fields(err)["returnedOn"] == "" {
		t.Error("a return before the episode started was accepted")
	}
}

func TestRiskScaleValidate(t *testing.T) {
	tests := []struct {
		labels []string
		field  string
	}{
		{DefaultRiskScale, ""},
		{[]string{"Low", "High"}, ""},
		{[]string{"Only"}, "labels"},
		{[]string{"1", "2", "3", "4", "5", "6", "7", "8"}, "labels"},
		{[]string{"Low", " "}, "level-2"},
		{[]string{"Low", "low"}, "level-2"},
		{[]string{"Low", "A level name that is far longer than forty characters"}, "level-2"},
		{[]string{"Low", "Hi\u202egh"}, "level-2"},
	}
	for _, tt := range tests {
		err := RiskScale{Labels: tt.labels}.Validate()
		if tt.field == "" && err != nil || tt.field != "" && fields(err)[tt.field] == "" {
			t.Errorf("Validate(%q) = %v, want error on %q", tt.labels, err, tt.field)
		}
	}
	if got := (RiskScale{Labels: DefaultRiskScale}).LabelAt(4); got != "Very high" {
		t.Errorf("LabelAt(4) = %q", got)
	}
}

func TestTimeline(t *testing.T) {
	ev := func(from, to Stage) StageEvent { return StageEvent{From: from, To: to} }
	order := MainStages()
	state := func(ss []StageState, s Stage) StageState { return ss[slices.Index(order, s)] }
	// At the panel, having gone past Decision 3 straight to plan review.
	path := []StageEvent{ev(StageIdentification, StagePlanAssessment), ev(StagePlanAssessment, StageChronology), ev(StageChronology, StageAssessment),
		ev(StageAssessment, StageDecision2), ev(StageDecision2, StagePlan), ev(StagePlan, StageDecision3), ev(StageDecision3, StagePlanReview), ev(StagePlanReview, StagePanel)}
	ss := Timeline(Case{Stage: StagePanel}, path)
	for s, want := range map[Stage]StageState{StageIdentification: StateDone, StageDecision3: StateDone, StageEmergency: StateSkipped,
		StagePanel: StateCurrent, StageReturnHome: StateNotStarted, StageClosed: StateNotStarted} {
		if got := state(ss, s); got != want {
			t.Errorf("%s: %s, want %s", s, got, want)
		}
	}
	// With the emergency approval, it is done.
	withEmergency := append(path[:6:6], ev(StageDecision3, StageEmergency), ev(StageEmergency, StagePlanReview), ev(StagePlanReview, StagePanel))
	if got := state(Timeline(Case{Stage: StagePanel}, withEmergency), StageEmergency); got != StateDone {
		t.Errorf("emergency approval taken: %s", got)
	}
	// Closed: every stage done, the emergency approval not needed.
	ss = Timeline(Case{Stage: StageClosed}, path)
	if state(ss, StageClosed) != StateDone || state(ss, StageDischarge) != StateDone {
		t.Errorf("closed case: %v", ss)
	}
	// Alternative permanence at Decision 2: stages up to it done, the rest not started.
	ss = Timeline(Case{Stage: StageAlternative}, append(path[:4:4], ev(StageDecision2, StageAlternative)))
	if state(ss, StageDecision2) != StateDone || state(ss, StagePlan) != StateNotStarted {
		t.Errorf("alternative permanence: %v", ss)
	}
}
