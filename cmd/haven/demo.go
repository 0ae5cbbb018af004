package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"haven/internal/config"
	"haven/internal/demo"
)

const demoUsage = "usage: haven demo --scale national|demo [--db URL] [--seed N]"

// demoCmd: haven demo --scale national|demo --db URL [--seed N]
func demoCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return loadDemo(ctx, args, getenv, stdout, stderr, demo.NationalScale())
}

// loadDemo is demoCmd with the national scale as a parameter, so tests can load a small one.
func loadDemo(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer, national demo.Scale) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbURL := config.Defaults().DB
	if v := getenv("HAVEN_DB"); v != "" {
		dbURL = v
	}
	fs.StringVar(&dbURL, "db", dbURL, "database: sqlite:PATH or postgres://URL (HAVEN_DB); it must be empty")
	scale := fs.String("scale", "", "national: the national data set (bulk-loaded); demo: the small demo that serve --demo seeds")
	seed := fs.Uint64("seed", demo.DefaultSeed, "the seed: the same seed gives the same data")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errHelp
		}
		return err
	}
	switch {
	case fs.NArg() > 0:
		return fmt.Errorf("unexpected arguments: %s\n%s", strings.Join(fs.Args(), " "), demoUsage)
	case *scale != "national" && *scale != "demo":
		return fmt.Errorf("--scale %q: choose national or demo\n%s", *scale, demoUsage)
	case *seed == 0:
		return errors.New("--seed: give a seed other than 0")
	}
	cfg := config.Config{DB: dbURL}
	db, err := openStore(ctx, cfg, slog.New(slog.NewTextHandler(stderr, nil)))
	if err != nil {
		return err
	}
	defer db.Close()
	refuse := func(err error) error {
		if errors.Is(err, demo.ErrHasData) {
			return fmt.Errorf("%s already holds data: demo data is only loaded into an empty database", cfg.RedactedDB())
		}
		return err
	}

	start := time.Now()
	if *scale == "demo" {
		sum, err := demo.Seed(ctx, db, demo.Options{Seed: *seed})
		if err != nil {
			return refuse(err)
		}
		fmt.Fprintf(stdout, "demo data: organisation=%s practices=%d accounts=%d\n", sum.Organisation.Slug, len(sum.Practices), len(sum.Accounts))
		sum.Print(stdout)
		fmt.Fprintf(stdout, "loaded in %s (database: %s)\n", time.Since(start).Round(time.Millisecond), db.Dialect())
		return nil
	}

	fmt.Fprintf(stdout, "loading the national data set: seed=%d as-of=%s database=%s\n", *seed, demo.NationalAsOf(), db.Dialect())
	res, err := demo.LoadNational(ctx, db, demo.NationalOptions{Seed: *seed, Scale: national,
		Progress: func(table string, rows int64, took time.Duration) {
			fmt.Fprintf(stdout, "  loaded %-28s %10s rows in %s\n", table, thousands(rows), took.Round(time.Millisecond))
		}})
	if err != nil {
		return refuse(err)
	}
	elapsed := time.Since(start)
	fmt.Fprintln(stdout, "size:")
	var total int64
	for _, table := range append(tableNames(res.Rows), "audit_events") {
		n, err := db.BulkRows(ctx, table)
		if err != nil {
			return err
		}
		total += n
		fmt.Fprintf(stdout, "  %-30s %10s\n", table, thousands(n))
	}
	fmt.Fprintf(stdout, "  %-30s %10s\n", "total", thousands(total))
	fmt.Fprintf(stdout, "content hash: sha256:%s\n", res.Hash)
	fmt.Fprintf(stdout, "loaded in %s (database: %s)\n", elapsed.Round(time.Millisecond), db.Dialect())
	fmt.Fprintf(stdout, "every national account's password is %s; each has its own TOTP secret (demo.NationalPlan(%d) lists them)\n", res.Plan.Password, *seed)
	return nil
}

func tableNames(rows []demo.TableRows) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.Table
	}
	return out
}

// thousands writes n with commas: 1,000,000.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
