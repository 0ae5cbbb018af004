package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"haven/internal/auth"
	"haven/internal/haven"
	"haven/internal/programme"
	"haven/internal/store"
)

// The JSON API lives under /api/v1/. It answers with the same rules and the
// same audit as the pages; only the format differs.

func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") || isOpenReferral(r) }

// apiError is every API error's shape: a stable code and a human message.
type apiError struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
	Ref     string            `json:"reference"`
	// BreakGlass is the route that opens her record, on a 403 for someone
	// in her Practice to whom she is not allocated (refusal.go).
	BreakGlass string `json:"breakGlass,omitempty"`
}

var apiCodes = map[int]string{
	http.StatusBadRequest:            "bad_request",
	http.StatusUnauthorized:          "unauthenticated",
	http.StatusForbidden:             "forbidden",
	http.StatusNotFound:              "not_found",
	http.StatusMethodNotAllowed:      "method_not_allowed",
	http.StatusConflict:              "conflict",
	http.StatusPreconditionRequired:  "version_required",
	http.StatusUnsupportedMediaType:  "unsupported_media_type",
	http.StatusRequestEntityTooLarge: "too_large",
	http.StatusUnprocessableEntity:   "invalid",
	http.StatusTooManyRequests:       "too_many_requests",
	http.StatusServiceUnavailable:    "unavailable",
	http.StatusInternalServerError:   "internal",
}

