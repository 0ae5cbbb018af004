package reunify

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"haven/internal/haven"
)

// The framework as a stage machine (issue 18 item 2), after Leeds'
// procedure (DOMAIN.md §5.1). Each decision and risk classification is
// proposed by a worker and signed off by a team manager who is never the
// proposer; a case cannot leave a stage until what that stage decides is
// signed off.

// DecisionKind is one of the framework's dated judgements.
type DecisionKind string

const (
	Decision1 DecisionKind = "decision-1"         // consider return home
	Risk1     DecisionKind = "risk-1"             // risk classification 1
	Decision2 DecisionKind = "decision-2"         // return home, after the assessment
	Risk2     DecisionKind = "risk-2"             // risk classification 2
	Decision3 DecisionKind = "decision-3"         // the plan goes ahead
	Emergency DecisionKind = "emergency-approval" // emergency placement with parents
	Panel     DecisionKind = "permanence-panel"   // the permanence panel's decision
	Risk3     DecisionKind = "risk-3"             // risk classification 3, after return
)

// yesNoField is the form field of a decision's yes or no.
const yesNoField = "answer"

// DecisionKinds are every kind, in framework order, with their titles.
var DecisionKinds = []Choice{
	{string(Decision1), "Decision 1: consider return home"},
	{string(Risk1), "Risk classification 1"},
	{string(Decision2), "Decision 2: return home"},
	{string(Risk2), "Risk classification 2"},
	{string(Decision3), "Decision 3: reunification goes ahead"},
	{string(Emergency), "Emergency placement with parents approval"},
	{string(Panel), "Permanence panel decision"},
	{string(Risk3), "Risk classification 3"},
}

// Title is the kind's name for people.
func (k DecisionKind) Title() string { return TitleOf(DecisionKinds, string(k)) }

// IsRisk reports whether the kind is a risk classification, which carries a
// level on the team's scale rather than yes or no.
func (k DecisionKind) IsRisk() bool { return k == Risk1 || k == Risk2 || k == Risk3 }

// Stage is the stage in which the kind is decided.
func (k DecisionKind) Stage() Stage {
	switch k {
	case Decision1:
		return StageIdentification
	case Risk1, Decision2:
		return StageDecision2
	case Risk2, Decision3:
		return StageDecision3
	case Emergency:
		return StageEmergency
	case Panel:
		return StagePanel
	case Risk3:
		return StageRisk3
	}
	return ""
}

// LeadsToAlternative reports whether a "no" of this kind means the child is
// not going home under this plan: Decisions 1, 2 and 3, and the panel.
func (k DecisionKind) LeadsToAlternative() bool {
	return k == Decision1 || k == Decision2 || k == Decision3 || k == Panel
}

// ParseDecisionKind reads a kind, reporting whether it is one.
func ParseDecisionKind(s string) (DecisionKind, bool) {
	return DecisionKind(s), ValidChoice(DecisionKinds, s)
}

// Required is what must be signed off in a stage before the case leaves it.
func Required(s Stage) []DecisionKind {
	switch s {
	case StageIdentification:
		return []DecisionKind{Decision1}
	case StageDecision2:
		return []DecisionKind{Risk1, Decision2}
	case StageDecision3:
		return []DecisionKind{Risk2, Decision3}
	case StageEmergency:
		return []DecisionKind{Emergency}
	case StagePanel:
		return []DecisionKind{Panel}
	case StageRisk3:
		return []DecisionKind{Risk3}
	}
	return nil
}

// Next is the stages a case may move to from s by moving on. The emergency
// approval is optional: after Decision 3 a case goes to it only when needed.
// The return home is left by recording it (RecordReturn), and alternative
// permanence by choosing it; closed and alternative permanence end a case.
func Next(s Stage) []Stage {
	switch s {
	case StageIdentification:
		return []Stage{StagePlanAssessment}
	case StagePlanAssessment:
		return []Stage{StageChronology}
	case StageChronology:
		return []Stage{StageAssessment}
	case StageAssessment:
		return []Stage{StageDecision2}
	case StageDecision2:
		return []Stage{StagePlan}
	case StagePlan:
		return []Stage{StageDecision3}
	case StageDecision3:
		return []Stage{StagePlanReview, StageEmergency}
	case StageEmergency:
		return []Stage{StagePlanReview}
	case StagePlanReview:
		return []Stage{StagePanel}
	case StagePanel:
		return []Stage{StageReturnHome}
	case StageSupport:
		return []Stage{StageRisk3}
	case StageRisk3:
		return []Stage{StageDischarge}
	case StageDischarge:
		return []Stage{StageClosed}
	}
	return nil
}

