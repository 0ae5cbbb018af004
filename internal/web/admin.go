package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/auth"
	"haven/internal/haven"
	"haven/internal/store"
)

// Administration pages: a system administrator manages accounts and reads
// the audit trail. None of these pages shows anything from a person's record.

type adminUsersPage struct {
	Layout
	Users []store.AccountSummary
	Next  int64
}

func pageParam(r *http.Request) store.Page {
	after, err := strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	if err != nil { // out of range is not a cursor Haven wrote: start at the beginning
		after = 0
	}
	return store.Page{After: max(after, 0), Limit: 50}
}

func (s *Server) adminUsers(w http.ResponseWriter, r *http.Request) error {
	pg := pageParam(r)
	users, err := s.store.ListAccounts(r.Context(), pg)
	if err != nil {
		return err
	}
	p := &adminUsersPage{Layout: Layout{Title: "Users", Nav: "admin"}, Users: users}
	if len(users) == pg.Limit {
		p.Next = users[len(users)-1].ID
	}
	return s.render(w, r, http.StatusOK, "admin-users.html", p)
}

// userID reads the {id} path value; anything that is not a positive number is not found.
func userID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, &statusError{http.StatusNotFound, ""}
	}
	return id, nil
}

type adminUserPage struct {
	Layout
	Account     access.Account
	Memberships []access.Membership
	Sessions    []access.Session
	Tenants     []store.Tenant
	Roles       []access.Role
	Role        string
	Tenant      string
	Locked      bool // signing in is refused until Account.LockedUntil
}

func (s *Server) adminUserPage(r *http.Request, id int64) (*adminUserPage, error) {
	acct, err := s.store.Account(r.Context(), id)
	if err != nil {
		return nil, err
	}
	ms, err := s.store.Memberships(r.Context(), id)
	if err != nil {
		return nil, err
	}
	sessions, err := s.store.UserSessions(r.Context(), id)
	if err != nil {
		return nil, err
	}
	tenants, err := s.store.Tenants(r.Context())
	if err != nil {
		return nil, err
	}
	return &adminUserPage{Layout: Layout{Title: acct.DisplayName, Nav: "admin"}, Account: acct, Memberships: ms, Sessions: sessions, Tenants: tenants, Roles: access.Roles(),
		Locked: s.lockedOut(acct)}, nil
}

func (s *Server) adminUser(w http.ResponseWriter, r *http.Request) error {
	id, err := userID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.adminUserPage(r, id)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin-user.html", p)
}

// notices are the messages an account change leaves for the user's page,
// in its success banner (flash.go).
var notices = map[string]string{
	"role-added":    "Role added. It applies from the person's next page.",
	"role-removed":  "Role removed. It applied at once.",
	"disabled":      "Account disabled. Every session it had has ended.",
	"enabled":       "Account enabled.",
	"mfa-reset":     "Second factor reset. The person will set up their authenticator app again when they next sign in.",
	"session-ended": "Session ended.",
	"unlocked":      "Account unlocked. The person can sign in now.",
}

// grantFromForm reads a role and a tenant (kind:slug) from a form.
func (s *Server) grantFromForm(r *http.Request) (store.Grant, map[string]string, error) {
	f := map[string]string{}
	role, err := access.ParseRole(r.PostFormValue("role"))
	if err != nil {
		f["role"] = "Choose a role"
	}
	kind, slug, _ := strings.Cut(r.PostFormValue("tenant"), ":")
	var t store.Tenant
	if len(f) == 0 {
		if access.TenantKind(kind) != role.Tenant() {
			f["tenant"] = "A " + role.Name() + " must be given a " + string(role.Tenant())
		} else if t, err = s.store.ResolveTenant(r.Context(), role.Tenant(), slug); errors.Is(err, haven.ErrNotFound) {
			f["tenant"] = "Choose where the role applies"
		} else if err != nil {
			return store.Grant{}, nil, err
		}
	}
	return store.Grant{Role: role, Tenant: t}, f, nil
}

func fieldErrors(f map[string]string, order ...string) []FieldError {
	var out []FieldError
	for _, k := range order {
		if m, ok := f[k]; ok {
			out = append(out, FieldError{k, m})
		}
	}
	return out
}

