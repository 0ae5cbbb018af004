package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"haven/internal/document"
	"haven/internal/evaluate"
	"haven/internal/haven"
)

// evaluationOutcomes is the outcome figures for the filter, as the reader
// may see them: the rows of her Practices (or the one asked for) and every
// Practice together, cut from the one suppressed table.
func (s *Server) evaluationOutcomes(r *http.Request, f evalFilter, set evaluate.Settings) (rows []evaluate.OutcomeRow, national, none bool, at time.Time, err error) {
	practices, keys, national, err := s.evalScope(r, f)
	if err != nil {
		return nil, national, false, at, err
	}
	if len(keys) == 0 {
		return nil, national, true, at, nil
	}
	o, at, err := s.evaluationFigures(r, practices, f, set)
	if err != nil {
		return nil, national, false, at, err
	}
	for _, row := range o.Rows {
		if row.Key == evaluate.PooledKey || slices.Contains(keys, row.Key) {
			rows = append(rows, row)
		}
	}
	return rows, national, false, at, nil
}

type apiOutcomeRow struct {
	Practice   *int64                      `json:"practice"` // null for every Practice together
	Name       string                      `json:"name"`
	Metrics    map[string]apiMetricFigures `json:"metrics"`
	Completed  apiCount                    `json:"completed"`
	EndedEarly apiCount                    `json:"endedEarly"`
	// EndedEarlyBy is the early exits by category (programme.ExitCategories
	// and "not-recorded"), adding up to endedEarly.
	EndedEarlyBy map[string]apiCount `json:"endedEarlyBy"`
	Ended        apiCount            `json:"ended"`
	Completion   *string             `json:"completionRate"`
	Phases       map[string]apiPhase `json:"medianDays"`
	Facts        map[string]apiFact  `json:"startToExit"`
}

type apiFact struct {
	N       apiCount `json:"askedAtBoth"`
	AtStart apiCount `json:"yesAtStart"`
	AtExit  apiCount `json:"yesAtExit"`
}

type apiMetricFigures struct {
	Met       apiCount `json:"met"`
	NotMet    apiCount `json:"notMet"`
	TooRecent apiCount `json:"tooRecent"`
	LeftOut   apiCount `json:"leftOut"`
	Judged    apiCount `json:"judged"`
	Total     apiCount `json:"enrolments"`
	MetRate   *string  `json:"metRate"`
}

type apiPhase struct {
	Median *int     `json:"median"`
	N      apiCount `json:"n"`
}

type apiOutcomes struct {
	AsOf      haven.Date      `json:"asOf"`
	Filters   apiFilters      `json:"filters"`
	Threshold int             `json:"threshold"`
	Metrics   []apiMetricDef  `json:"metrics"`
	Rows      []apiOutcomeRow `json:"rows"`
}

