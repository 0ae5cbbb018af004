package demo

import (
	"slices"
	"strings"
	"testing"
	"time"

	"haven/internal/access"
	"haven/internal/directory"
)

// Issue 20 item 7: the national directory's fictional services, at full
// scale, are a believable national spread with gaps, made from the seed.
func TestNationalDirectoryShape(t *testing.T) {
	sc := NationalScale()
	if sc.Services != 1000 {
		t.Fatalf("the national data set has %d directory services, want 1,000", sc.Services)
	}
	asOf := NationalAsOf()
	orgs, ss, err := nationalDirectory(DefaultSeed, sc.Services-sc.Practices, asOf)
	if err != nil {
		t.Fatal(err)
	}
	if len(ss) != sc.Services-sc.Practices {
		t.Fatalf("%d fictional services, want %d", len(ss), sc.Services-sc.Practices)
	}
	checkDirectorySpread(t, ss, asOf.Time())
	orgIDs := map[string]bool{}
	for _, o := range orgs {
		if !strings.HasSuffix(o.Name, "(fictional)") || orgIDs[o.ID] {
			t.Errorf("organisation %q (%s) is not marked fictional, or its id is repeated", o.Name, o.ID)
		}
		orgIDs[o.ID] = true
	}
	ids, phones := map[string]bool{}, map[string]bool{}
	for _, s := range ss {
		if !orgIDs[s.OrganisationID] {
			t.Errorf("%q's organisation %s is not among those made", s.Name, s.OrganisationID)
		}
		for _, id := range []string{s.ID, s.Phones[0].ID, s.Contacts[0].ID, s.Schedules[0].ID} {
			if ids[id] || !directory.ValidID(id) {
				t.Errorf("%q: id %q repeated or not a UUID", s.Name, id)
			}
			ids[id] = true
		}
		if phones[s.Phone] || !strings.HasPrefix(s.Phone, "01632 960") {
			t.Errorf("%q: phone %q repeated or not a drama number", s.Name, s.Phone)
		}
		phones[s.Phone] = true
		for _, l := range s.Locations {
			d, ok := access.LookupPostcodeDistrict(l.Postcode)
			if !ok || d.District != l.Postcode || d.Latitude != l.Latitude || d.Longitude != l.Longitude || !slices.Contains(s.ServiceAreas, d.LACode) {
				t.Errorf("%q: location %s (%v, %v) is not its district's centroid in its own area", s.Name, l.Postcode, l.Latitude, l.Longitude)
			}
		}
	}
	// The same seed makes the same directory; another seed another.
	_, again, _ := nationalDirectory(DefaultSeed, sc.Services-sc.Practices, asOf)
	_, other, _ := nationalDirectory(DefaultSeed+1, sc.Services-sc.Practices, asOf)
	for i := range ss {
		if again[i].ID != ss[i].ID || again[i].Name != ss[i].Name || !slices.Equal(again[i].ServiceAreas, ss[i].ServiceAreas) {
			t.Fatalf("service %d differs between two runs with one seed: %q, %q", i, ss[i].Name, again[i].Name)
		}
	}
	if other[0].ID == ss[0].ID {
		t.Error("another seed gives the same ids")
	}
}

// checkDirectorySpread is the national directory's shape: every service
// fictional and valid; some authorities with several, many with none, in
// every region; the models, statuses and verification dates mixed.
func checkDirectorySpread(t *testing.T, ss []directory.Service, today time.Time) {
	t.Helper()
	known := func(code string) bool { _, ok := access.LocalAuthorityByCode(code); return ok }
	perLA, regions := map[string]int{}, map[string]bool{}
	statuses, models, stale, located := map[directory.Status]int{}, map[string]int{}, 0, 0
	for _, s := range ss {
		if s.PracticeID != 0 {
			continue
		}
		if !strings.HasSuffix(s.Name, "(fictional)") {
			t.Errorf("%q does not say it is fictional", s.Name)
		}
		if ps := s.Check(known); len(ps) > 0 {
			t.Errorf("%q fails the entry checks: %v", s.Name, ps)
		}
		for _, code := range s.ServiceAreas {
			perLA[code]++
			la, _ := access.LocalAuthorityByCode(code)
			regions[la.RegionCode] = true
		}
		statuses[s.Status]++
		for _, id := range s.Terms {
			if tm, tax, _ := directory.TermByID(id); tax.Name == "Service model" {
				models[tm.Code]++
			}
		}
		if directory.Stale(s.LastVerified, today) {
			stale++
		}
		if len(s.Locations) > 0 {
			located++
		}
	}
	n := len(ss)
	several := 0
	for _, c := range perLA {
		if c >= 3 {
			several++
		}
	}
	all := len(access.LocalAuthorities())
	if len(perLA) < all/2 || all-len(perLA) < all/4 || several < 3 {
		t.Errorf("%d of %d authorities covered, %d with 3 or more: want over half covered, a quarter with none and some with several", len(perLA), all, several)
	}
	if len(regions) != 9 {
		t.Errorf("services in %d of England's 9 regions", len(regions))
	}
	if a := statuses[directory.StatusActive]; a < n*2/3 || a == n {
		t.Errorf("%d of %d active: want most, not all", a, n)
	}
	for _, st := range directory.Statuses {
		if statuses[st] == 0 {
			t.Errorf("no service is %q: %v", st, statuses)
		}
	}
	if models["locally-developed"] <= models["pause-practice"] || models["pause-practice"] <= models["fdac"] || models["fdac"] < n/10 {
		t.Errorf("models %v: want locally developed ahead of Pause, Pause ahead of FDAC, and at least a tenth FDAC", models)
	}
	if stale < n/10 || stale > n/2 {
		t.Errorf("%d of %d not verified for 12 months: want some, not most", stale, n)
	}
	if located < n*3/4 || located == n {
		t.Errorf("%d of %d have a location: want most, not all", located, n)
	}
}
