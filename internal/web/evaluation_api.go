package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"haven/internal/document"
	"haven/internal/evaluate"
	"haven/internal/haven"
	"haven/internal/store"
)

// evaluationFilter is what an evaluation page or API call asks for.
type evaluationFilter struct {
	Practice int64 // 0: every Practice the reader may see
	Cohort   int   // the year engagement began; 0: every year
	From, To haven.Date
}

// parseEvaluationFilter reads the API's query: practice (a Practice's
// number), cohort (a year), from and to (YYYY-MM-DD). Missing from and to
// default to the last five years to today; a cohort narrows them to its year.
func parseEvaluationFilter(q url.Values, today haven.Date) (evaluationFilter, error) {
	f := evaluationFilter{From: evaluate.AddMonths(today, -60), To: today}
	fields := map[string]string{}
	for k := range q {
		if !slices.Contains([]string{"practice", "cohort", "from", "to"}, k) {
			fields[k] = "Haven does not know this filter: use practice, cohort, from or to"
		}
	}
	if v := q.Get("practice"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			fields["practice"] = "The practice must be a Practice's number, like 3"
		}
		f.Practice = n
	}
	if v := q.Get("cohort"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 2000 || n > 2100 {
			fields["cohort"] = "The cohort must be the year engagement began, from 2000 to 2100"
		}
		f.Cohort = n
	}
	for _, p := range []struct {
		key string
		to  *haven.Date
	}{{"from", &f.From}, {"to", &f.To}} {
		if v := q.Get(p.key); v != "" {
			d, err := haven.ParseDate(v)
			if err != nil || d.Time().Year() < 1900 || d.Time().Year() > 2200 {
				fields[p.key] = "The " + p.key + " date must be a real date written YYYY-MM-DD, like 2024-03-31"
				continue
			}
			*p.to = d
		}
	}
	if len(fields) == 0 && f.To.Before(f.From) {
		fields["to"] = "The to date must be on or after the from date"
	}
	if len(fields) == 0 && f.Cohort != 0 {
		// A cohort alone is its whole year; with a period, the part of it in the year.
		first, last := haven.NewDate(f.Cohort, time.January, 1), haven.NewDate(f.Cohort, time.December, 31)
		if q.Get("from") == "" && q.Get("to") == "" {
			f.From, f.To = first, last
		}
		f.From, f.To = later(f.From, first), earlier(f.To, last)
		if f.To.Before(f.From) {
			fields["cohort"] = "The cohort's year is outside the period asked for"
		}
	}
	if len(fields) > 0 {
		return f, haven.Invalid(fields)
	}
	return f, nil
}

func later(a, b haven.Date) haven.Date {
	if a.Before(b) {
		return b
	}
	return a
}

func earlier(a, b haven.Date) haven.Date {
	if b.Before(a) {
		return b
	}
	return a
}

// evaluationOutcomes is the outcome figures for the filter, as the reader
// may see them: the rows of her Practices (or the one asked for) and every
// Practice together, cut from the one suppressed table.
func (s *Server) evaluationOutcomes(r *http.Request, f evaluationFilter) (rows []evaluate.OutcomeRow, national, none bool, err error) {
	practices, err := s.store.ListPractices(r.Context(), store.Page{Limit: 500})
	if err != nil {
		return nil, false, false, err
	}
	keys, national := evaluationScope(infoFrom(r.Context()).actor, practices)
	if len(keys) == 0 {
		return nil, national, true, nil
	}
	if f.Practice != 0 {
		k := strconv.FormatInt(f.Practice, 10)
		if !slices.Contains(keys, k) {
			return nil, national, false, haven.ErrNotFound
		}
		keys = []string{k}
	}
	o, err := s.evaluationFigures(r, practices, f.From, f.To)
	if err != nil {
		return nil, national, false, err
	}
	for _, row := range o.Rows {
		if row.Key == evaluate.PooledKey || slices.Contains(keys, row.Key) {
			rows = append(rows, row)
		}
	}
	return rows, national, false, nil
}

