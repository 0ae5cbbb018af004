package directory

import (
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestTermIDsAreStableVersion5UUIDs(t *testing.T) {
	// Python's uuid.uuid5(uuid.UUID(int=0), name) gives the same.
	fixed := map[string]string{
		"pause-practice": "d9ea45ce-d5d9-5e76-bdc4-76bbe60136ad",
	}
	if got := Taxonomies[4].ID; got != "c5aa6dfc-8b6e-5833-a119-60c87e1d1b3b" {
		t.Errorf("host taxonomy id %s", got)
	}
	shape := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	seen := map[string]bool{}
	for _, tax := range Taxonomies {
		for _, term := range tax.Terms {
			if !shape.MatchString(term.ID) || seen[term.ID] {
				t.Errorf("%s: id %s", term.Code, term.ID)
			}
			seen[term.ID] = true
			if want, ok := fixed[term.Code]; ok && term.ID != want {
				t.Errorf("%s: id %s, want %s", term.Code, term.ID, want)
			}
			if got, gotTax, ok := TermByID(term.ID); !ok || got != term || gotTax.ID != tax.ID {
				t.Errorf("TermByID(%s) = %v, %v", term.ID, got, ok)
			}
		}
	}
	if len(seen) != 16 {
		t.Errorf("%d terms", len(seen))
	}
}

func TestStale(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	cases := []struct {
		verified, today time.Time
		want            bool
	}{
		{day(2025, 12, 7), day(2026, 12, 6), false},
		{day(2025, 12, 7), day(2026, 12, 7), true},
		{time.Time{}, day(2026, 12, 7), true},
		{day(2026, 12, 1), day(2026, 12, 7), false},
	}
	for _, c := range cases {
		if got := Stale(c.verified, c.today); got != c.want {
			t.Errorf("Stale(%v, %v) = %v", c.verified, c.today, got)
		}
	}
}

func TestEntryCheck(t *testing.T) {
	pause, _, _ := TermByID(Taxonomies[0].Terms[0].ID)
	fdac := Taxonomies[0].Terms[1]
	good := Entry{Name: "Fictional Recurrent Care Service", Description: "Support after removal.", Status: StatusActive,
		Email: "team@example.org", Website: "https://example.org/service", Phone: "01632 960 001", HowToRefer: "Ask your social worker.",
		ServiceAreas: []string{"E06000001"}, Terms: []string{pause.ID, Taxonomies[2].Terms[0].ID, Taxonomies[2].Terms[1].ID}}
	known := func(code string) bool { return code == "E06000001" }
	if ps := good.Check(known); len(ps) != 0 {
		t.Fatalf("a good entry: %v", ps)
	}
	cases := []struct {
		field string
		edit  func(e *Entry)
	}{
		{"name", func(e *Entry) { e.Name = " " }},
		{"name", func(e *Entry) { e.Name = strings.Repeat("a", 201) }},
		{"description", func(e *Entry) { e.Description = `<script>alert(1)</script>` }},
		{"status", func(e *Entry) { e.Status = "open" }},
		{"email", func(e *Entry) { e.Email = "Team <team@example.org>" }},
		{"email", func(e *Entry) { e.Email = "not an address" }},
		{"website", func(e *Entry) { e.Website = "javascript:alert(1)" }},
		{"website", func(e *Entry) { e.Website = "https://" }},
		{"phone", func(e *Entry) { e.Phone = "call us" }},
		{"phone", func(e *Entry) { e.Phone = "123" }},
		{"how-to-refer", func(e *Entry) { e.HowToRefer = "" }},
		{"areas", func(e *Entry) { e.ServiceAreas = nil }},
		{"areas", func(e *Entry) { e.ServiceAreas = []string{"W06000001"} }},
		{"terms", func(e *Entry) { e.Terms = []string{"00000000-0000-5000-8000-000000000000"} }},
		{"terms", func(e *Entry) { e.Terms = []string{pause.ID, fdac.ID} }}, // one model only
	}
	for _, c := range cases {
		e := good
		e.ServiceAreas, e.Terms = append([]string(nil), good.ServiceAreas...), append([]string(nil), good.Terms...)
		c.edit(&e)
		ps := e.Check(known)
		if len(ps) != 1 || ps[0].Field != c.field || ps[0].Message == "" {
			t.Errorf("%s: %v", c.field, ps)
		}
	}
}

func TestChanges(t *testing.T) {
	a := Entry{Name: "A", Status: StatusActive, ServiceAreas: []string{"E06000001"}}
	b := a
	b.Name, b.Status, b.ServiceAreas = "B", StatusTempClosed, []string{"E06000001", "E06000002"}
	want := []Change{{"name", "A", "B"}, {"status", "active", "temporarily closed"}, {"service_areas", "E06000001", "E06000001,E06000002"}}
	if got := Changes(a, b); !reflect.DeepEqual(got, want) {
		t.Errorf("%v", got)
	}
	if got := Changes(a, a); len(got) != 0 {
		t.Errorf("no edit, changes %v", got)
	}
	if StatusInDevelopment.HSDS() != "inactive" || StatusTempClosed.HSDS() != "temporarily closed" {
		t.Error("HSDS statuses")
	}
}

// A contact may choose any status but defunct, and may not reopen an
// entry an editor has marked defunct.
func TestContactStatuses(t *testing.T) {
	tests := []struct {
		current, status Status
		want            bool
	}{
		{StatusActive, StatusTempClosed, true},
		{StatusActive, StatusInactive, true},
		{StatusInDevelopment, StatusActive, true},
		{StatusActive, StatusDefunct, false},
		{StatusDefunct, StatusDefunct, true},
		{StatusDefunct, StatusActive, false},
		{StatusActive, Status("open"), false},
	}
	for _, tt := range tests {
		if got := ContactMayChoose(tt.current, tt.status); got != tt.want {
			t.Errorf("ContactMayChoose(%q, %q) = %v, want %v", tt.current, tt.status, got, tt.want)
		}
	}
}
