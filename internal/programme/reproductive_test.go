package programme

import (
	"testing"

	"haven/internal/haven"
)

func TestContraception(t *testing.T) {
	c := Contraception{Method: MethodImplant, StartedOn: haven.NewDate(2026, 1, 1), ReviewOn: haven.NewDate(2025, 1, 1)}
	if c.Validate() == nil {
		t.Error("a review before the start was accepted")
	}
	c.ReviewOn = haven.NewDate(2026, 12, 10)
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if _, ok := ContraceptionTask(c, haven.NewDate(2026, 11, 1)); ok {
		t.Error("a reminder 39 days early")
	}
	if task, ok := ContraceptionTask(c, haven.NewDate(2026, 11, 23)); !ok || task.Due != c.ReviewOn {
		t.Errorf("no reminder 17 days before the review: %+v", task)
	}
	if (&Contraception{Method: "pill-of-the-future"}).Validate() == nil {
		t.Error("unknown method accepted")
	}
	p := Pregnancy{KnownOn: haven.NewDate(2030, 1, 1)}
	if p.Validate(haven.NewDate(2026, 1, 1)) == nil {
		t.Error("a pregnancy known in the future was accepted")
	}
}
