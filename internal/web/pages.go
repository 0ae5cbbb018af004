package web

import (
	"context"
	"io/fs"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"haven/internal/access"
	"haven/internal/haven"
	"haven/internal/store"
)

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
	return nil
}

// readyz reports whether the database answers within two seconds.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := s.store.Ping(ctx); err != nil {
		s.log.Warn("readiness check failed", "error", err.Error())
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte("database unavailable\n"))
		return nil
	}
	w.Write([]byte("ok\n"))
	return nil
}

// staticFile serves the compiled styles, scripts and icons. They hold no
// personal data, so unlike pages they may be cached.
func (s *Server) staticFile(w http.ResponseWriter, r *http.Request) error {
	// Files only: a directory would be answered with a listing of what is in it.
	if fi, err := fs.Stat(s.files, strings.TrimPrefix(r.URL.Path, "/static/")); err != nil || fi.IsDir() {
		return haven.ErrNotFound
	}
	w.Header().Set("Cache-Control", "public, max-age=3600")
	s.static.ServeHTTP(w, r)
	return nil
}

type homePage struct {
	Layout
	Practices int
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	if infoFrom(r.Context()).actor != nil { // signed in: their own home, not the public page
		http.Redirect(w, r, "/home", http.StatusSeeOther)
		return nil
	}
	ps, err := s.store.ListPractices(r.Context(), store.Page{Limit: 500})
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "home.html", &homePage{Layout: Layout{Title: "Haven", Nav: "home"}, Practices: len(ps)})
}

type practiceRow struct {
	access.Practice
	Areas []access.LocalAuthority
	Staff int
}

type practicesPage struct {
	Layout
	Practices []practiceRow
}

// laCache holds the local authorities, read once: they come from ONS
// reference data loaded by a migration, and many pages name them.
type laCache struct {
	idx   map[string]access.LocalAuthority
	list  []access.LocalAuthority
	names map[string]string // by code, for lists
}

// laIndex returns the local authorities by code and in name order. Callers
// must not change what it returns.
func (s *Server) laIndex(ctx context.Context) (map[string]access.LocalAuthority, []access.LocalAuthority, error) {
	c, err := s.laCached(ctx)
	if err != nil {
		return nil, nil, err
	}
	return c.idx, c.list, nil
}

// laCached is the cache itself, read on first use; callers must not change
// its maps.
func (s *Server) laCached(ctx context.Context) (*laCache, error) {
	if c := s.las.Load(); c != nil {
		return c, nil
	}
	las, err := s.store.LocalAuthorities(ctx)
	if err != nil {
		return nil, err
	}
	c := &laCache{idx: make(map[string]access.LocalAuthority, len(las)), list: las, names: make(map[string]string, len(las))}
	for _, la := range las {
		c.idx[la.Code], c.names[la.Code] = la, la.Name
	}
	s.las.Store(c)
	return c, nil
}

func (s *Server) practiceRows(ctx context.Context) ([]practiceRow, error) {
	ps, err := s.store.ListPractices(ctx, store.Page{Limit: 500})
	if err != nil {
		return nil, err
	}
	idx, _, err := s.laIndex(ctx)
	if err != nil {
		return nil, err
	}
	staff, err := s.store.StaffCount(ctx)
	if err != nil {
		return nil, err
	}
	rows := make([]practiceRow, 0, len(ps))
	for _, p := range ps {
		row := practiceRow{Practice: p, Staff: staff[p.ID]}
		for _, c := range p.LocalAuthorities {
			row.Areas = append(row.Areas, idx[c])
		}
		rows = append(rows, row)
	}
	slices.SortFunc(rows, func(a, b practiceRow) int { return strings.Compare(a.Name, b.Name) })
	return rows, nil
}

func (s *Server) practiceList(w http.ResponseWriter, r *http.Request) error {
	rows, err := s.practiceRows(r.Context())
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "practices.html", &practicesPage{Layout: Layout{Title: "Practices", Nav: "practices"}, Practices: rows})
}

