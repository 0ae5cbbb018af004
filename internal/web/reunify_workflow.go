package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/reunify"
	"haven/internal/store"
)

// The framework's workflow pages (issue 18 item 2): the child's case as
// stages, each decision and risk classification with who proposed it and
// who signed it off, and the forms that move a case on. A worker proposes;
// a team manager who is not the proposer signs off, after proving who they
// are again if they signed in more than five minutes ago (the route's
// reauth flag, which carries the form through).

func init() {
	savedMessages["reunify-case"] = "Reunification case opened"
	savedMessages["reunify-decision"] = "Sent to a team manager to sign off"
	savedMessages["reunify-signed"] = "Signed off"
	savedMessages["reunify-declined"] = "Sent back to the worker"
	savedMessages["reunify-stage"] = "The case has moved on"
	savedMessages["reunify-return"] = "Return home recorded, and the child's episode of care ended"
	savedMessages["reunify-alternative"] = "Alternative permanence recorded"
	savedMessages["risk-scale"] = "Risk scale saved"
	for _, p := range []string{
		"POST /la/children/{child}/reunification/decisions",
		"POST /la/children/{child}/reunification/decisions/{id}/sign-off",
		"POST /api/v1/la/children/{child}/reunification/decisions",
		"POST /api/v1/la/children/{child}/reunification/decisions/{id}/sign-off",
	} {
		idempotentRoutes[p] = true
	}
}

func casePath(childID int64) string { return "/la/children/" + itoa(childID) + "/reunification" }

// isManager reports whether the team membership is a team manager's.
func isManager(m access.Membership) bool { return m.Role == access.RoleLAManager }

// laChildAudit is an audit event about a child's reunification.
func (s *Server) laChildAudit(r *http.Request, action audit.Action, childID int64, section string) audit.Event {
	e := s.auditEvent(r, action)
	e.RecordType, e.RecordID, e.Section = "la-child", itoa(childID), section
	return e
}

// reunifyCasePage is the child's case: its stages, its decisions, and the
// forms for what can be done next.
type reunifyCasePage struct {
	Layout
	Child   reunify.Child
	Case    reunify.Case
	HasCase bool
	Manager bool
	Me      int64
	Stages  []caseStageRow
	Recent  []caseDecisionRow // every decision and classification, oldest first
	Record  []reunify.DecisionKind
	Next    []reunify.Stage
	Alt     *reunify.Decision // the signed-off no that allows alternative permanence
	History []caseEventRow
	// PlanSummary is the assessment, agreement and support at a glance (reunify_plan_summary.go).
	PlanSummary reunifyPlanSummary

	Open   openCaseForm
	MoveTo string
	Ret    dateForm
	REC    string
	AltOn  dateForm
	Reason string
}

type openCaseForm struct {
	Route string
	dateForm
}

type dateForm struct{ Day, Month, Year string }

type caseStageRow struct {
	Stage     reunify.Stage
	State     reunify.StageState
	Decisions []caseDecisionRow
}

// StateText and TagClass are the task list's status.
func (r caseStageRow) StateText() string {
	switch r.State {
	case reunify.StateDone:
		return "Completed"
	case reunify.StateCurrent:
		return "In progress"
	case reunify.StateSkipped:
		return "Not needed"
	}
	return "Not started"
}

func (r caseStageRow) TagClass() string {
	switch r.State {
	case reunify.StateCurrent:
		return "govuk-tag--blue"
	case reunify.StateNotStarted:
		return "govuk-tag--grey"
	case reunify.StateSkipped:
		return "govuk-tag--grey"
	}
	return ""
}

type caseDecisionRow struct {
	reunify.Decision
	Own        bool // the viewer proposed it
	CanSignOff bool // the viewer is a manager who did not propose it
}

// StatusText is where the decision stands.
func (d caseDecisionRow) StatusText() string {
	switch d.Status {
	case reunify.Proposed:
		return "Awaiting sign-off"
	case reunify.Declined:
		return "Sent back"
	}
	return "Signed off"
}

func (d caseDecisionRow) TagClass() string {
	switch d.Status {
	case reunify.Proposed:
		return "govuk-tag--yellow"
	case reunify.Declined:
		return "govuk-tag--red"
	}
	return "govuk-tag--green"
}

type caseEventRow struct {
	reunify.StageEvent
}

