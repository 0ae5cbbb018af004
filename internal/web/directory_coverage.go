package web

import (
	"context"
	"net/http"
	"strings"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/directory"
	"haven/internal/document"
)

// Coverage for commissioners (issue 20 item 5): the upper-tier authorities
// no service covers, and the directory's services counted by status,
// funding, model, host, who is supported and the reproductive-health offer.
// The page and its CSV and XLSX downloads are made from the same tables.
// These are counts of services, not of people, so nothing is suppressed;
// each view and download still writes an audit row, as the other
// aggregate pages do.

// dirCoverage is the directory counted: the map's areas with their cover
// (the map's own rule, directory.CoverByArea) and the summary tables.
type dirCoverage struct {
	Areas     int       // upper-tier authorities in England
	Levels    dirLevels // how many areas at each level of cover, as the map keys them
	Uncovered []mapArea // the areas with no covering service, by name
	Summary   directory.Summary
}

// dirLevels are the map key's three counts.
type dirLevels struct{ None, Service, Pause int }

func (s *Server) dirCoverage(ctx context.Context) (dirCoverage, error) {
	m, err := directory.England()
	if err != nil {
		return dirCoverage{}, err
	}
	all, err := s.allServices(ctx, directory.Query{})
	if err != nil {
		return dirCoverage{}, err
	}
	cover := directory.CoverByArea(all)
	c := dirCoverage{Areas: len(m.Areas), Summary: directory.Summarise(all)}
	for _, a := range m.Areas {
		ac := cover[a.Code]
		switch {
		case ac.Pause:
			c.Levels.Pause++
		case ac.Services > 0:
			c.Levels.Service++
		default:
			c.Levels.None++
			ma := mapArea{Code: a.Code, Name: a.Name}
			if la, ok := access.LocalAuthorityByCode(a.Code); ok {
				ma.Region = la.RegionName
			}
			c.Uncovered = append(c.Uncovered, ma)
		}
	}
	return c, nil
}

// dirCoveringText names the statuses that count, as the page says it.
func dirCoveringText() string {
	var names []string
	for _, st := range directory.CoveringStatuses() {
		names = append(names, string(st))
	}
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// dirTallyTable is one table of the page and the downloads.
type dirTallyTable struct {
	ID, Caption, Label string // the table's anchor, caption and first column's header
	Sheet              string // its worksheet's name: at most 31 characters
	Note               string // what a reader must know to add it up
	Rows               []directory.Tally
}

type dirCoveragePage struct {
	Layout
	dirCoverage
	Covering    string // the statuses that count, in words
	Tables      []dirTallyTable
	CSV, XLSX   string
	StatusTable []dirStatusRow
}

// dirStatusRow is one status: whether it counts, and how many have it.
type dirStatusRow struct {
	Label  string
	Covers bool
	All    int
}

// tallyTables are the funding and taxonomy tables, in the page's order.
func (c dirCoverage) tallyTables() []dirTallyTable {
	ts := []dirTallyTable{{ID: "funding", Caption: "Services by funding", Label: "Funding", Sheet: "By funding", Rows: c.Summary.ByFunding}}
	for _, tt := range c.Summary.ByTaxonomy {
		t := dirTallyTable{ID: strings.ToLower(strings.ReplaceAll(tt.Taxonomy.Name, " ", "-")), Caption: "Services by " + strings.ToLower(tt.Taxonomy.Name),
			Label: tt.Taxonomy.Name, Sheet: "By " + strings.ToLower(tt.Taxonomy.Name), Rows: tt.Rows}
		if tt.Taxonomy.Many {
			t.Note = "A service may work with more than one group, so it may be counted in more than one row."
		}
		ts = append(ts, t)
	}
	return ts
}

func (c dirCoverage) statusRows() []dirStatusRow {
	var out []dirStatusRow
	for i, st := range directory.Statuses {
		out = append(out, dirStatusRow{Label: st.Label(), Covers: st.Covers(), All: c.Summary.ByStatus[i].All})
	}
	return out
}

// coverageAudit records a view or download of the coverage.
func (s *Server) coverageAudit(r *http.Request, action audit.Action, section string) error {
	ev := s.auditEvent(r, action)
	ev.RecordType, ev.Section = "directory-coverage", section
	return s.store.Audit(r.Context(), ev)
}

func (s *Server) directoryCoverage(w http.ResponseWriter, r *http.Request) error {
	c, err := s.dirCoverage(r.Context())
	if err != nil {
		return err
	}
	nav := "directory-queue"
	if infoFrom(r.Context()).actor.Can(access.PermAggregates) {
		nav = "reports"
	}
	p := &dirCoveragePage{Layout: Layout{Title: "Coverage of the directory", Nav: nav}, dirCoverage: c, Covering: dirCoveringText(),
		Tables: c.tallyTables(), StatusTable: c.statusRows(), CSV: "/directory/coverage.csv", XLSX: "/directory/coverage.xlsx"}
	if err := s.coverageAudit(r, audit.View, "page"); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "directory-coverage.html", p)
}

// coverageDownload sends the page's tables, one section or sheet each.
func (s *Server) coverageDownload(format string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		c, err := s.dirCoverage(r.Context())
		if err != nil {
			return err
		}
		if err := s.coverageAudit(r, audit.Export, format); err != nil {
			return err
		}
		return document.DownloadSections(w, format, "directory-coverage-"+s.today().String(), coverageTables(c)...)
	}
}

// coverageTables are the downloads' tables: a summary, the authorities with
// no service, services by status, then the page's tally tables.
func coverageTables(c dirCoverage) []document.Table {
	n := func(v int) document.Cell { return document.Int(int64(v)) }
	summary := document.Table{Sheet: "Summary", Header: []string{"Measure", "Value"}, Rows: [][]document.Cell{
		{document.Text("Upper-tier local authorities in England"), n(c.Areas)},
		{document.Text("Authorities with no service"), n(c.Levels.None)},
		{document.Text("Authorities covered by a service"), n(c.Levels.Service)},
		{document.Text("Authorities covered by a Pause Practice"), n(c.Levels.Pause)},
		{document.Text("Services in the directory"), n(c.Summary.Services)},
		{document.Text("Services that count towards coverage (" + dirCoveringText() + ")"), n(c.Summary.Covering)},
	}}
	none := document.Table{Sheet: "Authorities with no service", Header: []string{"Local authority", "ONS code", "Region"}}
	for _, a := range c.Uncovered {
		none.Rows = append(none.Rows, []document.Cell{document.Text(a.Name), document.Text(a.Code), document.Text(a.Region)})
	}
	status := document.Table{Sheet: "By status", Header: []string{"Status", "Counts towards coverage", "Services"}}
	for _, row := range c.statusRows() {
		status.Rows = append(status.Rows, []document.Cell{document.Text(row.Label), document.Text(yesNo(row.Covers)), n(row.All)})
	}
	out := []document.Table{summary, none, status}
	for _, t := range c.tallyTables() {
		dt := document.Table{Sheet: t.Sheet, Header: []string{t.Label, "Services that count towards coverage", "All services"}}
		for _, row := range t.Rows {
			dt.Rows = append(dt.Rows, []document.Cell{document.Text(row.Label), n(row.Covering), n(row.All)})
		}
		out = append(out, dt)
	}
	return out
}

func yesNo(b bool) string {
	if b {
		return "Yes"
	}
	return "No"
}
