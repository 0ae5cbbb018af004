package web

import (
	"errors"
	"net/http"
	"strconv"

	"haven/internal/audit"
	"haven/internal/haven"
)

func (s *Server) requestTransfer(w http.ResponseWriter, r *http.Request) error {
	p, acc, err := s.recordForm(r)
	if err != nil {
		return err
	}
	if !acc.Allocate {
		return haven.ErrForbidden
	}
	to, _ := strconv.ParseInt(r.PostFormValue("toPractice"), 10, 64)
	err = s.store.RequestTransfer(r.Context(), s.auditEvent(r, audit.Update), p, to, r.PostFormValue("note"), infoFrom(r.Context()).actor.User.ID)
	he, _ := errors.AsType[*haven.Error](err)
	fields := map[string]string{}
	switch {
	case err == nil || isDuplicate(err):
		s.saved(w, r, "/people/"+p.Ref+"#transfer", "transfer")
		return nil
	case errors.Is(err, haven.ErrConflict):
		fields["toPractice"] = "A transfer for her is already waiting for an answer"
	case errors.Is(err, haven.ErrInvalid) && he != nil && he.Fields == nil:
		fields["toPractice"] = "Choose the Practice she is moving to"
	case he != nil && he.Kind == haven.KindInvalid:
		fields = he.Fields
	default:
		return err
	}
	status := statusOf(err)
	page, err := s.personPageData(r, p, acc)
	if err != nil {
		return err
	}
	page.Errors = fieldErrors(fields, "toPractice", "note")
	if page.Transfer != nil { // the form gives way to the waiting transfer: link to that
		for i := range page.Errors {
			page.Errors[i].Field = "transfer"
		}
	}
	return s.render(w, r, status, "person.html", page)
}

// decideTransfer is the receiving lead's answer to a transfer.
func (s *Server) decideTransfer(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	id, err := userID(r, "id")
	if err != nil {
		return err
	}
	accept := r.PostFormValue("decision") == "accept"
	if !accept && r.PostFormValue("decision") != "decline" {
		return badRequest("Choose to accept or decline the transfer.")
	}
	if _, err := s.store.DecideTransfer(r.Context(), s.auditEvent(r, audit.Update), infoFrom(r.Context()).actor, id, accept); err != nil {
		return err
	}
	s.saved(w, r, "/overview", "transfer-answered")
	return nil
}