func (s *Server) writeAPIError(w http.ResponseWriter, r *http.Request, status int, msg string, err error) {
	e := apiError{Code: apiCodes[status], Message: msg, Ref: infoFrom(r.Context()).id}
	if e.Code == "" {
		e.Code = "error"
	}
	if he, ok := errors.AsType[*haven.Error](err); ok && he.Kind == haven.KindInvalid {
		e.Fields = he.Fields
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="haven"`)
	}
	writeJSON(w, status, e)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	enc.Encode(v)
}

// bearerActor authenticates an API request by its token, if it has one.
func (s *Server) bearerActor(r *http.Request) (bool, error) {
	h := r.Header.Get("Authorization")
	token, ok := strings.CutPrefix(h, "Bearer ")
	if !ok {
		return false, nil
	}
	token = strings.TrimSpace(token)
	if token == "" || len(token) > 200 {
		return true, nil
	}
	userID, tokenID, err := s.store.APITokenUser(r.Context(), auth.HashToken(token))
	if errors.Is(err, haven.ErrNotFound) {
		return true, nil
	}
	if err != nil {
		return true, err
	}
	actor, err := s.store.Actor(r.Context(), userID)
	if errors.Is(err, haven.ErrNotFound) {
		return true, nil
	}
	if err != nil {
		return true, err
	}
	actor.TokenID = tokenID
	infoFrom(r.Context()).actor = actor
	return true, nil
}

type meRole struct {
	Role       string `json:"role"`
	RoleName   string `json:"roleName"`
	TenantKind string `json:"tenantKind"`
	Tenant     string `json:"tenant"`
	TenantName string `json:"tenantName"`
}

type meResponse struct {
	ID    int64    `json:"id"`
	Email string   `json:"email"`
	Name  string   `json:"name"`
	Roles []meRole `json:"roles"`
}

// apiMe is GET /api/v1/me: who the token or session belongs to, and their roles.
func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) error {
	a := infoFrom(r.Context()).actor
	out := meResponse{ID: a.User.ID, Email: a.User.Email, Name: a.User.DisplayName, Roles: []meRole{}}
	for _, m := range a.Memberships {
		out.Roles = append(out.Roles, meRole{string(m.Role), m.Role.Name(), string(m.TenantKind), m.TenantSlug, m.TenantName})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// apiPerson is a person as the API shows her. Restricted sections appear
// only for those who may read them; everyone else sees that they exist.
type apiPerson struct {
	Ref                 string          `json:"ref"`
	FirstName           string          `json:"firstName"`
	LastName            string          `json:"lastName"`
	PreferredName       string          `json:"preferredName,omitempty"`
	Pronouns            string          `json:"pronouns,omitempty"`
	DateOfBirth         string          `json:"dateOfBirth,omitempty"`
	LocalAuthority      string          `json:"localAuthority,omitempty"`
	CareExperienced     string          `json:"careExperienced"` // yes, no or unknown
	AddressConfidential bool            `json:"addressConfidential"`
	Contact             *apiContact     `json:"contact,omitempty"` // her record only, and only for those who may see it
	PractitionerID      int64           `json:"practitionerId,omitempty"`
	Version             int64           `json:"version"`
	Restricted          []apiRestricted `json:"restricted,omitempty"`
}

// apiContact is her contact details and how it is safe to reach her.
type apiContact struct {
	Phone           apiContactDetail `json:"phone"`
	OtherPhone      apiContactDetail `json:"otherPhone"`
	Email           apiContactDetail `json:"email"`
	Address         apiContactDetail `json:"address"`
	SafeChannels    []string         `json:"safeChannels"`
	SafeTimes       string           `json:"safeTimes,omitempty"`
	NoVoicemail     bool             `json:"noVoicemail"`
	ViaProfessional string           `json:"viaProfessional,omitempty"`
}

type apiContactDetail struct {
	Value string `json:"value,omitempty"`
	Safe  string `json:"safe"` // yes, no or unknown
}

func toAPIContact(p programme.Person) *apiContact {
	d := func(c programme.ContactDetail) apiContactDetail {
		return apiContactDetail{Value: c.Value, Safe: string(c.Safe)}
	}
	sc := p.SafeContact
	return &apiContact{Phone: d(p.Contact.Phone), OtherPhone: d(p.Contact.OtherPhone), Email: d(p.Contact.Email), Address: d(p.Contact.Address),
		SafeChannels: append([]string{}, sc.Channels...), SafeTimes: sc.Times, NoVoicemail: sc.NoVoicemail, ViaProfessional: sc.ViaProfessional}
}

type apiRestricted struct {
	Section string `json:"section"`
	Visible bool   `json:"visible"`
	Text    string `json:"text,omitempty"`
	Version int64  `json:"version,omitempty"`
}

func toAPIPerson(p programme.Person) apiPerson {
	return apiPerson{Ref: p.Ref, FirstName: p.FirstName, LastName: p.LastName, PreferredName: p.PreferredName, Pronouns: p.Pronouns,
		DateOfBirth: p.DateOfBirth.String(), LocalAuthority: p.LACode, CareExperienced: string(p.CareExperienced),
		AddressConfidential: p.AddressConfidential, PractitionerID: p.PractitionerID, Version: p.Version}
}

type apiPeoplePage struct {
	People []apiPerson `json:"people"`
	Next   string      `json:"next,omitempty"` // pass as ?after= for the next page
}

// apiPeople is GET /api/v1/people: the people the caller may see, paged.
func (s *Server) apiPeople(w http.ResponseWriter, r *http.Request) error {
	after := r.URL.Query().Get("after")
	pg := store.Page{Limit: 100}
	if after != "" {
		n, err := strconv.ParseInt(after, 10, 64)
		if err != nil || n < 0 {
			return badRequest("after must be a whole number from a previous page's next")
		}
		pg.After = n
	}
	if l := r.URL.Query().Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 500 {
			return badRequest("limit must be a whole number from 1 to 500")
		}
		pg.Limit = n
	}
	people, err := s.store.PeopleFor(r.Context(), infoFrom(r.Context()).actor, pg)
	if err != nil {
		return err
	}
	return s.writePeoplePage(w, r, people, pg, "list")
}

// writePeoplePage audits a list of people as a view, then sends it with the
// cursor for the next page.
func (s *Server) writePeoplePage(w http.ResponseWriter, r *http.Request, people []programme.Person, pg store.Page, section string) error {
	if err := s.store.Audit(r.Context(), s.viewEvent(r, 0, section)); err != nil {
		return err
	}
	out := apiPeoplePage{People: []apiPerson{}}
	for _, p := range people {
		out.People = append(out.People, toAPIPerson(p))
	}
	if len(people) == pg.Limit {
		out.Next = itoa(people[len(people)-1].ID)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// apiPersonShow is GET /api/v1/people/{ref}, with the same rules and audit as the page.
func (s *Server) apiPersonShow(w http.ResponseWriter, r *http.Request) error {
	p, acc, err := s.personFor(r)
	if err != nil {
		return err
	}
	if !acc.Record {
		return refuseRecord(p, acc)
	}
	out := toAPIPerson(p)
	// Her contact details are part of her details, audited with them.
	if programme.ContactVisible(p, acc) {
		out.Contact = toAPIContact(p)
	}
	var notes map[programme.Section]programme.RestrictedNote
	if acc.Restricted {
		if notes, err = s.store.RestrictedNotes(r.Context(), p.ID); err != nil {
			return err
		}
	}
	for _, sec := range programme.Sections {
		rs := apiRestricted{Section: string(sec), Visible: acc.Restricted}
		if acc.Restricted {
			rs.Text, rs.Version = notes[sec].Body, notes[sec].Version
		}
		out.Restricted = append(out.Restricted, rs)
	}
	section := "details"
	if acc.Restricted {
		section = "details,restricted"
	}
	if err := s.store.Audit(r.Context(), s.viewEvent(r, p.ID, section)); err != nil {
		return err
	}
	w.Header().Set("ETag", `"`+itoa(p.Version)+`"`)
	writeJSON(w, http.StatusOK, out)
	return nil
}
