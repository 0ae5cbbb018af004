package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"haven/internal/access"
	"haven/internal/directory"
	"haven/internal/haven"
	"haven/internal/store"
)

// The Open Referral UK API (issue 20 item 4): the directory's public
// services as HSDS 3.0, read-only, with no key, under one base path. The
// profile asks for Access-Control-Allow-Origin: * on every response, error
// responses included, so the middleware sets it by path (isOpenReferral).
// Field history (HSDS metadata) is left out: it names who made each change.

const openReferralBase = "/openreferral/"

func isOpenReferral(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, openReferralBase) }

// The profile and the OpenAPI description this API follows.
const (
	orProfileURL = "https://github.com/OpenReferralUK/uk-profile"
	orOpenAPIURL = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/openapi.json"
	onsAreaURI   = "http://statistics.data.gov.uk/id/statistical-geography/"
)

// Limits on the query: a search longer than any service's name is a
// mistake, and a proximity beyond England's length matches everything.
const (
	orMaxSearch    = 200
	orMaxProximity = 1_000_000 // metres
	orPerPage      = 50
)

// paramError is a bad query parameter, named as the API names it.
type paramError struct{ param, message string }

func (e *paramError) Error() string { return e.param + ": " + e.message }

// orQuery is a parsed list request.
type orQuery struct {
	directory.Query
	Minimal bool
}

