package store_test

import (
	"errors"
	"slices"
	"strconv"
	"testing"
	"time"

	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// S6: the tenth failure in a row locks the account in the database until a
// stated time; failures while it is locked do not lengthen it; once it has
// run out one more failure locks again; and an administrator's unlock clears
// both the lock and the count, with an audit row.
func TestS6StoredLockout(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
		db.SetClock(func() time.Time { return now })
		s := seedStaff(t, db)
		id := s.pracA.User.ID
		fail := func() time.Time {
			t.Helper()
			until, err := db.RecordFailedLogin(ctx, id, 10, 15*time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			return until
		}
		lockedUntil := func() time.Time {
			t.Helper()
			a, err := db.Account(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			return a.LockedUntil
		}
		for i := 1; i < 10; i++ {
			if until := fail(); !until.IsZero() {
				t.Fatalf("failure %d locked the account until %v", i, until)
			}
		}
		if got := lockedUntil(); !got.IsZero() {
			t.Fatalf("locked after 9 failures: %v", got)
		}
		want := now.Add(15 * time.Minute)
		if until := fail(); !until.Equal(want) {
			t.Fatalf("the tenth failure: lock until %v, want %v", until, want)
		}
		if got := lockedUntil(); !got.Equal(want) {
			t.Fatalf("stored lock %v, want %v", got, want)
		}

		// Guessing on while locked does not push the end back.
		now = now.Add(10 * time.Minute)
		if until := fail(); !until.IsZero() {
			t.Errorf("a failure during the lock started another, until %v", until)
		}
		if got := lockedUntil(); !got.Equal(want) {
			t.Errorf("a failure during the lock moved its end to %v, want %v", got, want)
		}

		// Once it has run out, the count is still there: one more failure locks again.
		now = want
		relock := now.Add(15 * time.Minute)
		if until := fail(); !until.Equal(relock) {
			t.Errorf("a failure after the lock ran out: lock until %v, want %v", until, relock)
		}

		if err := db.UnlockAccount(ctx, audit.Event{UserID: s.admin.User.ID, Role: "admin"}, id); err != nil {
			t.Fatal(err)
		}
		a, err := db.Account(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if !a.LockedUntil.IsZero() || a.FailedLogins != 0 {
			t.Errorf("after unlocking: locked until %v with %d failures, want neither", a.LockedUntil, a.FailedLogins)
		}
		evs, err := db.SearchAudit(ctx, store.AuditFilter{Action: string(audit.AccountUnlock), RecordType: "user", RecordID: strconv.FormatInt(id, 10)})
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != 1 || evs[0].UserID != s.admin.User.ID {
			t.Errorf("unlock audit rows: %+v, want one by the administrator", evs)
		}
		if err := db.UnlockAccount(ctx, audit.Event{}, 1<<40); !errors.Is(err, haven.ErrNotFound) {
			t.Errorf("unlocking an account that does not exist: %v, want not found", err)
		}
		for i := 1; i < 10; i++ {
			if until := fail(); !until.IsZero() {
				t.Fatalf("after the unlock, failure %d locked the account", i)
			}
		}
	})
}

// S12: ending every session of an account, or changing its password, revokes
// its live API tokens when asked, each with an audit row, and leaves them
// alone when not; other people's tokens are never touched.
func TestS12EndingSessionsCanRevokeTokens(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s := seedStaff(t, db)
		expires := time.Now().Add(24 * time.Hour)
		id := s.pracA.User.ID
		mint := func(user int64, hash string) int64 {
			t.Helper()
			tid, err := db.CreateAPIToken(ctx, audit.Event{UserID: user}, user, hash, hash, expires)
			if err != nil {
				t.Fatal(err)
			}
			return tid
		}
		live := func(hash string) bool {
			t.Helper()
			_, _, err := db.APITokenUser(ctx, hash)
			if err != nil && !errors.Is(err, haven.ErrNotFound) {
				t.Fatal(err)
			}
			return err == nil
		}
		revokedRows := func() []string {
			t.Helper()
			evs, err := db.SearchAudit(ctx, store.AuditFilter{Action: string(audit.TokenRevoked), RecordType: "api-token"})
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, e := range evs {
				ids = append(ids, e.RecordID)
			}
			slices.Sort(ids)
			return ids
		}
		ev := audit.Event{UserID: id, Role: "practitioner"}

		mine1, mine2, old := mint(id, "mine-1"), mint(id, "mine-2"), mint(id, "mine-old")
		mint(s.pracB.User.ID, "theirs")
		if err := db.RevokeAPIToken(ctx, ev, id, old); err != nil {
			t.Fatal(err)
		}
		before := revokedRows()

		if err := db.DeleteUserSessions(ctx, ev, id, store.KeepTokens); err != nil {
			t.Fatal(err)
		}
		if !live("mine-1") || !live("mine-2") {
			t.Fatal("signing out everywhere with the box unticked revoked a token")
		}
		if err := db.DeleteUserSessions(ctx, ev, id, store.RevokeTokens); err != nil {
			t.Fatal(err)
		}
		if live("mine-1") || live("mine-2") {
			t.Error("signing out everywhere with the box ticked left a token working")
		}
		if !live("theirs") {
			t.Error("someone else's token was revoked")
		}
		want := append(slices.Clone(before), strconv.FormatInt(mine1, 10), strconv.FormatInt(mine2, 10))
		slices.Sort(want)
		if got := revokedRows(); !slices.Equal(got, want) {
			t.Errorf("token-revoked audit rows for %v, want %v (the token already revoked gets no second row)", got, want)
		}

		// The same through a password change.
		mine3 := mint(id, "mine-3")
		if err := db.SetPassword(ctx, ev, id, "hash-1", store.KeepTokens); err != nil {
			t.Fatal(err)
		}
		if !live("mine-3") {
			t.Fatal("a password change with the box unticked revoked a token")
		}
		if err := db.SetPassword(ctx, ev, id, "hash-2", store.RevokeTokens); err != nil {
			t.Fatal(err)
		}
		if live("mine-3") {
			t.Error("a password change with the box ticked left a token working")
		}
		if !live("theirs") {
			t.Error("someone else's token was revoked by a password change")
		}
		want = append(want, strconv.FormatInt(mine3, 10))
		slices.Sort(want)
		if got := revokedRows(); !slices.Equal(got, want) {
			t.Errorf("token-revoked audit rows for %v, want %v", got, want)
		}
	})
}
