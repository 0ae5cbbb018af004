package web

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/auth"
	"haven/internal/haven"
	"haven/internal/store"
)

const totpIssuer = "Haven"

// signInPage is the email and password form. Notice explains why someone is
// here, e.g. after their session ran out.
type signInPage struct {
	Layout
	Email  string
	Notice string
	Carry  carried // a form the person was sending when their session ran out
}

// The one message for every failed sign-in, so that nobody can learn which
// emails have accounts (S7).
const signInFailed = "Enter a correct email address and password"

// Ten failures in a row, at any step of signing in, lock the account for 15
// minutes. The lock is kept in the database, so it holds across a restart and
// on every instance sharing the database, where the throttle in memory does
// not (S6). A locked account is refused exactly as a wrong password or code
// is, after the same work, so the refusal says nothing about the password
// (S7). An administrator can unlock it sooner (adminUnlock).
const (
	lockAfter = 10
	lockFor   = 15 * time.Minute
)

// lockedOut reports whether the account's stored lock is running.
func (s *Server) lockedOut(a access.Account) bool { return s.now().Before(a.LockedUntil) }

// failedStep counts a failed sign-in step against the account in the
// database, and records a lock if this failure started one.
func (s *Server) failedStep(r *http.Request, userID int64) error {
	until, err := s.store.RecordFailedLogin(r.Context(), userID, lockAfter, lockFor)
	if err != nil || until.IsZero() {
		return err
	}
	e := s.auditEvent(r, audit.LockedOut)
	e.UserID, e.Section = userID, lockFor.String()
	s.security(r, e)
	return nil
}

func (s *Server) signInForm(w http.ResponseWriter, r *http.Request) error {
	if infoFrom(r.Context()).actor != nil {
		http.Redirect(w, r, "/home", http.StatusSeeOther)
		return nil
	}
	return s.render(w, r, http.StatusOK, "sign-in.html", &signInPage{Layout: Layout{Title: "Sign in", Nav: "sign-in"}})
}

// signInAgain answers a request that needs a signed-in user when there is
// none: a page load goes to the sign-in page; anything else gets the sign-in
// page in place, saying why.
func (s *Server) signInAgain(w http.ResponseWriter, r *http.Request) {
	info := infoFrom(r.Context())
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		http.Redirect(w, r, "/sign-in", http.StatusSeeOther)
		return
	}
	p := &signInPage{Layout: Layout{Title: "Sign in", Nav: "sign-in"}, Notice: "You need to sign in to do that."}
	if info.expiredUser != 0 {
		p.Notice = "You were signed out because you had not used Haven for 30 minutes. What you entered has been kept: sign in to carry on."
		if parseForm(r) == nil {
			p.Carry = carryForm(r)
		}
	}
	if err := s.render(w, r, http.StatusUnauthorized, "sign-in.html", p); err != nil {
		http.Error(w, "Sign in to continue.", http.StatusUnauthorized)
	}
}

func (s *Server) signIn(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	email := strings.TrimSpace(r.PostFormValue("email"))
	password := r.PostFormValue("password")
	p := &signInPage{Layout: Layout{Title: "Sign in", Nav: "sign-in"}, Email: email, Carry: carriedFromForm(r)}
	if email == "" {
		p.Errors = append(p.Errors, FieldError{"email", "Enter your email address"})
	}
	if password == "" {
		p.Errors = append(p.Errors, FieldError{"password", "Enter your password"})
	}
	if len(email) > 254 || len(password) > 4*auth.MaxPasswordLen {
		p.Errors = []FieldError{{"email", signInFailed}}
	}
	if p.HasErrors() {
		return s.render(w, r, http.StatusUnprocessableEntity, "sign-in.html", p)
	}

	now := s.now()
	emailKey, ipKey := "email:"+access.NormaliseEmail(email), "ip:"+clientIP(r)
	if wait := max(s.throttle.Wait(emailKey, now), s.ipThrottle.Wait(ipKey, now)); wait > 0 {
		return s.tooManyTries(w, r, wait)
	}
	acct, err := s.store.AccountByEmail(r.Context(), email)
	ok := false
	switch {
	case errors.Is(err, haven.ErrNotFound):
		auth.CheckNoAccount(password) // same time as a wrong password
	case err != nil:
		return err
	case acct.PasswordHash == "":
		auth.CheckNoAccount(password) // invited but not yet enrolled
	default:
		ok, err = auth.CheckPassword(acct.PasswordHash, password)
		if err != nil {
			return err
		}
		ok = ok && !acct.Disabled && !s.lockedOut(acct) // the hash was checked all the same, for the time it takes
	}
	if !ok {
		wait := max(s.throttle.Fail(emailKey, now), s.ipThrottle.Fail(ipKey, now))
		e := s.auditEvent(r, audit.SignInFailed)
		e.UserID = acct.ID // 0 for an unknown email
		s.security(r, e)
		if wait > 0 {
			e.Action = audit.LockedOut
			e.Section = wait.Round(time.Second).String()
			s.security(r, e)
		}
		if acct.ID != 0 {
			if err := s.failedStep(r, acct.ID); err != nil {
				return err
			}
		}
		p.Errors = []FieldError{{"email", signInFailed}}
		return s.render(w, r, http.StatusUnauthorized, "sign-in.html", p)
	}
	// The stored count is cleared only when the second factor is passed too:
	// the right password alone must not wipe out failures at the code step.
	s.throttle.Succeed(emailKey)
	if err := s.startSession(w, r, acct.ID, false); err != nil {
		return err
	}
	if !acct.MFAEnrolled {
		http.Redirect(w, r, "/account/mfa/setup", http.StatusSeeOther)
		return nil
	}
	if p.Carry.Action != "" { // keep carrying the form: show the code step in place
		return s.render(w, r, http.StatusOK, "sign-in-code.html", &codePage{Layout: Layout{Title: "Enter your security code", Nav: "sign-in"}, Carry: p.Carry})
	}
	http.Redirect(w, r, "/sign-in/code", http.StatusSeeOther)
	return nil
}

