package store_test

import (
	"errors"
	"math"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"haven/internal/access"
	"haven/internal/directory"
	"haven/internal/haven"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

func dirTerm(taxonomy, code string) string {
	for _, tx := range directory.Taxonomies {
		for _, t := range tx.Terms {
			if t.Code == code && tx.ID == directory.Taxonomies[slices.IndexFunc(directory.Taxonomies, func(x directory.Taxonomy) bool { return x.Name == taxonomy })].ID {
				return t.ID
			}
		}
	}
	panic("no term " + code)
}

// dirFixture is three fictional services and one Practice:
//   - Aire Valley: a location at the LS1 centroid, covering Leeds;
//   - Bootham: a location at the YO1 centroid (36,272 m from LS1), covering York;
//   - Calder: no location, covering Leeds, in development;
//   - North Vale Practice: a Haven Practice covering Hartlepool.
type dirFixture struct {
	orgA, orgB          directory.Organisation
	aire, bootham, cald directory.Service
	practice            access.Practice
}

func seedDirectory(t *testing.T, db *store.DB) dirFixture {
	t.Helper()
	ctx := t.Context()
	var f dirFixture
	var err error
	f.orgA, err = db.CreateDirOrganisation(ctx, directory.Organisation{Name: "Aire Trust (fictional)", Description: "A fictional charity."})
	if err != nil {
		t.Fatal(err)
	}
	f.orgB, err = db.CreateDirOrganisation(ctx, directory.Organisation{Name: "Ouse Council (fictional)", Description: "A fictional council."})
	if err != nil {
		t.Fatal(err)
	}
	mk := func(s directory.Service) directory.Service {
		t.Helper()
		s, err := db.CreateService(ctx, s, "test")
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	f.aire = mk(directory.Service{OrganisationID: f.orgA.ID, Entry: directory.Entry{Name: "Aire Valley Service", Description: "Support after removal.",
		Status: directory.StatusActive, HowToRefer: "Ring us.", SelfReferral: true, ServiceAreas: []string{"E08000035"},
		Terms: []string{dirTerm("Service model", "pause-practice"), dirTerm("Who is supported", "mothers")}},
		Funding: directory.FundingLocal, LastVerified: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC),
		Locations: []directory.Location{{Name: "Aire office", Address: "1 Fictional Street", City: "Leeds", Postcode: "LS1 1AA", HasPosition: true, Latitude: 53.79736, Longitude: -1.55313}},
		Phones:    []directory.PhoneNumber{{Number: "0113 496 0000"}}, Contacts: []directory.Contact{{Name: "Duty worker", Email: "duty@example.org"}},
		Schedules: []directory.Schedule{{Freq: "WEEKLY", ByDay: "MO,TU", OpensAt: "09:00", ClosesAt: "17:00"}}})
	f.bootham = mk(directory.Service{OrganisationID: f.orgB.ID, Entry: directory.Entry{Name: "Bootham Fathers Project", Description: "Work with fathers.",
		Status: directory.StatusActive, HowToRefer: "Through children's services.", ServiceAreas: []string{"E06000014"},
		Terms: []string{dirTerm("Who is supported", "fathers")}},
		Locations: []directory.Location{{Name: "Bootham", Postcode: "YO1 7AA", HasPosition: true, Latitude: 53.95814, Longitude: -1.07188}}})
	f.cald = mk(directory.Service{OrganisationID: f.orgA.ID, Entry: directory.Entry{Name: "Calder 100% Service", Description: "Being set up.",
		Status: directory.StatusInDevelopment, HowToRefer: "Not yet.", ServiceAreas: []string{"E08000035"},
		Terms: []string{dirTerm("Who is supported", "mothers")}}})
	org := seedOrg(t, db)
	f.practice, err = db.CreatePractice(ctx, access.Practice{OrganisationID: org.ID, Slug: "north-vale", Name: "North Vale Practice", LocalAuthorities: []string{"E06000001"}})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func names(ss []directory.Service) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.Name)
	}
	return out
}

