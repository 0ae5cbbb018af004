// Package measure holds the validated outcome measures Haven records
// (WEMWBS, SWEMWBS, PHQ-9, GAD-7, ONS4) and scores them exactly as
// published. It does no I/O and makes no decision about anyone: a score is a
// fact about a set of answers, and a flag only says what a practitioner must
// look at. docs/MEASURES.md gives every source and every choice made here.
package measure

import (
	"fmt"
	"strconv"
)

// ID names an instrument in URLs, the API and the database.
type ID string

const (
	WEMWBS  ID = "wemwbs"
	SWEMWBS ID = "swemwbs"
	PHQ9    ID = "phq9"
	GAD7    ID = "gad7"
	ONS4    ID = "ons4"
)

// Hundredths is a score held exactly, in hundredths: 2602 is 26.02. SWEMWBS
// metric scores come from a published table to two decimal places, and a
// float would round them on the way to and from the database.
type Hundredths int

// String writes the score with exactly two decimals: "26.02", "-3.00".
func (h Hundredths) String() string {
	sign := ""
	n := int(h)
	if n < 0 {
		sign, n = "-", -n
	}
	return fmt.Sprintf("%s%d.%02d", sign, n/100, n%100)
}

// Points is a whole number of points as Hundredths.
func Points(n int) Hundredths { return Hundredths(n * 100) }

// Band is a published severity or threshold band.
type Band string

const (
	// PHQ-9 and GAD-7 severity.
	BandMinimal          Band = "minimal"
	BandMild             Band = "mild"
	BandModerate         Band = "moderate"
	BandModeratelySevere Band = "moderately-severe"
	BandSevere           Band = "severe"
	// ONS personal well-being thresholds.
	BandVeryLow  Band = "very-low"
	BandLow      Band = "low"
	BandMedium   Band = "medium"
	BandHigh     Band = "high"
	BandVeryHigh Band = "very-high"
)

var bandLabels = map[Band]string{
	BandMinimal: "Minimal", BandMild: "Mild", BandModerate: "Moderate", BandModeratelySevere: "Moderately severe", BandSevere: "Severe",
	BandVeryLow: "Very low", BandLow: "Low", BandMedium: "Medium", BandHigh: "High", BandVeryHigh: "Very high",
}

// Label is the band as people read it.
func (b Band) Label() string { return bandLabels[b] }

// cut is the lowest score in a band; a band list runs from the lowest score up.
type cut struct {
	from int
	band Band
}

func bandOf(cuts []cut, score int) Band {
	var b Band
	for _, c := range cuts {
		if score >= c.from {
			b = c.band
		}
	}
	return b
}

// Flag marks something in the answers a practitioner must see at once. It
// decides nothing; what happens next is for the practitioner and the lead.
type Flag string

// FlagItem9 is PHQ-9 item 9 (thoughts of being better off dead or of
// self-harm) answered above "not at all".
const FlagItem9 Flag = "item9"

// Answer is one item's answer. The zero Answer is missing, so an answer
// nobody gave can never be read as a score of 0.
type Answer struct {
	Value int
	Given bool
}

// A is an answer that was given.
func A(v int) Answer { return Answer{Value: v, Given: true} }

// Missing is an item left unanswered.
var Missing = Answer{}

// Option is one response an item offers.
type Option struct {
	Value int
	Label string
}

// Item is one question. Text is empty where the wording is under copyright
// (WEMWBS, SWEMWBS): Haven shows only Label until the licence question is
// settled (docs/MEASURES.md).
type Item struct {
	Key   string // stable, for the API: "item1", "lifeSatisfaction"
	Label string // "Item 1", "Life satisfaction"
	Text  string
	// Anchors name the ends of a 0–10 scale (ONS4); empty otherwise.
	LowAnchor, HighAnchor string
	// HigherIsBetter says which way improvement runs on this item.
	HigherIsBetter bool
	// cuts are the item's own bands, where each item is reported separately (ONS4).
	cuts []cut
}

// MeaningfulChange is the smallest change in one person's score that the
// literature treats as meaningful: the default for the evaluation's "share
// improving" (a setting, issue 17 item 5). Points 0 means none is published
// and none may be assumed.
type MeaningfulChange struct {
	Points Hundredths // on the scored scale: the total, or for SWEMWBS the metric score
	Source string
	// Check is what the lead must confirm before relying on it; empty when the
	// source was read and says exactly this.
	Check string
}