func (s *Server) adminAddRole(w http.ResponseWriter, r *http.Request) error {
	id, err := userID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	g, f, err := s.grantFromForm(r)
	if err != nil {
		return err
	}
	if len(f) == 0 {
		err = s.store.AddMembership(r.Context(), s.auditEvent(r, audit.RoleChanged), id, g)
		if errors.Is(err, haven.ErrConflict) {
			f["role"] = "The person already has that role there"
		} else if err != nil {
			return err
		}
	}
	if len(f) > 0 {
		p, err := s.adminUserPage(r, id)
		if err != nil {
			return err
		}
		p.Errors, p.Role, p.Tenant = fieldErrors(f, "role", "tenant"), r.PostFormValue("role"), r.PostFormValue("tenant")
		return s.render(w, r, http.StatusUnprocessableEntity, "admin-user.html", p)
	}
	s.log.Info("security event", "event", "role_change", "request_id", infoFrom(r.Context()).id, "user_id", id)
	s.saved(w, r, "/admin/users/"+itoa(id), "role-added")
	return nil
}

func (s *Server) adminRemoveRole(w http.ResponseWriter, r *http.Request) error {
	id, err := userID(r, "id")
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	g, f, err := s.grantFromForm(r)
	if err != nil {
		return err
	}
	if len(f) > 0 {
		return badRequest("That role could not be found. Go back and try again.")
	}
	if err := s.store.RemoveMembership(r.Context(), s.auditEvent(r, audit.RoleChanged), id, g); err != nil {
		return err
	}
	s.log.Info("security event", "event", "role_change", "request_id", infoFrom(r.Context()).id, "user_id", id)
	s.saved(w, r, "/admin/users/"+itoa(id), "role-removed")
	return nil
}

func (s *Server) adminDisable(disabled bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := userID(r, "id")
		if err != nil {
			return err
		}
		if disabled && id == infoFrom(r.Context()).actor.User.ID {
			return &statusError{http.StatusConflict, "You cannot disable your own account."}
		}
		if err := s.store.SetDisabled(r.Context(), s.auditEvent(r, audit.AccountDisable), id, disabled); err != nil {
			return err
		}
		done := map[bool]string{true: "disabled", false: "enabled"}[disabled]
		s.saved(w, r, "/admin/users/"+itoa(id), done)
		return nil
	}
}

func (s *Server) adminResetMFA(w http.ResponseWriter, r *http.Request) error {
	id, err := userID(r, "id")
	if err != nil {
		return err
	}
	if err := s.store.ResetMFA(r.Context(), s.auditEvent(r, audit.MFAReset), id); err != nil {
		return err
	}
	s.saved(w, r, "/admin/users/"+itoa(id), "mfa-reset")
	return nil
}

// adminUnlock ends an account's sign-in lock before it runs out, for someone
// who has proved who they are to the administrator some other way (S6).
func (s *Server) adminUnlock(w http.ResponseWriter, r *http.Request) error {
	id, err := userID(r, "id")
	if err != nil {
		return err
	}
	if err := s.store.UnlockAccount(r.Context(), s.auditEvent(r, audit.AccountUnlock), id); err != nil {
		return err
	}
	s.saved(w, r, "/admin/users/"+itoa(id), "unlocked")
	return nil
}

func (s *Server) adminEndSession(w http.ResponseWriter, r *http.Request) error {
	id, err := userID(r, "id")
	if err != nil {
		return err
	}
	sid, err := userID(r, "sid")
	if err != nil {
		return err
	}
	if err := s.store.EndSession(r.Context(), s.auditEvent(r, audit.SessionEnded), id, sid); err != nil {
		return err
	}
	s.saved(w, r, "/admin/users/"+itoa(id), "session-ended")
	return nil
}

type adminInvitePage struct {
	Layout
	Email, Name, Role, Tenant string
	Roles                     []access.Role
	Tenants                   []store.Tenant
	Link                      string // set once the account exists: shown once
	Expires                   time.Time
}

func (s *Server) adminInviteForm(w http.ResponseWriter, r *http.Request) error {
	tenants, err := s.store.Tenants(r.Context())
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin-invite.html", &adminInvitePage{Layout: Layout{Title: "Invite a user", Nav: "admin"}, Roles: access.Roles(), Tenants: tenants})
}

