package store_test

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/measure"
	"haven/internal/programme"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// needsAt is a complete reading at a point: every domain the given status,
// with change c at points after baseline.
func needsAt(p measure.Point, on haven.Date, st measure.NeedStatus, c measure.Change) measure.Needs {
	n := measure.Needs{Point: p, AssessedOn: on, StableHousing: measure.Yes, PaidWork: measure.No, ChildContact: measure.FactNotKnown}
	for i, d := range measure.NeedDomains {
		n.Readings[i] = measure.NeedReading{Domain: d, Status: st, Change: c}
	}
	return n
}

func invalidFields(t *testing.T, err error) map[string]string {
	t.Helper()
	he, ok := errors.AsType[*haven.Error](err)
	if !ok || he.Kind != haven.KindInvalid {
		t.Fatalf("want an invalid-input error, got %v", err)
	}
	return he.Fields
}

// Issue 17 item 2: one reading per woman per domain per point; the change
// rule (refused at baseline, required later when both readings are known);
// re-recording replaces, with a version check; every save audited.
func TestNeedsReadings(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		db.SetClock(func() time.Time { return time.Date(2027, 2, 10, 10, 0, 0, 0, time.UTC) })
		today := haven.NewDate(2027, 2, 10)
		s := seedStaff(t, db)
		by := s.pracA.User.ID
		ev := audit.Event{UserID: by}
		p, err := db.CreatePerson(ctx, audit.Event{}, s.leadA, programme.Person{PracticeID: s.practiceA, PractitionerID: by, FirstName: "Ash", LastName: "Needs"})
		if err != nil {
			t.Fatal(err)
		}
		stored := func() []measure.Needs {
			t.Helper()
			ns, err := db.Needs(ctx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			return ns
		}

		// Refused, and nothing stored.
		base := needsAt(measure.Baseline, haven.NewDate(2026, 9, 10), measure.Need, "")
		base.Readings[0].Change = measure.Improved
		base.Readings[2].Status = ""
		base.PaidWork = ""
		f := invalidFields(t, db.SaveNeeds(ctx, ev, p.ID, base, by, today))
		for field, want := range map[string]string{
			"substance-use-change": "at baseline: there is no earlier reading",
			"mental-health":        "Choose need, no need or not known for mental health",
			"paidWork":             "Choose whether she is in paid work",
		} {
			if !strings.Contains(f[field], want) {
				t.Errorf("field %s: %q, want %q", field, f[field], want)
			}
		}
		future := needsAt(measure.Baseline, haven.NewDate(2027, 3, 1), measure.Need, "")
		if f := invalidFields(t, db.SaveNeeds(ctx, ev, p.ID, future, by, today)); !strings.Contains(f["assessedOn"], "today or in the past") {
			t.Errorf("a date in the future: %v", f)
		}
		if n := len(stored()); n != 0 {
			t.Fatalf("refused readings stored %d points", n)
		}

		// Baseline: housing not known, the rest need.
		base = needsAt(measure.Baseline, haven.NewDate(2026, 9, 10), measure.Need, "")
		base.Readings[3].Status = measure.NeedNotKnown
		if err := db.SaveNeeds(ctx, ev, p.ID, base, by, today); err != nil {
			t.Fatal(err)
		}
		// 6 months with no change given: required wherever both readings are
		// known, so for every domain but housing.
		six := needsAt(measure.Month6, haven.NewDate(2027, 2, 1), measure.NoNeed, "")
		f = invalidFields(t, db.SaveNeeds(ctx, ev, p.ID, six, by, today))
		if len(f) != 6 || f[measure.ChangeField(measure.NeedHousing)] != "" ||
			f["substance-use-change"] != "Choose whether substance use has improved, stayed stable or got worse since her reading at baseline (need)" {
			t.Errorf("6 months without changes: %v", f)
		}
		six = needsAt(measure.Month6, haven.NewDate(2027, 2, 1), measure.NoNeed, measure.Improved)
		six.Readings[3].Change = ""
		if err := db.SaveNeeds(ctx, ev, p.ID, six, by, today); err != nil {
			t.Fatal(err)
		}
		// The same point again from a blank form: someone recorded it first.
		if err := db.SaveNeeds(ctx, ev, p.ID, six, by, today); !errors.Is(err, haven.ErrConflict) {
			t.Errorf("second first-recording of 6 months: %v, want a conflict", err)
		}
		got := stored()
		if len(got) != 2 || got[0].Point != measure.Baseline || got[1].Point != measure.Month6 || got[1].Version != 1 ||
			got[1].Reading(measure.NeedSubstanceUse) != (measure.NeedReading{Domain: measure.NeedSubstanceUse, Status: measure.NoNeed, Change: measure.Improved}) ||
			got[1].Reading(measure.NeedHousing).Change != "" || got[0].Reading(measure.NeedHousing).Status != measure.NeedNotKnown ||
			got[1].StableHousing != measure.Yes || got[1].PaidWork != measure.No || got[1].ChildContact != measure.FactNotKnown || got[1].By == "" {
			t.Fatalf("read back: %+v", got)
		}
		// Re-recording from version 1 replaces it; a second save from version 1 is stale.
		six.Version = 1
		six.Readings[1] = measure.NeedReading{Domain: measure.NeedDomesticAbuse, Status: measure.Need, Change: measure.Worse}
		six.PaidWork = measure.Yes
		if err := db.SaveNeeds(ctx, ev, p.ID, six, by, today); err != nil {
			t.Fatal(err)
		}
		if err := db.SaveNeeds(ctx, ev, p.ID, six, by, today); !errors.Is(err, haven.ErrConflict) {
			t.Errorf("stale version: %v, want a conflict", err)
		}
		got = stored()
		if len(got) != 2 || got[1].Version != 2 || got[1].PaidWork != measure.Yes ||
			got[1].Reading(measure.NeedDomesticAbuse) != (measure.NeedReading{Domain: measure.NeedDomesticAbuse, Status: measure.Need, Change: measure.Worse}) {
			t.Errorf("after re-recording: %+v", got)
		}
		// Three saves, each audited in the measures section.
		events, err := db.SearchAudit(ctx, store.AuditFilter{RecordType: "person", RecordID: strconv.FormatInt(p.ID, 10), Page: store.Page{Limit: 50}})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range events {
			if e.Section == store.SectionMeasures {
				n++
			}
		}
		if n != 3 {
			t.Errorf("%d audit events for her needs, want 3", n)
		}
	})
}