// parseORQuery reads the list endpoints' parameters. Parameters it does not
// know are ignored, as HSDS clients send others (full, format, ...).
func parseORQuery(v url.Values) (orQuery, error) {
	q := orQuery{Query: directory.Query{Page: 1, PerPage: orPerPage}}
	one := func(name string) (string, bool, error) {
		vs, ok := v[name]
		if !ok {
			return "", false, nil
		}
		if len(vs) != 1 {
			return "", false, &paramError{name, "give it once"}
		}
		return vs[0], true, nil
	}
	posInt := func(name string, max int, dst *int) error {
		s, ok, err := one(name)
		if err != nil || !ok {
			return err
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > max {
			return &paramError{name, "must be a whole number from 1 to " + strconv.Itoa(max)}
		}
		*dst = n
		return nil
	}
	if err := posInt("page", 1_000_000, &q.Page); err != nil {
		return q, err
	}
	if err := posInt("per_page", directory.MaxPerPage, &q.PerPage); err != nil {
		return q, err
	}
	if s, ok, err := one("search"); err != nil {
		return q, err
	} else if ok {
		switch {
		case !utf8.ValidString(s):
			return q, &paramError{"search", "must be text (UTF-8)"}
		case utf8.RuneCountInString(s) > orMaxSearch:
			return q, &paramError{"search", "must be " + strconv.Itoa(orMaxSearch) + " characters or fewer"}
		}
		q.Search = s
	}
	for _, id := range []struct {
		name string
		dst  *string
	}{{"taxonomy_term_id", &q.TermID}, {"organization_id", &q.OrganisationID}} {
		s, ok, err := one(id.name)
		if err != nil {
			return q, err
		}
		if ok {
			s = strings.ToLower(s) // UUIDs are case-insensitive (RFC 9562); Haven writes lower case
			if !directory.ValidID(s) {
				return q, &paramError{id.name, "must be a UUID, like 3f2504e0-4f89-41d3-9a0c-0305e82c3301"}
			}
			*id.dst = s
		}
	}
	if s, ok, err := one("modified_after"); err != nil {
		return q, err
	} else if ok {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			if t, err = time.Parse(time.DateOnly, s); err != nil {
				return q, &paramError{"modified_after", "must be a date and time like 2026-05-01T09:00:00Z, or a date like 2026-05-01"}
			}
		}
		// "On or after" (HSDS): the store's test is strictly after.
		q.ModifiedAfter = t.Add(-time.Microsecond)
		if q.ModifiedAfter.IsZero() || t.Year() < 1970 {
			q.ModifiedAfter = time.Time{}
		}
	}
	if s, ok, err := one("minimal"); err != nil {
		return q, err
	} else if ok {
		b, err := strconv.ParseBool(s)
		if err != nil {
			return q, &paramError{"minimal", "must be true or false"}
		}
		q.Minimal = b
	}
	pc, hasPostcode, err := one("postcode")
	if err != nil {
		return q, err
	}
	if hasPostcode {
		d, ok := access.LookupPostcodeDistrict(pc)
		switch {
		case access.PostcodeDistrictOf(pc) == "":
			return q, &paramError{"postcode", "must be a postcode or postcode district, like LS6 2AB or LS6"}
		case !ok:
			return q, &paramError{"postcode", "is not a postcode district in Great Britain"}
		}
		q.Near = &directory.Place{LACode: d.LACode, Latitude: d.Latitude, Longitude: d.Longitude}
	}
	if s, ok, err := one("proximity"); err != nil {
		return q, err
	} else if ok {
		if !hasPostcode {
			return q, &paramError{"proximity", "needs a postcode to measure from"}
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(f) || f <= 0 || f > orMaxProximity {
			return q, &paramError{"proximity", "must be a distance in metres from 1 to " + strconv.Itoa(orMaxProximity)}
		}
		q.Proximity = f
	}
	return q, nil
}

// orID is the record id in the path, in the lower case Haven writes:
// UUIDs are case-insensitive (RFC 9562).
func orID(r *http.Request) string { return strings.ToLower(r.PathValue("id")) }

// orPage is HSDS's paged wrapper.
type orPage[T any] struct {
	TotalItems int  `json:"total_items"`
	TotalPages int  `json:"total_pages"`
	PageNumber int  `json:"page_number"`
	Size       int  `json:"size"`
	FirstPage  bool `json:"first_page"`
	LastPage   bool `json:"last_page"`
	Empty      bool `json:"empty"`
	Contents   []T  `json:"contents"`
}

func orPaged[T any](q directory.Query, total int, contents []T) orPage[T] {
	if contents == nil {
		contents = []T{}
	}
	pages := (total + q.PerPage - 1) / q.PerPage
	return orPage[T]{TotalItems: total, TotalPages: pages, PageNumber: q.Page, Size: len(contents),
		FirstPage: q.Page == 1, LastPage: q.Page >= pages, Empty: len(contents) == 0, Contents: contents}
}

// The HSDS objects, with Haven's local extensions prefixed haven_ (the
// profile allows prefixed extensions).
type (
	orService struct {
		ID                 string                `json:"id"`
		OrganizationID     string                `json:"organization_id,omitempty"`
		Name               string                `json:"name,omitempty"`
		Description        string                `json:"description,omitempty"`
		URL                string                `json:"url,omitempty"`
		Email              string                `json:"email,omitempty"`
		Status             string                `json:"status,omitempty"`
		ApplicationProcess string                `json:"application_process,omitempty"`
		Eligibility        string                `json:"eligibility_description,omitempty"`
		AssuredDate        string                `json:"assured_date,omitempty"`
		LastModified       string                `json:"last_modified"`
		Phones             []orPhone             `json:"phones,omitempty"`
		Schedules          []orSchedule          `json:"schedules,omitempty"`
		ServiceAreas       []orServiceArea       `json:"service_areas,omitempty"`
		ServiceAtLocations []orServiceAtLocation `json:"service_at_locations,omitempty"`
		Contacts           []orContact           `json:"contacts,omitempty"`
		Funding            []orFunding           `json:"funding,omitempty"`
		Attributes         []orAttribute         `json:"attributes,omitempty"`
		Organization       *orOrganization       `json:"organization,omitempty"`
		HavenStatus        string                `json:"haven_status,omitempty"`
		HavenSelfReferral  *bool                 `json:"haven_self_referral,omitempty"`
		HavenStartDate     string                `json:"haven_start_date,omitempty"`
		HavenVerifyOverdue *bool                 `json:"haven_verification_overdue,omitempty"`
		HavenPractice      bool                  `json:"haven_practice,omitempty"`
	}
	orPhone struct {
		ID          string `json:"id"`
		ServiceID   string `json:"service_id"`
		Number      string `json:"number"`
		Description string `json:"description,omitempty"`
	}
	orSchedule struct {
		ID          string `json:"id"`
		ServiceID   string `json:"service_id"`
		Freq        string `json:"freq,omitempty"`
		ByDay       string `json:"byday,omitempty"`
		OpensAt     string `json:"opens_at,omitempty"`
		ClosesAt    string `json:"closes_at,omitempty"`
		Description string `json:"description,omitempty"`
	}
	orServiceArea struct {
		ID         string `json:"id"`
		ServiceID  string `json:"service_id"`
		Name       string `json:"name"`
		ExtentType string `json:"extent_type"`
		URI        string `json:"uri"`
	}
	orServiceAtLocation struct {
		ID         string      `json:"id"`
		ServiceID  string      `json:"service_id"`
		LocationID string      `json:"location_id"`
		Location   *orLocation `json:"location,omitempty"`
		Service    *orService  `json:"service,omitempty"`
	}
	orLocation struct {
		ID           string      `json:"id"`
		LocationType string      `json:"location_type"`
		Name         string      `json:"name,omitempty"`
		Latitude     *float64    `json:"latitude,omitempty"`
		Longitude    *float64    `json:"longitude,omitempty"`
		Addresses    []orAddress `json:"addresses,omitempty"`
	}
	orAddress struct {
		ID            string `json:"id"`
		LocationID    string `json:"location_id"`
		Address1      string `json:"address_1"`
		City          string `json:"city"`
		StateProvince string `json:"state_province"`
		PostalCode    string `json:"postal_code"`
		Country       string `json:"country"`
		AddressType   string `json:"address_type"`
	}
	orContact struct {
		ID        string `json:"id"`
		ServiceID string `json:"service_id"`
		Name      string `json:"name,omitempty"`
		Title     string `json:"title,omitempty"`
		Email     string `json:"email,omitempty"`
	}
	orFunding struct {
		ID        string `json:"id"`
		ServiceID string `json:"service_id"`
		Source    string `json:"source"`
	}
	orAttribute struct {
		ID             string          `json:"id"`
		LinkID         string          `json:"link_id"`
		LinkType       string          `json:"link_type"`
		LinkEntity     string          `json:"link_entity"`
		TaxonomyTermID string          `json:"taxonomy_term_id"`
		TaxonomyTerm   *orTaxonomyTerm `json:"taxonomy_term,omitempty"`
	}
	orTaxonomyTerm struct {
		ID          string `json:"id"`
		Code        string `json:"code"`
		Name        string `json:"name"`
		Description string `json:"description"`
		TaxonomyID  string `json:"taxonomy_id"`
		Taxonomy    string `json:"taxonomy"`
	}
	orTaxonomy struct {
		ID          string `json:"id"`
		Name        string `json:"name"`
		Description string `json:"description"`
	}
	orOrganization struct {
		ID          string      `json:"id"`
		Name        string      `json:"name"`
		Description string      `json:"description"`
		Email       string      `json:"email,omitempty"`
		Website     string      `json:"website,omitempty"`
		Services    []orService `json:"services,omitempty"`
	}
)

func orTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func orDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

func orTerm(t directory.Term, tax directory.Taxonomy) *orTaxonomyTerm {
	return &orTaxonomyTerm{ID: t.ID, Code: t.Code, Name: t.Name, Description: tax.Name + ": " + t.Name, TaxonomyID: tax.ID, Taxonomy: tax.Name}
}

// orServiceOf is a service as the feed shows it; minimal is the id, name,
// status and last change alone, for keeping a copy in step.
func orServiceOf(s directory.Service, org *directory.Organisation, minimal bool, today time.Time) orService {
	out := orService{ID: s.ID, Name: s.Name, Status: s.Status.HSDS(), LastModified: orTime(s.LastModified)}
	if minimal {
		return out
	}
	out.OrganizationID, out.Description, out.URL, out.Email = s.OrganisationID, s.Description, s.Website, s.Email
	out.ApplicationProcess, out.Eligibility, out.AssuredDate = s.HowToRefer, s.Eligibility, orDate(s.LastVerified)
	self, overdue := s.SelfReferral, directory.Stale(s.LastVerified, today)
	out.HavenSelfReferral, out.HavenVerifyOverdue, out.HavenStartDate, out.HavenPractice = &self, &overdue, orDate(s.StartDate), s.PracticeID != 0
	if s.Status == directory.StatusInDevelopment {
		out.HavenStatus = string(s.Status)
	}
	for _, p := range s.Phones {
		out.Phones = append(out.Phones, orPhone{ID: p.ID, ServiceID: s.ID, Number: p.Number, Description: p.Description})
	}
	for _, sc := range s.Schedules {
		out.Schedules = append(out.Schedules, orSchedule{ID: sc.ID, ServiceID: s.ID, Freq: sc.Freq, ByDay: sc.ByDay, OpensAt: sc.OpensAt, ClosesAt: sc.ClosesAt, Description: sc.Description})
	}
	for _, code := range s.ServiceAreas {
		name := code
		if la, ok := access.LocalAuthorityByCode(code); ok {
			name = la.Name
		}
		out.ServiceAreas = append(out.ServiceAreas, orServiceArea{ID: directory.NameID("area:" + s.ID + ":" + code), ServiceID: s.ID,
			Name: name, ExtentType: "local_authority", URI: onsAreaURI + code})
	}
	for _, l := range s.Locations {
		out.ServiceAtLocations = append(out.ServiceAtLocations, orServiceAtLocation{ID: l.ServiceAtLocationID, ServiceID: s.ID, LocationID: l.ID, Location: orLocationOf(l)})
	}
	for _, c := range s.Contacts {
		out.Contacts = append(out.Contacts, orContact{ID: c.ID, ServiceID: s.ID, Name: c.Name, Title: c.Title, Email: c.Email})
	}
	if s.Funding != "" {
		out.Funding = []orFunding{{ID: directory.NameID("funding:" + s.ID), ServiceID: s.ID, Source: string(s.Funding)}}
	}
	for _, id := range s.Terms {
		if t, tax, ok := directory.TermByID(id); ok {
			out.Attributes = append(out.Attributes, orAttribute{ID: directory.NameID("attribute:" + s.ID + ":" + id), LinkID: s.ID,
				LinkType: "service", LinkEntity: "service", TaxonomyTermID: id, TaxonomyTerm: orTerm(t, tax)})
		}
	}
	if org != nil {
		out.Organization = &orOrganization{ID: org.ID, Name: org.Name, Description: org.Description, Email: org.Email, Website: org.Website}
	}
	return out
}

func orLocationOf(l directory.Location) *orLocation {
	out := &orLocation{ID: l.ID, LocationType: "physical", Name: l.Name}
	if l.HasPosition {
		lat, lon := l.Latitude, l.Longitude
		out.Latitude, out.Longitude = &lat, &lon
	}
	if l.Postcode != "" || l.Address != "" {
		out.Addresses = []orAddress{{ID: directory.NameID("address:" + l.ID), LocationID: l.ID, Address1: l.Address, City: l.City,
			StateProvince: "England", PostalCode: l.Postcode, Country: "GB", AddressType: "physical"}}
	}
	return out
}

// writeOR writes a feed response. The data is public and changes rarely,
// so shared caches may keep it for a minute.
func writeOR(w http.ResponseWriter, v any) error {
	w.Header().Set("Cache-Control", "public, max-age=60")
	writeJSON(w, http.StatusOK, v)
	return nil
}

// orBadParam answers a bad parameter with a 400 naming it.
func (s *Server) orBadParam(w http.ResponseWriter, r *http.Request, err error) error {
	if pe, ok := errors.AsType[*paramError](err); ok {
		s.writeAPIError(w, r, http.StatusBadRequest, "The "+pe.param+" parameter "+pe.message+".", nil)
		return nil
	}
	return err
}

func (s *Server) orRoot(w http.ResponseWriter, r *http.Request) error {
	return writeOR(w, map[string]string{"version": "3.0", "profile": orProfileURL, "openapi_url": orOpenAPIURL})
}

// orgsByID reads the organisations of the given services in one go.
func (s *Server) orgsByID(r *http.Request, ss []directory.Service) (map[string]*directory.Organisation, error) {
	var ids []string
	for _, sv := range ss {
		ids = append(ids, sv.OrganisationID)
	}
	os, err := s.store.DirOrganisationsByID(r.Context(), ids)
	if err != nil {
		return nil, err
	}
	out := make(map[string]*directory.Organisation, len(os))
	for id, o := range os {
		out[id] = &o
	}
	return out, nil
}

// The feed's service lists and records come from one view of the
// directory (store.DirView), each service's JSON made once for the view
// and the day (whether its verification is overdue changes at midnight)
// and reused by every page that shows it: a page of 50 full services is
// about 250 KB, and encoding it afresh was most of a request's cost.

func orDay(now time.Time) string { return now.UTC().Format(time.DateOnly) }

// orServiceJSON is a service's feed JSON, made once for the view and day.
func orServiceJSON(v store.DirView, id string, minimal bool, now time.Time) []byte {
	key := "service:" + id
	if minimal {
		key += ":minimal"
	}
	return v.Memo(orDay(now), key, func() []byte {
		sv, _ := v.Service(id)
		var org *directory.Organisation
		if o, ok := v.Organisation(sv.OrganisationID); ok && !minimal {
			org = &o
		}
		b, _ := json.Marshal(orServiceOf(sv, org, minimal, now))
		return b
	})
}

// orPageJSON is HSDS's paged wrapper around contents already encoded, byte
// for byte what writeOR gives for the same page.
func orPageJSON(q directory.Query, total int, contents [][]byte) []byte {
	p := orPaged(q, total, contents)
	n := 200
	for _, c := range contents {
		n += len(c) + 1
	}
	b := make([]byte, 0, n)
	b = fmt.Appendf(b, `{"total_items":%d,"total_pages":%d,"page_number":%d,"size":%d,"first_page":%t,"last_page":%t,"empty":%t,"contents":[`,
		p.TotalItems, p.TotalPages, p.PageNumber, p.Size, p.FirstPage, p.LastPage, p.Empty)
	for i, c := range contents {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, c...)
	}
	return append(b, "]}\n"...)
}

