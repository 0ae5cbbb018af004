package store_test

import (
	"errors"
	"fmt"
	"strconv"
	"testing"
	"time"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/programme"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

var sessionToday = haven.NewDate(2026, 11, 23)

func aSession(personID, by int64, on haven.Date, note string) programme.Session {
	return programme.Session{PersonID: personID, On: on, Type: programme.SessionHomeVisit, Minutes: 60,
		InitiatedBy: programme.InitiatedByPractitioner, Note: note, CreatedBy: by}
}

func TestSessionsRecordListAndCorrect(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s := seedStaff(t, db)
		p, err := db.CreatePerson(ctx, audit.Event{}, s.leadA, programme.Person{PracticeID: s.practiceA, PractitionerID: s.pracA.User.ID, FirstName: "Robin", LastName: "Testcase"})
		if err != nil {
			t.Fatal(err)
		}
		other, err := db.CreatePerson(ctx, audit.Event{}, s.leadA, programme.Person{PracticeID: s.practiceA, FirstName: "Sky", LastName: "Testcase"})
		if err != nil {
			t.Fatal(err)
		}
		by := s.pracA.User.ID
		older := aSession(p.ID, by, haven.NewDate(2026, 10, 1), "First visit.")
		older.FundPence, older.FundCategory = 1250, programme.FundTravel
		older.Agencies = "Women's Aid (fictional branch)"
		first, err := db.RecordSession(ctx, audit.Event{UserID: by}, older, sessionToday, true)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.RecordSession(ctx, audit.Event{}, aSession(p.ID, by, haven.NewDate(2026, 11, 20), "Second visit."), sessionToday, true); err != nil {
			t.Fatal(err)
		}
		invalid := []struct {
			name  string
			s     programme.Session
			field string
		}{
			{"future", aSession(p.ID, by, haven.NewDate(2026, 11, 24), "Tomorrow."), "on"},
			{"no note", aSession(p.ID, by, sessionToday, "   "), "note"},
		}
		for _, tt := range invalid {
			_, err := db.RecordSession(ctx, audit.Event{}, tt.s, sessionToday, true)
			if he, ok := errors.AsType[*haven.Error](err); !ok || he.Fields[tt.field] == "" {
				t.Errorf("%s: %v, want an error on %s", tt.name, err, tt.field)
			}
		}

		list, err := db.SupportSessions(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || list[0].Note != "Second visit." || list[1].ID != first.ID {
			t.Fatalf("sessions not newest first: %+v", list)
		}
		got := list[1]
		if got.FundPence != 1250 || got.FundCategory != programme.FundTravel || !got.HasSpend() || got.Agencies != "Women's Aid (fictional branch)" ||
			got.On.String() != "2026-10-01" || got.CreatedByName != "prac.a@example.org" || got.Version != 1 {
			t.Errorf("stored session %+v", got)
		}
		if list[0].HasSpend() || list[0].FundPence != 0 {
			t.Errorf("a session with no spend has spend: %+v", list[0])
		}
		if none, err := db.SupportSessions(ctx, other.ID); err != nil || len(none) != 0 {
			t.Errorf("another woman's sessions: %v, %v", none, err)
		}
		if _, err := db.SupportSession(ctx, other.ID, first.ID); !errors.Is(err, haven.ErrNotFound) {
			t.Errorf("a session read through another person: %v, want not found", err)
		}

		// Corrections add a row; the original stays; a stale version is refused.
		if err := db.CorrectSession(ctx, audit.Event{}, p.ID, first.ID, 1, "First visit, at the family centre.", "", by); !errors.Is(err, haven.ErrInvalid) {
			t.Errorf("a correction with no reason: %v", err)
		}
		if err := db.CorrectSession(ctx, audit.Event{}, p.ID, first.ID, 1, "First visit, at the family centre.", "Wrong place", s.leadA.User.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.CorrectSession(ctx, audit.Event{}, p.ID, first.ID, 1, "Something else.", "Also wrong", by); !errors.Is(err, haven.ErrConflict) {
			t.Errorf("stale correction: %v, want conflict", err)
		}
		if err := db.CorrectSession(ctx, audit.Event{}, other.ID, first.ID, 2, "Something else.", "Also wrong", by); !errors.Is(err, haven.ErrNotFound) {
			t.Errorf("correction through another person: %v, want not found", err)
		}
		got, err = db.SupportSession(ctx, p.ID, first.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Note != "First visit." || got.CurrentNote() != "First visit, at the family centre." || got.Version != 2 || len(got.Corrections) != 1 ||
			got.Corrections[0].Reason != "Wrong place" || got.Corrections[0].ByName != "lead.a@example.org" {
			t.Errorf("after correction: %+v", got)
		}

		// Audit: a create row per session and an update row for the correction, section "session".
		for action, want := range map[audit.Action]int{audit.Create: 2, audit.Update: 1} {
			evs, err := db.SearchAudit(ctx, store.AuditFilter{RecordType: "person", RecordID: strconv.FormatInt(p.ID, 10), Action: string(action)})
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, e := range evs {
				if e.Section == "session" {
					n++
				}
			}
			if n != want {
				t.Errorf("%d %s audit rows for sessions, want %d", n, action, want)
			}
		}
	})
}

func TestSessionDraftsArePrivate(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s := seedStaff(t, db)
		p, err := db.CreatePerson(ctx, audit.Event{}, s.leadA, programme.Person{PracticeID: s.practiceA, PractitionerID: s.pracA.User.ID, FirstName: "Robin", LastName: "Testcase"})
		if err != nil {
			t.Fatal(err)
		}
		a, b := s.pracA.User.ID, s.leadA.User.ID
		if _, err := db.DraftFor(ctx, a, p.ID); !errors.Is(err, haven.ErrNotFound) {
			t.Errorf("no draft yet: %v", err)
		}
		if _, err := db.SaveDraft(ctx, a, p.ID, "note=first"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SaveDraft(ctx, a, p.ID, "note=second"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SaveDraft(ctx, b, p.ID, "note=lead"); err != nil {
			t.Fatal(err)
		}
		if d, err := db.DraftFor(ctx, a, p.ID); err != nil || d.Body != "note=second" || d.UpdatedAt.IsZero() {
			t.Errorf("author's draft: %+v, %v", d, err)
		}
		if d, err := db.DraftFor(ctx, b, p.ID); err != nil || d.Body != "note=lead" {
			t.Errorf("another user's draft: %+v, %v", d, err)
		}
		if _, err := db.SaveDraft(ctx, a, p.ID, string(make([]byte, store.MaxDraftLen+1))); !errors.Is(err, haven.ErrInvalid) {
			t.Errorf("oversized draft: %v", err)
		}
		// A session sent another way (the API) leaves the draft alone.
		if _, err := db.RecordSession(ctx, audit.Event{}, aSession(p.ID, a, sessionToday, "From the API."), sessionToday, false); err != nil {
			t.Fatal(err)
		}
		if _, err := db.DraftFor(ctx, a, p.ID); err != nil {
			t.Errorf("draft after a session saved through the API: %v", err)
		}
		// Saving the session from its form removes its author's draft, and only theirs.
		if _, err := db.RecordSession(ctx, audit.Event{}, aSession(p.ID, a, sessionToday, "Saved."), sessionToday, true); err != nil {
			t.Fatal(err)
		}
		if _, err := db.DraftFor(ctx, a, p.ID); !errors.Is(err, haven.ErrNotFound) {
			t.Errorf("draft after saving the session: %v", err)
		}
		if _, err := db.DraftFor(ctx, b, p.ID); err != nil {
			t.Errorf("another user's draft went with it: %v", err)
		}
		if err := db.DeleteDraft(ctx, b, p.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.DraftFor(ctx, b, p.ID); !errors.Is(err, haven.ErrNotFound) {
			t.Errorf("draft after discarding: %v", err)
		}
	})
}

// BenchmarkSessionsFor200 is the person page's worst case: a woman with 200
// sessions, some corrected, listed with their corrections.
func BenchmarkSessionsFor200(b *testing.B) {
	storetest.ForEachB(b, func(b *testing.B, db *store.DB) {
		ctx := b.Context()
		org, err := db.CreateOrganisation(ctx, access.Organisation{Slug: "bench-trust", Name: "Bench Trust"})
		if err != nil {
			b.Fatal(err)
		}
		pr, err := db.CreatePractice(ctx, access.Practice{OrganisationID: org.ID, Slug: "bench-practice", Name: "Bench", LocalAuthorities: []string{"E08000035"}})
		if err != nil {
			b.Fatal(err)
		}
		u, err := db.CreateAccount(ctx, audit.Event{}, access.User{Email: "bench.lead@example.org", DisplayName: "Bench Lead"},
			[]store.Grant{{Role: access.RolePracticeLead, Tenant: store.Tenant{Kind: access.TenantPractice, ID: pr.ID, Slug: pr.Slug}}})
		if err != nil {
			b.Fatal(err)
		}
		lead, err := db.Actor(ctx, u.ID)
		if err != nil {
			b.Fatal(err)
		}
		p, err := db.CreatePerson(ctx, audit.Event{}, lead, programme.Person{PracticeID: pr.ID, FirstName: "Bench", LastName: "Testcase"})
		if err != nil {
			b.Fatal(err)
		}
		for i := range 200 {
			s := aSession(p.ID, u.ID, haven.NewDate(2026, time.Month(1+i%10), 1+i%28), fmt.Sprintf("Fictional note %d. %s", i, "She talked about her week and her plans."))
			if i%5 == 0 {
				s.FundPence, s.FundCategory = int64(100*i), programme.FundFood
			}
			created, err := db.RecordSession(ctx, audit.Event{}, s, sessionToday, true)
			if err != nil {
				b.Fatal(err)
			}
			if i%20 == 0 {
				if err := db.CorrectSession(ctx, audit.Event{}, p.ID, created.ID, 1, "Corrected note.", "Typo", u.ID); err != nil {
					b.Fatal(err)
				}
			}
		}
		for b.Loop() {
			list, err := db.SupportSessions(ctx, p.ID)
			if err != nil || len(list) != 200 {
				b.Fatalf("listed %d sessions, %v", len(list), err)
			}
		}
	})
}
