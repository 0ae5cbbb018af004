package web

import (
	"context"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"haven/internal/access"
	"haven/internal/directory"
	"haven/internal/haven"
)

// The public directory's search and service pages (issue 20 item 2). They
// are plain GET pages that work without JavaScript; the data on them is the
// same public data the Open Referral feed publishes, so viewing them writes
// no audit row (no personal data is shown: a service's contact is a role).

// dirPerPage is how many services one page of results shows.
const dirPerPage = 20

// dirStatusNote is the warning a service page shows for a status that is
// not simply open.
var dirStatusNote = map[directory.Status]string{
	directory.StatusTempClosed:    "This service is temporarily closed.",
	directory.StatusInactive:      "This service is not taking referrals.",
	directory.StatusDefunct:       "This service has closed.",
	directory.StatusInDevelopment: "This service is being set up and is not taking referrals yet.",
}

// dirTermOption is one taxonomy checkbox.
type dirTermOption struct {
	directory.Term
	Checked bool
}

type dirTaxonomyOption struct {
	directory.Taxonomy
	Options []dirTermOption
}

// dirResult is one service in the results, with what the list shows of it.
type dirResult struct {
	Service     directory.Service
	StatusName  string
	Model, Host string
	Areas       []string
	// Distance is how far its nearest location is, in miles; HasDistance
	// says one was measured (a postcode was given and it has a location).
	Distance    string
	HasDistance bool
}

type dirSearchPage struct {
	Layout
	Place      string // as typed, shown back in the form
	Taxonomies []dirTaxonomyOption
	Searched   bool
	// Where is the authority or postcode district searched from.
	Where    string
	Postcode bool
	Results  []dirResult
	Total    int
	// From and To number the services on this page, from 1.
	From, To   int
	Pagination *dirPages
	// Choices are the authorities a name fits, when it fits more than one.
	Choices []dirChoice
}

// dirChoice is one authority to choose, as a link that searches it.
type dirChoice struct{ Name, Href string }

// statusName is a status as a person reads it.
func statusName(s directory.Status) string {
	if s == "" {
		return ""
	}
	return strings.ToUpper(string(s[:1])) + string(s[1:])
}

// termIn is the name of the first of ids in taxonomy tax, or "".
func termIn(ids []string, tax string) string {
	for _, id := range ids {
		if t, x, ok := directory.TermByID(id); ok && x.ID == tax {
			return t.Name
		}
	}
	return ""
}

var (
	dirModelTax = directory.Taxonomies[0].ID
	dirHostTax  = directory.Taxonomies[4].ID
)

// areaNames are the authority names of codes, in order.
func areaNames(codes []string) []string {
	out := make([]string, 0, len(codes))
	for _, c := range codes {
		if la, ok := access.LocalAuthorityByCode(c); ok {
			out = append(out, la.Name)
		} else {
			out = append(out, c)
		}
	}
	return out
}

// nearestMiles is the distance from p to s's nearest located address.
func nearestMiles(s directory.Service, p directory.Place) (float64, bool) {
	best, ok := math.Inf(1), false
	for _, l := range s.Locations {
		if l.HasPosition {
			best, ok = min(best, directory.Distance(p.Latitude, p.Longitude, l.Latitude, l.Longitude)), true
		}
	}
	return best / 1609.344, ok
}

// milesText is a distance in miles to a tenth, as people say it.
func milesText(d float64) string {
	if d < 0.05 {
		return "Less than 0.1 miles"
	}
	return strconv.FormatFloat(math.Round(d*10)/10, 'f', 1, 64) + " miles"
}

// dirPlaceFound is what a typed place resolved to: a place to search from,
// or, for a name that fits more than one authority, the choices to offer.
type dirPlaceFound struct {
	Place    *directory.Place
	Where    string // the authority or postcode district, as the results name it
	Postcode bool
	Choices  []access.AreaMatch
}

// dirMaxChoices bounds the "Did you mean" list; a name that fits more is
// better typed again.
const dirMaxChoices = 10

