package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseAccounts(t *testing.T) {
	out := `demo data: organisation=demo-family-futures practices=3 accounts=2
demo account: role=admin tenant=demo-family-futures email=a.b@demo.haven.invalid password=kelp-thistle-saffron-12 totp-secret=K5426LNW api-token=haven_5q67
demo account: role=practice-lead tenant=demo-riverside email=q.s@demo.haven.invalid password=saffron-meadow-harbour-42 totp-secret=LMSM5XKY api-token=haven_dc3l
Haven is running at http://127.0.0.1:8080 (database: sqlite)
demo account: role=broken line
`
	got := parseAccounts(out)
	want := []account{
		{"admin", "demo-family-futures", "a.b@demo.haven.invalid", "kelp-thistle-saffron-12", "K5426LNW", "haven_5q67"},
		{"practice-lead", "demo-riverside", "q.s@demo.haven.invalid", "saffron-meadow-harbour-42", "LMSM5XKY", "haven_dc3l"},
	}
	if !slices.Equal(got, want) {
		t.Fatalf("parseAccounts = %+v, want %+v", got, want)
	}
	if a, ok := findAccount(got, "practice-lead", "demo-riverside"); !ok || a.Email != "q.s@demo.haven.invalid" {
		t.Errorf("findAccount(practice-lead, demo-riverside) = %+v, %v", a, ok)
	}
	if _, ok := findAccount(got, "practice-lead", "demo-harbour"); ok {
		t.Error("findAccount found a lead in a tenant with none")
	}
}

func TestSelectTests(t *testing.T) {
	for _, tc := range []struct {
		only    string
		want    []string
		wantErr bool
	}{
		{"", ids(tests), false},
		{"R1,R5", []string{"R1", "R5"}, false},
		{" r10 , r1,R10", []string{"R10", "R1"}, false},
		{"R1,R99", nil, true},
	} {
		got, err := selectTests(tc.only)
		if (err != nil) != tc.wantErr {
			t.Errorf("selectTests(%q) error = %v, want error %v", tc.only, err, tc.wantErr)
			continue
		}
		if !tc.wantErr && !slices.Equal(ids(got), tc.want) {
			t.Errorf("selectTests(%q) = %v, want %v", tc.only, ids(got), tc.want)
		}
	}
}

func ids(ts []test) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.id)
	}
	return out
}

func TestPercentile(t *testing.T) {
	ms := func(ns ...int) []time.Duration {
		var out []time.Duration
		for _, n := range ns {
			out = append(out, time.Duration(n)*time.Millisecond)
		}
		return out
	}
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = 100 - i // 100..1, unsorted
	}
	for _, tc := range []struct {
		in   []time.Duration
		p    float64
		want time.Duration
	}{
		{nil, 99, 0},
		{ms(7), 99, 7 * time.Millisecond},
		{ms(hundred...), 99, 99 * time.Millisecond},
		{ms(hundred...), 50, 50 * time.Millisecond},
		{ms(hundred...), 100, 100 * time.Millisecond},
		{ms(3, 1, 2), 0, 1 * time.Millisecond},
	} {
		if got := percentile(tc.in, tc.p); got != tc.want {
			t.Errorf("percentile(%d values, %v) = %v, want %v", len(tc.in), tc.p, got, tc.want)
		}
	}
}

func TestPayloadHash(t *testing.T) {
	if payloadHash("ab", "c") == payloadHash("a", "bc") {
		t.Error("fields that run together hash the same")
	}
	a, b := "a", "b"
	if payloadHash(a, b) != payloadHash("a", "b") {
		t.Error("the hash is not deterministic")
	}
	s := sessionInput{Date: "2026-11-01", Type: "video", Minutes: 30, InitiatedBy: "her", Note: "n"}
	s2 := s
	s2.Minutes = 31
	if s.hash() == s2.hash() {
		t.Error("a session's minutes are not in its hash")
	}
}

