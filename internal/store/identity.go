package store

import (
	"context"
	"database/sql"
	"slices"
	"strconv"
	"time"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/haven"
)

// Tenant names a tenant by kind, ID and slug; the national tenant has ID 0.
type Tenant struct {
	Kind access.TenantKind
	ID   int64
	Slug string
	Name string
}

// NationalSlug names the national tenant in the CLI and the demo lines.
const NationalSlug = "national"

// ResolveTenant finds a tenant of the given kind by slug.
func (db *DB) ResolveTenant(ctx context.Context, kind access.TenantKind, slug string) (Tenant, error) {
	t := Tenant{Kind: kind, Slug: slug}
	var q string
	switch kind {
	case access.TenantNational:
		if slug != NationalSlug && slug != "" {
			return t, haven.Errorf(haven.KindNotFound, "the national tenant is called %q", NationalSlug)
		}
		t.Slug, t.Name = NationalSlug, "National team"
		return t, nil
	case access.TenantPractice:
		q = `SELECT id, name FROM practices WHERE slug = $1`
	case access.TenantLocalAuthority:
		q = `SELECT id, name FROM la_teams WHERE slug = $1`
	case access.TenantOrganisation:
		q = `SELECT id, name FROM organisations WHERE slug = $1`
	default:
		return t, haven.ErrInvalid
	}
	err := db.read.QueryRowContext(ctx, q, slug).Scan(&t.ID, &t.Name)
	return t, db.dialect.translate(err)
}

