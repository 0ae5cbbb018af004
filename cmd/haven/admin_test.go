package main

import (
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/auth"
	"haven/internal/demo"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// cheapHasher keeps the demo seed fast; the CLI never hashes passwords.
var cheapHasher = &auth.Hasher{Memory: 64, Time: 1}

// seedDemo migrates dbURL with `haven migrate` and fills it with the demo data.
func seedDemo(t *testing.T, dbURL string) demo.Summary {
	t.Helper()
	if _, stderr, err := runCmd(t, "migrate", "--db", dbURL); err != nil {
		t.Fatalf("migrate: %v\n%s", err, stderr)
	}
	db, err := store.Open(t.Context(), dbURL)
	if err != nil {
		t.Fatalf("open %s: %v", dbURL, err)
	}
	defer db.Close()
	sum, err := demo.Seed(t.Context(), db, demo.Options{Hasher: cheapHasher})
	if err != nil {
		t.Fatalf("demo seed: %v", err)
	}
	return sum
}

// openDB opens dbURL for the test's own checks, alongside the commands'.
func openDB(t *testing.T, dbURL string) *store.DB {
	t.Helper()
	db, err := store.Open(t.Context(), dbURL)
	if err != nil {
		t.Fatalf("open %s: %v", dbURL, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// demoAccount returns the first demo account with the role.
func demoAccount(t *testing.T, sum demo.Summary, role access.Role) demo.Account {
	t.Helper()
	for _, a := range sum.Accounts {
		if a.Role == role {
			return a
		}
	}
	t.Fatalf("no demo account with role %s", role)
	return demo.Account{}
}

// userCount counts every account in the database.
func userCount(t *testing.T, db *store.DB) int {
	t.Helper()
	n := 0
	pg := store.Page{Limit: 500}
	for {
		page, err := db.ListAccounts(t.Context(), pg)
		if err != nil {
			t.Fatalf("list accounts: %v", err)
		}
		n += len(page)
		if len(page) < pg.Limit {
			return n
		}
		pg.After = page[len(page)-1].ID
	}
}

// auditRows counts the audit trail's rows, failing if the chain is broken.
func auditRows(t *testing.T, db *store.DB) int {
	t.Helper()
	v, err := db.VerifyAudit(t.Context())
	if err != nil {
		t.Fatalf("verify audit: %v", err)
	}
	if len(v.Problems) > 0 {
		t.Fatalf("audit trail broken: %v", v.Problems)
	}
	return v.Checked
}

// enrolRE matches the enrolment lines of `haven user create`.
var enrolRE = regexp.MustCompile(`valid until (\d{1,2} [A-Z][a-z]+ \d{4} \d{2}:\d{2} UTC):\n(https://haven\.example\.org/enrol/([a-z2-7]{52}))\n`)

func TestUserCreate(t *testing.T) {
	storetest.ForEachEmpty(t, func(t *testing.T, dbURL string) {
		sum := seedDemo(t, dbURL)
		db := openDB(t, dbURL)
		admin := demoAccount(t, sum, access.RoleAdmin)

		tests := []struct {
			name    string
			args    []string // after "user create"; --db and --base-url are added
			baseURL string   // default https://haven.example.org
			// success
			wantEmail  string // stored (normalised) email
			wantName   string
			wantMember access.Membership // Role, TenantKind, TenantSlug compared
			// failure
			wantErr []string // substrings of the error; nil for success
		}{
			{name: "practitioner in a Practice",
				args:      []string{"--email", "ash.new@example.org", "--role", "practitioner", "--tenant", "demo-riverside", "--name", "Ash New"},
				wantEmail: "ash.new@example.org", wantName: "Ash New",
				wantMember: access.Membership{Role: access.RolePractitioner, TenantKind: access.TenantPractice, TenantSlug: "demo-riverside"}},
			{name: "admin in an organisation",
				args:      []string{"--email", "beth.admin@example.org", "--role", "admin", "--tenant", "demo-family-futures"},
				wantEmail: "beth.admin@example.org", wantName: "beth.admin",
				wantMember: access.Membership{Role: access.RoleAdmin, TenantKind: access.TenantOrganisation, TenantSlug: "demo-family-futures"}},
			{name: "local authority social worker",
				args:      []string{"--email", "cal.sw@example.org", "--role", "la-social-worker", "--tenant", "demo-leeds-reunification"},
				wantEmail: "cal.sw@example.org", wantName: "cal.sw",
				wantMember: access.Membership{Role: access.RoleLASocialWorker, TenantKind: access.TenantLocalAuthority, TenantSlug: "demo-leeds-reunification"}},
			{name: "national role needs no tenant",
				args:      []string{"--email", "dee.analyst@example.org", "--role", "national-analyst"},
				wantEmail: "dee.analyst@example.org", wantName: "dee.analyst",
				wantMember: access.Membership{Role: access.RoleNationalAnalyst, TenantKind: access.TenantNational, TenantSlug: "national"}},
			{name: "national role with --tenant national",
				args:      []string{"--email", "eve.editor@example.org", "--role", "directory-editor", "--tenant", "national"},
				wantEmail: "eve.editor@example.org", wantName: "eve.editor",
				wantMember: access.Membership{Role: access.RoleDirectoryEditor, TenantKind: access.TenantNational, TenantSlug: "national"}},
			{name: "email is normalised", baseURL: "https://haven.example.org/",
				args:      []string{"--email", "Fay.Upper@Example.ORG", "--role", "practice-lead", "--tenant", "demo-harbour"},
				wantEmail: "fay.upper@example.org", wantName: "Fay.Upper",
				wantMember: access.Membership{Role: access.RolePracticeLead, TenantKind: access.TenantPractice, TenantSlug: "demo-harbour"}},

			{name: "unknown role", args: []string{"--email", "x1@example.org", "--role", "superuser", "--tenant", "demo-riverside"},
				wantErr: append([]string{"--role"}, roleNames()...)},
			{name: "no role", args: []string{"--email", "x2@example.org", "--tenant", "demo-riverside"},
				wantErr: append([]string{"--role"}, roleNames()...)},
			{name: "Practice role in an organisation", args: []string{"--email", "x3@example.org", "--role", "practitioner", "--tenant", "demo-family-futures"},
				wantErr: []string{"--tenant", "demo-family-futures"}},
			{name: "Practice role without a tenant", args: []string{"--email", "x4@example.org", "--role", "practitioner"},
				wantErr: []string{"--tenant"}},
			{name: "unknown Practice", args: []string{"--email", "x5@example.org", "--role", "practitioner", "--tenant", "no-such-practice"},
				wantErr: []string{"--tenant", "no-such-practice"}},
			{name: "national role in a Practice", args: []string{"--email", "x6@example.org", "--role", "national-analyst", "--tenant", "demo-riverside"},
				wantErr: []string{"--tenant", "demo-riverside"}},
			{name: "admin in a Practice", args: []string{"--email", "x7@example.org", "--role", "admin", "--tenant", "demo-riverside"},
				wantErr: []string{"--tenant", "demo-riverside"}},
			{name: "LA role in a Practice", args: []string{"--email", "x8@example.org", "--role", "la-manager", "--tenant", "demo-riverside"},
				wantErr: []string{"--tenant"}},
			{name: "duplicate email", args: []string{"--email", admin.Email, "--role", "practitioner", "--tenant", "demo-riverside"},
				wantErr: []string{"--email", "already has an account"}},
			{name: "duplicate email in another case", args: []string{"--email", strings.ToUpper(admin.Email), "--role", "practitioner", "--tenant", "demo-riverside"},
				wantErr: []string{"--email", "already has an account"}},
			{name: "duplicate of a CLI-created email", args: []string{"--email", "ash.new@example.org", "--role", "admin", "--tenant", "demo-family-futures"},
				wantErr: []string{"--email", "already has an account"}},
			{name: "bad email", args: []string{"--email", "not-an-email", "--role", "practitioner", "--tenant", "demo-riverside"},
				wantErr: []string{"create user", "correct format"}},
			{name: "two at signs", args: []string{"--email", "a@b@example.org", "--role", "practitioner", "--tenant", "demo-riverside"},
				wantErr: []string{"create user", "correct format"}},
			{name: "display form of an address", args: []string{"--email", "Gil <gil@example.org>", "--role", "practitioner", "--tenant", "demo-riverside"},
				wantErr: []string{"create user", "correct format"}},
			{name: "no email", args: []string{"--role", "practitioner", "--tenant", "demo-riverside"},
				wantErr: []string{"create user", "correct format"}},
			{name: "stray argument", args: []string{"--email", "x9@example.org", "--role", "practitioner", "--tenant", "demo-riverside", "extra"},
				wantErr: []string{"unexpected arguments: extra"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				base := tt.baseURL
				if base == "" {
					base = "https://haven.example.org"
				}
				usersBefore, auditBefore := userCount(t, db), auditRows(t, db)
				args := append([]string{"user", "create", "--db", dbURL, "--base-url", base}, tt.args...)
				start := time.Now()
				stdout, stderr, err := runCmd(t, args...)

				if tt.wantErr != nil {
					if err == nil {
						t.Fatalf("%q succeeded, want an error\nstdout:\n%s", args, stdout)
					}
					if errors.Is(err, errUsage) || errors.Is(err, errHelp) {
						t.Errorf("%q = %v, want a real error, not a usage sentinel", args, err)
					}
					for _, w := range tt.wantErr {
						if !strings.Contains(err.Error(), w) {
							t.Errorf("error = %q, want it to mention %q", err, w)
						}
					}
					if strings.Contains(stdout, "/enrol/") {
						t.Errorf("failed command printed an enrolment link:\n%s", stdout)
					}
					if got := userCount(t, db); got != usersBefore {
						t.Errorf("users: %d before, %d after a failed create", usersBefore, got)
					}
					if got := auditRows(t, db); got != auditBefore {
						t.Errorf("audit rows: %d before, %d after a failed create", auditBefore, got)
					}
					return
				}

				if err != nil {
					t.Fatalf("%q: %v\nstderr:\n%s", args, err, stderr)
				}
				m := enrolRE.FindStringSubmatch(stdout)
				if m == nil {
					t.Fatalf("stdout = %q, want a line with \"valid until\" and then https://haven.example.org/enrol/<52-char token>", stdout)
				}
				until, err := time.Parse("2 January 2006 15:04 MST", m[1])
				if err != nil {
					t.Errorf("valid until %q: %v", m[1], err)
				} else if want := start.Add(24 * time.Hour); until.Before(want.Add(-2*time.Minute)) || until.After(want.Add(2*time.Minute)) {
					t.Errorf("valid until %s, want about %s", until, want.UTC())
				}
				if strings.Count(stdout, "/enrol/") != 1 {
					t.Errorf("stdout has more than one enrolment link:\n%s", stdout)
				}
				token := m[3]
				if want := "Created " + tt.wantEmail + " with role " + string(tt.wantMember.Role) + " in " + tt.wantMember.TenantSlug + "."; !strings.Contains(stdout, want) {
					t.Errorf("stdout = %q, want it to contain %q", stdout, want)
				}

				acct, err := db.AccountByEmail(t.Context(), tt.wantEmail)
				if err != nil {
					t.Fatalf("account %s: %v", tt.wantEmail, err)
				}
				if acct.Email != tt.wantEmail || acct.DisplayName != tt.wantName || acct.Disabled || acct.MFAEnrolled || acct.PasswordHash != "" {
					t.Errorf("account = email %q name %q disabled %v mfa %v password %v; want %q %q, enabled, not yet enrolled",
						acct.Email, acct.DisplayName, acct.Disabled, acct.MFAEnrolled, acct.PasswordHash != "", tt.wantEmail, tt.wantName)
				}
				ms, err := db.Memberships(t.Context(), acct.ID)
				if err != nil {
					t.Fatalf("memberships: %v", err)
				}
				var got []access.Membership
				for _, m := range ms {
					got = append(got, access.Membership{Role: m.Role, TenantKind: m.TenantKind, TenantSlug: m.TenantSlug})
				}
				if diff := cmp.Diff([]access.Membership{tt.wantMember}, got); diff != "" {
					t.Errorf("memberships (-want +got):\n%s", diff)
				}

				uid, err := db.EnrolmentUser(t.Context(), auth.HashToken(token))
				if err != nil || uid != acct.ID {
					t.Errorf("EnrolmentUser(link token) = %d, %v; want %d", uid, err, acct.ID)
				}

				if got := userCount(t, db); got != usersBefore+1 {
					t.Errorf("users: %d before, %d after, want one more", usersBefore, got)
				}
				if got := auditRows(t, db); got != auditBefore+1 {
					t.Errorf("audit rows: %d before, %d after, want one more", auditBefore, got)
				}
				evs, err := db.SearchAudit(t.Context(), store.AuditFilter{RecordType: "user", RecordID: strconv.FormatInt(acct.ID, 10)})
				if err != nil {
					t.Fatalf("search audit: %v", err)
				}
				if len(evs) != 1 || evs[0].Action != audit.AccountCreated || evs[0].Role != "cli" {
					t.Errorf("audit events for the new user = %+v, want one %s by cli", evs, audit.AccountCreated)
				}
			})
		}
	})
}

func roleNames() []string {
	var out []string
	for _, r := range access.Roles() {
		out = append(out, string(r))
	}
	return out
}

// apiTokenRE matches the token line of `haven token create`.
var apiTokenRE = regexp.MustCompile(`(?m)^(haven_[a-z2-7]{52})$`)

func TestTokenCreate(t *testing.T) {
	storetest.ForEachEmpty(t, func(t *testing.T, dbURL string) {
		sum := seedDemo(t, dbURL)
		db := openDB(t, dbURL)
		owner := demoAccount(t, sum, access.RolePractitioner)
		disabled := demoAccount(t, sum, access.RoleLibraryEditor)
		if err := db.SetDisabled(t.Context(), audit.Event{RequestID: "test"}, disabled.UserID, true); err != nil {
			t.Fatalf("disable %s: %v", disabled.Email, err)
		}
		const day = 24 * time.Hour

		tests := []struct {
			name     string
			email    string
			args     []string      // after --email
			wantLife time.Duration // 0 for an error
			wantName string
			wantErr  string
		}{
			{name: "90 days", email: owner.Email, args: []string{"--name", "Reporting", "--expires", "90d"}, wantLife: 90 * day, wantName: "Reporting"},
			{name: "default lifetime", email: owner.Email, args: []string{"--name", "Default"}, wantLife: 90 * day, wantName: "Default"},
			{name: "one day", email: owner.Email, args: []string{"--name", "Short", "--expires", "1d"}, wantLife: day, wantName: "Short"},
			{name: "a year", email: owner.Email, args: []string{"--name", "Long", "--expires", "365d"}, wantLife: 365 * day, wantName: "Long"},
			{name: "hours", email: owner.Email, args: []string{"--name", "Hours", "--expires", "12h"}, wantLife: 12 * time.Hour, wantName: "Hours"},
			{name: "email in another case", email: strings.ToUpper(owner.Email), args: []string{"--name", "Upper", "--expires", "30d"}, wantLife: 30 * day, wantName: "Upper"},

			{name: "zero days", email: owner.Email, args: []string{"--name", "x", "--expires", "0d"}, wantErr: "--expires"},
			{name: "too many days", email: owner.Email, args: []string{"--name", "x", "--expires", "400d"}, wantErr: "--expires"},
			{name: "not a lifetime", email: owner.Email, args: []string{"--name", "x", "--expires", "abc"}, wantErr: "--expires"},
			{name: "negative days", email: owner.Email, args: []string{"--name", "x", "--expires", "-1d"}, wantErr: "--expires"},
			{name: "fractional days", email: owner.Email, args: []string{"--name", "x", "--expires", "1.5d"}, wantErr: "--expires"},
			{name: "empty lifetime", email: owner.Email, args: []string{"--name", "x", "--expires", ""}, wantErr: "--expires"},
			{name: "seconds", email: owner.Email, args: []string{"--name", "x", "--expires", "30s"}, wantErr: "--expires"},
			{name: "too many hours", email: owner.Email, args: []string{"--name", "x", "--expires", "8761h"}, wantErr: "--expires"},
			{name: "unknown email", email: "nobody@example.org", args: []string{"--name", "x"}, wantErr: "--email"},
			{name: "no email", email: "", args: []string{"--name", "x"}, wantErr: "--email"},
			{name: "disabled account", email: disabled.Email, args: []string{"--name", "x"}, wantErr: "--email"},
			{name: "empty name", email: owner.Email, args: []string{"--name", ""}, wantErr: "--name"},
			{name: "no name", email: owner.Email, args: nil, wantErr: "--name"},
			{name: "blank name", email: owner.Email, args: []string{"--name", "   "}, wantErr: "--name"},
			{name: "name too long", email: owner.Email, args: []string{"--name", strings.Repeat("n", 101)}, wantErr: "--name"},
			{name: "stray argument", email: owner.Email, args: []string{"--name", "x", "extra"}, wantErr: "unexpected arguments: extra"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				tokensBefore := tokenCount(t, db, owner.UserID) + tokenCount(t, db, disabled.UserID)
				auditBefore := auditRows(t, db)
				args := append([]string{"token", "create", "--db", dbURL, "--email", tt.email}, tt.args...)
				start := time.Now()
				stdout, stderr, err := runCmd(t, args...)

				if tt.wantErr != "" {
					if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
						t.Errorf("%q = %v, want an error mentioning %q", args, err, tt.wantErr)
					}
					if errors.Is(err, errUsage) || errors.Is(err, errHelp) {
						t.Errorf("%q = %v, want a real error, not a usage sentinel", args, err)
					}
					if strings.Contains(stdout, "haven_") {
						t.Errorf("failed command printed a token:\n%s", stdout)
					}
					if got := tokenCount(t, db, owner.UserID) + tokenCount(t, db, disabled.UserID); got != tokensBefore {
						t.Errorf("tokens: %d before, %d after a failed create", tokensBefore, got)
					}
					if got := auditRows(t, db); got != auditBefore {
						t.Errorf("audit rows: %d before, %d after a failed create", auditBefore, got)
					}
					return
				}

				if err != nil {
					t.Fatalf("%q: %v\nstderr:\n%s", args, err, stderr)
				}
				m := apiTokenRE.FindStringSubmatch(stdout)
				if m == nil {
					t.Fatalf("stdout = %q, want a line haven_<52-char token>", stdout)
				}
				token := m[1]
				if !strings.Contains(stdout, "API token for "+strings.ToLower(owner.Email)) {
					t.Errorf("stdout = %q, want it to name %s", stdout, owner.Email)
				}
				uid, tokenID, err := db.APITokenUser(t.Context(), auth.HashToken(token))
				if err != nil || uid != owner.UserID {
					t.Fatalf("APITokenUser(printed token) = %d, %v; want %d", uid, err, owner.UserID)
				}
				toks, err := db.APITokens(t.Context(), owner.UserID)
				if err != nil {
					t.Fatalf("tokens: %v", err)
				}
				i := slices.IndexFunc(toks, func(t access.APIToken) bool { return t.ID == tokenID })
				if i < 0 {
					t.Fatalf("token %d not among %s's tokens", tokenID, owner.Email)
				}
				tok := toks[i]
				if tok.Name != tt.wantName {
					t.Errorf("token name = %q, want %q", tok.Name, tt.wantName)
				}
				if want := start.Add(tt.wantLife); tok.ExpiresAt.Before(want.Add(-time.Minute)) || tok.ExpiresAt.After(want.Add(time.Minute)) {
					t.Errorf("token expires %s, want about %s", tok.ExpiresAt, want)
				}
				if got := auditRows(t, db); got != auditBefore+1 {
					t.Errorf("audit rows: %d before, %d after, want one more", auditBefore, got)
				}
			})
		}
	})
}

func tokenCount(t *testing.T, db *store.DB, userID int64) int {
	t.Helper()
	toks, err := db.APITokens(t.Context(), userID)
	if err != nil {
		t.Fatalf("tokens of %d: %v", userID, err)
	}
	return len(toks)
}

var (
	intactRE   = regexp.MustCompile(`^audit trail intact: (\d+) rows checked\n$`)
	auditRowRE = regexp.MustCompile(`(?m)^audit row (\d+): `)
)

// verifyAudit runs `haven audit verify` and returns the rows it names.
func verifyAudit(t *testing.T, dbURL string) (stdout string, named []int64, err error) {
	t.Helper()
	stdout, stderr, err := runCmd(t, "audit", "verify", "--db", dbURL)
	if stderr != "" {
		t.Errorf("audit verify wrote to stderr:\n%s", stderr)
	}
	for _, m := range auditRowRE.FindAllStringSubmatch(stdout, -1) {
		id, _ := strconv.ParseInt(m[1], 10, 64)
		named = append(named, id)
	}
	return stdout, named, err
}

// TestAuditVerify checks an intact trail, and that the CLI's own changes keep it so.
func TestAuditVerify(t *testing.T) {
	storetest.ForEachEmpty(t, func(t *testing.T, dbURL string) {
		sum := seedDemo(t, dbURL)
		checked := func() int {
			t.Helper()
			stdout, named, err := verifyAudit(t, dbURL)
			m := intactRE.FindStringSubmatch(stdout)
			if err != nil || m == nil || named != nil {
				t.Fatalf("audit verify = %v, stdout %q; want \"audit trail intact: N rows checked\"", err, stdout)
			}
			n, _ := strconv.Atoi(m[1])
			return n
		}
		n := checked()
		if n <= 0 {
			t.Fatalf("audit verify checked %d rows after the demo seed, want some", n)
		}
		if want := 2 * len(sum.Accounts); n < want {
			t.Errorf("audit verify checked %d rows, want at least %d (an account and a token per demo account)", n, want)
		}

		if _, stderr, err := runCmd(t, "user", "create", "--db", dbURL, "--email", "audited@example.org", "--role", "national-analyst"); err != nil {
			t.Fatalf("user create: %v\n%s", err, stderr)
		}
		if _, stderr, err := runCmd(t, "token", "create", "--db", dbURL, "--email", "audited@example.org", "--name", "Audited"); err != nil {
			t.Fatalf("token create: %v\n%s", err, stderr)
		}
		if got := checked(); got != n+2 {
			t.Errorf("after user and token create, audit verify checked %d rows, want %d", got, n+2)
		}
	})
}

// TestAuditVerifyTampered edits and removes rows behind the triggers' backs
// and checks that `haven audit verify` names the row where the chain breaks.
func TestAuditVerifyTampered(t *testing.T) {
	tests := []struct {
		name      string
		sqlite    []string
		postgres  []string
		wantNamed []int64
	}{
		{
			name: "row edited",
			sqlite: []string{
				"DROP TRIGGER audit_events_no_update",
				"UPDATE audit_events SET record_id = 'tampered' WHERE id = 3",
			},
			postgres: []string{
				"ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update",
				"UPDATE audit_events SET record_id = 'tampered' WHERE id = 3",
				"ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update",
			},
			wantNamed: []int64{3},
		},
		{
			name: "row deleted",
			sqlite: []string{
				"DROP TRIGGER audit_events_no_delete",
				"DELETE FROM audit_events WHERE id = 5",
			},
			postgres: []string{
				"ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update",
				"DELETE FROM audit_events WHERE id = 5",
				"ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update",
			},
			wantNamed: []int64{6},
		},
		{
			name: "row edited and another deleted",
			sqlite: []string{
				"DROP TRIGGER audit_events_no_update",
				"DROP TRIGGER audit_events_no_delete",
				"UPDATE audit_events SET section = 'tampered' WHERE id = 2",
				"DELETE FROM audit_events WHERE id = 9",
			},
			postgres: []string{
				"ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update",
				"UPDATE audit_events SET section = 'tampered' WHERE id = 2",
				"DELETE FROM audit_events WHERE id = 9",
				"ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update",
			},
			wantNamed: []int64{2, 10},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			storetest.ForEachEmpty(t, func(t *testing.T, dbURL string) {
				seedDemo(t, dbURL)
				before, named, err := verifyAudit(t, dbURL)
				m := intactRE.FindStringSubmatch(before)
				if err != nil || m == nil || named != nil {
					t.Fatalf("audit verify before tampering = %v, stdout %q; want intact", err, before)
				}
				if n, _ := strconv.Atoi(m[1]); n < 11 {
					t.Fatalf("only %d audit rows; the cases need at least 11", n)
				}

				stmts := tt.postgres
				if strings.HasPrefix(dbURL, "sqlite:") {
					stmts = tt.sqlite
				}
				execSQL(t, dbURL, stmts...)

				stdout, named, err := verifyAudit(t, dbURL)
				if err == nil {
					t.Errorf("audit verify succeeded after tampering, want an error\nstdout:\n%s", stdout)
				} else if !strings.Contains(err.Error(), "audit trail broken") || errors.Is(err, errUsage) {
					t.Errorf("audit verify error = %q, want \"audit trail broken\"", err)
				}
				if strings.Contains(stdout, "intact") {
					t.Errorf("audit verify says intact after tampering:\n%s", stdout)
				}
				if diff := cmp.Diff(tt.wantNamed, named); diff != "" {
					t.Errorf("rows named (-want +got):\n%s\nstdout:\n%s", diff, stdout)
				}
			})
		})
	}
}

// TestUserTokenAuditUsage checks the admin commands' usage and --help.
func TestUserTokenAuditUsage(t *testing.T) {
	tests := []struct {
		args       []string
		wantErr    error
		wantStderr string
	}{
		{[]string{"user"}, errUsage, "usage: haven user create"},
		{[]string{"user", "delete"}, errUsage, "usage: haven user create"},
		{[]string{"user", "--email", "a@example.org"}, errUsage, "usage: haven user create"},
		{[]string{"token"}, errUsage, "usage: haven token create"},
		{[]string{"token", "list"}, errUsage, "usage: haven token create"},
		{[]string{"audit"}, errUsage, "usage: haven audit verify"},
		{[]string{"audit", "check"}, errUsage, "usage: haven audit verify"},
		{[]string{"user", "create", "--help"}, errHelp, "-email"},
		{[]string{"user", "create", "-h"}, errHelp, "-tenant"},
		{[]string{"token", "create", "--help"}, errHelp, "-expires"},
		{[]string{"audit", "verify", "--help"}, errHelp, "-db"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			stdout, stderr, err := runCmd(t, tt.args...)
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("run %q = %v, want %v", tt.args, err, tt.wantErr)
			}
			if !strings.Contains(stderr, tt.wantStderr) {
				t.Errorf("stderr = %q, want it to contain %q", stderr, tt.wantStderr)
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
		})
	}
	// An unknown flag is a plain error, not help.
	_, _, err := runCmd(t, "user", "create", "--bogus")
	if err == nil || errors.Is(err, errHelp) || errors.Is(err, errUsage) {
		t.Errorf("user create --bogus = %v, want a flag error", err)
	}
}

// TestUserTokenAuditNeedMigratedDatabase: the admin commands refuse a database
// that haven migrate has not brought up to date.
func TestUserTokenAuditNeedMigratedDatabase(t *testing.T) {
	storetest.ForEachEmpty(t, func(t *testing.T, dbURL string) {
		for _, args := range [][]string{
			{"user", "create", "--db", dbURL, "--email", "a@example.org", "--role", "national-analyst"},
			{"token", "create", "--db", dbURL, "--email", "a@example.org", "--name", "x"},
			{"audit", "verify", "--db", dbURL},
		} {
			stdout, _, err := runCmd(t, args...)
			if err == nil || !strings.Contains(err.Error(), "haven migrate") {
				t.Errorf("%q on an unmigrated database = %v, want an error saying to run haven migrate", args[:2], err)
			}
			if stdout != "" {
				t.Errorf("%q printed %q", args[:2], stdout)
			}
		}
	})
}
