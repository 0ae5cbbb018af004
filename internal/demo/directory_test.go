package demo_test

import (
	"strings"
	"testing"
	"time"

	"haven/internal/access"
	"haven/internal/demo"
	"haven/internal/directory"
	"haven/internal/store/storetest"
)

// Issue 20: the demo directory is a believable national spread of fictional
// services, with gaps, every entry valid and marked fictional, and fixed ids.
func TestDemoDirectory(t *testing.T) {
	db := storetest.SQLite(t)
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	o := cheap
	o.Now = now
	if _, err := demo.Seed(t.Context(), db, o); err != nil {
		t.Fatal(err)
	}
	ss, total, err := db.ListServices(t.Context(), directory.Query{Page: 1, PerPage: directory.MaxPerPage})
	if err != nil {
		t.Fatal(err)
	}
	if total != 53 || len(ss) != 53 {
		t.Fatalf("%d services (%d read), want 50 fictional services and the 3 demo Practices", total, len(ss))
	}
	covered, regions, stale, statuses, models, practices := map[string]bool{}, map[string]bool{}, 0, map[directory.Status]int{}, map[string]int{}, 0
	known := func(code string) bool { _, ok := access.LocalAuthorityByCode(code); return ok }
	for _, s := range ss {
		if s.PracticeID != 0 {
			practices++
			if !strings.HasSuffix(s.Name, "(demo)") {
				t.Errorf("Practice entry %q is not marked demo", s.Name)
			}
		} else {
			if !strings.Contains(s.Name, "(fictional)") {
				t.Errorf("%q does not say it is fictional", s.Name)
			}
			org, err := db.DirOrganisation(t.Context(), s.OrganisationID)
			if err != nil || !strings.Contains(org.Name, "(fictional)") {
				t.Errorf("%q's organisation %q (%v) does not say it is fictional", s.Name, org.Name, err)
			}
			if ps := s.Check(known); len(ps) > 0 {
				t.Errorf("%q fails the entry checks: %v", s.Name, ps)
			}
			if !directory.ValidID(s.ID) {
				t.Errorf("%q has id %q", s.Name, s.ID)
			}
		}
		for _, code := range s.ServiceAreas {
			covered[code] = true
			la, _ := access.LocalAuthorityByCode(code)
			regions[la.RegionCode] = true
		}
		if directory.Stale(s.LastVerified, now) {
			stale++
		}
		statuses[s.Status]++
		for _, id := range s.Terms {
			if tm, tax, _ := directory.TermByID(id); tax.Name == "Service model" {
				models[tm.Code]++
			}
		}
	}
	if practices != 3 {
		t.Errorf("%d Practice entries, want the 3 demo Practices", practices)
	}
	if len(covered) < 45 || 153-len(covered) < 90 {
		t.Errorf("%d authorities covered: want a spread of at least 45, leaving at least 90 gaps", len(covered))
	}
	if len(regions) != 9 {
		t.Errorf("services in %d of England's 9 regions, want all", len(regions))
	}
	if stale == 0 || stale > total/2 {
		t.Errorf("%d entries overdue for verification: want some, but not most", stale)
	}
	for _, st := range directory.Statuses {
		if st != directory.StatusDefunct && statuses[st] == 0 {
			t.Errorf("no demo service is %q", st)
		}
	}
	if models["pause-practice"] < 10 || models["fdac"] < 5 || models["locally-developed"] < 10 {
		t.Errorf("models %v: want a mix", models)
	}
	// The same ids on every demo, so the feed's ids do not change.
	again := storetest.SQLite(t)
	if _, err := demo.Seed(t.Context(), again, o); err != nil {
		t.Fatal(err)
	}
	for _, s := range ss {
		if s.PracticeID != 0 {
			continue
		}
		if _, err := again.Service(t.Context(), s.ID); err != nil {
			t.Errorf("%q's id differs between two demos: %v", s.Name, err)
		}
	}
}