// dirPlace turns what was typed into a place to search from: an authority's
// ONS code (as the map links), a postcode or postcode district (parsed as
// the Open Referral feed parses its postcode parameter), or an authority's
// name. A name that fits more than one authority is not guessed: the
// choices come back instead. A non-nil FieldError says why it is no place.
func (s *Server) dirPlace(ctx context.Context, typed string) (dirPlaceFound, *FieldError, error) {
	if la, ok := access.LocalAuthorityByCode(typed); ok {
		return dirPlaceFound{Place: &directory.Place{LACode: la.Code}, Where: la.Name}, nil, nil
	}
	if access.PostcodeDistrictOf(typed) != "" {
		q, err := parseORQuery(url.Values{"postcode": {typed}})
		if err != nil {
			return dirPlaceFound{Postcode: true}, &FieldError{"place", "Enter a real postcode, like LS6 2AB, or a postcode district, like LS6"}, nil
		}
		if q.Near.LACode == "" {
			return dirPlaceFound{Postcode: true}, &FieldError{"place", "Enter a postcode in England: the directory lists services in England only"}, nil
		}
		return dirPlaceFound{Place: q.Near, Where: access.PostcodeDistrictOf(typed), Postcode: true}, nil, nil
	}
	_, las, err := s.laIndex(ctx)
	if err != nil {
		return dirPlaceFound{}, nil, err
	}
	one, choices := dirPickArea(access.FindAreas(typed, las, dirMaxChoices).Matches)
	if one == nil && len(choices) == 0 {
		return dirPlaceFound{}, &FieldError{"place", "Enter the name of a local authority in England, like Leeds, or a postcode"}, nil
	}
	if one == nil {
		return dirPlaceFound{Choices: choices}, nil, nil
	}
	return dirPlaceFound{Place: &directory.Place{LACode: one.Authority.Code}, Where: one.Authority.Name}, nil, nil
}

// dirPickArea decides between the authorities a name matched: the one
// matched by its whole name, or the only one matched at all; otherwise
// there is nothing to decide on, and the choices are the whole-name matches
// if there are several, or every match.
func dirPickArea(ms []access.AreaMatch) (*access.AreaMatch, []access.AreaMatch) {
	var exact []access.AreaMatch
	for _, m := range ms {
		if m.Exact {
			exact = append(exact, m)
		}
	}
	switch {
	case len(exact) == 1:
		return &exact[0], nil
	case len(exact) > 1:
		return nil, exact
	case len(ms) == 1:
		return &ms[0], nil
	}
	return nil, ms
}

// directorySearchForm takes the search form by POST, so that a full postcode
// never reaches a URL, the browser's history or a log: only its district
// (LS6 2AB is LS6) goes on to the results' address.
func (s *Server) directorySearchForm(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	http.Redirect(w, r, "/directory?"+dirSearchQuery(r.PostForm).Encode(), http.StatusSeeOther)
	return nil
}

// dirSearchQuery is the search's address: the place, cut to its postcode
// district if it is a postcode, and the chosen filters.
func dirSearchQuery(v url.Values) url.Values {
	q := url.Values{}
	place := strings.TrimSpace(v.Get("place"))
	if d := access.PostcodeDistrictOf(place); d != "" {
		place = d
	}
	q.Set("place", place)
	if terms := v["term"]; len(terms) > 0 {
		q["term"] = terms
	}
	return q
}

