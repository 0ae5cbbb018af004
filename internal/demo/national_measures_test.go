package demo

import (
	"fmt"
	"slices"
	"testing"

	"haven/internal/evaluate"
	"haven/internal/haven"
	"haven/internal/measure"
)

// nationalOutcomes is what the evaluation would read from a national data
// set, worked out from the model: a journey per enrolment, and every measure row.
type nationalOutcomes struct {
	n        *national
	journeys []evaluate.Journey
	measures [][]any
}

func outcomesOf(t *testing.T, sc Scale) nationalOutcomes {
	t.Helper()
	n, err := buildNational(DefaultSeed, sc)
	if err != nil {
		t.Fatal(err)
	}
	tables, err := n.tables()
	if err != nil {
		t.Fatal(err)
	}
	out := nationalOutcomes{n: n}
	pregnancies := map[int64][]haven.Date{}
	for _, tb := range tables {
		switch tb.name {
		case "pregnancies":
			for row := range tb.rows {
				pregnancies[row[1].(int64)] = append(pregnancies[row[1].(int64)], row[2].(haven.Date))
			}
		case "measures":
			for row := range tb.rows {
				out.measures = append(out.measures, slices.Clone(row))
			}
		}
	}
	for i, w := range n.women {
		var procs []evaluate.Proceedings
		for _, p := range n.contact[i].proceedings {
			procs = append(procs, evaluate.Proceedings{IssuedOn: p.IssuedOn, Index: p.Index, Outcome: string(p.Outcome)})
		}
		slices.SortStableFunc(procs, func(a, b evaluate.Proceedings) int { return a.IssuedOn.Time().Compare(b.IssuedOn.Time()) })
		for _, ei := range w.enrols {
			e := n.enrols[ei]
			out.journeys = append(out.journeys, evaluate.Journey{Enrolment: e.ID, Person: w.id, Practice: e.PracticeID,
				ReferredOn: e.ReferredOn, EngagedOn: e.EngagedOn, StartedOn: e.StartedOn, EndedOn: e.EndedOn, BornOn: w.dob,
				Pregnancies: pregnancies[w.id], Proceedings: procs})
		}
	}
	return out
}

// The national data set's proceedings give a recurrence curve near the
// research's 1 in 4 within 7 years, most index proceedings years before
// engagement and a few new ones after it; pregnancies put 5–15% of women
// inside Metric 1's window; and both metrics have women met, not met and
// too recent to judge.
func TestNationalOutcomesShape(t *testing.T) {
	scales := map[string]Scale{"small": SmallScale()}
	if !testing.Short() {
		scales["national"] = NationalScale()
	}
	for name, sc := range scales {
		t.Run(name, func(t *testing.T) {
			o := outcomesOf(t, sc)
			asOf := o.n.asOf

			// Recurrence, one observation a woman.
			var obs []evaluate.Observation
			seen := map[int64]bool{}
			indexBefore, after, engagedWomen := 0, 0, 0
			for _, j := range o.journeys {
				if seen[j.Person] {
					continue
				}
				seen[j.Person] = true
				if ob, ok := j.Recurrence(asOf); ok {
					obs = append(obs, ob)
				}
			}
			curve, err := evaluate.KaplanMeier(obs)
			if err != nil {
				t.Fatal(err)
			}
			seven := curve.At(evaluate.Years(7)).Incidence()
			if !seven.Known || seven.Survival < 0.15 || seven.Survival > 0.4 {
				t.Errorf("next proceedings within 7 years of the index: %+v, want about 1 in 4", seven)
			}

			// Index proceedings against her latest engagement; new proceedings after it.
			for _, w := range o.n.women {
				e, ok := o.n.lastEngaged(w)
				if !ok {
					continue
				}
				engagedWomen++
				i := w.id - 1
				for _, p := range o.n.contact[i].proceedings {
					if p.Index && span(p.IssuedOn, e.EngagedOn) >= 365 {
						indexBefore++
					}
					if e.EngagedOn.Before(p.IssuedOn) {
						after++
						break
					}
				}
			}
			if indexBefore*2 < engagedWomen {
				t.Errorf("%d of %d women's index proceedings a year or more before engagement, want most", indexBefore, engagedWomen)
			}
			if after == 0 || after*100 > engagedWomen*8 {
				t.Errorf("%d of %d women with proceedings after engagement began, want a few", after, engagedWomen)
			}

			// Pregnancies within 18 months of engagement, and later.
			within, later, judged := 0, 0, 0
			for _, w := range o.n.women {
				e, ok := o.n.lastEngaged(w)
				if !ok {
					continue
				}
				var js evaluate.Journey
				for _, j := range o.journeys {
					if j.Enrolment == e.ID {
						js = j
					}
				}
				w18, w18ok := false, false
				for _, p := range js.Pregnancies {
					if !p.Before(e.EngagedOn) && !e.EngagedOn.AddMonths(18).Before(p) {
						w18 = true
					} else if e.EngagedOn.AddMonths(18).Before(p) {
						w18ok = true
					}
				}
				if w18 {
					within++
				}
				if w18ok {
					later++
				}
				judged++
			}
			// Later pregnancies need a long record; the small scale may have none.
			if within*100 < judged*5 || within*100 > judged*15 || later == 0 && sc.Women >= 1000 {
				t.Errorf("%d of %d engaged women with a pregnancy known within 18 months, %d later; want 5–15%% and some later", within, judged, later)
			}

			for _, m := range evaluate.Metrics {
				count := map[evaluate.Verdict]int{}
				for _, j := range o.journeys {
					v, _ := m.Judge(j, asOf)
					count[v]++
				}
				if count[evaluate.Met] == 0 || count[evaluate.NotMet] == 0 || count[evaluate.TooRecent] == 0 {
					t.Errorf("%s: %v (met, not met, too recent, left out); want some of the first three", m.Key, count)
				}
				t.Logf("%s: met %d, not met %d, too recent %d, left out %d", m.Key, count[evaluate.Met], count[evaluate.NotMet], count[evaluate.TooRecent], count[evaluate.LeftOut])
			}
			t.Logf("recurrence within 7 years %.3f (%d women); proceedings after engagement %d of %d; pregnancies within 18 months %d, later %d",
				seven.Survival, len(obs), after, engagedWomen, within, later)

			checkMeasureRows(t, o)
		})
	}
}