// Ended reports whether a case in stage s is over.
func (s Stage) Ended() bool { return s == StageClosed || s == StageAlternative }

// ParseStage reads a stage, reporting whether it is one.
func ParseStage(s string) (Stage, bool) { return Stage(s), ValidChoice(Stages, s) }

// Decision states.
const (
	Proposed  = "proposed" // awaiting a manager's sign-off
	SignedOff = "signed"
	Declined  = "declined" // a manager sent it back to the worker, with a reason
)

// Decision is one decision or risk classification on a case.
type Decision struct {
	ID    int64
	Case  int64
	Kind  DecisionKind
	Stage Stage
	// Answer is "yes" or "no" for a decision; "" for a risk classification.
	Answer string
	// Level is a classification's position on the team's scale, from 1,
	// and Label its name there when it was made.
	Level      int
	Label      string
	DecidedOn  haven.Date
	Rationale  string
	Status     string
	ProposedBy int64
	ProposedAt time.Time
	SignedBy   int64 // the manager who signed it off, or sent it back
	SignedAt   time.Time
	Reason     string // why a manager sent it back
	Version    int64
	// The names of the proposer and of the manager, as the store reads
	// them, for people to see who did what.
	ProposerName, SignerName string
}

// Pending reports whether the decision awaits sign-off.
func (d Decision) Pending() bool { return d.Status == Proposed }

// Signed reports whether a manager has signed the decision off.
func (d Decision) Signed() bool { return d.Status == SignedOff }

// Outcome is the decision or level for people: "Yes", "No", or the level's label.
func (d Decision) Outcome() string {
	switch {
	case d.Kind.IsRisk():
		return d.Label
	case d.Answer == "yes":
		return "Yes"
	case d.Answer == "no":
		return "No"
	}
	return ""
}

// RiskScale is a team's scale of risk, lowest first. Classifications keep
// both the position and the label, so a later change of wording does not
// rewrite what a manager signed.
type RiskScale struct {
	Team    int64
	Labels  []string
	Version int64 // 0 while the team uses the default
}

// DefaultRiskScale is the scale every team starts with.
var DefaultRiskScale = []string{"Low", "Medium", "High", "Very high"}

// Validate checks a scale as a manager typed it.
func (s RiskScale) Validate() error {
	f := map[string]string{}
	switch {
	case len(s.Labels) < 2:
		f["labels"] = "Enter at least 2 levels of risk"
	case len(s.Labels) > 7:
		f["labels"] = "Enter 7 levels of risk or fewer"
	}
	seen := map[string]bool{}
	for i, l := range s.Labels {
		name := fmt.Sprintf("Level %d", i+1)
		key := fmt.Sprintf("level-%d", i+1)
		t := strings.TrimSpace(l)
		switch {
		case t == "":
			f[key] = "Enter a name for " + strings.ToLower(name[:1]) + name[1:]
		case utf8.RuneCountInString(t) > 40:
			f[key] = haven.CharactersOrFewer(name, 40)
		case haven.NameError(name, t) != "":
			f[key] = haven.NameError(name, t)
		case strings.Contains(t, "\n"):
			f[key] = name + " must be one line"
		case seen[strings.ToLower(t)]:
			f[key] = name + " must be different from the levels above it"
		}
		seen[strings.ToLower(t)] = true
	}
	if len(f) > 0 {
		return haven.Invalid(f)
	}
	return nil
}

// LabelAt is the label of level n (from 1), or "" if there is none.
func (s RiskScale) LabelAt(n int) string {
	if n < 1 || n > len(s.Labels) {
		return ""
	}
	return s.Labels[n-1]
}

