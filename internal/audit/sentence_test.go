package audit

import (
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // London's rules are in the binary, so the test never depends on the machine
)

func TestSentence(t *testing.T) {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 7, 10, 42, 5, 0, time.UTC)
	summer := time.Date(2026, 7, 1, 9, 5, 0, 0, time.UTC) // 10:05 in London
	quinn := Words{Who: "Quinn Sorrel", Role: "Practice lead", Whose: "her", In: london}
	admin := Words{Who: "Ada Admin", Role: "System administrator", In: london} // names no woman
	roleNames := func(slug string) string {
		return map[string]string{"practice-lead": "Practice lead", "practitioner": "Practitioner"}[slug]
	}
	person := func(a Action, section string) Event {
		return Event{At: at, UserID: 7, Role: "practice-lead", Action: a, RecordType: "person", RecordID: "42", Section: section}
	}
	tests := []struct {
		name string
		e    Event
		w    Words
		want string
	}{
		{"the issue's example", person(View, "details"), quinn, "Quinn Sorrel (practice lead) viewed her details, 7 Dec 2026 10:42"},
		{"restricted sections too", person(View, "details,restricted"), quinn, "Quinn Sorrel (practice lead) viewed her details and restricted sections, 7 Dec 2026 10:42"},
		{"British Summer Time", Event{At: summer, UserID: 7, Action: View, RecordType: "person", RecordID: "42", Section: "plan"}, Words{Who: "Kit Kestrel", Role: "Practitioner", Whose: "her", In: london},
			"Kit Kestrel (practitioner) viewed her plan, 1 Jul 2026 10:05"},
		{"UTC when no zone is given", person(View, "plan"), Words{Who: "Kit Kestrel", Whose: "her"}, "Kit Kestrel viewed her plan, 7 Dec 2026 10:42"},
		{"a change", person(Update, "contact"), quinn, "Quinn Sorrel (practice lead) changed her record of contact with her children, 7 Dec 2026 10:42"},
		{"her record made", person(Create, "details"), quinn, "Quinn Sorrel (practice lead) created her record, 7 Dec 2026 10:42"},
		{"a goal added", person(Create, "plan"), quinn, "Quinn Sorrel (practice lead) added a goal to her plan, 7 Dec 2026 10:42"},
		{"a goal reviewed", person(Update, "plan"), quinn, "Quinn Sorrel (practice lead) reviewed a goal in her plan, 7 Dec 2026 10:42"},
		{"a phase moved", person(Update, "enrolment"), quinn, "Quinn Sorrel (practice lead) moved her programme enrolment to another phase, 7 Dec 2026 10:42"},
		{"a print", person(Print, "plan"), quinn, "Quinn Sorrel (practice lead) printed her plan, 7 Dec 2026 10:42"},
		{"a letter", person(Create, "contact:letter"), quinn, "Quinn Sorrel (practice lead) added a letter about her contact with her children, 7 Dec 2026 10:42"},
		{"a restricted goal", person(Create, "plan:sexual-health"), quinn, "Quinn Sorrel (practice lead) added a restricted goal to her plan, 7 Dec 2026 10:42"},
		{"allocation", person(Update, "allocation"), quinn, "Quinn Sorrel (practice lead) changed who her practitioner is, 7 Dec 2026 10:42"},
		{"break-glass", person(BreakGlass, "all"), quinn, "Quinn Sorrel (practice lead) opened her whole record with break-glass, 7 Dec 2026 10:42"},
		{"a transfer answered", person(Update, "transfer-withdrawn"), quinn, "Quinn Sorrel (practice lead) answered a request to transfer her record, 7 Dec 2026 10:42"},
		{"a section no rule knows", person(View, "measures"), quinn, "Quinn Sorrel (practice lead) viewed her record, 7 Dec 2026 10:42"},
		{"the administrator's view names the record, not her", person(View, "details"), admin, "Ada Admin (system administrator) viewed person 42's details, 7 Dec 2026 10:42"},
		{"a list", Event{At: at, UserID: 7, Action: View, RecordType: "person", Section: "tasks"}, quinn, "Quinn Sorrel (practice lead) viewed their tasks, 7 Dec 2026 10:42"},
		{"the triage queue", Event{At: at, UserID: 7, Action: View, RecordType: "referral", Section: "list"}, quinn, "Quinn Sorrel (practice lead) viewed the triage queue, 7 Dec 2026 10:42"},
		{"a self-referral", Event{At: at, Action: Create, RecordType: "referral", RecordID: "12", Section: "details"}, Words{In: london}, "Someone made referral 12, 7 Dec 2026 10:42"},
		{"a triage decision", Event{At: at, UserID: 7, Action: Update, RecordType: "referral", RecordID: "12", Section: "outcome"}, quinn, "Quinn Sorrel (practice lead) recorded a triage decision on referral 12, 7 Dec 2026 10:42"},
		{"an account whose name is gone", person(View, "details"), Words{Whose: "her", In: london}, "User 7 viewed her details, 7 Dec 2026 10:42"},
		{"a sign-in", Event{At: at, UserID: 7, Action: SignIn}, Words{Who: "Kit Kestrel", Role: "Practitioner", In: london}, "Kit Kestrel (practitioner) signed in, 7 Dec 2026 10:42"},
		{"an unknown email", Event{At: at, Action: SignInFailed}, Words{In: london}, "Someone failed to sign in, 7 Dec 2026 10:42"},
		{"locked out", Event{At: at, UserID: 7, Action: LockedOut, Section: "15m0s"}, Words{Who: "Kit Kestrel", In: london}, "Kit Kestrel was locked out for 15m0s, 7 Dec 2026 10:42"},
		{"refused", Event{At: at, UserID: 7, Action: Denied, Section: "audit:search"}, Words{Who: "Kit Kestrel", In: london}, "Kit Kestrel was refused a page that needs the audit:search permission, 7 Dec 2026 10:42"},
		{"a role given", Event{At: at, UserID: 1, Action: RoleChanged, RecordType: "user", RecordID: "9", Section: "practice-lead@demo-riverside"},
			Words{Who: "Ada Admin", Target: "Kit Kestrel", RoleName: roleNames, In: london}, "Ada Admin gave Kit Kestrel the role Practice lead in demo-riverside, 7 Dec 2026 10:42"},
		{"a role taken", Event{At: at, UserID: 1, Action: RoleChanged, RecordType: "user", RecordID: "9", Section: "-practitioner@demo-riverside"},
			Words{Who: "Ada Admin", RoleName: roleNames, In: london}, "Ada Admin took the role Practitioner in demo-riverside from user 9, 7 Dec 2026 10:42"},
		{"one's own password", Event{At: at, UserID: 9, Action: PasswordSet, RecordType: "user", RecordID: "9"}, Words{Who: "Kit Kestrel", Target: "Kit Kestrel", In: london}, "Kit Kestrel set their password, 7 Dec 2026 10:42"},
		{"someone else's second factor", Event{At: at, UserID: 1, Action: MFAReset, RecordType: "user", RecordID: "9"}, Words{Who: "Ada Admin", Target: "Kit Kestrel", In: london}, "Ada Admin reset the second factor of Kit Kestrel, 7 Dec 2026 10:42"},
		{"an account unlocked (S6)", Event{At: at, UserID: 1, Action: AccountUnlock, RecordType: "user", RecordID: "9"}, Words{Who: "Ada Admin", Target: "Kit Kestrel", In: london}, "Ada Admin unlocked the account of Kit Kestrel, 7 Dec 2026 10:42"},
		{"an API token", Event{At: at, UserID: 9, Action: TokenCreated, RecordType: "api-token", RecordID: "3"}, Words{Who: "Kit Kestrel", In: london}, "Kit Kestrel created an API token, 7 Dec 2026 10:42"},
		{"Practice settings", Event{At: at, UserID: 7, Action: Update, RecordType: "practice", RecordID: "2", Section: "settings"}, quinn, "Quinn Sorrel (practice lead) changed the settings of Practice 2, 7 Dec 2026 10:42"},
		{"a Practice's schedule of measures", Event{At: at, UserID: 7, Action: Update, RecordType: "practice", RecordID: "2", Section: "measure-schedule"}, quinn, "Quinn Sorrel (practice lead) changed the schedule of outcome measures of Practice 2, 7 Dec 2026 10:42"},
		{"a kind of record no rule knows", Event{At: at, UserID: 7, Action: Update, RecordType: "measure", RecordID: "5", Section: "score"}, quinn, "Quinn Sorrel (practice lead) changed measure 5 (score), 7 Dec 2026 10:42"},
		{"an action no rule knows", Event{At: at, UserID: 7, Action: "archive-all"}, quinn, "Quinn Sorrel (practice lead) archive all, 7 Dec 2026 10:42"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Sentence(tt.e, tt.w); got != tt.want {
				t.Errorf("Sentence() =\n %q\nwant\n %q", got, tt.want)
			}
		})
	}
}