func (s *Server) directorySearch(w http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query()
	if place := strings.TrimSpace(v.Get("place")); place != "" {
		if d := access.PostcodeDistrictOf(place); d != "" && d != place {
			// A postcode in a link: go on with its district only.
			http.Redirect(w, r, "/directory?"+dirSearchQuery(v).Encode(), http.StatusSeeOther)
			return nil
		}
	}
	p := &dirSearchPage{Layout: Layout{Title: "Find a service", Nav: "directory"}, Place: strings.TrimSpace(v.Get("place"))}
	chosen := v["term"]
	for _, tax := range directory.Taxonomies {
		o := dirTaxonomyOption{Taxonomy: tax}
		for _, t := range tax.Terms {
			o.Options = append(o.Options, dirTermOption{Term: t, Checked: slices.Contains(chosen, t.ID)})
		}
		p.Taxonomies = append(p.Taxonomies, o)
	}
	_, asked := v["place"]
	if !asked && len(chosen) == 0 {
		return s.render(w, r, http.StatusOK, "directory.html", p)
	}
	// Chosen terms: any of a taxonomy's, and every taxonomy chosen from.
	byTax := map[string][]string{}
	for _, id := range chosen {
		_, tax, ok := directory.TermByID(id)
		if !ok {
			p.Errors = append(p.Errors, FieldError{"term", "Choose filters from the lists given"})
			break
		}
		byTax[tax.ID] = append(byTax[tax.ID], id)
	}
	var place *directory.Place
	if utf8.RuneCountInString(p.Place) > maxAreaQuery {
		p.Errors = append([]FieldError{{"place", "Place or postcode must be 100 characters or fewer"}}, p.Errors...)
	} else if p.Place != "" {
		found, fe, err := s.dirPlace(r.Context(), p.Place)
		if err != nil {
			return err
		}
		if fe != nil {
			p.Errors = append([]FieldError{*fe}, p.Errors...)
		}
		place, p.Where, p.Postcode = found.Place, found.Where, found.Postcode
		for _, m := range found.Choices {
			q := dirSearchQuery(v)
			q.Set("place", m.Authority.Code)
			c := dirChoice{Name: m.Authority.Name, Href: "/directory?" + q.Encode()}
			if m.Place != "" {
				c.Name = m.Place + ", in " + m.Authority.Name
			}
			p.Choices = append(p.Choices, c)
		}
	}
	if p.HasErrors() {
		return s.render(w, r, http.StatusUnprocessableEntity, "directory.html", p)
	}
	if len(p.Choices) > 0 {
		// A name that fits more than one authority: ask, don't guess.
		return s.render(w, r, http.StatusOK, "directory.html", p)
	}
	all, err := s.allServices(r.Context(), directory.Query{Near: place})
	if err != nil {
		return err
	}
	var matched []directory.Service
	for _, sv := range all {
		if hasTerms(sv.Terms, byTax) {
			matched = append(matched, sv)
		}
	}
	p.Searched, p.Total = true, len(matched)
	pageNo, ok := dirPageNumber(v.Get("page"), p.Total)
	if !ok {
		return haven.ErrNotFound
	}
	p.From, p.To = (pageNo-1)*dirPerPage+1, min(pageNo*dirPerPage, p.Total)
	p.Pagination = dirPagination(pageNo, (p.Total+dirPerPage-1)/dirPerPage, func(n int) string {
		q := dirSearchQuery(v)
		if n > 1 {
			q.Set("page", strconv.Itoa(n))
		}
		return "/directory?" + q.Encode() + "#results"
	})
	for _, sv := range matched[min(p.From-1, p.Total):p.To] {
		res := dirResult{Service: sv, StatusName: statusName(sv.Status), Model: termIn(sv.Terms, dirModelTax),
			Host: termIn(sv.Terms, dirHostTax), Areas: areaNames(sv.ServiceAreas)}
		if p.Postcode && place != nil {
			if d, ok := nearestMiles(sv, *place); ok {
				res.HasDistance, res.Distance = true, milesText(d)
			}
		}
		p.Results = append(p.Results, res)
	}
	return s.render(w, r, http.StatusOK, "directory.html", p)
}

// hasTerms says a service with terms carries one of each taxonomy's chosen.
func hasTerms(terms []string, byTax map[string][]string) bool {
	for _, want := range byTax {
		if !slices.ContainsFunc(want, func(id string) bool { return slices.Contains(terms, id) }) {
			return false
		}
	}
	return true
}

// allServices is every service q matches, in the store's order (nearest
// first from a place), read a page at a time.
func (s *Server) allServices(ctx context.Context, q directory.Query) ([]directory.Service, error) {
	var out []directory.Service
	q.PerPage = directory.MaxPerPage
	for q.Page = 1; ; q.Page++ {
		ss, total, err := s.store.ListServices(ctx, q)
		if err != nil {
			return nil, err
		}
		out = append(out, ss...)
		if q.Page*q.PerPage >= total || len(ss) == 0 {
			return out, nil
		}
	}
}

type dirServicePage struct {
	Layout
	Service      directory.Service
	Organisation string
	StatusName   string
	StatusNote   string
	Stale        bool
	Areas        []string
	Terms        []dirTermLine
	Practice     bool
}

// dirTermLine is one taxonomy's terms for a service, for a summary list row.
type dirTermLine struct{ Taxonomy, Terms string }

func (s *Server) directoryService(w http.ResponseWriter, r *http.Request) error {
	id := strings.ToLower(r.PathValue("id"))
	if !directory.ValidID(id) {
		return haven.ErrNotFound
	}
	sv, err := s.store.Service(r.Context(), id)
	if err != nil {
		return err
	}
	p := &dirServicePage{Layout: Layout{Title: sv.Name, Nav: "directory"}, Service: sv, StatusName: statusName(sv.Status),
		StatusNote: dirStatusNote[sv.Status], Stale: directory.Stale(sv.LastVerified, s.now()), Areas: areaNames(sv.ServiceAreas),
		Practice: sv.PracticeID != 0}
	if orgs, err := s.orgsByID(r, []directory.Service{sv}); err != nil {
		return err
	} else if o := orgs[sv.OrganisationID]; o != nil {
		p.Organisation = o.Name
	}
	for _, tax := range directory.Taxonomies {
		var names []string
		for _, t := range tax.Terms {
			if slices.Contains(sv.Terms, t.ID) {
				names = append(names, t.Name)
			}
		}
		if names != nil {
			p.Terms = append(p.Terms, dirTermLine{tax.Name, strings.Join(names, ", ")})
		}
	}
	return s.render(w, r, http.StatusOK, "directory-service.html", p)
}
