package web

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"haven/internal/access"
	"haven/internal/directory"
	"haven/internal/store"
)

// directoryContactTemplateCases are TestEveryTemplateRenders' cases for a
// service contact's pages and the editors' contact account page; typed
// text must come back escaped.
func directoryContactTemplateCases() map[string]struct {
	p    page
	want string
} {
	entry := directory.Entry{Name: "Wharfe le<eds Project", Description: "Support.", Status: directory.StatusActive, HowToRefer: "Ring.",
		ServiceAreas: []string{"E08000035"}}
	svc := directory.Service{ID: directory.NameID("t"), Entry: entry, Version: 3, LastVerified: time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC)}
	form := &dirFormPage{Layout: Layout{Title: "Wharfe", Errors: []FieldError{{"status", "Only the directory team can reopen a service"}}},
		Form: suggestForm{Entry: entry, SelfReferralSet: true}, Authorities: []access.LocalAuthority{{Code: "E08000035", Name: "Leeds"}},
		Statuses: directory.ContactStatuses(directory.StatusActive), Taxonomies: directory.Taxonomies}
	return map[string]struct {
		p    page
		want string
	}{
		"directory-my-services.html": {&dirMyServicesPage{Layout: Layout{Title: "Your directory entries"},
			Services: []dirMyService{{Service: svc, Stale: true}}}, "Not checked for 12 months"},
		"directory-my-service.html": {&dirMyServicePage{dirFormPage: form, Service: svc, Stale: true}, "This is still correct"},
		"directory-entry-contact.html": {&dirKeeperPage{Layout: Layout{Title: "Account ready"}, Service: svc,
			Keeper: store.ServiceKeeper{UserID: 9, Name: "Kim le<eds", Email: "kim@example.org"}, Link: "https://haven.example/enrol/abc",
			Expires: time.Date(2026, 12, 8, 9, 0, 0, 0, time.UTC)}, "https://haven.example/enrol/abc"},
	}
}

// FuzzContactEntryForm: whatever a service contact posts, the parser does
// not panic, and a form the checks pass carries no markup, only http(s)
// links, and a status the contact may choose: never defunct unless it was.
func FuzzContactEntryForm(f *testing.F) {
	for _, seed := range []string{
		"name=N&description=D&status=active&how-to-refer=R&self-referral=no&areas=E08000035&version=3",
		"name=N&description=D&status=defunct&how-to-refer=R&self-referral=yes&areas=E08000035",
		"name=%3Cscript%3E&website=javascript:alert(1)&status=temporarily+closed",
		"status=in+development&terms=" + directory.PausePracticeTerm + "&areas=E08000035&areas=",
		"",
	} {
		f.Add(seed, false)
	}
	known := func(c string) bool { return c == "E08000035" }
	f.Fuzz(func(t *testing.T, body string, wasDefunct bool) {
		v, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		current := directory.StatusActive
		if wasDefunct {
			current = directory.StatusDefunct
		}
		e := parseEntryFields(v)
		fields := entryProblems(e, known)
		contactStatusProblem(fields, current, e.Status)
		if len(fields) > 0 {
			return
		}
		for _, s := range []string{e.Name, e.Description, e.HowToRefer, e.Eligibility, e.Email, e.Website} {
			if strings.ContainsAny(s, "<>") {
				t.Fatalf("accepted markup %q", s)
			}
		}
		if w := strings.ToLower(e.Website); w != "" && !strings.HasPrefix(w, "http://") && !strings.HasPrefix(w, "https://") {
			t.Fatalf("accepted link %q", e.Website)
		}
		if !directory.ContactMayChoose(current, e.Status) || (e.Status == directory.StatusDefunct) != wasDefunct {
			t.Fatalf("accepted status %q on an entry that was %q", e.Status, current)
		}
	})
}
