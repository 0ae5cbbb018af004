package web

import (
	"errors"
	"net/http"

	"haven/internal/haven"
)

// handlerFunc is a handler that returns its error instead of writing it, so
// that every failure goes through serveError.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// statusError carries an HTTP status that no domain kind names (400, 405, 413).
type statusError struct {
	status  int
	message string
}

func (e *statusError) Error() string { return e.message }

func badRequest(msg string) error { return &statusError{http.StatusBadRequest, msg} }

var errTooLarge = &statusError{http.StatusRequestEntityTooLarge, "The information you sent is too large."}

// errorPage is what every error page shows: never a stack trace or SQL.
type errorPage struct {
	Layout
	Status  int
	Heading string
	Message string
	Entered []enteredField // a form refused for its characters: what she typed, marked (formtext.go)
}

var errorHeadings = map[int]string{
	http.StatusBadRequest:            "Sorry, Haven could not understand that request",
	http.StatusUnauthorized:          "Sign in to continue",
	http.StatusForbidden:             "You do not have permission to see this page",
	http.StatusNotFound:              "Page not found",
	http.StatusMethodNotAllowed:      "Sorry, that action is not available on this page",
	http.StatusConflict:              "Someone else changed this record",
	http.StatusRequestEntityTooLarge: "What you sent is too large",
	http.StatusUnprocessableEntity:   "There is a problem with what you entered",
	http.StatusTooManyRequests:       "Sorry, there have been too many requests",
	http.StatusServiceUnavailable:    "Sorry, Haven cannot save changes at the moment",
	http.StatusInternalServerError:   "Sorry, there is a problem with the service",
}

// statusOf maps an error to its HTTP status.
func statusOf(err error) int {
	if se, ok := errors.AsType[*statusError](err); ok {
		return se.status
	}
	if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
		return http.StatusRequestEntityTooLarge
	}
	if _, ok := errors.AsType[*needsBreakGlass](err); ok {
		return http.StatusForbidden
	}
	switch haven.KindOf(err) {
	case haven.KindNotFound:
		return http.StatusNotFound
	case haven.KindForbidden:
		return http.StatusForbidden
	case haven.KindConflict:
		return http.StatusConflict
	case haven.KindInvalid:
		return http.StatusUnprocessableEntity
	case haven.KindUnavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// serveError writes the error page for err. Internal errors are logged with
// the request ID and shown to the user only as that ID.
func (s *Server) serveError(w http.ResponseWriter, r *http.Request, err error) {
	if nb, ok := errors.AsType[*needsBreakGlass](err); ok {
		s.serveBreakGlass(w, r, nb) // one rule for her record and every route under it (refusal.go)
		return
	}
	status := statusOf(err)
	info := infoFrom(r.Context())
	if status == http.StatusUnauthorized && !isAPI(r) {
		s.signInAgain(w, r)
		return
	}
	te, refusedText := errors.AsType[*textError](err)
	if refusedText { // S22: how many fields, never what was sent
		s.log.Warn("security event", "event", "text_refused", "request_id", info.id, "fields", len(te.err.Fields))
	}
	msg := ""
	switch {
	case status == http.StatusInternalServerError:
		s.log.Error("request failed", "request_id", info.id, "route", info.route, "error", err.Error())
		msg = "Try again later. If it keeps happening, contact your Haven administrator and give them the reference below."
	case status == http.StatusServiceUnavailable:
		s.log.Warn("storage unavailable", "event", unavailableEvent(err), "request_id", info.id, "error", err.Error())
		msg = "Nothing you typed has been lost: go back, wait a few minutes and try again."
	default:
		if se, ok := errors.AsType[*statusError](err); ok {
			msg = se.message
		} else if status != http.StatusNotFound {
			msg = haven.MessageOf(err)
		} else {
			msg = "If you typed the web address, check it is correct. If you pasted the web address, check you copied the entire address."
		}
	}
	if status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "60")
		if s.keepForm(w, r, err) { // a form that could not be saved comes back whole (unavailable.go)
			return
		}
		if isAPI(r) {
			msg = haven.MessageOf(err)
		}
	}
	if isAPI(r) {
		if status == http.StatusNotFound && msg != "" && len(msg) > 60 {
			msg = "Not found."
		}
		if msg == "" {
			msg = errorHeadings[status]
		}
		s.writeAPIError(w, r, status, msg, err)
		return
	}
	p := &errorPage{Status: status, Heading: errorHeadings[status], Message: msg}
	p.Title = p.Heading
	if refusedText {
		p.Entered, p.Errors = te.entered, te.errors
	}
	if err := s.render(w, r, status, "error.html", p); err != nil {
		// The error page itself failed: fall back to plain text that still carries the reference.
		http.Error(w, "Sorry, there is a problem with the service. Reference: "+info.id, status)
	}
}