// Text says what happened, in words.
func (e caseEventRow) Text() string {
	switch e.To {
	case reunify.StageSupport:
		if e.REC != "" {
			return "Returned home (" + e.REC + "); support and monitoring began"
		}
	case reunify.StageAlternative:
		return "Alternative permanence: " + e.Reason
	}
	return "Moved from " + e.From.Title() + " to " + e.To.Title()
}

// Routes, ReturnReasons and StageChoices are the forms' options.
func (p *reunifyCasePage) Routes() []reunify.Choice        { return reunify.Routes }
func (p *reunifyCasePage) ReturnReasons() []reunify.Choice { return reunify.ReturnReasons }
func (p *reunifyCasePage) Path() string                    { return casePath(p.Child.ID) }
func (p *reunifyCasePage) RouteTitle() string              { return reunify.TitleOf(reunify.Routes, p.Case.Route) }
func (p *reunifyCasePage) Ended() bool                     { return p.HasCase && p.Case.Stage.Ended() }
func (p *reunifyCasePage) AtReturn() bool {
	return p.HasCase && p.Case.Stage == reunify.StageReturnHome
}
func (p *reunifyCasePage) Pending() []caseDecisionRow {
	var out []caseDecisionRow
	for _, d := range p.Recent {
		if d.Pending() {
			out = append(out, d)
		}
	}
	return out
}

// caseData reads the child's case and all that the page shows of it.
func (s *Server) caseData(r *http.Request) (*reunifyCasePage, error) {
	child, team, err := s.laChild(r)
	if err != nil {
		return nil, err
	}
	me := infoFrom(r.Context()).actor.User.ID
	p := &reunifyCasePage{Layout: Layout{Title: child.FirstName + ": reunification", Nav: "la"}, Child: child, Manager: isManager(team), Me: me}
	c, found, err := s.store.CurrentReunification(r.Context(), child.ID)
	if err != nil || !found {
		return p, err
	}
	p.Case, p.HasCase = c, true
	if p.PlanSummary, err = s.reunifyPlanSummaryFor(r, child, c); err != nil {
		return nil, err
	}
	ds, err := s.store.ReunifyDecisions(r.Context(), c.ID)
	if err != nil {
		return nil, err
	}
	evs, err := s.store.ReunifyStageEvents(r.Context(), c.ID)
	if err != nil {
		return nil, err
	}
	for _, d := range ds {
		p.Recent = append(p.Recent, caseDecisionRow{Decision: d, Own: d.ProposedBy == me, CanSignOff: p.Manager && d.ProposedBy != me && d.Pending() && !c.Stage.Ended()})
	}
	states := reunify.Timeline(c, evs)
	for i, st := range reunify.MainStages() {
		row := caseStageRow{Stage: st, State: states[i]}
		for _, d := range p.Recent {
			if d.Stage == st {
				row.Decisions = append(row.Decisions, d)
			}
		}
		p.Stages = append(p.Stages, row)
	}
	for _, e := range evs {
		p.History = append(p.History, caseEventRow{e})
	}
	if c.Stage.Ended() {
		return p, nil
	}
	for _, k := range reunify.Required(c.Stage) {
		if _, ok := reunify.Current(ds, k); !ok {
			p.Record = append(p.Record, k)
		}
	}
	if c.Stage != reunify.StageReturnHome {
		p.Next = reunify.Next(c.Stage)
	}
	if d, ok := reunify.AlternativeAllowed(c, ds); ok {
		p.Alt = &d
	}
	return p, nil
}

func (s *Server) reunifyCase(w http.ResponseWriter, r *http.Request) error {
	p, err := s.caseData(r)
	if err != nil {
		return err
	}
	if err := s.store.Audit(r.Context(), s.laChildAudit(r, audit.View, p.Child.ID, "reunification")); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "reunify_case.html", p)
}

// caseFormError shows the case page again with the errors of one of its forms.
func (s *Server) caseFormError(w http.ResponseWriter, r *http.Request, p *reunifyCasePage, err error, order ...string) error {
	he, ok := errors.AsType[*haven.Error](err)
	if !ok || he.Kind != haven.KindInvalid {
		return err
	}
	p.Errors = fieldErrors(he.Fields, order...)
	if err := s.store.Audit(r.Context(), s.laChildAudit(r, audit.View, p.Child.ID, "reunification")); err != nil {
		return err
	}
	return s.render(w, r, http.StatusUnprocessableEntity, "reunify_case.html", p)
}

