package store_test

import (
	"reflect"
	"testing"

	"haven/internal/auth"
	"haven/internal/demo"
	"haven/internal/evaluate"
	"haven/internal/haven"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// The outcome report reads one row an enrolment (OutcomeJourneys) and
// counts exactly what the whole journeys (Journeys: every pregnancy and
// proceedings) count under the report's rules, for every Practice and all
// together, at dates that leave women too recent to judge and dates that
// judge them all, with and without a period.
func TestOutcomeJourneysJudgeAsJourneys(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		if _, err := demo.LoadNational(ctx, db, demo.NationalOptions{Scale: demo.SmallScale(), Hasher: &auth.Hasher{Memory: 64, Time: 1}}); err != nil {
			t.Fatal(err)
		}
		practices, err := db.ListPractices(ctx, store.Page{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, p := range practices {
			ids = append(ids, p.ID)
		}
		asOf := demo.NationalAsOf()
		year := asOf.Time().Year()
		// The national data set has answers at baseline and exit (demo/needs.go).
		for _, tc := range []struct {
			name      string
			practices []int64
			asOf      haven.Date
			from, to  haven.Date
		}{
			{"every Practice", ids, asOf, haven.Date{}, haven.Date{}},
			{"one Practice", ids[:1], asOf, haven.Date{}, haven.Date{}},
			{"a year ago", ids, asOf.AddMonths(-12), haven.Date{}, haven.Date{}},
			{"three years ago", ids, asOf.AddMonths(-36), haven.Date{}, haven.Date{}},
			{"in four years", ids, asOf.AddMonths(48), haven.Date{}, haven.Date{}},
			{"a cohort", ids, asOf, haven.NewDate(year-3, 1, 1), haven.NewDate(year-3, 12, 31)},
			{"from a date", ids, asOf, haven.NewDate(year-2, 3, 31), haven.Date{}},
			{"to a date", ids, asOf, haven.Date{}, haven.NewDate(year-2, 8, 31)},
			{"no Practice", nil, asOf, haven.Date{}, haven.Date{}},
		} {
			js, err := db.Journeys(ctx, tc.practices)
			if err != nil {
				t.Fatal(err)
			}
			var kept []evaluate.Journey
			for _, j := range js {
				on := j.EngagedOn
				if on.IsZero() {
					on = j.ReferredOn
				}
				if !tc.from.IsZero() && on.Before(tc.from) || !tc.to.IsZero() && tc.to.Before(on) {
					continue
				}
				kept = append(kept, j)
			}
			slim, err := db.OutcomeJourneys(ctx, store.OutcomeQuery{Practices: tc.practices, From: tc.from, To: tc.to})
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			if len(slim) != len(kept) {
				t.Fatalf("%s: %d enrolments read, want %d", tc.name, len(slim), len(kept))
			}
			names := make([]string, len(tc.practices))
			want := evaluate.BuildOutcomes(evaluate.GroupByPractice(kept, tc.practices, names), tc.asOf)
			got := evaluate.BuildOutcomes(evaluate.GroupByPractice(slim, tc.practices, names), tc.asOf)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%s:\n got %+v\nwant %+v", tc.name, got.Rows, want.Rows)
			}
			pooled := evaluate.TallyJourneys(slim, tc.asOf)
			if want := evaluate.TallyJourneys(kept, tc.asOf); !reflect.DeepEqual(pooled, want) {
				t.Errorf("%s, every Practice together:\n got %+v\nwant %+v", tc.name, pooled, want)
			}
			// The figures must mean something: women judged each way.
			if tc.name == "every Practice" {
				for m := range evaluate.Metrics {
					for v := range evaluate.Verdicts {
						if pooled.Verdicts[m][v] == 0 && evaluate.Verdict(v) != evaluate.LeftOut {
							t.Errorf("no enrolment has verdict %d for metric %d: the fixture tests nothing there", v, m+1)
						}
					}
				}
				for f := range evaluate.Facts {
					if pooled.FactN[f] == 0 || pooled.FactStart[f] == 0 || pooled.FactExit[f] == pooled.FactN[f] {
						t.Errorf("fact %d: %d, %d, %d: the fixture tests nothing there", f, pooled.FactN[f], pooled.FactStart[f], pooled.FactExit[f])
					}
				}
			}
		}
	})
}