type apiMetricDef struct {
	Key        string `json:"key"`
	Name       string `json:"name"`
	Definition string `json:"definition"`
	Source     string `json:"source"`
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// apiEvaluationOutcomes is GET /api/v1/evaluation/outcomes: the figures of
// the dashboard, suppressed exactly as it is.
func (s *Server) apiEvaluationOutcomes(w http.ResponseWriter, r *http.Request) error {
	f, errs := parseEvalFilter(r.URL.Query(), s.today())
	if len(errs) > 0 {
		s.apiFilterError(w, r, errs)
		return nil
	}
	set, err := s.evalSettings(r)
	if err != nil {
		return err
	}
	rows, _, _, _, err := s.evaluationOutcomes(r, f, set.Report)
	if err != nil {
		return err
	}
	out := apiOutcomes{AsOf: s.today(), Filters: toAPIFilters(f), Threshold: set.Least(), Rows: []apiOutcomeRow{}}
	for _, m := range evaluate.Metrics {
		out.Metrics = append(out.Metrics, apiMetricDef{m.Key, m.Name, m.Definition, m.Source})
	}
	for _, row := range rows {
		ar := apiOutcomeRow{Name: row.Name, Metrics: map[string]apiMetricFigures{}, Completed: toAPICount(row.Completed),
			EndedEarly: toAPICount(row.EndedEarly), Ended: toAPICount(row.Ended), Completion: optional(row.CompletionRate()), Phases: map[string]apiPhase{},
			EndedEarlyBy: map[string]apiCount{}}
		for k, c := range evaluate.ExitCategories {
			ar.EndedEarlyBy[string(c)] = toAPICount(row.Exits[k])
		}
		if row.Key != evaluate.PooledKey {
			id, _ := strconv.ParseInt(row.Key, 10, 64)
			ar.Practice = &id
		}
		for i, m := range evaluate.Metrics {
			mf := row.Metrics[i]
			ar.Metrics[m.Key] = apiMetricFigures{Met: toAPICount(mf.Verdicts[evaluate.Met]), NotMet: toAPICount(mf.Verdicts[evaluate.NotMet]),
				TooRecent: toAPICount(mf.Verdicts[evaluate.TooRecent]), LeftOut: toAPICount(mf.Verdicts[evaluate.LeftOut]),
				Judged: toAPICount(mf.Judged), Total: toAPICount(mf.Total), MetRate: optional(mf.MetRate())}
		}
		for i, p := range evaluate.Phases {
			ph := apiPhase{N: toAPICount(row.Phases[i].N)}
			if row.Phases[i].Shown() {
				v := row.Phases[i].Median
				ph.Median = &v
			}
			ar.Phases[p.Key] = ph
		}
		out.Rows = append(out.Rows, ar)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// outcomesTable is the dashboard's figures as one download: a row for each
// Practice and for every Practice together, hidden counts as their reason.
func outcomesTable(rows []evaluate.OutcomeRow) document.Table {
	t := document.Table{Sheet: "Programme outcomes", Header: []string{"Practice"}}
	for _, m := range evaluate.Metrics {
		for _, v := range evaluate.Verdicts {
			t.Header = append(t.Header, m.Name+": "+strings.ToLower(v.Title()))
		}
		t.Header = append(t.Header, m.Name+": enrolments", m.Name+": met, of those judged")
	}
	t.Header = append(t.Header, "Completed", "Ended early", "Ended", "Completion rate")
	for _, c := range evaluate.ExitCategories {
		t.Header = append(t.Header, "Ended early: "+strings.ToLower(c.Title()))
	}
	for _, p := range evaluate.Phases {
		t.Header = append(t.Header, p.Name+": median days", p.Name+": over")
	}
	for _, f := range evaluate.Facts {
		t.Header = append(t.Header, f.Name+": asked at both", f.Name+": yes at start", f.Name+": yes at exit")
	}
	fig := func(f evaluate.Figure) document.Cell {
		if !f.Shown() {
			return document.Text(f.Text())
		}
		return document.Int(int64(f.Value))
	}
	for _, r := range rows {
		row := []document.Cell{document.Text(r.Name)}
		for i := range evaluate.Metrics {
			m := r.Metrics[i]
			for _, v := range m.Verdicts {
				row = append(row, fig(v))
			}
			row = append(row, fig(m.Total), document.Text(orNotShown(m.MetRate())))
		}
		row = append(row, fig(r.Completed), fig(r.EndedEarly), fig(r.Ended), document.Text(orNotShown(r.CompletionRate())))
		for _, x := range r.Exits {
			row = append(row, fig(x))
		}
		for _, p := range r.Phases {
			if p.Shown() {
				row = append(row, document.Int(int64(p.Median)), fig(p.N))
			} else {
				row = append(row, document.Text("not shown"), fig(p.N))
			}
		}
		for _, c := range r.Facts {
			row = append(row, fig(c.N), fig(c.AtStart), fig(c.AtExit))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

func orNotShown(s string) string {
	if s == "" {
		return "not shown"
	}
	return s
}

// outcomesDownload is GET /evaluation/outcomes.csv and .xlsx, with the API's filters.
func (s *Server) outcomesDownload(format string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		f, errs := parseEvalFilter(r.URL.Query(), s.today())
		if len(errs) > 0 {
			return haven.Invalid(errs)
		}
		set, err := s.evalSettings(r)
		if err != nil {
			return err
		}
		rows, _, _, _, err := s.evaluationOutcomes(r, f, set.Report)
		if err != nil {
			return err
		}
		return document.Download(w, outcomesTable(rows), format, "programme-outcomes")
	}
}