func datePart(v url.Values, name string) dateForm {
	return dateForm{v.Get(name + "-day"), v.Get(name + "-month"), v.Get(name + "-year")}
}

// openCase opens a case for a child who has no open one.
func (s *Server) openCase(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	p, err := s.caseData(r)
	if err != nil {
		return err
	}
	if p.HasCase && !p.Case.Stage.Ended() {
		return haven.Errorf(haven.KindConflict, "This child already has an open reunification case")
	}
	p.Open = openCaseForm{Route: r.PostFormValue("route"), dateForm: datePart(r.PostForm, "openedOn")}
	fields := map[string]string{}
	on, derr := haven.ParseDateParts("Date the case was opened", p.Open.Day, p.Open.Month, p.Open.Year)
	c := reunify.Case{Child: p.Child.ID, Route: p.Open.Route, OpenedOn: on, Worker: p.Me}
	if err := c.Validate(s.today()); err != nil {
		he, _ := errors.AsType[*haven.Error](err)
		if he != nil {
			fields = he.Fields
		}
	}
	if derr != nil {
		fields["openedOn"] = derr.Error()
	}
	if len(fields) > 0 {
		return s.caseFormError(w, r, p, haven.Invalid(fields), "route", "openedOn")
	}
	if _, err := s.store.OpenReunification(r.Context(), s.auditEvent(r, audit.Create), c, s.today()); err != nil && !isDuplicate(err) {
		return s.caseFormError(w, r, p, err, "route", "openedOn")
	}
	s.saved(w, r, casePath(p.Child.ID), "reunify-case")
	return nil
}

// needCase is the page's case, or a clear refusal when there is none open.
func needCase(p *reunifyCasePage) error {
	if !p.HasCase {
		return haven.ErrNotFound
	}
	return nil
}

func (s *Server) moveCase(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	p, err := s.caseData(r)
	if err != nil {
		return err
	}
	if err := needCase(p); err != nil {
		return err
	}
	p.MoveTo = r.PostFormValue("to")
	to, ok := reunify.ParseStage(p.MoveTo)
	if !ok {
		return s.caseFormError(w, r, p, haven.Invalid(map[string]string{"to": "Choose the next stage"}), "to")
	}
	err = s.store.MoveReunification(r.Context(), s.auditEvent(r, audit.Update), p.Case.ID, formVersion(r), to, p.Me, s.today())
	if err != nil {
		return s.caseFormError(w, r, p, err, "to")
	}
	s.saved(w, r, casePath(p.Child.ID), "reunify-stage")
	return nil
}

func (s *Server) recordReturn(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	p, err := s.caseData(r)
	if err != nil {
		return err
	}
	if err := needCase(p); err != nil {
		return err
	}
	p.Ret, p.REC = datePart(r.PostForm, "returnedOn"), r.PostFormValue("rec")
	on, derr := haven.ParseDateParts("Date of the return home", p.Ret.Day, p.Ret.Month, p.Ret.Year)
	// What the form alone shows is wrong is said before the case's version is looked at.
	f := map[string]string{}
	if derr != nil {
		f["returnedOn"] = derr.Error()
	} else if on.IsZero() {
		f["returnedOn"] = "Enter the date the child returned home"
	}
	if !reunify.ValidChoice(reunify.ReturnReasons, p.REC) {
		f["rec"] = "Choose whether the return was planned (E4A) or not (E4B)"
	}
	if len(f) > 0 {
		return s.caseFormError(w, r, p, haven.Invalid(f), "returnedOn", "rec")
	}
	err = s.store.RecordReturnHome(r.Context(), s.auditEvent(r, audit.Update), p.Case.ID, formVersion(r), reunify.ReturnHome{On: on, REC: p.REC}, p.Me, s.today())
	if err != nil {
		return s.caseFormError(w, r, p, err, "returnedOn", "rec")
	}
	s.saved(w, r, casePath(p.Child.ID), "reunify-return")
	return nil
}