// writeORPage sends a page made once for the view and the day: a page is
// the same for everyone who asks for it until the directory changes.
func writeORPage(w http.ResponseWriter, b []byte) error {
	w.Header().Set("Cache-Control", "public, max-age=60")
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	// Its length, so the page goes out in one piece, not in chunks.
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(b) // #nosec G705 -- JSON from encoding/json (which escapes <, > and &), sent as application/json with nosniff
	return err
}

func writeORBytes(w http.ResponseWriter, b []byte) error {
	w.Header().Set("Cache-Control", "public, max-age=60")
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	// b may be kept and shared: written as it is, never appended to.
	if _, err := w.Write(b); err != nil { // #nosec G705 -- JSON from encoding/json (which escapes <, > and &), sent as application/json with nosniff
		return err
	}
	_, err := w.Write([]byte("\n"))
	return err
}

func (s *Server) orServices(w http.ResponseWriter, r *http.Request) error {
	q, err := parseORQuery(r.URL.Query())
	if err != nil {
		return s.orBadParam(w, r, err)
	}
	v, err := s.store.DirectoryView(r.Context())
	if err != nil {
		return err
	}
	now := s.now()
	return writeORPage(w, v.Memo(orDay(now), "services?"+r.URL.RawQuery, func() []byte {
		ids, total := v.ServiceIDs(q.Query)
		out := make([][]byte, len(ids))
		for i, id := range ids {
			out[i] = orServiceJSON(v, id, q.Minimal, now)
		}
		return orPageJSON(q.Query, total, out)
	}))
}

