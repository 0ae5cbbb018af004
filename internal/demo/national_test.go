package demo_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"haven/internal/access"
	"haven/internal/auth"
	"haven/internal/contact"
	"haven/internal/demo"
	"haven/internal/directory"
	"haven/internal/evaluate"
	"haven/internal/haven"
	"haven/internal/programme"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

func working(p programme.Phase) bool {
	return p == programme.PhaseEngaging || p == programme.PhaseStarted || p == programme.PhaseActive
}

// The full plan is worked out without a database, so its shape is checked at full scale.
func TestNationalPlanShape(t *testing.T) {
	sc := demo.NationalScale()
	plan, err := demo.NationalPlan(demo.DefaultSeed)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Staff) != 400 || len(plan.Practitioners()) != 320 {
		t.Fatalf("%d staff, %d practitioners; want 400 and 320", len(plan.Staff), len(plan.Practitioners()))
	}
	if len(plan.Password) < 12 || auth.PasswordProblem(plan.Password) != "" {
		t.Errorf("national password %q breaks Haven's password rules", plan.Password)
	}
	emails, secrets, refs := map[string]bool{}, map[string]bool{}, map[string]bool{}
	heavy := map[int64]int{}
	sessions, goals := 0, 0
	for _, s := range plan.Staff {
		if !strings.HasSuffix(s.Email, ".invalid") || emails[s.Email] {
			t.Errorf("email %q is not unique on a .invalid domain", s.Email)
		}
		if len(s.TOTPSecret) != 32 || secrets[s.TOTPSecret] {
			t.Errorf("TOTP secret %q is not a unique 160-bit key", s.TOTPSecret)
		}
		emails[s.Email], secrets[s.TOTPSecret] = true, true
		caseload := 0
		for _, p := range s.People {
			if refs[p.Ref] || len(p.Ref) != 12 {
				t.Errorf("ref %q is not unique, or not 12 characters", p.Ref)
			}
			refs[p.Ref] = true
			if working(p.Phase) {
				caseload++
			}
			if p.Heavy() {
				heavy[s.PracticeID]++
				if p.Phase != programme.PhaseActive {
					t.Errorf("heavy woman %s is %s, not active", p.Ref, p.Phase)
				}
			}
			sessions += p.Sessions
			goals += len(p.GoalIDs)
		}
		if s.Role == access.RolePractitioner && (caseload < 6 || caseload > 8) {
			t.Errorf("practitioner %s has %d women in the working phases, want 6 to 8", s.Email, caseload)
		}
		if s.Role != access.RolePractitioner && len(s.People) > 0 {
			t.Errorf("%s %s has women allocated", s.Role, s.Email)
		}
	}
	if len(heavy) != sc.Practices {
		t.Errorf("heavy women in %d Practices, want all %d", len(heavy), sc.Practices)
	}
	for id, n := range heavy {
		if n != sc.HeavyPerPractice {
			t.Errorf("Practice %d has %d heavy women, want %d", id, n, sc.HeavyPerPractice)
		}
	}
	// Every session and goal belongs to an allocated woman; the women waiting for allocation have none.
	if sessions != sc.Sessions || goals != sc.Goals {
		t.Errorf("plan covers %d sessions and %d goals, want %d and %d", sessions, goals, sc.Sessions, sc.Goals)
	}
	if len(refs) < sc.Women*9/10 || len(refs) >= sc.Women {
		t.Errorf("%d women allocated of %d", len(refs), sc.Women)
	}

	again, _ := demo.NationalPlan(demo.DefaultSeed)
	other, _ := demo.NationalPlan(demo.DefaultSeed + 1)
	if !slices.EqualFunc(plan.Staff, again.Staff, sameStaff) {
		t.Error("the same seed gave a different plan")
	}
	if slices.EqualFunc(plan.Staff, other.Staff, sameStaff) || plan.Password == other.Password {
		t.Error("another seed gave the same plan")
	}
}

func sameStaff(a, b demo.StaffPlan) bool {
	return a.Email == b.Email && a.TOTPSecret == b.TOTPSecret && slices.EqualFunc(a.People, b.People, func(x, y demo.PersonPlan) bool {
		return x.ID == y.ID && x.Ref == y.Ref && x.Phase == y.Phase && x.Sessions == y.Sessions && slices.Equal(x.GoalIDs, y.GoalIDs)
	})
}

