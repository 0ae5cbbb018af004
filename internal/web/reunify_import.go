package web

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/document"
	"haven/internal/haven"
	"haven/internal/reunify"
	"haven/internal/store"
)

// SSDA903 episodes import and export (issue 18 item 6), for the LA team.

// maxImportBody is the largest episodes file an import takes, with room for
// a form's other fields: the parser refuses anything over 64 MB itself.
const maxImportBody = 64<<20 + 64<<10

// importTeam is the actor's LA team, for a route that changes its records:
// anyone outside an LA team is told nothing (404); inside one, a role that
// may not edit is refused.
func importTeam(r *http.Request) (access.Membership, error) {
	team, err := laTeam(r)
	if err != nil {
		return team, err
	}
	if !team.Role.Has(access.PermReunifyEdit) {
		return team, haven.ErrForbidden
	}
	return team, nil
}

type importsPage struct {
	Layout
	Result   *store.ImportResult
	Problems []importProblem
	Previous []store.ImportResult
	Mode     string
	Columns  []string
	Repeat   bool   // the form was sent twice: the first import's record is shown
	Rejected string // why nothing was imported
}

// importProblem is one line of the report as the page shows it.
type importProblem struct {
	Row, Column, Value, Why string
}

func problemsOf(ps reunify.Problems) []importProblem {
	out := make([]importProblem, 0, len(ps))
	for _, p := range ps {
		ip := importProblem{Row: strconv.Itoa(p.Row), Column: p.Column, Why: p.Why, Value: p.Value}
		if p.Row == 0 {
			ip.Row = "The file"
		}
		if ip.Column == "" {
			ip.Column = "The row"
			if p.Row <= 1 {
				ip.Column = "The header"
			}
		}
		out = append(out, ip)
	}
	return out
}

func (s *Server) importsPage(r *http.Request, team access.Membership) (*importsPage, error) {
	prev, err := s.store.LAImports(r.Context(), team.TenantID, 20)
	if err != nil {
		return nil, err
	}
	return &importsPage{Layout: Layout{Title: "Import SSDA903 episodes", Nav: "la-imports"}, Previous: prev, Columns: reunify.EpisodeColumns}, nil
}

// laImports shows the upload form and the team's previous imports.
func (s *Server) laImports(w http.ResponseWriter, r *http.Request) error {
	team, err := importTeam(r)
	if err != nil {
		return err
	}
	p, err := s.importsPage(r, team)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "reunify-imports.html", p)
}

// laImportsPost checks or imports an uploaded file. A file with problems is
// answered 422 with every problem listed; nothing is written.
func (s *Server) laImportsPost(w http.ResponseWriter, r *http.Request) error {
	team, err := importTeam(r)
	if err != nil {
		return err
	}
	p, err := s.importsPage(r, team)
	if err != nil {
		return err
	}
	// The whole upload is held in memory: a file of children's episodes is
	// never spilled to a temporary file on disk.
	// #nosec G120 -- the route's maxBody already wraps the body in a MaxBytesReader (adapt, middleware.go)
	if err := r.ParseMultipartForm(maxImportBody); err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return errTooLarge
		}
		return badRequest("The form could not be read. Choose the file again and send it.")
	}
	defer r.MultipartForm.RemoveAll()
	key := r.PostFormValue(IdempotencyField)
	if !store.ValidIdempotencyKey(key) {
		return errBadKey
	}
	ctx := store.WithIdempotencyKey(r.Context(), key)
	p.idemAction, p.idemKey = "/la/imports", key
	p.Mode = r.PostFormValue("mode")
	if p.Mode != "check" && p.Mode != "import" {
		p.Errors = append(p.Errors, FieldError{Field: "mode", Message: "Choose whether to check the file or import it"})
	}
	var file []byte
	f, _, err := r.FormFile("file")
	if err != nil {
		p.Errors = append(p.Errors, FieldError{Field: "file", Message: "Select an SSDA903 episodes file"})
	} else {
		file, err = io.ReadAll(f)
		f.Close()
		if err != nil {
			return badRequest("The file could not be read. Choose it again and send it.")
		}
		if len(file) == 0 {
			p.Errors = append(p.Errors, FieldError{Field: "file", Message: "The selected file is empty"})
		}
	}
	if len(p.Errors) > 0 {
		return s.render(w, r, http.StatusUnprocessableEntity, "reunify-imports.html", p)
	}
	res, err := s.store.ImportSSDA903(ctx, s.auditEvent(r, audit.Create), team.TenantID, file, p.Mode == "check", s.today())
	if d, ok := duplicateOf(err); ok {
		// Sent twice: the first import stands; show its record.
		for _, prev := range p.Previous {
			if prev.ID == d.ID {
				p.Result, p.Repeat = &prev, true
			}
		}
		return s.render(w, r, http.StatusOK, "reunify-imports.html", p)
	}
	if err != nil {
		return err
	}
	p.Result = &res
	status := http.StatusOK
	if res.Rejected() {
		p.Problems, p.Rejected = problemsOf(res.Problems), importRejectedMessage(res)
		p.Errors = append(p.Errors, FieldError{Field: "file", Message: p.Rejected})
		status = http.StatusUnprocessableEntity
	} else if !res.DryRun {
		if p.Previous, err = s.store.LAImports(r.Context(), team.TenantID, 20); err != nil {
			return err
		}
	}
	return s.render(w, r, status, "reunify-imports.html", p)
}