func TestPersonFormValues(t *testing.T) {
	v := personForm{FirstName: "Ada", LastName: "Ashdown", DOB: "1994-04-08", LACode: "E08000035", Version: 7}.values()
	for k, want := range map[string]string{"dateOfBirth-day": "8", "dateOfBirth-month": "4", "dateOfBirth-year": "1994",
		"version": "7", "firstName": "Ada", "laCode": "E08000035"} {
		if got := v.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
}

func TestMarker(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"Chaos test note " + reqMarker("r1-000042") + ". More.", "r1-000042"},
		{"no marker here", ""},
		{"[req=] empty", ""},
	} {
		if got := markerIn(tc.text); got != tc.want {
			t.Errorf("markerIn(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}

func TestLedgerRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ledger.jsonl")
	l, err := openLedger(path)
	if err != nil {
		t.Fatal(err)
	}
	in := []ledgerEntry{
		{Test: "R1", Cycle: 1, ReqID: "r1-000001", Kind: "session", Person: "abc", RecordID: 5, Version: 1, SHA256: payloadHash("x"), At: time.Unix(1, 0).UTC()},
		{Test: "R1", Cycle: 2, ReqID: "r1-000002", Kind: "person", Person: "abc", Version: 3, SHA256: payloadHash("y"), At: time.Unix(2, 0).UTC()},
	}
	for _, e := range in {
		if err := l.add(e); err != nil {
			t.Fatal(err)
		}
	}
	l.close()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := readLedger(f)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, in) || !slices.Equal(l.snapshot(), in) {
		t.Errorf("ledger read back %+v, want %+v", got, in)
	}
	if _, err := readLedger(strings.NewReader("{not json}\n")); err == nil {
		t.Error("a damaged ledger line was accepted")
	}
}

func TestReconcile(t *testing.T) {
	rows := map[string]map[string]stored{
		"session": {"1": {person: "p", version: 1, hash: "h1"}, "2": {person: "p", version: 2, hash: "h2"}},
		"goal":    {},
	}
	for _, tc := range []struct {
		name string
		e    ledgerEntry
		want string // the problem's prefix, or "" for none
	}{
		{"present", ledgerEntry{Kind: "session", RecordID: 1, Person: "p", Version: 1, SHA256: "h1"}, ""},
		{"missing", ledgerEntry{Kind: "session", RecordID: 3, Person: "p", Version: 1, SHA256: "h3"}, "LOST"},
		{"missing goal", ledgerEntry{Kind: "goal", RecordID: 1, Person: "p", Version: 1, SHA256: "h1"}, "LOST"},
		{"other payload", ledgerEntry{Kind: "session", RecordID: 1, Person: "p", Version: 1, SHA256: "hx"}, "CHANGED"},
		{"other person", ledgerEntry{Kind: "session", RecordID: 1, Person: "q", Version: 1, SHA256: "h1"}, "CHANGED"},
		{"other version", ledgerEntry{Kind: "session", RecordID: 2, Person: "p", Version: 1, SHA256: "h2"}, "CHANGED"},
		{"updates are the caller's", ledgerEntry{Kind: "person", Person: "zz", Version: 9, SHA256: "h"}, ""},
	} {
		_, problems := reconcile([]ledgerEntry{tc.e}, rows)
		switch {
		case tc.want == "" && len(problems) > 0:
			t.Errorf("%s: problems %v, want none", tc.name, problems)
		case tc.want != "" && (len(problems) != 1 || !strings.HasPrefix(problems[0], tc.want)):
			t.Errorf("%s: problems %v, want one starting %s", tc.name, problems, tc.want)
		}
	}
}

// TestAtomicity builds the tables the rules read and checks that each kind
// of half-applied change is caught, and a whole one is not.
func TestAtomicity(t *testing.T) {
	const schema = `
		CREATE TABLE people (id INTEGER PRIMARY KEY, ref TEXT, version INTEGER);
		CREATE TABLE support_sessions (id INTEGER PRIMARY KEY, person_id INTEGER, version INTEGER);
		CREATE TABLE session_corrections (id INTEGER PRIMARY KEY, session_id INTEGER);
		CREATE TABLE goals (id INTEGER PRIMARY KEY, person_id INTEGER, version INTEGER);
		CREATE TABLE goal_reviews (id INTEGER PRIMARY KEY, goal_id INTEGER);
		CREATE TABLE audit_events (id INTEGER PRIMARY KEY, record_type TEXT, record_id TEXT, section TEXT, action TEXT);
		INSERT INTO people VALUES (1, 'p1', 2);
		INSERT INTO audit_events (record_type, record_id, section, action) VALUES
			('person', '1', 'details', 'create'), ('person', '1', 'details', 'update'),
			('person', '1', 'session', 'create'), ('person', '1', 'session', 'update'),
			('person', '1', 'plan', 'create'), ('person', '1', 'details', 'view');
		INSERT INTO support_sessions VALUES (1, 1, 2);
		INSERT INTO session_corrections VALUES (1, 1);
		INSERT INTO goals VALUES (1, 1, 1);`
	for _, tc := range []struct {
		name, change string
		want         int
	}{
		{"whole", ``, 0},
		{"session without its audit row", `INSERT INTO support_sessions VALUES (2, 1, 1)`, 1},
		{"audit row without its goal", `INSERT INTO audit_events (record_type, record_id, section, action) VALUES ('person', '1', 'plan', 'create')`, 1},
		{"correction without its version bump", `INSERT INTO session_corrections VALUES (2, 1); INSERT INTO audit_events (record_type, record_id, section, action) VALUES ('person', '1', 'session', 'update')`, 1},
		{"version bump without its audit row", `UPDATE people SET version = 3`, 1},
		{"review without anything else", `INSERT INTO goal_reviews VALUES (1, 1)`, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db, err := openSQLite(filepath.Join(t.TempDir(), "a.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			for _, q := range strings.Split(schema+";"+tc.change, ";") {
				if strings.TrimSpace(q) == "" {
					continue
				}
				if _, err := db.Exec(q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			problems, err := atomicity(context.Background(), db)
			if err != nil {
				t.Fatal(err)
			}
			if len(problems) != tc.want {
				t.Errorf("atomicity found %d problems %v, want %d", len(problems), problems, tc.want)
			}
		})
	}
}

func TestOversized(t *testing.T) {
	for _, chunked := range []bool{false, true} {
		r, f, length := oversized("area=", 1000, chunked)
		b, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		if len(b) != 1000 || !bytes.HasPrefix(b, []byte("area=a")) {
			t.Errorf("chunked=%v: read %d bytes starting %q, want 1000 starting area=a", chunked, len(b), b[:min(8, len(b))])
		}
		if want := int64(1000); !chunked && length != want || chunked && length != -1 {
			t.Errorf("chunked=%v: declared length %d", chunked, length)
		}
		if f.read.Load() < 995 {
			t.Errorf("chunked=%v: the filler counted %d bytes", chunked, f.read.Load())
		}
	}
}

func TestProcStatus(t *testing.T) {
	rss, err := procStatus(os.Getpid(), "VmRSS")
	if err != nil {
		t.Fatal("reading /proc:", err)
	}
	if rss <= 0 {
		t.Errorf("VmRSS = %d kB", rss)
	}
	if _, err := procStatus(os.Getpid(), "NoSuchField"); err == nil {
		t.Error("a missing field was not an error")
	}
}