// CreateLATeam stores a local authority's team, a tenant for reunification work.
func (db *DB) CreateLATeam(ctx context.Context, t access.LATeam) (access.LATeam, error) {
	f := map[string]string{}
	if !access.ValidSlug(t.Slug) {
		f["slug"] = "Enter a short name of lower-case letters, numbers and hyphens"
	}
	if t.Name == "" {
		f["name"] = "Enter the team's name"
	}
	if !access.ValidLACode(t.LACode) {
		f["laCode"] = "Choose a local authority"
	}
	if len(f) > 0 {
		return t, haven.Invalid(f)
	}
	now := db.now()
	t.Version = 1
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO la_teams (slug, name, la_code, version, created_at, updated_at)
			VALUES ($1, $2, $3, 1, $4, $4) RETURNING id`, t.Slug, t.Name, t.LACode, now).Scan(&t.ID)
	})
	return t, err
}

// LATeam returns a local authority's team, for the figures of the
// Practices that cover its area.
func (db *DB) LATeam(ctx context.Context, id int64) (access.LATeam, error) {
	var t access.LATeam
	err := db.read.QueryRowContext(ctx, `SELECT id, slug, name, la_code, version FROM la_teams WHERE id = $1`, id).
		Scan(&t.ID, &t.Slug, &t.Name, &t.LACode, &t.Version)
	return t, db.dialect.translate(err)
}

func tenantColumns(t Tenant) (org, practice, la any) {
	switch t.Kind {
	case access.TenantOrganisation:
		return t.ID, nil, nil
	case access.TenantPractice:
		return nil, t.ID, nil
	case access.TenantLocalAuthority:
		return nil, nil, t.ID
	}
	return nil, nil, nil
}

// Grant is a role to give in a tenant.
type Grant struct {
	Role   access.Role
	Tenant Tenant
}

// CreateAccount stores a new user with their roles, recording who created it.
func (db *DB) CreateAccount(ctx context.Context, by audit.Event, u access.User, grants []Grant) (access.User, error) {
	u.Email = access.NormaliseEmail(u.Email)
	if err := u.Validate(); err != nil {
		return u, err
	}
	for _, g := range grants {
		if g.Role.Tenant() != g.Tenant.Kind {
			return u, haven.Errorf(haven.KindInvalid, "the %s role is held in a %s, not a %s", g.Role, g.Role.Tenant(), g.Tenant.Kind)
		}
	}
	now := db.now()
	u.CreatedAt, u.UpdatedAt, u.Version = now, now, 1
	// A repeat must be for the same address, or it would be answered with another account.
	err := db.createTx(ctx, claim{user: by.UserID, kind: KindAccount, target: fingerprint(u.Email)}, func(tx *sql.Tx) (int64, string, error) {
		err := tx.QueryRowContext(ctx, `INSERT INTO users (email, display_name, version, created_at, updated_at)
			VALUES ($1, $2, 1, $3, $3) RETURNING id`, u.Email, u.DisplayName, now).Scan(&u.ID)
		if err != nil {
			return 0, "", err
		}
		for _, g := range grants {
			org, practice, la := tenantColumns(g.Tenant)
			if _, err := tx.ExecContext(ctx, `INSERT INTO memberships (user_id, role, organisation_id, practice_id, la_team_id, created_at)
				VALUES ($1, $2, $3, $4, $5, $6)`, u.ID, string(g.Role), org, practice, la, now); err != nil {
				return 0, "", err
			}
		}
		by.Action, by.RecordType, by.RecordID = audit.AccountCreated, "user", itoa(u.ID)
		return u.ID, "", db.appendAudit(ctx, tx, by)
	})
	return u, err
}

// Memberships returns every role a user holds, with tenant names.
func (db *DB) Memberships(ctx context.Context, userID int64) ([]access.Membership, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+membershipColumns+` FROM memberships m `+membershipJoins+`
		WHERE m.user_id = $1 ORDER BY m.id`, userID)
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	defer rows.Close()
	var out []access.Membership
	for rows.Next() {
		m := access.Membership{UserID: userID}
		var role, kind string
		if err := rows.Scan(&role, &kind, &m.TenantID, &m.TenantSlug, &m.TenantName); err != nil {
			return nil, err
		}
		m.Role, m.TenantKind = access.Role(role), access.TenantKind(kind)
		out = append(out, m)
	}
	return out, db.dialect.translate(rows.Err())
}

// A membership's role and where it applies, named.
const membershipColumns = `m.role,
		CASE WHEN m.practice_id IS NOT NULL THEN 'practice'
		     WHEN m.la_team_id IS NOT NULL THEN 'local-authority'
		     WHEN m.organisation_id IS NOT NULL THEN 'organisation'
		     ELSE 'national' END,
		COALESCE(m.practice_id, m.la_team_id, m.organisation_id, 0),
		COALESCE(p.slug, l.slug, o.slug, 'national'),
		COALESCE(p.name, l.name, o.name, 'National team')`

const membershipJoins = `LEFT JOIN practices p ON p.id = m.practice_id
		LEFT JOIN la_teams l ON l.id = m.la_team_id
		LEFT JOIN organisations o ON o.id = m.organisation_id`

const accountColumns = `id, email, display_name, version, created_at, updated_at,
	password_hash, totp_secret, totp_last_step, mfa_enrolled, disabled, failed_logins, locked_until`

func scanAccount(row interface{ Scan(...any) error }) (access.Account, error) {
	var a access.Account
	var locked sql.NullTime
	err := row.Scan(&a.ID, &a.Email, &a.DisplayName, &a.Version, &a.CreatedAt, &a.UpdatedAt,
		&a.PasswordHash, &a.TOTPSecret, &a.TOTPLastStep, &a.MFAEnrolled, &a.Disabled, &a.FailedLogins, &locked)
	if locked.Valid {
		a.LockedUntil = locked.Time
	}
	return a, err
}

// AccountByEmail returns the account with this email, for signing in.
func (db *DB) AccountByEmail(ctx context.Context, email string) (access.Account, error) {
	a, err := scanAccount(db.read.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM users WHERE email = $1`, access.NormaliseEmail(email)))
	return a, db.dialect.translate(err)
}

// Account returns one account by ID.
func (db *DB) Account(ctx context.Context, id int64) (access.Account, error) {
	a, err := scanAccount(db.read.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM users WHERE id = $1`, id))
	return a, db.dialect.translate(err)
}

// Tokens says what ending every session of an account does to its API
// tokens: the person chooses, on the sign-out-everywhere and change-password
// forms (S12).
type Tokens bool

// What to do with the account's API tokens.
const (
	KeepTokens   Tokens = false
	RevokeTokens Tokens = true
)

// SetPassword stores a new password hash and ends every session of the
// account, and, if asked, revokes its API tokens. A new password clears a
// lock: setting one is how a locked-out person gets back in.
func (db *DB) SetPassword(ctx context.Context, ev audit.Event, userID int64, hash string, tokens Tokens) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1, failed_logins = 0, locked_until = NULL, updated_at = $2, version = version + 1 WHERE id = $3`,
			hash, db.now(), userID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID); err != nil {
			return err
		}
		if tokens == RevokeTokens {
			if err := db.revokeAllAPITokens(ctx, tx, ev, userID); err != nil {
				return err
			}
		}
		ev.Action, ev.RecordType, ev.RecordID = audit.PasswordSet, "user", itoa(userID)
		return db.appendAudit(ctx, tx, ev)
	})
}

