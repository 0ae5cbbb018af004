package web_test

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"haven/internal/store"
)

var (
	hiddenInput = regexp.MustCompile(`<input type="hidden" name="([^"]*)" value="([^"]*)">`)
	formAction  = regexp.MustCompile(`<form method="post" action="([^"]*)" novalidate>\s*(?:<input type="hidden"[^>]*>)*\s*<button[^>]*>Try saving again</button>`)
)

// R3: when storage is full a form comes back with what was typed and a way
// to send it again; records can still be read; once space is freed the same
// form saves, without a restart.
func TestStorageFullKeepsTheFormAndReadsGoOn(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "haven.db")
	const capPages = 12000 // 47 MiB: room for the demo, which the filler below then uses up
	db, err := store.Open(ctx, fmt.Sprintf("sqlite:%s?max_page_count=%d", path, capPages))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, db)
	c := f.signIn(t, f.allocated)
	base := f.ts.URL + "/people/" + f.person.Ref + "/sessions"

	// Another process fills the disk: the writer's quota is all used.
	other, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.ExecContext(ctx, `CREATE TABLE filler (b BLOB)`); err != nil {
		t.Fatal(err)
	}
	for pages := 0; pages < capPages; {
		if _, err := other.ExecContext(ctx, `INSERT INTO filler VALUES (zeroblob(4194304))`); err != nil {
			t.Fatal(err)
		}
		if err := other.QueryRowContext(ctx, `PRAGMA page_count`).Scan(&pages); err != nil {
			t.Fatal(err)
		}
	}

	// A long note needs new pages, which there are none of.
	note := `She talked about <the move> & her sister's "new" flat. ` + strings.Repeat("é", 19000)
	form := sessionValues("20", note)
	form.Set("idempotency_key", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
	res := send(t, c, "POST", base, form)
	if res.status != 503 || res.header.Get("Retry-After") == "" {
		t.Fatalf("saving while full: status %d, Retry-After %q", res.status, res.header.Get("Retry-After"))
	}
	for _, want := range []string{"Sorry, Haven cannot save changes at the moment", "Your answers have not been lost", "run out of storage space",
		html.EscapeString(note)} {
		if !strings.Contains(res.body, want) {
			t.Errorf("the page does not say %q", want)
		}
	}
	m := formAction.FindStringSubmatch(res.body)
	if m == nil || m[1] != "/people/"+f.person.Ref+"/sessions" {
		t.Fatalf("no form sending the answers back to the same place:\n%s", res.body)
	}
	carried := url.Values{}
	for _, h := range hiddenInput.FindAllStringSubmatch(res.body, -1) {
		carried.Add(html.UnescapeString(h[1]), html.UnescapeString(h[2]))
	}
	if carried.Encode() != form.Encode() {
		t.Fatalf("carried fields\n%v\nwant what was typed\n%v", carried, form)
	}
	if !strings.Contains(f.logs.String(), `"event":"storage_full"`) {
		t.Errorf("no storage_full log line:\n%s", f.logs.String())
	}

	// Reading goes on: her record and her sessions, each with its audit row.
	for _, p := range []string{"/people/" + f.person.Ref, "/people/" + f.person.Ref + "/sessions"} {
		if res := send(t, c, "GET", f.ts.URL+p, nil); res.status != 200 {
			t.Errorf("GET %s while full: %d", p, res.status)
		}
	}
	// The API says the same in JSON.
	res = apiCall(t, f, f.allocated, "POST", "/api/v1/people/"+f.person.Ref+"/sessions",
		`{"date":"2026-11-20","type":"video","minutes":30,"initiatedBy":"her","note":"API while full"}`)
	var apiErr struct{ Code, Message string }
	if err := json.Unmarshal([]byte(res.body), &apiErr); err != nil || res.status != 503 || apiErr.Code != "unavailable" ||
		!strings.Contains(apiErr.Message, "storage is full") || res.header.Get("Retry-After") == "" {
		t.Errorf("API while full: %d %q %v", res.status, res.body, err)
	}

	// Space is freed; "Try saving again" sends the same answers and they are saved.
	if _, err := other.ExecContext(ctx, `DELETE FROM filler`); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		res = send(t, c, "POST", f.ts.URL+m[1], carried)
		if res.status != 503 || time.Now().After(deadline) {
			break
		}
		time.Sleep(250 * time.Millisecond)
	}
	if res.status != 303 {
		t.Fatalf("saving again after space was freed: %d\n%s", res.status, res.body)
	}
	sessions, err := db.SupportSessions(ctx, f.person.ID)
	if err != nil {
		t.Fatal(err)
	}
	saved := 0
	for _, s := range sessions {
		if s.Note == note {
			saved++
		}
	}
	if saved != 1 {
		t.Errorf("the session was saved %d times, want once", saved)
	}
}
