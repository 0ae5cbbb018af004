package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"haven/internal/store"
)

const backupUsage = `Usage:
  haven backup --to FILE [--db URL]      copy the database while Haven runs
  haven restore --from FILE --db URL     put a backup in place of the database (stop Haven first)

Backups are for the embedded database (sqlite:PATH). FILE's folder must exist and FILE must
not. PostgreSQL is backed up with pg_dump, or pg_basebackup and WAL archiving: see the README.
`

// backupCmd is `haven backup --to FILE`: an online copy, checked before it is given its name.
func backupCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	f := newSubFlags("backup", getenv, stderr)
	f.fs.Usage = func() { fmt.Fprint(stderr, backupUsage) }
	to := f.fs.String("to", "", "the file to write the backup to")
	if err := f.parse(args); err != nil {
		return err
	}
	if *to == "" {
		return errors.New("backup: give the file to write with --to FILE")
	}
	if !strings.HasPrefix(*f.db, "sqlite:") {
		return store.ErrPostgresBackup
	}
	path, err := store.SQLitePath(*f.db)
	if err != nil {
		return err
	}
	if _, err := os.Stat(path); err != nil { // opening would make an empty database
		return fmt.Errorf("backup: there is no database at %s", path)
	}
	db, err := store.Open(ctx, *f.db)
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	defer db.Close()
	start := time.Now()
	if err := db.Backup(ctx, *to); err != nil {
		return err
	}
	size := int64(0)
	if st, err := os.Stat(*to); err == nil {
		size = st.Size()
	}
	fmt.Fprintf(stdout, "Backed up %s to %s: %s, integrity check ok, in %s.\n", path, *to, sizeText(size), time.Since(start).Round(time.Millisecond))
	return nil
}

// restoreCmd is `haven restore --from FILE --db URL`.
func restoreCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	f := newSubFlags("restore", getenv, stderr)
	f.fs.Usage = func() { fmt.Fprint(stderr, backupUsage) }
	from := f.fs.String("from", "", "the backup to restore")
	if err := f.parse(args); err != nil {
		return err
	}
	dbGiven := getenv("HAVEN_DB") != ""
	f.fs.Visit(func(fl *flag.Flag) { dbGiven = dbGiven || fl.Name == "db" })
	switch {
	case *from == "":
		return errors.New("restore: give the backup with --from FILE")
	case !dbGiven: // replacing a database is never done by default
		return errors.New("restore: name the database to replace with --db URL")
	}
	res, err := store.Restore(ctx, *from, *f.db)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Checked %s: integrity check ok, a Haven database at schema %s.\n", res.From, res.Schema)
	if res.Replaced {
		fmt.Fprintf(stdout, "Replaced the database at %s with it.\n", res.To)
	} else {
		fmt.Fprintf(stdout, "Restored it to %s.\n", res.To)
	}
	for _, r := range res.Removed {
		fmt.Fprintf(stdout, "Removed %s, which belonged to the database it replaced.\n", r)
	}
	if len(res.Pending) > 0 {
		fmt.Fprintf(stdout, "It needs migrations %s: run haven migrate, or serve with --migrate.\n", strings.Join(res.Pending, ", "))
	}
	fmt.Fprintln(stdout, "Start Haven to use it.")
	return nil
}

func sizeText(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d KiB", (n+1023)/1024)
}
