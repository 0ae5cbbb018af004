package web

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"haven/internal/audit"
	"haven/internal/auth"
	"haven/internal/haven"
	"haven/internal/store"
)

// The enrolment link carries a one-time token. Haven moves it out of the
// address bar into a short-lived cookie at once, so it is not left in
// browser history.
const enrolCookie = "__Host-haven_enrol"

type enrolPage struct {
	Layout
	Email string
}

func (s *Server) enrolLink(w http.ResponseWriter, r *http.Request) error {
	token := r.PathValue("token")
	if len(token) > 128 {
		return &statusError{http.StatusNotFound, ""}
	}
	if _, err := s.store.EnrolmentUser(r.Context(), auth.HashToken(token)); err != nil {
		if errors.Is(err, haven.ErrNotFound) {
			return &statusError{http.StatusNotFound, "This enrolment link has expired or has already been used. Ask your Haven administrator for a new one."}
		}
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: enrolCookie, Value: token, Path: "/", Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode, MaxAge: int((30 * time.Minute).Seconds())})
	http.Redirect(w, r, "/enrol", http.StatusSeeOther)
	return nil
}

// enrolUser finds whose enrolment this browser is part way through.
func (s *Server) enrolUser(r *http.Request) (int64, string, error) {
	c, err := r.Cookie(enrolCookie)
	if err != nil || len(c.Value) > 128 {
		return 0, "", &statusError{http.StatusNotFound, "Open the enrolment link you were given again."}
	}
	id, err := s.store.EnrolmentUser(r.Context(), auth.HashToken(c.Value))
	if errors.Is(err, haven.ErrNotFound) {
		return 0, "", &statusError{http.StatusNotFound, "This enrolment link has expired or has already been used. Ask your Haven administrator for a new one."}
	}
	return id, c.Value, err
}

func (s *Server) enrolForm(w http.ResponseWriter, r *http.Request) error {
	id, _, err := s.enrolUser(r)
	if err != nil {
		return err
	}
	acct, err := s.store.Account(r.Context(), id)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "enrol.html", &enrolPage{Layout: Layout{Title: "Create your password", Nav: "sign-in"}, Email: acct.Email})
}

func (s *Server) enrol(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	id, token, err := s.enrolUser(r)
	if err != nil {
		return err
	}
	acct, err := s.store.Account(r.Context(), id)
	if err != nil {
		return err
	}
	p := &enrolPage{Layout: Layout{Title: "Create your password", Nav: "sign-in"}, Email: acct.Email}
	pw, confirm := r.PostFormValue("password"), r.PostFormValue("confirm")
	local, _, _ := strings.Cut(acct.Email, "@")
	if problem := auth.PasswordProblem(pw, local, acct.DisplayName); problem != "" {
		p.Errors = append(p.Errors, FieldError{"password", problem})
	} else if pw != confirm {
		p.Errors = append(p.Errors, FieldError{"confirm", "The passwords do not match"})
	}
	if p.HasErrors() {
		return s.render(w, r, http.StatusUnprocessableEntity, "enrol.html", p)
	}
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return err
	}
	if err := s.store.SpendEnrolmentToken(r.Context(), auth.HashToken(token)); err != nil {
		return err
	}
	// The link is the administrator's way back in, so setting the password
	// clears any sign-in lock: guessing at an invited address must not keep
	// the person it was sent to out (S6).
	e := s.auditEvent(r, audit.PasswordSet)
	e.UserID = id
	if err := s.store.SetPassword(r.Context(), e, id, hash, store.KeepTokens); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: enrolCookie, Value: "", Path: "/", Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode, MaxAge: -1})
	if err := s.startSession(w, r, id, false); err != nil {
		return err
	}
	http.Redirect(w, r, "/account/mfa/setup", http.StatusSeeOther)
	return nil
}
