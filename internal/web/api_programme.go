package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/programme"
)

// decodeJSON reads one JSON object into v. Unknown fields, trailing data,
// anything but an object (null included) and bad JSON are 400s that say what
// is wrong; a body over the limit is 413; text no field may hold (invalid
// UTF-8, control characters) is a 422 naming the field (checkJSONText).
func decodeJSON(r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return &statusError{http.StatusUnsupportedMediaType, "Send JSON, with Content-Type: application/json."}
	}
	dec := json.NewDecoder(r.Body)
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return errTooLarge
		}
		return badRequest("The request body is not valid JSON for this call: " + jsonProblem(err))
	}
	if dec.More() || raw[0] != '{' {
		return badRequest("The request body must hold one JSON object.")
	}
	if _, err := dec.Token(); err != io.EOF {
		return badRequest("The request body must hold one JSON object.")
	}
	if err := checkJSONText(raw); err != nil {
		return err
	}
	strict := json.NewDecoder(bytes.NewReader(raw))
	strict.DisallowUnknownFields()
	if err := strict.Decode(v); err != nil {
		return badRequest("The request body is not valid JSON for this call: " + jsonProblem(err))
	}
	if f := dateProblems(v); f != nil {
		return haven.Invalid(f) // a date apiDate could not read: 422 naming it
	}
	return nil
}

// jsonProblem describes a decoding error without echoing the body.
func jsonProblem(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return "syntax error at byte " + strconv.FormatInt(syn.Offset, 10)
	case errors.As(err, &typ):
		return "field " + typ.Field + " has the wrong type"
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return "unknown field " + strings.TrimPrefix(err.Error(), "json: unknown field ")
	}
	return "it could not be read"
}

// expectedVersion takes the version an update is based on, from If-Match or
// the body. Without either, the update is refused: Haven never overwrites blind.
func expectedVersion(r *http.Request, body int64) (int64, error) {
	if m := strings.Trim(r.Header.Get("If-Match"), `" `); m != "" {
		v, err := strconv.ParseInt(strings.TrimPrefix(m, "W/"), 10, 64)
		if err != nil || v < 1 {
			return 0, badRequest("If-Match must be the record's version, as its ETag gave it.")
		}
		return v, nil
	}
	if body < 1 {
		return 0, &statusError{http.StatusPreconditionRequired, "Send the version you are changing, in If-Match or a version field."}
	}
	return body, nil
}

type apiEnrolment struct {
	ID         int64  `json:"id"`
	Phase      string `json:"phase"`
	ReferredOn string `json:"referredOn"`
	EngagedOn  string `json:"engagedOn,omitempty"`
	StartedOn  string `json:"startedOn,omitempty"`
	EndedOn    string `json:"endedOn,omitempty"`
	EndReason  string `json:"endReason,omitempty"`
	Exit       string `json:"exitCategory,omitempty"`
	Version    int64  `json:"version"`
}

func toAPIEnrolment(e programme.Enrolment) apiEnrolment {
	return apiEnrolment{ID: e.ID, Phase: string(e.Phase), ReferredOn: e.ReferredOn.String(), EngagedOn: e.EngagedOn.String(),
		StartedOn: e.StartedOn.String(), EndedOn: e.EndedOn.String(), EndReason: e.EndReason, Exit: string(e.Exit), Version: e.Version}
}

// apiRecord loads the person for an API call on her record and audits the access.
func (s *Server) apiRecord(r *http.Request, section string) (programme.Person, programme.Access, error) {
	p, acc, err := s.personFor(r)
	if err != nil {
		return p, acc, err
	}
	if !acc.Record {
		return p, acc, refuseRecord(p, acc)
	}
	if r.Method == http.MethodGet {
		if err := s.store.Audit(r.Context(), s.viewEvent(r, p.ID, section)); err != nil {
			return p, acc, err
		}
	}
	return p, acc, nil
}

func (s *Server) apiEnrolments(w http.ResponseWriter, r *http.Request) error {
	p, _, err := s.apiRecord(r, "enrolments")
	if err != nil {
		return err
	}
	es, err := s.store.Enrolments(r.Context(), p.ID)
	if err != nil {
		return err
	}
	out := []apiEnrolment{}
	for _, e := range es {
		out = append(out, toAPIEnrolment(e))
	}
	writeJSON(w, http.StatusOK, map[string]any{"enrolments": out})
	return nil
}

func (s *Server) apiStartEnrolment(w http.ResponseWriter, r *http.Request) error {
	p, _, err := s.apiRecord(r, "enrolments")
	if err != nil {
		return err
	}
	var body struct {
		ReferredOn apiDate `json:"referredOn"`
	}
	if err := decodeJSON(r, &body); err != nil {
		return err
	}
	if body.ReferredOn.IsZero() || s.today().Before(body.ReferredOn.Date) {
		return haven.Invalid(map[string]string{"referredOn": "Give the referral date, YYYY-MM-DD, today or earlier"})
	}
	e, err := s.store.StartEnrolment(r.Context(), s.auditEvent(r, audit.Create), p, body.ReferredOn.Date)
	if d, ok := duplicateOf(err); ok {
		// Sent again with the same Idempotency-Key: answer as the first time.
		if e, err = s.enrolment(r, p.ID, d.ID); err != nil {
			return err
		}
		replayed(w)
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toAPIEnrolment(e))
	return nil
}

