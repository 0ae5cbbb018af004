package store_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"haven/internal/audit"
	"haven/internal/evaluate"
	"haven/internal/haven"
	"haven/internal/programme"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// The two dialects must have the same migration versions and names, so a
// database of either kind at version N has the same tables.
func TestMigrationSetsMatch(t *testing.T) {
	names := func(dir string) []string {
		t.Helper()
		got, err := fs.Glob(os.DirFS(filepath.Join("migrations", dir)), "*.sql")
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(got)
		return got
	}
	sqlite, postgres := names("sqlite"), names("postgres")
	if len(sqlite) == 0 {
		t.Fatal("no migrations found")
	}
	if diff := cmp.Diff(sqlite, postgres); diff != "" {
		t.Errorf("migration files differ between sqlite and postgres (-sqlite +postgres):\n%s", diff)
	}
}

func TestMigrateIsIdempotentAndReportsStatus(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		st, err := db.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Pending) != 0 || len(st.Unknown) != 0 {
			t.Fatalf("fresh test database status = %+v, want up to date", st)
		}
		again, err := db.Migrate(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(again) != 0 {
			t.Errorf("second Migrate applied %v, want nothing", again)
		}
	})
}

func TestMigrateFromEmpty(t *testing.T) {
	storetest.ForEachEmpty(t, func(t *testing.T, url string) {
		db, err := store.Open(t.Context(), url)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		all, _ := db.Migrations()
		st, err := db.Status(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if !st.Empty(len(all)) {
			t.Fatalf("status of empty database = %+v, want all %d pending", st, len(all))
		}
		done, err := db.Migrate(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if len(done) != len(all) {
			t.Errorf("applied %d migrations, want %d", len(done), len(all))
		}
	})
}

// Upgrading a database that already has an audit trail: migration 0021
// starts audit_tail from the newest row, so the next row chains on to it
// rather than to the start of a new chain.
func TestUpgradeCarriesTheAuditChainOn(t *testing.T) {
	storetest.ForEachEmpty(t, func(t *testing.T, url string) {
		ctx := t.Context()
		db := openAtVersion(t, url, "0020")
		// The trail as the code before 0021 wrote it.
		prev := audit.Genesis
		for i, id := range []string{"1", "2"} {
			e := audit.Event{At: time.Date(2026, 11, 1, 9, i, 0, 0, time.UTC), Role: "practitioner", Action: audit.View,
				RecordType: "person", RecordID: id, RequestID: "before", PrevHash: prev}
			e.Hash = e.ComputeHash(prev)
			if err := db.Exec(ctx, `INSERT INTO audit_events (at, role, tenant, record_type, record_id, section, action, request_id, ip, prev_hash, hash)
				VALUES ($1, $2, '', $3, $4, '', $5, $6, '', $7, $8)`, e.At, e.Role, e.RecordType, e.RecordID, string(e.Action), e.RequestID, e.PrevHash, e.Hash); err != nil {
				t.Fatal(err)
			}
			prev = e.Hash
		}
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if err := db.Audit(ctx, audit.Event{Role: "practitioner", Action: audit.View, RecordType: "person", RecordID: "3", RequestID: "after"}); err != nil {
			t.Fatal(err)
		}
		v, err := db.VerifyAudit(ctx)
		if err != nil || len(v.Problems) != 0 {
			t.Fatalf("chain problems after the upgrade %v, err %v", v.Problems, err)
		}
		var last audit.Event
		if err := db.EachAuditEvent(ctx, func(e audit.Event) error { last = e; return nil }); err != nil {
			t.Fatal(err)
		}
		if last.RecordID != "3" || last.PrevHash != prev {
			t.Errorf("first row after the upgrade chains to %s, want the last row before it (%s)", last.PrevHash, prev)
		}
	})
}

// Upgrading a database whose goals already have reviews: migration 0020
// gives each goal the date of its latest review, whatever order the reviews
// were recorded in, and leaves a goal never reviewed without one.
func TestUpgradeDatesEachGoalsLatestReview(t *testing.T) {
	storetest.ForEachEmpty(t, func(t *testing.T, url string) {
		ctx := t.Context()
		db := openAtVersion(t, url, "0019")
		at := time.Date(2026, 8, 1, 9, 0, 0, 0, time.UTC)
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{`INSERT INTO organisations (slug, name, created_at, updated_at) VALUES ('org', 'Organisation', $1, $1)`, []any{at}},
			{`INSERT INTO practices (organisation_id, slug, name, created_at, updated_at)
				VALUES ((SELECT id FROM organisations WHERE slug = 'org'), 'practice', 'Practice', $1, $1)`, []any{at}},
			{`INSERT INTO people (ref, practice_id, first_name, last_name, created_at, updated_at)
				VALUES ('abcdefghjkmn', (SELECT id FROM practices WHERE slug = 'practice'), 'Bea', 'Upgrade', $1, $1)`, []any{at}},
			{`INSERT INTO goals (person_id, domain, words, progress, created_at, updated_at)
				VALUES ((SELECT id FROM people), 'housing', 'A flat', 'in-progress', $1, $1),
				       ((SELECT id FROM people), 'money', 'Savings', 'not-started', $1, $1)`, []any{at}},
			{`INSERT INTO goal_reviews (goal_id, on_date, note, progress, at)
				VALUES ((SELECT id FROM goals WHERE words = 'A flat'), $1, 'Viewing booked', 'in-progress', $3),
				       ((SELECT id FROM goals WHERE words = 'A flat'), $2, 'An earlier meeting', 'in-progress', $3)`,
				[]any{haven.NewDate(2026, 10, 15), haven.NewDate(2026, 9, 1), at}},
		} {
			if err := db.Exec(ctx, q.sql, q.args...); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		for goal, want := range map[string]haven.Date{"A flat": haven.NewDate(2026, 10, 15), "Savings": {}} {
			if got, err := db.GoalReviewedOn(ctx, goal); err != nil || got != want {
				t.Errorf("goal %q reviewed on %v (%v), want %v", goal, got, err, want)
			}
		}
	})
}

// Upgrading a database where referrals were accepted by the code that lost
// what they said of her: migration 0023 gives back her phone, email and
// safe-contact wishes from her referral, and "not known" for care experience
// where that is all her referral said; a record with its own answers keeps them.
func TestUpgradeGivesBackWhatHerReferralSaid(t *testing.T) {
	storetest.ForEachEmpty(t, func(t *testing.T, url string) {
		ctx := t.Context()
		db := openAtVersion(t, url, "0022")
		at := time.Date(2026, 8, 1, 9, 0, 0, 0, time.UTC)
		for _, q := range []string{
			`INSERT INTO organisations (slug, name, created_at, updated_at) VALUES ('org', 'Organisation', $1, $1)`,
			`INSERT INTO practices (organisation_id, slug, name, created_at, updated_at)
				VALUES ((SELECT id FROM organisations WHERE slug = 'org'), 'practice', 'Practice', $1, $1)`,
			`INSERT INTO people (ref, practice_id, first_name, last_name, care_experienced, safe_channels, created_at, updated_at)
				VALUES ('abcdefghjkmn', (SELECT id FROM practices WHERE slug = 'practice'), 'Lost', 'Upgrade', FALSE, '', $1, $1),
				       ('bcdefghjkmnp', (SELECT id FROM practices WHERE slug = 'practice'), 'Kept', 'Upgrade', TRUE, 'letter', $1, $1)`,
		} {
			if err := db.Exec(ctx, q, at); err != nil {
				t.Fatal(err)
			}
		}
		for _, who := range []string{"Lost", "Kept"} {
			if err := db.Exec(ctx, `INSERT INTO referrals (ref, practice_id, source, status, received_at, first_name, last_name, phone, email,
					safe_channels, no_voicemail, safe_times, children_removed, care_experienced, consent, person_id, created_at, updated_at)
				VALUES ($1, (SELECT id FROM practices WHERE slug = 'practice'), 'self', 'accepted', $2, $3, 'Upgrade', '07700 900123', 'lost@example.org',
					'text', TRUE, 'Weekday mornings', '2', 'unknown', 'given', (SELECT id FROM people WHERE first_name = $3), $2, $2)`,
				"HVN-AAAA-"+strings.ToUpper(who[:1])+"AAA", at, who); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		type row struct {
			care, phone, phoneSafe, email, emailSafe, channels, times string
			noVoicemail                                               bool
		}
		for who, want := range map[string]row{
			"Lost": {"unknown", "07700 900123", "yes", "lost@example.org", "no", "text", "Weekday mornings", true},
			"Kept": {"yes", "07700 900123", "no", "lost@example.org", "no", "letter", "Weekday mornings", true},
		} {
			var got row
			var err error
			got.care, got.phone, got.phoneSafe, got.email, got.emailSafe, got.channels, got.times, got.noVoicemail, err = db.PersonContactRow(ctx, who)
			if err != nil || got != want {
				t.Errorf("%s after the upgrade: %+v (%v), want %+v", who, got, err, want)
			}
		}
	})
}

// openAtVersion opens the empty database at url and migrates it only as far
// as version, as an older Haven left it.
func openAtVersion(t *testing.T, url, version string) *store.DB {
	t.Helper()
	db, err := store.Open(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.MigrateTo(t.Context(), version); err != nil {
		t.Fatal(err)
	}
	return db
}

// Upgrading a database whose enrolments ended early before categories
// existed: migration 0029 marks each "not-recorded" (so the outcomes count
// them, never as a chosen reason); others have none.
func TestUpgradeMarksOldEarlyExitsNotRecorded(t *testing.T) {
	storetest.ForEachEmpty(t, func(t *testing.T, url string) {
		ctx := t.Context()
		db := openAtVersion(t, url, "0028")
		at := time.Date(2026, 8, 1, 9, 0, 0, 0, time.UTC)
		for _, q := range []string{
			`INSERT INTO organisations (slug, name, created_at, updated_at) VALUES ('org', 'Organisation', $1, $1)`,
			`INSERT INTO practices (organisation_id, slug, name, created_at, updated_at)
				VALUES ((SELECT id FROM organisations WHERE slug = 'org'), 'practice', 'Practice', $1, $1)`,
			`INSERT INTO people (ref, practice_id, first_name, last_name, safe_channels, created_at, updated_at)
				VALUES ('abcdefghjkmn', (SELECT id FROM practices WHERE slug = 'practice'), 'Early', 'Upgrade', '', $1, $1),
				       ('bcdefghjkmnp', (SELECT id FROM practices WHERE slug = 'practice'), 'Closed', 'Upgrade', '', $1, $1),
				       ('cdefghjkmnpq', (SELECT id FROM practices WHERE slug = 'practice'), 'Done', 'Upgrade', '', $1, $1)`,
			`INSERT INTO enrolments (person_id, practice_id, phase, referred_on, ended_on, end_reason, version, created_at, updated_at)
				SELECT id, practice_id, CASE first_name WHEN 'Early' THEN 'ended-early' WHEN 'Closed' THEN 'closed' ELSE 'completed' END,
					'2025-01-01', '2026-01-01', 'Her words', 1, $1, $1 FROM people`,
			`INSERT INTO phase_events (enrolment_id, from_phase, to_phase, on_date, reason, at)
				SELECT e.id, 'active', CASE p.first_name WHEN 'Done' THEN 'completed' ELSE 'ended-early' END, '2026-01-01', 'Her words', $1
				FROM enrolments e JOIN people p ON p.id = e.person_id`,
		} {
			if err := db.Exec(ctx, q, at); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		js, err := db.Journeys(ctx, []int64{1})
		if err != nil || len(js) != 3 {
			t.Fatalf("%d journeys, %v", len(js), err)
		}
		got := map[evaluate.Ending][]programme.ExitCategory{}
		for _, j := range js {
			got[j.Ended] = append(got[j.Ended], j.ExitCategory)
		}
		if len(got[evaluate.EndedEarly]) != 2 || got[evaluate.EndedEarly][0] != programme.ExitNotRecorded || got[evaluate.EndedEarly][1] != programme.ExitNotRecorded ||
			len(got[evaluate.Completed]) != 1 || got[evaluate.Completed][0] != "" {
			t.Errorf("after the upgrade: %v", got)
		}
	})
}