// latest is the newest decision of kind k that is not declined.
func latest(ds []Decision, k DecisionKind) (Decision, bool) {
	for i := len(ds) - 1; i >= 0; i-- {
		if ds[i].Kind == k && ds[i].Status != Declined {
			return ds[i], true
		}
	}
	return Decision{}, false
}

// Current is the decision of kind k that stands (proposed or signed off),
// if any. ds are the case's decisions, oldest first.
func Current(ds []Decision, k DecisionKind) (Decision, bool) { return latest(ds, k) }

// Propose checks a worker's proposal of d on case c, whose decisions so far
// are ds (oldest first), against the team's scale. It fills in the stage and
// a classification's label.
func Propose(c Case, d Decision, ds []Decision, scale RiskScale, today haven.Date) (Decision, error) {
	if c.Stage.Ended() {
		return d, haven.Errorf(haven.KindConflict, "This case has ended, so nothing more can be decided on it")
	}
	f := map[string]string{}
	if d.Kind.Stage() == "" {
		f["kind"] = "Choose what you are recording"
	} else if d.Kind.Stage() != c.Stage {
		f["kind"] = d.Kind.Title() + " is made at the stage " + d.Kind.Stage().Title() + ", and this case is at " + c.Stage.Title()
	} else if cur, ok := latest(ds, d.Kind); ok {
		if cur.Pending() {
			f["kind"] = d.Kind.Title() + " is already awaiting sign-off by a team manager"
		} else {
			f["kind"] = d.Kind.Title() + " has already been signed off"
		}
	}
	d.Stage = d.Kind.Stage()
	if d.Kind.Stage() != "" {
		if d.Kind.IsRisk() {
			d.Answer = ""
			if d.Label = scale.LabelAt(d.Level); d.Label == "" {
				f["level"] = "Choose the level of risk"
			}
		} else {
			d.Level, d.Label = 0, ""
			if d.Answer != "yes" && d.Answer != "no" {
				f[yesNoField] = "Choose yes or no"
			}
		}
	}
	switch {
	case d.DecidedOn.IsZero():
		f["decidedOn"] = "Enter the date of the decision"
	case today.Before(d.DecidedOn):
		f["decidedOn"] = "Date of the decision must be today or in the past"
	case d.DecidedOn.Before(c.OpenedOn):
		f["decidedOn"] = "Date of the decision must be on or after the date the case was opened, " + c.OpenedOn.Long()
	}
	d.Rationale = strings.TrimSpace(d.Rationale)
	switch {
	case d.Rationale == "":
		f["rationale"] = "Enter the reasons for the decision"
	case utf8.RuneCountInString(d.Rationale) > 5000:
		f["rationale"] = haven.CharactersOrFewer("Reasons for the decision", 5000)
	case haven.TextError("Reasons for the decision", d.Rationale) != "":
		f["rationale"] = haven.TextError("Reasons for the decision", d.Rationale)
	}
	if len(f) > 0 {
		return d, haven.Invalid(f)
	}
	d.Status, d.SignedBy, d.SignedAt, d.Reason = Proposed, 0, time.Time{}, ""
	return d, nil
}

// ErrOwnDecision refuses a manager's sign-off of a decision they proposed.
var ErrOwnDecision = haven.Errorf(haven.KindForbidden, "You proposed this, so another team manager must sign it off")

// ErrNotManager refuses a sign-off by anyone but a team manager.
var ErrNotManager = haven.Errorf(haven.KindForbidden, "Only a team manager can sign off decisions and risk classifications")

// SignOff checks that by, a team manager if manager holds, may sign off d on
// case c. Nobody signs off their own proposal.
func SignOff(c Case, d Decision, by int64, manager bool) error {
	if !manager {
		return ErrNotManager
	}
	if by == d.ProposedBy {
		return ErrOwnDecision
	}
	if c.Stage.Ended() {
		return haven.Errorf(haven.KindConflict, "This case has ended, so nothing more can be signed off on it")
	}
	if !d.Pending() {
		return haven.Errorf(haven.KindConflict, "This has already been signed off or sent back")
	}
	return nil
}

