package store_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/measure"
	"haven/internal/programme"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

func answers(vs ...int) []measure.Answer {
	out := make([]measure.Answer, len(vs))
	for i, v := range vs {
		if v >= 0 {
			out[i] = measure.A(v)
		}
	}
	return out
}

// Issue 17 item 1: a PHQ-9 with item 9 above 0 raises a task for the lead,
// and only for the lead, until she records what was done; answers are kept
// exactly, missing items included, and scored as published when read.
func TestMeasuresFlagRaisesATaskForTheLead(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		db.SetClock(func() time.Time { return time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC) })
		today := haven.NewDate(2026, 11, 23)
		s := seedStaff(t, db)
		by := s.pracA.User.ID
		p, err := db.CreatePerson(ctx, audit.Event{}, s.leadA, programme.Person{PracticeID: s.practiceA, PractitionerID: by, FirstName: "Ash", LastName: "Measured"})
		if err != nil {
			t.Fatal(err)
		}
		add := func(id measure.ID, as []measure.Answer) int64 {
			t.Helper()
			r, err := measure.NewRecord(id, measure.Baseline, today, as, today)
			if err != nil {
				t.Fatal(err)
			}
			mid, err := db.AddMeasure(ctx, audit.Event{UserID: by}, p.ID, r, by)
			if err != nil {
				t.Fatal(err)
			}
			return mid
		}
		add(measure.GAD7, answers(1, 2, -1, 0, 3, 1, 1))
		flagged := add(measure.PHQ9, answers(2, 2, 1, 1, 0, 1, 2, 0, 1))
		got, err := db.Measures(ctx, p.ID)
		if err != nil || len(got) != 2 {
			t.Fatalf("measures: %d, %v", len(got), err)
		}
		if g := got[0]; g.Result.Valid || g.Result.Reason != "not scored: 1 item missing" || g.Answers[2].Given || !g.Answers[4].Given || g.Answers[4].Value != 3 {
			t.Errorf("GAD-7 with a missing item read back as %+v", g)
		}
		if g := got[1]; !g.Result.Valid || g.Result.Total != 10 || g.Result.Band != measure.BandModerate || !g.Open() {
			t.Errorf("PHQ-9 read back as %+v", g.Result)
		}
		for _, tc := range []struct {
			who  string
			want bool
		}{{"lead", true}, {"practitioner", false}, {"co-ordinator", false}} {
			actor := s.leadA
			switch tc.who {
			case "practitioner":
				actor = s.pracA
			case "co-ordinator":
				actor = s.coordA
			}
			tasks, err := db.TasksFor(ctx, actor, today)
			if err != nil {
				t.Fatal(err)
			}
			has := slices.ContainsFunc(tasks, func(tk programme.Task) bool { return tk.Kind == programme.TaskMeasureFlag && tk.PersonRef == p.Ref })
			if has != tc.want {
				t.Errorf("%s has the measure's safeguarding task: %v, want %v", tc.who, has, tc.want)
			}
		}
		if err := db.RespondToMeasure(ctx, audit.Event{UserID: s.leadA.User.ID}, p.ID, flagged, "Spoke with her the same day; GP appointment made", s.leadA.User.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.RespondToMeasure(ctx, audit.Event{UserID: s.leadA.User.ID}, p.ID, flagged, "again", s.leadA.User.ID); !errors.Is(err, haven.ErrConflict) {
			t.Errorf("a second response: %v, want a conflict", err)
		}
		if err := db.RespondToMeasure(ctx, audit.Event{UserID: s.leadA.User.ID}, p.ID, got[0].ID, "no flag", s.leadA.User.ID); !errors.Is(err, haven.ErrNotFound) {
			t.Errorf("a response to a measure with no flag: %v, want not found", err)
		}
		tasks, _ := db.TasksFor(ctx, s.leadA, today)
		if slices.ContainsFunc(tasks, func(tk programme.Task) bool { return tk.Kind == programme.TaskMeasureFlag }) {
			t.Error("the task stays after the lead recorded what was done")
		}
		got, _ = db.Measures(ctx, p.ID)
		if r := got[1].Response; r == nil || r.Note != "Spoke with her the same day; GP appointment made" || r.By != "lead.a@example.org" {
			t.Errorf("response read back as %+v", r)
		}
	})
}

// WEMWBS and SWEMWBS stay off until a registration is recorded; a
// registration needs a reference and a date, and can be corrected.
func TestMeasureRegistrations(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s := seedStaff(t, db)
		regs, err := db.Registrations(ctx)
		if err != nil || len(regs) != 0 {
			t.Fatalf("a new database has registrations: %v, %v", regs, err)
		}
		ev := audit.Event{UserID: s.admin.User.ID}
		for _, tc := range []struct {
			id    measure.ID
			reg   measure.Registration
			field string
		}{
			{measure.PHQ9, measure.Registration{Reference: "X", On: haven.NewDate(2026, 1, 1)}, "instrument"},
			{measure.WEMWBS, measure.Registration{Reference: "  ", On: haven.NewDate(2026, 1, 1)}, "reference"},
			{measure.WEMWBS, measure.Registration{Reference: "W-1"}, "registeredOn"},
		} {
			err := db.SaveRegistration(ctx, ev, tc.id, tc.reg, s.admin.User.ID)
			if he, ok := errors.AsType[*haven.Error](err); !ok || he.Fields[tc.field] == "" {
				t.Errorf("%s %+v: %v, want an error on %s", tc.id, tc.reg, err, tc.field)
			}
		}
		if err := db.SaveRegistration(ctx, ev, measure.WEMWBS, measure.Registration{Reference: "W-1", On: haven.NewDate(2026, 1, 1)}, s.admin.User.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.SaveRegistration(ctx, ev, measure.WEMWBS, measure.Registration{Reference: "W-2", On: haven.NewDate(2026, 2, 1)}, s.admin.User.ID); err != nil {
			t.Fatal(err)
		}
		regs, _ = db.Registrations(ctx)
		if r := regs[measure.WEMWBS]; len(regs) != 1 || r.Reference != "W-2" || r.On != haven.NewDate(2026, 2, 1) || r.By != "admin@example.org" {
			t.Errorf("registrations: %+v", regs)
		}
	})
}
