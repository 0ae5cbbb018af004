package web

import (
	"crypto/rand"
	"errors"
	"html/template"
	"net/http"

	"haven/internal/haven"
	"haven/internal/programme"
	"haven/internal/store"
)

// Idempotency (R6): every create carries a random key, so a double click, a
// resent form or a retried API call makes one record. Forms carry it in a
// hidden field that render fills in; the API takes it from a header. The
// store claims it in the same transaction as the record, and a repeat comes
// back as a *store.Duplicate naming the first record, which each handler
// turns into the answer the first request got.
const (
	// IdempotencyField is the hidden field in every create form.
	IdempotencyField = "idempotency_key"
	// IdempotencyHeader is the optional header on API creates.
	IdempotencyHeader = "Idempotency-Key"
	// ReplayedHeader marks an API answer that repeats an earlier create's.
	ReplayedHeader = "Idempotent-Replayed"
)

// idempotentRoutes are the creates: each needs a key in its form (the form
// always renders one) and honours one in the Idempotency-Key header on the API.
var idempotentRoutes = map[string]bool{
	"POST /directory/suggest":                              true,
	"POST /directory/services/{id}/correct":                true,
	"POST /mailing-list/send":                              true,
	"POST /people":                                         true,
	"POST /people/{ref}/people-around":                     true,
	"POST /people/{ref}/break-glass":                       true,
	"POST /people/{ref}/enrolments":                        true,
	"POST /people/{ref}/plan/goals":                        true,
	"POST /people/{ref}/plan/goals/{id}/reviews":           true,
	"POST /people/{ref}/reproductive-health/contraception": true,
	"POST /people/{ref}/reproductive-health/pregnancies":   true,
	"POST /people/{ref}/measures/new/{instrument}":         true,
	"POST /api/v1/people/{ref}/measures":                   true,
	"POST /people/{ref}/transfer":                          true,
	"POST /people/{ref}/referrals-out":                     true,
	"POST /people/{ref}/sessions":                          true,
	"POST /people/{ref}/sessions/{id}/corrections":         true,
	"POST /agencies":                                       true,
	"POST /refer":                                          true,
	"POST /refer/professional":                             true,
	"POST /referrals/new":                                  true,
	"POST /admin/users":                                    true,
	"POST /account/tokens":                                 true,
	"POST /api/v1/people/{ref}/enrolments":                 true,
	"POST /api/v1/people/{ref}/goals":                      true,
	"POST /api/v1/people/{ref}/sessions":                   true,
	"POST /api/v1/self-referrals":                          true,
	// Children and contact (routes_contact.go).
	"POST /people/{ref}/contact/children":                  true,
	"POST /people/{ref}/contact/proceedings":               true,
	"POST /people/{ref}/contact/arrangements":              true,
	"POST /people/{ref}/contact/arrangements/{id}/changes": true,
	"POST /people/{ref}/contact/changes/{id}/explanation":  true,
	"POST /people/{ref}/contact/sessions":                  true,
	"POST /people/{ref}/contact/letterbox":                 true,
	"POST /api/v1/people/{ref}/children":                   true,
	"POST /api/v1/people/{ref}/proceedings":                true,
	"POST /api/v1/people/{ref}/arrangements":               true,
	"POST /api/v1/people/{ref}/changes":                    true,
	"POST /api/v1/people/{ref}/contact-sessions":           true,
	"POST /api/v1/people/{ref}/letterbox":                  true,
	"POST /api/v1/people/{ref}/changes/{id}/explanations":  true,
}

var errBadKey = badRequest("This form is missing its hidden idempotency_key field, or it was changed. Go back, reload the form and send it again.")

var errBadKeyHeader = badRequest("Idempotency-Key must be 16 to 128 letters, digits, hyphens or underscores.")

// withIdempotencyKey puts the request's key in its context for the store.
// A form must carry a valid key; the API may leave the header out.
func withIdempotencyKey(r *http.Request) (*http.Request, error) {
	var key string
	if isAPI(r) {
		key = r.Header.Get(IdempotencyHeader)
		if key == "" {
			return r, nil
		}
		if !store.ValidIdempotencyKey(key) {
			return r, errBadKeyHeader
		}
	} else {
		// Only the key is checked here: some forms take other answers that
		// are not UTF-8 and ask for them again.
		if err := r.ParseForm(); err != nil {
			if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
				return r, errTooLarge
			}
			return r, badRequest("The form could not be read. Go back and try again.")
		}
		key = r.PostForm.Get(IdempotencyField)
		if !store.ValidIdempotencyKey(key) {
			return r, errBadKey
		}
	}
	return r.WithContext(store.WithIdempotencyKey(r.Context(), key)), nil
}

// idempotencyInput is the hidden field for a create form whose action is
// action. A form sent back with errors keeps the key it was sent with, so
// the corrected form is still the same request; any other form gets a new one.
func idempotencyInput(p page, action string) template.HTML {
	l := p.layout()
	key := rand.Text()
	if l.idemAction == action && store.ValidIdempotencyKey(l.idemKey) {
		key = l.idemKey
	}
	// The key is letters, digits, '-' and '_' only, so it needs no escaping.
	return template.HTML(`<input type="hidden" name="` + IdempotencyField + `" value="` + key + `">`) // #nosec G203 -- the field name is a constant and the key passed ValidIdempotencyKey or came from rand.Text
}

// isDuplicate reports whether a create was a repeat: the record exists, made
// by the first request with the same key. Check it before ErrConflict, which
// it also is.
func isDuplicate(err error) bool {
	_, ok := duplicateOf(err)
	return ok
}

// duplicateOf returns the record a repeated create names.
func duplicateOf(err error) (*store.Duplicate, bool) { return errors.AsType[*store.Duplicate](err) }

// enrolment finds one of her enrolments, for answering a repeated create.
func (s *Server) enrolment(r *http.Request, personID, id int64) (programme.Enrolment, error) {
	es, err := s.store.Enrolments(r.Context(), personID)
	for _, e := range es {
		if e.ID == id {
			return e, nil
		}
	}
	if err == nil {
		err = haven.ErrNotFound
	}
	return programme.Enrolment{}, err
}

// goal finds one of her goals, for answering a repeated create.
func (s *Server) goal(r *http.Request, personID int64, restricted bool, id int64) (programme.Goal, error) {
	gs, err := s.store.Goals(r.Context(), personID, restricted)
	for _, g := range gs {
		if g.ID == id {
			return g, nil
		}
	}
	if err == nil {
		err = haven.ErrNotFound
	}
	return programme.Goal{}, err
}

// replayed marks an API answer as the repeat of an earlier create.
func replayed(w http.ResponseWriter) { w.Header().Set(ReplayedHeader, "true") }