// pinnedSmallHash is the small scale's hash for DefaultSeed. Load-test
// figures are compared across runs, so the data must not change by
// accident; when the generator changes on purpose, update it here and give
// the new full-scale hash in the commit message. (Full scale, DefaultSeed,
// with children and contact, care-experienced as an answer, and since issue
// 17 pregnancies, outcome measures, need domains, early exits' categories and
// proceedings shaped for
// recurrence:
// d4d3151444d01794ecb14b80254db9639a2581e564031a7acd64d2cd4d1318f8.)
const pinnedSmallHash = "888b369cf5613019d66386bb6111bcf05442be0a5da0b71398728e2148a79730"

func TestNationalHash(t *testing.T) {
	if h, err := demo.NationalHash(demo.DefaultSeed, demo.SmallScale()); err != nil || h != pinnedSmallHash {
		t.Errorf("small national data set hash %s (%v), pinned %s: did the generator change?", h, err, pinnedSmallHash)
	}
	a, err := demo.NationalHash(7, demo.SmallScale())
	if err != nil {
		t.Fatal(err)
	}
	b, _ := demo.NationalHash(7, demo.SmallScale())
	c, _ := demo.NationalHash(8, demo.SmallScale())
	if a != b || a == c || len(a) != 64 {
		t.Errorf("hashes %s, %s (same seed), %s (another seed)", a, b, c)
	}
	for name, change := range map[string]func(*demo.Scale){
		"too few women":     func(s *demo.Scale) { s.Women = 10 },
		"too many sessions": func(s *demo.Scale) { s.Sessions = s.Women * demo.HeavySessions },
		"too few sessions":  func(s *demo.Scale) { s.Sessions = 100 },
		"no organisations":  func(s *demo.Scale) { s.Organisations = 0 },
	} {
		bad := demo.SmallScale()
		change(&bad)
		if _, err := demo.NationalHash(7, bad); err == nil {
			t.Errorf("%s: the scale was accepted", name)
		}
	}
}