func importRejectedMessage(res store.ImportResult) string {
	n := res.Problems.Rows()
	switch {
	case n == 0:
		return "The file cannot be read as an SSDA903 episodes file: nothing was imported"
	case n == 1:
		return "1 row of the file has a problem: nothing was imported"
	}
	return strconv.Itoa(n) + " rows of the file have problems: nothing was imported"
}

// apiImportResult is an import's answer on the API.
type apiImportResult struct {
	ID        int64        `json:"id,omitempty"`
	SHA256    string       `json:"sha256"`
	DryRun    bool         `json:"dryRun"`
	Rows      int          `json:"rows"`
	Added     int          `json:"added"`
	Updated   int          `json:"updated"`
	Unchanged int          `json:"unchanged"`
	Children  int          `json:"children"`
	Problems  []apiProblem `json:"problems,omitempty"`
}

type apiProblem struct {
	Row    int    `json:"row"`
	Column string `json:"column,omitempty"`
	Value  string `json:"value,omitempty"`
	Reason string `json:"reason"`
}

type apiImportRejected struct {
	apiError
	Result apiImportResult `json:"result"`
}

func toAPIImport(res store.ImportResult) apiImportResult {
	out := apiImportResult{ID: res.ID, SHA256: res.SHA256, DryRun: res.DryRun, Rows: res.Rows, Added: res.Added,
		Updated: res.Updated, Unchanged: res.Unchanged, Children: res.Children}
	for _, p := range res.Problems {
		out.Problems = append(out.Problems, apiProblem{Row: p.Row, Column: p.Column, Value: p.Value, Reason: p.Why})
	}
	return out
}

// apiImportSSDA903 takes the file as the body (a CSV media type). ?dry-run=true
// checks it only. 201 with what it did; 200 for a dry run; 422 with every
// problem and nothing written.
// csvMediaType is document.CSVType without its parameters: what a file sent to us says it is.
var csvMediaType, _, _ = mime.ParseMediaType(document.CSVType)

func (s *Server) apiImportSSDA903(w http.ResponseWriter, r *http.Request) error {
	team, err := importTeam(r)
	if err != nil {
		return err
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != csvMediaType {
		return &statusError{http.StatusUnsupportedMediaType, "Send the episodes file as the body, with Content-Type: " + csvMediaType + "."}
	}
	dryRun := false
	switch v := r.URL.Query().Get("dry-run"); v {
	case "", "false":
	case "true":
		dryRun = true
	default:
		return badRequest("dry-run must be true or false.")
	}
	ctx := r.Context()
	if key := r.Header.Get(IdempotencyHeader); key != "" {
		if !store.ValidIdempotencyKey(key) {
			return errBadKeyHeader
		}
		ctx = store.WithIdempotencyKey(ctx, key)
	}
	file, err := io.ReadAll(r.Body)
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return errTooLarge
		}
		return badRequest("The body could not be read.")
	}
	res, err := s.store.ImportSSDA903(ctx, s.auditEvent(r, audit.Create), team.TenantID, file, dryRun, s.today())
	if d, ok := duplicateOf(err); ok {
		prev, err := s.store.LAImports(r.Context(), team.TenantID, 100)
		if err != nil {
			return err
		}
		for _, p := range prev {
			if p.ID == d.ID {
				w.Header().Set(ReplayedHeader, "true")
				writeJSON(w, http.StatusCreated, toAPIImport(p))
				return nil
			}
		}
		return err
	}
	if err != nil {
		return err
	}
	switch {
	case res.Rejected():
		e := apiImportRejected{apiError: apiError{Code: apiCodes[http.StatusUnprocessableEntity], Message: importRejectedMessage(res),
			Ref: infoFrom(r.Context()).id}, Result: toAPIImport(res)}
		writeJSON(w, http.StatusUnprocessableEntity, e)
	case dryRun:
		writeJSON(w, http.StatusOK, toAPIImport(res))
	default:
		writeJSON(w, http.StatusCreated, toAPIImport(res))
	}
	return nil
}

// laEpisodesCSV downloads every episode of the team's children as an
// SSDA903 episodes file: the same format the import reads.
func (s *Server) laEpisodesCSV(w http.ResponseWriter, r *http.Request) error {
	team, err := laTeam(r)
	if err != nil {
		return err
	}
	eps, err := s.store.LAEpisodesFile(r.Context(), team.TenantID)
	if err != nil {
		return err
	}
	ev := s.auditEvent(r, audit.Export)
	ev.RecordType, ev.RecordID, ev.Section = "la-import", "team:"+strconv.FormatInt(team.TenantID, 10), "episodes"
	if err := s.store.Audit(r.Context(), ev); err != nil {
		return err
	}
	t := document.Table{Sheet: "Episodes", Header: reunify.EpisodeColumns}
	for _, rec := range reunify.EpisodeRecords(eps) {
		row := make([]document.Cell, len(rec))
		for i, v := range rec {
			row[i] = document.Text(v)
		}
		t.Rows = append(t.Rows, row)
	}
	return document.Download(w, t, "csv", "ssda903-episodes")
}