// checkMeasureRows: every measure row scores again to what it stores, and
// the rows start low and rise.
func checkMeasureRows(t *testing.T, o nationalOutcomes) {
	t.Helper()
	type stats struct{ sum, n int }
	mean := func(s stats) float64 { return float64(s.sum) / float64(max(1, s.n)) }
	phq, life := map[measure.Point]*stats{}, map[measure.Point]*stats{}
	for _, p := range measure.Timepoints {
		phq[p], life[p] = &stats{}, &stats{}
	}
	notScored, flags, open, baselines := 0, 0, 0, map[int64]bool{}
	for _, row := range o.measures {
		inst, point := measure.ID(row[2].(string)), measure.Point(row[3].(string))
		answers, err := measure.DecodeAnswers(row[5].(string))
		if err != nil {
			t.Fatal(err)
		}
		res, err := measure.Score(inst, answers)
		if err != nil {
			t.Fatalf("row %v does not score: %v", row, err)
		}
		var total any
		if res.Valid && res.HasTotal {
			total = int64(res.Total)
		}
		wantFlags := ""
		if len(res.Flags) > 0 {
			wantFlags = string(res.Flags[0])
		}
		if row[6] != res.Valid || row[7] != total || row[8] != nil || row[9] != string(res.Band) || row[10] != wantFlags {
			t.Errorf("row %d stores valid %v, total %v, metric %v, band %v, flags %v; scoring again gives %+v", row[0], row[6], row[7], row[8], row[9], row[10], res)
		}
		if inst == measure.WEMWBS || inst == measure.SWEMWBS {
			t.Errorf("row %d is %s, which stays off until registered", row[0], inst)
		}
		if !res.Valid {
			notScored++
			continue
		}
		if wantFlags != "" {
			flags++
			if row[15] == nil {
				open++
			}
		}
		switch inst {
		case measure.PHQ9:
			phq[point].sum += res.Total
			phq[point].n++
			if point == measure.Baseline {
				baselines[row[1].(int64)] = true
			}
		case measure.ONS4:
			life[point].sum += answers[0].Value
			life[point].n++
		}
		if on := row[4].(haven.Date); o.n.asOf.Before(days(on, 1)) {
			t.Errorf("row %d taken on %s, not before the data set's day", row[0], on)
		}
	}
	if notScored == 0 || notScored*20 > len(o.measures) {
		t.Errorf("%d of %d forms not scored, want a few", notScored, len(o.measures))
	}
	forms := 0
	for _, s := range phq {
		forms += s.n
	}
	if flags == 0 || open >= flags || flags*10 > forms {
		t.Errorf("%d item-9 flags, %d open, in %d PHQ-9 forms: want a few, most responded to", flags, open, forms)
	}
	engaged := map[int64]bool{}
	for _, j := range o.journeys {
		if !j.EngagedOn.IsZero() {
			engaged[j.Person] = true
		}
	}
	if len(baselines)*100 < len(engaged)*95 {
		t.Errorf("%d of %d engaged women have a scored PHQ-9 baseline", len(baselines), len(engaged))
	}
	if b := mean(*phq[measure.Baseline]); b < 15 || b > 20 {
		t.Errorf("mean baseline PHQ-9 %.1f, want 15 to 20", b)
	}
	if b := mean(*life[measure.Baseline]); b < 2 || b > 4.5 {
		t.Errorf("mean baseline life satisfaction %.1f, want about 2 to 4", b)
	}
	for _, p := range []measure.Point{measure.Month12, measure.Month18, measure.Exit} {
		if phq[p].n == 0 || mean(*phq[p]) > mean(*phq[measure.Baseline])-3 || mean(*life[p]) < mean(*life[measure.Baseline])+1.5 {
			t.Errorf("%s: PHQ-9 %.1f, life satisfaction %.1f (%d forms) against baselines %.1f and %.1f: no believable rise",
				p, mean(*phq[p]), mean(*life[p]), phq[p].n, mean(*phq[measure.Baseline]), mean(*life[measure.Baseline]))
		}
	}
	var line string
	for _, p := range measure.Timepoints {
		line += fmt.Sprintf(" %s %.1f/%.1f (%d)", p, mean(*phq[p]), mean(*life[p]), phq[p].n)
	}
	t.Logf("%d measure rows, %d not scored, %d flags (%d open); PHQ-9/life satisfaction:%s", len(o.measures), notScored, flags, open, line)
}