// Issue 17 item 3: the defaults, a Practice's own schedule, the registration
// gate, and due and overdue tasks on a fixed clock, for her allocated
// practitioner and the lead only.
//
// Worked by hand (measure.AddMonths keeps a date within the month it lands
// in): Ash started on 31 August 2026, so baseline was due 28 September 2026,
// 6 months is due on 28 February 2027 (not 3 March), 12 months on 31 August
// 2027 and 18 months on 29 February 2028. Today, 10 February 2027, 6 months
// has opened (from 31 January), so her missed baseline has lapsed, and 12
// months has not opened. Bea ended early on 31 January 2027, so her exit
// measures are due on 28 February 2027 and nothing else is. Cal has been
// engaging since 5 January 2027: baseline was due on 2 February, overdue.
func TestScheduleTasks(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		db.SetClock(func() time.Time { return time.Date(2027, 2, 10, 10, 0, 0, 0, time.UTC) })
		today := haven.NewDate(2027, 2, 10)
		s := seedStaff(t, db)
		by := s.pracA.User.ID
		ev := audit.Event{UserID: by}
		enrol := func(last string, steps ...any) programme.Person {
			t.Helper()
			p, err := db.CreatePerson(ctx, audit.Event{}, s.leadA, programme.Person{PracticeID: s.practiceA, PractitionerID: by, FirstName: "Ash", LastName: last})
			if err != nil {
				t.Fatal(err)
			}
			e, err := db.StartEnrolment(ctx, ev, p, steps[0].(haven.Date))
			if err != nil {
				t.Fatal(err)
			}
			for i := 1; i < len(steps); i += 2 {
				reason := ""
				if steps[i] == programme.PhaseEnded {
					reason = "She moved away"
				}
				if e, err = db.MoveEnrolment(ctx, ev, e, steps[i].(programme.Phase), steps[i+1].(haven.Date), reason, programme.ExitOther, by); err != nil {
					t.Fatal(err)
				}
			}
			return p
		}
		ash := enrol("Running", haven.NewDate(2026, 7, 1), programme.PhaseEngaging, haven.NewDate(2026, 7, 15), programme.PhaseStarted, haven.NewDate(2026, 8, 31))
		bea := enrol("Ended", haven.NewDate(2026, 1, 5), programme.PhaseEngaging, haven.NewDate(2026, 1, 10), programme.PhaseStarted, haven.NewDate(2026, 2, 1),
			programme.PhaseEnded, haven.NewDate(2027, 1, 31))
		cal := enrol("Engaging", haven.NewDate(2026, 12, 20), programme.PhaseEngaging, haven.NewDate(2027, 1, 5))
		// Cal has done her PHQ-9 and her needs at baseline. A GAD-7 from
		// before this referral does not count.
		for _, m := range []struct {
			id measure.ID
			on haven.Date
			as []measure.Answer
		}{{measure.PHQ9, haven.NewDate(2027, 1, 10), answers(0, 0, 0, 0, 0, 0, 0, 0, 0)}, {measure.GAD7, haven.NewDate(2026, 6, 1), answers(0, 0, 0, 0, 0, 0, 0)}} {
			r, err := measure.NewRecord(m.id, measure.Baseline, m.on, m.as, today)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.AddMeasure(ctx, ev, cal.ID, r, by); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.SaveNeeds(ctx, ev, cal.ID, needsAt(measure.Baseline, haven.NewDate(2027, 1, 10), measure.Need, ""), by, today); err != nil {
			t.Fatal(err)
		}
		type due struct{ who, text, on, link string }
		dueFor := func(actor *access.Actor) []due {
			t.Helper()
			tasks, err := db.TasksFor(ctx, actor, today)
			if err != nil {
				t.Fatal(err)
			}
			var out []due
			for _, tk := range tasks {
				if tk.Kind == programme.TaskMeasureDue {
					out = append(out, due{strings.TrimPrefix(tk.PersonName, "Ash "), tk.Text, tk.Due.String(), strings.TrimPrefix(tk.Link, "/people/"+tk.PersonRef)})
				}
			}
			slices.SortFunc(out, func(a, b due) int { return strings.Compare(a.who+a.on+a.link, b.who+b.on+b.link) })
			return out
		}
		want := []due{
			{"Ended", "GAD-7 at exit is due: complete it with her", "2027-02-28", "/measures/new/gad7?point=exit"},
			{"Ended", "Needs at exit are due: go through them with her", "2027-02-28", "/measures/needs/exit"},
			{"Ended", "ONS4 personal well-being at exit is due: complete it with her", "2027-02-28", "/measures/new/ons4?point=exit"},
			{"Ended", "PHQ-9 at exit is due: complete it with her", "2027-02-28", "/measures/new/phq9?point=exit"},
			{"Engaging", "GAD-7 at baseline is due: complete it with her", "2027-02-02", "/measures/new/gad7?point=baseline"},
			{"Engaging", "ONS4 personal well-being at baseline is due: complete it with her", "2027-02-02", "/measures/new/ons4?point=baseline"},
			{"Running", "GAD-7 at 6 months is due: complete it with her", "2027-02-28", "/measures/new/gad7?point=6-months"},
			{"Running", "Needs at 6 months are due: go through them with her", "2027-02-28", "/measures/needs/6-months"},
			{"Running", "ONS4 personal well-being at 6 months is due: complete it with her", "2027-02-28", "/measures/new/ons4?point=6-months"},
			{"Running", "PHQ-9 at 6 months is due: complete it with her", "2027-02-28", "/measures/new/phq9?point=6-months"},
		}
		slices.SortFunc(want, func(a, b due) int { return strings.Compare(a.who+a.on+a.link, b.who+b.on+b.link) })
		for name, actor := range map[string]*access.Actor{"lead": s.leadA, "allocated practitioner": s.pracA} {
			if got := dueFor(actor); !slices.Equal(got, want) {
				t.Errorf("%s, defaults:\n got %v\nwant %v", name, got, want)
			}
		}
		for name, actor := range map[string]*access.Actor{"co-ordinator": s.coordA, "other practitioner": s.prac2A, "other Practice": s.pracB} {
			if got := dueFor(actor); len(got) != 0 {
				t.Errorf("%s sees measures due: %v", name, got)
			}
		}
		_ = ash

		// The defaults until the Practice sets its own.
		def, err := db.Schedule(ctx, s.practiceA)
		if err != nil || def.Own || def.Version != 0 || !def.Has(measure.ScheduleItem(measure.PHQ9), measure.Month18) || def.Has(measure.ScheduleItem(measure.WEMWBS), measure.Baseline) {
			t.Fatalf("default schedule: %+v, %v", def, err)
		}
		// WEMWBS cannot be chosen before its registration.
		own := []measure.Slot{{Item: measure.NeedsItem, Point: measure.Exit}, {Item: measure.ScheduleItem(measure.ONS4), Point: measure.Month6},
			{Item: measure.ScheduleItem(measure.WEMWBS), Point: measure.Month6}}
		if f := invalidFields(t, db.SaveSchedule(ctx, ev, s.practiceA, own, 0, s.leadA.User.ID)); !strings.Contains(f["slot-wemwbs"], "registration") {
			t.Errorf("WEMWBS before registration: %v", f)
		}
		if f := invalidFields(t, db.SaveSchedule(ctx, ev, s.practiceA, []measure.Slot{{Item: measure.NeedsItem, Point: measure.FollowUp}}, 0, s.leadA.User.ID)); f["schedule"] == "" {
			t.Errorf("follow-up scheduled: %v", f)
		}
		if sc, _ := db.Schedule(ctx, s.practiceA); sc.Own {
			t.Fatal("a refused schedule was stored")
		}
		if err := db.SaveRegistration(ctx, audit.Event{UserID: s.admin.User.ID}, measure.WEMWBS, measure.Registration{Reference: "W-1", On: today}, s.admin.User.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.SaveSchedule(ctx, ev, s.practiceA, own, 0, s.leadA.User.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.SaveSchedule(ctx, ev, s.practiceA, own, 0, s.leadA.User.ID); !errors.Is(err, haven.ErrConflict) {
			t.Errorf("a second first schedule: %v, want a conflict", err)
		}
		sc, err := db.Schedule(ctx, s.practiceA)
		if err != nil || !sc.Own || sc.Version != 1 || len(sc.Slots) != 3 || !sc.Has(measure.ScheduleItem(measure.WEMWBS), measure.Month6) || sc.Has(measure.ScheduleItem(measure.PHQ9), measure.Baseline) {
			t.Fatalf("own schedule: %+v, %v", sc, err)
		}
		if other, _ := db.Schedule(ctx, s.practiceB); other.Own || !other.Has(measure.NeedsItem, measure.Baseline) {
			t.Error("Practice B lost its defaults")
		}
		want = []due{
			{"Ended", "Needs at exit are due: go through them with her", "2027-02-28", "/measures/needs/exit"},
			{"Running", "ONS4 personal well-being at 6 months is due: complete it with her", "2027-02-28", "/measures/new/ons4?point=6-months"},
			{"Running", "WEMWBS at 6 months is due: complete it with her", "2027-02-28", "/measures/new/wemwbs?point=6-months"},
		}
		slices.SortFunc(want, func(a, b due) int { return strings.Compare(a.who+a.on+a.link, b.who+b.on+b.link) })
		if got := dueFor(s.leadA); !slices.Equal(got, want) {
			t.Errorf("own schedule:\n got %v\nwant %v", got, want)
		}
		// Recording the slot clears its task; an empty own schedule clears them all.
		if err := db.SaveNeeds(ctx, ev, bea.ID, needsAt(measure.Exit, today, measure.NoNeed, ""), by, today); err != nil {
			t.Fatal(err)
		}
		if got := dueFor(s.pracA); len(got) != 2 {
			t.Errorf("after her exit needs: %v", got)
		}
		if err := db.SaveSchedule(ctx, ev, s.practiceA, own, 0, s.leadA.User.ID); !errors.Is(err, haven.ErrConflict) {
			t.Errorf("stale schedule: %v", err)
		}
		if err := db.SaveSchedule(ctx, ev, s.practiceA, nil, 1, s.leadA.User.ID); err != nil {
			t.Fatal(err)
		}
		if got := dueFor(s.leadA); len(got) != 0 {
			t.Errorf("nothing scheduled, yet: %v", got)
		}
	})
}
