package web

import (
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
