package store_test

import (
	"errors"
	"testing"

	"strconv"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/directory"
	"haven/internal/haven"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// A directory editor links a service's contact: the account is made with
// the service-contact role, or found if it has it; it keeps only its own
// services; unlinking ends that; every step is audited.
func TestServiceContactLinkAndUnlink(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		f := seedDirectory(t, db)
		editor, err := db.CreateAccount(ctx, audit.Event{RequestID: "test"}, access.User{Email: "ed@example.org", DisplayName: "Ed Editor"},
			[]store.Grant{{Role: access.RoleDirectoryEditor, Tenant: store.Tenant{Kind: access.TenantNational, Slug: store.NationalSlug}}})
		if err != nil {
			t.Fatal(err)
		}
		ev := audit.Event{RequestID: "test", UserID: editor.ID}

		k, err := db.LinkServiceContact(ctx, ev, f.aire.ID, access.User{Email: "Kim@Example.org", DisplayName: "Kim Keeper"})
		if err != nil {
			t.Fatal(err)
		}
		if !k.New || k.Enrolled || k.Email != "kim@example.org" || k.UserID == 0 {
			t.Fatalf("keeper %+v", k)
		}
		ms, err := db.Memberships(ctx, k.UserID)
		if err != nil || len(ms) != 1 || ms[0].Role != access.RoleServiceContact || ms[0].TenantKind != access.TenantNational {
			t.Fatalf("memberships %+v, %v", ms, err)
		}
		// The same contact for a second service: the account is found, not made again.
		k2, err := db.LinkServiceContact(ctx, ev, f.bootham.ID, access.User{Email: "kim@example.org", DisplayName: "Another Name"})
		if err != nil || k2.New || k2.UserID != k.UserID || k2.Name != "Kim Keeper" {
			t.Fatalf("second link %+v, %v", k2, err)
		}
		// Linked twice to one service, an account without the role, a bad address, an unknown service: refused.
		invalid := func(err error, field string) bool {
			he, ok := errors.AsType[*haven.Error](err)
			return ok && he.Kind == haven.KindInvalid && he.Fields[field] != ""
		}
		if _, err := db.LinkServiceContact(ctx, ev, f.aire.ID, access.User{Email: "kim@example.org", DisplayName: "Kim Keeper"}); !invalid(err, "contact-email") {
			t.Errorf("linked twice: %v", err)
		}
		if _, err := db.LinkServiceContact(ctx, ev, f.aire.ID, access.User{Email: "ed@example.org", DisplayName: "Ed"}); !invalid(err, "contact-email") {
			t.Errorf("an editor's account linked as a contact: %v", err)
		}
		if _, err := db.LinkServiceContact(ctx, ev, f.aire.ID, access.User{Email: "not an address", DisplayName: "X"}); !invalid(err, "email") {
			t.Errorf("bad address: %v", err)
		}
		if _, err := db.LinkServiceContact(ctx, ev, directory.NewID(), access.User{Email: "new@example.org", DisplayName: "New"}); !errors.Is(err, haven.ErrNotFound) {
			t.Errorf("unknown service: %v", err)
		}
		if _, err := db.AccountByEmail(ctx, "new@example.org"); !errors.Is(err, haven.ErrNotFound) {
			t.Errorf("a refused link made an account: %v", err)
		}
		if ms, _ := db.Memberships(ctx, editor.ID); len(ms) != 1 {
			t.Errorf("the editor's account was given a role: %+v", ms)
		}

		kept, err := db.KeptServices(ctx, k.UserID)
		if err != nil || len(kept) != 2 || kept[0].ID != f.aire.ID || kept[1].ID != f.bootham.ID {
			t.Fatalf("kept services %+v, %v", kept, err)
		}
		if _, err := db.KeptService(ctx, k.UserID, f.cald.ID); !errors.Is(err, haven.ErrNotFound) {
			t.Errorf("a service not linked: %v", err)
		}
		keepers, err := db.ServiceKeepers(ctx, f.aire.ID)
		if err != nil || len(keepers) != 1 || keepers[0].UserID != k.UserID || keepers[0].Email != "kim@example.org" || keepers[0].LinkedAt.IsZero() {
			t.Fatalf("keepers %+v, %v", keepers, err)
		}

		// The contact changes their own entry: history by them, audited in the same transaction.
		svc, err := db.KeptService(ctx, k.UserID, f.aire.ID)
		if err != nil {
			t.Fatal(err)
		}
		svc.Description = "Support for mothers and fathers."
		if _, err := db.UpdateKeptService(ctx, audit.Event{RequestID: "test", UserID: k.UserID}, k.UserID, svc, "haven-user:"+strconv.FormatInt(k.UserID, 10)); err != nil {
			t.Fatal(err)
		}
		cald := f.cald
		cald.Description = "Not theirs."
		if _, err := db.UpdateKeptService(ctx, audit.Event{RequestID: "test", UserID: k.UserID}, k.UserID, cald, "x"); !errors.Is(err, haven.ErrNotFound) {
			t.Errorf("changed a service not linked: %v", err)
		}
		if got, _ := db.Service(ctx, f.cald.ID); got.Description == "Not theirs." {
			t.Error("a service not linked was changed")
		}

		if err := db.UnlinkServiceContact(ctx, ev, f.aire.ID, k.UserID); err != nil {
			t.Fatal(err)
		}
		if err := db.UnlinkServiceContact(ctx, ev, f.aire.ID, k.UserID); !errors.Is(err, haven.ErrNotFound) {
			t.Errorf("unlinked twice: %v", err)
		}
		if _, err := db.KeptService(ctx, k.UserID, f.aire.ID); !errors.Is(err, haven.ErrNotFound) {
			t.Errorf("after unlinking: %v", err)
		}
		svc, _ = db.Service(ctx, f.aire.ID)
		svc.Description = "After the link went."
		if _, err := db.UpdateKeptService(ctx, audit.Event{RequestID: "test", UserID: k.UserID}, k.UserID, svc, "x"); !errors.Is(err, haven.ErrNotFound) {
			t.Errorf("changed after unlinking: %v", err)
		}
		if keepers, _ := db.ServiceKeepers(ctx, f.aire.ID); len(keepers) != 0 {
			t.Errorf("keepers after unlinking %+v", keepers)
		}

		evs, err := db.SearchAudit(ctx, store.AuditFilter{Page: store.Page{Limit: 100}})
		if err != nil {
			t.Fatal(err)
		}
		count := map[string]int{}
		for _, e := range evs {
			count[e.RecordType+"/"+string(e.Action)]++
		}
		if count["dir-service-keeper/create"] != 2 || count["dir-service-keeper/delete"] != 1 || count["dir-service/update"] != 1 || count["user/account-created"] != 2 {
			t.Errorf("audit rows %v", count)
		}
	})
}