// Instrument is one validated measure: its items, how they are answered and
// how they are scored.
type Instrument struct {
	ID        ID
	Name      string
	Stem      string // the question every item answers, where the form has one
	Items     []Item
	Options   []Option // the same for every item
	Min, Max  int      // each item's range, inclusive
	Copyright string   // shown on every copy: form, print, export
	// Registered is true for measures whose owners require a deployment to
	// register before use (WEMWBS, SWEMWBS). Haven keeps them switched off
	// until an administrator records the registration.
	Registered bool
	// HasTotal is false for ONS4, whose four items are reported separately
	// and never summed.
	HasTotal bool
	// HigherIsBetter says which way improvement in the total runs.
	HigherIsBetter bool
	Change         MeaningfulChange
	// MissingRule says how missing items are handled, with its source.
	MissingRule string

	cuts   []cut              // bands of the total
	metric map[int]Hundredths // raw total → metric score (SWEMWBS)
	flags  func([]Answer) []Flag
}

// Result is a scored set of answers. A result that is not Valid has no
// total, metric or band, only the Reason; Flags still come from whatever
// was answered, because a safeguarding concern does not wait for a full form.
type Result struct {
	Instrument ID
	Valid      bool
	Total      int // meaningful only when HasTotal
	HasTotal   bool
	Metric     Hundredths // SWEMWBS only, meaningful when HasMetric
	HasMetric  bool
	Band       Band // "" when the instrument has no bands for its total
	Flags      []Flag
	Missing    int
	Reason     string // "not scored: 2 items missing"
	Parts      []Part // ONS4: each item with its own band
}

// Part is one separately reported item (ONS4).
type Part struct {
	Key   string
	Label string
	Value int
	Band  Band
}

// InputError is answers that cannot be scored at all: the wrong number of
// them, or an answer outside its item's range. Item is the item's number
// from 1, or 0 when the list as a whole is wrong.
type InputError struct {
	Item    int
	Message string
}

func (e *InputError) Error() string { return e.Message }

// Check returns every reason answers cannot be scored: the wrong number of
// them, or each answer outside its item's range. None means Score will score.
func (in *Instrument) Check(answers []Answer) []*InputError {
	if len(answers) != len(in.Items) {
		return []*InputError{{Message: fmt.Sprintf("%s has %d items: give %d answers, one for each item (missing ones as blank), not %d",
			in.Name, len(in.Items), len(in.Items), len(answers))}}
	}
	var out []*InputError
	for i, a := range answers {
		if a.Given && (a.Value < in.Min || a.Value > in.Max) {
			out = append(out, in.RangeError(i+1))
		}
	}
	return out
}

// RangeError is the refusal of an answer to item n (from 1) that is not a
// whole number in the item's range.
func (in *Instrument) RangeError(n int) *InputError {
	return &InputError{Item: n, Message: fmt.Sprintf("%s must be a whole number from %d to %d", in.Items[n-1].Label, in.Min, in.Max)}
}

// Score scores answers, one per item in order.
func (in *Instrument) Score(answers []Answer) (Result, error) {
	if errs := in.Check(answers); len(errs) > 0 {
		return Result{}, errs[0]
	}
	r := Result{Instrument: in.ID, Flags: []Flag{}}
	if in.flags != nil {
		r.Flags = in.flags(answers)
	}
	total := 0
	for _, a := range answers {
		if !a.Given {
			r.Missing++
		}
		total += a.Value
	}
	if r.Missing > 0 {
		// No instrument here has a published rule Haven may apply for missing
		// items (docs/MEASURES.md), so nothing is estimated.
		r.Reason = NotScored(r.Missing)
		return r, nil
	}
	r.Valid = true
	if in.HasTotal {
		r.Total, r.HasTotal = total, true
		r.Band = bandOf(in.cuts, total)
	}
	if in.metric != nil {
		m, ok := in.metric[total]
		if !ok { // unreachable while the table covers every possible total; a test checks it does
			return Result{}, fmt.Errorf("measure: %s has no metric score for raw total %d", in.Name, total)
		}
		r.Metric, r.HasMetric = m, true
	}
	for i, it := range in.Items {
		if it.cuts != nil {
			r.Parts = append(r.Parts, Part{Key: it.Key, Label: it.Label, Value: answers[i].Value, Band: bandOf(it.cuts, answers[i].Value)})
		}
	}
	return r, nil
}

// NotScored is the reason given for a set of answers with n items missing.
func NotScored(n int) string {
	if n == 1 {
		return "not scored: 1 item missing"
	}
	return "not scored: " + strconv.Itoa(n) + " items missing"
}

// Lookup finds an instrument by its ID.
func Lookup(id ID) (*Instrument, bool) {
	for _, in := range instruments {
		if in.ID == id {
			return in, true
		}
	}
	return nil, false
}

// All lists every instrument in a stable order.
func All() []*Instrument { return append([]*Instrument(nil), instruments...) }

// Score scores answers for the instrument id.
func Score(id ID, answers []Answer) (Result, error) {
	in, ok := Lookup(id)
	if !ok {
		return Result{}, &InputError{Message: fmt.Sprintf("unknown instrument %q", string(id))}
	}
	return in.Score(answers)
}
