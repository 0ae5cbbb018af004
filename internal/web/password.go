package web

import (
	"net/http"
	"strings"

	"haven/internal/audit"
	"haven/internal/auth"
	"haven/internal/store"
)

type passwordPage struct {
	Layout
	RevokeTokens bool // the "Also revoke my API tokens" box is ticked
}

func (s *Server) passwordForm(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "password.html", &passwordPage{Layout: Layout{Title: "Change your password", Nav: "account"}, RevokeTokens: true})
}

// changePassword sets a new password after re-authentication (S13). Every
// other session ends (S12), and the API tokens too unless the box is
// unticked; this browser gets a fresh session.
func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	actor := infoFrom(r.Context()).actor
	pw, confirm := r.PostFormValue("password"), r.PostFormValue("confirm")
	local, _, _ := strings.Cut(actor.User.Email, "@")
	p := &passwordPage{Layout: Layout{Title: "Change your password", Nav: "account"}, RevokeTokens: tokensChoice(r) == store.RevokeTokens}
	if problem := auth.PasswordProblem(pw, local, actor.User.DisplayName); problem != "" {
		p.Errors = []FieldError{{"password", problem}}
	} else if pw != confirm {
		p.Errors = []FieldError{{"confirm", "The passwords do not match"}}
	}
	if p.HasErrors() {
		return s.render(w, r, http.StatusUnprocessableEntity, "password.html", p)
	}
	hash, err := auth.HashPassword(pw)
	if err != nil {
		return err
	}
	tokens := tokensChoice(r)
	if err := s.store.SetPassword(r.Context(), s.auditEvent(r, audit.PasswordSet), actor.User.ID, hash, tokens); err != nil {
		return err
	}
	infoFrom(r.Context()).session = nil // SetPassword ended it with the rest
	if err := s.startSession(w, r, actor.User.ID, true); err != nil {
		return err
	}
	done := "password"
	if tokens == store.RevokeTokens {
		done = "password-tokens"
	}
	http.Redirect(w, r, "/account?done="+done, http.StatusSeeOther)
	return nil
}
