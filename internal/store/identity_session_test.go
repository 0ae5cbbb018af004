package store_test

import (
	"errors"
	"reflect"
	"testing"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// SessionActor answers what SessionByToken and Actor answer together, in one
// query: the same session, the same user and roles; a removed role is gone at
// the next call; a disabled account has no actor; an unknown token is not found.
func TestSessionActorMatchesSessionAndActor(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s := seedStaff(t, db)
		second := store.Grant{Role: access.RolePractitioner, Tenant: store.Tenant{Kind: access.TenantPractice, ID: s.practiceB, Slug: "practice-b"}}
		if err := db.AddMembership(ctx, audit.Event{}, s.leadA.User.ID, second); err != nil {
			t.Fatal(err)
		}
		for _, u := range []*access.Actor{s.leadA, s.pracA, s.admin} {
			made, err := db.CreateSession(ctx, access.Session{UserID: u.User.ID, MFAPassed: true, IP: "192.0.2.1", UserAgent: "test"}, "hash-"+u.User.Email)
			if err != nil {
				t.Fatal(err)
			}
			wantSess, err := db.SessionByToken(ctx, "hash-"+u.User.Email)
			if err != nil {
				t.Fatal(err)
			}
			wantActor, err := db.Actor(ctx, u.User.ID)
			if err != nil {
				t.Fatal(err)
			}
			sess, actor, err := db.SessionActor(ctx, "hash-"+u.User.Email)
			if err != nil || actor == nil {
				t.Fatalf("%s: %v, actor %v", u.User.Email, err, actor)
			}
			if sess != wantSess || sess.ID != made.ID {
				t.Errorf("%s: session %+v, want %+v", u.User.Email, sess, wantSess)
			}
			if !reflect.DeepEqual(actor, wantActor) {
				t.Errorf("%s: actor %+v, want %+v", u.User.Email, actor, wantActor)
			}
		}
		if _, actor, _ := db.SessionActor(ctx, "hash-"+s.leadA.User.Email); len(actor.Memberships) != 2 {
			t.Fatalf("the lead has %d roles, want 2", len(actor.Memberships))
		}
		if err := db.RemoveMembership(ctx, audit.Event{}, s.leadA.User.ID, second); err != nil {
			t.Fatal(err)
		}
		if _, actor, _ := db.SessionActor(ctx, "hash-"+s.leadA.User.Email); len(actor.Memberships) != 1 || actor.Memberships[0].Role != access.RolePracticeLead {
			t.Errorf("after removing a role: %+v", actor.Memberships)
		}
		if err := db.SetDisabled(ctx, audit.Event{}, s.pracA.User.ID, true); err != nil {
			t.Fatal(err)
		}
		if sess, actor, err := db.SessionActor(ctx, "hash-"+s.pracA.User.Email); err == nil && (actor != nil || sess.UserID != s.pracA.User.ID) {
			t.Errorf("a disabled account's session: actor %v, session %+v", actor, sess)
		}
		if _, _, err := db.SessionActor(ctx, "no-such-hash"); !errors.Is(err, haven.ErrNotFound) {
			t.Errorf("unknown token: %v, want not found", err)
		}
	})
}