func (s *Server) chooseAlternative(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	p, err := s.caseData(r)
	if err != nil {
		return err
	}
	if err := needCase(p); err != nil {
		return err
	}
	p.AltOn, p.Reason = datePart(r.PostForm, "decidedOn"), r.PostFormValue("reason")
	on, derr := haven.ParseDateParts("Date of the decision", p.AltOn.Day, p.AltOn.Month, p.AltOn.Year)
	f := map[string]string{}
	if derr != nil {
		f["decidedOn"] = derr.Error()
	} else if on.IsZero() {
		f["decidedOn"] = "Enter the date of the decision"
	}
	if strings.TrimSpace(p.Reason) == "" {
		f["reason"] = "Enter the reason for alternative permanence"
	}
	if len(f) > 0 {
		return s.caseFormError(w, r, p, haven.Invalid(f), "reason", "decidedOn")
	}
	err = s.store.ChooseAlternative(r.Context(), s.auditEvent(r, audit.Update), p.Case.ID, formVersion(r), p.Reason, on, p.Me, s.today())
	if err != nil {
		return s.caseFormError(w, r, p, err, "reason", "decidedOn")
	}
	s.saved(w, r, casePath(p.Child.ID), "reunify-alternative")
	return nil
}

// reunifyDecisionFormPage records one decision or risk classification.
type reunifyDecisionFormPage struct {
	Layout
	Child   reunify.Child
	Case    reunify.Case
	Kind    reunify.DecisionKind
	Scale   reunify.RiskScale
	Answer  string
	Level   string
	On      dateForm
	Reason  string
	Version int64
}

func (p *reunifyDecisionFormPage) Path() string { return casePath(p.Child.ID) }

// Levels are the scale's levels as radios.
func (p *reunifyDecisionFormPage) Levels() []reunify.Choice {
	out := make([]reunify.Choice, len(p.Scale.Labels))
	for i, l := range p.Scale.Labels {
		out[i] = reunify.Choice{Value: strconv.Itoa(i + 1), Title: l}
	}
	return out
}

func (s *Server) decisionFormData(r *http.Request, kind string) (*reunifyDecisionFormPage, error) {
	p, err := s.caseData(r)
	if err != nil {
		return nil, err
	}
	if err := needCase(p); err != nil {
		return nil, err
	}
	k, ok := reunify.ParseDecisionKind(kind)
	if !ok {
		return nil, haven.ErrNotFound
	}
	team, _ := laTeam(r)
	scale, err := s.store.RiskScale(r.Context(), team.TenantID)
	if err != nil {
		return nil, err
	}
	return &reunifyDecisionFormPage{Layout: Layout{Title: p.Child.FirstName + ": " + k.Title(), Nav: "la"}, Child: p.Child, Case: p.Case, Kind: k, Scale: scale, Version: p.Case.Version}, nil
}

func (s *Server) decisionForm(w http.ResponseWriter, r *http.Request) error {
	p, err := s.decisionFormData(r, r.URL.Query().Get("kind"))
	if err != nil {
		return err
	}
	if p.Kind.Stage() != p.Case.Stage {
		return haven.Errorf(haven.KindConflict, "%s is not made at the stage this case is at", p.Kind.Title())
	}
	return s.render(w, r, http.StatusOK, "reunify_decision_form.html", p)
}

func (s *Server) proposeDecision(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	if _, _, err := s.laChild(r); err != nil {
		return err // anyone outside the team learns nothing, not even that the form was wrong
	}
	if _, ok := reunify.ParseDecisionKind(r.PostFormValue("kind")); !ok {
		// The kind is a hidden field the case page's link chose.
		return badRequest("Choose what you are recording from the case page.")
	}
	p, err := s.decisionFormData(r, r.PostFormValue("kind"))
	if err != nil {
		return err
	}
	p.Answer, p.Level, p.On, p.Reason = r.PostFormValue("answer"), r.PostFormValue("level"), datePart(r.PostForm, "decidedOn"), r.PostFormValue("rationale")
	p.Version = formVersion(r)
	level, _ := strconv.Atoi(p.Level)
	on, derr := haven.ParseDateParts("Date of the decision", p.On.Day, p.On.Month, p.On.Year)
	d := reunify.Decision{Kind: p.Kind, Answer: p.Answer, Level: level, DecidedOn: on, Rationale: p.Reason}
	order := []string{"kind", "answer", "level", "decidedOn", "rationale"}
	fields := map[string]string{}
	if _, err := reunify.Propose(p.Case, d, nil, p.Scale, s.today()); err != nil {
		if he, ok := errors.AsType[*haven.Error](err); ok && he.Kind == haven.KindInvalid {
			fields = he.Fields
		} else {
			return err
		}
	}
	if derr != nil {
		fields["decidedOn"] = derr.Error()
	}
	if len(fields) == 0 {
		_, err = s.store.ProposeDecision(r.Context(), s.auditEvent(r, audit.Create), p.Case.ID, p.Version, d, p.Scale, actorID(r), s.today())
		switch {
		case err == nil || isDuplicate(err):
			s.saved(w, r, casePath(p.Child.ID), "reunify-decision")
			return nil
		}
		he, ok := errors.AsType[*haven.Error](err)
		if !ok || he.Kind != haven.KindInvalid {
			return err
		}
		fields = he.Fields
	}
	p.Errors = fieldErrors(fields, order...)
	return s.render(w, r, http.StatusUnprocessableEntity, "reunify_decision_form.html", p)
}