func TestDirectoryServiceRoundTripAndHistory(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		f := seedDirectory(t, db)
		got, err := db.Service(ctx, f.aire.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "Aire Valley Service" || !got.SelfReferral || got.Funding != directory.FundingLocal || got.Version != 1 ||
			!slices.Equal(got.ServiceAreas, []string{"E08000035"}) || len(got.Terms) != 2 || got.Phone != "0113 496 0000" || got.Postcode != "LS1 1AA" ||
			len(got.Locations) != 1 || !got.Locations[0].HasPosition || math.Abs(got.Locations[0].Latitude-53.79736) > 1e-9 ||
			len(got.Contacts) != 1 || len(got.Schedules) != 1 || got.Schedules[0].ByDay != "MO,TU" ||
			!got.LastVerified.Equal(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)) || got.StartDate.IsZero() != true {
			t.Errorf("read back %+v", got)
		}
		if _, err := db.Service(ctx, directory.NewID()); !errors.Is(err, haven.ErrNotFound) {
			t.Errorf("unknown id: %v, want not found", err)
		}
		if _, err := db.Service(ctx, "not-a-uuid"); !errors.Is(err, haven.ErrNotFound) {
			t.Errorf("malformed id: %v, want not found", err)
		}

		// An edit records each changed field, and only those.
		edit := got
		edit.Status, edit.SelfReferral = directory.StatusTempClosed, false
		edit.LastVerified = time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
		if _, err := db.UpdateService(ctx, edit, "editor@example.org"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UpdateService(ctx, edit, "someone-else"); !errors.Is(err, haven.ErrConflict) {
			t.Errorf("stale version: %v, want conflict", err)
		}
		hist, err := db.ServiceHistory(ctx, f.aire.ID)
		if err != nil {
			t.Fatal(err)
		}
		var updates []string
		creates := 0
		for _, m := range hist {
			switch m.Action {
			case "create":
				creates++
			case "update":
				updates = append(updates, m.Field+":"+m.Previous+">"+m.Replacement+":"+m.By)
			}
		}
		slices.Sort(updates)
		want := []string{"last_verified:2026-03-01>2026-11-02:editor@example.org", "self_referral:true>false:editor@example.org", "status:active>temporarily closed:editor@example.org"}
		if !slices.Equal(updates, want) {
			t.Errorf("update history %q, want %q", updates, want)
		}
		if creates == 0 {
			t.Error("no history written on create")
		}
	})
}

func TestDirectoryListFiltersAndPaging(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		f := seedDirectory(t, db)
		list := func(q directory.Query) ([]string, int) {
			t.Helper()
			if q.PerPage == 0 {
				q.Page, q.PerPage = 1, 50
			}
			ss, total, err := db.ListServices(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			return names(ss), total
		}
		ls1 := &directory.Place{LACode: "E08000035", Latitude: 53.79736, Longitude: -1.55313}
		for _, tc := range []struct {
			name  string
			q     directory.Query
			want  []string
			total int
		}{
			{"everything, by name", directory.Query{}, []string{"Aire Valley Service", "Bootham Fathers Project", "Calder 100% Service", "North Vale Practice"}, 4},
			{"page 2 of 2 at 3 a page", directory.Query{Page: 2, PerPage: 3}, []string{"North Vale Practice"}, 4},
			{"page past the end", directory.Query{Page: 3, PerPage: 3}, nil, 4},
			{"search ignores case", directory.Query{Search: "FATHERS"}, []string{"Bootham Fathers Project"}, 1},
			{"search in description", directory.Query{Search: "set up"}, []string{"Calder 100% Service"}, 1},
			{"% is literal", directory.Query{Search: "100%"}, []string{"Calder 100% Service"}, 1},
			{"_ is literal", directory.Query{Search: "a_r"}, nil, 0},
			{"taxonomy term", directory.Query{TermID: dirTerm("Who is supported", "mothers")}, []string{"Aire Valley Service", "Calder 100% Service"}, 2},
			{"organisation", directory.Query{OrganisationID: f.orgB.ID}, []string{"Bootham Fathers Project"}, 1},
			{"modified after the last", directory.Query{ModifiedAfter: f.cald.LastModified}, []string{"North Vale Practice"}, 1},
			{"postcode alone: coverage of Leeds; located first", directory.Query{Near: ls1}, []string{"Aire Valley Service", "Calder 100% Service"}, 2},
			{"36,000 m: York is 36,272 m away", directory.Query{Near: ls1, Proximity: 36000}, []string{"Aire Valley Service", "Calder 100% Service"}, 2},
			{"36,500 m takes in York, nearest first", directory.Query{Near: ls1, Proximity: 36500}, []string{"Aire Valley Service", "Bootham Fathers Project", "Calder 100% Service"}, 3},
			{"Practice's own areas", directory.Query{Near: &directory.Place{LACode: "E06000001", Latitude: 54.69341, Longitude: -1.21076}}, []string{"North Vale Practice"}, 1},
		} {
			got, total := list(tc.q)
			if !slices.Equal(got, tc.want) || total != tc.total {
				t.Errorf("%s: %q (%d in all), want %q (%d)", tc.name, got, total, tc.want, tc.total)
			}
		}
	})
}

