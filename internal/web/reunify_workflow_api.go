package web

import (
	"net/http"
	"time"

	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/reunify"
)

// The workflow's API (issue 18 item 8): the case and its stages, proposing
// a decision, and signing one off, with the pages' rules: version checks on
// the case, idempotency keys, audit, and the same refusals (a proposer's own
// sign-off is 403 and writes nothing).

type apiReunifyCase struct {
	Child     apiReunifyChild `json:"child"`
	Case      *apiCase        `json:"case"`
	Stages    []apiStage      `json:"stages"`
	Decisions []apiDecision   `json:"decisions"`
	History   []apiStageEvent `json:"history"`
	RiskScale []string        `json:"riskScale"`
	Available []string        `json:"toRecord"`
	Next      []string        `json:"nextStages"`
}

type apiReunifyChild struct {
	ID  int64  `json:"id"`
	Ref string `json:"ref"`
}

type apiCase struct {
	ID            int64   `json:"id"`
	Route         string  `json:"route"`
	Stage         string  `json:"stage"`
	StageTitle    string  `json:"stageTitle"`
	OpenedOn      apiDate `json:"openedOn"`
	ClosedOn      apiDate `json:"closedOn"`
	Outcome       string  `json:"outcome"`
	OutcomeReason string  `json:"outcomeReason"`
	Version       int64   `json:"version"`
}

type apiStage struct {
	Stage string `json:"stage"`
	Title string `json:"title"`
	State string `json:"state"`
}

type apiDecision struct {
	ID         int64      `json:"id"`
	Kind       string     `json:"kind"`
	Title      string     `json:"title"`
	Stage      string     `json:"stage"`
	Answer     string     `json:"answer,omitempty"`
	Level      int        `json:"level,omitempty"`
	Label      string     `json:"levelLabel,omitempty"`
	DecidedOn  apiDate    `json:"decidedOn"`
	Rationale  string     `json:"rationale"`
	Status     string     `json:"status"`
	ProposedBy int64      `json:"proposedBy"`
	ProposedAt time.Time  `json:"proposedAt"`
	SignedBy   int64      `json:"signedBy,omitempty"`
	SignedAt   *time.Time `json:"signedAt,omitempty"`
	Reason     string     `json:"declineReason,omitempty"`
}

type apiStageEvent struct {
	From   string  `json:"from"`
	To     string  `json:"to"`
	On     apiDate `json:"on"`
	REC    string  `json:"rec,omitempty"`
	Reason string  `json:"reason,omitempty"`
}

func toAPIDecision(d reunify.Decision) apiDecision {
	out := apiDecision{ID: d.ID, Kind: string(d.Kind), Title: d.Kind.Title(), Stage: string(d.Stage), Answer: d.Answer, Level: d.Level, Label: d.Label,
		DecidedOn: dated(d.DecidedOn), Rationale: d.Rationale, Status: d.Status, ProposedBy: d.ProposedBy, ProposedAt: d.ProposedAt.UTC(), SignedBy: d.SignedBy, Reason: d.Reason}
	if !d.SignedAt.IsZero() {
		t := d.SignedAt.UTC()
		out.SignedAt = &t
	}
	return out
}

func (s *Server) apiReunifyCase(w http.ResponseWriter, r *http.Request) error {
	p, err := s.caseData(r)
	if err != nil {
		return err
	}
	team, _ := laTeam(r)
	scale, err := s.store.RiskScale(r.Context(), team.TenantID)
	if err != nil {
		return err
	}
	out := apiReunifyCase{Child: apiReunifyChild{p.Child.ID, p.Child.Ref}, Stages: []apiStage{}, Decisions: []apiDecision{}, History: []apiStageEvent{},
		RiskScale: scale.Labels, Available: []string{}, Next: []string{}}
	if p.HasCase {
		c := p.Case
		out.Case = &apiCase{ID: c.ID, Route: c.Route, Stage: string(c.Stage), StageTitle: c.Stage.Title(), OpenedOn: dated(c.OpenedOn), ClosedOn: dated(c.ClosedOn),
			Outcome: c.Outcome, OutcomeReason: c.OutcomeReason, Version: c.Version}
		for _, st := range p.Stages {
			out.Stages = append(out.Stages, apiStage{string(st.Stage), st.Stage.Title(), string(st.State)})
		}
		for _, d := range p.Recent {
			out.Decisions = append(out.Decisions, toAPIDecision(d.Decision))
		}
		for _, e := range p.History {
			out.History = append(out.History, apiStageEvent{string(e.From), string(e.To), dated(e.On), e.REC, e.Reason})
		}
		for _, k := range p.Record {
			out.Available = append(out.Available, string(k))
		}
		for _, n := range p.Next {
			out.Next = append(out.Next, string(n))
		}
	}
	if err := s.store.Audit(r.Context(), s.laChildAudit(r, audit.View, p.Child.ID, "reunification")); err != nil {
		return err
	}
	w.Header().Set("ETag", `"`+itoa(p.Case.Version)+`"`)
	writeJSON(w, http.StatusOK, out)
	return nil
}

