package config

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"haven/internal/mail"
)

func TestLoad(t *testing.T) {
	smtpFile := filepath.Join(t.TempDir(), "smtp-url")
	if err := os.WriteFile(smtpFile, []byte("smtp://relay.example.org?from=a@haven.example.org\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	tests := []struct {
		name     string
		args     []string
		env      map[string]string
		want     Config
		wantErrs []string
	}{
		{name: "defaults", want: Config{Addr: "127.0.0.1:8080", DB: "sqlite:./data/haven.db", BaseURL: "http://127.0.0.1:8080", LogFormat: "json", EvaluationCache: 5 * time.Minute, Files: "file:data/files"}},
		{name: "environment", env: map[string]string{"HAVEN_ADDR": "127.0.0.1:9000", "HAVEN_DB": "postgres://h@localhost/haven", "HAVEN_LOG_FORMAT": "text", "HAVEN_BASE_URL": "https://haven.example.org", "HAVEN_EVALUATION_CACHE": "0"},
			want: Config{Addr: "127.0.0.1:9000", DB: "postgres://h@localhost/haven", BaseURL: "https://haven.example.org", LogFormat: "text", Files: "file:data/files"}},
		{name: "flags beat environment", args: []string{"--addr", "127.0.0.1:7000", "--demo", "--evaluation-cache", "30s"}, env: map[string]string{"HAVEN_ADDR": "127.0.0.1:9000"},
			want: Config{Addr: "127.0.0.1:7000", DB: "sqlite:./data/haven.db", BaseURL: "http://127.0.0.1:7000", LogFormat: "json", Demo: true, EvaluationCache: 30 * time.Second, Files: "file:data/files"}},
		{name: "files beside a SQLite database elsewhere", env: map[string]string{"HAVEN_DB": "sqlite:/srv/haven/haven.db?_pragma=x"},
			want: Config{Addr: "127.0.0.1:8080", DB: "sqlite:/srv/haven/haven.db?_pragma=x", BaseURL: "http://127.0.0.1:8080", LogFormat: "json", EvaluationCache: 5 * time.Minute, Files: "file:/srv/haven/files"}},
		{name: "files directory from the environment", env: map[string]string{"HAVEN_FILES": "file:/var/lib/haven/files"},
			want: Config{Addr: "127.0.0.1:8080", DB: "sqlite:./data/haven.db", BaseURL: "http://127.0.0.1:8080", LogFormat: "json", EvaluationCache: 5 * time.Minute, Files: "file:/var/lib/haven/files"}},
		{name: "files in a bucket, keys from the environment", args: []string{"--files", "s3://haven-files?region=eu-west-2"},
			env: map[string]string{"HAVEN_S3_ACCESS_KEY": "AKIAFICTIONAL", "HAVEN_S3_SECRET_KEY": "fictional-secret"},
			want: Config{Addr: "127.0.0.1:8080", DB: "sqlite:./data/haven.db", BaseURL: "http://127.0.0.1:8080", LogFormat: "json", EvaluationCache: 5 * time.Minute,
				Files: "s3://haven-files?region=eu-west-2", S3AccessKey: "AKIAFICTIONAL", S3SecretKey: "fictional-secret"}},
		{name: "a bucket without keys", env: map[string]string{"HAVEN_FILES": "s3://haven-files?region=eu-west-2"}, wantErrs: []string{"--files", "HAVEN_S3_SECRET_KEY"}},
		{name: "keys in the bucket's address", args: []string{"--files", "s3://AKIA:fictional-secret@haven-files?region=eu-west-2"}, wantErrs: []string{"--files", "HAVEN_S3_ACCESS_KEY"}},
		{name: "files not a directory or bucket", args: []string{"--files", "/var/lib/haven/files"}, wantErrs: []string{"--files", "file:DIRECTORY"}},
		{name: "S30: plain HTTP only on this machine", args: []string{"--addr", "0.0.0.0:8080"}, wantErrs: []string{"--base-url", "HTTPS"}},
		{name: "S30: plain HTTP base URL elsewhere", args: []string{"--base-url", "http://haven.example.org"}, wantErrs: []string{"--base-url"}},
		{name: "bad cache", args: []string{"--evaluation-cache", "-1m"}, wantErrs: []string{"--evaluation-cache"}},
		{name: "cache too long", env: map[string]string{"HAVEN_EVALUATION_CACHE": "2h"}, wantErrs: []string{"--evaluation-cache"}},
		{name: "bad proxy", args: []string{"--trusted-proxies", "nonsense"}, wantErrs: []string{"--trusted-proxies"}},
		{name: "SMTP relay", env: map[string]string{"HAVEN_SMTP_URL": "smtp://haven:pw@relay.example.org:2525?from=community@haven.example.org"},
			want: Config{Addr: "127.0.0.1:8080", DB: "sqlite:./data/haven.db", BaseURL: "http://127.0.0.1:8080", LogFormat: "json", EvaluationCache: 5 * time.Minute,
				Files: "file:data/files", SMTP: mail.Config{Host: "relay.example.org", Port: 2525, Username: "haven", Password: "pw", From: "community@haven.example.org"}}},
		{name: "SMTP relay from a file", env: map[string]string{"HAVEN_SMTP_URL_FILE": smtpFile},
			want: Config{Addr: "127.0.0.1:8080", DB: "sqlite:./data/haven.db", BaseURL: "http://127.0.0.1:8080", LogFormat: "json", EvaluationCache: 5 * time.Minute,
				Files: "file:data/files", SMTP: mail.Config{Host: "relay.example.org", Port: 587, From: "a@haven.example.org"}}},
		{name: "SMTP relay without from", env: map[string]string{"HAVEN_SMTP_URL": "smtp://haven:s3cret-pw@relay.example.org"}, wantErrs: []string{"HAVEN_SMTP_URL", "from="}},
		{name: "SMTP relay with another scheme", env: map[string]string{"HAVEN_SMTP_URL": "http://relay.example.org?from=a@b.example"}, wantErrs: []string{"HAVEN_SMTP_URL", "smtp://"}},
		{name: "SMTP URL file missing", env: map[string]string{"HAVEN_SMTP_URL_FILE": "/nonexistent/haven-smtp"}, wantErrs: []string{"HAVEN_SMTP_URL_FILE"}},
		{name: "every problem listed at once", args: []string{"--addr", "nope", "--db", "mysql://x", "--log-format", "xml", "--base-url", "ftp://x"},
			wantErrs: []string{"--addr", "--db", "--log-format", "--base-url"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Load("serve", tt.args, env(tt.env), io.Discard)
			if len(tt.wantErrs) > 0 {
				if err == nil {
					t.Fatal("want an error")
				}
				if strings.Contains(err.Error(), "fictional-secret") {
					t.Errorf("error %q repeats the secret key", err)
				}
				if strings.Contains(err.Error(), "s3cret-pw") {
					t.Errorf("error %q shows the password", err)
				}
				for _, w := range tt.wantErrs {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q does not mention %s", err, w)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateComparable(netip.Prefix{})); diff != "" {
				t.Errorf("config differs (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRedactedDBHidesPassword(t *testing.T) {
	c := Config{DB: "postgres://haven:s3cret-pw@db.example.org/haven"}
	if strings.Contains(c.RedactedDB(), "s3cret-pw") {
		t.Errorf("RedactedDB() = %q leaks the password", c.RedactedDB())
	}
}

func TestTrustedProxies(t *testing.T) {
	c, err := Load("serve", []string{"--base-url", "https://haven.example.org", "--trusted-proxies", "10.0.0.0/8, 192.168.1.1/32"}, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.TrustedProxies) != 2 || !c.HTTPS() {
		t.Errorf("got %+v", c)
	}
}

// The S3 secret key never appears when the config is printed or logged.
func TestSecretNeverShown(t *testing.T) {
	env := map[string]string{"HAVEN_FILES": "s3://haven-files?region=eu-west-2", "HAVEN_S3_ACCESS_KEY": "AKIAFICTIONAL", "HAVEN_S3_SECRET_KEY": "fictional-secret"}
	c, err := Load("serve", nil, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if c.S3SecretKey.Reveal() != "fictional-secret" {
		t.Fatalf("secret %q", c.S3SecretKey.Reveal())
	}
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("config", "config", c, "secret", c.S3SecretKey)
	slog.New(slog.NewTextHandler(&logged, nil)).Info("config", "config", c, "secret", c.S3SecretKey)
	for _, out := range []string{fmt.Sprint(c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c), fmt.Sprintf("%s %v %q", c.S3SecretKey, c.S3SecretKey, c.S3SecretKey), logged.String()} {
		if strings.Contains(out, "fictional-secret") {
			t.Errorf("printed: %s", out)
		}
	}
}
