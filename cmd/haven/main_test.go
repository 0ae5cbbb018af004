package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	_ "github.com/jackc/pgx/v5/stdlib" // "pgx", to reshape test databases
	_ "modernc.org/sqlite"             // "sqlite", likewise

	"haven/internal/demo"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// syncBuffer is an io.Writer that a test can read while run is still
// writing to it from another goroutine.
type syncBuffer struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	changed chan struct{} // closed and replaced on every write
}

func newSyncBuffer() *syncBuffer { return &syncBuffer{changed: make(chan struct{})} }

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	close(b.changed)
	b.changed = make(chan struct{})
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// waitFor returns re's submatches once the output matches, or nil if gone is
// closed or the timeout passes first.
func (b *syncBuffer) waitFor(re *regexp.Regexp, gone <-chan struct{}, timeout time.Duration) []string {
	deadline := time.After(timeout)
	for {
		b.mu.Lock()
		m := re.FindStringSubmatch(b.buf.String())
		changed := b.changed
		b.mu.Unlock()
		if m != nil {
			return m
		}
		select {
		case <-changed:
		case <-gone:
			// One last look: the line may have been written just before run returned.
			return re.FindStringSubmatch(b.String())
		case <-deadline:
			return nil
		}
	}
}

var runningRE = regexp.MustCompile(`Haven is running at (http://\S+) \(database: (\w+)\)`)

// reference is the reference an error page gives, to leave out when a page is
// searched for words that would leak how Haven works.
var reference = regexp.MustCompile(`Reference: <strong>[A-Z0-9]+</strong>`)

// noEnv keeps the developer's HAVEN_* variables out of the tests.
func noEnv(string) string { return "" }

// runCmd runs one short command in-process.
func runCmd(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	var out, errOut bytes.Buffer
	err = run(ctx, args, noEnv, strings.NewReader(""), &out, &errOut)
	return out.String(), errOut.String(), err
}

// server is `haven serve` running in-process.
type server struct {
	url            string
	dialect        string
	stdout, stderr *syncBuffer
	cancel         context.CancelFunc
	exited         chan struct{}
	err            error // run's result, once exited is closed
	stopOnce       sync.Once
}

// startWithin is how long serve may take to start: seeding the demo under
// the race detector, on a busy two-core machine, takes over a minute.
const startWithin = 3 * time.Minute

// startServe runs `haven serve args...` and waits until it is listening.
func startServe(t *testing.T, args ...string) *server {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &server{stdout: newSyncBuffer(), stderr: newSyncBuffer(), cancel: cancel, exited: make(chan struct{})}
	go func() {
		defer close(s.exited)
		s.err = run(ctx, append([]string{"serve"}, args...), noEnv, strings.NewReader(""), s.stdout, s.stderr)
	}()
	t.Cleanup(func() { s.stop(t) })
	m := s.stdout.waitFor(runningRE, s.exited, startWithin)
	if m == nil {
		s.stop(t)
		t.Fatalf("serve %q did not start: err=%v\nstdout:\n%s\nstderr:\n%s", args, s.err, s.stdout, s.stderr)
	}
	s.url, s.dialect = m[1], m[2]
	return s
}

// stop cancels run's context, as a signal would, and returns run's error.
// It fails the test if run takes more than 10 s to return.
func (s *server) stop(t *testing.T) error {
	t.Helper()
	s.stopOnce.Do(func() {
		s.cancel()
		select {
		case <-s.exited:
		case <-time.After(10 * time.Second):
			t.Errorf("serve did not return within 10 s of cancellation\nstderr:\n%s", s.stderr)
			s.err = errors.New("serve did not return")
		}
	})
	return s.err
}

// get fetches path and returns the status and body.
func get(t *testing.T, base, path string) (int, string) {
	t.Helper()
	return do(t, http.MethodGet, base+path, "", nil, nil)
}

func do(t *testing.T, method, u, contentType string, body io.Reader, header http.Header) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	res, err := testClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, u, err)
	}
	return res.StatusCode, string(b)
}

