package web

import (
	"net/http"

	"haven/internal/haven"
	"haven/internal/programme"
)

// One rule for refusing a person's record (docs/SECURITY.md, "Refusing a
// record"), on her record page and every route under it, pages and API alike:
//
//   - someone in her Practice who may break the glass, but to whom she is not
//     allocated or shared, gets 403 and the way to break the glass. The
//     break-glass offer already tells her the record exists, so a 404 here
//     would hide nothing and leave her nowhere to go;
//   - everyone else (another Practice, another tenant, a reference that does
//     not exist) gets 404, the same answer in every case, so nothing tells
//     them whether she exists (S16, S18).
//
// A route whose permission the caller's role never has answers 404 before any
// record is looked up (authorise), whatever the reference: it tells nobody anything.

// needsBreakGlass is the 403 for someone in her Practice who may break the glass.
type needsBreakGlass struct {
	person programme.Person // only her ID, reference and Practice (store.PersonFor)
	acc    programme.Access
}

func (e *needsBreakGlass) Error() string {
	return "record not allocated or shared: break-glass required"
}

// refuseRecord is the answer for a person loaded by personFor whose record
// the caller may not open.
func refuseRecord(p programme.Person, acc programme.Access) error {
	if acc.BreakGlass {
		return &needsBreakGlass{person: programme.Person{ID: p.ID, Ref: p.Ref, PracticeID: p.PracticeID}, acc: acc}
	}
	return haven.ErrNotFound
}

// breakGlassRoute is where the glass is broken: a form on her record page,
// for a signed-in session (API tokens cannot break the glass).
func breakGlassRoute(ref string) string { return "/people/" + ref + "/break-glass" }

// serveBreakGlass answers a needsBreakGlass refusal: the record page's
// break-glass offer, or for the API a 403 naming the route.
func (s *Server) serveBreakGlass(w http.ResponseWriter, r *http.Request, e *needsBreakGlass) {
	if isAPI(r) {
		out := apiError{Code: apiCodes[http.StatusForbidden], Ref: infoFrom(r.Context()).id, BreakGlass: breakGlassRoute(e.person.Ref),
			Message: "She is not allocated to you or shared with you. To see her record, break the glass on her record page in Haven (" +
				breakGlassRoute(e.person.Ref) + "), giving your reason; it is recorded and shown to the Practice lead."}
		writeJSON(w, http.StatusForbidden, out)
		return
	}
	page := &personPage{Layout: Layout{Title: "Restricted record", Nav: "people"}, Person: e.person, Access: e.acc}
	if err := s.render(w, r, http.StatusForbidden, "person.html", page); err != nil {
		http.Error(w, "Sorry, there is a problem with the service. Reference: "+infoFrom(r.Context()).id, http.StatusInternalServerError)
	}
}