func (s *Server) tooManyTries(w http.ResponseWriter, r *http.Request, wait time.Duration) error {
	mins := int(wait.Minutes()) + 1
	w.Header().Set("Retry-After", fmt.Sprint(int(wait.Seconds())+1))
	p := &errorPage{Status: http.StatusTooManyRequests, Heading: "Too many attempts",
		Message: fmt.Sprintf("Wait %d minute%s, then try again. If you have forgotten your password, ask your Haven administrator to reset it.", mins, map[bool]string{true: "", false: "s"}[mins == 1])}
	p.Title = p.Heading
	return s.render(w, r, http.StatusTooManyRequests, "error.html", p)
}

// codePage asks for the second factor.
type codePage struct {
	Layout
	Recovery bool // asking for a recovery code instead of a TOTP code
	Carry    carried
}

func (s *Server) codeForm(w http.ResponseWriter, r *http.Request) error {
	if infoFrom(r.Context()).session.MFAPassed {
		http.Redirect(w, r, "/home", http.StatusSeeOther)
		return nil
	}
	recovery := r.URL.Path == "/sign-in/recovery"
	return s.render(w, r, http.StatusOK, "sign-in-code.html", &codePage{Layout: Layout{Title: codeTitle(recovery), Nav: "sign-in"}, Recovery: recovery})
}

// checkCode takes the second factor, a TOTP code or a recovery code.
func (s *Server) checkCode(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	sess := infoFrom(r.Context()).session
	recovery := r.URL.Path == "/sign-in/recovery"
	p := &codePage{Layout: Layout{Title: codeTitle(recovery), Nav: "sign-in"}, Recovery: recovery, Carry: carriedFromForm(r)}
	code := strings.TrimSpace(r.PostFormValue("code"))
	if code == "" || len(code) > 32 {
		p.Errors = []FieldError{{"code", "Enter the code"}}
		return s.render(w, r, http.StatusUnprocessableEntity, "sign-in-code.html", p)
	}
	now := s.now()
	key := fmt.Sprintf("mfa:%d", sess.UserID)
	if wait := s.throttle.Wait(key, now); wait > 0 {
		return s.tooManyTries(w, r, wait)
	}
	acct, err := s.store.Account(r.Context(), sess.UserID)
	if err != nil {
		return err
	}
	ok := false
	action := audit.SignIn
	if !acct.MFAEnrolled {
		http.Redirect(w, r, "/account/mfa/setup", http.StatusSeeOther)
		return nil
	}
	switch {
	case s.lockedOut(acct):
		// Locked since the password step: refused as a wrong code is, and
		// neither the code nor the TOTP step is spent.
	case recovery:
		ok, err = s.store.UseRecoveryCode(r.Context(), acct.ID, auth.HashToken(auth.NormaliseRecoveryCode(code)))
		action = audit.RecoveryUsed
	default:
		if step, valid := auth.CheckTOTP(acct.TOTPSecret, code, now, acct.TOTPLastStep); valid {
			ok, err = s.store.UseTOTPStep(r.Context(), acct.ID, step) // fails if the step was used meanwhile
		}
	}
	if err != nil {
		return err
	}
	if !ok {
		s.throttle.Fail(key, now)
		e := s.auditEvent(r, audit.MFAFailed)
		s.security(r, e)
		if err := s.failedStep(r, acct.ID); err != nil {
			return err
		}
		msg := "The code is not correct or has already been used. Check your authenticator app and try again"
		if recovery {
			msg = "That recovery code is not correct or has already been used. Check it and try again, or use another one"
		}
		p.Errors = []FieldError{{"code", msg}}
		return s.render(w, r, http.StatusUnauthorized, "sign-in-code.html", p)
	}
	s.throttle.Succeed(key)
	if err := s.store.ClearFailedLogins(r.Context(), acct.ID); err != nil {
		return err
	}
	if err := s.startSession(w, r, acct.ID, true); err != nil {
		return err
	}
	if action == audit.RecoveryUsed {
		s.security(r, s.auditEvent(r, audit.RecoveryUsed))
	}
	s.security(r, s.auditEvent(r, audit.SignIn))
	if p.Carry.Action != "" {
		return s.render(w, r, http.StatusOK, "continue.html", &continuePage{Layout: Layout{Title: "Continue"}, Carry: p.Carry})
	}
	http.Redirect(w, r, "/home", http.StatusSeeOther)
	return nil
}

