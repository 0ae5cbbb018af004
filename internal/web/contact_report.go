package web

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"haven/internal/access"
	"haven/internal/contact"
	"haven/internal/evaluate"
	"haven/internal/haven"
	"haven/internal/store"
)

// reportPage shows contact measures for a period: counts only, with small
// numbers suppressed, beside the national figures and their source.
type reportPage struct {
	Layout
	From, To  dateField
	Intro     string // who the figures are about
	Groups    []reportGroup
	Empty     string // said when there are no groups
	Links     []link // the other contact reports the user may read
	Source    string
	SourceURL string
	Changed   contact.Benchmark
	NoReason  contact.Benchmark
	Threshold int // the smallest count shown (0 is the default)
}

// Largest is the largest count not shown.
func (p *reportPage) Largest() int { return evaluate.ClampThreshold(p.Threshold) - 1 }

// link is one link on a page, offered only to those who may follow it.
type link struct{ Href, Text string }

// reportGroup is one row of the figures: a Practice, an organisation, the
// Practices covering a local authority, or every Practice.
type reportGroup struct {
	Name  string
	Note  string
	From  haven.Date
	To    haven.Date
	Women figure
	Rows  []measureRow
}

// figure is one count as the report shows it: the number, or why not.
type figure struct {
	Value     int
	Why       evaluate.Reason
	Threshold int // the table's, for the wording
}

// Text is the number, or the reason it is not shown.
func (f figure) Text() string {
	if f.Why.Hidden() {
		return f.Why.Text(f.Threshold)
	}
	return strconv.Itoa(f.Value)
}

// measureRow is one line of a report: the measure, and the national figure beside it if there is one.
type measureRow struct {
	Name     string
	Num, Den figure
	National string
}

// Shown reports whether both counts are shown.
func (m measureRow) Shown() bool { return !m.Num.Why.Hidden() && !m.Den.Why.Hidden() }

// Percent is the measure as a whole percentage, or why not. A percentage is
// shown only beside both its counts: with either hidden it would give it away.
func (m measureRow) Percent() string {
	switch {
	case !m.Shown():
		return "not shown"
	case m.Den.Value == 0:
		return "no data"
	}
	return strconv.Itoa((m.Num.Value*100+m.Den.Value/2)/m.Den.Value) + "%"
}

// measures are the report's lines in the order it shows them, each with its
// count from a contact.Report and the national figure beside it.
var measures = []struct {
	name     string
	national *contact.Benchmark
	of       func(contact.Report) contact.Measure
}{
	{"Women whose arrangements changed", &contact.BenchmarkChanged, func(r contact.Report) contact.Measure { return r.WomenChanged }},
	{"Changes where no reason was given, or it is not known", &contact.BenchmarkNoReason, func(r contact.Report) contact.Measure { return r.ChangesNoReason }},
	{"Women whose arrangements changed with at least one change not explained", &contact.BenchmarkNoReason, func(r contact.Report) contact.Measure { return r.WomenUnexplained }},
	{"Letterbox arrangements reviewed in the 12 months to the end of the period", nil, func(r contact.Report) contact.Measure { return r.LetterboxReviewed }},
	{"Women with face-to-face contact when they started the programme", nil, func(r contact.Report) contact.Measure { return r.DirectAtStart }},
	{"Women with face-to-face contact when they left the programme", nil, func(r contact.Report) contact.Measure { return r.DirectAtExit }},
}

// The measures whose counts are the same number printed twice: the women
// with an arrangement are the "of" of those changed, and the women changed
// are the "of" of those with a change not explained.
const (
	measureChanged     = 0
	measureUnexplained = 2
)

// Each measure is three cells: the count, the rest (never printed, but
// worked out by anyone from the other two), and the whole.
const (
	cellNum = iota
	cellRest
	cellDen
)

