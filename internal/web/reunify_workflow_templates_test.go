package web

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"haven/internal/access"
	"haven/internal/haven"
	"haven/internal/reunify"
	"haven/internal/store"
)

var (
	tplChild = reunify.Child{ID: 7, Ref: "C-1001", FirstName: "Robin"}
	tplAt    = time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	tplCase  = reunify.Case{ID: 1, Child: 7, Route: "s31", Stage: reunify.StageDecision3, OpenedOn: haven.NewDate(2026, 3, 1), Version: 4}
	tplD     = reunify.Decision{ID: 3, Kind: reunify.Decision3, Stage: reunify.StageDecision3, Answer: "yes", DecidedOn: haven.NewDate(2026, 11, 20),
		Rationale: "The assessment <supports> it", Status: reunify.Proposed, ProposedBy: 1, ProposedAt: tplAt, ProposerName: "Kit Kestrel"}
	tplSigned = reunify.Decision{ID: 4, Kind: reunify.Risk2, Stage: reunify.StageDecision3, Level: 3, Label: "High", DecidedOn: haven.NewDate(2026, 11, 20),
		Rationale: "Concerns remain", Status: reunify.SignedOff, ProposedBy: 1, ProposedAt: tplAt, ProposerName: "Kit Kestrel", SignedBy: 2, SignedAt: tplAt, SignerName: "Quinn Sorrel"}
	tplScale = reunify.RiskScale{Labels: reunify.DefaultRiskScale, Version: 2}
	tplTeam  = access.Membership{TenantName: "Leeds Reunification Team (demo)"}
)

func tplCasePage() *reunifyCasePage {
	p := &reunifyCasePage{Layout: Layout{Title: "Robin: reunification"}, Child: tplChild, Case: tplCase, HasCase: true, Manager: true, Me: 2,
		Recent: []caseDecisionRow{{Decision: tplD, CanSignOff: true}, {Decision: tplSigned}}, Next: []reunify.Stage{reunify.StagePlanReview, reunify.StageEmergency},
		History: []caseEventRow{{reunify.StageEvent{From: reunify.StageReturnHome, To: reunify.StageSupport, On: haven.NewDate(2026, 11, 30), REC: "E4A"}}}}
	states := reunify.Timeline(tplCase, nil)
	for i, st := range reunify.MainStages() {
		p.Stages = append(p.Stages, caseStageRow{Stage: st, State: states[i]})
	}
	return p
}

// reunifyWorkflowTemplateCases are the workflow's pages for TestEveryTemplateRenders.
func reunifyWorkflowTemplateCases() map[string]struct {
	p    page
	want string
} {
	return map[string]struct {
		p    page
		want string
	}{
		"reunify_case.html": {tplCasePage(), "Awaiting sign-off by a team manager"},
		"reunify_decision_form.html": {&reunifyDecisionFormPage{Layout: Layout{Title: "Risk", Errors: []FieldError{{"level", "Choose the level of risk"}}}, Child: tplChild, Case: tplCase,
			Kind: reunify.Risk2, Scale: tplScale, Level: "4", Version: 4}, `value="4" checked`},
		"reunify_decision.html": {&reunifyDecisionPage{Layout: Layout{Title: "Decision 3"}, Child: tplChild, Case: tplCase, Decision: caseDecisionRow{Decision: tplD, CanSignOff: true}, CanSignOff: true},
			"The assessment &lt;supports&gt; it"},
		"reunify_decision_sign_off.html": {&reunifySignOffPage{Layout: Layout{Title: "Awaiting your sign-off"}, Team: tplTeam,
			Waiting: []store.AwaitingSignOff{{Decision: tplD, ChildID: 7, ChildRef: "C-1001", FirstName: "Robin"}}}, "/la/children/7/reunification/decisions/3"},
		"reunify_decision_risk_scale.html": {&reunifyRiskScalePage{Layout: Layout{Title: "Risk scale"}, Team: tplTeam, Scale: tplScale, Manager: true,
			Rows: []riskLevelRow{{N: 1, Field: "level-1", Value: "Low"}, {N: 2, Field: "level-2", Value: "Very high", Error: "Level 2 must be different"}}}, `value="Very high"`},
	}
}

// The case page in its states: each shows its own forms, with its errors.
func TestReunifyCasePageStates(t *testing.T) {
	s := &Server{}
	var err error
	if s.pages, err = parseTemplates(); err != nil {
		t.Fatal(err)
	}
	atReturn := tplCasePage()
	atReturn.Case.Stage, atReturn.Next = reunify.StageReturnHome, nil
	atReturn.Errors = []FieldError{{"rec", "Choose whether the return was planned (E4A) or not (E4B)"}}
	no := tplSigned
	no.Kind, no.Answer, no.Label = reunify.Decision3, "no", ""
	alt := tplCasePage()
	alt.Next, alt.Alt = nil, &no
	closed := tplCasePage()
	closed.Case.Stage, closed.Case.ClosedOn, closed.Next, closed.Recent = reunify.StageClosed, haven.NewDate(2026, 12, 1), nil, nil
	tests := map[string]struct {
		p         *reunifyCasePage
		want, not []string
	}{
		"two ways on":        {tplCasePage(), []string{`id="to-emergency-approval"`, "(only if needed)", "Quinn Sorrel", "Awaiting sign-off", "review and sign off"}, []string{"Open a reunification case", "Record the return home"}},
		"at the return home": {atReturn, []string{"Record the return home", `id="rec-error"`, "E4B"}, []string{"Move the case on"}},
		"alternative":        {alt, []string{"Choose alternative permanence", "Decision 3: reunification goes ahead was no, signed off by Quinn Sorrel", `<textarea class="govuk-textarea govuk-js-character-count" id="reason" name="reason"`}, nil},
		"closed":             {closed, []string{"Open a reunification case", "1 December 2026"}, []string{"What to do next"}},
		"no case":            {&reunifyCasePage{Layout: Layout{Title: "Robin", Errors: []FieldError{{"route", "Choose the legal route"}}}, Child: tplChild}, []string{"Open a reunification case", `id="route-error"`}, []string{"Stages"}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			if err := s.render(rec, httptest.NewRequest("GET", "/", nil), 200, "reunify_case.html", tt.p); err != nil {
				t.Fatal(err)
			}
			body := rec.Body.String()
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(body, w) {
					t.Errorf("page has %q", w)
				}
			}
		})
	}
}