// actorID is the signed-in user.
func actorID(r *http.Request) int64 { return infoFrom(r.Context()).actor.User.ID }

// reunifyDecisionPage shows one decision, with sign-off and sending back
// for a manager who did not propose it.
type reunifyDecisionPage struct {
	Layout
	Child      reunify.Child
	Case       reunify.Case
	Decision   caseDecisionRow
	Reason     string
	CanSignOff bool
}

func (p *reunifyDecisionPage) Path() string { return casePath(p.Child.ID) }

func (s *Server) decisionData(r *http.Request) (*reunifyDecisionPage, error) {
	p, err := s.caseData(r)
	if err != nil {
		return nil, err
	}
	if err := needCase(p); err != nil {
		return nil, err
	}
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	for _, d := range p.Recent {
		if d.ID == id {
			return &reunifyDecisionPage{Layout: Layout{Title: p.Child.FirstName + ": " + d.Kind.Title(), Nav: "la"}, Child: p.Child, Case: p.Case, Decision: d, CanSignOff: d.CanSignOff}, nil
		}
	}
	return nil, haven.ErrNotFound
}

func (s *Server) decisionPage(w http.ResponseWriter, r *http.Request) error {
	p, err := s.decisionData(r)
	if err != nil {
		return err
	}
	if err := s.store.Audit(r.Context(), s.laChildAudit(r, audit.View, p.Child.ID, "reunification decisions")); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "reunify_decision.html", p)
}

// signOff signs a proposal off, or sends it back: only a team manager, never
// the proposer (403, nothing written).
func (s *Server) signOff(decline bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := parseForm(r); err != nil {
			return err
		}
		p, err := s.decisionData(r)
		if err != nil {
			return err
		}
		team, _ := laTeam(r)
		if err := mayReview(team, p.Decision.Decision, actorID(r)); err != nil {
			return err
		}
		p.Reason = r.PostFormValue("reason")
		_, err = s.store.SignOffDecision(r.Context(), s.auditEvent(r, audit.Update), p.Case.ID, formVersion(r), p.Decision.ID, actorID(r), isManager(team), decline, p.Reason)
		switch {
		case err == nil || isDuplicate(err):
			name := "reunify-signed"
			if decline {
				name = "reunify-declined"
			}
			s.saved(w, r, casePath(p.Child.ID), name)
			return nil
		}
		he, ok := errors.AsType[*haven.Error](err)
		if !ok || he.Kind != haven.KindInvalid {
			return err
		}
		p.Errors = fieldErrors(he.Fields, "reason")
		return s.render(w, r, http.StatusUnprocessableEntity, "reunify_decision.html", p)
	}
}

// mayReview refuses a sign-off, or a sending back, by anyone but a team
// manager who did not propose the decision, before anything else is looked
// at: the store checks the same again in its transaction.
func mayReview(team access.Membership, d reunify.Decision, me int64) error {
	if !isManager(team) {
		return reunify.ErrNotManager
	}
	if d.ProposedBy == me {
		return reunify.ErrOwnDecision
	}
	return nil
}

// reunifySignOffPage is a manager's list of what awaits their sign-off.
type reunifySignOffPage struct {
	Layout
	Team    access.Membership
	Waiting []store.AwaitingSignOff
}