func (s *Server) orService(w http.ResponseWriter, r *http.Request) error {
	id := orID(r)
	if !directory.ValidID(id) {
		return haven.ErrNotFound
	}
	v, err := s.store.DirectoryView(r.Context())
	if err != nil {
		return err
	}
	if _, ok := v.Service(id); !ok {
		return haven.ErrNotFound
	}
	return writeORBytes(w, orServiceJSON(v, id, false, s.now()))
}

func (s *Server) orOrganizations(w http.ResponseWriter, r *http.Request) error {
	q, err := parseORQuery(r.URL.Query())
	if err != nil {
		return s.orBadParam(w, r, err)
	}
	os, total, err := s.store.ListDirOrganisations(r.Context(), q.Query)
	if err != nil {
		return err
	}
	out := make([]orOrganization, len(os))
	for i, o := range os {
		out[i] = orOrganization{ID: o.ID, Name: o.Name, Description: o.Description, Email: o.Email, Website: o.Website}
	}
	return writeOR(w, orPaged(q.Query, total, out))
}

func (s *Server) orOrganization(w http.ResponseWriter, r *http.Request) error {
	id := orID(r)
	if !directory.ValidID(id) {
		return haven.ErrNotFound
	}
	o, err := s.store.DirOrganisation(r.Context(), id)
	if err != nil {
		return err
	}
	out := orOrganization{ID: o.ID, Name: o.Name, Description: o.Description, Email: o.Email, Website: o.Website}
	// Its services in full, a page at a time until none are left.
	for pg := 1; ; pg++ {
		ss, total, err := s.store.ListServices(r.Context(), directory.Query{OrganisationID: o.ID, Page: pg, PerPage: directory.MaxPerPage})
		if err != nil {
			return err
		}
		for _, sv := range ss {
			out.Services = append(out.Services, orServiceOf(sv, nil, false, s.now()))
		}
		if pg*directory.MaxPerPage >= total {
			break
		}
	}
	return writeOR(w, out)
}

