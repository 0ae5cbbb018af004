package web

import (
	"errors"
	"io"
	"net/http"
	"strings"

	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/measure"
)

// starSection is her imported Outcomes Star readings on her measures page:
// a plain table, never a Star or a chart (the Star is Triangle's, licensed),
// and the import form only when the deployment holds a licence.
type starSection struct {
	Licensed bool
	Readings []measure.StarReading
	Problems []string // the file's problems, row by row, after a refused import
}

// starSectionFor reads her readings and whether the deployment may import.
func (s *Server) starSectionFor(r *http.Request, personID int64) (starSection, error) {
	_, licensed, err := s.store.StarLicence(r.Context())
	if err != nil {
		return starSection{}, err
	}
	rs, err := s.store.StarReadings(r.Context(), personID)
	return starSection{Licensed: licensed, Readings: rs}, err
}

// importStar is POST /people/{ref}/measures/star: a CSV of her readings,
// stored all or nothing. Without a licence the route refuses (403).
func (s *Server) importStar(w http.ResponseWriter, r *http.Request) error {
	p, _, err := s.measurePerson(r)
	if err != nil {
		return err
	}
	if _, licensed, err := s.store.StarLicence(r.Context()); err != nil {
		return err
	} else if !licensed {
		return haven.ErrForbidden
	}
	var problems []string
	data, ferr := starUpload(r)
	if ferr != "" {
		problems = []string{ferr}
	} else {
		rs, errs := measure.ParseStarCSV(data, s.today())
		for _, e := range errs {
			problems = append(problems, e.String())
		}
		if len(errs) == 0 {
			err := s.store.ImportStarReadings(r.Context(), s.auditEvent(r, audit.Create), p.ID, rs, infoFrom(r.Context()).actor.User.ID)
			if err != nil {
				return err
			}
			s.saved(w, r, "/people/"+p.Ref+"/measures#outcomes-star", "star-readings")
			return nil
		}
	}
	page, err := s.measuresData(r)
	if err != nil {
		return err
	}
	page.Star.Problems = problems
	for _, m := range problems {
		page.Errors = append(page.Errors, FieldError{"starFile", m})
	}
	return s.render(w, r, http.StatusUnprocessableEntity, "measures.html", page)
}

// starUpload reads the uploaded file, or says what is wrong with the upload.
func starUpload(r *http.Request) ([]byte, string) {
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		return nil, "Choose a CSV file of her Outcomes Star readings"
	}
	// #nosec G120 -- the route's maxBody already wraps the body in a MaxBytesReader (adapt, middleware.go)
	if err := r.ParseMultipartForm(measure.StarMaxFile + 64<<10); err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return nil, "The file must be 256 KB or smaller"
		}
		return nil, "The file could not be read. Choose it again and try again"
	}
	f, _, err := r.FormFile("starFile")
	if err != nil {
		return nil, "Choose a CSV file of her Outcomes Star readings"
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, measure.StarMaxFile+1))
	if err != nil {
		return nil, "The file could not be read. Choose it again and try again"
	}
	if len(data) > measure.StarMaxFile {
		return nil, "The file must be 256 KB or smaller"
	}
	return data, ""
}

// saveStarLicence is POST /admin/measures/star-licence.
func (s *Server) saveStarLicence(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	page, err := s.registrationsData(r)
	if err != nil {
		return err
	}
	v := r.PostFormValue
	f := starLicenceForm{Reference: strings.TrimSpace(v("licence")), Day: v("licensedOn-day"), Month: v("licensedOn-month"), Year: v("licensedOn-year")}
	fields := map[string]string{}
	on, derr := haven.ParseDateParts("Date of the licence", f.Day, f.Month, f.Year)
	switch {
	case derr != nil:
		fields["licensedOn"] = derr.Error()
	case !on.IsZero() && s.today().Before(on):
		fields["licensedOn"] = "The date of the licence must be today or in the past"
	}
	if len(fields) == 0 {
		err := s.store.SaveStarLicence(r.Context(), s.auditEvent(r, audit.Update), measure.Registration{Reference: f.Reference, On: on}, infoFrom(r.Context()).actor.User.ID)
		he, _ := errors.AsType[*haven.Error](err)
		switch {
		case err == nil:
			s.saved(w, r, "/admin/measures", "star-licence")
			return nil
		case he != nil && he.Kind == haven.KindInvalid:
			fields = he.Fields
		default:
			return err
		}
	}
	page.Licence = f
	page.Errors = fieldErrors(fields, "licence", "licensedOn")
	return s.render(w, r, http.StatusUnprocessableEntity, "admin-measures.html", page)
}

type starLicenceForm struct {
	Reference, Day, Month, Year string
}