// Decline checks a manager's refusal to sign off d, sending it back to the
// worker with the reason: the same rules as SignOff, and a reason.
func Decline(c Case, d Decision, by int64, manager bool, reason string) (string, error) {
	if err := SignOff(c, d, by, manager); err != nil {
		return "", err
	}
	reason = strings.TrimSpace(reason)
	switch {
	case reason == "":
		return "", haven.Invalid(map[string]string{"reason": "Enter why you are not signing this off"})
	case utf8.RuneCountInString(reason) > 2000:
		return "", haven.Invalid(map[string]string{"reason": haven.CharactersOrFewer("Why you are not signing this off", 2000)})
	case haven.TextError("Why you are not signing this off", reason) != "":
		return "", haven.Invalid(map[string]string{"reason": haven.TextError("Why you are not signing this off", reason)})
	}
	return reason, nil
}

// Move checks moving case c on to stage to. Every decision its current
// stage makes must be signed off, and a "no" to going home leads only to
// alternative permanence.
func Move(c Case, to Stage, ds []Decision) error {
	if c.Stage.Ended() {
		return haven.Errorf(haven.KindConflict, "This case has ended")
	}
	if c.Stage == StageReturnHome {
		return haven.Invalid(map[string]string{"to": "Record the return home, with its date and reason, to move on"})
	}
	if !slices.Contains(Next(c.Stage), to) {
		return haven.Invalid(map[string]string{"to": "Choose the next stage"})
	}
	for _, k := range Required(c.Stage) {
		d, ok := latest(ds, k)
		switch {
		case !ok:
			return haven.Invalid(map[string]string{"to": "Record " + lowerTitle(k) + " before moving on"})
		case d.Pending():
			return haven.Invalid(map[string]string{"to": k.Title() + " must be signed off by a team manager before moving on"})
		case d.Answer == "no" && k.LeadsToAlternative():
			return haven.Invalid(map[string]string{"to": k.Title() + " was no: choose alternative permanence instead"})
		}
	}
	return nil
}

// AlternativeAllowed reports whether case c may go to alternative
// permanence: a signed-off "no" at Decision 1, 2 or 3 or the panel, in the
// stage the case is at.
func AlternativeAllowed(c Case, ds []Decision) (Decision, bool) {
	if c.Stage.Ended() {
		return Decision{}, false
	}
	for _, k := range Required(c.Stage) {
		if d, ok := latest(ds, k); ok && d.Signed() && d.Answer == "no" && k.LeadsToAlternative() {
			return d, true
		}
	}
	return Decision{}, false
}

// Alternative checks choosing alternative permanence for case c, with the
// reason, on the date.
func Alternative(c Case, ds []Decision, reason string, on, today haven.Date) (string, error) {
	if c.Stage.Ended() {
		return "", haven.Errorf(haven.KindConflict, "This case has ended")
	}
	f := map[string]string{}
	if _, ok := AlternativeAllowed(c, ds); !ok {
		f["reason"] = "Alternative permanence follows a decision not to return home that a team manager has signed off"
	}
	reason = strings.TrimSpace(reason)
	switch {
	case reason == "":
		f["reason"] = "Enter the reason for alternative permanence"
	case utf8.RuneCountInString(reason) > 2000:
		f["reason"] = haven.CharactersOrFewer("Reason for alternative permanence", 2000)
	case haven.TextError("Reason for alternative permanence", reason) != "":
		f["reason"] = haven.TextError("Reason for alternative permanence", reason)
	}
	checkDate(f, "decidedOn", "Date of the decision", on, c.OpenedOn, today)
	if len(f) > 0 {
		return reason, haven.Invalid(f)
	}
	return reason, nil
}

// ReturnHome is the child's return home: its date ends the open episode with
// REC E4A (planned) or E4B (not planned).
type ReturnHome struct {
	On  haven.Date
	REC string
}

// ReturnReasons are the two ways an episode ends with a return home.
var ReturnReasons = []Choice{
	{"E4A", "E4A: returned home to live with parents or others with parental responsibility, as part of the care planning process"},
	{"E4B", "E4B: returned home to live with parents or others with parental responsibility, not as part of the care planning process"},
}

