package contact

import (
	"haven/internal/haven"
)

// Benchmark is the national figure a Practice's own is shown beside.
type Benchmark struct {
	Percent int
	Text    string
}

// BenchmarkSource is where the national figures come from, and BenchmarkURL where to read it.
const (
	BenchmarkSource = `Pause, "Knowing They're OK", July 2020`
	BenchmarkURL    = "https://www.pause.org.uk/relationships-with-children/"
)

var (
	// BenchmarkChanged: 83% of women who took part had their contact arrangements changed.
	BenchmarkChanged = Benchmark{83, "83% of women who took part had their contact arrangements changed"}
	// BenchmarkNoReason: 63% of those were given no information on why.
	BenchmarkNoReason = Benchmark{63, "63% of those were given no information about why"}
)

// Measure is a number of something out of a number of something else.
// Only counts leave the store: what is shown of them is decided by
// evaluate.Suppress over every report at once (web/contact_report.go).
type Measure struct{ Num, Den int }

// Woman is what the reports need to know about one woman: her contact
// arrangements and changes, and when she started and left the programme.
// Withdrawn changes count nowhere: not as changes, and not in the
// arrangements as they stood (AsItStands leaves them out too).
type Woman struct {
	Arrangements []Arrangement
	Changes      []Change
	Starts       []haven.Date // programme start dates
	Exits        []haven.Date // completed or ended-early dates
}

// Report is a Practice's (or organisation's) contact measures for a period.
type Report struct {
	From, To          haven.Date
	Women             int     // women with a contact arrangement by the end of the period
	WomenChanged      Measure // of those, whose arrangements changed in the period
	ChangesNoReason   Measure // changes in the period with no reason given, or not known
	WomenUnexplained  Measure // women changed, with at least one change and no reason or not known
	LetterboxReviewed Measure // letterbox arrangements reviewed in the 12 months to the end of the period
	DirectAtStart     Measure // women starting the programme in the period with face-to-face contact then
	DirectAtExit      Measure // women leaving the programme in the period with face-to-face contact then
}

func within(d, from, to haven.Date) bool { return !d.IsZero() && !d.Before(from) && !to.Before(d) }

// BuildReport counts the measures over [from, to], both days included.
func BuildReport(women []Woman, from, to haven.Date) Report {
	r := Report{From: from, To: to}
	for _, w := range women {
		has := false
		for _, a := range w.Arrangements {
			if !a.StartOn.IsZero() && !to.Before(a.StartOn) {
				has = true
				if a.At(to, w.Changes).Type == Letterbox {
					r.LetterboxReviewed.Den++
					if a.ReviewedWithinYear(to) {
						r.LetterboxReviewed.Num++
					}
				}
			}
		}
		if has {
			r.Women++
			r.WomenChanged.Den++
		}
		changed, unexplained := false, false
		for _, c := range w.Changes {
			if c.Withdrawn() || !within(c.EffectiveOn, from, to) {
				continue
			}
			changed = true
			r.ChangesNoReason.Den++
			if c.ReasonGiven != ReasonYes {
				r.ChangesNoReason.Num++
				unexplained = true
			}
		}
		if changed && has {
			r.WomenChanged.Num++
			r.WomenUnexplained.Den++
			if unexplained {
				r.WomenUnexplained.Num++
			}
		}
		if d, ok := latestWithin(w.Starts, from, to); ok {
			r.DirectAtStart.Den++
			if DirectOn(w.Arrangements, w.Changes, d) {
				r.DirectAtStart.Num++
			}
		}
		if d, ok := latestWithin(w.Exits, from, to); ok {
			r.DirectAtExit.Den++
			if DirectOn(w.Arrangements, w.Changes, d) {
				r.DirectAtExit.Num++
			}
		}
	}
	return r
}

func latestWithin(ds []haven.Date, from, to haven.Date) (haven.Date, bool) {
	var best haven.Date
	ok := false
	for _, d := range ds {
		if within(d, from, to) && (!ok || best.Before(d)) {
			best, ok = d, true
		}
	}
	return best, ok
}