// A Practice's directory entry is the Practice: renaming it or changing its
// areas in its settings changes the entry, with no second copy to edit.
func TestDirectoryPracticeIsItsOwnEntry(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		f := seedDirectory(t, db)
		p := f.practice
		p.Name, p.LocalAuthorities = "South Vale Practice", []string{"E06000002"}
		if _, err := db.UpdatePractice(ctx, p); err != nil {
			t.Fatal(err)
		}
		ss, total, err := db.ListServices(ctx, directory.Query{Page: 1, PerPage: 10, Search: "vale"})
		if err != nil || total != 1 {
			t.Fatalf("%v, %d", err, total)
		}
		s := ss[0]
		if s.Name != "South Vale Practice" || !slices.Equal(s.ServiceAreas, []string{"E06000002"}) || s.PracticeID != p.ID || !s.LastModified.After(f.cald.LastModified) ||
			!slices.Equal(s.Terms, []string{directory.PausePracticeTerm}) {
			t.Errorf("Practice entry %q %v %d %v", s.Name, s.ServiceAreas, s.PracticeID, s.LastModified)
		}
		// Editing the entry cannot rename the Practice or move its areas.
		s.Name, s.ServiceAreas, s.Description = "Renamed", []string{"E08000035"}, "Now described."
		if _, err := db.UpdateService(ctx, s, "editor"); err != nil {
			t.Fatal(err)
		}
		again, err := db.Service(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		if again.Name != "South Vale Practice" || !slices.Equal(again.ServiceAreas, []string{"E06000002"}) || again.Description != "Now described." {
			t.Errorf("after edit: %q %v %q", again.Name, again.ServiceAreas, again.Description)
		}
		orgs, n, err := db.ListDirOrganisations(ctx, directory.Query{Page: 1, PerPage: 10})
		if err != nil || n != 3 || orgs[0].Name != "Aire Trust (fictional)" || orgs[1].Name != "Fictional Trust" {
			t.Errorf("organisations %v %d %+v", err, n, orgs)
		}
		sals, n, err := db.ListServiceAtLocations(ctx, directory.Query{Page: 1, PerPage: 10})
		if err != nil || n != 2 || sals[0].Service.Name != "Aire Valley Service" || sals[1].Location.Postcode != "YO1 7AA" {
			t.Errorf("service at locations %v %d %+v", err, n, sals)
		}
		one, err := db.ServiceAtLocationByID(ctx, sals[1].ID)
		if err != nil || one.Service.ID != f.bootham.ID {
			t.Errorf("ServiceAtLocationByID: %v %+v", err, one)
		}
	})
}