// apiFigure is a count in the API: the number, or null and why.
type apiFigure struct {
	Value  *int   `json:"value"`
	Hidden string `json:"hidden,omitempty"`
}

func toAPIFigure(f evaluate.Figure) apiFigure {
	if !f.Shown() {
		return apiFigure{Hidden: f.Why.Text()}
	}
	v := f.Value
	return apiFigure{Value: &v}
}

type apiOutcomeRow struct {
	Practice   *int64                      `json:"practice"` // null for every Practice together
	Name       string                      `json:"name"`
	Metrics    map[string]apiMetricFigures `json:"metrics"`
	Completed  apiFigure                   `json:"completed"`
	EndedEarly apiFigure                   `json:"endedEarly"`
	Ended      apiFigure                   `json:"ended"`
	Completion *string                     `json:"completionRate"`
	Phases     map[string]apiPhase         `json:"medianDays"`
	Facts      map[string]apiFact          `json:"startToExit"`
}

type apiFact struct {
	N       apiFigure `json:"askedAtBoth"`
	AtStart apiFigure `json:"yesAtStart"`
	AtExit  apiFigure `json:"yesAtExit"`
}

type apiMetricFigures struct {
	Met       apiFigure `json:"met"`
	NotMet    apiFigure `json:"notMet"`
	TooRecent apiFigure `json:"tooRecent"`
	LeftOut   apiFigure `json:"leftOut"`
	Judged    apiFigure `json:"judged"`
	Total     apiFigure `json:"enrolments"`
	MetRate   *string   `json:"metRate"`
}

type apiPhase struct {
	Median *int      `json:"median"`
	N      apiFigure `json:"n"`
}

type apiOutcomes struct {
	AsOf      haven.Date      `json:"asOf"`
	From      haven.Date      `json:"from"`
	To        haven.Date      `json:"to"`
	Cohort    *int            `json:"cohort"`
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
	f, err := parseEvaluationFilter(r.URL.Query(), s.today())
	if err != nil {
		return err
	}
	rows, _, _, err := s.evaluationOutcomes(r, f)
	if err != nil {
		return err
	}
	out := apiOutcomes{AsOf: s.today(), From: f.From, To: f.To, Threshold: evaluate.Threshold, Rows: []apiOutcomeRow{}}
	if f.Cohort != 0 {
		out.Cohort = &f.Cohort
	}
	for _, m := range evaluate.Metrics {
		out.Metrics = append(out.Metrics, apiMetricDef{m.Key, m.Name, m.Definition, m.Source})
	}
	for _, row := range rows {
		ar := apiOutcomeRow{Name: row.Name, Metrics: map[string]apiMetricFigures{}, Completed: toAPIFigure(row.Completed),
			EndedEarly: toAPIFigure(row.EndedEarly), Ended: toAPIFigure(row.Ended), Completion: optional(row.CompletionRate()), Phases: map[string]apiPhase{}}
		if row.Key != evaluate.PooledKey {
			id, _ := strconv.ParseInt(row.Key, 10, 64)
			ar.Practice = &id
		}
		for i, m := range evaluate.Metrics {
			mf := row.Metrics[i]
			ar.Metrics[m.Key] = apiMetricFigures{Met: toAPIFigure(mf.Verdicts[evaluate.Met]), NotMet: toAPIFigure(mf.Verdicts[evaluate.NotMet]),
				TooRecent: toAPIFigure(mf.Verdicts[evaluate.TooRecent]), LeftOut: toAPIFigure(mf.Verdicts[evaluate.LeftOut]),
				Judged: toAPIFigure(mf.Judged), Total: toAPIFigure(mf.Total), MetRate: optional(mf.MetRate())}
		}
		for i, p := range evaluate.Phases {
			ph := apiPhase{N: toAPIFigure(row.Phases[i].N)}
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
		f, err := parseEvaluationFilter(r.URL.Query(), s.today())
		if err != nil {
			return err
		}
		rows, _, _, err := s.evaluationOutcomes(r, f)
		if err != nil {
			return err
		}
		return document.Download(w, outcomesTable(rows), format, "programme-outcomes-"+f.From.String()+"-to-"+f.To.String())
	}
}
