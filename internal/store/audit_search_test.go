package store_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// The audit searches filter by user, action and dates, page by keyset, and
// name each event's user; a record's log holds only that record's events.
func TestAuditSearchFiltersAndPages(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s := seedStaff(t, db)
		lead, prac := s.leadA.User, s.pracA.User
		day := func(d, h int) time.Time { return time.Date(2026, 12, d, h, 0, 0, 0, time.UTC) }
		// Events on person 42, with one on person 43 and one security event in among them.
		events := []audit.Event{
			{At: day(1, 9), UserID: lead.ID, Action: audit.View, RecordType: "person", RecordID: "42", Section: "details"},
			{At: day(2, 9), UserID: prac.ID, Action: audit.Update, RecordType: "person", RecordID: "42", Section: "plan"},
			{At: day(3, 9), UserID: prac.ID, Action: audit.View, RecordType: "person", RecordID: "43", Section: "details"},
			{At: day(4, 9), UserID: lead.ID, Action: audit.Update, RecordType: "person", RecordID: "42", Section: "contact"},
			{At: day(5, 9), UserID: prac.ID, Action: audit.SignIn},
			{At: day(6, 9), UserID: prac.ID, Action: audit.View, RecordType: "person", RecordID: "42", Section: "details"},
		}
		for _, e := range events {
			if err := db.Audit(ctx, e); err != nil {
				t.Fatal(err)
			}
		}
		type row struct {
			Day     int
			Who     string
			Action  audit.Action
			Section string
		}
		rows := func(es []store.AccessEntry) []row {
			var out []row
			for _, e := range es {
				out = append(out, row{e.At.UTC().Day(), e.UserName, e.Action, e.Section})
			}
			return out
		}
		person := func(id int64) int64 { return id }
		tests := []struct {
			name string
			f    store.AuditFilter
			want []row
		}{
			{"everything on her record, newest first", store.AuditFilter{}, []row{
				{6, prac.DisplayName, audit.View, "details"}, {4, lead.DisplayName, audit.Update, "contact"},
				{2, prac.DisplayName, audit.Update, "plan"}, {1, lead.DisplayName, audit.View, "details"}}},
			{"by one user", store.AuditFilter{UserID: lead.ID}, []row{{4, lead.DisplayName, audit.Update, "contact"}, {1, lead.DisplayName, audit.View, "details"}}},
			{"by action", store.AuditFilter{Action: "update"}, []row{{4, lead.DisplayName, audit.Update, "contact"}, {2, prac.DisplayName, audit.Update, "plan"}}},
			{"from a date", store.AuditFilter{From: day(4, 0)}, []row{{6, prac.DisplayName, audit.View, "details"}, {4, lead.DisplayName, audit.Update, "contact"}}},
			{"before a date", store.AuditFilter{To: day(2, 0)}, []row{{1, lead.DisplayName, audit.View, "details"}}},
			{"between dates and by user", store.AuditFilter{From: day(2, 0), To: day(7, 0), UserID: prac.ID}, []row{{6, prac.DisplayName, audit.View, "details"}, {2, prac.DisplayName, audit.Update, "plan"}}},
			{"nothing matches", store.AuditFilter{Action: "print"}, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := db.AccessLog(ctx, person(42), tt.f)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tt.want, rows(got)); diff != "" {
					t.Errorf("AccessLog (-want +got):\n%s", diff)
				}
			})
		}

		// Keyset paging: two at a time, each page after the last ID of the one before.
		var pages [][]row
		f := store.AuditFilter{Page: store.Page{Limit: 2}}
		for range 5 {
			got, err := db.AccessLog(ctx, 42, f)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) == 0 {
				break
			}
			pages = append(pages, rows(got))
			f.After = got[len(got)-1].ID
		}
		if len(pages) != 2 || pages[0][0].Day != 6 || pages[1][1].Day != 1 {
			t.Errorf("pages of two: %v", pages)
		}

		// The whole trail, for the administrator: every record, and security events too.
		all, err := db.AuditEntries(ctx, store.AuditFilter{UserID: prac.ID, From: day(3, 0)})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]row{{6, prac.DisplayName, audit.View, "details"}, {5, prac.DisplayName, audit.SignIn, ""}, {3, prac.DisplayName, audit.View, "details"}}, rows(all)); diff != "" {
			t.Errorf("AuditEntries (-want +got):\n%s", diff)
		}
		if evs, err := db.SearchAudit(ctx, store.AuditFilter{RecordType: "person", RecordID: "43", To: day(4, 0)}); err != nil || len(evs) != 1 || evs[0].UserID != prac.ID {
			t.Errorf("SearchAudit by record and date: %v, %v", evs, err)
		}

		users, err := db.AccessLogUsers(ctx, 42)
		if err != nil {
			t.Fatal(err)
		}
		want := []store.AuditUser{{lead.ID, lead.DisplayName}, {prac.ID, prac.DisplayName}}
		if want[1].Name < want[0].Name {
			want[0], want[1] = want[1], want[0]
		}
		if diff := cmp.Diff(want, users); diff != "" {
			t.Errorf("AccessLogUsers (-want +got):\n%s", diff)
		}
	})
}

