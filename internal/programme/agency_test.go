package programme

import (
	"testing"

	"haven/internal/haven"
)

func TestReferralOutLoop(t *testing.T) {
	r := ReferralOut{Status: OutSent, SentOn: haven.NewDate(2026, 10, 1), ChangedOn: haven.NewDate(2026, 10, 1)}
	if !r.Stalled(haven.NewDate(2026, 10, 15)) || r.Stalled(haven.NewDate(2026, 10, 14)) {
		t.Error("a referral stalls after exactly 14 days")
	}
	if err := r.Advance(OutOutcome, haven.NewDate(2026, 10, 3), "done"); err == nil {
		t.Error("skipped straight to an outcome")
	}
	if err := r.Advance(OutAccepted, haven.NewDate(2026, 9, 30), ""); err == nil {
		t.Error("accepted before it was sent")
	}
	for _, step := range []struct {
		to      OutStatus
		outcome string
	}{{OutAccepted, ""}, {OutAppointment, ""}, {OutOutcome, "Housing application made"}} {
		if err := r.Advance(step.to, haven.NewDate(2026, 10, 20), step.outcome); err != nil {
			t.Fatalf("to %s: %v", step.to, err)
		}
	}
	if !r.Status.Closed() || r.Stalled(haven.NewDate(2027, 1, 1)) {
		t.Error("a closed referral still counts as stalled")
	}
}