var testClient = &http.Client{Timeout: 15 * time.Second}

var practiceLinkRE = regexp.MustCompile(`<a class="govuk-link" href="/practices/([a-z0-9-]+)">([^<]+)</a>`)

// practiceNames lists the Practices linked from a page, as "slug: name".
func practiceNames(body string) []string {
	var out []string
	for _, m := range practiceLinkRE.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1]+": "+html.UnescapeString(m[2]))
	}
	return out
}

// TestServe runs the default SQLite setup and PostgreSQL through the same
// steps from an empty database, and checks that PostgreSQL behaves exactly
// like SQLite: the same pages, statuses and demo Practices.
func TestServe(t *testing.T) {
	type outcome struct {
		Status    map[string]int
		Practices []string
		Leeds     []string // Practices found for "leeds"
	}
	got := map[string]outcome{}
	storetest.ForEachEmpty(t, func(t *testing.T, dbURL string) {
		s := startServe(t, "--addr", "127.0.0.1:0", "--db", dbURL, "--demo")
		backend := filepath.Base(t.Name())
		if s.dialect != backend {
			t.Errorf("running line names database %q, want %q", s.dialect, backend)
		}
		if want := "demo data: organisation=demo-family-futures practices=3"; !strings.Contains(s.stdout.String(), want) {
			t.Errorf("stdout = %q, want it to contain %q", s.stdout, want)
		}

		o := outcome{Status: map[string]int{}}
		for _, path := range []string{"/", "/practices", "/healthz", "/readyz", "/find-a-practice", "/accessibility", "/privacy", "/cookies", "/static/favicon.svg"} {
			status, body := get(t, s.url, path)
			o.Status["GET "+path] = status
			if status != http.StatusOK {
				t.Errorf("GET %s = %d, want 200", path, status)
			}
			if path == "/practices" {
				o.Practices = practiceNames(body)
			}
		}
		if len(o.Practices) != 3 {
			t.Errorf("/practices lists %q, want the 3 demo Practices", o.Practices)
		}
		for _, p := range o.Practices {
			slug, _, _ := strings.Cut(p, ":")
			status, _ := get(t, s.url, "/practices/"+slug)
			o.Status["GET /practices/"+slug] = status
			if status != http.StatusOK {
				t.Errorf("GET /practices/%s = %d, want 200", slug, status)
			}
		}
		status, body := do(t, http.MethodPost, s.url+"/find-a-practice", "application/x-www-form-urlencoded", strings.NewReader("area=leeds"), nil)
		o.Status["POST /find-a-practice"] = status
		o.Leeds = practiceNames(body)
		if status != http.StatusOK || len(o.Leeds) == 0 {
			t.Errorf("POST /find-a-practice area=leeds = %d with Practices %q, want 200 and the Leeds demo Practice", status, o.Leeds)
		}

		if err := s.stop(t); err != nil {
			t.Errorf("serve returned %v after cancellation, want nil\nstderr:\n%s", err, s.stderr)
		}
		got[backend] = o
	})
	sqlite, ok1 := got["sqlite"]
	postgres, ok2 := got["postgres"]
	if ok1 && ok2 {
		if diff := cmp.Diff(sqlite, postgres); diff != "" {
			t.Errorf("PostgreSQL differs from SQLite (-sqlite +postgres):\n%s", diff)
		}
	}
}