func codeTitle(recovery bool) string {
	if recovery {
		return "Enter a recovery code"
	}
	return "Enter your security code"
}

// mfaSetupPage enrols an authenticator app: a QR code and the key as text.
type mfaSetupPage struct {
	Layout
	Secret string
}

// recoveryCodesPage shows the ten recovery codes, once.
type recoveryCodesPage struct {
	Layout
	Codes []string
}

func (s *Server) mfaSetupForm(w http.ResponseWriter, r *http.Request) error {
	sess := infoFrom(r.Context()).session
	acct, err := s.store.Account(r.Context(), sess.UserID)
	if err != nil {
		return err
	}
	if acct.MFAEnrolled {
		http.Redirect(w, r, "/sign-in/code", http.StatusSeeOther)
		return nil
	}
	if acct.TOTPSecret == "" {
		key, err := auth.NewTOTPKey(totpIssuer, acct.Email)
		if err != nil {
			return err
		}
		acct.TOTPSecret = key.Secret()
		if err := s.store.SetPendingTOTP(r.Context(), acct.ID, acct.TOTPSecret); err != nil {
			return err
		}
	}
	return s.render(w, r, http.StatusOK, "mfa-setup.html", &mfaSetupPage{Layout: Layout{Title: "Set up your authenticator app", Nav: "sign-in"}, Secret: groupSecret(acct.TOTPSecret)})
}

