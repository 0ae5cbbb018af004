package web

import (
	"io/fs"
	"net/http/httptest"
	"path"
	"strings"
	"testing"
	"time"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/directory"
	"haven/internal/haven"
	"haven/internal/programme"
	"haven/internal/store"
)

// Every page template renders with a representative value of its own type,
// and every template file is covered here.
func TestEveryTemplateRenders(t *testing.T) {
	s := &Server{}
	var err error
	if s.pages, err = parseTemplates(); err != nil {
		t.Fatal(err)
	}
	practice := practiceRow{
		Practice: access.Practice{Slug: "demo-riverside", Name: "Riverside Practice (demo)", CreatedAt: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)},
		Areas:    []access.LocalAuthority{{Code: "E08000035", Name: "Leeds"}},
		Staff:    5,
	}
	pages := map[string]struct {
		p    page
		want string
	}{
		"home.html":           {&homePage{Layout: Layout{Title: "Haven"}, Practices: 3}, "3 Practices"},
		"practices.html":      {&practicesPage{Layout: Layout{Title: "Practices"}, Practices: []practiceRow{practice}}, "Riverside Practice (demo)"},
		"practice.html":       {&practicePage{Layout: Layout{Title: "Riverside"}, Practice: practice}, "2 January 2026"},
		"find.html":           {&findPage{Layout: Layout{Title: "Find", Errors: []FieldError{{"area", "Enter a name"}}}, Area: "le<eds"}, `href="#area"`},
		"error.html":          {&errorPage{Layout: Layout{Title: "Oops"}, Status: 404, Heading: "Page not found"}, "error 404"},
		"accessibility.html":  {&infoPage{Layout{Title: "Accessibility statement"}}, "WCAG"},
		"privacy.html":        {&infoPage{Layout{Title: "Privacy notice"}}, "data controller"},
		"cookies.html":        {&infoPage{Layout{Title: "Cookies"}}, "strictly necessary"},
		"signed-out.html":     {&infoPage{Layout{Title: "You have signed out"}}, "Sign in again"},
		"sign-in.html":        {&signInPage{Layout: Layout{Title: "Sign in"}, Email: "sam@example.org", Notice: "You were signed out"}, "You were signed out"},
		"sign-in-code.html":   {&codePage{Layout: Layout{Title: "Code"}, Recovery: true}, "recovery code"},
		"mfa-setup.html":      {&mfaSetupPage{Layout: Layout{Title: "Set up"}, Secret: "ABCD EFGH"}, "ABCD EFGH"},
		"recovery-codes.html": {&recoveryCodesPage{Layout: Layout{Title: "Codes"}, Codes: []string{"abcde-fghij"}}, "abcde-fghij"},
		"enrol.html":          {&enrolPage{Layout: Layout{Title: "Create your password"}, Email: "sam@example.org"}, "sam@example.org"},
		"account.html": {&accountPage{Layout: Layout{Title: "Your account", SignedIn: true, UserName: "Sam"},
			User:        access.User{DisplayName: "Sam Example", Email: "sam@example.org"},
			Memberships: []access.Membership{{Role: access.RolePractitioner, TenantName: "Riverside Practice (demo)"}},
			Sessions:    []access.Session{{ID: 1, CreatedAt: time.Date(2026, 7, 1, 9, 30, 0, 0, time.UTC)}}, CurrentID: 1}, "Practitioner, Riverside Practice (demo)"},
		"directory.html": {&dirSearchPage{Layout: Layout{Title: "Find a service"}, Searched: true, Where: "LS6", Postcode: true, Total: 1,
			Results: []dirResult{{Service: directory.Service{ID: "0b6b2b1e-0000-4000-8000-000000000001", Entry: directory.Entry{Name: "Aire Valley Service (fictional)"}},
				StatusName: "Active", Areas: []string{"Leeds"}, HasDistance: true, Distance: "1.2 miles"}}}, "1.2 miles"},
		"directory-service.html": {&dirServicePage{Layout: Layout{Title: "Aire"}, Service: directory.Service{ID: "0b6b2b1e-0000-4000-8000-000000000001",
			Entry: directory.Entry{Name: "Aire Valley Service (fictional)", HowToRefer: "Ring the duty line."}, LastVerified: time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)},
			Stale: true, StatusNote: "This service has closed."}, "This entry has not been checked since 1 May 2024"},
		"directory-map.html": {&dirMapPage{Layout: Layout{Title: "Map"}, Width: 600, Height: 700, Counts: map[string]int{"pause": 1},
			Areas: []mapArea{{Code: "E08000035", Name: "Leeds", Path: "M1 1L2 2L1 2Z", Services: 2, Pause: true, Level: "pause", Href: "/directory?place=E08000035",
				Label: "Leeds: 2 services, including a Pause Practice"}}}, `aria-label="Leeds: 2 services, including a Pause Practice"`},
		"admin-users.html": {&adminUsersPage{Layout: Layout{Title: "Users"}, Users: []store.AccountSummary{{User: access.User{ID: 4, DisplayName: "Sam Example"}, Disabled: true,
			Memberships: []access.Membership{{Role: access.RolePracticeLead, TenantName: "Riverside Practice"}}}}, Next: 4}, "Practice lead, Riverside Practice"},
		"admin-user.html": {&adminUserPage{Layout: Layout{Title: "Sam"}, Account: access.Account{User: access.User{ID: 4, DisplayName: "Sam Example"}},
			Memberships: []access.Membership{{Role: access.RolePracticeLead, TenantKind: access.TenantPractice, TenantSlug: "demo-harbour", TenantName: "Harbour"}},
			Roles:       access.Roles(), Tenants: []store.Tenant{{Kind: access.TenantPractice, Slug: "demo-harbour", Name: "Harbour"}}, Tenant: "practice:demo-harbour"}, `value="practice:demo-harbour" selected`},
		"admin-invite.html": {&adminInvitePage{Layout: Layout{Title: "Invited"}, Email: "sam@example.org", Link: "https://haven.example/enrol/abc"}, "https://haven.example/enrol/abc"},
		"admin-audit.html":  {&adminAuditPage{Layout: Layout{Title: "Audit"}, Lines: []auditLine{{UserID: 3, Subject: "Kit Kestrel (practitioner)", Rest: "signed in, 7 Dec 2026 10:42", RequestID: "REQ123"}}, Actions: []audit.Action{audit.SignIn}, Filters: auditFilters{Action: "sign-in"}}, "Kit Kestrel (practitioner)</a> signed in, 7 Dec 2026 10:42"},
		"tokens.html":       {&tokensPage{Layout: Layout{Title: "API tokens"}, Created: "haven_secret123", Tokens: []access.APIToken{{ID: 1, Name: "Nightly export", ExpiresAt: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)}}}, "Nightly export"},
		"people.html": {&peoplePage{Layout: Layout{Title: "People"}, People: []programme.Listed{{Ref: "abcdefghijkl", FirstName: "Robin", LastName: "Testcase", PractitionerID: 7}},
			Names: map[int64]string{7: "Kit Kestrel"}, LANames: map[string]string{}, CanAdd: true}, "Kit Kestrel"},
		"person.html": {&personPage{Layout: Layout{Title: "Robin"}, Person: programme.Person{Ref: "abcdefghijkl", FirstName: "Robin", LastName: "Testcase"},
			Access:   programme.Access{Record: true, Restricted: false, Allocate: true, BreakGlass: true},
			Sections: []sectionView{{Section: programme.SectionCriminalRecords, Note: programme.RestrictedNote{Body: "SENTINEL"}, Visible: false}}}, "This section is restricted"},
		"person-form.html": {&personFormPage{Layout: Layout{Title: "Add a person", Errors: []FieldError{{"dateOfBirth", "Date of birth must be a real date"}}},
			Form: personForm{FirstName: "Robin", DOBDay: "31", DOBMonth: "2", DOBYear: "1990"}}, `id="dateOfBirth-day" name="dateOfBirth-day" type="text" inputmode="numeric" value="31"`},
		"signed-in-home.html": {&signedInHomePage{Layout: Layout{Title: "Home"}, User: access.User{DisplayName: "Kit Kestrel"}, Roles: []homeRole{{Name: "Practitioner", Where: "Riverside", Organisation: "Trust"}},
			Practitioner: true, Caseload: []programme.Person{{Ref: "abcdefghijkl", FirstName: "Robin", LastName: "Testcase", DateOfBirth: haven.NewDate(1995, 6, 1)}},
			Tasks: []homeTask{{Task: programme.Task{Text: "Review the goal", PersonName: "Robin Testcase", Link: "/people/abcdefghijkl/plan"}, Overdue: true}}, TaskCount: 1, OverdueCount: 1,
			Links: []homeLink{{Href: "/people", Text: "People", Hint: "Find a woman's record"}}}, "1 June 1995"},
		"access-log.html": {&accessLogPage{Layout: Layout{Title: "Who"}, Person: programme.Person{Ref: "abcdefghijkl"}, Lines: []auditLine{{Subject: "Kit Kestrel (practitioner)", Rest: "viewed her details, 7 Dec 2026 10:42"}}, Users: []store.AuditUser{{ID: 3, Name: "Kit Kestrel"}}, Actions: recordActions}, "Kit Kestrel (practitioner) viewed her details, 7 Dec 2026 10:42"},
		"password.html":   {&passwordPage{Layout: Layout{Title: "Change your password", Errors: []FieldError{{"password", "Password must be 12 characters or more"}}}, RevokeTokens: true}, "12 characters or more"},
		"plan.html": {&planPage{Layout: Layout{Title: "Plan"}, Person: programme.Person{Ref: "abcdefghijkl"},
			Goals: []programme.Goal{{ID: 3, Domain: programme.DomainHousing, Words: "A flat near my sister", Steps: "Ring the council\nView flats", Progress: programme.InProgress,
				Reviews: []programme.Review{{Note: "Viewed two flats", Progress: programme.InProgress, ByName: "Kit"}}}}, Progresses: programme.Progresses}, "Ring the council"},
		"plan-print.html": {&planPage{Layout: Layout{Title: "Plan"}, Person: programme.Person{Ref: "abcdefghijkl"},
			Goals: []programme.Goal{{ID: 3, Domain: programme.DomainHousing, Words: "A flat near my sister", Progress: programme.Achieved}}}, "A flat near my sister"},
		"agencies.html": {&agenciesPage{Layout: Layout{Title: "Agencies"}, CanAdd: true, Kinds: programme.AgencyKinds,
			Practices: []practiceAgencies{{Practice: store.Tenant{ID: 1, Name: "Riverside"}, Agencies: []programme.Agency{{Name: "Fictional Housing Trust", Kind: "Housing"}}}}}, "Fictional Housing Trust"},
		"referrals-out.html": {&referralsOutPage{Layout: Layout{Title: "Referrals"}, Person: programme.Person{Ref: "abcdefghijkl"},
			Referrals: []programme.ReferralOut{{ID: 2, AgencyName: "Fictional Housing Trust", Status: programme.OutSent, Reason: "Needs a flat"}},
			Agencies:  []programme.Agency{{ID: 1, Name: "Fictional Housing Trust", Kind: "Housing"}}}, "Needs a flat"},
		"tasks.html": {&tasksPage{Layout: Layout{Title: "Tasks"}, Today: haven.NewDate(2026, 11, 23),
			Tasks: []programme.Task{{PersonName: "Robin Testcase", Due: haven.NewDate(2026, 11, 1), Text: "Review the Housing goal with her", Link: "/people/x/plan"}}}, "Overdue"},
		"overview.html": {&overviewPage{Layout: Layout{Title: "Overview"}, Phases: programme.Phases, Practices: []store.PracticeOverview{{Practice: store.Tenant{Name: "Riverside"},
			Settings: programme.DefaultSettings, Caseloads: []store.Caseload{{Name: "Kit Kestrel", Women: 9}}, Phases: map[programme.Phase]int{programme.PhaseActive: 4}}}}, "Over cap"},
		"reproductive.html": {&reproPage{Layout: Layout{Title: "Reproductive"}, Person: programme.Person{Ref: "abcdefghijkl"}, HasMethod: true, Methods: programme.Methods,
			Contraception: programme.Contraception{Method: programme.MethodImplant, ReviewOn: haven.NewDate(2027, 2, 1)}, Pregnancies: []programme.Pregnancy{{KnownOn: haven.NewDate(2025, 3, 1), Outcome: "Miscarriage"}}}, "1 February 2027"},
		"referral-form.html": {&referralFormPage{Layout: Layout{Title: "Refer a woman to a Practice", Errors: []FieldError{{"consent", "She has said no to this referral"}}},
			Pro: true, Staff: true, Action: "/referrals/new", Form: referralForm{FirstName: "le<eds", Consent: "declined", Channels: []string{"text"}},
			Practices: []store.Tenant{{ID: 1, Name: "Riverside"}, {ID: 2, Name: "Hillcrest"}}, LAs: []access.LocalAuthority{{Code: "E08000035", Name: "Leeds"}},
			Channels: programme.ContactChannels}, `id="consent-2" name="consent" type="radio" value="declined" checked`},
		"referral-done.html": {&referralDonePage{Layout: Layout{Title: "Referral sent"}, Ref: "HVN-ABCD-EFGH"}, "No Practice covers your area yet"},
		"triage.html": {&triageQueuePage{Layout: Layout{Title: "Triage"}, ManyPractices: true,
			Waiting: []triageRow{{Referral: programme.Referral{Ref: "HVN-ABCD-EFGH", FirstName: "Robin", LastName: "Testcase", PracticeName: "Riverside"}, Days: 12}}}, "12 days"},
		"confirm-phase.html": {&confirmPhasePage{Layout: Layout{Title: "Confirm"}, Person: programme.Person{Ref: "abcdefghijkl", FirstName: "Robin", LastName: "Testcase"},
			Enrolment: programme.Enrolment{ID: 9, Phase: programme.PhaseActive, Version: 3}, To: programme.PhaseEnded, On: haven.NewDate(2026, 11, 2),
			Form: enrolmentForm{To: "ended-early", Day: "2", Month: "11", Year: "2026", Reason: "Moved <away>"}}, "End Robin Testcase’s programme early?"},
		"restricted-section.html": {&restrictedPage{Layout: Layout{Title: "Criminal records", Errors: []FieldError{{"reason", "Say why"}}},
			Person: programme.Person{Ref: "abcdefghijkl", FirstName: "Robin"}, Section: programme.SectionCriminalRecords,
			Current: programme.RestrictedVersion{Version: 2}, Version: 2, Versions: []programme.RestrictedVersion{{Version: 2, Reason: "Wrong record"},
				{Version: 1, Body: "Line one\nline <two>", ByName: "Pat"}}}, "Cleared: Wrong record"},
		"triage-referral.html": {&triagePage{Layout: Layout{Title: "Robin Testcase"},
			Referral: programme.Referral{Ref: "HVN-ABCD-EFGH", FirstName: "Robin", LastName: "Testcase", Source: programme.ReferralProfessional, Status: programme.ReferralDeclined,
				Contact: programme.SafeContact{NoVoicemail: true}, OutcomeReason: "Moved away", OutcomeAt: time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)},
			ReceivedOn: haven.NewDate(2026, 11, 1),
			Screening:  programme.Screening{Age: -1, Cohorts: []programme.CohortAdvice{{Cohort: programme.CohortOneRemoved, Title: "One child removed", Advice: "Check."}}}}, "Do not leave a voicemail"},
		"sessions.html": {&sessionsPage{Layout: Layout{Title: "Sessions"}, Person: programme.Person{Ref: "abcdefghijkl", FirstName: "Robin", LastName: "Testcase"},
			Sessions: []programme.Session{{ID: 3, On: haven.NewDate(2026, 11, 20), Type: programme.SessionHomeVisit, Minutes: 60, CreatedByName: "Kit Kestrel", FundPence: 1250, FundCategory: programme.FundTravel}},
			Draft:    "9:00am on 23 November 2026", CanEdit: true}, "£12.50"},
		"session-form.html": {&sessionFormPage{Layout: Layout{Title: "Record a session", Errors: []FieldError{{"on", "Date of the session must be today or in the past"}}},
			Person: programme.Person{Ref: "abcdefghijkl"}, Form: sessionForm{Day: "24", Month: "11", Year: "2026", Type: "video", Note: "le<eds"},
			Types: sessionTypeOptions(), Initiators: initiatorOptions(), Categories: fundOptions()}, `value="video" checked`},
		"session.html": {&sessionPage{Layout: Layout{Title: "Home visit"}, Person: programme.Person{Ref: "abcdefghijkl"},
			Session: programme.Session{ID: 3, On: haven.NewDate(2026, 11, 20), Type: programme.SessionHomeVisit, Minutes: 60, Note: "Original note", CreatedByName: "Kit Kestrel",
				Corrections: []programme.Correction{{Note: "Corrected note", Reason: "Wrong day", ByName: "Sam Example", At: time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)}}},
			CanEdit: true, Form: correctionForm{Note: "Corrected note", Version: "2"}}, "Corrected on 21 November 2026 at 10:00am by <bdi>Sam Example</bdi>: Wrong day"},
		"chronology.html": {&chronologyPage{Layout: Layout{Title: "Chronology"}, Person: programme.Person{Ref: "abcdefghijkl"},
			Items:   []chronoItem{{Kind: "session", Title: "Home visit, 60 minutes", By: "Kit Kestrel", Date: haven.NewDate(2026, 11, 20), Summary: "A note", Href: "/people/abcdefghijkl/sessions/3"}},
			Filters: []chronoFilter{{sessionChoice: sessionChoice{"session", "Sessions"}, Checked: true}}, PrintHref: "/people/abcdefghijkl/chronology?print=1"}, `<time datetime="2026-11-20">20 November 2026</time>`},
		"chronology-print.html": {&chronologyPage{Layout: Layout{Title: "Chronology"}, Person: programme.Person{FirstName: "Robin", LastName: "Testcase"},
			Items:   []chronoItem{{Kind: "programme", Title: "Phase changed to Engaging", Date: haven.NewDate(2026, 10, 1), Text: "From referred to engaging."}},
			Showing: "every event", PrintedBy: "Kit Kestrel", PrintedAt: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}, "Printed by Kit Kestrel"},
		"reauth.html":   {&reauthPage{Layout: Layout{Title: "Confirm"}, Carry: carried{Action: "/admin/users", Fields: []carriedField{{"email", "kept@example.org"}}}}, `value="kept@example.org"`},
		"continue.html": {&continuePage{Layout: Layout{Title: "Continue"}, Carry: carried{Action: "/admin/users", Fields: []carriedField{{"email", "kept@example.org"}}}}, `name="email" value="kept@example.org"`},
		"unavailable.html": {&unavailablePage{Layout: Layout{Title: "Cannot save"}, Full: true, Carry: carried{Action: "/people/x/sessions", Fields: []carriedField{{"note", "Kept <note>"}}}},
			`<input type="hidden" name="note" value="Kept &lt;note&gt;">`},
	}
	for name, tt := range contactTemplateCases() {
		pages[name] = tt
	}
	for name, tt := range measureTemplateCases() {
		pages[name] = tt
	}
	for name, tt := range needsTemplateCases() {
		pages[name] = tt
	}
	for name, tt := range calculatorTeamTemplateCases() {
		pages[name] = tt
	}
	for name, tt := range reunifyWorkflowTemplateCases() {
		pages[name] = tt
	}
	for name, tt := range extractTemplateCases() {
		pages[name] = tt
	}
	for name, tt := range reunifyDataTemplateCases() {
		pages[name] = tt
	}
	for name, tt := range reunifyChildTemplateCases() {
		pages[name] = tt
	}
	for name, tt := range reunifyPlanTemplateCases() {
		pages[name] = tt
	}
	for name, tt := range calculatorTemplateCases() {
		pages[name] = tt
	}
	for name, tt := range directorySuggestTemplateCases() {
		pages[name] = tt
	}
	for name, tt := range forumTemplateCases() {
		pages[name] = tt
	}
	for name, tt := range eventsTemplateCases() {
		pages[name] = tt
	}
	for name, tt := range directoryTabularTemplateCases() {
		pages[name] = tt
	}
	for name, tt := range mailingTemplateCases() {
		pages[name] = tt
	}
	for name, tt := range directoryCoverageTemplateCases() {
		pages[name] = tt
	}
	for name, tt := range directoryContactTemplateCases() {
		pages[name] = tt
	}
	for name, tt := range libraryTemplateCases() {
		pages[name] = tt
	}
	files, _ := fs.Glob(templateFiles, "templates/pages/*.html")
	for _, f := range files {
		if _, ok := pages[path.Base(f)]; !ok {
			t.Errorf("template %s has no render test", f)
		}
	}
	for name, tt := range pages {
		t.Run(name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			req := httptest.NewRequest("GET", "/", nil)
			if err := s.render(rec, req, 200, name, tt.p); err != nil {
				t.Fatal(err)
			}
			body := rec.Body.String()
			if !strings.Contains(body, tt.want) {
				t.Errorf("rendered page lacks %q", tt.want)
			}
			if !strings.Contains(body, `<main class="govuk-main-wrapper" id="main-content">`) || !strings.Contains(body, `lang="en-GB"`) {
				t.Error("page is not inside the layout")
			}
			if strings.Contains(body, "le<eds") {
				t.Error("user input was not escaped")
			}
		})
	}
}