// RecordReturn checks recording the return home on case c, whose child's
// open episode is open (ok false if there is none).
func RecordReturn(c Case, ret ReturnHome, open Episode, hasOpen bool, today haven.Date) error {
	if c.Stage.Ended() {
		return haven.Errorf(haven.KindConflict, "This case has ended")
	}
	f := map[string]string{}
	if c.Stage != StageReturnHome {
		f["returnedOn"] = "The return home is recorded at the stage " + StageReturnHome.Title() + ", and this case is at " + c.Stage.Title()
	}
	if !ValidChoice(ReturnReasons, ret.REC) {
		f["rec"] = "Choose whether the return was planned (E4A) or not (E4B)"
	}
	checkDate(f, "returnedOn", "Date of the return home", ret.On, c.OpenedOn, today)
	if _, bad := f["returnedOn"]; !bad {
		switch {
		case !hasOpen:
			f["returnedOn"] = "The child has no open episode of care for the return to end"
		case ret.On.Before(open.StartsOn):
			f["returnedOn"] = "Date of the return home must be on or after the start of the child's episode of care, " + open.StartsOn.Long()
		}
	}
	if len(f) > 0 {
		return haven.Invalid(f)
	}
	return nil
}

func checkDate(f map[string]string, field, label string, on, opened, today haven.Date) {
	switch {
	case on.IsZero():
		f[field] = "Enter the " + strings.ToLower(label[:1]) + label[1:]
	case today.Before(on):
		f[field] = label + " must be today or in the past"
	case on.Before(opened):
		f[field] = label + " must be on or after the date the case was opened, " + opened.Long()
	}
}

func lowerTitle(k DecisionKind) string {
	t := k.Title()
	if strings.HasPrefix(t, "Risk") || strings.HasPrefix(t, "Emergency") || strings.HasPrefix(t, "Permanence") {
		return strings.ToLower(t[:1]) + t[1:]
	}
	return t
}

// StageEvent is one entry in a case's history: a move between stages, the
// return home, or alternative permanence.
type StageEvent struct {
	ID   int64
	Case int64
	From Stage
	To   Stage
	On   haven.Date
	By   int64
	// REC is the reason the episode ended, for the return home; Reason the
	// reason for alternative permanence.
	REC    string
	Reason string
}

// StageState is how far a case has gone with one stage, for the timeline.
type StageState string

const (
	StateDone       StageState = "done"
	StateCurrent    StageState = "current"
	StateNotStarted StageState = "not-started"
	StateSkipped    StageState = "not-needed"
)

// Timeline is each stage of the framework with its state for case c and
// its history: a stage is done once the case has moved past it, current
// while the case is at it, and the emergency approval not needed if the
// case went past Decision 3 without it. Alternative permanence appears only
// when chosen.
func Timeline(c Case, events []StageEvent) []StageState {
	visited := map[Stage]bool{StageIdentification: true}
	for _, e := range events {
		visited[e.From], visited[e.To] = true, true
	}
	order := mainOrder()
	at := slices.Index(order, c.Stage)
	if c.Stage == StageAlternative {
		// Alternative permanence ends wherever the case was.
		at = -1
		for i, s := range order {
			if visited[s] {
				at = i
			}
		}
	}
	out := make([]StageState, len(order))
	for i, s := range order {
		switch {
		case s == c.Stage:
			out[i] = StateCurrent
			if s == StageClosed {
				out[i] = StateDone
			}
		case c.Stage == StageAlternative && i == at:
			out[i] = StateDone
		case i < at && s == StageEmergency && !visited[s]:
			out[i] = StateSkipped
		case i < at:
			out[i] = StateDone
		default:
			out[i] = StateNotStarted
		}
	}
	return out
}

// MainStages is the framework's stages in order, without alternative
// permanence, for the timeline.
func MainStages() []Stage { return mainOrder() }

func mainOrder() []Stage {
	out := make([]Stage, 0, len(Stages))
	for _, s := range Stages {
		if Stage(s.Value) != StageAlternative {
			out = append(out, Stage(s.Value))
		}
	}
	return out
}