// Every configuration problem is reported at once, before anything is opened.
func TestConfigErrors(t *testing.T) {
	dir := t.TempDir()
	untouched := filepath.Join(dir, "untouched.db")
	tests := []struct {
		name string
		args []string
		want []string // each must appear in the error
	}{
		{"three problems", []string{"serve", "--addr", "nope", "--log-format", "xml", "--db", "mysql://x"},
			[]string{`--addr "nope"`, `--log-format "xml"`, `--db "mysql://x"`}},
		{"base URL", []string{"serve", "--base-url", "ftp://haven.example.org", "--db", "sqlite:" + untouched},
			[]string{"--base-url"}},
		{"bad addr leaves the database alone", []string{"serve", "--addr", "8080", "--db", "sqlite:" + untouched},
			[]string{"--addr"}},
		{"empty sqlite path", []string{"migrate", "--db", "sqlite:"}, []string{"--db"}},
		{"stray argument", []string{"serve", "--db", "sqlite:" + untouched, "extra"}, []string{"unexpected arguments: extra"}},
		{"unknown flag", []string{"serve", "--colour", "blue"}, []string{"colour"}},
		{"a bucket without keys leaves the database alone", []string{"serve", "--files", "s3://haven-files?region=eu-west-2", "--db", "sqlite:" + untouched},
			[]string{"--files", "HAVEN_S3_SECRET_KEY"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, _, err := runCmd(t, tt.args...)
			if err == nil {
				t.Fatalf("run %q succeeded, want a configuration error", tt.args)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "configuration:") {
				t.Errorf("error = %q, want it to start with %q", msg, "configuration:")
			}
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error = %q, want it to mention %q", msg, w)
				}
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
		})
	}
	if _, err := os.Stat(untouched); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a bad configuration created or touched %s (stat: %v)", untouched, err)
	}
}

// serve opens the files store before it listens, and refuses a files
// directory that other users can reach.
func TestServeChecksTheFilesDirectory(t *testing.T) {
	dir := t.TempDir()
	files := filepath.Join(dir, "files")
	if err := os.Mkdir(files, 0o755); err != nil {
		t.Fatal(err)
	}
	stdout, _, err := runCmd(t, "serve", "--addr", "127.0.0.1:0", "--db", "sqlite:"+filepath.Join(dir, "haven.db"), "--files", "file:"+files)
	if err == nil || !strings.Contains(err.Error(), "chmod 700") || strings.Contains(stdout, "Haven is running") {
		t.Errorf("serve = %v, %q; want a refusal naming chmod 700", err, stdout)
	}
}

// The environment configures Haven too, and its errors are reported the same way.
func TestConfigFromEnvironment(t *testing.T) {
	env := map[string]string{"HAVEN_ADDR": "nope", "HAVEN_LOG_FORMAT": "xml", "HAVEN_DB": "mysql://x"}
	var stdout, stderr bytes.Buffer
	err := run(t.Context(), []string{"serve"}, func(k string) string { return env[k] }, strings.NewReader(""), &stdout, &stderr)
	if err == nil {
		t.Fatal("serve with a bad environment succeeded")
	}
	for _, w := range []string{"--addr", "--log-format", "--db"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error = %q, want it to mention %s", err, w)
		}
	}
}

func TestCommandLine(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "haven.db")
	tests := []struct {
		name       string
		args       []string
		wantErr    error // nil for success
		wantStdout string
		wantStderr string
	}{
		{"no command", nil, errUsage, "", "Usage:"},
		{"help", []string{"help"}, nil, "Usage:", ""},
		{"unknown command", []string{"frobnicate"}, errUsage, "", `unknown command "frobnicate"`},
		{"version", []string{"version", "--db", db}, nil, "haven dev\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, err := runCmd(t, tt.args...)
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("run %q = %v, want %v", tt.args, err, tt.wantErr)
			}
			if !strings.Contains(stdout, tt.wantStdout) {
				t.Errorf("stdout = %q, want it to contain %q", stdout, tt.wantStdout)
			}
			if !strings.Contains(stderr, tt.wantStderr) {
				t.Errorf("stderr = %q, want it to contain %q", stderr, tt.wantStderr)
			}
		})
	}
	// version must stand alone: its first line is the binary's version.
	stdout, _, _ := runCmd(t, "version", "--db", db)
	if first, _, _ := strings.Cut(stdout, "\n"); first != "haven dev" {
		t.Errorf("version's first line = %q, want %q", first, "haven dev")
	}
}