// EnrolMFA stores a confirmed TOTP secret and hashed recovery codes.
func (db *DB) EnrolMFA(ctx context.Context, ev audit.Event, userID int64, secret string, step int64, recoveryHashes []string) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET totp_secret = $1, totp_last_step = $2, mfa_enrolled = TRUE, updated_at = $3, version = version + 1 WHERE id = $4`,
			secret, step, db.now(), userID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM recovery_codes WHERE user_id = $1`, userID); err != nil {
			return err
		}
		for _, h := range recoveryHashes {
			if _, err := tx.ExecContext(ctx, `INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)`, userID, h); err != nil {
				return err
			}
		}
		ev.Action, ev.RecordType, ev.RecordID = audit.MFAEnrolled, "user", itoa(userID)
		return db.appendAudit(ctx, tx, ev)
	})
}

// UseTOTPStep claims a TOTP time step for the account. It fails if that step
// or a later one was already used, so no code works twice.
func (db *DB) UseTOTPStep(ctx context.Context, userID, step int64) (bool, error) {
	var ok bool
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1`, step, userID)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		ok = n == 1
		return err
	})
	return ok, err
}

// UseRecoveryCode spends one unused recovery code.
func (db *DB) UseRecoveryCode(ctx context.Context, userID int64, codeHash string) (bool, error) {
	var ok bool
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL`,
			db.now(), userID, codeHash)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		ok = n == 1
		return err
	})
	return ok, err
}

// RecoveryCodesLeft counts unused recovery codes.
func (db *DB) RecoveryCodesLeft(ctx context.Context, userID int64) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL`, userID).Scan(&n)
	return n, db.dialect.translate(err)
}

// RecordFailedLogin counts a failure and, from the lockAfter-th in a row,
// locks the account for lockFor. A lock that is running is not lengthened, so
// it ends when it said it would however often someone keeps guessing; the
// count stays, so one more failure after it ends locks again. It returns when
// a lock this failure started ends, or the zero time. The same two statements
// run whatever the account's state, so the time taken says nothing (S6, S7).
func (db *DB) RecordFailedLogin(ctx context.Context, userID int64, lockAfter int, lockFor time.Duration) (time.Time, error) {
	var started time.Time
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		var until sql.NullTime
		// The increment takes the row's lock, so concurrent failures on two instances all count.
		if err := tx.QueryRowContext(ctx, `UPDATE users SET failed_logins = failed_logins + 1 WHERE id = $1 RETURNING failed_logins, locked_until`, userID).Scan(&n, &until); err != nil {
			return err
		}
		now := db.now()
		var lock any
		if until.Valid {
			lock = until.Time
		}
		if n >= lockAfter && (!until.Valid || !now.Before(until.Time)) {
			started = now.Add(lockFor)
			lock = started
		}
		_, err := tx.ExecContext(ctx, `UPDATE users SET locked_until = $1 WHERE id = $2`, lock, userID)
		return err
	})
	return started, err
}

// ClearFailedLogins resets the count after a successful sign-in.
func (db *DB) ClearFailedLogins(ctx context.Context, userID int64) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1`, userID)
		return err
	})
}

// UnlockAccount ends an account's sign-in lock and forgets its failures, as
// an administrator, so the person can sign in at once.
func (db *DB) UnlockAccount(ctx context.Context, ev audit.Event, userID int64) error {
	return db.userChange(ctx, ev, audit.AccountUnlock, userID, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1`, userID)
		return err
	})
}

// CreateEnrolmentToken stores a one-time enrolment link's hash.
func (db *DB) CreateEnrolmentToken(ctx context.Context, userID int64, tokenHash string, expires time.Time) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO enrolment_tokens (token_hash, user_id, expires_at) VALUES ($1, $2, $3)`, tokenHash, userID, expires.UTC())
		return err
	})
}

// EnrolmentUser returns the user an unexpired, unused enrolment token belongs to.
func (db *DB) EnrolmentUser(ctx context.Context, tokenHash string) (int64, error) {
	var id int64
	err := db.read.QueryRowContext(ctx, `SELECT user_id FROM enrolment_tokens WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2`,
		tokenHash, db.now()).Scan(&id)
	return id, db.dialect.translate(err)
}

