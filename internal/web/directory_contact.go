package web

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/auth"
	"haven/internal/directory"
	"haven/internal/haven"
	"haven/internal/store"
)

// Each service's contact keeps its entry up to date through an account
// (issue 20 item 3). A directory editor gives the contact an account from
// the entry's page (the enrolment link is shown once, as an administrator's
// invitation is); the contact then changes the entry or confirms it is
// still correct. The contact is the service, so their changes are published
// at once, with field history by them; the public's suggestions stay
// moderated. A contact may not mark a service defunct, nor reopen one: see
// directory.ContactStatuses.

func init() {
	savedMessages["dir-my-updated"] = "Your entry is saved and published"
	savedMessages["dir-my-checked"] = "Thank you: your entry is marked as checked today"
	savedMessages["dir-keeper-removed"] = "The contact can no longer keep this entry"
	idempotentRoutes["POST /directory/entries/{id}/accounts"] = true
	homeLinks = append(homeLinks, struct{ pattern, href, text, hint string }{
		"GET /directory/my-services", "/directory/my-services", "Your directory entries", "Keep your service's entry in the directory up to date"})
}

// verifiedToday is today's date in England, as a last verified date.
func (s *Server) verifiedToday() time.Time {
	now := s.now().In(london)
	return time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
}

// withKeepers adds who can keep the entry to an editor's entry page.
func (s *Server) withKeepers(r *http.Request, p *dirEntryPage) error {
	ks, err := s.store.ServiceKeepers(r.Context(), p.Service.ID)
	p.Keepers = ks
	return err
}

// keeperFields is the contact account form's order.
var keeperFields = []string{"contact-name", "contact-email"}

// dirKeeperPage is "Give this service's contact an account" and, once
// the account is linked, its enrolment link, shown once.
type dirKeeperPage struct {
	Layout
	Service     directory.Service
	Name, Email string
	Keeper      store.ServiceKeeper // set once linked
	Link        string              // the enrolment link, if the account has not enrolled
	Expires     time.Time
}

func (s *Server) dirKeeperForm(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.editorService(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "directory-entry-contact.html", &dirKeeperPage{
		Layout: Layout{Title: "Give this service’s contact an account", Nav: "directory-queue"}, Service: svc})
}

func (s *Server) dirKeeperCreate(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.editorService(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	p := &dirKeeperPage{Layout: Layout{Title: "Give this service’s contact an account", Nav: "directory-queue"}, Service: svc,
		Name: strings.TrimSpace(r.PostFormValue("contact-name")), Email: strings.TrimSpace(r.PostFormValue("contact-email"))}
	k, err := s.store.LinkServiceContact(r.Context(), s.auditEvent(r, audit.Create), svc.ID, access.User{Email: p.Email, DisplayName: p.Name})
	if d, ok := duplicateOf(err); ok {
		// Sent twice: the first linked the account; answer as it did, with a new link.
		a, aerr := s.store.Account(r.Context(), d.ID)
		if aerr != nil {
			return aerr
		}
		k, err = store.ServiceKeeper{UserID: a.ID, Name: a.DisplayName, Email: a.Email, Enrolled: a.MFAEnrolled, Disabled: a.Disabled, ServiceID: svc.ID}, nil
	}
	if he, ok := errors.AsType[*haven.Error](err); ok && he.Kind == haven.KindInvalid && len(he.Fields) > 0 {
		f := map[string]string{}
		for k, v := range he.Fields {
			switch k {
			case "displayName":
				// access.User's label is "Name"; the form's is "Their full name".
				k = "contact-name"
				if v == "Enter name" {
					v = "Enter their full name"
				} else {
					v = strings.Replace(v, "Name", "Their full name", 1)
				}
			case "email":
				k = "contact-email"
			}
			f[k] = v
		}
		p.Errors = fieldErrors(f, keeperFields...)
		return s.render(w, r, http.StatusUnprocessableEntity, "directory-entry-contact.html", p)
	}
	if err != nil {
		return err
	}
	p.Keeper, p.Title = k, "Account ready"
	if !k.Enrolled {
		token := auth.NewToken()
		p.Expires = s.now().Add(24 * time.Hour)
		if err := s.store.CreateEnrolmentToken(r.Context(), k.UserID, auth.HashToken(token), p.Expires); err != nil {
			return err
		}
		p.Link = strings.TrimRight(s.baseURL, "/") + "/enrol/" + token
	}
	return s.render(w, r, http.StatusOK, "directory-entry-contact.html", p)
}

func (s *Server) dirKeeperRemove(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.editorService(r)
	if err != nil {
		return err
	}
	id, err := userID(r, "user")
	if err != nil {
		return err
	}
	if err := s.store.UnlinkServiceContact(r.Context(), s.auditEvent(r, audit.Delete), svc.ID, id); err != nil {
		return err
	}
	s.saved(w, r, "/directory/entries/"+svc.ID, "dir-keeper-removed")
	return nil
}

// dirMyServicesPage is a contact's list of the entries they keep.
type dirMyServicesPage struct {
	Layout
	Services []dirMyService
}

// dirMyService is one entry a contact keeps, flagged when overdue.
type dirMyService struct {
	directory.Service
	Stale bool
}

func (s *Server) dirMyServices(w http.ResponseWriter, r *http.Request) error {
	actor := infoFrom(r.Context()).actor
	ss, err := s.store.KeptServices(r.Context(), actor.User.ID)
	if err != nil {
		return err
	}
	p := &dirMyServicesPage{Layout: Layout{Title: "Your directory entries", Nav: "directory-mine"}}
	today := s.now()
	for _, sv := range ss {
		p.Services = append(p.Services, dirMyService{Service: sv, Stale: directory.Stale(sv.LastVerified, today)})
	}
	ev := s.auditEvent(r, audit.View)
	ev.RecordType = "dir-kept-services"
	if err := s.store.Audit(r.Context(), ev); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "directory-my-services.html", p)
}

