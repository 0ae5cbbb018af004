package main

import (
	"bytes"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"haven/internal/demo"
	"haven/internal/store/storetest"
)

func TestDemoNationalLoadsAnEmptyDatabaseOnce(t *testing.T) {
	sc := demo.SmallScale()
	want, err := demo.NationalHash(7, sc)
	if err != nil {
		t.Fatal(err)
	}
	storetest.ForEachEmpty(t, func(t *testing.T, url string) {
		var out, errOut bytes.Buffer
		args := []string{"--scale", "national", "--db", url, "--seed", "7"}
		if err := loadDemo(t.Context(), args, noEnv, &out, &errOut, sc); err != nil {
			t.Fatalf("demo: %v\n%s", err, errOut.String())
		}
		for _, line := range []string{
			"content hash: sha256:" + want,
			"  people                                150",
			"  support_sessions                    7,500",
			"  audit_events                            1",
		} {
			if !strings.Contains(out.String(), line+"\n") {
				t.Errorf("output lacks %q:\n%s", line, out.String())
			}
		}
		if !regexp.MustCompile(`loaded in [0-9.]+m?s \(database: (sqlite|postgres)\)`).MatchString(out.String()) {
			t.Errorf("output does not say how long the load took:\n%s", out.String())
		}
		err := loadDemo(t.Context(), args, noEnv, &out, &errOut, sc)
		if err == nil || !strings.Contains(err.Error(), "already holds data") {
			t.Errorf("second load: %v, want a refusal", err)
		}
	})
}

func TestDemoFlags(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "haven.db")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no scale", []string{"demo", "--db", db}, "choose national or demo"},
		{"unknown scale", []string{"demo", "--scale", "galaxy", "--db", db}, "choose national or demo"},
		{"zero seed", []string{"demo", "--scale", "national", "--seed", "0", "--db", db}, "--seed"},
		{"extra argument", []string{"demo", "--scale", "national", "--db", db, "now"}, "unexpected arguments"},
	}
	for _, tt := range tests {
		var out, errOut bytes.Buffer
		err := run(t.Context(), tt.args, noEnv, strings.NewReader(""), &out, &errOut)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want an error mentioning %q", tt.name, err, tt.want)
		}
	}
}

func TestDemoSmallScalePrintsAccounts(t *testing.T) {
	var out, errOut bytes.Buffer
	db := "sqlite:" + filepath.Join(t.TempDir(), "haven.db")
	if err := run(t.Context(), []string{"demo", "--scale", "demo", "--db", db}, noEnv, strings.NewReader(""), &out, &errOut); err != nil {
		t.Fatalf("demo: %v\n%s", err, errOut.String())
	}
	if n := strings.Count(out.String(), "demo account: role="); n < 10 {
		t.Errorf("printed %d demo accounts:\n%s", n, out.String())
	}
}