func (s *Server) adminInvite(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	tenants, err := s.store.Tenants(r.Context())
	if err != nil {
		return err
	}
	p := &adminInvitePage{Layout: Layout{Title: "Invite a user", Nav: "admin"}, Roles: access.Roles(), Tenants: tenants,
		Email: strings.TrimSpace(r.PostFormValue("email")), Name: strings.TrimSpace(r.PostFormValue("name")), Role: r.PostFormValue("role"), Tenant: r.PostFormValue("tenant")}
	g, f, err := s.grantFromForm(r)
	if err != nil {
		return err
	}
	u := access.User{Email: access.NormaliseEmail(p.Email), DisplayName: p.Name}
	if he, ok := errors.AsType[*haven.Error](u.Validate()); ok {
		for k, v := range he.Fields {
			if k == "displayName" {
				k = "name"
			}
			f[k] = v
		}
	}
	if len(f) == 0 {
		u, err = s.store.CreateAccount(r.Context(), s.auditEvent(r, audit.AccountCreated), u, []store.Grant{g})
		if d, ok := duplicateOf(err); ok {
			// Sent twice: the account exists, and the link below is a new one for it.
			u.ID, err = d.ID, nil
		}
		if errors.Is(err, haven.ErrConflict) {
			f["email"] = "There is already an account with that email address"
		} else if err != nil {
			return err
		}
	}
	if len(f) > 0 {
		p.Errors = fieldErrors(f, "email", "name", "role", "tenant")
		return s.render(w, r, http.StatusUnprocessableEntity, "admin-invite.html", p)
	}
	token := auth.NewToken()
	p.Expires = s.now().Add(24 * time.Hour)
	if err := s.store.CreateEnrolmentToken(r.Context(), u.ID, auth.HashToken(token), p.Expires); err != nil {
		return err
	}
	p.Link = strings.TrimRight(s.baseURL, "/") + "/enrol/" + token
	p.Title = "User invited"
	return s.render(w, r, http.StatusOK, "admin-invite.html", p)
}

type adminAuditPage struct {
	Layout
	Lines      []auditLine
	Who        string // as typed: a name, an email address or a user ID
	Filters    auditFilters
	User       access.User  // the account the trail is filtered by, if any
	Matches    []auditMatch // the accounts a name or email matched, to choose from
	RecordType string
	RecordID   string
	Actions    []audit.Action
	Next       string // the link to the next page
}

// auditMatch is an account a name or email matched, with the search for it.
type auditMatch struct {
	access.User
	Href string
}

var auditActions = []audit.Action{audit.View, audit.Create, audit.Update, audit.Delete, audit.Export, audit.Print,
	audit.SignIn, audit.SignInFailed, audit.MFAFailed, audit.MFAEnrolled, audit.MFAReset, audit.RecoveryUsed, audit.SignOut, audit.SignOutAll,
	audit.SessionEnded, audit.Denied, audit.RoleChanged, audit.AccountCreated, audit.AccountDisable, audit.AccountUnlock, audit.PasswordSet,
	audit.TokenCreated, audit.TokenRevoked, audit.BreakGlass}

// adminAuditFilter reads the search's filters from q: those both audit views
// share, and the record. Each is an opaque ID, a fixed word or a date, so a
// GET query string carries nothing personal (S28).
func adminAuditFilter(q url.Values, p *adminAuditPage) (store.AuditFilter, map[string]string) {
	fields := map[string]string{}
	f, form := parseAuditFilters(q, auditActions, fields)
	p.Filters, p.RecordType, p.RecordID = form, q.Get("type"), q.Get("record")
	f.RecordType, f.RecordID = p.RecordType, p.RecordID
	if len(p.RecordType) > 40 || len(p.RecordID) > 40 {
		fields["record"] = "Record type and ID must be 40 characters or fewer"
	} else if !plainText(p.RecordType) || !plainText(p.RecordID) {
		fields["record"] = "Record type and ID must be letters, numbers and dashes, as the audit trail shows them"
	}
	return f, fields
}

