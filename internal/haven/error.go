// Package haven holds what every other package shares: the error kinds that
// travel from the store to the web layer and become the right response.
package haven

import (
	"errors"
	"fmt"
)

// Kind says what went wrong in terms a user and a status code understand.
type Kind string

const (
	KindNotFound    Kind = "not_found"
	KindConflict    Kind = "conflict"
	KindInvalid     Kind = "invalid"
	KindForbidden   Kind = "forbidden"
	KindUnavailable Kind = "unavailable" // storage full or database down: try again later
	KindInternal    Kind = "internal"
)

// Sentinels for errors.Is.
var (
	ErrNotFound    = &Error{Kind: KindNotFound, Message: "Not found."}
	ErrConflict    = &Error{Kind: KindConflict, Message: "Someone else changed this record while you were editing it."}
	ErrInvalid     = &Error{Kind: KindInvalid, Message: "Check the details you entered."}
	ErrForbidden   = &Error{Kind: KindForbidden, Message: "You do not have permission to do that."}
	ErrUnavailable = &Error{Kind: KindUnavailable, Message: "Haven cannot save changes at the moment. Try again later."}
)

// Error is Haven's one error type. Message is safe to show to users; Fields
// maps a form field name to its error message.
type Error struct {
	Kind    Kind
	Message string
	Fields  map[string]string
}

func (e *Error) Error() string {
	if e.Message == "" {
		return string(e.Kind)
	}
	return e.Message
}

// Is matches any *Error of the same kind, so errors.Is(err, haven.ErrNotFound) works.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Kind == e.Kind
}

// Errorf returns an *Error of the given kind with a user-safe message.
func Errorf(kind Kind, format string, args ...any) *Error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns a validation error carrying per-field messages.
func Invalid(fields map[string]string) *Error {
	return &Error{Kind: KindInvalid, Message: "There is a problem", Fields: fields}
}

// KindOf returns the kind of err, or KindInternal for anything Haven did not classify.
func KindOf(err error) Kind {
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Kind
	}
	return KindInternal
}

// MessageOf returns the user-safe message of err, or a generic one.
func MessageOf(err error) string {
	if e, ok := errors.AsType[*Error](err); ok && e.Message != "" {
		return e.Message
	}
	return "Sorry, there is a problem with the service."
}
