package measure

import (
	"strconv"
	"strings"
	"time"

	"haven/internal/haven"
)

// Point is when in her programme a measure is taken.
type Point string

const (
	Baseline Point = "baseline"
	Month6   Point = "6-months"
	Month12  Point = "12-months"
	Month18  Point = "18-months"
	Exit     Point = "exit"
	FollowUp Point = "follow-up"
)

// Timepoints lists the points in the order of a programme.
var Timepoints = []Point{Baseline, Month6, Month12, Month18, Exit, FollowUp}

var pointLabels = map[Point]string{Baseline: "Baseline", Month6: "6 months", Month12: "12 months", Month18: "18 months", Exit: "Exit", FollowUp: "Follow-up"}

// Label is the point as people read it.
func (p Point) Label() string { return pointLabels[p] }

// Months is how far into the programme a scheduled point falls: -1 for a
// point that has no fixed month (baseline is at the start, exit and
// follow-up when they happen).
func (p Point) Months() int {
	switch p {
	case Baseline:
		return 0
	case Month6:
		return 6
	case Month12:
		return 12
	case Month18:
		return 18
	}
	return -1
}

// ParsePoint checks a point from a form, URL or the API.
func ParsePoint(s string) (Point, bool) {
	_, ok := pointLabels[Point(s)]
	return Point(s), ok
}

// Record is one completed measure on her record.
type Record struct {
	ID         int64
	Instrument ID
	Point      Point
	TakenOn    haven.Date
	Answers    []Answer
	Result     Result
	// Response is what the lead recorded about a safeguarding flag; nil
	// until then. A flag with no response is a task for the lead.
	Response *Response
}

// Response is the lead's record of what was done about a flag.
type Response struct {
	Note string
	By   string
	At   time.Time
}

// Open reports whether the record carries a flag nobody has yet responded to.
func (r Record) Open() bool { return len(r.Result.Flags) > 0 && r.Response == nil }

// NewRecord checks and scores a completed measure. The errors name the form's
// fields: "instrument", "point", "takenOn" and "item1"… for each answer.
func NewRecord(id ID, point Point, takenOn haven.Date, answers []Answer, today haven.Date) (Record, error) {
	fields := map[string]string{}
	in, ok := Lookup(id)
	if !ok {
		fields["instrument"] = "Choose a measure"
	}
	if _, ok := ParsePoint(string(point)); !ok {
		fields["point"] = "Choose when in her programme this was taken"
	}
	switch {
	case takenOn.IsZero():
		fields["takenOn"] = "Enter the date she completed it"
	case today.Before(takenOn):
		fields["takenOn"] = "The date she completed it must be today or in the past"
	case takenOn.Before(haven.NewDate(2000, time.January, 1)):
		fields["takenOn"] = "The date she completed it must be in 2000 or later"
	}
	var res Result
	if in != nil {
		for _, e := range in.Check(answers) {
			if e.Item == 0 {
				fields["item1"] = e.Message
			} else {
				fields["item"+strconv.Itoa(e.Item)] = e.Message
			}
		}
		if len(fields) == 0 {
			var err error
			if res, err = in.Score(answers); err != nil {
				return Record{}, err
			}
		}
	}
	if len(fields) > 0 {
		return Record{}, haven.Invalid(fields)
	}
	return Record{Instrument: id, Point: point, TakenOn: takenOn, Answers: answers, Result: res}, nil
}

// EncodeAnswers writes answers for storage: one per item, comma-separated,
// a missing item empty ("3,2,,1").
func EncodeAnswers(as []Answer) string {
	var b strings.Builder
	for i, a := range as {
		if i > 0 {
			b.WriteByte(',')
		}
		if a.Given {
			b.WriteString(strconv.Itoa(a.Value))
		}
	}
	return b.String()
}

// DecodeAnswers reads what EncodeAnswers wrote.
func DecodeAnswers(s string) ([]Answer, error) {
	parts := strings.Split(s, ",")
	out := make([]Answer, len(parts))
	for i, p := range parts {
		if p == "" {
			continue
		}
		v, err := strconv.Atoi(p)
		if err != nil {
			return nil, err
		}
		out[i] = A(v)
	}
	return out, nil
}

// Registration is an administrator's record that this deployment has
// registered to use a measure whose owners require it (WEMWBS, SWEMWBS).
type Registration struct {
	Reference string // as Warwick gave it
	On        haven.Date
	By        string
}

// Usable reports whether an instrument may be used: those that need a
// registration are switched off until one is recorded.
func (in *Instrument) Usable(registered bool) bool { return !in.Registered || registered }