type practicePage struct {
	Layout
	Practice practiceRow
}

func (s *Server) practiceShow(w http.ResponseWriter, r *http.Request) error {
	slug := r.PathValue("slug")
	if !access.ValidSlug(slug) {
		return &statusError{http.StatusNotFound, ""}
	}
	p, err := s.store.PracticeBySlug(r.Context(), slug)
	if err != nil {
		return err
	}
	idx, _, err := s.laIndex(r.Context())
	if err != nil {
		return err
	}
	staff, err := s.store.StaffCount(r.Context())
	if err != nil {
		return err
	}
	row := practiceRow{Practice: p, Staff: staff[p.ID]}
	for _, c := range p.LocalAuthorities {
		row.Areas = append(row.Areas, idx[c])
	}
	return s.render(w, r, http.StatusOK, "practice.html", &practicePage{Layout: Layout{Title: p.Name, Nav: "practices"}, Practice: row})
}

// findPage lets anyone find the Practice that serves their area, by postcode
// or place name. The search is sent by POST so that what was typed never
// appears in a URL, and it is never logged.
type findPage struct {
	Layout
	Area     string
	Searched bool
	// District is the postcode district found when a postcode was typed:
	// only the district is shown back, never the whole postcode.
	District access.PostcodeDistrict
	Matches  []areaMatch
}

type areaMatch struct {
	Authority access.LocalAuthority
	Place     string // the council district inside it that matched, if any
	Practices []access.Practice
}

// Uncovered reports whether the search found no area a Practice covers, so
// the page should say what she can do instead.
func (p *findPage) Uncovered() bool {
	return !slices.ContainsFunc(p.Matches, func(m areaMatch) bool { return len(m.Practices) > 0 })
}

// SomeUncovered reports whether at least one area found has no Practice.
func (p *findPage) SomeUncovered() bool {
	return slices.ContainsFunc(p.Matches, func(m areaMatch) bool { return len(m.Practices) == 0 })
}

const maxAreaQuery = 100

func (s *Server) findPracticeForm(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "find.html", &findPage{Layout: Layout{Title: "Find a Practice near you", Nav: "find"}})
}

func (s *Server) findPractice(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	p := &findPage{Layout: Layout{Title: "Find a Practice near you", Nav: "find"}, Area: r.PostFormValue("area")}
	q := strings.TrimSpace(p.Area)
	switch {
	case q == "":
		p.Errors = []FieldError{{"area", "Enter a postcode or place name"}}
	case utf8.RuneCountInString(q) > maxAreaQuery:
		p.Errors = []FieldError{{"area", "Postcode or place name must be 100 characters or fewer"}}
	}
	if p.HasErrors() {
		return s.render(w, r, http.StatusUnprocessableEntity, "find.html", p)
	}
	_, las, err := s.laIndex(r.Context())
	if err != nil {
		return err
	}
	found := access.FindAreas(q, las, 20)
	if found.Postcode && found.District.District == "" {
		p.Errors = []FieldError{{"area", "Enter a postcode in England, like LS6 1AA, or a place name"}}
		return s.render(w, r, http.StatusUnprocessableEntity, "find.html", p)
	}
	practices, err := s.store.ListPractices(r.Context(), store.Page{Limit: 500})
	if err != nil {
		return err
	}
	p.Searched, p.District = true, found.District
	for _, f := range found.Matches {
		m := areaMatch{Authority: f.Authority, Place: f.Place}
		for _, pr := range practices {
			if slices.Contains(pr.LocalAuthorities, f.Authority.Code) {
				m.Practices = append(m.Practices, pr)
			}
		}
		p.Matches = append(p.Matches, m)
	}
	return s.render(w, r, http.StatusOK, "find.html", p)
}

type infoPage struct{ Layout }

// info serves a page of fixed text: the accessibility statement, privacy notice and cookies.
func (s *Server) info(name, title string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		return s.render(w, r, http.StatusOK, name, &infoPage{Layout{Title: title}})
	}
}
