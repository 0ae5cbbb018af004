package web

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/measure"
	"haven/internal/store"
)

// instrumentEnabled says whether this deployment may use an instrument.
// WEMWBS and SWEMWBS need the deployment's registration with Warwick.
type instrumentEnabled func(ctx context.Context, in *measure.Instrument) (bool, error)

// measureEnabled says whether an instrument may be used: those whose owners
// require a registration (WEMWBS, SWEMWBS) stay off until an administrator
// has recorded the deployment's registration.
func (s *Server) measureEnabled(ctx context.Context, in *measure.Instrument) (bool, error) {
	if !in.Registered {
		return true, nil
	}
	regs, err := s.store.Registrations(ctx)
	if err != nil {
		return false, err
	}
	_, ok := regs[in.ID]
	return in.Usable(ok), nil
}

// apiScoreResult is a score as the API gives it. total is null for ONS4
// (four separate items, never summed) and for a form that was not scored;
// metric appears only for a scored SWEMWBS; items only for a scored ONS4.
type apiScoreResult struct {
	Instrument string         `json:"instrument"`
	Total      *int           `json:"total"`
	Metric     *json.Number   `json:"metric,omitempty"`
	Band       string         `json:"band,omitempty"`
	Items      []apiScorePart `json:"items,omitempty"`
	Flags      []string       `json:"flags"`
	Valid      bool           `json:"valid"`
	Reason     string         `json:"reason,omitempty"`
	Copyright  string         `json:"copyright"`
}

type apiScorePart struct {
	Item  string `json:"item"`
	Label string `json:"label"`
	Value int    `json:"value"`
	Band  string `json:"band"`
}

func toAPIScore(in *measure.Instrument, r measure.Result) apiScoreResult {
	out := apiScoreResult{Instrument: string(in.ID), Band: string(r.Band), Flags: []string{}, Valid: r.Valid, Reason: r.Reason, Copyright: in.Copyright}
	if r.HasTotal {
		out.Total = new(r.Total)
	}
	if r.HasMetric {
		// Written from the exact hundredths, never through a float.
		out.Metric = new(json.Number(r.Metric.String()))
	}
	for _, f := range r.Flags {
		out.Flags = append(out.Flags, string(f))
	}
	for _, p := range r.Parts {
		out.Items = append(out.Items, apiScorePart{Item: p.Key, Label: p.Label, Value: p.Value, Band: string(p.Band)})
	}
	return out
}

// apiMeasureScore is POST /api/v1/measures/score: scores one set of answers
// for an integration and stores nothing. The answers name nobody, so there
// is no record to audit.
func (s *Server) apiMeasureScore(enabled instrumentEnabled) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		in, answers, err := parseScoreRequest(r)
		if err != nil {
			return err
		}
		ok, err := enabled(r.Context(), in)
		if err != nil {
			return err
		}
		if !ok {
			return haven.Invalid(map[string]string{"instrument": in.Name + " is switched off until an administrator records this deployment's registration to use it"})
		}
		res, err := in.Score(answers)
		if err != nil {
			return err // parseScoreRequest has checked every answer, so this is Haven's fault
		}
		writeJSON(w, http.StatusOK, toAPIScore(in, res))
		return nil
	}
}

// instrumentChoices lists the instrument IDs for messages.
func instrumentChoices() string {
	var ids []string
	for _, in := range measure.All() {
		ids = append(ids, string(in.ID))
	}
	return strings.Join(ids[:len(ids)-1], ", ") + " or " + ids[len(ids)-1]
}

// wholeNumber is a JSON number with no fraction or exponent.
var wholeNumber = regexp.MustCompile(`^-?(0|[1-9][0-9]*)$`)

// parseScoreRequest reads {"instrument": "...", "answers": [...]}. A body
// that is not one JSON object is a 400; anything wrong inside it is a 422
// naming the field: "instrument", "answers", or "answers[3]" for the fourth
// answer (its message names the item as the form does). Nothing the caller
// sent is echoed back.
func parseScoreRequest(r *http.Request) (*measure.Instrument, []measure.Answer, error) {
	var body struct {
		Instrument json.RawMessage `json:"instrument"`
		Answers    json.RawMessage `json:"answers"`
	}
	if err := decodeJSON(r, &body); err != nil {
		return nil, nil, err
	}
	return parseAnswers(body.Instrument, body.Answers)
}