// Practices that exist before the directory get their entries from the
// migration, with UUIDs the feed can publish; a later Practice of the same
// organisation joins the same directory organisation.
func TestUpgradeListsExistingPracticesInTheDirectory(t *testing.T) {
	storetest.ForEachEmpty(t, func(t *testing.T, url string) {
		ctx := t.Context()
		db := openAtVersion(t, url, "0034")
		at := time.Date(2026, 8, 1, 9, 0, 0, 0, time.UTC)
		for _, q := range []string{
			`INSERT INTO organisations (slug, name, created_at, updated_at) VALUES ('org', 'Old Organisation', $1, $1)`,
			`INSERT INTO practices (organisation_id, slug, name, created_at, updated_at)
				VALUES ((SELECT id FROM organisations WHERE slug = 'org'), 'old', 'Old Practice', $1, $1)`,
			`INSERT INTO practice_local_authorities (practice_id, la_code) SELECT id, 'E06000001' FROM practices WHERE slug = 'old' AND created_at = $1`,
		} {
			if err := db.Exec(ctx, q, at); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		ss, total, err := db.ListServices(ctx, directory.Query{Page: 1, PerPage: 10})
		if err != nil || total != 1 {
			t.Fatalf("%v, %d services", err, total)
		}
		s := ss[0]
		if s.Name != "Old Practice" || !directory.ValidID(s.ID) || !directory.ValidID(s.OrganisationID) || s.Status != directory.StatusActive ||
			!slices.Equal(s.ServiceAreas, []string{"E06000001"}) || s.LastModified.IsZero() || !slices.Equal(s.Terms, []string{directory.PausePracticeTerm}) {
			t.Errorf("migrated entry %+v", s)
		}
		old, err := db.PracticeBySlug(ctx, "old")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CreatePractice(ctx, access.Practice{OrganisationID: old.OrganisationID, Slug: "new", Name: "New Practice", LocalAuthorities: []string{"E06000002"}}); err != nil {
			t.Fatal(err)
		}
		orgs, n, err := db.ListDirOrganisations(ctx, directory.Query{Page: 1, PerPage: 10})
		if err != nil || n != 1 || orgs[0].Name != "Old Organisation" {
			t.Errorf("organisations: %v %d %+v", err, n, orgs)
		}
		ss, total, err = db.ListServices(ctx, directory.Query{Page: 1, PerPage: 10})
		if err != nil || total != 2 || ss[1].OrganisationID != s.OrganisationID {
			t.Errorf("after a new Practice: %v %d %+v", err, total, ss)
		}
	})
}

// Practices loaded in bulk get their entries from LinkPracticeEntries, once.
func TestLinkPracticeEntriesAfterABulkLoad(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		at := time.Date(2026, 8, 1, 9, 0, 0, 0, time.UTC)
		load := func(table string, columns []string, rows ...[]any) {
			t.Helper()
			i := 0
			if _, err := db.BulkInsert(ctx, table, columns, func() ([]any, bool, error) {
				if i == len(rows) {
					return nil, false, nil
				}
				i++
				return rows[i-1], true, nil
			}); err != nil {
				t.Fatal(err)
			}
		}
		load("organisations", []string{"id", "slug", "name", "version", "created_at", "updated_at"}, []any{int64(1), "bulk", "Bulk Organisation", int64(1), at, at})
		load("practices", []string{"id", "organisation_id", "slug", "name", "version", "created_at", "updated_at", "engagement_weeks", "programme_months", "caseload_cap"},
			[]any{int64(1), int64(1), "one", "Bulk One", int64(1), at, at, int64(16), int64(18), int64(8)},
			[]any{int64(2), int64(1), "two", "Bulk Two", int64(1), at, at, int64(16), int64(18), int64(8)})
		load("practice_local_authorities", []string{"practice_id", "la_code"}, []any{int64(2), "E06000003"})
		for _, want := range []int{2, 0} {
			n, err := db.LinkPracticeEntries(ctx)
			if err != nil || n != want {
				t.Fatalf("LinkPracticeEntries: %d, %v; want %d", n, err, want)
			}
		}
		ss, total, err := db.ListServices(ctx, directory.Query{Page: 1, PerPage: 10, Near: &directory.Place{LACode: "E06000003"}})
		if err != nil || total != 1 || ss[0].Name != "Bulk Two" {
			t.Errorf("covering E06000003: %v %d %v", err, total, names(ss))
		}
		orgs, n, err := db.ListDirOrganisations(ctx, directory.Query{Page: 1, PerPage: 10})
		if err != nil || n != 1 || orgs[0].Name != "Bulk Organisation" {
			t.Errorf("organisations: %v %d %+v", err, n, orgs)
		}
	})
}

