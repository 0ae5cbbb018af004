package web

import (
	"bytes"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/contact"
	"haven/internal/document"
	"haven/internal/evaluate"
	"haven/internal/store"
)

// The pseudonymised extract for evaluators (issue 17 item 8, and the API's
// GET /api/v1/evaluation/extract.csv of item 10). Who may download it:
// Practice leads, their own Practice (PermExtract); national analysts see
// only suppressed aggregates (item 7), so not this. Every download needs the password and code given in the
// last five minutes (S13) and writes an export row to the audit trail that
// names the scope and the number of rows, never their content.
//
// Through the API a token cannot type a password, so the call is accepted
// only if the token's owner confirmed who she is in a browser session in
// the last five minutes (the same window as the pages'): she confirms at
// /evaluation/extract, then her script has five minutes to fetch the file.
// A stolen token alone therefore never yields the extract.

// extractPage explains the extract, shows its dictionary and offers the downloads.
type extractPage struct {
	Layout
	Columns  []evaluate.Column
	Scope    string
	National bool
}

// extractScope is which Practices' enrolments the actor may extract: every
// one for a national role that holds PermExtract, else her own.
func extractScope(actor *access.Actor, practices []access.Practice) (ps []access.Practice, national bool) {
	for _, m := range actor.Memberships {
		if m.TenantKind == access.TenantNational && m.Role.Has(access.PermExtract) {
			return practices, true
		}
	}
	own := actor.PracticeIDs(access.PermExtract)
	for _, p := range practices {
		if slices.Contains(own, p.ID) {
			ps = append(ps, p)
		}
	}
	return ps, false
}

func (s *Server) extractPractices(r *http.Request) ([]access.Practice, bool, error) {
	all, err := s.store.ListPractices(r.Context(), store.Page{Limit: 500})
	if err != nil {
		return nil, false, err
	}
	ps, national := extractScope(infoFrom(r.Context()).actor, all)
	if len(ps) == 0 {
		return nil, false, &statusError{http.StatusForbidden, "You do not hold a role that may download the extract for any Practice."}
	}
	return ps, national, nil
}

func outcomeCodes() []string {
	var out []string
	for _, c := range contact.Outcomes() {
		out = append(out, c.Value)
	}
	return out
}

func (s *Server) extractInfo(w http.ResponseWriter, r *http.Request) error {
	ps, national, err := s.extractPractices(r)
	if err != nil {
		return err
	}
	p := &extractPage{Layout: Layout{Title: "Pseudonymised extract for evaluators", Nav: "reports"}, National: national,
		Columns: evaluate.BuildExtract(evaluate.ExtractInput{Outcomes: outcomeCodes()}).Columns}
	if national {
		p.Scope = "every Practice"
	} else {
		names := make([]string, len(ps))
		for i, pr := range ps {
			names[i] = pr.Name
		}
		p.Scope = strings.Join(names, ", ")
	}
	return s.render(w, r, http.StatusOK, "evaluation-extract.html", p)
}

// extractDownload sends the extract as CSV or XLSX (with the dictionary as
// its second sheet). The file is made in full, then the audit row written,
// then the file sent: a failure at any step sends nothing.
func (s *Server) extractDownload(format string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if isAPI(r) {
			if err := s.confirmedRecently(r); err != nil {
				return err
			}
		}
		ps, national, err := s.extractPractices(r)
		if err != nil {
			return err
		}
		x, err := s.buildExtract(r, ps)
		if err != nil {
			return err
		}
		data, dict := extractTables(x)
		var b bytes.Buffer
		ctype := document.CSVType
		if format == "xlsx" {
			ctype = document.XLSXType
			err = document.WriteWorkbook(&b, data, dict)
		} else {
			err = document.WriteCSV(&b, data)
		}
		if err != nil {
			return err
		}
		ev := s.auditEvent(r, audit.Export)
		ev.RecordType, ev.RecordID = "evaluation-extract", extractScopeName(ps, national)
		ev.Section = format + ", " + strconv.Itoa(len(x.Rows)) + " rows"
		if err := s.store.Audit(r.Context(), ev); err != nil {
			return err
		}
		// S35: an export is a security event. The line names no Practice and no row.
		s.log.Log(r.Context(), securityLevel(audit.Export), "security event", "event", string(audit.Export), "record_type", ev.RecordType,
			"request_id", ev.RequestID, "user_id", ev.UserID)
		document.Send(w, b.Bytes(), ctype, "haven-extract-"+x.AsOf.String()+"."+format)
		return nil
	}
}