func orSALOf(x store.ServiceAtLocation, minimal bool, today time.Time) orServiceAtLocation {
	sv := orServiceOf(x.Service, nil, minimal, today)
	sv.ServiceAtLocations = nil // it is here once, at this location
	return orServiceAtLocation{ID: x.ID, ServiceID: x.Service.ID, LocationID: x.Location.ID, Location: orLocationOf(x.Location), Service: &sv}
}

// orSALJSON is a service-at-location pair's feed JSON, made once for the view and day.
func orSALJSON(v store.DirView, id string, minimal bool, now time.Time) []byte {
	key := "sal:" + id
	if minimal {
		key += ":minimal"
	}
	return v.Memo(orDay(now), key, func() []byte {
		x, _ := v.ServiceAtLocation(id)
		b, _ := json.Marshal(orSALOf(x, minimal, now))
		return b
	})
}

func (s *Server) orServiceAtLocations(w http.ResponseWriter, r *http.Request) error {
	q, err := parseORQuery(r.URL.Query())
	if err != nil {
		return s.orBadParam(w, r, err)
	}
	v, err := s.store.DirectoryView(r.Context())
	if err != nil {
		return err
	}
	now := s.now()
	return writeORPage(w, v.Memo(orDay(now), "service_at_locations?"+r.URL.RawQuery, func() []byte {
		pairs, total := v.ServiceAtLocationIDs(q.Query)
		out := make([][]byte, len(pairs))
		for i, p := range pairs {
			out[i] = orSALJSON(v, p[0], q.Minimal, now)
		}
		return orPageJSON(q.Query, total, out)
	}))
}