// The directory is read from a snapshot in memory (directory_cache.go): it
// must never show an entry as it was. A change this process makes shows at
// once, even at the same instant as the last (a test's fixed clock); one
// another Haven process makes on the same database shows within a second.
func TestDirectorySnapshotIsCurrent(t *testing.T) {
	for _, backend := range []string{"sqlite", "postgres"} {
		t.Run(backend, func(t *testing.T) {
			ctx := t.Context()
			u := storetest.PostgresURL(t)
			if backend == "sqlite" {
				u = "sqlite:" + filepath.Join(t.TempDir(), "haven.db")
			}
			open := func() *store.DB {
				db, err := store.Open(ctx, u)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				if _, err := db.Migrate(ctx); err != nil {
					t.Fatal(err)
				}
				return db
			}
			a, b := open(), open()
			fixed := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
			a.SetClock(func() time.Time { return fixed })
			f := seedDirectory(t, a)
			name := func(db *store.DB, id string) string {
				t.Helper()
				s, err := db.Service(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				return s.Name
			}
			if got := name(a, f.aire.ID); got != "Aire Valley Service" {
				t.Fatalf("read back %q", got)
			}
			// This process, at the same instant.
			up := f.aire
			up.Name = "Aire Valley Support"
			if _, err := a.UpdateService(ctx, up, "test"); err != nil {
				t.Fatal(err)
			}
			if got := name(a, f.aire.ID); got != up.Name {
				t.Errorf("after this process's change: %q, want %q", got, up.Name)
			}
			if ss, _, err := a.ListServices(ctx, directory.Query{Search: "support", Page: 1, PerPage: 10}); err != nil || len(ss) != 1 || ss[0].ID != f.aire.ID {
				t.Errorf("search for the new name: %v (%v)", ss, err)
			}
			// Another process: a new service, a change, a new organisation.
			if got := name(b, f.aire.ID); got != up.Name {
				t.Errorf("the other process reads %q", got)
			}
			up, err := b.Service(ctx, f.aire.ID)
			if err != nil {
				t.Fatal(err)
			}
			up.Name = "Aire Valley Parents' Support"
			if _, err := b.UpdateService(ctx, up, "test"); err != nil {
				t.Fatal(err)
			}
			time.Sleep(1100 * time.Millisecond)
			if got := name(a, f.aire.ID); got != up.Name {
				t.Errorf("after another process's change: %q, want %q", got, up.Name)
			}
			org, err := b.CreateDirOrganisation(ctx, directory.Organisation{Name: "Wharfe Trust (fictional)", Description: "A fictional charity."})
			if err != nil {
				t.Fatal(err)
			}
			s, err := b.CreateService(ctx, directory.Service{OrganisationID: org.ID, Entry: directory.Entry{Name: "Wharfe Project", Description: "New.",
				Status: directory.StatusActive, HowToRefer: "Ring us.", ServiceAreas: []string{"E08000035"}}}, "test")
			if err != nil {
				t.Fatal(err)
			}
			time.Sleep(1100 * time.Millisecond)
			if got := name(a, s.ID); got != "Wharfe Project" {
				t.Errorf("another process's new service reads as %q", got)
			}
			if o, err := a.DirOrganisation(ctx, org.ID); err != nil || o.Name != org.Name {
				t.Errorf("another process's new organisation: %+v (%v)", o, err)
			}
			// A caller's changes to what it was given never reach the snapshot.
			got, _ := a.Service(ctx, s.ID)
			got.ServiceAreas[0], got.Name = "E06000001", "changed"
			if again, _ := a.Service(ctx, s.ID); again.ServiceAreas[0] != "E08000035" || again.Name != "Wharfe Project" {
				t.Errorf("a caller's change reached the snapshot: %+v", again.Entry)
			}
		})
	}
}