var auditFieldOrder = []string{"who", "user", "action", "from", "to", "record"}

// adminAudit searches the audit trail, each row told as a sentence. It names
// accounts, never a woman: her record is "person 42".
func (s *Server) adminAudit(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	p := &adminAuditPage{Layout: Layout{Title: "Audit trail", Nav: "admin"}, Actions: auditActions}
	f, fields := adminAuditFilter(q, p)
	p.Who = p.Filters.User
	if m, ok := fields["user"]; ok { // the form's box is "who"
		delete(fields, "user")
		fields["who"] = m
	}
	if len(fields) > 0 {
		p.Errors = fieldErrors(fields, auditFieldOrder...)
		return s.render(w, r, http.StatusUnprocessableEntity, "admin-audit.html", p)
	}
	if f.UserID != 0 {
		u, err := s.store.User(r.Context(), f.UserID)
		if err != nil && !errors.Is(err, haven.ErrNotFound) {
			return err
		}
		p.User = u
	}
	entries, err := s.store.AuditEntries(r.Context(), f)
	if err != nil {
		return err
	}
	// Name the accounts that account events were about.
	targets := map[string]string{}
	for _, e := range entries {
		if _, done := targets[e.RecordID]; done || e.RecordType != "user" {
			continue
		}
		id, err := strconv.ParseInt(e.RecordID, 10, 64)
		if err != nil {
			continue
		}
		u, err := s.store.User(r.Context(), id)
		if err != nil && !errors.Is(err, haven.ErrNotFound) {
			return err
		}
		targets[e.RecordID] = u.DisplayName
	}
	p.Lines, p.Next = auditLines(entries, "", targets), nextHref("/admin/audit", q, entries)
	return s.render(w, r, http.StatusOK, "admin-audit.html", p)
}

// adminAuditFind takes the search form, whose "who" may be a name or an
// email address. Those must not go into a URL, so it is sent by POST and
// answered with a redirect to the search by user ID; when several accounts
// match, the administrator chooses one.
func (s *Server) adminAuditFind(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	form := url.Values{}
	for _, k := range []string{"action", "type", "record", "from-day", "from-month", "from-year", "to-day", "to-month", "to-year"} {
		if v := strings.TrimSpace(r.PostFormValue(k)); v != "" {
			form.Set(k, v)
		}
	}
	p := &adminAuditPage{Layout: Layout{Title: "Audit trail", Nav: "admin"}, Actions: auditActions, Who: strings.TrimSpace(r.PostFormValue("who"))}
	_, fields := adminAuditFilter(form, p)
	var matches []access.User
	switch id, err := strconv.ParseInt(p.Who, 10, 64); {
	case p.Who == "":
	case err == nil && id > 0:
		matches = []access.User{{ID: id}}
	case utf8.RuneCountInString(p.Who) > 254 || !plainText(p.Who):
		fields["who"] = "User must be 254 characters or fewer, without control characters"
	default:
		if matches, err = s.store.FindUsers(r.Context(), p.Who, 20); err != nil {
			return err
		}
		if len(matches) == 0 {
			fields["who"] = "No user has a name or email address containing that"
		}
	}
	if len(fields) > 0 {
		p.Errors = fieldErrors(fields, auditFieldOrder...)
		return s.render(w, r, http.StatusUnprocessableEntity, "admin-audit.html", p)
	}
	if len(matches) > 1 {
		p.Title = "Choose a user"
		for _, u := range matches {
			form.Set("user", itoa(u.ID))
			p.Matches = append(p.Matches, auditMatch{User: u, Href: "/admin/audit?" + form.Encode()})
		}
		form.Del("user")
		return s.render(w, r, http.StatusOK, "admin-audit.html", p)
	}
	if len(matches) == 1 {
		form.Set("user", itoa(matches[0].ID))
	}
	http.Redirect(w, r, "/admin/audit?"+form.Encode(), http.StatusSeeOther)
	return nil
}

// plainText reports whether s is UTF-8 without NUL, as PostgreSQL can compare it.
func plainText(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

func containsAction(list []audit.Action, a audit.Action) bool {
	for _, x := range list {
		if x == a {
			return true
		}
	}
	return false
}
