package web

import (
	"net/http"
	"strconv"

	"haven/internal/document"
	"haven/internal/evaluate"
	"haven/internal/reunify"
)

// The LA team's dashboard (issue 18 item 7): returns home and re-entry to
// care from the team's episodes, beside the national figures, every count
// suppressed as everywhere in Haven.

type laDashboardPage struct {
	Layout
	reunify.Dashboard
	// Risk is risk classification at Decision 3 against each return's
	// outcome; Support the returns with a plan and at least six months' support.
	Risk    reunify.RiskTable
	Support reunify.SupportShare
	Source  string
	// RiskOutcomes are the risk table's columns, RiskRows its rows (each level, then all).
	RiskOutcomes []reunify.Choice
	RiskRows     []reunify.RiskRow
	YearChart    barChart
	ReEntryBars  barChart
}

// barChart is a horizontal bar chart drawn on the server as SVG: one bar a
// row, a hidden figure drawn as no bar with its reason as the label. The
// table beside it gives every figure.
type barChart struct {
	ID, Title string
	Desc      string
	Height    int
	Bars      []bar
}

type bar struct {
	Label, Value string
	Y, Width     float64
	National     bool // the national figure beside the team's
}

// ValueX is where the bar's figure is written: just after the bar.
func (b bar) ValueX() float64 { return barLeft + b.Width + 6 }

const (
	barLeft, barRight = 220.0, 540.0 // the bars' x range in a 600-wide box, labels to the left
	barRow            = 34.0
)

// barsOf lays out rows whose values run from 0 to max.
func barsOf(id, title, desc string, rows []bar, values []float64, max float64) barChart {
	c := barChart{ID: id, Title: title, Desc: desc, Height: int(barRow*float64(len(rows)) + 16)}
	for i, b := range rows {
		b.Y = 8 + barRow*float64(i)
		if values[i] > 0 && max > 0 {
			b.Width = (barRight - barLeft) * values[i] / max
		}
		c.Bars = append(c.Bars, b)
	}
	return c
}

func (s *Server) laDashboardData(r *http.Request) (laDashboardFigures, error) {
	team, err := laTeam(r)
	if err != nil {
		return laDashboardFigures{}, err
	}
	returns, cases, err := s.store.LADashboardData(r.Context(), team.TenantID)
	if err != nil {
		return laDashboardFigures{}, err
	}
	facts, err := s.store.LADashboardCases(r.Context(), team.TenantID)
	if err != nil {
		return laDashboardFigures{}, err
	}
	scale, err := s.store.RiskScale(r.Context(), team.TenantID)
	if err != nil {
		return laDashboardFigures{}, err
	}
	set, err := s.evalSettings(r)
	if err != nil {
		return laDashboardFigures{}, err
	}
	risks, supported := reunify.Linked(returns, facts, s.today())
	return laDashboardFigures{Dashboard: reunify.BuildDashboard(returns, cases, s.today(), set.Report),
		Risk: reunify.RiskAgainstOutcome(scale.Labels, risks, set.Report), Support: reunify.SupportOfSixMonths(supported, set.Report)}, nil
}

// laDashboardFigures is every figure of the dashboard, each table suppressed.
type laDashboardFigures struct {
	reunify.Dashboard
	Risk    reunify.RiskTable
	Support reunify.SupportShare
}

// The dashboard template's helpers, added here to keep render.go's map as it is.
func init() {
	funcs["yearLabel"] = reunify.YearLabel
	funcs["rateText"] = func(row reunify.ReEntryRow) string {
		if row.Judged.Shown() && row.Judged.Value == 0 {
			return "none to judge yet"
		}
		return rateOrWhy(row.Rate())
	}
	funcs["planRate"] = func(d reunify.Dashboard) string { return rateOrWhy(d.PlanRate()) }
	funcs["supportRate"] = func(s reunify.SupportShare) string { return rateOrWhy(s.Rate()) }
}

func rateOrWhy(rate string, ok bool) string {
	if !ok {
		return "not shown"
	}
	return rate
}

