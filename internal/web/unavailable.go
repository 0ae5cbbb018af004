package web

import (
	"errors"
	"net/http"
	"strings"

	"haven/internal/store"
)

// unavailablePage answers a form that could not be saved because Haven's
// storage is full or its database is not answering (R3). What was typed
// comes back, ready to send again as it was.
type unavailablePage struct {
	Layout
	Full    bool    // storage is full, rather than the database not answering
	Carry   carried // every field, sent again by "Try saving again"
	Shown   []carriedField
	Dropped bool // passwords and codes were not kept
}

// unavailableEvent names the log event for a 503.
func unavailableEvent(err error) string {
	if errors.Is(err, store.ErrStorageFull) {
		return "storage_full"
	}
	return "storage_unavailable"
}

// secretField reports whether a field holds a password or a one-time code,
// which are never written back into a page.
func secretField(name string) bool {
	return name == "code" || name == "confirm" || strings.Contains(name, "password")
}

// keepForm shows a form that could not be saved with everything typed into
// it, and a button that sends it again. It reports false for what is not a
// browser's form, which gets the ordinary error page or JSON.
func (s *Server) keepForm(w http.ResponseWriter, r *http.Request, err error) bool {
	if isAPI(r) || r.Method != http.MethodPost || parseForm(r) != nil {
		return false
	}
	p := &unavailablePage{Layout: Layout{Title: errorHeadings[http.StatusServiceUnavailable]}, Full: errors.Is(err, store.ErrStorageFull)}
	p.Carry.Action = localPath(r.URL.Path)
	for _, f := range carryForm(r).Fields {
		switch {
		case secretField(f.Name):
			p.Dropped = true
			continue
		case f.Name != "idempotency_key": // carried, but means nothing to the reader
			p.Shown = append(p.Shown, f)
		}
		p.Carry.Fields = append(p.Carry.Fields, f)
	}
	return s.render(w, r, http.StatusServiceUnavailable, "unavailable.html", p) == nil
}