// decisionRequest is the body of POST …/decisions.
type decisionRequest struct {
	Kind      string  `json:"kind"`
	Answer    string  `json:"answer"`
	Level     int     `json:"level"`
	DecidedOn apiDate `json:"decidedOn"`
	Rationale string  `json:"rationale"`
	Version   int64   `json:"version"`
}

// parseDecisionRequest reads a proposal: 400 for a body that is not one
// JSON object of these fields, 422 naming each field that is wrong.
func parseDecisionRequest(r *http.Request) (reunify.Decision, int64, error) {
	var b decisionRequest
	if err := decodeJSON(r, &b); err != nil {
		return reunify.Decision{}, 0, err
	}
	if _, ok := reunify.ParseDecisionKind(b.Kind); !ok {
		return reunify.Decision{}, 0, haven.Invalid(map[string]string{"kind": "kind must be one of decision-1, risk-1, decision-2, risk-2, decision-3, emergency-approval, permanence-panel or risk-3"})
	}
	return reunify.Decision{Kind: reunify.DecisionKind(b.Kind), Answer: b.Answer, Level: b.Level, DecidedOn: b.DecidedOn.Date, Rationale: b.Rationale}, b.Version, nil
}

// signOffRequest is the body of POST …/decisions/{id}/sign-off.
type signOffRequest struct {
	Version int64  `json:"version"`
	Action  string `json:"action"` // "sign-off" (the default) or "decline"
	Reason  string `json:"reason"`
}

func parseSignOffRequest(r *http.Request) (signOffRequest, error) {
	var b signOffRequest
	if err := decodeJSON(r, &b); err != nil {
		return b, err
	}
	switch b.Action {
	case "", "sign-off":
		b.Action = "sign-off"
	case "decline":
	default:
		return b, haven.Invalid(map[string]string{"action": "action must be sign-off or decline"})
	}
	return b, nil
}

// apiDecisionFor answers a repeated request with the decision the first made.
func (s *Server) apiDecisionFor(w http.ResponseWriter, r *http.Request, caseID, id int64, status int, replayed bool) error {
	ds, err := s.store.ReunifyDecisions(r.Context(), caseID)
	if err != nil {
		return err
	}
	for _, d := range ds {
		if d.ID == id {
			if replayed {
				w.Header().Set(ReplayedHeader, "true")
			}
			writeJSON(w, status, toAPIDecision(d))
			return nil
		}
	}
	return haven.ErrNotFound
}

func (s *Server) apiProposeDecision(w http.ResponseWriter, r *http.Request) error {
	p, err := s.caseData(r)
	if err != nil {
		return err
	}
	if err := needCase(p); err != nil {
		return err
	}
	d, body, err := parseDecisionRequest(r)
	if err != nil {
		return err
	}
	version, err := expectedVersion(r, body)
	if err != nil {
		return err
	}
	team, _ := laTeam(r)
	scale, err := s.store.RiskScale(r.Context(), team.TenantID)
	if err != nil {
		return err
	}
	got, err := s.store.ProposeDecision(r.Context(), s.auditEvent(r, audit.Create), p.Case.ID, version, d, scale, actorID(r), s.today())
	if dup, ok := duplicateOf(err); ok {
		return s.apiDecisionFor(w, r, p.Case.ID, dup.ID, http.StatusCreated, true)
	}
	if err != nil {
		return err
	}
	return s.apiDecisionFor(w, r, p.Case.ID, got.ID, http.StatusCreated, false)
}

func (s *Server) apiSignOff(w http.ResponseWriter, r *http.Request) error {
	p, err := s.decisionData(r)
	if err != nil {
		return err
	}
	team, _ := laTeam(r)
	if err := mayReview(team, p.Decision.Decision, actorID(r)); err != nil {
		return err
	}
	// The API's re-authentication, as the extract's: the token's owner gave
	// their password and code in a browser within the last five minutes.
	if err := s.confirmedRecently(r); err != nil {
		if statusOf(err) == http.StatusForbidden {
			return errSignOffReauth
		}
		return err
	}
	b, err := parseSignOffRequest(r)
	if err != nil {
		return err
	}
	version, err := expectedVersion(r, b.Version)
	if err != nil {
		return err
	}
	_, err = s.store.SignOffDecision(r.Context(), s.auditEvent(r, audit.Update), p.Case.ID, version, p.Decision.ID, actorID(r), isManager(team), b.Action == "decline", b.Reason)
	if dup, ok := duplicateOf(err); ok {
		return s.apiDecisionFor(w, r, p.Case.ID, dup.ID, http.StatusOK, true)
	}
	if err != nil {
		return err
	}
	return s.apiDecisionFor(w, r, p.Case.ID, p.Decision.ID, http.StatusOK, false)
}

// errSignOffReauth refuses an API sign-off whose token's owner has not
// proved who they are in the last five minutes.
var errSignOffReauth = &statusError{http.StatusForbidden, "Confirm it is you first: sign in to Haven, open /reauth (Confirm it is you), then call again within five minutes."}
