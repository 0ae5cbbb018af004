package evaluate

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"haven/internal/haven"
	"haven/internal/measure"
)

// The pseudonymised extract (issue 17 item 8) is one row per enrolment for
// an evaluator to pool and model outside Haven. It carries dates and
// categories only: no name, date of birth, postcode, reference, internal id
// or anything a person typed. A woman is keyed by an HMAC of her internal
// id under the deployment's own secret, so rows of one woman link up within
// a deployment, but nobody without the secret can work back to her, and two
// deployments' keys for the same id never match.

// Pseudonym is the extract's key for a person: HMAC-SHA256 of her internal
// id under the deployment's secret, in hex. The label in front keeps this
// use of the secret apart from any other it may be put to.
func Pseudonym(secret []byte, person int64) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("haven extract person " + strconv.FormatInt(person, 10)))
	return hex.EncodeToString(m.Sum(nil))
}

// MonthYear is a date as the extract gives it: "2024-03", or "" for none.
func MonthYear(d haven.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.Time().Format("2006-01")
}

// AgeOn is her age in whole years on a day, and false without both dates.
func AgeOn(born, on haven.Date) (int, bool) {
	if born.IsZero() || on.IsZero() || on.Before(born) {
		return 0, false
	}
	b, t := born.Time(), on.Time()
	age := t.Year() - b.Year()
	if t.Month() < b.Month() || t.Month() == b.Month() && t.Day() < b.Day() {
		age-- // her birthday had not come round that year
	}
	return age, true
}

// EngagementAgeBands are the bands of age at the start of engagement.
var EngagementAgeBands = []string{"under-18", "18-19", "20-24", "25-29", "30-34", "35-39", "40+", "unknown"}

// EngagementAgeBand is her age band when engagement began: "unknown" without
// a date of birth or if engagement never began.
func EngagementAgeBand(j Journey) string {
	age, ok := AgeOn(j.BornOn, j.EngagedOn)
	switch {
	case !ok:
		return "unknown"
	case age < 18:
		return "under-18"
	case age < 20:
		return "18-19"
	case age >= 40:
		return "40+"
	}
	lo := age / 5 * 5
	return strconv.Itoa(lo) + "-" + strconv.Itoa(lo+4)
}

// Kind is what a Value holds.
type Kind uint8

const (
	Blank   Kind = iota // nothing: not recorded, or does not apply
	Text                // a category or code Haven defines, never typed words
	Whole               // a whole number
	Decimal             // a score in hundredths (Int), written with two decimals
)

// Value is one cell of the extract.
type Value struct {
	Kind Kind
	Text string
	Int  int64
}

func text(s string) Value {
	if s == "" {
		return Value{}
	}
	return Value{Kind: Text, Text: s}
}

func whole(n int) Value { return Value{Kind: Whole, Int: int64(n)} }

// Column is one column of the extract, as the data dictionary describes it.
type Column struct {
	Name, Type, Allowed, Meaning string
}

// Extract is the pseudonymised extract: its columns and one row per enrolment.
type Extract struct {
	AsOf    haven.Date
	Columns []Column
	Rows    [][]Value
}

// ExtractInput is what the extract is made from. Phases and Practices come
// from the store beside the journeys; Outcomes lists the codes of
// proceedings' outcomes, for the dictionary.
type ExtractInput struct {
	Secret    []byte
	AsOf      haven.Date
	Journeys  []Journey
	Phases    map[int64]string // enrolment → its phase now
	Practices map[int64]string // Practice id → its short name (slug)
	Readings  []Reading
	Outcomes  []string
}

// Phases an enrolment may be in, as the enrolments table holds them.
var extractPhases = []string{"referred", "engaging", "programme-started", "active", "completed", "ended-early", "follow-on", "closed"}

// measureColumn is a measure's column: an instrument's total, SWEMWBS's
// metric score, or an ONS4 item, at baseline or exit.
type measureColumn struct {
	instrument measure.ID
	point      measure.Point
	part       string // ONS4 item key; "" for the total
	metric     bool   // SWEMWBS metric score
}

const monthType = "month (YYYY-MM)"