// SpendEnrolmentToken marks the token used; it fails if it was already used.
func (db *DB) SpendEnrolmentToken(ctx context.Context, tokenHash string) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE enrolment_tokens SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1`, db.now(), tokenHash)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return haven.ErrNotFound
		}
		return nil
	})
}

// CreateSession stores a new session under the hash of its token.
func (db *DB) CreateSession(ctx context.Context, s access.Session, tokenHash string) (access.Session, error) {
	now := db.now()
	s.CreatedAt, s.LastSeenAt = now, now
	if s.AuthedAt.IsZero() {
		s.AuthedAt = now
	}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO sessions (token_hash, user_id, mfa_passed, created_at, last_seen_at, authed_at, ip, user_agent)
			VALUES ($1, $2, $3, $4, $4, $5, $6, $7) RETURNING id`, tokenHash, s.UserID, s.MFAPassed, now, s.AuthedAt, s.IP, s.UserAgent).Scan(&s.ID)
	})
	return s, err
}

// SessionByToken returns the session whose token hashes to tokenHash.
func (db *DB) SessionByToken(ctx context.Context, tokenHash string) (access.Session, error) {
	var s access.Session
	err := db.read.QueryRowContext(ctx, `SELECT id, user_id, mfa_passed, created_at, last_seen_at, authed_at, ip, user_agent
		FROM sessions WHERE token_hash = $1`, tokenHash).
		Scan(&s.ID, &s.UserID, &s.MFAPassed, &s.CreatedAt, &s.LastSeenAt, &s.AuthedAt, &s.IP, &s.UserAgent)
	return s, db.dialect.translate(err)
}

// SessionActor finds a session by its token's hash, with its user and the
// user's roles, in one query: every signed-in request starts here, and three
// queries were a tenth of a page's time. Roles are read afresh each time, so
// a role removed applies from the next request. The actor is nil when the
// account is disabled: the session ends with it.
func (db *DB) SessionActor(ctx context.Context, tokenHash string) (access.Session, *access.Actor, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT s.id, s.user_id, s.mfa_passed, s.created_at, s.last_seen_at, s.authed_at, s.ip, s.user_agent,
			u.email, u.display_name, u.version, u.created_at, u.updated_at, u.disabled,
			m.id IS NOT NULL, `+membershipColumns+`
		FROM sessions s JOIN users u ON u.id = s.user_id
		LEFT JOIN memberships m ON m.user_id = u.id `+membershipJoins+`
		WHERE s.token_hash = $1 ORDER BY m.id`, tokenHash)
	if err != nil {
		return access.Session{}, nil, db.dialect.translate(err)
	}
	defer rows.Close()
	var s access.Session
	var a access.Actor
	var disabled, found bool
	for rows.Next() {
		var hasRole bool
		var role, kind sql.NullString
		var m access.Membership
		if err := rows.Scan(&s.ID, &s.UserID, &s.MFAPassed, &s.CreatedAt, &s.LastSeenAt, &s.AuthedAt, &s.IP, &s.UserAgent,
			&a.User.Email, &a.User.DisplayName, &a.User.Version, &a.User.CreatedAt, &a.User.UpdatedAt, &disabled,
			&hasRole, &role, &kind, &m.TenantID, &m.TenantSlug, &m.TenantName); err != nil {
			return access.Session{}, nil, err
		}
		found = true
		if hasRole {
			m.UserID, m.Role, m.TenantKind = s.UserID, access.Role(role.String), access.TenantKind(kind.String)
			a.Memberships = append(a.Memberships, m)
		}
	}
	if err := rows.Err(); err != nil {
		return access.Session{}, nil, db.dialect.translate(err)
	}
	if !found {
		return access.Session{}, nil, haven.ErrNotFound
	}
	if disabled {
		return s, nil, nil
	}
	a.User.ID = s.UserID
	return s, &a, nil
}

// TouchSession records activity, which keeps the session from idling out.
func (db *DB) TouchSession(ctx context.Context, id int64) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE sessions SET last_seen_at = $1 WHERE id = $2`, db.now(), id)
		return err
	})
}