// migrationVersions lists this binary's migrations for dbURL's kind of database.
func migrationVersions(t *testing.T, dbURL string) []string {
	t.Helper()
	db, err := store.Open(t.Context(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	all, err := db.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	var vs []string
	for _, m := range all {
		vs = append(vs, m.Version)
	}
	return vs
}

// execSQL runs stmts with database/sql, bypassing the store, to put a test
// database into states the store would never leave it in.
func execSQL(t *testing.T, dbURL string, stmts ...string) {
	t.Helper()
	var db *sql.DB
	var err error
	if path, ok := strings.CutPrefix(dbURL, "sqlite:"); ok {
		db, err = sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+"?_pragma=busy_timeout(10000)")
	} else {
		db, err = sql.Open("pgx", dbURL)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range stmts {
		if _, err := db.ExecContext(t.Context(), s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

func TestMigrate(t *testing.T) {
	storetest.ForEachEmpty(t, func(t *testing.T, dbURL string) {
		versions := migrationVersions(t, dbURL)
		last := versions[len(versions)-1]

		stdout, stderr, err := runCmd(t, "migrate", "--db", dbURL)
		if err != nil {
			t.Fatalf("migrate: %v\n%s", err, stderr)
		}
		if want := "Applied migrations: " + strings.Join(versions, ", ") + "\n"; stdout != want {
			t.Errorf("first migrate printed %q, want %q", stdout, want)
		}

		stdout, _, err = runCmd(t, "migrate", "--db", dbURL)
		if err != nil || stdout != "The database is up to date.\n" {
			t.Errorf("second migrate = %q, %v; want %q", stdout, err, "The database is up to date.\n")
		}

		stdout, _, err = runCmd(t, "version", "--db", dbURL)
		want := fmt.Sprintf("haven dev\nschema: binary %s, database %d applied, 0 pending\n", last, len(versions))
		if err != nil || stdout != want {
			t.Errorf("version = %q, %v; want %q", stdout, err, want)
		}
	})
}

// applyAllButLast builds the database an older Haven would have left: every
// migration but the newest. Deleting the newest's row from a migrated
// database would not do, as its INSERTs cannot be applied twice.
func applyAllButLast(t *testing.T, dbURL string, versions []string) {
	t.Helper()
	dialect := "postgres"
	if strings.HasPrefix(dbURL, "sqlite:") {
		dialect = "sqlite"
	}
	files, err := filepath.Glob(filepath.Join("..", "..", "internal", "store", "migrations", dialect, "*.sql"))
	if err != nil || len(files) != len(versions) {
		t.Fatalf("found migration files %q (%v), want %d", files, err, len(versions))
	}
	slices.Sort(files)
	stmts := []string{"CREATE TABLE schema_migrations (version TEXT PRIMARY KEY, applied_at TIMESTAMP NOT NULL)"}
	for i, f := range files[:len(files)-1] {
		body, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		stmts = append(stmts, string(body),
			fmt.Sprintf("INSERT INTO schema_migrations (version, applied_at) VALUES ('%s', CURRENT_TIMESTAMP)", versions[i]))
	}
	execSQL(t, dbURL, stmts...)
}

// A database an older Haven left is only migrated when asked.
func TestServeWithPendingMigrations(t *testing.T) {
	storetest.ForEachEmpty(t, func(t *testing.T, dbURL string) {
		versions := migrationVersions(t, dbURL)
		if len(versions) < 2 {
			t.Fatalf("this test needs at least two migrations, found %d", len(versions))
		}
		last := versions[len(versions)-1]
		applyAllButLast(t, dbURL, versions)

		stdout, _, err := runCmd(t, "version", "--db", dbURL)
		if !strings.Contains(stdout, "1 pending") || err != nil {
			t.Errorf("version = %q, %v; want 1 pending", stdout, err)
		}

		stdout, _, err = runCmd(t, "serve", "--addr", "127.0.0.1:0", "--db", dbURL)
		if err == nil || !strings.Contains(err.Error(), "pending migrations") || !strings.Contains(err.Error(), last) {
			t.Errorf("serve without --migrate = %v, want an error about pending migration %s", err, last)
		}
		if strings.Contains(stdout, "Haven is running") {
			t.Errorf("serve without --migrate started: %q", stdout)
		}

		s := startServe(t, "--addr", "127.0.0.1:0", "--db", dbURL, "--migrate")
		if status, body := get(t, s.url, "/find-a-practice"); status != http.StatusOK {
			t.Errorf("GET /find-a-practice after --migrate = %d\n%s", status, body)
		}
		if err := s.stop(t); err != nil {
			t.Errorf("serve --migrate returned %v", err)
		}
		if stdout, _, err := runCmd(t, "migrate", "--db", dbURL); err != nil || !strings.Contains(stdout, "up to date") {
			t.Errorf("migrate after serve --migrate = %q, %v; want up to date", stdout, err)
		}
	})
}

// A database a newer Haven has migrated is never served or migrated by this one.
func TestServeRefusesNewerSchema(t *testing.T) {
	storetest.ForEachEmpty(t, func(t *testing.T, dbURL string) {
		if _, stderr, err := runCmd(t, "migrate", "--db", dbURL); err != nil {
			t.Fatalf("migrate: %v\n%s", err, stderr)
		}
		execSQL(t, dbURL, "INSERT INTO schema_migrations (version, applied_at) VALUES ('9999', CURRENT_TIMESTAMP)")

		for _, args := range [][]string{
			{"serve", "--addr", "127.0.0.1:0", "--db", dbURL},
			{"serve", "--addr", "127.0.0.1:0", "--db", dbURL, "--migrate"},
		} {
			stdout, _, err := runCmd(t, args...)
			if err == nil || !strings.Contains(err.Error(), "schema is newer") || !strings.Contains(err.Error(), "9999") {
				t.Errorf("%q = %v, want an error saying the schema is newer (9999)", args, err)
			}
			if strings.Contains(stdout, "Haven is running") {
				t.Errorf("%q started: %q", args, stdout)
			}
		}
		if _, _, err := runCmd(t, "migrate", "--db", dbURL); err == nil || !strings.Contains(err.Error(), "9999") {
			t.Errorf("migrate = %v, want it to refuse unknown migration 9999", err)
		}
		if stdout, _, err := runCmd(t, "version", "--db", dbURL); err != nil || !strings.HasPrefix(stdout, "haven dev\n") {
			t.Errorf("version = %q, %v; want it still to print the version", stdout, err)
		}
	})
}

// Demo data never joins a database that holds data, and survives a restart.
func TestDemoRefusesDatabaseWithData(t *testing.T) {
	storetest.ForEachEmpty(t, func(t *testing.T, dbURL string) {
		s := startServe(t, "--addr", "127.0.0.1:0", "--db", dbURL, "--demo")
		_, body := get(t, s.url, "/practices")
		first := practiceNames(body)
		if err := s.stop(t); err != nil {
			t.Fatalf("first serve --demo: %v", err)
		}

		stdout, _, err := runCmd(t, "serve", "--addr", "127.0.0.1:0", "--db", dbURL, "--demo")
		if !errors.Is(err, demo.ErrHasData) {
			t.Errorf("second serve --demo = %v, want %v", err, demo.ErrHasData)
		}
		if strings.Contains(stdout, "Haven is running") || strings.Contains(stdout, "demo data:") {
			t.Errorf("second serve --demo went ahead: %q", stdout)
		}

		s = startServe(t, "--addr", "127.0.0.1:0", "--db", dbURL)
		_, body = get(t, s.url, "/practices")
		if diff := cmp.Diff(first, practiceNames(body)); diff != "" || len(first) == 0 {
			t.Errorf("Practices after restart differ (-before +after):\n%s", diff)
		}
		if err := s.stop(t); err != nil {
			t.Errorf("serve after demo: %v", err)
		}
	})
}

// Bad requests get a clear 4xx on Haven's own error page, never a 500 or a
// glimpse of the internals.
func TestBadRequests(t *testing.T) {
	s := startServe(t, "--addr", "127.0.0.1:0", "--db", "sqlite:"+filepath.Join(t.TempDir(), "haven.db"), "--demo")
	const form = "application/x-www-form-urlencoded"
	big := "area=" + strings.Repeat("a", 1<<20)
	tests := []struct {
		name        string
		method      string
		path        string
		contentType string
		body        func() io.Reader
		header      http.Header
		want        int
	}{
		{"unknown path", "GET", "/no-such-page", "", nil, nil, 404},
		{"unknown practice", "GET", "/practices/no-such-practice", "", nil, nil, 404},
		{"invalid slug", "GET", "/practices/NOT_A_SLUG", "", nil, nil, 404},
		{"wrong method", "DELETE", "/practices", "", nil, nil, 405},
		{"POST to a page", "POST", "/practices", form, func() io.Reader { return strings.NewReader("a=b") }, nil, 405},
		{"body over 1 MiB", "POST", "/find-a-practice", form, func() io.Reader { return strings.NewReader(big) }, nil, 413},
		// Hiding the length makes the client stream it, so the limit is met while reading.
		{"streamed body over 1 MiB", "POST", "/find-a-practice", form, func() io.Reader { return io.MultiReader(strings.NewReader(big)) }, nil, 413},
		{"malformed form", "POST", "/find-a-practice", form, func() io.Reader { return strings.NewReader("area=%zz") }, nil, 400},
		{"invalid UTF-8", "POST", "/find-a-practice", form, func() io.Reader { return strings.NewReader("area=%ff") }, nil, 422}, // S22: a field holding what no field may hold is named, as any bad answer
		{"invalid UTF-8 in a name", "POST", "/find-a-practice", form, func() io.Reader { return strings.NewReader("%ff=leeds") }, nil, 400},
		{"empty search", "POST", "/find-a-practice", form, func() io.Reader { return strings.NewReader("area=") }, nil, 422},
		{"cross-site form", "POST", "/find-a-practice", form, func() io.Reader { return strings.NewReader("area=leeds") },
			http.Header{"Sec-Fetch-Site": {"cross-site"}}, 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var body io.Reader
			if tt.body != nil {
				body = tt.body()
			}
			req, err := http.NewRequestWithContext(t.Context(), tt.method, s.url+tt.path, body)
			if err != nil {
				t.Fatal(err)
			}
			if tt.contentType != "" {
				req.Header.Set("Content-Type", tt.contentType)
			}
			for k, vs := range tt.header {
				req.Header[k] = vs
			}
			res, err := testClient.Do(req)
			if err != nil {
				t.Fatalf("%s %s: %v", tt.method, tt.path, err)
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			page := string(b)
			if res.StatusCode != tt.want {
				t.Errorf("%s %s = %d, want %d\n%s", tt.method, tt.path, res.StatusCode, tt.want, page)
			}
			if res.Header.Get("Content-Security-Policy") == "" {
				t.Error("no Content-Security-Policy header")
			}
			if tt.want == http.StatusMethodNotAllowed && res.Header.Get("Allow") == "" {
				t.Error("405 without an Allow header")
			}
			if tt.want == http.StatusUnprocessableEntity {
				return // a form shown again with its errors, not an error page
			}
			if !strings.Contains(page, "Reference:") {
				t.Errorf("error page has no Reference:\n%s", page)
			}
			// The reference is random letters and digits, which may spell "sql".
			lower := strings.ToLower(reference.ReplaceAllString(page, ""))
			for _, leak := range []string{"goroutine", "sql", "panic", ".go:"} {
				if strings.Contains(lower, leak) {
					t.Errorf("error page mentions %q:\n%s", leak, page)
				}
			}
		})
	}
	if err := s.stop(t); err != nil {
		t.Errorf("serve: %v", err)
	}
	if strings.Contains(s.stderr.String(), `"level":"ERROR"`) {
		t.Errorf("bad requests logged errors:\n%s", s.stderr)
	}
}