// BuildExtract makes the extract: rows in the order of the journeys given.
func BuildExtract(in ExtractInput) Extract {
	cols, mcols := extractColumns(in.Outcomes)
	x := Extract{AsOf: in.AsOf, Columns: cols}
	byPerson := map[int64][]Reading{}
	for _, r := range in.Readings {
		byPerson[r.Person] = append(byPerson[r.Person], r)
	}
	// Her nth enrolment among the rows, by referral.
	order := slices.Clone(in.Journeys)
	slices.SortStableFunc(order, func(a, b Journey) int {
		if c := a.ReferredOn.Time().Compare(b.ReferredOn.Time()); c != 0 {
			return c
		}
		return int(a.Enrolment - b.Enrolment)
	})
	nth, seen := map[int64]int{}, map[int64]int{}
	for _, j := range order {
		seen[j.Person]++
		nth[j.Enrolment] = seen[j.Person]
	}
	for _, j := range in.Journeys {
		row := []Value{
			text(Pseudonym(in.Secret, j.Person)),
			whole(nth[j.Enrolment]),
			text(in.Practices[j.Practice]),
			text(in.Phases[j.Enrolment]),
			text(endingText(j.Ended)),
			text(MonthYear(j.ReferredOn)),
			text(MonthYear(j.EngagedOn)),
			text(MonthYear(j.StartedOn)),
			text(MonthYear(j.EndedOn)),
			text(EngagementAgeBand(j)),
			text(j.AgeBand()),
			text(careExperienced(j.CareExperienced)),
		}
		for _, m := range Metrics {
			v, _ := m.Judge(j, in.AsOf)
			row = append(row, text(verdictCode(v)))
		}
		row = append(row, pregnanciesDuring(j, in.AsOf))
		row = append(row, recurrence(j, in.AsOf)...)
		row = append(row, measureValues(j, byPerson[j.Person], mcols, in.AsOf)...)
		x.Rows = append(x.Rows, row)
	}
	return x
}

func endingText(e Ending) string {
	if e == NotEnded {
		return "not-ended"
	}
	return string(e)
}

func careExperienced(s string) string {
	if s == "yes" || s == "no" {
		return s
	}
	return "unknown"
}

func verdictCode(v Verdict) string {
	return [...]string{"met", "not-met", "too-recent", "left-out"}[v]
}

// pregnanciesDuring counts the pregnancies that became known from the start
// of engagement to the end of her programme (or the extract date): blank if
// engagement never began.
func pregnanciesDuring(j Journey, asOf haven.Date) Value {
	if j.EngagedOn.IsZero() {
		return Value{}
	}
	end := asOf
	if !j.EndedOn.IsZero() && j.EndedOn.Before(end) {
		end = j.EndedOn
	}
	n := 0
	for _, p := range j.Pregnancies {
		if !p.Before(j.EngagedOn) && !end.Before(p) {
			n++
		}
	}
	return whole(n)
}

// recurrence gives the index proceedings' month and outcome, whether new
// proceedings followed, and the days to them or to the extract date.
func recurrence(j Journey, asOf haven.Date) []Value {
	obs, ok := j.Recurrence(asOf)
	if !ok {
		return []Value{{}, {}, {}, {}}
	}
	var index Proceedings
	for _, p := range j.Proceedings {
		if asOf.Before(p.IssuedOn) {
			continue
		}
		if p.Index {
			index = p
			break
		}
		if index.IssuedOn.IsZero() {
			index = p
		}
	}
	outcome := index.Outcome
	if outcome == "" {
		outcome = "not-decided"
	}
	next := "no"
	if obs.Event {
		next = "yes"
	}
	return []Value{text(MonthYear(index.IssuedOn)), text(outcome), text(next), whole(obs.Days)}
}

// measureValues are her baseline and exit scores within this enrolment: the
// first valid baseline and the last valid exit taken from referral to the
// end of the programme (or the extract date).
func measureValues(j Journey, rs []Reading, cols []measureColumn, asOf haven.Date) []Value {
	end := asOf
	if !j.EndedOn.IsZero() && j.EndedOn.Before(end) {
		end = j.EndedOn
	}
	type key struct {
		id    measure.ID
		point measure.Point
	}
	chosen := map[key]measure.Result{}
	for _, r := range rs { // oldest first
		if !r.Result.Valid || r.TakenOn.Before(j.ReferredOn) || end.Before(r.TakenOn) {
			continue
		}
		k := key{r.Instrument, r.Point}
		if _, ok := chosen[k]; ok && r.Point == measure.Baseline {
			continue
		}
		chosen[k] = r.Result
	}
	out := make([]Value, len(cols))
	for i, c := range cols {
		res, ok := chosen[key{c.instrument, c.point}]
		switch {
		case !ok:
		case c.metric && res.HasMetric:
			out[i] = Value{Kind: Decimal, Int: int64(res.Metric)}
		case c.part != "":
			for _, p := range res.Parts {
				if p.Key == c.part {
					out[i] = whole(p.Value)
				}
			}
		case !c.metric && res.HasTotal:
			out[i] = whole(res.Total)
		}
	}
	return out
}

