package web

import (
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"

	"haven/internal/access"
	"haven/internal/evaluate"
	"haven/internal/haven"
)

// recurrencePage is the time from a woman's index proceedings to her next
// (issue 17 item 6), as a cohort figure: never a score for anyone. A lead
// sees her Practice beside every Practice together; a national analyst
// every Practice. Every figure is from one suppressed table (see
// evaluate/recurrence.go for the safe presentation and why).
type recurrencePage struct {
	Layout
	Form       evalForm
	AsOf       haven.Date
	Intro      string
	Empty      string
	Practices  []evaluate.RecurrenceRow // each Practice shown, its own curve at PracticeYears
	Pooled     *evaluate.RecurrenceRow  // every Practice together, with its strata
	Splits     []evaluate.Split
	Benchmarks []evaluate.Benchmark
	Chart      *recurrenceChart
	Threshold  int
	APIPath    string
}

// recurrenceReport builds the report for the filter, and the rows the actor may see.
func (s *Server) recurrenceReport(r *http.Request, f evalFilter, set evaluate.Settings) (rows []evaluate.RecurrenceRow, pooled *evaluate.RecurrenceRow, national bool, err error) {
	all, keys, national, err := s.evalScope(r, f)
	if err != nil || len(keys) == 0 {
		return nil, nil, national, err
	}
	groups, err := s.evalWomen(r, all, f)
	if err != nil {
		return nil, nil, national, err
	}
	rep := evaluate.BuildRecurrence(groups, s.today(), set)
	for i, row := range rep.Rows {
		switch {
		case row.Key == evaluate.PooledKey:
			pooled = &rep.Rows[i]
		case slices.Contains(keys, row.Key):
			rows = append(rows, row)
		}
	}
	return rows, pooled, national, nil
}

func (s *Server) evaluationRecurrence(w http.ResponseWriter, r *http.Request) error {
	page := &recurrencePage{Layout: Layout{Title: "Recurrent care proceedings", Nav: "reports"}, AsOf: s.today(), Splits: evaluate.Splits,
		Benchmarks: evaluate.Benchmarks, APIPath: "/api/v1/evaluation/recurrence"}
	f, ok, err := s.evalPageFilter(w, r, &page.Layout, &page.Form, page, "evaluation-recurrence.html")
	if !ok {
		return err
	}
	set, err := s.evalSettings(r)
	if err != nil {
		return err
	}
	page.Threshold = set.Least()
	rows, pooled, national, err := s.recurrenceReport(r, f, set.Report)
	if err != nil {
		return err
	}
	if pooled == nil {
		page.Empty = "There are no Practices to report on for your role."
		return s.render(w, r, http.StatusOK, "evaluation-recurrence.html", page)
	}
	page.Practices, page.Pooled = rows, pooled
	if national {
		page.Intro = "Every Practice, side by side, and every Practice together."
	} else {
		page.Intro = "Your Practice, and every Practice together for comparison."
	}
	page.Chart = newRecurrenceChart(pooled.All, "Every Practice together")
	if q := f.Query().Encode(); q != "" {
		page.APIPath += "?" + q
	}
	return s.render(w, r, http.StatusOK, "evaluation-recurrence.html", page)
}

// filterChoices are the Practices the actor may choose in the filter.
func (s *Server) filterChoices(r *http.Request) ([]access.Practice, error) {
	all, keys, _, err := s.evalScope(r, evalFilter{})
	if err != nil {
		return nil, err
	}
	return visiblePractices(all, keys), nil
}

// The API's recurrence: the same figures as the page, hidden the same way.
type apiRecurrence struct {
	AsOf       string               `json:"asOf"`
	Filters    apiFilters           `json:"filters"`
	Method     string               `json:"method"`
	Threshold  int                  `json:"threshold"`
	Benchmarks []apiBenchmark       `json:"benchmarks"`
	Rows       []apiRecurrenceRow   `json:"rows"`
	Pooled     *apiRecurrenceRow    `json:"pooled"` // null when the actor may see no Practice
	Strata     []apiRecurrenceSplit `json:"strata"`
}

type apiFilters struct {
	Practice *int64 `json:"practice"`
	Cohort   *int   `json:"cohort"`
	From     string `json:"from,omitempty"`
	To       string `json:"to,omitempty"`
}

func toAPIFilters(f evalFilter) apiFilters {
	out := apiFilters{From: dateOrEmpty(f.From), To: dateOrEmpty(f.To)}
	if f.Practice != 0 {
		out.Practice = new(f.Practice)
	}
	if f.Cohort != 0 {
		out.Cohort = new(f.Cohort)
	}
	return out
}

