package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"haven/internal/audit"
	"haven/internal/auth"
)

// carried is a form someone had filled in when Haven had to ask them to
// prove who they are again. It goes back to their own browser as hidden
// fields, so nothing they typed is lost.
type carried struct {
	Action string
	Fields []carriedField
}

type carriedField struct{ Name, Value string }

// reauthPage asks for the password and a fresh code (S13).
type reauthPage struct {
	Layout
	Next  string
	Carry carried
}

// continuePage offers to send the carried form now that the person has signed in again.
type continuePage struct {
	Layout
	Carry carried
}

// localPath accepts only a path on this site, never another host. Browsers
// drop tab, CR and LF anywhere in a URL and read `\` as `/`, so "/\t/evil"
// would be followed as "//evil": the check is made on what the browser will
// follow, and that is what is returned.
func localPath(p string) string {
	p = strings.NewReplacer("\t", "", "\r", "", "\n", "").Replace(p)
	if len(p) > 200 || !utf8.ValidString(p) || !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") ||
		strings.ContainsFunc(p, func(r rune) bool { return r == '\\' || r < 0x20 || r == 0x7f }) {
		return "/"
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return "/"
	}
	return p
}

// needsReauth reports whether the session last proved its owner's identity
// too long ago for a sensitive action.
func (s *Server) needsReauth(r *http.Request) bool {
	info := infoFrom(r.Context())
	return info.session == nil || s.now().Sub(info.session.AuthedAt) > reauthRequired
}

// askReauth sends a GET to the re-authentication page, or shows that page in
// place of a POST, carrying what was typed.
func (s *Server) askReauth(w http.ResponseWriter, r *http.Request) error {
	if r.Method == http.MethodGet {
		http.Redirect(w, r, "/reauth?next="+url.QueryEscape(r.URL.Path), http.StatusSeeOther)
		return nil
	}
	if err := parseForm(r); err != nil {
		return err
	}
	p := &reauthPage{Layout: Layout{Title: "Confirm it is you"}, Carry: carryForm(r)}
	return s.render(w, r, http.StatusUnauthorized, "reauth.html", p)
}

// carryForm keeps a posted form, to send again once the person has proved who they are.
func carryForm(r *http.Request) carried {
	c := carried{Action: localPath(r.URL.Path)}
	keys := make([]string, 0, len(r.PostForm))
	for k := range r.PostForm {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		for _, v := range r.PostForm[k] {
			c.Fields = append(c.Fields, carriedField{k, v})
		}
	}
	return c
}

// carriedFromForm reads a carried form back from the hidden fields that hold it.
func carriedFromForm(r *http.Request) carried {
	var c carried
	action := r.PostFormValue("carry_action")
	if action == "" {
		return c
	}
	c.Action = localPath(action)
	names, values := r.PostForm["carry_name"], r.PostForm["carry_value"]
	if len(names) == len(values) {
		for i := range names {
			c.Fields = append(c.Fields, carriedField{names[i], values[i]})
		}
	}
	return c
}

func (s *Server) reauthForm(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "reauth.html", &reauthPage{Layout: Layout{Title: "Confirm it is you"}, Next: localPath(r.URL.Query().Get("next"))})
}

func (s *Server) reauth(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	info := infoFrom(r.Context())
	p := &reauthPage{Layout: Layout{Title: "Confirm it is you"}, Next: localPath(r.PostFormValue("next")), Carry: carriedFromForm(r)}
	now := s.now()
	key := "reauth:" + itoa(info.actor.User.ID)
	if wait := s.throttle.Wait(key, now); wait > 0 {
		return s.tooManyTries(w, r, wait)
	}
	acct, err := s.store.Account(r.Context(), info.actor.User.ID)
	if err != nil {
		return err
	}
	ok, err := auth.CheckPassword(acct.PasswordHash, r.PostFormValue("password"))
	if err != nil {
		return err
	}
	ok = ok && !s.lockedOut(acct) // a locked account is refused as a wrong password is (S6, S7)
	if ok {
		step, valid := auth.CheckTOTP(acct.TOTPSecret, r.PostFormValue("code"), now, acct.TOTPLastStep)
		ok = valid
		if valid {
			if ok, err = s.store.UseTOTPStep(r.Context(), acct.ID, step); err != nil {
				return err
			}
		}
	}
	if !ok {
		s.throttle.Fail(key, now)
		s.security(r, s.auditEvent(r, audit.MFAFailed))
		if err := s.failedStep(r, acct.ID); err != nil {
			return err
		}
		p.Errors = []FieldError{{"password", "Enter your correct password and a current code from your app"}}
		return s.render(w, r, http.StatusUnauthorized, "reauth.html", p)
	}
	s.throttle.Succeed(key)
	if err := s.store.ClearFailedLogins(r.Context(), acct.ID); err != nil {
		return err
	}
	if err := s.store.Reauthenticated(r.Context(), info.session.ID); err != nil {
		return err
	}
	if p.Carry.Action != "" {
		return s.render(w, r, http.StatusOK, "continue.html", &continuePage{Layout: Layout{Title: "Continue"}, Carry: p.Carry})
	}
	http.Redirect(w, r, p.Next, http.StatusSeeOther) // #nosec G710 -- p.Next comes only from localPath, which keeps only a same-origin path: no scheme or host, nor // or /\ once the browser strips tab and newline
	return nil
}
