// Package config loads Haven's settings from flags and the environment.
// Flags win over the environment; every problem is reported at once.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"haven/internal/filestore"
	"haven/internal/mail"
)

// Config is everything `haven serve` needs to start.
type Config struct {
	Addr      string // HAVEN_ADDR
	DB        string // HAVEN_DB: sqlite:PATH or postgres://...
	BaseURL   string // HAVEN_BASE_URL: the address users reach Haven at
	LogFormat string // HAVEN_LOG_FORMAT: json or text
	Demo      bool   // seed synthetic demo data into an empty database
	Migrate   bool   // apply pending migrations to a database that has data
	// TrustedProxies are the addresses (CIDR) of TLS-terminating proxies whose
	// X-Forwarded-Proto and X-Forwarded-For Haven believes. HAVEN_TRUSTED_PROXIES.
	TrustedProxies []netip.Prefix
	// EvaluationCache is how long the national outcome tables are kept
	// (HAVEN_EVALUATION_CACHE; 0 builds them for every page).
	EvaluationCache time.Duration
	// Files is where uploaded files are kept (HAVEN_FILES): file:DIRECTORY,
	// by default "files" beside a SQLite database, or
	// s3://BUCKET[/PREFIX]?endpoint=HOST&region=REGION for a bucket whose
	// keys come from HAVEN_S3_ACCESS_KEY and HAVEN_S3_SECRET_KEY.
	Files       string
	S3AccessKey string
	S3SecretKey Secret
	// SMTP is the mail relay (HAVEN_SMTP_URL, or a file named by
	// HAVEN_SMTP_URL_FILE): smtp://user:password@host:port?from=address.
	// Environment only, so the password never shows in a process list; its
	// String() redacts the password. Zero means no email is sent.
	SMTP mail.Config
}

// Secret is a setting that never appears in logs or printed configs.
type Secret string

func (Secret) String() string               { return "redacted" }
func (Secret) GoString() string             { return `"redacted"` }
func (Secret) LogValue() slog.Value         { return slog.StringValue("redacted") }
func (Secret) MarshalText() ([]byte, error) { return []byte("redacted"), nil }

// Reveal returns the secret itself, for the one place that uses it.
func (s Secret) Reveal() string { return string(s) }

// Defaults are the settings for a single Practice on one machine.
func Defaults() Config {
	return Config{Addr: "127.0.0.1:8080", DB: "sqlite:./data/haven.db", LogFormat: "json", EvaluationCache: 5 * time.Minute}
}

// RedactedDB returns the database URL without any password, for logs.
func (c Config) RedactedDB() string {
	u, err := url.Parse(c.DB)
	if err != nil || u.User == nil {
		return c.DB
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "redacted")
	}
	return u.String()
}

