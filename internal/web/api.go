package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"haven/internal/auth"
	"haven/internal/haven"
)

// The JSON API lives under /api/v1/. It answers with the same rules and the
// same audit as the pages; only the format differs.

func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

// apiError is every API error's shape: a stable code and a human message.
type apiError struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
	Ref     string            `json:"reference"`
}

var apiCodes = map[int]string{
	http.StatusBadRequest:            "bad_request",
	http.StatusUnauthorized:          "unauthenticated",
	http.StatusForbidden:             "forbidden",
	http.StatusNotFound:              "not_found",
	http.StatusMethodNotAllowed:      "method_not_allowed",
	http.StatusConflict:              "conflict",
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