// laDashboard is the page.
func (s *Server) laDashboard(w http.ResponseWriter, r *http.Request) error {
	f, err := s.laDashboardData(r)
	if err != nil {
		return err
	}
	d := f.Dashboard
	p := &laDashboardPage{Layout: Layout{Title: "Returns home and re-entry to care", Nav: "la-dashboard"}, Dashboard: d, Risk: f.Risk, Support: f.Support,
		Source: reunify.NationalReEntrySource, RiskOutcomes: reunify.Outcomes, RiskRows: append(f.Risk.Rows, f.Risk.All)}

	var rows []bar
	var values []float64
	most := 0.0
	for _, y := range d.Years {
		rows = append(rows, bar{Label: reunify.YearLabel(y.Year), Value: y.Total.Text()})
		v := 0.0
		if y.Total.Shown() {
			v = float64(y.Total.Value)
		}
		values = append(values, v)
		most = max(most, v)
	}
	p.YearChart = barsOf("years", "Returns home a year", "Children who left care to go home (E4A or E4B), by year from April to March. The table beside it gives every figure.", rows, values, most)

	rows, values = nil, nil
	for _, row := range d.ReEntry {
		rate, ok := row.Rate()
		v := 0.0
		if ok {
			v = 100 * float64(row.ReEntered.Value) / float64(row.Judged.Value)
		} else {
			rate = "not shown"
		}
		rows = append(rows, bar{Label: row.Label + ", this team", Value: rate})
		values = append(values, v)
		rows = append(rows, bar{Label: row.Label + ", England", Value: strconv.Itoa(row.Percent) + "%", National: true})
		values = append(values, float64(row.Percent))
	}
	p.ReEntryBars = barsOf("reentry", "Re-entry to care after a return home", "The share of returns home followed by a new period of care, this team beside England in 2022-23. The table beside it gives every figure.", rows, values, 100)
	return s.render(w, r, http.StatusOK, "reunify-dashboard.html", p)
}

// laDashboardCSV downloads the page's figures, suppressed as on the page.
func (s *Server) laDashboardCSV(w http.ResponseWriter, r *http.Request) error {
	d, err := s.laDashboardData(r)
	if err != nil {
		return err
	}
	return document.Download(w, dashboardTable(d), "csv", "returns-home")
}

// dashboardTable is every figure of the dashboard, one a row.
func dashboardTable(f laDashboardFigures) document.Table {
	d := f.Dashboard
	t := document.Table{Sheet: "Returns home", Header: []string{"Figure", "Period or window", "Count", "Out of", "Rate", "England 2022-23", "Note"}}
	fig := func(f evaluate.Figure) document.Cell {
		if f.Shown() {
			return document.Int(int64(f.Value))
		}
		return document.Text(f.Text())
	}
	blank := document.Text("")
	for _, y := range append(d.Years, d.AllYears) {
		period := "All years"
		if y.Year != 0 {
			period = reunify.YearLabel(y.Year)
		}
		t.Rows = append(t.Rows,
			[]document.Cell{document.Text("Returns home, planned (E4A)"), document.Text(period), fig(y.Planned), blank, blank, blank, blank},
			[]document.Cell{document.Text("Returns home, not planned (E4B)"), document.Text(period), fig(y.Unplanned), blank, blank, blank, blank},
			[]document.Cell{document.Text("Returns home"), document.Text(period), fig(y.Total), blank, blank, blank, blank})
	}
	for _, row := range d.ReEntry {
		rate, ok := row.Rate()
		if !ok {
			rate = "not shown"
		}
		t.Rows = append(t.Rows,
			[]document.Cell{document.Text("Re-entered care"), document.Text(row.Label), fig(row.ReEntered), fig(row.Judged), document.Text(rate),
				document.Text(strconv.Itoa(row.Percent) + "%"), document.Text("Returns too recent to judge: " + row.TooRecent.Text())})
	}
	rate, ok := d.PlanRate()
	if !ok {
		rate = "not shown"
	}
	t.Rows = append(t.Rows, []document.Cell{document.Text("Returned home with a reunification plan"), document.Text("All years"), fig(d.WithPlan), fig(d.AllYears.Total), document.Text(rate), blank, blank})
	rate, ok = f.Support.Rate()
	if !ok {
		rate = "not shown"
	}
	t.Rows = append(t.Rows, []document.Cell{document.Text("Returned home with an agreed plan and at least 6 months' support"), document.Text("All years"),
		fig(f.Support.LongEnough), fig(f.Support.Returns), document.Text(rate), blank, blank})
	for _, row := range append(f.Risk.Rows, f.Risk.All) {
		for i, o := range reunify.Outcomes {
			t.Rows = append(t.Rows, []document.Cell{document.Text("Risk at Decision 3: " + row.Risk), document.Text(o.Title), fig(row.Outcomes[i]), fig(row.Total), blank, blank, blank})
		}
	}
	t.Rows = append(t.Rows, []document.Cell{document.Text("Returns with no signed-off risk classification"), document.Text("All years"), fig(f.Risk.Unknown), blank, blank, blank, blank})
	t.Rows = append(t.Rows, []document.Cell{document.Text("Source of the England figures"), blank, blank, blank, blank, blank, document.Text(reunify.NationalReEntrySource)})
	return t
}