// The administrator finds an account by part of its name or email, in any case,
// and a wildcard typed is matched literally.
func TestFindUsers(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		for _, u := range []access.User{
			{Email: "quinn.sorrel@example.org", DisplayName: "Quinn Sorrel"},
			{Email: "kit_kestrel@example.org", DisplayName: "Kit Kestrel"},
			{Email: "kitten@example.org", DisplayName: "Robin Kitten"},
		} {
			if _, err := db.CreateAccount(ctx, audit.Event{}, u, nil); err != nil {
				t.Fatal(err)
			}
		}
		tests := []struct {
			term string
			want []string
		}{
			{"quinn", []string{"Quinn Sorrel"}},
			{"SORREL", []string{"Quinn Sorrel"}},
			{"quinn.sorrel@example.org", []string{"Quinn Sorrel"}},
			{"kit", []string{"Kit Kestrel", "Robin Kitten"}},
			{"kit_", []string{"Kit Kestrel"}}, // _ is not a wildcard
			{"%", nil},
			{"nobody", nil},
		}
		for _, tt := range tests {
			got, err := db.FindUsers(ctx, tt.term, 20)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, u := range got {
				names = append(names, u.DisplayName)
			}
			if diff := cmp.Diff(tt.want, names); diff != "" {
				t.Errorf("FindUsers(%q) (-want +got):\n%s", tt.term, diff)
			}
		}
	})
}

// The administrator's list of accounts carries each account's roles, so it
// can name them.
func TestListAccountsNamesRoles(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		s := seedStaff(t, db)
		got, err := db.ListAccounts(t.Context(), store.Page{Limit: 3})
		if err != nil {
			t.Fatal(err)
		}
		next, err := db.ListAccounts(t.Context(), store.Page{After: got[len(got)-1].ID, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		roles := map[int64][]access.Role{}
		for _, a := range append(got, next...) {
			if len(a.Memberships) != a.Roles {
				t.Errorf("%s: %d memberships, %d roles", a.Email, len(a.Memberships), a.Roles)
			}
			for _, m := range a.Memberships {
				if m.UserID != a.ID {
					t.Errorf("%s is given another account's role %+v", a.Email, m)
				}
				roles[a.ID] = append(roles[a.ID], m.Role)
			}
		}
		for actor, want := range map[*access.Actor]access.Role{s.leadA: access.RolePracticeLead, s.pracB: access.RolePractitioner, s.admin: access.RoleAdmin} {
			if diff := cmp.Diff([]access.Role{want}, roles[actor.User.ID]); diff != "" {
				t.Errorf("%s (-want +got):\n%s", actor.User.Email, diff)
			}
		}
		for _, a := range got {
			if a.ID == s.leadA.User.ID && (len(a.Memberships) != 1 || a.Memberships[0].TenantName != "A") {
				t.Errorf("the lead's role names no Practice: %+v", a.Memberships)
			}
		}
	})
}