// dirMyServicePage is a contact's form for one entry they keep.
type dirMyServicePage struct {
	*dirFormPage
	Service directory.Service
	Stale   bool
}

// keptService is the service in the path if it is linked to the signed-in
// contact; any other is not found, whether or not it exists.
func (s *Server) keptService(r *http.Request) (directory.Service, error) {
	svc, err := s.store.KeptService(r.Context(), infoFrom(r.Context()).actor.User.ID, r.PathValue("id"))
	if errors.Is(err, haven.ErrNotFound) {
		return svc, &statusError{http.StatusNotFound, ""}
	}
	return svc, err
}

func (s *Server) myServicePage(r *http.Request, svc directory.Service, e directory.Entry) (*dirMyServicePage, error) {
	f, err := s.newDirFormPage(r, svc.Name, suggestForm{Entry: e, SelfReferralSet: true})
	if err != nil {
		return nil, err
	}
	f.Nav, f.Statuses = "directory-mine", directory.ContactStatuses(svc.Status)
	return &dirMyServicePage{dirFormPage: f, Service: svc, Stale: directory.Stale(svc.LastVerified, s.now())}, nil
}

func (s *Server) dirMyService(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.keptService(r)
	if err != nil {
		return err
	}
	p, err := s.myServicePage(r, svc, svc.Entry)
	if err != nil {
		return err
	}
	ev := s.auditEvent(r, audit.View)
	ev.RecordType, ev.RecordID = "dir-service", svc.ID
	if err := s.store.Audit(r.Context(), ev); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "directory-my-service.html", p)
}

// dirMyServiceSave publishes a contact's change to their entry: the same
// fields and checks as the editors' form, with the statuses a contact may
// choose; saving it also says the entry was checked today.
func (s *Server) dirMyServiceSave(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.keptService(r)
	if err != nil {
		return err
	}
	e, fields, version, err := s.parseEntryEdit(r, svc)
	if err != nil {
		return err
	}
	contactStatusProblem(fields, svc.Status, e.Status)
	if len(fields) > 0 {
		p, err := s.myServicePage(r, svc, e)
		if err != nil {
			return err
		}
		p.Errors = fieldErrors(fields, suggestFields...)
		return s.render(w, r, http.StatusUnprocessableEntity, "directory-my-service.html", p)
	}
	svc.Entry, svc.Version, svc.LastVerified = e, version, s.verifiedToday()
	actor := infoFrom(r.Context()).actor
	if _, err := s.store.UpdateKeptService(r.Context(), s.auditEvent(r, audit.Update), actor.User.ID, svc, editorName(r)); err != nil {
		return err
	}
	s.saved(w, r, "/directory/my-services/"+svc.ID, "dir-my-updated")
	return nil
}

// contactStatusProblem adds why a contact may not give the entry this
// status, when its status is now current and nothing else is wrong with it.
func contactStatusProblem(fields map[string]string, current, status directory.Status) {
	if _, bad := fields["status"]; bad || directory.ContactMayChoose(current, status) {
		return
	}
	fields["status"] = "To say the service has closed for good, tell the directory team with ‘Suggest a correction’ on its public page"
	if current == directory.StatusDefunct {
		fields["status"] = "Only the directory team can reopen a service that has closed for good"
	}
}

// dirMyServiceChecked is "This is still correct": the entry is unchanged
// but for its last verified date, which keeps a field-history row.
func (s *Server) dirMyServiceChecked(w http.ResponseWriter, r *http.Request) error {
	svc, err := s.keptService(r)
	if err != nil {
		return err
	}
	svc.LastVerified = s.verifiedToday()
	actor := infoFrom(r.Context()).actor
	if _, err := s.store.UpdateKeptService(r.Context(), s.auditEvent(r, audit.Update), actor.User.ID, svc, editorName(r)); err != nil {
		return err
	}
	s.saved(w, r, "/directory/my-services/"+svc.ID, "dir-my-checked")
	return nil
}
