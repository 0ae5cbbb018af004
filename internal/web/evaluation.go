package web

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"time"

	"haven/internal/access"
	"haven/internal/evaluate"
	"haven/internal/haven"
	"haven/internal/programme"
	"haven/internal/store"
)

// evaluationPage is the programme outcomes dashboard: a lead sees her
// Practice beside every Practice together; a national analyst sees every
// Practice side by side. Every figure comes from one table suppressed as a
// whole, so no two views read together give away a small number.
type evaluationPage struct {
	Layout
	Form     evalForm
	AsOf     haven.Date
	Intro    string
	Empty    string
	Metrics  []evaluate.Metric
	Verdicts []evaluate.Verdict
	Phases   []evaluate.Phase
	Facts    []evaluate.Fact
	// ExitCategories are the columns of early exits.
	ExitCategories []programme.ExitCategory
	// FactsSource is where the start-to-exit benchmarks come from.
	FactsSource string
	Rows        []evaluate.OutcomeRow
	Funnel      *funnelChart
	Threshold   int
	// The downloads, with the filter shown.
	CSV, XLSX template.URL
	// WorkedOut says when cached figures were worked out; "" when built for this page.
	WorkedOut string
	// CanExtract offers the pseudonymised extract (extract.go) to those who may download it.
	CanExtract bool
}

// VerdictNote is what a verdict column counts, where that needs saying.
func (p *evaluationPage) VerdictNote(v evaluate.Verdict) string { return evaluate.VerdictNotes[v] }

// evaluationScope is which Practices' rows the actor may see: every one for
// a national role, else those where she holds a role that reads aggregates.
func evaluationScope(actor *access.Actor, practices []access.Practice) (keys []string, national bool) {
	for _, m := range actor.Memberships {
		if !m.Role.Has(access.PermAggregates) {
			continue
		}
		switch m.TenantKind {
		case access.TenantNational:
			national = true
		case access.TenantPractice:
			keys = append(keys, strconv.FormatInt(m.TenantID, 10))
		}
	}
	if national {
		keys = keys[:0]
		for _, p := range practices {
			keys = append(keys, strconv.FormatInt(p.ID, 10))
		}
	}
	return keys, national
}

// evaluationFigures judges every Practice's enrolments in the filter's
// period, as at today, as one suppressed table.
// With the cache on (Options.EvaluationCache) it may be a few minutes old:
// worked out at the time returned.
func (s *Server) evaluationFigures(r *http.Request, practices []access.Practice, f evalFilter, set evaluate.Settings) (evaluate.Outcomes, time.Time, error) {
	ids, names := practiceIDs(practices)
	today := s.today()
	return s.evalCache.get(evalCacheKey(ids, f, today, set), s.now(), func() (evaluate.Outcomes, error) {
		var js []evaluate.Journey
		if from, to, ok := f.period(); ok { // else a cohort outside the dates: nobody
			var err error
			if js, err = s.store.OutcomeJourneys(context.WithoutCancel(r.Context()), store.OutcomeQuery{Practices: ids, From: from, To: to}); err != nil {
				return evaluate.Outcomes{}, err
			}
		}
		return evaluate.BuildOutcomesWith(evaluate.GroupByPractice(js, ids, names), today, set), nil
	})
}

// period is the filter's cohort year and dates as one span of engagement
// (or referral) dates; false if they do not overlap. Zero ends are open.
func (f evalFilter) period() (from, to haven.Date, ok bool) {
	from, to = f.From, f.To
	if f.Cohort != 0 {
		first, last := haven.NewDate(f.Cohort, time.January, 1), haven.NewDate(f.Cohort, time.December, 31)
		if from.IsZero() || from.Before(first) {
			from = first
		}
		if to.IsZero() || last.Before(to) {
			to = last
		}
	}
	return from, to, from.IsZero() || to.IsZero() || !to.Before(from)
}

func (s *Server) evaluation(w http.ResponseWriter, r *http.Request) error {
	page := &evaluationPage{Layout: Layout{Title: "Programme outcomes", Nav: "reports"}, Metrics: evaluate.Metrics, Verdicts: evaluate.Verdicts,
		Phases: evaluate.Phases, Facts: evaluate.Facts, FactsSource: evaluate.FactsSource, AsOf: s.today(), ExitCategories: evaluate.ExitCategories}
	page.CanExtract = infoFrom(r.Context()).actor.Can(access.PermExtract)
	f, ok, err := s.evalPageFilter(w, r, &page.Layout, &page.Form, page, "evaluation.html")
	if !ok {
		return err
	}
	set, err := s.evalSettings(r)
	if err != nil {
		return err
	}
	page.Threshold = set.Least()
	rows, national, none, at, err := s.evaluationOutcomes(r, f, set.Report)
	if err != nil {
		return err
	}
	if none {
		page.Empty = "There are no Practices to report on for your role."
		return s.render(w, r, http.StatusOK, "evaluation.html", page)
	}
	page.Rows = rows
	if ttl := s.evalCache.ttl; ttl > 0 {
		every := fmt.Sprintf("%d minutes", int(ttl.Minutes()))
		if ttl < 2*time.Minute {
			every = fmt.Sprintf("%d seconds", int(ttl.Seconds()))
		}
		page.WorkedOut = fmt.Sprintf("These figures were worked out at %s and are worked out again every %s.", at.In(london).Format("15:04"), every)
	}
	q := ""
	if e := f.Query().Encode(); e != "" {
		q = "?" + e
	}
	page.CSV = template.URL("/evaluation/outcomes.csv" + q)   // #nosec G203 -- a constant path and a query url.Values encoded from the parsed filter
	page.XLSX = template.URL("/evaluation/outcomes.xlsx" + q) // #nosec G203 -- as above
	if national {
		page.Intro = "Every Practice, side by side, and every Practice together."
	} else {
		page.Intro = "Your Practice, and every Practice together for comparison."
	}
	page.Funnel = completionFunnel(page.Rows)
	return s.render(w, r, http.StatusOK, "evaluation.html", page)
}

// Largest is the largest count not shown, for the page's wording.
func (p *evaluationPage) Largest() int { return evaluate.ClampThreshold(p.Threshold) - 1 }