func (s *Server) signOffList(w http.ResponseWriter, r *http.Request) error {
	team, err := laTeam(r)
	if err != nil {
		return err
	}
	if !isManager(team) {
		return errNotManagerPage
	}
	list, err := s.store.AwaitingSignOff(r.Context(), team.TenantID, infoFrom(r.Context()).actor.User.ID)
	if err != nil {
		return err
	}
	ev := s.auditEvent(r, audit.View)
	ev.RecordType, ev.Section = "la-child", "awaiting sign-off"
	if err := s.store.Audit(r.Context(), ev); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "reunify_decision_sign_off.html", &reunifySignOffPage{Layout: Layout{Title: "Awaiting your sign-off", Nav: "la-sign-off"}, Team: team, Waiting: list})
}

// errNotManagerPage refuses a team manager's page to anyone else in the team.
var errNotManagerPage = haven.Errorf(haven.KindForbidden, "Only a team manager can do this")

// reunifyRiskScalePage is the team's risk scale, which its managers change.
type reunifyRiskScalePage struct {
	Layout
	Team    access.Membership
	Scale   reunify.RiskScale
	Manager bool
	Rows    []riskLevelRow
}

type riskLevelRow struct {
	N            int
	Field, Value string
	Error        string
}

func (s *Server) riskScaleRows(p *reunifyRiskScalePage, labels []string) {
	p.Rows = nil
	n := max(len(labels)+1, 4)
	for i := range min(n, 7) {
		v := ""
		if i < len(labels) {
			v = labels[i]
		}
		field := "level-" + strconv.Itoa(i+1)
		p.Rows = append(p.Rows, riskLevelRow{N: i + 1, Field: field, Value: v, Error: p.ErrorFor(field)})
	}
}

func (s *Server) riskScaleData(r *http.Request) (*reunifyRiskScalePage, error) {
	team, err := laTeam(r)
	if err != nil {
		return nil, err
	}
	scale, err := s.store.RiskScale(r.Context(), team.TenantID)
	if err != nil {
		return nil, err
	}
	return &reunifyRiskScalePage{Layout: Layout{Title: "Risk scale", Nav: "la-sign-off"}, Team: team, Scale: scale, Manager: isManager(team)}, nil
}

func (s *Server) riskScale(w http.ResponseWriter, r *http.Request) error {
	p, err := s.riskScaleData(r)
	if err != nil {
		return err
	}
	s.riskScaleRows(p, p.Scale.Labels)
	return s.render(w, r, http.StatusOK, "reunify_decision_risk_scale.html", p)
}

func (s *Server) saveRiskScale(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	p, err := s.riskScaleData(r)
	if err != nil {
		return err
	}
	if !p.Manager {
		return errNotManagerPage
	}
	// Blank rows at the end are levels not used; a blank between two is an error.
	var labels []string
	for i := 1; i <= 7; i++ {
		labels = append(labels, r.PostFormValue("level-"+strconv.Itoa(i)))
	}
	for len(labels) > 0 && strings.TrimSpace(labels[len(labels)-1]) == "" {
		labels = labels[:len(labels)-1]
	}
	_, err = s.store.SaveRiskScale(r.Context(), s.auditEvent(r, audit.Update), reunify.RiskScale{Team: p.Team.TenantID, Labels: labels, Version: formVersion(r)}, actorID(r))
	switch {
	case err == nil:
		s.saved(w, r, "/la/risk-scale", "risk-scale")
		return nil
	case errors.Is(err, haven.ErrConflict):
		p.Errors = []FieldError{{"level-1", "Someone else changed the risk scale while you were editing it. It is shown below as it is now: make your change again"}}
		s.riskScaleRows(p, p.Scale.Labels)
		return s.render(w, r, http.StatusConflict, "reunify_decision_risk_scale.html", p)
	}
	he, ok := errors.AsType[*haven.Error](err)
	if !ok || he.Kind != haven.KindInvalid {
		return err
	}
	order := []string{"labels"}
	for i := 1; i <= 7; i++ {
		order = append(order, "level-"+strconv.Itoa(i))
	}
	p.Errors = fieldErrors(he.Fields, order...)
	p.Scale.Version = formVersion(r)
	s.riskScaleRows(p, labels)
	return s.render(w, r, http.StatusUnprocessableEntity, "reunify_decision_risk_scale.html", p)
}