// Every record action on every section the trail holds reads as a sentence
// naming her in the possessive, and no phrase is left with its placeholder.
func TestSentenceEveryPersonSection(t *testing.T) {
	for section := range personSections {
		for _, a := range []Action{View, Create, Update, Delete, Export, Print} {
			got := Predicate(Event{Action: a, RecordType: "person", RecordID: "42", Section: section}, Words{Whose: "her"})
			if strings.Contains(got, "%") || !strings.Contains(got, "her") || strings.Contains(got, "42") {
				t.Errorf("%s %s: %q", a, section, got)
			}
			admin := Predicate(Event{Action: a, RecordType: "person", RecordID: "42", Section: section}, Words{})
			if !strings.Contains(admin, "person 42") {
				t.Errorf("administrator's %s %s: %q does not name the record", a, section, admin)
			}
		}
	}
}

// Every action Haven records has a title for the filters.
func TestEveryActionHasATitle(t *testing.T) {
	for _, a := range []Action{View, Create, Update, Delete, Export, Print, SignIn, SignInFailed, MFAFailed, MFAEnrolled, MFAReset,
		RecoveryUsed, LockedOut, SignOut, SignOutAll, SessionEnded, Denied, RoleChanged, AccountCreated, AccountDisable, AccountUnlock, PasswordSet,
		TokenCreated, TokenRevoked, BreakGlass} {
		if a.Title() == string(a) || a.Title() == "" {
			t.Errorf("%s has no title", a)
		}
	}
}
