package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBackupRestoreCommands(t *testing.T) {
	dir := t.TempDir()
	dbURL := "sqlite:" + filepath.Join(dir, "haven.db")
	if _, _, err := runCmd(t, "migrate", "--db", dbURL); err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(dir, "haven-backup.db")
	out, _, err := runCmd(t, "backup", "--to", backup, "--db", dbURL)
	if err != nil || !strings.Contains(out, "integrity check ok") {
		t.Fatalf("backup: %q %v", out, err)
	}
	restored := filepath.Join(dir, "restored.db")
	out, _, err = runCmd(t, "restore", "--from", backup, "--db", "sqlite:"+restored)
	if err != nil || !strings.Contains(out, "Restored it to "+restored) {
		t.Fatalf("restore: %q %v", out, err)
	}
	if out, _, err := runCmd(t, "version", "--db", "sqlite:"+restored+"?max_page_count=100000"); err != nil || !strings.Contains(out, "0 pending") {
		t.Fatalf("the restored database's schema: %q %v", out, err)
	}

	refusals := []struct {
		name string
		args []string
		want string
	}{
		{"no --to", []string{"backup", "--db", dbURL}, "--to FILE"},
		{"no database", []string{"backup", "--to", filepath.Join(dir, "b2.db"), "--db", "sqlite:" + filepath.Join(dir, "typo.db")}, "no database at"},
		{"folder missing", []string{"backup", "--to", filepath.Join(dir, "nope", "b.db"), "--db", dbURL}, "does not exist"},
		{"PostgreSQL backup", []string{"backup", "--to", filepath.Join(dir, "pg.db"), "--db", "postgres://haven@localhost/haven"}, "pg_dump"},
		{"no --from", []string{"restore", "--db", dbURL}, "--from FILE"},
		{"no --db", []string{"restore", "--from", backup}, "--db URL"},
		{"PostgreSQL restore", []string{"restore", "--from", backup, "--db", "postgres://haven@localhost/haven"}, "pg_restore"},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := runCmd(t, tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error saying %q", err, tt.want)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "typo.db")); !os.IsNotExist(err) {
		t.Error("backing up a database that is not there created it")
	}
}
