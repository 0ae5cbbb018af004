package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/auth"
	"haven/internal/config"
	"haven/internal/haven"
	"haven/internal/store"
)

// subFlags parses a subcommand's own flags plus the shared --db and --base-url.
type subFlags struct {
	fs      *flag.FlagSet
	db      *string
	baseURL *string
}

func newSubFlags(name string, getenv func(string) string, stderr io.Writer) subFlags {
	d := config.Defaults()
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	env := func(k, def string) string {
		if v := getenv(k); v != "" {
			return v
		}
		return def
	}
	return subFlags{fs: fs,
		db:      fs.String("db", env("HAVEN_DB", d.DB), "database: sqlite:PATH or postgres://URL (HAVEN_DB)"),
		baseURL: fs.String("base-url", env("HAVEN_BASE_URL", "http://"+d.Addr), "the address users reach Haven at (HAVEN_BASE_URL)"),
	}
}

func (f subFlags) parse(args []string) error {
	if err := f.fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errHelp
		}
		return err
	}
	if f.fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %s", strings.Join(f.fs.Args(), " "))
	}
	return nil
}

// openMigrated opens a database for an admin command; it must be up to date.
func openMigrated(ctx context.Context, url string) (*store.DB, error) {
	db, err := store.Open(ctx, url)
	if err != nil {
		return nil, err
	}
	st, err := db.Status(ctx)
	if err != nil {
		db.Close()
		return nil, err
	}
	if len(st.Pending) > 0 || len(st.Unknown) > 0 {
		db.Close()
		return nil, errors.New("the database schema is not up to date: run haven migrate first")
	}
	return db, nil
}

// subcommand checks the word after the command; help goes to stdout and is not a failure.
func subcommand(args []string, want, usage string, stdout, stderr io.Writer) error {
	switch {
	case len(args) > 0 && args[0] == want:
		return nil
	case len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help"):
		fmt.Fprintln(stdout, usage)
		return errHelp
	}
	fmt.Fprintln(stderr, usage)
	return errUsage
}

// cliEvent is the audit row for something done at the command line.
func cliEvent() audit.Event { return audit.Event{Role: "cli", RequestID: "cli"} }

// userCmd: haven user create --email E --role R [--tenant SLUG] [--name N]
func userCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if err := subcommand(args, "create", "usage: haven user create --email E --role R [--tenant SLUG] [--name NAME]", stdout, stderr); err != nil {
		return err
	}
	f := newSubFlags("user create", getenv, stderr)
	email := f.fs.String("email", "", "the person's email address")
	roleSlug := f.fs.String("role", "", "role: "+joinRoles())
	tenant := f.fs.String("tenant", "", "the Practice, local authority team or organisation slug (national roles need none)")
	name := f.fs.String("name", "", "the person's name (defaults to the email's local part)")
	if err := f.parse(args[1:]); err != nil {
		return err
	}
	role, err := access.ParseRole(*roleSlug)
	if err != nil {
		return fmt.Errorf("--role: %w (choose from %s)", err, joinRoles())
	}
	if *name == "" {
		*name, _, _ = strings.Cut(*email, "@")
	}
	db, err := openMigrated(ctx, *f.db)
	if err != nil {
		return err
	}
	defer db.Close()
	t, err := db.ResolveTenant(ctx, role.Tenant(), *tenant)
	switch {
	case errors.Is(err, haven.ErrNotFound) && role.Tenant() == access.TenantNational:
		return fmt.Errorf("--tenant %q: national roles are held in the tenant %q, or give no --tenant", *tenant, store.NationalSlug)
	case errors.Is(err, haven.ErrNotFound):
		return fmt.Errorf("--tenant %q: no %s by that name", *tenant, role.Tenant())
	case err != nil:
		return err
	}
	u, err := db.CreateAccount(ctx, cliEvent(), access.User{Email: *email, DisplayName: *name}, []store.Grant{{Role: role, Tenant: t}})
	if errors.Is(err, haven.ErrConflict) {
		return fmt.Errorf("--email: %s already has an account", access.NormaliseEmail(*email))
	}
	if e, ok := errors.AsType[*haven.Error](err); ok && len(e.Fields) > 0 {
		var msgs []string
		for _, k := range []string{"email", "displayName"} {
			if m, ok := e.Fields[k]; ok {
				msgs = append(msgs, m)
			}
		}
		return fmt.Errorf("create user: %s", strings.Join(msgs, "; "))
	}
	if err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	token := auth.NewToken()
	expires := time.Now().Add(24 * time.Hour)
	if err := db.CreateEnrolmentToken(ctx, u.ID, auth.HashToken(token), expires); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Created %s with role %s in %s.\n", u.Email, role, t.Slug)
	fmt.Fprintf(stdout, "One-time enrolment link, valid until %s:\n%s/enrol/%s\n", expires.UTC().Format("2 January 2006 15:04 MST"), strings.TrimRight(*f.baseURL, "/"), token)
	return nil
}