// extractScopeName is the scope as the audit trail records it: "all
// Practices" or the Practices' short names.
func extractScopeName(ps []access.Practice, national bool) string {
	if national {
		return "all Practices"
	}
	slugs := make([]string, len(ps))
	for i, p := range ps {
		slugs[i] = p.Slug
	}
	return strings.Join(slugs, ",")
}

// confirmedRecently is the API's re-authentication: the token's owner gave
// her password and code in a browser session within the last five minutes.
func (s *Server) confirmedRecently(r *http.Request) error {
	sessions, err := s.store.UserSessions(r.Context(), infoFrom(r.Context()).actor.User.ID)
	if err != nil {
		return err
	}
	for _, sess := range sessions {
		if sess.MFAPassed && s.now().Sub(sess.AuthedAt) <= reauthRequired {
			return nil
		}
	}
	return &statusError{http.StatusForbidden, "Confirm it is you first: sign in to Haven, open Evaluation, Pseudonymised extract, choose Confirm it is you, then call again within five minutes."}
}

// buildExtract reads every enrolment of the Practices with its phase and
// measures (five queries in all, however many women) and makes the rows.
func (s *Server) buildExtract(r *http.Request, ps []access.Practice) (evaluate.Extract, error) {
	ctx := r.Context()
	ids := make([]int64, len(ps))
	slugs := make(map[int64]string, len(ps))
	for i, p := range ps {
		ids[i], slugs[p.ID] = p.ID, p.Slug
	}
	secret, err := s.store.ExtractSecret(ctx)
	if err != nil {
		return evaluate.Extract{}, err
	}
	js, err := s.store.Journeys(ctx, ids)
	if err != nil {
		return evaluate.Extract{}, err
	}
	phases, err := s.store.EnrolmentPhases(ctx, ids)
	if err != nil {
		return evaluate.Extract{}, err
	}
	readings, err := s.store.ExtractReadings(ctx, ids)
	if err != nil {
		return evaluate.Extract{}, err
	}
	return evaluate.BuildExtract(evaluate.ExtractInput{Secret: secret, AsOf: s.today(), Journeys: js, Phases: phases,
		Practices: slugs, Readings: readings, Outcomes: outcomeCodes()}), nil
}

// extractTables is the extract as a document table, and its dictionary as a second.
func extractTables(x evaluate.Extract) (data, dict document.Table) {
	data = document.Table{Sheet: "Extract"}
	dict = document.Table{Sheet: "Data dictionary", Header: []string{"Column", "Type", "Allowed values", "Meaning"}}
	for _, c := range x.Columns {
		data.Header = append(data.Header, c.Name)
		dict.Rows = append(dict.Rows, []document.Cell{document.Text(c.Name), document.Text(c.Type), document.Text(c.Allowed), document.Text(c.Meaning)})
	}
	data.Rows = make([][]document.Cell, len(x.Rows))
	for i, row := range x.Rows {
		cells := make([]document.Cell, len(row))
		for j, v := range row {
			switch v.Kind {
			case evaluate.Text:
				cells[j] = document.Text(v.Text)
			case evaluate.Whole:
				cells[j] = document.Int(v.Int)
			case evaluate.Decimal:
				cells[j] = document.Number(float64(v.Int) / 100)
			default:
				cells[j] = document.Text("")
			}
		}
		data.Rows[i] = cells
	}
	return data, dict
}
