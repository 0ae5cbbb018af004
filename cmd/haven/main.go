// Command haven is the one Haven binary: serve, migrate and version.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"haven/internal/config"
	"haven/internal/demo"
	"haven/internal/filestore"
	"haven/internal/mail"
	"haven/internal/store"
	"haven/internal/web"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// After the first signal, restore the default so a second one stops at once.
	go func() { <-ctx.Done(); stop() }()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, errHelp) {
			return
		}
		if !errors.Is(err, errUsage) {
			fmt.Fprintln(os.Stderr, "haven:", err)
		}
		os.Exit(1)
	}
}

var (
	errUsage = errors.New("usage")
	errHelp  = errors.New("help requested") // --help: usage was printed, not an error
)

const usage = `Haven: case management for services supporting parents after children are removed.

Usage:
  haven serve [--addr ADDR] [--db URL] [--demo] [--migrate] [--base-url URL] [--log-format json|text]
  haven migrate [--db URL]
  haven version [--db URL]
  haven user create --email E --role ROLE [--tenant SLUG] [--name NAME]
  haven token create --email E --name NAME --expires 90d
  haven audit verify [--db URL]
  haven demo --scale national|demo [--db URL] [--seed N]
  haven backup --to FILE [--db URL]
  haven restore --from FILE --db URL

The database is sqlite:PATH (the default, sqlite:./data/haven.db) or a postgres:// URL.
Run "haven COMMAND --help" for each command's flags and environment variables.
`

// run is main without the process: tests call it with their own arguments,
// environment and output.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errUsage
	}
	switch args[0] {
	case "serve":
		return serve(ctx, args[1:], getenv, stdout, stderr)
	case "migrate":
		return migrate(ctx, args[1:], getenv, stdout, stderr)
	case "version":
		return showVersion(ctx, args[1:], getenv, stdout, stderr)
	case "user":
		return userCmd(ctx, args[1:], getenv, stdout, stderr)
	case "token":
		return tokenCmd(ctx, args[1:], getenv, stdout, stderr)
	case "audit":
		return auditCmd(ctx, args[1:], getenv, stdout, stderr)
	case "demo":
		return demoCmd(ctx, args[1:], getenv, stdout, stderr)
	case "backup":
		return backupCmd(ctx, args[1:], getenv, stdout, stderr)
	case "restore":
		return restoreCmd(ctx, args[1:], getenv, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprintf(stderr, "haven: unknown command %q\n\n%s", args[0], usage)
	return errUsage
}

func newLogger(format string, w io.Writer) *slog.Logger {
	if format == "text" {
		return slog.New(slog.NewTextHandler(w, nil))
	}
	return slog.New(slog.NewJSONHandler(w, nil))
}

// loadConfig parses flags for a command; a --help request is not an error.
func loadConfig(name string, args []string, getenv func(string) string, stderr io.Writer) (config.Config, error) {
	cfg, err := config.Load(name, args, getenv, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return cfg, errHelp
	}
	if err != nil {
		return cfg, fmt.Errorf("configuration:\n  %s", strings.ReplaceAll(err.Error(), "\n", "\n  "))
	}
	return cfg, nil
}

// openStore opens the database, ready to serve: an empty database is
// migrated; one with pending migrations needs --migrate; a newer one is refused.
func openStore(ctx context.Context, cfg config.Config, log *slog.Logger) (*store.DB, error) {
	db, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", cfg.RedactedDB(), err)
	}
	all, err := db.Migrations()
	if err != nil {
		db.Close()
		return nil, err
	}
	st, err := db.Status(ctx)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("read schema version: %w", err)
	}
	switch {
	case len(st.Unknown) > 0:
		db.Close()
		return nil, fmt.Errorf("the database schema is newer than this Haven (unknown migrations %s): upgrade Haven", strings.Join(st.Unknown, ", "))
	case len(st.Pending) == 0:
		return db, nil
	case st.Empty(len(all)) || cfg.Migrate:
		done, err := db.Migrate(ctx)
		if err != nil {
			db.Close()
			return nil, fmt.Errorf("migrate: %w", err)
		}
		log.Info("migrated database", "applied", strings.Join(done, ","))
		return db, nil
	}
	db.Close()
	return nil, fmt.Errorf("the database has %d pending migrations (%s): back it up, then run haven migrate or serve with --migrate",
		len(st.Pending), strings.Join(st.Pending, ", "))
}

