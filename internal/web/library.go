package web

import (
	"html"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"haven/internal/access"
	"haven/internal/haven"
	"haven/internal/library"
)

// The resource library's public pages (issue 21 item 2): search and browse
// with MOJ Frontend's filter component, one page per resource. They are
// plain GET pages that work without JavaScript. Nothing on them is personal
// data, so viewing them writes no audit row; a resource nobody has
// published yet is not found here.

// libOption is one checkbox of a facet, with its count.
type libOption struct {
	Code, Name string
	Count      int
	Checked    bool
}

// libFacet is one facet's fieldset of checkboxes.
type libFacet struct {
	Legend, Param string
	Options       []libOption
}

// libTag is one chosen filter, as a link that removes it.
type libTag struct{ Name, Href string }

type libTagGroup struct {
	Heading string
	Tags    []libTag
}

// libHit is one result as the list shows it.
type libHit struct {
	Resource library.Resource
	Type     string
	Snippet  template.HTML // escaped, with <mark> around matched words
	Topics   []string
}

// libPageLink is one item of GOV.UK pagination.
type libPageLink struct {
	Number   int
	Href     string
	Current  bool
	Ellipsis bool
}

type libPagination struct {
	Prev, Next string
	Pages      []libPageLink
}

type libraryPage struct {
	Layout
	Query      string
	Facets     []libFacet
	Selected   []libTagGroup
	Hits       []libHit
	Total      int
	Featured   []library.Resource
	Paging     libPagination
	Searching  bool // text or a filter was given
	CanPropose bool
}

// libMaxPage bounds how deep a results list may be paged.
const libMaxPage = 500

// libFacets are the facets in the order the filter shows them: URL
// parameter, legend, options, and where the store's counts are.
var libFacets = []struct {
	param, legend string
	opts          []library.Option
	counts        func(library.Results) map[string]int
	chosen        func(*library.Filter) *[]string
}{
	{"topic", "Topic", library.Topics, func(r library.Results) map[string]int { return r.Topics }, func(f *library.Filter) *[]string { return &f.Topics }},
	{"type", "Type", library.Types, func(r library.Results) map[string]int { return r.Types }, func(f *library.Filter) *[]string { return &f.Types }},
	{"audience", "Audience", library.Audiences, func(r library.Results) map[string]int { return r.Audiences }, func(f *library.Filter) *[]string { return &f.Audiences }},
}

// highlight escapes a snippet and only then turns the store's sentinels
// into <mark> elements, so no stored text can become markup. Unbalanced
// sentinels (a snippet cut between them) lose their marks.
func highlight(s string) template.HTML {
	e := html.EscapeString(s)
	if strings.Count(e, library.MarkStart) != strings.Count(e, library.MarkEnd) {
		return template.HTML(strings.NewReplacer(library.MarkStart, "", library.MarkEnd, "").Replace(e)) // #nosec G203 -- escaped above
	}
	return template.HTML(strings.NewReplacer(library.MarkStart, "<mark>", library.MarkEnd, "</mark>").Replace(e)) // #nosec G203 -- escaped above; only <mark> is added
}

// libraryFilter reads a search from the address; problems name the field.
func libraryFilter(v url.Values) (library.Filter, []FieldError) {
	f := library.Filter{Text: strings.TrimSpace(v.Get("q")), Page: 1, PerPage: library.PerPage}
	var errs []FieldError
	if utf8.RuneCountInString(f.Text) > library.MaxQuery {
		errs = append(errs, FieldError{"q", "Search must be " + strconv.Itoa(library.MaxQuery) + " characters or fewer"})
	}
	for _, fc := range libFacets {
		for _, code := range v[fc.param] {
			if !library.Has(fc.opts, code) {
				errs = append(errs, FieldError{fc.param + "-" + fc.opts[0].Code, "Choose each " + strings.ToLower(fc.legend) + " from the list"})
				break
			}
			if ch := fc.chosen(&f); !slices.Contains(*ch, code) {
				*ch = append(*ch, code)
			}
		}
	}
	if p := v.Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > libMaxPage {
			errs = append(errs, FieldError{"q", "Page must be a number from 1 to " + strconv.Itoa(libMaxPage)})
		} else {
			f.Page = n
		}
	}
	return f, errs
}

