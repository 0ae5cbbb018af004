package web

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"haven/internal/haven"
	"haven/internal/measure"
)

func scoreRequest(body string) *http.Request {
	req := httptest.NewRequest("POST", "/api/v1/measures/score", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Body = http.MaxBytesReader(httptest.NewRecorder(), req.Body, defaultMaxBody)
	return req
}

// The hook the lead's Warwick-registration setting will use: an instrument
// the deployment may not use is refused with a 422 naming the instrument,
// and nothing is scored; the others still score.
func TestMeasureScoreInstrumentSwitchedOff(t *testing.T) {
	registeredOff := func(_ context.Context, in *measure.Instrument) (bool, error) { return !in.Registered, nil }
	h := (&Server{}).apiMeasureScore(registeredOff)
	tests := []struct {
		body   string
		status int
		field  string
	}{
		{`{"instrument":"wemwbs","answers":[1,1,1,1,1,1,1,1,1,1,1,1,1,1]}`, 422, "WEMWBS is switched off until an administrator records this deployment's registration to use it"},
		{`{"instrument":"swemwbs","answers":[1,1,1,1,1,1,1]}`, 422, "SWEMWBS is switched off until an administrator records this deployment's registration to use it"},
		{`{"instrument":"phq9","answers":[0,0,0,0,0,0,0,0,0]}`, 200, ""},
		{`{"instrument":"gad7","answers":[0,0,0,0,0,0,0]}`, 200, ""},
		{`{"instrument":"ons4","answers":[0,0,0,0]}`, 200, ""},
	}
	for _, tt := range tests {
		rec := httptest.NewRecorder()
		err := h(rec, scoreRequest(tt.body))
		status := rec.Code
		if err != nil {
			status = statusOf(err)
		}
		if status != tt.status {
			t.Errorf("%s: %d, want %d", tt.body, status, tt.status)
		}
		if tt.field != "" {
			he, ok := errors.AsType[*haven.Error](err)
			if !ok || he.Fields["instrument"] != tt.field || rec.Body.Len() != 0 {
				t.Errorf("%s: %v, want instrument %q and nothing written", tt.body, err, tt.field)
			}
		}
	}
	// Whether it is switched on cannot be read: a failure, not a score.
	broken := (&Server{}).apiMeasureScore(func(context.Context, *measure.Instrument) (bool, error) {
		return false, errors.New("settings unreadable")
	})
	rec := httptest.NewRecorder()
	if err := broken(rec, scoreRequest(`{"instrument":"phq9","answers":[0,0,0,0,0,0,0,0,0]}`)); err == nil || rec.Body.Len() != 0 {
		t.Errorf("an unreadable setting scored: %v", err)
	}
}

var answerField = regexp.MustCompile(`^answers\[(0|[1-9][0-9]*)\]$`)

// FuzzMeasureScoreRequest: any body gives an instrument and one answer per
// item, each in range, or a 4xx whose fields are "instrument", "answers" or
// "answers[i]" for an answer that was sent; never a panic.
func FuzzMeasureScoreRequest(f *testing.F) {
	for _, s := range []string{
		`{"instrument":"phq9","answers":[0,1,2,3,0,1,2,3,1]}`,
		`{"instrument":"swemwbs","answers":[5,5,5,5,3,3,3]}`,
		`{"instrument":"ons4","answers":[null,10,0,"5"]}`,
		`{"instrument":"wemwbs","answers":[1,2,3,4,5,1,2,3,4,5,1,2,3,1e0]}`,
		`{"instrument":"gad7","answers":[2.5,-0,-1,99999999999999999999,true,[],{}]}`,
		`{"instrument":7,"answers":"x"}`,
		`{"instrument":"phq9","answers":[0,0,0,0,0,0,0,0]}`,
		`{"instrument":null}`,
		`[]`, `null`, ``, "\xff",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		in, answers, err := parseScoreRequest(scoreRequest(body))
		if err != nil {
			if s := statusOf(err); s < 400 || s >= 500 {
				t.Fatalf("%q: status %d", body, s)
			}
			if he, ok := errors.AsType[*haven.Error](err); ok {
				if len(he.Fields) == 0 {
					t.Fatalf("%q: a 422 naming no field", body)
				}
				for k, msg := range he.Fields {
					if m := answerField.FindStringSubmatch(k); m != nil {
						if i, _ := strconv.Atoi(m[1]); i >= 14 { // no instrument has more than 14 items
							t.Fatalf("%q: field %s for an answer never sent", body, k)
						}
					} else if k != "instrument" && k != "answers" && !strings.Contains(msg, "control characters") && !strings.Contains(msg, "cannot read") {
						// Any other field is refused only by the text check (S22), which names where the text was.
						t.Fatalf("%q: unexpected field %q", body, k)
					}
					if msg == "" {
						t.Fatalf("%q: field %s has no message", body, k)
					}
				}
			}
			return
		}
		if len(answers) != len(in.Items) {
			t.Fatalf("%q: %d answers accepted for %d items", body, len(answers), len(in.Items))
		}
		if _, err := in.Score(answers); err != nil {
			t.Fatalf("%q: accepted, then refused by scoring: %v", body, err)
		}
	})
}
