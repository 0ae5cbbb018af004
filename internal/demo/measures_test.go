package demo_test

import (
	"strings"
	"testing"
	"time"

	"haven/internal/access"
	"haven/internal/demo"
	"haven/internal/evaluate"
	"haven/internal/haven"
	"haven/internal/measure"
	"haven/internal/programme"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// The small demo's measures and pregnancies (issue 17 item 11): every woman
// past referral has PHQ-9, GAD-7 and ONS4 at each point she has reached,
// starting low and mostly improving; one item-9 flag is open for the lead
// and two have her response; some forms are not scored; and pregnancies
// fall inside Metric 1's window.
func TestSeedMeasuresAndPregnancies(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := t.Context()
	now := time.Now()
	sum, err := demo.Seed(ctx, db, demo.Options{Hasher: cheap.Hasher, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	today := haven.NewDate(now.Year(), now.Month(), now.Day())
	var ids []int64
	for _, p := range sum.Practices {
		ids = append(ids, p.ID)
	}

	type stats struct{ sum, n int }
	mean := func(s stats) float64 { return float64(s.sum) / float64(max(1, s.n)) }
	var phqBase, phqExit, phqLast, lifeBase, lifeLast stats
	open, responded, notScored, women, withMeasures := 0, 0, 0, 0, 0
	var openTasks int
	for _, p := range sum.Practices {
		var lead *access.Actor
		for _, a := range sum.Accounts {
			if a.Tenant == p.Slug && a.Role == access.RolePracticeLead {
				if lead, err = db.Actor(ctx, a.UserID); err != nil {
					t.Fatal(err)
				}
			}
		}
		people, err := db.PeopleFor(ctx, lead, store.Page{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		for _, person := range people {
			es, err := db.Enrolments(ctx, person.ID)
			if err != nil || len(es) == 0 {
				t.Fatalf("%s has no enrolment (%v)", person.Ref, err)
			}
			rs, err := db.Measures(ctx, person.ID)
			if err != nil {
				t.Fatal(err)
			}
			if es[0].EngagedOn.IsZero() {
				if len(rs) > 0 {
					t.Errorf("%s has not engaged but has %d measures", person.Ref, len(rs))
				}
				continue
			}
			women++
			if len(rs) > 0 {
				withMeasures++
			}
			baseline := map[measure.ID]bool{}
			var lastPHQ, lastLife *measure.Record
			for i := range rs {
				r := &rs[i]
				switch r.Instrument {
				case measure.PHQ9, measure.GAD7, measure.ONS4:
				default:
					t.Errorf("%s has a %s: only PHQ-9, GAD-7 and ONS4 are in the demo", person.Ref, r.Instrument)
				}
				if r.TakenOn.Before(es[0].EngagedOn) || !r.TakenOn.Before(today) {
					t.Errorf("%s: %s at %s taken on %s, outside engagement %s to yesterday", person.Ref, r.Instrument, r.Point, r.TakenOn, es[0].EngagedOn)
				}
				if !r.Result.Valid {
					notScored++
					if !strings.HasPrefix(r.Result.Reason, "not scored") {
						t.Errorf("%s: invalid form with reason %q", person.Ref, r.Result.Reason)
					}
					continue
				}
				if r.Point == measure.Baseline {
					baseline[r.Instrument] = true
				}
				switch r.Instrument {
				case measure.PHQ9:
					if r.Open() {
						open++
					}
					if r.Response != nil {
						responded++
					}
					switch r.Point {
					case measure.Baseline:
						phqBase.sum, phqBase.n = phqBase.sum+r.Result.Total, phqBase.n+1
					case measure.Exit:
						phqExit.sum, phqExit.n = phqExit.sum+r.Result.Total, phqExit.n+1
					}
					lastPHQ = r
				case measure.ONS4:
					if r.Point == measure.Baseline {
						lifeBase.sum, lifeBase.n = lifeBase.sum+r.Answers[0].Value, lifeBase.n+1
					}
					lastLife = r
				}
			}
			for _, id := range []measure.ID{measure.PHQ9, measure.GAD7, measure.ONS4} {
				if !baseline[id] {
					t.Errorf("%s engaged on %s has no scored %s baseline", person.Ref, es[0].EngagedOn, id)
				}
			}
			if lastPHQ != nil && lastPHQ.Point != measure.Baseline {
				phqLast.sum, phqLast.n = phqLast.sum+lastPHQ.Result.Total, phqLast.n+1
			}
			if lastLife != nil && lastLife.Point != measure.Baseline {
				lifeLast.sum, lifeLast.n = lifeLast.sum+lastLife.Answers[0].Value, lifeLast.n+1
			}
		}
		tasks, err := db.TasksFor(ctx, lead, today)
		if err != nil {
			t.Fatal(err)
		}
		for _, task := range tasks {
			if task.Kind == programme.TaskMeasureFlag {
				openTasks++
			}
		}
	}
	if women == 0 || withMeasures != women {
		t.Errorf("%d of %d women past referral have measures", withMeasures, women)
	}
	if open != 1 || openTasks != 1 {
		t.Errorf("%d open item-9 flags and %d lead tasks for them, want exactly 1 of each", open, openTasks)
	}
	if responded != 2 {
		t.Errorf("%d item-9 flags with the lead's response, want 2", responded)
	}
	if notScored < 1 || notScored > 3 {
		t.Errorf("%d forms not scored, want one or two", notScored)
	}
	// Low baselines, as the evaluations found, and a rise from them.
	if m := mean(phqBase); m < 14 || m > 21 {
		t.Errorf("mean baseline PHQ-9 %.1f, want about 15 to 20", m)
	}
	if m := mean(lifeBase); m < 1.5 || m > 4.5 {
		t.Errorf("mean baseline ONS4 life satisfaction %.1f, want about 2 to 4", m)
	}
	if phqExit.n == 0 || mean(phqExit) >= mean(phqBase) {
		t.Errorf("mean PHQ-9 at exit %.1f (%d forms) is not below the baseline mean %.1f", mean(phqExit), phqExit.n, mean(phqBase))
	}
	if phqLast.n == 0 || mean(phqBase)-mean(phqLast) < 2 || mean(lifeLast)-mean(lifeBase) < 1 {
		t.Errorf("latest PHQ-9 mean %.1f and life satisfaction %.1f against baselines %.1f and %.1f: no believable rise",
			mean(phqLast), mean(lifeLast), mean(phqBase), mean(lifeBase))
	}

	t.Logf("PHQ-9 baseline %.1f (n=%d), latest %.1f (n=%d), exit %.1f (n=%d); life satisfaction baseline %.1f, latest %.1f",
		mean(phqBase), phqBase.n, mean(phqLast), phqLast.n, mean(phqExit), phqExit.n, mean(lifeBase), mean(lifeLast))

	// Pregnancies: some inside Metric 1's 18 months, so it has women it counts as not met.
	journeys, err := db.Journeys(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	within, pregnant, notMet := 0, 0, 0
	for _, j := range journeys {
		if len(j.Pregnancies) > 0 {
			pregnant++
		}
		for _, p := range j.Pregnancies {
			if !j.EngagedOn.IsZero() && !p.Before(j.EngagedOn) && !j.EngagedOn.AddMonths(18).Before(p) {
				within++
			}
		}
		if v, _ := evaluate.Metrics[0].Judge(j, today); v == evaluate.NotMet && len(j.Pregnancies) > 0 {
			notMet++
		}
	}
	if pregnant < 3 || within < 2 || notMet < 2 {
		t.Errorf("%d women with pregnancies, %d within 18 months of engagement, %d not meeting Metric 1 for one; want a few", pregnant, within, notMet)
	}
}