// contactFigures is every contact figure Haven publishes for a period, as one
// table for suppression: a row for each Practice, each organisation (the sum
// of its Practices), the Practices covering each local authority, and every
// Practice together. Every report shows rows of this one table, so no two
// reports read side by side give away a number either hides.
type contactFigures struct {
	table    evaluate.Table
	why      []evaluate.Reason
	rows     map[string]*figureRow
	from, to haven.Date
}

// figureRow is one row's cells: for each measure, its count, rest and whole.
type figureRow struct {
	name  string
	note  string
	cells [][3]int
}

// Keys of the rows.
func practiceKey(id int64) string     { return "practice:" + strconv.FormatInt(id, 10) }
func organisationKey(id int64) string { return "organisation:" + strconv.FormatInt(id, 10) }
func laKey(code string) string        { return "la:" + code }

const nationalKey = "national"

// contactFigures counts every Practice's measures for [from, to], adds them
// up for each organisation, local authority and the nation, and suppresses
// small numbers across the lot.
func (s *Server) contactFigures(ctx context.Context, from, to haven.Date) (*contactFigures, error) {
	practices, err := s.store.ListPractices(ctx, store.Page{Limit: 500})
	if err != nil {
		return nil, err
	}
	orgs, err := s.store.ListOrganisations(ctx)
	if err != nil {
		return nil, err
	}
	las, err := s.laCached(ctx)
	if err != nil {
		return nil, err
	}
	groups := make([]store.ReportGroup, len(practices))
	for i, p := range practices {
		groups[i] = store.ReportGroup{Name: p.Name, PracticeIDs: []int64{p.ID}}
	}
	settings, err := s.store.EvaluationSettings(ctx)
	if err != nil {
		return nil, err
	}
	reports, err := s.store.ContactReports(ctx, groups, from, to)
	if err != nil {
		return nil, err
	}
	return buildFigures(practices, orgs, las.list, reports, from, to, settings[store.SettingThreshold].Value), nil
}

// buildFigures lays out the table: reports[i] is practices[i]'s.
func buildFigures(practices []access.Practice, orgs []access.Organisation, las []access.LocalAuthority, reports []contact.Report, from, to haven.Date, threshold int) *contactFigures {
	f := &contactFigures{rows: map[string]*figureRow{}, from: from, to: to}
	// The deployment's suppression threshold, as for every figure that leaves a Practice.
	f.table.Threshold = threshold
	var all []*figureRow
	for i, p := range practices {
		row := f.add(practiceKey(p.ID), p.Name, "", func(m, c int) int {
			x := measures[m].of(reports[i])
			return [3]int{x.Num, x.Den - x.Num, x.Den}[c]
		})
		all = append(all, row)
	}
	for _, o := range orgs {
		var parts []*figureRow
		for _, p := range practices {
			if p.OrganisationID == o.ID {
				parts = append(parts, f.rows[practiceKey(p.ID)])
			}
		}
		if len(parts) > 0 {
			f.total(organisationKey(o.ID), o.Name, "", parts)
		}
	}
	for _, la := range las {
		var parts []*figureRow
		var names []string
		for _, p := range practices {
			if slices.Contains(p.LocalAuthorities, la.Code) {
				parts = append(parts, f.rows[practiceKey(p.ID)])
				names = append(names, p.Name)
			}
		}
		if len(parts) > 0 {
			f.total(laKey(la.Code), "Practices covering "+la.Name, "All the women in "+strings.Join(names, ", ")+
				", including any who live outside "+la.Name+".", parts)
		}
	}
	if len(all) > 0 {
		f.total(nationalKey, "Every Practice in England", "", all)
	}
	f.why = evaluate.Suppress(f.table)
	return f
}