func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := loadConfig("serve", args, getenv, stderr)
	if err != nil {
		return err
	}
	log := newLogger(cfg.LogFormat, stderr)
	tuneMemory(getenv)
	db, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetLogger(log) // event=storage_full, storage_recovered and slow_checkpoint

	if cfg.Demo {
		sum, err := demo.Seed(ctx, db, demo.Options{})
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "demo data: organisation=%s practices=%d accounts=%d\n", sum.Organisation.Slug, len(sum.Practices), len(sum.Accounts))
		sum.Print(stdout)
	}

	if err := startProfiler(getenv("HAVEN_PPROF_ADDR"), log); err != nil {
		return err
	}
	files, err := filestore.Open(ctx, cfg.Files, cfg.S3AccessKey, cfg.S3SecretKey.Reveal())
	if err != nil {
		return err
	}
	var mailer web.Mailer // nil: the mailing list is closed
	if cfg.SMTP.Enabled() {
		mailer = mail.New(cfg.SMTP)
		log.Info("mail relay", "host", cfg.SMTP.Host, "port", cfg.SMTP.Port) // never the password
	}
	srv, err := web.NewServer(web.Options{Store: db, Logger: log, BaseURL: cfg.BaseURL, HTTPS: cfg.HTTPS(), TrustedProxies: cfg.TrustedProxies,
		EvaluationCache: cfg.EvaluationCache, Files: files, Mailer: mailer})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	hs := srv.HTTPServer(cfg.Addr)
	fmt.Fprintf(stdout, "Haven is running at http://%s (database: %s)\n", ln.Addr(), db.Dialect())
	log.Info("listening", "addr", ln.Addr().String(), "database", db.Dialect())

	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// Stop accepting, let requests in flight finish, then close the database.
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 9*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		hs.Close() // force the stragglers off before the deferred db.Close
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	srv.WaitForMail() // a mailing-list send under way finishes before the database closes
	log.Info("stopped")
	return nil
}

func migrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := loadConfig("migrate", args, getenv, stderr)
	if err != nil {
		return err
	}
	db, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return fmt.Errorf("open database %s: %w", cfg.RedactedDB(), err)
	}
	defer db.Close()
	done, err := db.Migrate(ctx)
	if err != nil {
		return err
	}
	if len(done) == 0 {
		fmt.Fprintln(stdout, "The database is up to date.")
		return nil
	}
	fmt.Fprintf(stdout, "Applied migrations: %s\n", strings.Join(done, ", "))
	return nil
}

func showVersion(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := loadConfig("version", args, getenv, stderr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "haven %s\n", version)
	if p, ok := strings.CutPrefix(cfg.DB, "sqlite:"); ok {
		p, _, _ = strings.Cut(p, "?") // ?max_page_count=N
		if _, err := os.Stat(p); err != nil {
			return nil // no database yet: nothing to compare, and nothing to create
		}
	}
	db, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return nil // the binary's version stands on its own
	}
	defer db.Close()
	all, _ := db.Migrations()
	st, err := db.Status(ctx)
	if err == nil && len(all) > 0 {
		fmt.Fprintf(stdout, "schema: binary %s, database %d applied, %d pending", all[len(all)-1].Version, len(all)-len(st.Pending), len(st.Pending))
		if len(st.Unknown) > 0 {
			fmt.Fprintf(stdout, ", %d unknown (from a newer Haven)", len(st.Unknown))
		}
		fmt.Fprintln(stdout)
	}
	return nil
}