func joinRoles() string {
	var rs []string
	for _, r := range access.Roles() {
		rs = append(rs, string(r))
	}
	return strings.Join(rs, ", ")
}

// tokenCmd: haven token create --email E --name N --expires 90d
func tokenCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if err := subcommand(args, "create", "usage: haven token create --email E --name N --expires 90d", stdout, stderr); err != nil {
		return err
	}
	f := newSubFlags("token create", getenv, stderr)
	email := f.fs.String("email", "", "whose token it is: it acts with exactly their permissions")
	name := f.fs.String("name", "", "a name to recognise the token by")
	expiresIn := f.fs.String("expires", "90d", "lifetime, in days (like 90d) or hours (like 12h), at most 365d")
	if err := f.parse(args[1:]); err != nil {
		return err
	}
	life, err := parseLifetime(*expiresIn)
	if err != nil {
		return fmt.Errorf("--expires: %w", err)
	}
	if strings.TrimSpace(*name) == "" || len(*name) > 100 {
		return errors.New("--name: give the token a name of 1 to 100 characters")
	}
	db, err := openMigrated(ctx, *f.db)
	if err != nil {
		return err
	}
	defer db.Close()
	acct, err := db.AccountByEmail(ctx, *email)
	if err != nil || acct.Disabled {
		return fmt.Errorf("--email: no active account for %q", *email)
	}
	token := "haven_" + auth.NewToken()
	if _, err := db.CreateAPIToken(ctx, cliEvent(), acct.ID, *name, auth.HashToken(token), time.Now().Add(life)); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "API token for %s (shown once, store it safely):\n%s\n", acct.Email, token)
	return nil
}

func parseLifetime(s string) (time.Duration, error) {
	if d, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(d)
		if err != nil || n < 1 || n > 365 {
			return 0, errors.New("want 1d to 365d")
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < time.Minute || d > 365*24*time.Hour {
		return 0, errors.New("want a lifetime like 90d or 12h")
	}
	return d, nil
}

// auditCmd: haven audit verify
func auditCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if err := subcommand(args, "verify", "usage: haven audit verify [--db URL]", stdout, stderr); err != nil {
		return err
	}
	f := newSubFlags("audit verify", getenv, stderr)
	if err := f.parse(args[1:]); err != nil {
		return err
	}
	db, err := openMigrated(ctx, *f.db)
	if err != nil {
		return err
	}
	defer db.Close()
	v, err := db.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	if len(v.Problems) == 0 {
		fmt.Fprintf(stdout, "audit trail intact: %d rows checked\n", v.Checked)
		return nil
	}
	for _, p := range v.Problems {
		fmt.Fprintln(stdout, p.String())
	}
	return fmt.Errorf("audit trail broken: %d problems in %d rows", len(v.Problems), v.Checked)
}