// parseAnswers reads an instrument's ID and its answers from a JSON body,
// as parseScoreRequest describes.
func parseAnswers(instrument, answers json.RawMessage) (*measure.Instrument, []measure.Answer, error) {
	var body struct{ Instrument, Answers json.RawMessage }
	body.Instrument, body.Answers = instrument, answers
	var id string
	if len(body.Instrument) == 0 || string(body.Instrument) == "null" {
		return nil, nil, haven.Invalid(map[string]string{"instrument": "Give the instrument: " + instrumentChoices()})
	}
	if err := json.Unmarshal(body.Instrument, &id); err != nil {
		return nil, nil, haven.Invalid(map[string]string{"instrument": "Instrument must be text: " + instrumentChoices()})
	}
	in, ok := measure.Lookup(measure.ID(id))
	if !ok {
		return nil, nil, haven.Invalid(map[string]string{"instrument": "Instrument must be one of " + instrumentChoices()})
	}
	listMsg := "Answers must be a list of " + strconv.Itoa(len(in.Items)) + " answers for " + in.Name + ", one for each item in order, null for any not answered"
	if len(body.Answers) == 0 || string(body.Answers) == "null" {
		return nil, nil, haven.Invalid(map[string]string{"answers": listMsg})
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(body.Answers, &raw); err != nil {
		return nil, nil, haven.Invalid(map[string]string{"answers": listMsg})
	}
	if len(raw) != len(in.Items) {
		return nil, nil, haven.Invalid(map[string]string{"answers": listMsg + ": " + strconv.Itoa(len(raw)) + " were sent"})
	}
	as := make([]measure.Answer, len(raw))
	fields := map[string]string{}
	for i, v := range raw {
		v = bytes.TrimSpace(v)
		field := "answers[" + strconv.Itoa(i) + "]"
		switch {
		case string(v) == "null":
			as[i] = measure.Missing
		case wholeNumber.Match(v):
			n, err := strconv.Atoi(string(v))
			if err != nil || n < in.Min || n > in.Max { // too large for an int is out of range too
				fields[field] = in.RangeError(i + 1).Message
				continue
			}
			as[i] = measure.A(n)
		case len(v) > 0 && v[0] == '"':
			fields[field] = in.RangeError(i+1).Message + ", not text"
		default: // a fraction, an exponent, true, false, a list or an object
			fields[field] = in.RangeError(i+1).Message + ", or null if not answered"
		}
	}
	if len(fields) > 0 {
		return nil, nil, haven.Invalid(fields)
	}
	return in, as, nil
}

// apiMeasure is a measure on her record, as the API gives it.
type apiMeasure struct {
	ID      int64          `json:"id"`
	Point   string         `json:"point"`
	TakenOn haven.Date     `json:"takenOn"`
	Answers []*int         `json:"answers"` // null for an item not answered
	Score   apiScoreResult `json:"score"`
}

func toAPIMeasure(rec measure.Record) apiMeasure {
	in, _ := measure.Lookup(rec.Instrument)
	out := apiMeasure{ID: rec.ID, Point: string(rec.Point), TakenOn: rec.TakenOn, Score: toAPIScore(in, rec.Result), Answers: make([]*int, len(rec.Answers))}
	for i, a := range rec.Answers {
		if a.Given {
			v := a.Value
			out.Answers[i] = &v
		}
	}
	return out
}

// apiMeasures is GET /api/v1/people/{ref}/measures: her measures, oldest
// first. They are health data: her practitioner and the lead only (S17).
func (s *Server) apiMeasures(w http.ResponseWriter, r *http.Request) error {
	p, acc, err := s.apiRecord(r, store.SectionMeasures)
	if err != nil {
		return err
	}
	if !acc.Restricted {
		return haven.ErrForbidden
	}
	recs, err := s.store.Measures(r.Context(), p.ID)
	if err != nil {
		return err
	}
	out := []apiMeasure{}
	for _, rec := range recs {
		out = append(out, toAPIMeasure(rec))
	}
	writeJSON(w, http.StatusOK, map[string]any{"measures": out})
	return nil
}

// apiAddMeasure is POST /api/v1/people/{ref}/measures with
// {"instrument", "point", "takenOn", "answers"}: it scores and stores the
// measure, and a flag raises the lead's task as the form does.
func (s *Server) apiAddMeasure(w http.ResponseWriter, r *http.Request) error {
	p, acc, err := s.apiRecord(r, store.SectionMeasures)
	if err != nil {
		return err
	}
	if !acc.Restricted {
		return haven.ErrForbidden
	}
	var body struct {
		Instrument json.RawMessage `json:"instrument"`
		Point      string          `json:"point"`
		TakenOn    apiDate         `json:"takenOn"`
		Answers    json.RawMessage `json:"answers"`
	}
	if err := decodeJSON(r, &body); err != nil {
		return err
	}
	in, answers, err := parseAnswers(body.Instrument, body.Answers)
	if err != nil {
		return err
	}
	if ok, err := s.measureEnabled(r.Context(), in); err != nil {
		return err
	} else if !ok {
		return haven.Invalid(map[string]string{"instrument": in.Name + " is switched off until an administrator records this deployment's registration to use it"})
	}
	rec, err := measure.NewRecord(in.ID, measure.Point(body.Point), body.TakenOn.Date, answers, s.today())
	if err != nil {
		return err
	}
	id, err := s.store.AddMeasure(r.Context(), s.auditEvent(r, audit.Create), p.ID, rec, infoFrom(r.Context()).actor.User.ID)
	if d, ok := duplicateOf(err); ok {
		id, err = d.ID, nil
		replayed(w)
	}
	if err != nil {
		return err
	}
	rec.ID = id
	writeJSON(w, http.StatusCreated, toAPIMeasure(rec))
	return nil
}