func dateOrEmpty(d haven.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

type apiBenchmark struct {
	Years   int     `json:"years"`
	Percent float64 `json:"percent"`
	Who     string  `json:"who"`
	Text    string  `json:"text"`
	Source  string  `json:"source"`
}

type apiRecurrenceRow struct {
	Practice string           `json:"practice"` // a Practice's id, or "all"
	Name     string           `json:"name"`
	Women    apiCount         `json:"women"`
	Note     string           `json:"note,omitempty"`
	Points   []apiRecurrPoint `json:"points"`
}

type apiRecurrenceSplit struct {
	Split  string             `json:"split"`
	Name   string             `json:"name"`
	Strata []apiRecurrenceRow `json:"strata"`
}

// apiRecurrPoint is the curve read at one time. cumulative is the
// proportion whose next proceedings came before it (1 − S), null where not
// shown; the intervals are null where not estimable.
type apiRecurrPoint struct {
	Years      int       `json:"years"`
	Days       int       `json:"days"`
	AtRisk     apiCount  `json:"atRisk"`
	Events     apiCount  `json:"events"`
	Cumulative *float64  `json:"cumulative"`
	Plain      *apiRange `json:"plain95"`
	LogLog     *apiRange `json:"logLog95"`
	Note       string    `json:"note,omitempty"`
}

type apiRange struct {
	Lo float64 `json:"lo"`
	Hi float64 `json:"hi"`
}

func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }

func toAPIRange(b evaluate.Band) *apiRange {
	if !b.Defined {
		return nil
	}
	return &apiRange{Lo: round4(b.Lo), Hi: round4(b.Hi)}
}

func toAPICurve(key string, c evaluate.RecurrenceCurve) apiRecurrenceRow {
	out := apiRecurrenceRow{Practice: key, Name: c.Name, Women: toAPICount(c.Women), Note: c.Note, Points: []apiRecurrPoint{}}
	for _, p := range c.Points {
		ap := apiRecurrPoint{Years: p.Years, Days: p.Days, AtRisk: toAPICount(p.AtRisk), Events: toAPICount(p.Events), Note: p.Note}
		if p.Shown {
			ap.Cumulative = new(round4(p.Estimate.Survival))
			ap.Plain, ap.LogLog = toAPIRange(p.Estimate.Plain), toAPIRange(p.Estimate.LogLog)
		}
		out.Points = append(out.Points, ap)
	}
	return out
}

// recurrenceMethod says in words what the figures are, for the API.
const recurrenceMethod = "Kaplan–Meier estimate of the time from each woman's index care proceedings to her next, one woman once, " +
	"right-censored at asOf; read just before each anniversary, with Greenwood 95% intervals (plain and log-log). " +
	"Counts from 1 to 4, and any count that would give one away, are null with the reason; an estimate is null where its counts are."