func TestLoadNationalSmall(t *testing.T) {
	sc := demo.SmallScale()
	want, err := demo.NationalHash(demo.DefaultSeed, sc)
	if err != nil {
		t.Fatal(err)
	}
	opts := demo.NationalOptions{Scale: sc, Hasher: cheap.Hasher}
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		res, err := demo.LoadNational(ctx, db, opts)
		if err != nil {
			t.Fatal(err)
		}
		if res.Hash != want {
			t.Errorf("load hash %s, want %s as worked out without a database", res.Hash, want)
		}
		today := res.Plan.AsOf
		staff := int64(sc.Practices * (sc.PractitionersPerPractice + 2))
		counts := map[string]int64{"organisations": int64(sc.Organisations), "practices": int64(sc.Practices),
			"practice_local_authorities": int64(sc.LocalAuthorities), "users": staff, "memberships": staff,
			"people": int64(sc.Women), "enrolments": int64(sc.Enrolments), "support_sessions": int64(sc.Sessions), "goals": int64(sc.Goals),
			"children": int64(sc.Children), "proceedings": int64(sc.Proceedings), "proceedings_children": int64(sc.Children),
			"contact_arrangements": int64(sc.Arrangements), "contact_changes": int64(sc.Changes)}
		for _, r := range res.Rows {
			got, err := db.BulkRows(ctx, r.Table)
			if err != nil || got != r.Rows {
				t.Errorf("%s: reported %d rows, holds %d (%v)", r.Table, r.Rows, got, err)
			}
			if w, ok := counts[r.Table]; ok && got != w {
				t.Errorf("%s: %d rows, want %d", r.Table, got, w)
			}
			if got == 0 {
				t.Errorf("%s is empty", r.Table)
			}
		}
		// Each Practice is in the directory, from its own settings, beside
		// the fictional services, spread over England with gaps (issue 20).
		var entries []directory.Service
		for pg := 1; ; pg++ {
			ss, total, err := db.ListServices(ctx, directory.Query{Page: pg, PerPage: directory.MaxPerPage})
			if err != nil {
				t.Fatal(err)
			}
			entries = append(entries, ss...)
			if pg*directory.MaxPerPage >= total {
				break
			}
		}
		practiceEntries := 0
		for _, s := range entries {
			if s.PracticeID != 0 {
				practiceEntries++
			}
		}
		if len(entries) != sc.Services || practiceEntries != sc.Practices {
			t.Errorf("%d directory entries, %d of them Practices'; want %d with one for each of the %d Practices", len(entries), practiceEntries, sc.Services, sc.Practices)
		}
		demo.CheckDirectorySpread(t, entries, today.Time())
		if sal, n, err := db.ListServiceAtLocations(ctx, directory.Query{Page: 1, PerPage: 1}); err != nil || len(sal) != 1 || n < sc.Services/2 {
			t.Errorf("%d services at locations (%v)", n, err)
		}
		events, err := db.SearchAudit(ctx, store.AuditFilter{})
		if err != nil || len(events) != 1 || events[0].RecordType != "bulk-load" || !strings.Contains(events[0].Section, res.Hash) {
			t.Errorf("audit after the load: %+v, %v; want one bulk-load event", events, err)
		}

		// Every practitioner signs in with the plan's details and sees exactly her women.
		for _, s := range res.Plan.Practitioners() {
			acct, err := db.AccountByEmail(ctx, s.Email)
			if err != nil {
				t.Fatal(err)
			}
			if ok, _ := auth.CheckPassword(acct.PasswordHash, res.Plan.Password); !ok || !acct.MFAEnrolled || acct.TOTPSecret != s.TOTPSecret {
				t.Errorf("%s cannot sign in with the plan's details", s.Email)
			}
			actor, err := db.Actor(ctx, s.UserID)
			if err != nil {
				t.Fatal(err)
			}
			people, err := db.PeopleFor(ctx, actor, store.Page{Limit: 500})
			if err != nil {
				t.Fatal(err)
			}
			var got, wantRefs []string
			for _, p := range people {
				got = append(got, p.Ref)
			}
			for _, p := range s.People {
				wantRefs = append(wantRefs, p.Ref)
			}
			if !slices.Equal(got, wantRefs) {
				t.Errorf("%s sees %v, plan says %v", s.Email, got, wantRefs)
			}
			if n, err := db.Caseload(ctx, s.UserID); err != nil || n < 6 || n > 8 {
				t.Errorf("%s has a caseload of %d (%v), want 6 to 8", s.Email, n, err)
			}
			if tasks, err := db.TasksFor(ctx, actor, today); err != nil || len(tasks) == 0 {
				t.Errorf("%s has no tasks (%v)", s.Email, err)
			}
			for _, p := range s.People {
				// Her contact record reads back through the contact pages' store functions, and passes their rules.
				rec, err := db.Contact(ctx, p.ID)
				if err != nil {
					t.Fatal(err)
				}
				if len(rec.Children) == 0 || len(rec.Proceedings) == 0 {
					t.Errorf("%s has %d children and %d sets of proceedings", p.Ref, len(rec.Children), len(rec.Proceedings))
				}
				checkContact(t, p.Ref, rec, today)
				if !p.Heavy() {
					continue
				}
				if len(rec.Arrangements) == 0 || len(rec.Changes) == 0 || len(rec.Sessions) == 0 || len(rec.Letterbox) == 0 {
					t.Errorf("heavy woman %s has %d arrangements, %d changes, %d contact sessions and %d letters; want some of each",
						p.Ref, len(rec.Arrangements), len(rec.Changes), len(rec.Sessions), len(rec.Letterbox))
				}
				sessions, err := db.SupportSessions(ctx, p.ID)
				if err != nil || len(sessions) != demo.HeavySessions {
					t.Errorf("heavy woman %s has %d sessions (%v)", p.Ref, len(sessions), err)
				}
				goals, err := db.Goals(ctx, p.ID, true)
				var ids []int64
				for _, g := range goals {
					ids = append(ids, g.ID)
				}
				if err != nil || !slices.Equal(ids, p.GoalIDs) {
					t.Errorf("heavy woman %s has goals %v, plan says %v (%v)", p.Ref, ids, p.GoalIDs, err)
				}
			}
		}
		lead := res.Plan.Staff[0]
		actor, err := db.Actor(ctx, lead.UserID)
		if err != nil || lead.Role != access.RolePracticeLead {
			t.Fatalf("first account %+v is not a lead (%v)", lead, err)
		}
		queue, err := db.TriageQueue(ctx, actor)
		if err != nil || len(queue) < sc.TriagePerPractice {
			t.Errorf("the lead's triage queue has %d referrals (%v)", len(queue), err)
		}
		ov, err := db.Overview(ctx, store.Tenant{Kind: access.TenantPractice, ID: lead.PracticeID, Slug: lead.Practice}, today)
		if err != nil || len(ov.Caseloads) != sc.PractitionersPerPractice || ov.Phases[programme.PhaseClosed] == 0 {
			t.Errorf("overview %+v (%v)", ov, err)
		}

		report, err := db.ContactReport(ctx, []int64{lead.PracticeID}, haven.NewDate(today.Time().Year()-1, 1, 1), today)
		if err != nil || report.Women == 0 || report.WomenChanged.Num == 0 || report.ChangesNoReason.Num == 0 ||
			report.ChangesNoReason.Num == report.ChangesNoReason.Den || report.LetterboxReviewed.Den == 0 || report.DirectAtStart.Den == 0 {
			t.Errorf("the lead's contact report %+v (%v)", report, err)
		}

		// The evaluation reads the loaded data: both metrics have women met,
		// not met and too recent to judge, and measures read back scored.
		var practiceIDs []int64
		for _, s := range res.Plan.Staff {
			if s.Role == access.RolePracticeLead {
				practiceIDs = append(practiceIDs, s.PracticeID)
			}
		}
		journeys, err := db.Journeys(ctx, practiceIDs)
		if err != nil || len(journeys) != sc.Enrolments {
			t.Fatalf("%d journeys (%v), want %d", len(journeys), err, sc.Enrolments)
		}
		for _, m := range evaluate.Metrics {
			count := map[evaluate.Verdict]int{}
			for _, j := range journeys {
				v, _ := m.Judge(j, today)
				count[v]++
			}
			if count[evaluate.Met] == 0 || count[evaluate.NotMet] == 0 || count[evaluate.TooRecent] == 0 {
				t.Errorf("%s over the loaded data: %v", m.Key, count)
			}
		}
		for _, s := range res.Plan.Practitioners()[:1] {
			for _, p := range s.People {
				ms, err := db.Measures(ctx, p.ID)
				if err != nil {
					t.Fatal(err)
				}
				if working(p.Phase) && p.Phase != programme.PhaseEngaging && len(ms) == 0 {
					t.Errorf("%s (%s) has no measures", p.Ref, p.Phase)
				}
			}
		}

		if _, err := demo.LoadNational(ctx, db, opts); !errors.Is(err, demo.ErrHasData) {
			t.Errorf("a second load into the same database: %v, want ErrHasData", err)
		}
		// The same seed into another fresh database gives the same hash.
		fresh := storetest.SQLite(t)
		if db.Dialect() == "postgres" {
			fresh = storetest.Postgres(t)
		}
		again, err := demo.LoadNational(ctx, fresh, opts)
		if err != nil || again.Hash != res.Hash {
			t.Errorf("second load: hash %s, %v; want %s", again.Hash, err, res.Hash)
		}
	})
}