// add adds a row whose cells hold value(measure, cell), with each measure's
// count and rest adding up to its whole.
func (f *contactFigures) add(key, name, note string, value func(m, c int) int) *figureRow {
	row := &figureRow{name: name, note: note, cells: make([][3]int, len(measures))}
	for m := range measures {
		for c := range 3 {
			row.cells[m][c] = f.table.Cell(value(m, c))
		}
		f.table.AddSum(row.cells[m][cellDen], row.cells[m][cellNum], row.cells[m][cellRest])
	}
	f.table.AddSum(row.cells[measureChanged][cellNum], row.cells[measureUnexplained][cellDen])
	f.rows[key] = row
	return row
}

// total adds a row that is the sum of others, cell by cell.
func (f *contactFigures) total(key, name, note string, parts []*figureRow) {
	row := f.add(key, name, note, func(m, c int) int {
		v := 0
		for _, p := range parts {
			v += f.table.Values[p.cells[m][c]]
		}
		return v
	})
	for m := range measures {
		for c := range 3 {
			ps := make([]int, len(parts))
			for i, p := range parts {
				ps[i] = p.cells[m][c]
			}
			f.table.AddSum(row.cells[m][c], ps...)
		}
	}
}

// group is the row as the report shows it, or false if there is no such row.
func (f *contactFigures) group(key string) (reportGroup, bool) {
	row, ok := f.rows[key]
	if !ok {
		return reportGroup{}, false
	}
	fig := func(cell int) figure {
		return figure{Value: f.table.Values[cell], Why: f.why[cell], Threshold: f.table.Least()}
	}
	g := reportGroup{Name: row.name, Note: row.note, From: f.from, To: f.to, Women: fig(row.cells[measureChanged][cellDen])}
	for m, ms := range measures {
		r := measureRow{Name: ms.name, Num: fig(row.cells[m][cellNum]), Den: fig(row.cells[m][cellDen])}
		if ms.national != nil {
			r.National = strconv.Itoa(ms.national.Percent) + "%"
		}
		g.Rows = append(g.Rows, r)
	}
	return g, true
}

// reportPeriod reads the period from the query, or the 12 months to today.
func (s *Server) reportPeriod(r *http.Request, page *reportPage) (haven.Date, haven.Date) {
	q := r.URL.Query()
	today := s.today()
	t := today.Time().AddDate(-1, 0, 1)
	from, to := haven.NewDate(t.Year(), t.Month(), t.Day()), today
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
	page.From = dateField{Name: "from", Label: "From", Hint: "For example, 1 1 2026", Day: fd, Month: fm, Year: fy, Error: errs["from"]}
	page.To = dateField{Name: "to", Label: "To", Hint: "For example, 31 12 2026", Day: td, Month: tm, Year: ty, Error: errs["to"]}
	page.Errors = fieldErrors(errs, "from", "to")
	return from, to
}

func newReportPage(title string) *reportPage {
	return &reportPage{Layout: Layout{Title: title, Nav: "reports"}, Source: contact.BenchmarkSource, SourceURL: contact.BenchmarkURL,
		Changed: contact.BenchmarkChanged, NoReason: contact.BenchmarkNoReason}
}

// reportLinks are the other contact reports, for those whose roles let them
// read them: the same test the routes make.
func (s *Server) reportLinks(actor *access.Actor, here string) []link {
	var out []link
	for _, l := range []link{{"/reports/contact", "See your Practice’s figures"}, {"/reports/contact/organisation", "See the figures across Practices"},
		{"/directory/coverage", "See where the directory has no service for parents"}} {
		if l.Href != here && s.mayFollow(actor, "GET", l.Href) {
			out = append(out, l)
		}
	}
	return out
}