// apiEvaluationRecurrence is GET /api/v1/evaluation/recurrence.
func (s *Server) apiEvaluationRecurrence(w http.ResponseWriter, r *http.Request) error {
	f, errs := parseEvalFilter(r.URL.Query(), s.today())
	if len(errs) > 0 {
		s.apiFilterError(w, r, errs)
		return nil
	}
	set, err := s.evalSettings(r)
	if err != nil {
		return err
	}
	rows, pooled, _, err := s.recurrenceReport(r, f, set.Report)
	if err != nil {
		return err
	}
	out := apiRecurrence{AsOf: s.today().String(), Filters: toAPIFilters(f), Method: suppressionWords(recurrenceMethod, set.Least()), Threshold: set.Least(),
		Rows: []apiRecurrenceRow{}, Strata: []apiRecurrenceSplit{}}
	for _, b := range evaluate.Benchmarks {
		out.Benchmarks = append(out.Benchmarks, apiBenchmark{b.Years, round4(b.Percent), b.Who, b.Text, b.Source})
	}
	for _, row := range rows {
		out.Rows = append(out.Rows, toAPICurve(row.Key, row.All))
	}
	if pooled != nil {
		p := toAPICurve(pooled.Key, pooled.All)
		out.Pooled = &p
		for i, sp := range evaluate.Splits {
			as := apiRecurrenceSplit{Split: sp.Key, Name: sp.Name}
			for _, c := range pooled.By[i] {
				as.Strata = append(as.Strata, toAPICurve(c.Key, c))
			}
			out.Strata = append(out.Strata, as)
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// recurrenceChart is a curve's yearly readings drawn as SVG on the server:
// the cumulative proportion with next proceedings, stepping up at each
// yearly reading, with the log-log 95% band and the benchmarks as labelled
// points. Only readings the table shows are drawn; the curve breaks where
// one is hidden, and nothing is drawn between readings, so no single
// event can be seen in it.
type recurrenceChart struct {
	Title      string
	Line, Band []string // SVG path data: one path per unbroken run of readings
	Points     []chartPoint
	Benchmarks []chartPoint
	XTicks     []funnelTick
	YTicks     []funnelTick
	Desc       string
}

type chartPoint struct {
	X, Y           float64
	Label          string
	LabelX, LabelY float64
	Anchor         string
}

const (
	recW, recH      = 600.0, 320.0
	recLeft, recTop = 56.0, 16.0
	recRight        = 24.0
	recBottom       = 48.0
	recYears        = 10.0
)

// newRecurrenceChart draws c; nil where no reading after 0 is shown.
func newRecurrenceChart(c evaluate.RecurrenceCurve, title string) *recurrenceChart {
	yMax := 0.6
	shown := 0
	for _, p := range c.Points {
		if p.Shown {
			shown++
			if p.Estimate.LogLog.Defined {
				yMax = max(yMax, p.Estimate.LogLog.Hi)
			}
		}
	}
	if shown < 2 {
		return nil
	}
	yMax = math.Min(1, math.Ceil(yMax*10)/10)
	plotW, plotH := recW-recLeft-recRight, recH-recTop-recBottom
	x := func(years float64) float64 { return recLeft + plotW*years/recYears }
	y := func(p float64) float64 { return recTop + plotH*(1-math.Min(p, yMax)/yMax) }
	ch := &recurrenceChart{Title: title}
	var line, band strings.Builder
	var prev *evaluate.RecurrencePoint
	flush := func() {
		if line.Len() > 0 {
			ch.Line = append(ch.Line, line.String())
		}
		if band.Len() > 0 {
			ch.Band = append(ch.Band, band.String())
		}
		line.Reset()
		band.Reset()
	}
	var described []string
	for i := range c.Points {
		p := &c.Points[i]
		if !p.Shown {
			flush()
			prev = nil
			continue
		}
		px, py := x(float64(p.Years)), y(p.Estimate.Survival)
		ch.Points = append(ch.Points, chartPoint{X: px, Y: py, Label: fmt.Sprintf("%d years: %s", p.Years, p.Percent())})
		described = append(described, fmt.Sprintf("%s by %d years", p.Percent(), p.Years))
		if prev == nil {
			fmt.Fprintf(&line, "M%.1f %.1f", px, py)
		} else {
			// Held at the last reading until this one, then up: never drawn between readings.
			fmt.Fprintf(&line, " H%.1f V%.1f", px, py)
			if b := prev.Estimate.LogLog; b.Defined {
				fmt.Fprintf(&band, "M%.1f %.1f H%.1f V%.1f H%.1f Z ", x(float64(prev.Years)), y(b.Lo), px, y(b.Hi), x(float64(prev.Years)))
			}
		}
		prev = p
	}
	flush()
	for _, b := range evaluate.Benchmarks[:2] {
		bx := x(float64(b.Years))
		ch.Benchmarks = append(ch.Benchmarks, chartPoint{X: bx, Y: y(b.Percent / 100), Label: benchLabel(b), LabelX: bx - 4, LabelY: y(b.Percent/100) - 18, Anchor: "end"})
	}
	for _, yr := range []int{0, 1, 2, 3, 4, 5, 6, 7, 10} {
		ch.XTicks = append(ch.XTicks, funnelTick{Label: fmt.Sprint(yr), X: x(float64(yr)), Y: recH - recBottom + 20})
	}
	for v := 0.0; v <= yMax+1e-9; v += 0.2 {
		ch.YTicks = append(ch.YTicks, funnelTick{Label: fmt.Sprintf("%.0f%%", v*100), X: recLeft - 8, Y: y(v)})
	}
	ch.Desc = "Cumulative proportion with next proceedings, read each year: " + strings.Join(described, ", ") +
		". The table beside the chart gives every figure with its interval."
	return ch
}

// benchLabel is a benchmark as the chart labels it.
func benchLabel(b evaluate.Benchmark) string {
	if b.Years == 7 {
		return "1 in 4 by 7 years (2017)"
	}
	return "1 in 3, mothers 14 to 19, by 10 years (2023)"
}

// Largest is the largest count not shown, for the page's wording.
func (p *recurrencePage) Largest() int { return evaluate.ClampThreshold(p.Threshold) - 1 }