func (s *Server) orServiceAtLocation(w http.ResponseWriter, r *http.Request) error {
	id := orID(r)
	if !directory.ValidID(id) {
		return haven.ErrNotFound
	}
	v, err := s.store.DirectoryView(r.Context())
	if err != nil {
		return err
	}
	if _, ok := v.ServiceAtLocation(id); !ok {
		return haven.ErrNotFound
	}
	return writeORBytes(w, orSALJSON(v, id, false, s.now()))
}

func (s *Server) orTaxonomies(w http.ResponseWriter, r *http.Request) error {
	q, err := parseORQuery(r.URL.Query())
	if err != nil {
		return s.orBadParam(w, r, err)
	}
	var all []orTaxonomy
	for _, t := range directory.Taxonomies {
		all = append(all, orTaxonomy{ID: t.ID, Name: t.Name, Description: t.Description})
	}
	return writeOR(w, orPageAll(q.Query, all))
}

func (s *Server) orTaxonomyTerms(w http.ResponseWriter, r *http.Request) error {
	q, err := parseORQuery(r.URL.Query())
	if err != nil {
		return s.orBadParam(w, r, err)
	}
	var all []orTaxonomyTerm
	for _, tax := range directory.Taxonomies {
		for _, t := range tax.Terms {
			all = append(all, *orTerm(t, tax))
		}
	}
	return writeOR(w, orPageAll(q.Query, all))
}

// orPageAll pages a list held in memory.
func orPageAll[T any](q directory.Query, all []T) orPage[T] {
	from, to := min(q.Offset(), len(all)), min(q.Offset()+q.PerPage, len(all))
	return orPaged(q, len(all), all[from:to])
}
