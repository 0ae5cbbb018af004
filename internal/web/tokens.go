package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/auth"
)

// tokensPage lists a person's API tokens and makes new ones. A new token is
// shown once, on the page that creates it.
type tokensPage struct {
	Layout
	Tokens  []access.APIToken
	Name    string
	Days    string
	Created string
	Repeat  bool // the form was sent twice: the token exists, but its secret was shown only the first time
	Now     time.Time
}

func (s *Server) tokensPage(r *http.Request) (*tokensPage, error) {
	ts, err := s.store.APITokens(r.Context(), infoFrom(r.Context()).actor.User.ID)
	if err != nil {
		return nil, err
	}
	return &tokensPage{Layout: Layout{Title: "API tokens", Nav: "account"}, Tokens: ts, Days: "90", Now: s.now()}, nil
}

func (s *Server) tokens(w http.ResponseWriter, r *http.Request) error {
	p, err := s.tokensPage(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "tokens.html", p)
}

func (s *Server) createToken(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	p, err := s.tokensPage(r)
	if err != nil {
		return err
	}
	p.Name, p.Days = strings.TrimSpace(r.PostFormValue("name")), strings.TrimSpace(r.PostFormValue("days"))
	f := map[string]string{}
	if n := utf8.RuneCountInString(p.Name); n == 0 || n > 100 {
		f["name"] = "Enter a name of 100 characters or fewer, like Evaluation export"
	}
	days, err := strconv.Atoi(p.Days)
	if err != nil || days < 1 || days > 365 {
		f["days"] = "Enter a number of days from 1 to 365"
	}
	if len(f) > 0 {
		p.Errors = fieldErrors(f, "name", "days")
		return s.render(w, r, http.StatusUnprocessableEntity, "tokens.html", p)
	}
	token := "haven_" + auth.NewToken()
	user := infoFrom(r.Context()).actor.User.ID
	_, err = s.store.CreateAPIToken(r.Context(), s.auditEvent(r, audit.TokenCreated), user, p.Name, auth.HashToken(token), s.now().AddDate(0, 0, days))
	if err != nil && !isDuplicate(err) {
		return err
	}
	repeat := err != nil
	if p, err = s.tokensPage(r); err != nil {
		return err
	}
	if p.Repeat = repeat; !repeat {
		p.Created = token
	}
	return s.render(w, r, http.StatusOK, "tokens.html", p)
}

func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request) error {
	id, err := userID(r, "id")
	if err != nil {
		return err
	}
	if err := s.store.RevokeAPIToken(r.Context(), s.auditEvent(r, audit.TokenRevoked), infoFrom(r.Context()).actor.User.ID, id); err != nil {
		return err
	}
	http.Redirect(w, r, "/account/tokens", http.StatusSeeOther)
	return nil
}