// contactReport is each of the actor's Practices.
func (s *Server) contactReport(w http.ResponseWriter, r *http.Request) error {
	actor := infoFrom(r.Context()).actor
	page := newReportPage("Contact with children: Practice report")
	page.Intro = "The women in your Practice."
	page.Empty = "There are no Practices in which your role can see reports."
	page.Links = s.reportLinks(actor, "/reports/contact")
	from, to := s.reportPeriod(r, page)
	f, err := s.contactFigures(r.Context(), from, to)
	if err != nil {
		return err
	}
	page.Threshold = f.table.Least()
	seen := map[int64]bool{}
	for _, m := range actor.Memberships {
		if m.TenantKind != access.TenantPractice || !m.Role.Has(access.PermPracticeView) || seen[m.TenantID] {
			continue
		}
		seen[m.TenantID] = true
		if g, ok := f.group(practiceKey(m.TenantID)); ok {
			page.Groups = append(page.Groups, g)
		}
	}
	if err := s.store.Audit(r.Context(), s.viewEvent(r, 0, "report:contact")); err != nil {
		return err
	}
	return s.render(w, r, reportStatus(page), "report-contact.html", page)
}

// contactReportOrganisation is the figures across Practices each of the
// actor's roles may read: every Practice, organisation and the nation for a
// national analyst; their organisation and its Practices for a lead or
// co-ordinator; the Practices covering their area for a local authority
// manager. Every row has small numbers suppressed.
func (s *Server) contactReportOrganisation(w http.ResponseWriter, r *http.Request) error {
	actor := infoFrom(r.Context()).actor
	page := newReportPage("Contact with children: figures across Practices")
	page.Empty = "There are no Practices to report on for your role."
	page.Links = s.reportLinks(actor, "/reports/contact/organisation")
	from, to := s.reportPeriod(r, page)
	f, err := s.contactFigures(r.Context(), from, to)
	if err != nil {
		return err
	}
	page.Threshold = f.table.Least()
	practices, err := s.store.ListPractices(r.Context(), store.Page{Limit: 500})
	if err != nil {
		return err
	}
	orgs, err := s.store.ListOrganisations(r.Context())
	if err != nil {
		return err
	}
	var keys, intro []string
	addOrg := func(id int64) {
		keys = append(keys, organisationKey(id))
		for _, p := range practices {
			if p.OrganisationID == id {
				keys = append(keys, practiceKey(p.ID))
			}
		}
	}
	for _, m := range actor.Memberships {
		if !m.Role.Has(access.PermAggregates) {
			continue
		}
		switch m.TenantKind {
		case access.TenantNational:
			intro = append(intro, "every Practice in England, each organisation and each Practice")
			keys = append(keys, nationalKey)
			for _, o := range orgs {
				addOrg(o.ID)
			}
		case access.TenantPractice:
			intro = append(intro, "your organisation and each of its Practices")
			if i := slices.IndexFunc(practices, func(p access.Practice) bool { return p.ID == m.TenantID }); i >= 0 {
				addOrg(practices[i].OrganisationID)
			}
		case access.TenantLocalAuthority:
			team, err := s.store.LATeam(r.Context(), m.TenantID)
			if err != nil {
				return err
			}
			las, err := s.laCached(r.Context())
			if err != nil {
				return err
			}
			area := las.names[team.LACode]
			if area == "" {
				area = m.TenantName + "’s area"
			}
			intro = append(intro, "the Practices that cover "+area)
			keys = append(keys, laKey(team.LACode))
			if _, ok := f.rows[laKey(team.LACode)]; !ok {
				page.Empty = "No Practice covers your local authority yet, so there are no figures to show."
			}
		}
	}
	if len(intro) > 0 {
		page.Intro = "The women in " + strings.Join(intro, "; ") + "."
	}
	seen := map[string]bool{}
	for _, k := range keys {
		if seen[k] {
			continue
		}
		seen[k] = true
		if g, ok := f.group(k); ok {
			page.Groups = append(page.Groups, g)
		}
	}
	if err := s.store.Audit(r.Context(), s.viewEvent(r, 0, "report:contact")); err != nil {
		return err
	}
	return s.render(w, r, reportStatus(page), "report-contact.html", page)
}

// reportStatus is 422 when the period asked for could not be read: the page
// says why, and shows the default period instead.
func reportStatus(p *reportPage) int {
	if p.HasErrors() {
		return http.StatusUnprocessableEntity
	}
	return http.StatusOK
}
