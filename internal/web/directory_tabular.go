package web

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strconv"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/directory"
	"haven/internal/document"
	"haven/internal/haven"
	"haven/internal/store"
)

// The directory in the HSDS tabular form (issue 20 item 6): editors import
// a CSV data package, checked row by row and written all or nothing; anyone
// may download the public directory as the same package.

// dirImportBody is the largest request an import reads: the package limit
// and room for the form around it. The route's own limit is larger, so that
// a file over this one is told so by this page and not by a bare error.
const (
	dirImportBody  = 10<<20 + 64<<10
	dirImportRoute = 64 << 20
)

// dirImportPage is the upload form and, after an upload, its report.
type dirImportPage struct {
	Layout
	MaxMB    int64
	Report   *directory.Report
	Result   *store.DirImportResult
	Rejected []dirRejection
}

// dirRejection is one refused row as the page shows it.
type dirRejection struct{ File, Row, Column, Reason string }

func newDirImportPage() *dirImportPage {
	return &dirImportPage{Layout: Layout{Title: "Import directory entries", Nav: "directory-queue"}, MaxMB: directory.DefaultLimits.Upload >> 20}
}

func (s *Server) dirImportForm(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "directory-import.html", newDirImportPage())
}

func (s *Server) dirImport(w http.ResponseWriter, r *http.Request) error {
	p := newDirImportPage()
	tooLarge := func() error {
		p.Errors = []FieldError{{Field: "file", Message: "The file must be smaller than " + strconv.FormatInt(p.MaxMB, 10) + " MB"}}
		return s.render(w, r, http.StatusRequestEntityTooLarge, "directory-import.html", p)
	}
	if r.ContentLength > dirImportBody {
		return tooLarge()
	}
	r.Body = http.MaxBytesReader(w, r.Body, dirImportBody)
	// The package is held in memory (it is at most 10 MB), never on disk.
	// #nosec G120 -- the body is wrapped in a MaxBytesReader just above
	if err := r.ParseMultipartForm(dirImportBody); err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return tooLarge()
		}
		return badRequest("The form could not be read. Choose the file again and send it.")
	}
	defer r.MultipartForm.RemoveAll()
	var data []byte
	if f, _, err := r.FormFile("file"); err != nil {
		p.Errors = []FieldError{{Field: "file", Message: "Select a CSV data package (.zip file)"}}
	} else {
		data, err = io.ReadAll(f)
		f.Close()
		if err != nil {
			return badRequest("The file could not be read. Choose it again and send it.")
		}
		if len(data) == 0 {
			p.Errors = []FieldError{{Field: "file", Message: "The selected file is empty"}}
		}
	}
	if len(p.Errors) > 0 {
		return s.render(w, r, http.StatusUnprocessableEntity, "directory-import.html", p)
	}
	ctx := r.Context()
	imp, err := directory.ReadPackage(data, directory.ReadOptions{
		KnownArea: func(code string) bool { _, ok := access.LocalAuthorityByCode(code); return ok },
		KnownOrganisation: func(id string) bool {
			ok, err := s.store.DirOrganisationExists(ctx, id)
			return err == nil && ok
		},
	})
	if pe, ok := errors.AsType[*directory.PackageError](err); ok {
		p.Errors = []FieldError{{Field: "file", Message: pe.Message}}
		return s.render(w, r, http.StatusUnprocessableEntity, "directory-import.html", p)
	}
	if err != nil {
		return err
	}
	p.Report = &imp.Report
	if len(imp.Report.Rejected) > 0 {
		for _, rj := range imp.Report.Rejected {
			row := dirRejection{File: rj.File, Row: strconv.Itoa(rj.Row), Column: rj.Column, Reason: rj.Reason}
			if row.Column == "" {
				row.Column = "The row"
			}
			p.Rejected = append(p.Rejected, row)
		}
		p.Errors = []FieldError{{Field: "file", Message: "Nothing was imported: " + haven.Count(len(p.Rejected)) + " " + plural(len(p.Rejected), "row was", "rows were") + " refused"}}
		return s.render(w, r, http.StatusUnprocessableEntity, "directory-import.html", p)
	}
	res, err := s.store.ImportDirectory(ctx, s.auditEvent(r, audit.Update), imp, editorName(r))
	if errors.Is(err, haven.ErrConflict) || errors.Is(err, haven.ErrInvalid) {
		// A location or other record the package gives is another
		// service's in Haven already.
		p.Errors = []FieldError{{Field: "file", Message: "Nothing was imported: an id in the package belongs to a different record in Haven (a location, contact, phone or schedule of another service)"}}
		return s.render(w, r, http.StatusUnprocessableEntity, "directory-import.html", p)
	}
	if err != nil {
		return err
	}
	p.Result = &res
	return s.render(w, r, http.StatusOK, "directory-import.html", p)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// dirExport is the public directory as open data: the services and
// organisations the Open Referral API shows, in the same fields, with no
// field history (it names who made each change).
func (s *Server) dirExport(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var services []directory.Service
	for page := 1; ; page++ {
		ss, total, err := s.store.ListServices(ctx, directory.Query{Page: page, PerPage: directory.MaxPerPage})
		if err != nil {
			return err
		}
		services = append(services, ss...)
		if page*directory.MaxPerPage >= total || len(ss) == 0 {
			break
		}
	}
	var orgs []directory.Organisation
	for page := 1; ; page++ {
		os, total, err := s.store.ListDirOrganisations(ctx, directory.Query{Page: page, PerPage: directory.MaxPerPage})
		if err != nil {
			return err
		}
		orgs = append(orgs, os...)
		if page*directory.MaxPerPage >= total || len(os) == 0 {
			break
		}
	}
	var buf bytes.Buffer
	err := directory.WritePackage(&buf, orgs, services, func(code string) string {
		if la, ok := access.LocalAuthorityByCode(code); ok {
			return la.Name
		}
		return code
	}, directory.CSV{Write: document.WriteCSVRows, MediaType: document.CSVMediaType})
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "public, max-age=300")
	document.Send(w, buf.Bytes(), "application/zip", "haven-directory-hsds.zip")
	return nil
}