// DeleteSession ends one session.
func (db *DB) DeleteSession(ctx context.Context, id int64) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id = $1`, id)
		return err
	})
}

// DeleteUserSessions ends every session of a user ("sign out everywhere")
// and, if asked, revokes their API tokens in the same transaction.
func (db *DB) DeleteUserSessions(ctx context.Context, ev audit.Event, userID int64, tokens Tokens) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID); err != nil {
			return err
		}
		if tokens == RevokeTokens {
			if err := db.revokeAllAPITokens(ctx, tx, ev, userID); err != nil {
				return err
			}
		}
		ev.RecordType, ev.RecordID = "user", itoa(userID)
		return db.appendAudit(ctx, tx, ev)
	})
}

// UserSessions lists a user's active sessions, newest first.
func (db *DB) UserSessions(ctx context.Context, userID int64) ([]access.Session, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, user_id, mfa_passed, created_at, last_seen_at, authed_at, ip, user_agent
		FROM sessions WHERE user_id = $1 ORDER BY id DESC`, userID)
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	defer rows.Close()
	var out []access.Session
	for rows.Next() {
		var s access.Session
		if err := rows.Scan(&s.ID, &s.UserID, &s.MFAPassed, &s.CreatedAt, &s.LastSeenAt, &s.AuthedAt, &s.IP, &s.UserAgent); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, db.dialect.translate(rows.Err())
}

// Actor loads a user with their roles, for authorisation. A disabled account
// is not found.
func (db *DB) Actor(ctx context.Context, userID int64) (*access.Actor, error) {
	a, err := db.Account(ctx, userID)
	if err != nil {
		return nil, err
	}
	if a.Disabled {
		return nil, haven.ErrNotFound
	}
	ms, err := db.Memberships(ctx, userID)
	if err != nil {
		return nil, err
	}
	return &access.Actor{User: a.User, Memberships: ms}, nil
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

// SetPendingTOTP stores a secret that is not yet confirmed; the account is
// not enrolled until EnrolMFA.
func (db *DB) SetPendingTOTP(ctx context.Context, userID int64, secret string) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE users SET totp_secret = $1 WHERE id = $2 AND mfa_enrolled = FALSE`, secret, userID)
		return err
	})
}

// CreateAPIToken stores a bearer token's hash. The token itself is shown once.
func (db *DB) CreateAPIToken(ctx context.Context, ev audit.Event, userID int64, name, tokenHash string, expires time.Time) (int64, error) {
	var id int64
	err := db.createTx(ctx, claim{user: userID, kind: KindAPIToken}, func(tx *sql.Tx) (int64, string, error) {
		if err := tx.QueryRowContext(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, userID, name, tokenHash, db.now(), expires.UTC()).Scan(&id); err != nil {
			return 0, "", err
		}
		ev.Action, ev.RecordType, ev.RecordID = audit.TokenCreated, "api-token", itoa(id)
		if ev.UserID == 0 {
			ev.UserID = userID
		}
		return id, "", db.appendAudit(ctx, tx, ev)
	})
	return id, err
}

// APITokenUser returns the user and token ID for a live (unexpired, unrevoked) token.
func (db *DB) APITokenUser(ctx context.Context, tokenHash string) (userID, tokenID int64, err error) {
	err = db.read.QueryRowContext(ctx, `SELECT user_id, id FROM api_tokens
		WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > $2`, tokenHash, db.now()).Scan(&userID, &tokenID)
	return userID, tokenID, db.dialect.translate(err)
}

// CreateEnrolledAccount makes an account that can sign in at once: password
// set and TOTP enrolled. Only the demo uses it; real accounts enrol themselves.
func (db *DB) CreateEnrolledAccount(ctx context.Context, by audit.Event, u access.User, grants []Grant, passwordHash, totpSecret string) (access.User, error) {
	u, err := db.CreateAccount(ctx, by, u, grants)
	if err != nil {
		return u, err
	}
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1, totp_secret = $2, mfa_enrolled = TRUE WHERE id = $3`,
			passwordHash, totpSecret, u.ID)
		return err
	})
	return u, err
}

// AccountSummary is one row of the administrator's user list.
type AccountSummary struct {
	access.User
	Disabled    bool
	MFAEnrolled bool
	HasPassword bool
	Roles       int
	Memberships []access.Membership // each role and where it applies, so the list can name them
}