// groupSecret spaces the key in fours so it can be read and typed.
func groupSecret(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// mfaQR serves the QR code for a secret that is not yet confirmed. Once an
// account is enrolled its secret is never shown again.
func (s *Server) mfaQR(w http.ResponseWriter, r *http.Request) error {
	acct, err := s.store.Account(r.Context(), infoFrom(r.Context()).session.UserID)
	if err != nil {
		return err
	}
	if acct.MFAEnrolled || acct.TOTPSecret == "" {
		return &statusError{http.StatusNotFound, ""}
	}
	key, err := auth.TOTPKeyFromSecret(totpIssuer, acct.Email, acct.TOTPSecret)
	if err != nil {
		return err
	}
	png, err := auth.QRCodePNG(key)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/png")
	w.Write(png)
	return nil
}

func (s *Server) mfaSetup(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	sess := infoFrom(r.Context()).session
	acct, err := s.store.Account(r.Context(), sess.UserID)
	if err != nil {
		return err
	}
	if acct.MFAEnrolled || acct.TOTPSecret == "" {
		http.Redirect(w, r, "/account/mfa/setup", http.StatusSeeOther)
		return nil
	}
	p := &mfaSetupPage{Layout: Layout{Title: "Set up your authenticator app", Nav: "sign-in"}, Secret: groupSecret(acct.TOTPSecret)}
	step, ok := auth.CheckTOTP(acct.TOTPSecret, r.PostFormValue("code"), s.now(), acct.TOTPLastStep)
	if !ok || s.lockedOut(acct) { // locked since the password step: refused as a wrong code is

		s.security(r, s.auditEvent(r, audit.MFAFailed))
		p.Errors = []FieldError{{"code", "The code is not correct. Enter the 6-digit code your app shows now"}}
		return s.render(w, r, http.StatusUnprocessableEntity, "mfa-setup.html", p)
	}
	codes := auth.NewRecoveryCodes(10)
	hashes := make([]string, len(codes))
	for i, c := range codes {
		hashes[i] = auth.HashToken(c)
	}
	if err := s.store.EnrolMFA(r.Context(), s.auditEvent(r, audit.MFAEnrolled), acct.ID, acct.TOTPSecret, step, hashes); err != nil {
		return err
	}
	if err := s.store.ClearFailedLogins(r.Context(), acct.ID); err != nil {
		return err
	}
	if err := s.startSession(w, r, acct.ID, true); err != nil {
		return err
	}
	s.security(r, s.auditEvent(r, audit.SignIn))
	return s.render(w, r, http.StatusOK, "recovery-codes.html", &recoveryCodesPage{Layout: Layout{Title: "Save your recovery codes"}, Codes: codes})
}

func (s *Server) signOut(w http.ResponseWriter, r *http.Request) error {
	info := infoFrom(r.Context())
	e := s.auditEvent(r, audit.SignOut)
	if err := s.store.DeleteSession(r.Context(), info.session.ID); err != nil {
		return err
	}
	s.security(r, e)
	return s.signedOutRedirect(w, r)
}

// signOutEverywhere ends every session of the account and, unless the
// person unticks the box, revokes their API tokens too (S12).
func (s *Server) signOutEverywhere(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	info := infoFrom(r.Context())
	if err := s.store.DeleteUserSessions(r.Context(), s.auditEvent(r, audit.SignOutAll), info.actor.User.ID, tokensChoice(r)); err != nil {
		return err
	}
	return s.signedOutRedirect(w, r)
}

// tokensChoice reads the "Also revoke my API tokens" box. It is ticked when
// the form is shown; a box left unticked is not sent at all.
func tokensChoice(r *http.Request) store.Tokens {
	if r.PostFormValue("revokeTokens") == "yes" {
		return store.RevokeTokens
	}
	return store.KeepTokens
}

// signedOutRedirect clears the cookie and asks the browser to forget what it kept (S27).
func (s *Server) signedOutRedirect(w http.ResponseWriter, r *http.Request) error {
	clearSessionCookie(w)
	w.Header().Set("Clear-Site-Data", `"cache", "cookies", "storage"`)
	http.Redirect(w, r, "/signed-out", http.StatusSeeOther)
	return nil
}

// accountPage shows who is signed in, their roles and their sessions.
type accountPage struct {
	Layout
	User          access.User
	Memberships   []access.Membership
	Sessions      []access.Session
	CurrentID     int64
	RecoveryCodes int
	Notice        string
}

func (s *Server) account(w http.ResponseWriter, r *http.Request) error {
	info := infoFrom(r.Context())
	sessions, err := s.store.UserSessions(r.Context(), info.actor.User.ID)
	if err != nil {
		return err
	}
	left, err := s.store.RecoveryCodesLeft(r.Context(), info.actor.User.ID)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "account.html", &accountPage{Layout: Layout{Title: "Your account", Nav: "account"},
		User: info.actor.User, Memberships: info.actor.Memberships, Sessions: sessions, CurrentID: info.session.ID, RecoveryCodes: left,
		Notice: map[string]string{"password": "Your password has been changed. You have been signed out everywhere else.",
			"password-tokens": "Your password has been changed. You have been signed out everywhere else, and your API tokens have been revoked."}[r.URL.Query().Get("done")]})
}

// keepAlive is the timeout warning's "Stay signed in": it counts as activity.
func (s *Server) keepAlive(w http.ResponseWriter, r *http.Request) error {
	if err := s.store.TouchSession(r.Context(), infoFrom(r.Context()).session.ID); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// resetOwnMFA lets someone move to a new authenticator app, after proving who
// they are (S13). Every session ends; this browser goes straight to set-up.
func (s *Server) resetOwnMFA(w http.ResponseWriter, r *http.Request) error {
	id := infoFrom(r.Context()).actor.User.ID
	if err := s.store.ResetMFA(r.Context(), s.auditEvent(r, audit.MFAReset), id); err != nil {
		return err
	}
	infoFrom(r.Context()).session = nil // ResetMFA ended it with the rest
	if err := s.startSession(w, r, id, false); err != nil {
		return err
	}
	http.Redirect(w, r, "/account/mfa/setup", http.StatusSeeOther)
	return nil
}
