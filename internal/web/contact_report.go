package web

import (
	"net/http"
	"slices"
	"strconv"

	"haven/internal/access"
	"haven/internal/contact"
	"haven/internal/haven"
	"haven/internal/store"
)

// reportPage shows contact measures for a period: counts only, with small
// numbers suppressed, beside the national figures and their source.
type reportPage struct {
	Layout
	From, To     dateField
	Groups       []reportGroup
	Organisation bool // the organisation-level page
	CanOrg       bool // may see the organisation-level page
	Source       string
	SourceURL    string
	Changed      contact.Benchmark
	NoReason     contact.Benchmark
}

type reportGroup struct {
	Name   string
	Report contact.Report
}

// measureRow is one line of a report: the measure, and the national figure beside it if there is one.
type measureRow struct {
	Name     string
	M        contact.Measure
	National string
}

// Rows lists the group's measures in the order the report shows them.
func (g reportGroup) Rows() []measureRow {
	r := g.Report
	changed, noReason := strconv.Itoa(contact.BenchmarkChanged.Percent)+"%", strconv.Itoa(contact.BenchmarkNoReason.Percent)+"%"
	return []measureRow{
		{"Women whose arrangements changed", r.WomenChanged, changed},
		{"Changes where no reason was given, or it is not known", r.ChangesNoReason, noReason},
		{"Women whose arrangements changed with at least one change not explained", r.WomenUnexplained, noReason},
		{"Letterbox arrangements reviewed in the 12 months to the end of the period", r.LetterboxReviewed, ""},
		{"Women with face-to-face contact when they started the programme", r.DirectAtStart, ""},
		{"Women with face-to-face contact when they left the programme", r.DirectAtExit, ""},
	}
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

// contactReport is each of the actor's Practices.
func (s *Server) contactReport(w http.ResponseWriter, r *http.Request) error {
	actor := infoFrom(r.Context()).actor
	page := newReportPage("Contact with children: Practice report")
	page.CanOrg = actor.Can(access.PermAggregates)
	from, to := s.reportPeriod(r, page)
	seen := map[int64]bool{}
	var groups []store.ReportGroup
	for _, m := range actor.Memberships {
		if m.TenantKind != access.TenantPractice || !m.Role.Has(access.PermPracticeView) || seen[m.TenantID] {
			continue
		}
		seen[m.TenantID] = true
		groups = append(groups, store.ReportGroup{Name: m.TenantName, PracticeIDs: []int64{m.TenantID}})
	}
	reports, err := s.store.ContactReports(r.Context(), groups, from, to)
	if err != nil {
		return err
	}
	for i, g := range groups {
		page.Groups = append(page.Groups, reportGroup{Name: g.Name, Report: reports[i]})
	}
	if err := s.store.Audit(r.Context(), s.viewEvent(r, 0, "report:contact")); err != nil {
		return err
	}
	return s.render(w, r, reportStatus(page), "report-contact.html", page)
}

// contactReportOrganisation is each whole organisation the actor reports on:
// their own for leads and co-ordinators, every one (and the total) for national analysts.
func (s *Server) contactReportOrganisation(w http.ResponseWriter, r *http.Request) error {
	actor := infoFrom(r.Context()).actor
	page := newReportPage("Contact with children: organisation report")
	page.Organisation, page.CanOrg = true, true
	from, to := s.reportPeriod(r, page)
	national := false
	for _, m := range actor.Memberships {
		if m.TenantKind == access.TenantNational && m.Role.Has(access.PermAggregates) {
			national = true
		}
	}
	practices, err := s.store.ListPractices(r.Context(), store.Page{Limit: 500})
	if err != nil {
		return err
	}
	orgs, err := s.store.ListOrganisations(r.Context())
	if err != nil {
		return err
	}
	mine := actor.PracticeIDs(access.PermAggregates)
	var groups []store.ReportGroup
	var all []int64
	for _, o := range orgs {
		var ids []int64
		allowed := national
		for _, p := range practices {
			if p.OrganisationID == o.ID {
				ids = append(ids, p.ID)
				allowed = allowed || slices.Contains(mine, p.ID)
			}
		}
		if !allowed || len(ids) == 0 {
			continue
		}
		groups = append(groups, store.ReportGroup{Name: o.Name, PracticeIDs: ids})
		all = append(all, ids...)
	}
	if national && len(groups) > 1 {
		groups = append(groups, store.ReportGroup{Name: "All organisations", PracticeIDs: all})
	}
	// One read of the records for every group.
	reports, err := s.store.ContactReports(r.Context(), groups, from, to)
	if err != nil {
		return err
	}
	for i, g := range groups {
		page.Groups = append(page.Groups, reportGroup{Name: g.Name, Report: reports[i]})
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