// ListAccounts returns a page of accounts in ID order for administrators.
func (db *DB) ListAccounts(ctx context.Context, pg Page) ([]AccountSummary, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT u.id, u.email, u.display_name, u.version, u.created_at, u.updated_at,
			u.disabled, u.mfa_enrolled, u.password_hash <> '', (SELECT COUNT(*) FROM memberships m WHERE m.user_id = u.id)
		FROM users u WHERE u.id > $1 ORDER BY u.id LIMIT $2`, pg.After, pg.limit())
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	defer rows.Close()
	var out []AccountSummary
	for rows.Next() {
		var a AccountSummary
		if err := rows.Scan(&a.ID, &a.Email, &a.DisplayName, &a.Version, &a.CreatedAt, &a.UpdatedAt, &a.Disabled, &a.MFAEnrolled, &a.HasPassword, &a.Roles); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, db.dialect.translate(err)
	}
	// The page is a run of IDs, so one range finds every role on it.
	mrows, err := db.read.QueryContext(ctx, `SELECT m.user_id, `+membershipColumns+` FROM memberships m `+membershipJoins+`
		WHERE m.user_id > $1 AND m.user_id <= $2 ORDER BY m.user_id, m.id`, pg.After, out[len(out)-1].ID)
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	defer mrows.Close()
	at := map[int64]int{}
	for i, a := range out {
		at[a.ID] = i
	}
	for mrows.Next() {
		var m access.Membership
		var role, kind string
		if err := mrows.Scan(&m.UserID, &role, &kind, &m.TenantID, &m.TenantSlug, &m.TenantName); err != nil {
			return nil, err
		}
		m.Role, m.TenantKind = access.Role(role), access.TenantKind(kind)
		if i, ok := at[m.UserID]; ok {
			out[i].Memberships = append(out[i].Memberships, m)
		}
	}
	return out, db.dialect.translate(mrows.Err())
}

// userChange runs one administrative change to an account with its audit row.
func (db *DB) userChange(ctx context.Context, ev audit.Event, action audit.Action, userID int64, fn func(tx *sql.Tx) error) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var exists bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM users WHERE id = $1)`, userID).Scan(&exists); err != nil {
			return err
		}
		if !exists {
			return haven.ErrNotFound
		}
		if err := fn(tx); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET version = version + 1, updated_at = $1 WHERE id = $2`, db.now(), userID); err != nil {
			return err
		}
		ev.Action, ev.RecordType, ev.RecordID = action, "user", itoa(userID)
		return db.appendAudit(ctx, tx, ev)
	})
}

// SetDisabled disables or re-enables an account. Disabling ends its sessions
// and revokes nothing else, so re-enabling restores its tokens.
func (db *DB) SetDisabled(ctx context.Context, ev audit.Event, userID int64, disabled bool) error {
	return db.userChange(ctx, ev, audit.AccountDisable, userID, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET disabled = $1 WHERE id = $2`, disabled, userID); err != nil {
			return err
		}
		if !disabled {
			return nil
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID)
		return err
	})
}

// ResetMFA removes an account's second factor and recovery codes and ends its
// sessions; the person sets up a new authenticator at their next sign-in.
func (db *DB) ResetMFA(ctx context.Context, ev audit.Event, userID int64) error {
	return db.userChange(ctx, ev, audit.MFAReset, userID, func(tx *sql.Tx) error {
		for _, q := range []string{
			`UPDATE users SET totp_secret = '', totp_last_step = 0, mfa_enrolled = FALSE WHERE id = $1`,
			`DELETE FROM recovery_codes WHERE user_id = $1`,
			`DELETE FROM sessions WHERE user_id = $1`,
		} {
			if _, err := tx.ExecContext(ctx, q, userID); err != nil {
				return err
			}
		}
		return nil
	})
}