// libraryQuery is the address of a search, page 1 unless page is above it.
func libraryQuery(f library.Filter, page int) string {
	v := url.Values{}
	if f.Text != "" {
		v.Set("q", f.Text)
	}
	for _, fc := range libFacets {
		for _, c := range *fc.chosen(&f) {
			v.Add(fc.param, c)
		}
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	if len(v) == 0 {
		return "/library"
	}
	return "/library?" + v.Encode()
}

// libPages is GOV.UK pagination: first, last, and the pages either side
// of the current one, with ellipses between.
func libPages(f library.Filter, total int) libPagination {
	last := (total + f.PerPage - 1) / f.PerPage
	var p libPagination
	if last <= 1 {
		return p
	}
	if f.Page > 1 {
		p.Prev = libraryQuery(f, f.Page-1)
	}
	if f.Page < last {
		p.Next = libraryQuery(f, f.Page+1)
	}
	gap := false
	for n := 1; n <= last; n++ {
		if n == 1 || n == last || (n >= f.Page-1 && n <= f.Page+1) {
			p.Pages = append(p.Pages, libPageLink{Number: n, Href: libraryQuery(f, n), Current: n == f.Page})
			gap = false
		} else if !gap {
			p.Pages = append(p.Pages, libPageLink{Ellipsis: true})
			gap = true
		}
	}
	return p
}

func (s *Server) libraryIndex(w http.ResponseWriter, r *http.Request) error {
	f, errs := libraryFilter(r.URL.Query())
	p := &libraryPage{Layout: Layout{Title: "Resource library", Nav: "library", Errors: errs}, Query: f.Text,
		Searching: f.Text != "" || len(f.Topics)+len(f.Types)+len(f.Audiences) > 0}
	if a := infoFrom(r.Context()).actor; a != nil {
		p.CanPropose = true
	}
	status := http.StatusOK
	if p.HasErrors() {
		status = http.StatusUnprocessableEntity
		f = library.Filter{Page: 1, PerPage: library.PerPage}
	}
	res, err := s.store.SearchLibrary(r.Context(), f)
	if err != nil {
		return err
	}
	p.Total = res.Total
	for _, fc := range libFacets {
		facet := libFacet{Legend: fc.legend, Param: fc.param}
		chosen := *fc.chosen(&f)
		group := libTagGroup{Heading: fc.legend}
		for _, o := range fc.opts {
			checked := slices.Contains(chosen, o.Code)
			facet.Options = append(facet.Options, libOption{Code: o.Code, Name: o.Name, Count: fc.counts(res)[o.Code], Checked: checked})
			if checked {
				without := f
				*fc.chosen(&without) = slices.DeleteFunc(slices.Clone(chosen), func(c string) bool { return c == o.Code })
				group.Tags = append(group.Tags, libTag{Name: o.Name, Href: libraryQuery(without, 1)})
			}
		}
		p.Facets = append(p.Facets, facet)
		if len(group.Tags) > 0 {
			p.Selected = append(p.Selected, group)
		}
	}
	for _, h := range res.Hits {
		hit := libHit{Resource: h.Resource, Type: library.NameOf(library.Types, h.Resource.Type)}
		if h.Snippet != "" {
			hit.Snippet = highlight(h.Snippet)
		} else {
			hit.Snippet = highlight(shorten(h.Resource.Summary, 240))
		}
		for _, t := range h.Resource.Topics {
			hit.Topics = append(hit.Topics, library.NameOf(library.Topics, t))
		}
		p.Hits = append(p.Hits, hit)
	}
	p.Paging = libPages(f, res.Total)
	if !p.Searching && f.Page == 1 && status == http.StatusOK {
		if p.Featured, err = s.store.FeaturedResources(r.Context()); err != nil {
			return err
		}
	}
	return s.render(w, r, status, "library-index.html", p)
}

// shorten cuts s to about n characters at a space, with an ellipsis.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	rs := []rune(s)[:n]
	if i := strings.LastIndexByte(string(rs), ' '); i > n/2 {
		return string(rs)[:i] + " …"
	}
	return string(rs) + "…"
}

// libraryResourcePage is everything about one resource.
type libraryResourcePage struct {
	Layout
	Resource    library.Resource
	Type        string
	Licence     string
	Topics      []string
	Audiences   []string
	Replacement *library.Resource
	Versions    []library.Version
	CanEdit     bool
}

// resourceID reads a resource's number from the path.
func resourceID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return 0, haven.ErrNotFound
	}
	return id, nil
}

func (s *Server) libraryResourcePage(r *http.Request, res library.Resource) (*libraryResourcePage, error) {
	p := &libraryResourcePage{Layout: Layout{Title: res.Title, Nav: "library"}, Resource: res,
		Type: library.NameOf(library.Types, res.Type), Licence: library.NameOf(library.Licences, res.Licence)}
	for _, t := range res.Topics {
		p.Topics = append(p.Topics, library.NameOf(library.Topics, t))
	}
	for _, a := range res.Audiences {
		p.Audiences = append(p.Audiences, library.NameOf(library.Audiences, a))
	}
	if res.ReplacedBy != 0 {
		if rep, err := s.store.Resource(r.Context(), res.ReplacedBy); err == nil && rep.Status.Public() {
			p.Replacement = &rep
		}
	}
	var err error
	if p.Versions, err = s.store.ResourceVersions(r.Context(), res.ID); err != nil {
		return nil, err
	}
	if a := infoFrom(r.Context()).actor; a != nil {
		p.CanEdit = a.Can(access.PermLibraryEdit)
	}
	return p, nil
}

func (s *Server) libraryResource(w http.ResponseWriter, r *http.Request) error {
	id, err := resourceID(r)
	if err != nil {
		return err
	}
	res, err := s.store.Resource(r.Context(), id)
	if err != nil {
		return err
	}
	if !res.Status.Public() {
		return haven.ErrNotFound // nothing is public until an editor publishes it
	}
	p, err := s.libraryResourcePage(r, res)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "library-resource.html", p)
}
