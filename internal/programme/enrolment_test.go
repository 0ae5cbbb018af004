package programme

import (
	"errors"
	"testing"

	"haven/internal/haven"
)

func TestPhaseTransitions(t *testing.T) {
	tests := []struct {
		from, to Phase
		ok       bool
	}{
		{PhaseReferred, PhaseEngaging, true},
		{PhaseReferred, PhaseActive, false},
		{PhaseEngaging, PhaseStarted, true},
		{PhaseStarted, PhaseActive, true},
		{PhaseActive, PhaseCompleted, true},
		{PhaseActive, PhaseEnded, true},
		{PhaseEngaging, PhaseEnded, true},
		{PhaseCompleted, PhaseFollowOn, true},
		{PhaseCompleted, PhaseEnded, false},
		{PhaseFollowOn, PhaseClosed, true},
		{PhaseClosed, PhaseEngaging, false},
		{PhaseEnded, PhaseEnded, false},
	}
	for _, tt := range tests {
		if got := tt.from.CanMoveTo(tt.to); got != tt.ok {
			t.Errorf("%s → %s: %v, want %v", tt.from, tt.to, got, tt.ok)
		}
	}
}

func TestMoveAndClock(t *testing.T) {
	e := Enrolment{Phase: PhaseReferred, ReferredOn: haven.NewDate(2026, 1, 5)}
	if _, err := e.Move(PhaseEngaging, haven.NewDate(2026, 1, 1), "", "", 1); err == nil {
		t.Error("moved to a date before the referral")
	}
	if _, err := e.Move(PhaseEngaging, haven.NewDate(2026, 1, 12), "", "", 1); err != nil {
		t.Fatal(err)
	}
	c, ok := e.ClockAt(haven.NewDate(2026, 2, 9), DefaultSettings)
	if !ok || c.Stage != "Engagement" || c.ElapsedText() != "4 weeks" || c.RemainingText() != "12 weeks" || c.Due.String() != "2026-05-04" {
		t.Errorf("engagement clock = %+v %q %q", c, c.ElapsedText(), c.RemainingText())
	}
	if _, err := e.Move(PhaseEnded, haven.NewDate(2026, 3, 1), "", "", 1); err == nil {
		t.Error("ended early without a reason")
	}
	if _, err := e.Move(PhaseStarted, haven.NewDate(2026, 4, 20), "", "", 1); err != nil {
		t.Fatal(err)
	}
	c, _ = e.ClockAt(haven.NewDate(2027, 11, 1), DefaultSettings)
	if c.Due.String() != "2027-10-20" || !c.Overdue() {
		t.Errorf("programme clock = %+v, want due 20 October 2027 and overdue", c)
	}
	if _, err := e.Move(PhaseActive, haven.NewDate(2026, 4, 21), "", "", 1); err != nil {
		t.Fatal(err)
	}
	ev, err := e.Move(PhaseEnded, haven.NewDate(2026, 9, 1), "Moved out of the area", ExitMovedAway, 1)
	if err != nil || ev.From != PhaseActive || e.EndReason != "Moved out of the area" {
		t.Errorf("end early: %+v %v", ev, err)
	}
	if _, ok := e.ClockAt(haven.NewDate(2026, 9, 2), DefaultSettings); ok {
		t.Error("a clock runs after the enrolment ended")
	}
}

func TestSettings(t *testing.T) {
	if err := DefaultSettings.Validate(); err != nil {
		t.Error(err)
	}
	if err := (Settings{EngagementWeeks: 0, ProgrammeMonths: 40, CaseloadCap: 0}).Validate(); err == nil {
		t.Error("nonsense settings accepted")
	}
}

// Issue 17 item 4: ending early needs a category from the fixed list, kept
// beside the free-text reason; "not recorded" is for old rows only, and a
// category given with any other move is not kept.
func TestEndingEarlyNeedsACategory(t *testing.T) {
	for _, tt := range []struct {
		to      Phase
		exit    ExitCategory
		wantErr bool
		kept    ExitCategory
	}{
		{PhaseEnded, "", true, ""},
		{PhaseEnded, ExitNotRecorded, true, ""},
		{PhaseEnded, "bored", true, ""},
		{PhaseEnded, ExitCustody, false, ExitCustody},
		{PhaseEnded, ExitPregnancy, false, ExitPregnancy},
		{PhaseCompleted, ExitCustody, false, ""},
	} {
		e := Enrolment{Phase: PhaseActive, ReferredOn: haven.NewDate(2024, 1, 1)}
		_, err := e.Move(tt.to, haven.NewDate(2026, 1, 1), "Her own words", tt.exit, 1)
		if (err != nil) != tt.wantErr {
			t.Errorf("%s %q: %v", tt.to, tt.exit, err)
		}
		if he, ok := errors.AsType[*haven.Error](err); tt.wantErr && (!ok || he.Fields["exitCategory"] != "Choose why the enrolment ended early") {
			t.Errorf("%s %q: %v, want the category named", tt.to, tt.exit, err)
		}
		if e.Exit != tt.kept {
			t.Errorf("%s %q: kept %q, want %q", tt.to, tt.exit, e.Exit, tt.kept)
		}
	}
	for _, c := range ExitCategories {
		if !c.Choosable() || c.Title() == "" {
			t.Errorf("%q is not offered", c)
		}
	}
}