// extractColumns is the data dictionary, in column order.
func extractColumns(outcomes []string) ([]Column, []measureColumn) {
	cols := []Column{
		{"person_key", "text (64 hexadecimal characters)", "0-9 and a-f",
			"A pseudonym for the woman: HMAC-SHA256 of her internal Haven identifier under this deployment's secret. The same woman has the same key on every extract from this deployment; keys from different deployments never match. It cannot be turned back into her identity without the secret, which never leaves Haven."},
		{"enrolment_number", "integer", "1 or more",
			"Which of her enrolments in this extract the row is, in order of referral: 1 for her first, 2 for a second."},
		{"practice", "text", "a Practice's short name, such as north-vale",
			"The Practice that holds the enrolment. A Practice is an organisational unit, not a person: it is given so that evaluators can compare Practices."},
		{"phase", "text", strings.Join(extractPhases, ", "),
			"The enrolment's phase on the extract date."},
		{"ending", "text", "completed, ended-early, not-ended",
			"How the programme ended: completed (including follow-on), ended early, or not yet ended."},
		{"referred_month", monthType, "a month", "The month she was referred."},
		{"engaged_month", monthType, "a month, or blank if engagement never began", "The month engagement began: the clock for both metrics."},
		{"programme_started_month", monthType, "a month, or blank", "The month the programme itself began, after engagement."},
		{"ended_month", monthType, "a month, or blank if not ended", "The month the enrolment ended."},
		{"age_band_at_engagement", "text", strings.Join(EngagementAgeBands, ", "),
			"Her age in whole years on the day engagement began, in bands. Unknown if her date of birth is not recorded or engagement never began."},
		{"age_band_at_first_proceedings", "text", "14-19, 20-24, 25+, unknown",
			"Her age at the first care proceedings Haven holds for her, in the bands of the recurrence research. Unknown without a date of birth or proceedings."},
		{"care_experienced", "text", "yes, no, unknown", "Whether she was herself in care as a child."},
	}
	for _, m := range Metrics {
		cols = append(cols, Column{m.Key, "text", "met, not-met, too-recent, left-out",
			m.Name + ", as at the extract date. " + m.Definition + " Too-recent: her window has not closed yet. Left-out: engagement never began. Source: " + m.Source + "."})
	}
	cols = append(cols,
		Column{"pregnancies_during_programme", "integer", "0 or more, or blank if engagement never began",
			"How many pregnancies became known from the start of engagement to the end of the programme (or the extract date)."},
		Column{"index_proceedings_month", monthType, "a month, or blank if no proceedings are recorded",
			"The month her index care proceedings were issued (the earliest, if none is marked as the index)."},
		Column{"index_outcome", "text", strings.Join(append(slices.Clone(outcomes), "not-decided"), ", ") + ", or blank if no proceedings are recorded",
			"How her index proceedings ended."},
		Column{"next_proceedings", "text", "yes, no, or blank if no proceedings are recorded",
			"Whether new care proceedings (an interim or full care order application) were issued after the index proceedings, by the extract date."},
		Column{"days_to_next_proceedings", "integer", "0 or more, or blank if no proceedings are recorded",
			"Days from the index proceedings to the next proceedings if there were any, else to the extract date (censored: next_proceedings is no)."},
	)
	var mcols []measureColumn
	for _, in := range measure.All() {
		full := make([]measure.Answer, len(in.Items))
		for i := range full {
			full[i] = measure.A(in.Min)
		}
		probe, _ := in.Score(full)
		for _, point := range []measure.Point{measure.Baseline, measure.Exit} {
			when := "at baseline (the first valid one taken during this enrolment)"
			if point == measure.Exit {
				when = "at exit (the last valid one taken during this enrolment)"
			}
			pt := strings.ReplaceAll(string(point), "-", "_")
			if in.HasTotal {
				mcols = append(mcols, measureColumn{instrument: in.ID, point: point})
				cols = append(cols, Column{string(in.ID) + "_" + pt + "_total", "integer",
					strconv.Itoa(in.Min*len(in.Items)) + " to " + strconv.Itoa(in.Max*len(in.Items)) + ", or blank if none was taken",
					in.Name + " total score " + when + "." + copyright(in)})
			}
			if probe.HasMetric {
				mcols = append(mcols, measureColumn{instrument: in.ID, point: point, metric: true})
				cols = append(cols, Column{string(in.ID) + "_" + pt + "_metric", "decimal (2 places)", "a metric score from the published conversion table, or blank",
					in.Name + " metric score " + when + ", converted from the raw total by the published table." + copyright(in)})
			}
			for _, p := range probe.Parts {
				mcols = append(mcols, measureColumn{instrument: in.ID, point: point, part: p.Key})
				cols = append(cols, Column{string(in.ID) + "_" + snake(p.Key) + "_" + pt, "integer",
					strconv.Itoa(in.Min) + " to " + strconv.Itoa(in.Max) + ", or blank if none was taken",
					in.Name + ": " + p.Label + " " + when + "." + copyright(in)})
			}
		}
	}
	return cols, mcols
}

// copyright is the instrument's copyright line, which goes wherever its scores go.
func copyright(in *measure.Instrument) string {
	if in.Copyright == "" {
		return ""
	}
	return " " + in.Copyright
}

// snake writes an item key such as lifeSatisfaction as life_satisfaction.
func snake(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsUpper(r) {
			b.WriteByte('_')
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}
