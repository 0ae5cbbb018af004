package programme

import (
	"testing"
	"time"

	"haven/internal/haven"
)

func TestTasks(t *testing.T) {
	today := haven.NewDate(2026, 11, 23)
	engaging := Enrolment{Phase: PhaseEngaging, EngagedOn: haven.NewDate(2026, 8, 10)} // due 30 November
	if task, ok := EnrolmentTask(engaging, DefaultSettings, today); !ok || task.Kind != TaskEngagementDue || task.Due.String() != "2026-11-30" || task.Overdue(today) {
		t.Errorf("engagement due in a week: %+v %v", task, ok)
	}
	early := Enrolment{Phase: PhaseEngaging, EngagedOn: haven.NewDate(2026, 11, 1)}
	if _, ok := EnrolmentTask(early, DefaultSettings, today); ok {
		t.Error("a reminder for an engagement with months to run")
	}
	active := Enrolment{Phase: PhaseActive, StartedOn: haven.NewDate(2025, 6, 1)} // due 1 December 2026
	if task, ok := EnrolmentTask(active, DefaultSettings, today); !ok || task.Kind != TaskProgrammeDue {
		t.Errorf("programme nearly over: %+v %v", task, ok)
	}
	goal := Goal{Domain: DomainHousing, Progress: InProgress, CreatedAt: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)}
	if task, ok := GoalTask(goal, haven.Date{}, today); !ok || !task.Overdue(today) {
		t.Errorf("goal never reviewed since June: %+v %v", task, ok)
	}
	if _, ok := GoalTask(goal, haven.NewDate(2026, 11, 1), today); ok {
		t.Error("a goal reviewed three weeks ago is due again")
	}
	goal.Progress = Achieved
	if _, ok := GoalTask(goal, haven.Date{}, today); ok {
		t.Error("an achieved goal wants a review")
	}
}