func (s *Server) apiMovePhase(w http.ResponseWriter, r *http.Request) error {
	p, _, err := s.apiRecord(r, "enrolments")
	if err != nil {
		return err
	}
	id, err := userID(r, "id")
	if err != nil {
		return err
	}
	var body struct {
		To     string  `json:"to"`
		On     apiDate `json:"on"`
		Reason string  `json:"reason"`
		// ExitCategory is required when ending early: one of programme.ExitCategories.
		ExitCategory string `json:"exitCategory"`
		Version      int64  `json:"version"`
	}
	if err := decodeJSON(r, &body); err != nil {
		return err
	}
	version, err := expectedVersion(r, body.Version)
	if err != nil {
		return err
	}
	es, err := s.store.Enrolments(r.Context(), p.ID)
	if err != nil {
		return err
	}
	for _, e := range es {
		if e.ID != id {
			continue
		}
		if s.today().Before(body.On.Date) {
			return haven.Invalid(map[string]string{"on": "Date of the change must be today or in the past"})
		}
		e.Version = version
		moved, err := s.store.MoveEnrolment(r.Context(), s.auditEvent(r, audit.Update), e, programme.Phase(body.To), body.On.Date, body.Reason, programme.ExitCategory(body.ExitCategory), infoFrom(r.Context()).actor.User.ID)
		if err != nil {
			return err
		}
		w.Header().Set("ETag", `"`+itoa(moved.Version)+`"`)
		writeJSON(w, http.StatusOK, toAPIEnrolment(moved))
		return nil
	}
	return haven.ErrNotFound
}

type apiGoal struct {
	ID       int64  `json:"id"`
	Domain   string `json:"domain"`
	Words    string `json:"words"`
	Steps    string `json:"steps,omitempty"`
	TargetOn string `json:"targetOn,omitempty"`
	Progress string `json:"progress"`
	Version  int64  `json:"version"`
}

func (s *Server) apiGoals(w http.ResponseWriter, r *http.Request) error {
	p, acc, err := s.apiRecord(r, "plan")
	if err != nil {
		return err
	}
	goals, err := s.store.Goals(r.Context(), p.ID, acc.Restricted)
	if err != nil {
		return err
	}
	out := []apiGoal{}
	for _, g := range goals {
		out = append(out, apiGoal{g.ID, string(g.Domain), g.Words, g.Steps, g.TargetOn.String(), string(g.Progress), g.Version})
	}
	writeJSON(w, http.StatusOK, map[string]any{"goals": out})
	return nil
}

func (s *Server) apiCreateGoal(w http.ResponseWriter, r *http.Request) error {
	p, acc, err := s.apiRecord(r, "plan")
	if err != nil {
		return err
	}
	var body struct {
		Domain   string  `json:"domain"`
		Words    string  `json:"words"`
		Steps    string  `json:"steps"`
		TargetOn apiDate `json:"targetOn"`
	}
	if err := decodeJSON(r, &body); err != nil {
		return err
	}
	g := programme.Goal{PersonID: p.ID, Domain: programme.Domain(body.Domain), Words: strings.TrimSpace(body.Words), Steps: body.Steps, TargetOn: body.TargetOn.Date, Progress: programme.NotStarted}
	if g.Domain.Restricted() && !acc.Restricted {
		return haven.ErrForbidden
	}
	g, err = s.store.CreateGoal(r.Context(), s.auditEvent(r, audit.Create), g, infoFrom(r.Context()).actor.User.ID, s.today())
	if d, ok := duplicateOf(err); ok {
		// Sent again with the same Idempotency-Key: answer as the first time.
		if g, err = s.goal(r, p.ID, acc.Restricted, d.ID); err != nil {
			return err
		}
		replayed(w)
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, apiGoal{g.ID, string(g.Domain), g.Words, g.Steps, g.TargetOn.String(), string(g.Progress), g.Version})
	return nil
}

type apiTask struct {
	Kind    string `json:"kind"`
	Person  string `json:"person"`
	Due     string `json:"due"`
	Overdue bool   `json:"overdue"`
	Text    string `json:"text"`
}

// apiTasks is GET /api/v1/tasks: what is due for the caller, as on the tasks page.
func (s *Server) apiTasks(w http.ResponseWriter, r *http.Request) error {
	today := s.today()
	ts, err := s.store.TasksFor(r.Context(), infoFrom(r.Context()).actor, today)
	if err != nil {
		return err
	}
	if err := s.store.Audit(r.Context(), s.viewEvent(r, 0, "tasks")); err != nil {
		return err
	}
	out := []apiTask{}
	for _, t := range ts {
		out = append(out, apiTask{string(t.Kind), t.PersonRef, t.Due.String(), t.Overdue(today), t.Text})
	}
	writeJSON(w, http.StatusOK, map[string]any{"tasks": out})
	return nil
}