// AddMembership grants a role in a tenant.
func (db *DB) AddMembership(ctx context.Context, ev audit.Event, userID int64, g Grant) error {
	if g.Role.Tenant() != g.Tenant.Kind {
		return haven.Errorf(haven.KindInvalid, "the %s role is held in a %s, not a %s", g.Role, g.Role.Tenant(), g.Tenant.Kind)
	}
	ev.Section = string(g.Role) + "@" + g.Tenant.Slug
	return db.userChange(ctx, ev, audit.RoleChanged, userID, func(tx *sql.Tx) error {
		org, practice, la := tenantColumns(g.Tenant)
		_, err := tx.ExecContext(ctx, `INSERT INTO memberships (user_id, role, organisation_id, practice_id, la_team_id, created_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, userID, string(g.Role), org, practice, la, db.now())
		return err
	})
}

// RemoveMembership takes away one role; it applies from the next request (S19).
func (db *DB) RemoveMembership(ctx context.Context, ev audit.Event, userID int64, g Grant) error {
	ev.Section = "-" + string(g.Role) + "@" + g.Tenant.Slug
	return db.userChange(ctx, ev, audit.RoleChanged, userID, func(tx *sql.Tx) error {
		org, practice, la := tenantColumns(g.Tenant)
		res, err := tx.ExecContext(ctx, `DELETE FROM memberships WHERE user_id = $1 AND role = $2
			AND COALESCE(organisation_id, 0) = COALESCE($3, 0) AND COALESCE(practice_id, 0) = COALESCE($4, 0) AND COALESCE(la_team_id, 0) = COALESCE($5, 0)`,
			userID, string(g.Role), org, practice, la)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return haven.ErrNotFound
		}
		return nil
	})
}

// EndSession ends one session of a user, as an administrator.
func (db *DB) EndSession(ctx context.Context, ev audit.Event, userID, sessionID int64) error {
	ev.Section = "session " + itoa(sessionID)
	return db.userChange(ctx, ev, audit.SessionEnded, userID, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id = $1 AND user_id = $2`, sessionID, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return haven.ErrNotFound
		}
		return nil
	})
}

// Reauthenticated records that the session's owner just gave their password
// and second factor again.
func (db *DB) Reauthenticated(ctx context.Context, sessionID int64) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE sessions SET authed_at = $1, last_seen_at = $1 WHERE id = $2`, db.now(), sessionID)
		return err
	})
}

// Tenants lists every tenant a role can be granted in, for the admin forms.
func (db *DB) Tenants(ctx context.Context) ([]Tenant, error) {
	rows, err := db.read.QueryContext(ctx, `
		SELECT 'organisation', id, slug, name FROM organisations
		UNION ALL SELECT 'practice', id, slug, name FROM practices
		UNION ALL SELECT 'local-authority', id, slug, name FROM la_teams
		ORDER BY 1, 4`)
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	defer rows.Close()
	out := []Tenant{{Kind: access.TenantNational, Slug: NationalSlug, Name: "National team"}}
	for rows.Next() {
		var t Tenant
		var kind string
		if err := rows.Scan(&kind, &t.ID, &t.Slug, &t.Name); err != nil {
			return nil, err
		}
		t.Kind = access.TenantKind(kind)
		out = append(out, t)
	}
	return out, db.dialect.translate(rows.Err())
}

// APITokens lists a user's tokens, newest first.
func (db *DB) APITokens(ctx context.Context, userID int64) ([]access.APIToken, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, user_id, name, created_at, expires_at, revoked_at
		FROM api_tokens WHERE user_id = $1 ORDER BY id DESC`, userID)
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	defer rows.Close()
	var out []access.APIToken
	for rows.Next() {
		var t access.APIToken
		var revoked sql.NullTime
		if err := rows.Scan(&t.ID, &t.UserID, &t.Name, &t.CreatedAt, &t.ExpiresAt, &revoked); err != nil {
			return nil, err
		}
		t.RevokedAt = revoked.Time
		out = append(out, t)
	}
	return out, db.dialect.translate(rows.Err())
}

// RevokeAPIToken ends one of the user's own tokens at once.
func (db *DB) RevokeAPIToken(ctx context.Context, ev audit.Event, userID, tokenID int64) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL`, db.now(), tokenID, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return haven.ErrNotFound
		}
		ev.Action, ev.RecordType, ev.RecordID = audit.TokenRevoked, "api-token", itoa(tokenID)
		return db.appendAudit(ctx, tx, ev)
	})
}

// revokeAllAPITokens revokes every live token of the user, each with its own
// audit row, so the trail says which tokens stopped and when.
func (db *DB) revokeAllAPITokens(ctx context.Context, tx *sql.Tx, ev audit.Event, userID int64) error {
	rows, err := tx.QueryContext(ctx, `UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL RETURNING id`, db.now(), userID)
	if err != nil {
		return err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	slices.Sort(ids) // RETURNING promises no order; the trail should read the same on both databases
	for _, id := range ids {
		e := ev
		e.Action, e.RecordType, e.RecordID, e.Section = audit.TokenRevoked, "api-token", itoa(id), ""
		if e.UserID == 0 {
			e.UserID = userID
		}
		if err := db.appendAudit(ctx, tx, e); err != nil {
			return err
		}
	}
	return nil
}