// checkContact applies the contact rules a practitioner's input meets to a
// record read back from the database.
func checkContact(t *testing.T, ref string, rec store.ContactRecord, today haven.Date) {
	t.Helper()
	var errs []error
	for _, c := range rec.Children {
		errs = append(errs, c.Validate(today))
	}
	for _, p := range rec.Proceedings {
		errs = append(errs, p.Validate(today, rec.Children))
	}
	starts := map[int64]haven.Date{}
	dated := map[int64]contact.Dated{}
	for _, a := range rec.Arrangements {
		errs = append(errs, a.Validate(today))
		starts[a.ID] = a.StartOn
		on := contact.Dated{Arrangement: a}
		for _, ch := range rec.Children {
			if ch.ID == a.ChildID {
				on.Child = ch
			}
		}
		dated[a.ID] = on
	}
	for _, c := range rec.Changes {
		errs = append(errs, c.Validate(today, dated[c.ArrangementID]))
		if start, ok := starts[c.ArrangementID]; !ok || c.EffectiveOn.Before(start) {
			t.Errorf("%s: change %d takes effect on %s, before its arrangement started on %s", ref, c.ID, c.EffectiveOn, start)
		}
		for _, e := range c.Explanations {
			on := dated[c.ArrangementID]
			on.EffectiveOn = c.EffectiveOn
			errs = append(errs, e.Validate(today, on))
		}
	}
	for _, s := range rec.Sessions {
		errs = append(errs, s.Validate(today))
	}
	for _, x := range rec.Letterbox {
		errs = append(errs, x.Validate(today))
	}
	for _, err := range errs {
		if e, ok := errors.AsType[*haven.Error](err); ok {
			t.Errorf("%s: contact record breaks the rules: %v", ref, e.Fields)
		} else if err != nil {
			t.Errorf("%s: %v", ref, err)
		}
	}
}