// Load parses args (without the command name) over the environment read by getenv.
func Load(name string, args []string, getenv func(string) string, stderr io.Writer) (Config, error) {
	c := Defaults()
	env := func(key, def string) string {
		if v := getenv(key); v != "" {
			return v
		}
		return def
	}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.Addr, "addr", env("HAVEN_ADDR", c.Addr), "listen address (HAVEN_ADDR)")
	fs.StringVar(&c.DB, "db", env("HAVEN_DB", c.DB), "database: sqlite:PATH or postgres://URL (HAVEN_DB)")
	fs.StringVar(&c.BaseURL, "base-url", env("HAVEN_BASE_URL", ""), "public base URL, e.g. https://haven.example.org (HAVEN_BASE_URL)")
	fs.StringVar(&c.LogFormat, "log-format", env("HAVEN_LOG_FORMAT", c.LogFormat), "log format: json or text (HAVEN_LOG_FORMAT)")
	fs.BoolVar(&c.Demo, "demo", false, "seed synthetic demo data into an empty database")
	fs.BoolVar(&c.Migrate, "migrate", env("HAVEN_MIGRATE", "") == "true", "apply pending migrations before serving (HAVEN_MIGRATE=true)")
	cache := fs.String("evaluation-cache", env("HAVEN_EVALUATION_CACHE", c.EvaluationCache.String()), "how long to keep the national outcome tables, e.g. 5m; 0 to build them for every page (HAVEN_EVALUATION_CACHE)")
	fs.StringVar(&c.Files, "files", env("HAVEN_FILES", ""), "where uploaded files are kept: file:DIRECTORY (default: files beside a SQLite database) or s3://BUCKET?endpoint=HOST&region=REGION, with keys in HAVEN_S3_ACCESS_KEY and HAVEN_S3_SECRET_KEY (HAVEN_FILES)")
	proxies := fs.String("trusted-proxies", env("HAVEN_TRUSTED_PROXIES", ""), "comma-separated CIDRs of TLS proxies to trust, e.g. 10.0.0.0/8 (HAVEN_TRUSTED_PROXIES)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	if c.BaseURL == "" {
		c.BaseURL = "http://" + c.Addr
	}
	if c.Files == "" {
		c.Files = defaultFiles(c.DB)
	}
	// Keys only from the environment: flags show up in process lists.
	c.S3AccessKey, c.S3SecretKey = getenv("HAVEN_S3_ACCESS_KEY"), Secret(getenv("HAVEN_S3_SECRET_KEY"))
	var perr error
	if d, err := time.ParseDuration(*cache); err != nil || d < 0 || d > time.Hour {
		perr = fmt.Errorf("--evaluation-cache %q: want a duration from 0 to 1h, like 5m", *cache)
	} else {
		c.EvaluationCache = d
	}
	for _, p := range strings.Split(*proxies, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		prefix, err := netip.ParsePrefix(p)
		if err != nil {
			perr = fmt.Errorf("--trusted-proxies %q: want CIDRs like 10.0.0.0/8", p)
			continue
		}
		c.TrustedProxies = append(c.TrustedProxies, prefix)
	}
	smtpURL := getenv("HAVEN_SMTP_URL")
	if f := getenv("HAVEN_SMTP_URL_FILE"); smtpURL == "" && f != "" {
		b, err := os.ReadFile(f) // #nosec G304 -- the operator names the secret file in the environment, as for any *_FILE setting
		if err != nil {
			perr = errors.Join(perr, errors.New("HAVEN_SMTP_URL_FILE: the file cannot be read"))
		}
		smtpURL = strings.TrimSpace(string(b))
	}
	if sc, err := mail.ParseURL(smtpURL); err != nil {
		perr = errors.Join(perr, fmt.Errorf("HAVEN_SMTP_URL: %w", err))
	} else {
		c.SMTP = sc
	}
	return c, errors.Join(perr, c.Validate())
}

// Validate lists every problem with c in one error.
func (c Config) Validate() error {
	var errs []error
	if _, port, err := net.SplitHostPort(c.Addr); err != nil || port == "" {
		errs = append(errs, fmt.Errorf("--addr %q: want host:port, like 127.0.0.1:8080", c.Addr))
	}
	switch {
	case strings.HasPrefix(c.DB, "sqlite:") && len(c.DB) > len("sqlite:"):
	case strings.HasPrefix(c.DB, "postgres://"), strings.HasPrefix(c.DB, "postgresql://"):
		if _, err := url.Parse(c.DB); err != nil {
			errs = append(errs, errors.New("--db: the postgres URL does not parse"))
		}
	default:
		errs = append(errs, fmt.Errorf("--db %q: want sqlite:PATH or a postgres:// URL", c.RedactedDB()))
	}
	if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, fmt.Errorf("--base-url %q: want an http or https URL", c.BaseURL))
	} else if u.Scheme == "http" && !loopback(u.Hostname()) {
		// Sessions and personal data never cross a network unencrypted (S30).
		errs = append(errs, fmt.Errorf("--base-url %q: Haven is served over HTTPS except on this machine (127.0.0.1 or localhost); give the https:// address of the TLS proxy", c.BaseURL))
	}
	if loc, err := filestore.Parse(c.Files); err != nil {
		// The setting is not repeated: a mistaken one may hold a key.
		errs = append(errs, fmt.Errorf("--files: %w", err))
	} else if loc.S3 != nil && (c.S3AccessKey == "" || c.S3SecretKey == "") {
		errs = append(errs, errors.New("--files: an s3:// bucket needs HAVEN_S3_ACCESS_KEY and HAVEN_S3_SECRET_KEY set in the environment"))
	}
	if c.LogFormat != "json" && c.LogFormat != "text" {
		errs = append(errs, fmt.Errorf("--log-format %q: want json or text", c.LogFormat))
	}
	return errors.Join(errs...)
}

// defaultFiles keeps uploads in the data directory: beside a SQLite
// database, or ./data/files with PostgreSQL.
func defaultFiles(db string) string {
	if p, ok := strings.CutPrefix(db, "sqlite:"); ok && p != "" {
		p, _, _ = strings.Cut(p, "?")
		return "file:" + filepath.Join(filepath.Dir(p), "files")
	}
	return "file:" + filepath.Join("data", "files")
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}

// HTTPS reports whether users reach Haven over HTTPS (directly or through a proxy).
func (c Config) HTTPS() bool { return strings.HasPrefix(c.BaseURL, "https://") }
