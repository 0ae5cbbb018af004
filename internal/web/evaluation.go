package web

import (
	"net/http"
	"strconv"

	"haven/internal/access"
	"haven/internal/evaluate"
	"haven/internal/haven"
)

// evaluationPage is the programme outcomes dashboard: a lead sees her
// Practice beside every Practice together; a national analyst sees every
// Practice side by side. Every figure comes from one table suppressed as a
// whole, so no two views read together give away a small number.
type evaluationPage struct {
	Layout
	From, To dateField
	AsOf     haven.Date
	Intro    string
	Empty    string
	Metrics  []evaluate.Metric
	Verdicts []evaluate.Verdict
	Phases   []evaluate.Phase
	Facts    []evaluate.Fact
	// FactsSource is where the start-to-exit benchmarks come from.
	FactsSource string
	Rows        []evaluate.OutcomeRow
	Funnel      *funnelChart
	Threshold   int
	// The period shown, for the downloads' links.
	DownloadFrom, DownloadTo haven.Date
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

// evaluationFigures judges every Practice's enrolments whose engagement (or,
// for those never engaged, referral) fell in [from, to], as at today.
func (s *Server) evaluationFigures(r *http.Request, practices []access.Practice, from, to haven.Date) (evaluate.Outcomes, error) {
	ids := make([]int64, len(practices))
	for i, p := range practices {
		ids[i] = p.ID
	}
	js, err := s.store.Journeys(r.Context(), ids)
	if err != nil {
		return evaluate.Outcomes{}, err
	}
	byPractice := map[int64][]evaluate.Journey{}
	for _, j := range js {
		on := j.EngagedOn
		if on.IsZero() {
			on = j.ReferredOn
		}
		if on.Before(from) || to.Before(on) {
			continue
		}
		byPractice[j.Practice] = append(byPractice[j.Practice], j)
	}
	groups := make([]evaluate.OutcomeGroup, len(practices))
	for i, p := range practices {
		groups[i] = evaluate.OutcomeGroup{Key: strconv.FormatInt(p.ID, 10), Name: p.Name, Journeys: byPractice[p.ID]}
	}
	return evaluate.BuildOutcomes(groups, s.today()), nil
}

func (s *Server) evaluation(w http.ResponseWriter, r *http.Request) error {
	page := &evaluationPage{Layout: Layout{Title: "Programme outcomes", Nav: "reports"}, Metrics: evaluate.Metrics, Verdicts: evaluate.Verdicts,
		Phases: evaluate.Phases, Facts: evaluate.Facts, FactsSource: evaluate.FactsSource, AsOf: s.today(), Threshold: evaluate.Threshold}
	page.CanExtract = infoFrom(r.Context()).actor.Can(access.PermExtract)
	from, to := s.evaluationPeriod(r, page)
	rows, national, none, err := s.evaluationOutcomes(r, evaluationFilter{From: from, To: to})
	if err != nil {
		return err
	}
	if none {
		page.Empty = "There are no Practices to report on for your role."
		return s.render(w, r, http.StatusOK, "evaluation.html", page)
	}
	page.Rows = rows
	page.DownloadFrom, page.DownloadTo = from, to
	if national {
		page.Intro = "Every Practice, side by side, and every Practice together."
	} else {
		page.Intro = "Your Practice, and every Practice together for comparison."
	}
	page.Funnel = completionFunnel(page.Rows)
	return s.render(w, r, http.StatusOK, "evaluation.html", page)
}

// evaluationPeriod reads the period of engagement starts, by default the
// last five years: the metrics need 18 and 36 months to judge.
func (s *Server) evaluationPeriod(r *http.Request, page *evaluationPage) (haven.Date, haven.Date) {
	q := r.URL.Query()
	today := s.today()
	from, to := evaluate.AddMonths(today, -60), today
	errs := map[string]string{}
	if f := dateIn(q, "from", "The start of the period", errs); !f.IsZero() && errs["from"] == "" {
		from = f
	}
	if e := dateIn(q, "to", "The end of the period", errs); !e.IsZero() && errs["to"] == "" {
		to = e
	}
	if to.Before(from) {
		errs["to"] = "The end of the period must be on or after the start"
		to = from
	}
	fd, fm, fy := from.Parts()
	td, tm, ty := to.Parts()
	page.From = dateField{Name: "from", Label: "From", Hint: "For example, 1 1 2022", Day: fd, Month: fm, Year: fy, Error: errs["from"]}
	page.To = dateField{Name: "to", Label: "To", Hint: "For example, 31 12 2026", Day: td, Month: tm, Year: ty, Error: errs["to"]}
	page.Errors = fieldErrors(errs, "from", "to")
	return from, to
}
