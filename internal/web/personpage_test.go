package web

import (
	"html/template"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"haven/internal/access"
	"haven/internal/haven"
	"haven/internal/programme"
	"haven/internal/store"
)

// The record page written in Go must say what its template said for the
// same page (testdata/person-page.tmpl is the template it replaced), in every
// state the page has, with hostile values escaped.
func TestPersonPageMatchesTheTemplateItReplaced(t *testing.T) {
	reference, err := os.ReadFile("testdata/person-page.tmpl")
	if err != nil {
		t.Fatal(err)
	}
	tmpl := template.Must(template.New("").Funcs(funcs).Funcs(template.FuncMap{"split": strings.Split, "trim": strings.TrimSpace, "lower": strings.ToLower}).Parse(string(reference)))
	hostile := `<script>alert("x")</script> & 'quoted'`
	person := programme.Person{ID: 5, Ref: "abcdefghijkl", PracticeID: 1, PractitionerID: 3, FirstName: "Robin", LastName: hostile, Version: 4,
		SafeContact: programme.ContactPrefs{Channels: []string{"text", hostile}, Times: hostile, NoVoicemail: true, ViaProfessional: hostile},
		Contact: programme.ContactDetails{Phone: programme.ContactDetail{Value: hostile, Safe: programme.AnswerYes},
			Email: programme.ContactDetail{Value: "a@example.org", Safe: programme.AnswerNo}, Address: programme.ContactDetail{Value: "1 Road\n" + hostile, Safe: programme.AnswerUnknown}}}
	plain := programme.Person{ID: 6, Ref: "mnopqrstuvwx", PracticeID: 1, FirstName: "Sky", LastName: "Ash", PreferredName: "Sky", Pronouns: "she/her",
		DateOfBirth: haven.NewDate(1994, 2, 3), CareExperienced: programme.AnswerUnknown, AddressConfidential: true, CommunicationNeeds: "Interpreter"}
	today := haven.NewDate(2026, 11, 23)
	open := enrolmentView{Enrolment: programme.Enrolment{ID: 9, Phase: programme.PhaseEngaging, ReferredOn: haven.NewDate(2026, 6, 1), EngagedOn: haven.NewDate(2026, 6, 10), Version: 2,
		PhaseEvents: []programme.PhaseEvent{{From: programme.PhaseReferred, To: programme.PhaseEngaging, On: haven.NewDate(2026, 6, 10), Reason: hostile}}},
		HasClock: true, Clock: programme.Clock{Stage: "Engagement", Elapsed: 30 * 24 * time.Hour, Remaining: -3 * 24 * time.Hour, Due: today}}
	onTime := open
	onTime.Clock.Remaining = 5 * 24 * time.Hour
	ended := enrolmentView{Enrolment: programme.Enrolment{ID: 8, Phase: programme.PhaseEnded, ReferredOn: haven.NewDate(2024, 1, 1), StartedOn: haven.NewDate(2024, 3, 1),
		EndedOn: haven.NewDate(2025, 1, 1), EndReason: hostile, Exit: programme.ExitCustody,
		PhaseEvents: []programme.PhaseEvent{{From: programme.PhaseActive, To: programme.PhaseEnded, On: haven.NewDate(2025, 1, 1)}}}}
	sections := func(visible bool) []sectionView {
		var out []sectionView
		for _, s := range programme.Sections {
			out = append(out, sectionView{Section: s, Visible: visible, Note: programme.RestrictedNote{Body: hostile, Version: 7}})
		}
		return out
	}
	errs := []FieldError{{"aroundName", hostile}, {"to", "Choose a phase"}, {"exitCategory", "Choose why"}, {"on", "Enter a date"}, {"reason", "Give a reason"}, {"referredOn", "Enter the date"},
		{"section-perpetrator", hostile}, {"practitioner", "Choose one"}, {"toPractice", "Choose a Practice"}, {"note", "Too long"}}
	pages := map[string]*personPage{
		"no record, may break the glass": {Person: programme.Person{Ref: "abcdefghijkl"}, Access: programme.Access{BreakGlass: true}},
		"no record, reason typed":        {Layout: Layout{Errors: []FieldError{{"reason", hostile}}}, Person: programme.Person{Ref: "abcdefghijkl"}, Reason: hostile},
		"practitioner, open enrolment overdue": {Person: person, Access: programme.Access{Record: true, Restricted: true}, ShowContact: true, Practitioner: hostile, LAName: hostile,
			Sections: sections(true), Enrolments: []enrolmentView{ended, open}, Settings: programme.Settings{CaseloadCap: 8}, Caseload: 9,
			Around:    []programme.PersonAround{{Name: hostile, Relationship: "sister", Notes: hostile}, {Name: "Jo", Relationship: "friend"}},
			Referrals: []programme.Referral{{Ref: "HVN-ABCD-EFGH", ReceivedAt: time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)}}, Unexplained: 1,
			PhaseForm: enrolmentForm{To: string(programme.PhaseStarted), Day: "1", Month: hostile, Year: "2026", Reason: hostile, Exit: string(programme.ExitDied)}},
		"co-ordinator, within the clock": {Person: plain, Access: programme.Access{Record: true, AccessLog: true, BreakGlass: true}, Sections: sections(false),
			Enrolments: []enrolmentView{onTime}, Unexplained: 3, AroundForm: programme.PersonAround{Name: hostile, Relationship: hostile, Notes: hostile}, Reason: "urgent"},
		"lead, no open enrolment, with errors": {Layout: Layout{Errors: errs}, Person: person, Access: programme.Access{Record: true, Restricted: true, Allocate: true, AccessLog: true},
			Practitioner: "Pat", Sections: sections(true), Enrolments: []enrolmentView{ended}, Referral: enrolmentForm{Day: "3", Month: "4", Year: hostile},
			Practitioners: []access.User{{ID: 2, DisplayName: hostile}, {ID: 3, DisplayName: "Pat"}}, Practices: []access.Practice{{ID: 11, Name: hostile}, {ID: 12, Name: "North"}},
			BreakGlass: []store.BreakGlassUse{{UserName: hostile, Reason: hostile, CreatedAt: time.Date(2026, 7, 1, 13, 5, 0, 0, time.UTC)}}},
		"lead, transfer waiting": {Person: plain, Access: programme.Access{Record: true, Allocate: true}, Sections: sections(false), Enrolments: []enrolmentView{open},
			Transfer: &store.Transfer{ToPractice: hostile}},
	}
	for name, p := range pages {
		t.Run(name, func(t *testing.T) {
			var want strings.Builder
			if err := tmpl.ExecuteTemplate(&want, "content", p); err != nil {
				t.Fatal(err)
			}
			sameMarkup(t, string(p.Content()), want.String())
		})
	}
}

// sameMarkup fails t unless got says what want says: the same markup once
// whitespace beside tags is ignored and each form's random idempotency key
// is set aside, with every hostile value escaped.
func sameMarkup(t *testing.T, got, want string) {
	t.Helper()
	keys := regexp.MustCompile(`name="` + IdempotencyField + `" value="[^"]*"`)
	space := regexp.MustCompile(`\s+`)
	norm := func(s string) string {
		s = keys.ReplaceAllString(s, `name="`+IdempotencyField+`" value="KEY"`)
		s = space.ReplaceAllString(s, " ")
		return strings.TrimSpace(strings.NewReplacer("> ", ">", " <", "<").Replace(s))
	}
	if g, w := norm(got), norm(want); g != w {
		at := 0
		for at < len(g) && at < len(w) && g[at] == w[at] {
			at++
		}
		t.Fatalf("differs at byte %d:\n got …%s\nwant …%s", at, g[max(0, at-80):min(len(g), at+120)], w[max(0, at-80):min(len(w), at+120)])
	}
	if strings.Contains(got, "<script>alert") {
		t.Fatal("a value was written unescaped")
	}
}
