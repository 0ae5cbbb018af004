package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/contact"
	"haven/internal/haven"
	"haven/internal/programme"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

var errorSummary = regexp.MustCompile(`(?s)<ul class="govuk-list govuk-error-summary__list">(.*?)</ul>`)

// bodyIDRecords are, for each kind of record whose ID a request body may
// name, one the caller may not see of each sort: another tenant's, another
// Practice's, and one in her own Practice whose woman is not allocated to
// the caller. A missing ID is compared with each.
type bodyIDRecords struct {
	children, arrangements, agencies, practitioners, practices map[string]int64
}

// missingID is an ID no row has.
const missingID = int64(1) << 40

func seedBodyIDRecords(t *testing.T, f *fixture, db *store.DB) bodyIDRecords {
	t.Helper()
	ctx := t.Context()
	today := haven.NewDate(2026, 11, 23)
	org, err := db.CreateOrganisation(ctx, access.Organisation{Slug: "oracle-other-trust", Name: "Another Trust"})
	if err != nil {
		t.Fatal(err)
	}
	prac, err := db.CreatePractice(ctx, access.Practice{OrganisationID: org.ID, Slug: "oracle-other-practice", Name: "Another Practice", LocalAuthorities: []string{"E08000035"}})
	if err != nil {
		t.Fatal(err)
	}
	u, err := db.CreateUser(ctx, access.User{Email: "oracle-practitioner@example.invalid", DisplayName: "Another Practitioner"})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.AddMembership(ctx, audit.Event{}, u.ID, store.Grant{Role: access.RolePractitioner,
		Tenant: store.Tenant{Kind: access.TenantPractice, ID: prac.ID, Slug: prac.Slug}}); err != nil {
		t.Fatal(err)
	}
	otherLead := &access.Actor{User: u, Memberships: []access.Membership{{UserID: u.ID, Role: access.RolePracticeLead, TenantKind: access.TenantPractice, TenantID: prac.ID}}}
	women := map[string]programme.Person{}
	if women["another tenant's"], err = db.CreatePerson(ctx, audit.Event{}, otherLead, programme.Person{PracticeID: prac.ID, PractitionerID: u.ID, FirstName: "Tess", LastName: "Elsewhere"}); err != nil {
		t.Fatal(err)
	}
	women["another Practice's"] = f.hillcrest
	if women["an unallocated woman's"], err = db.CreatePerson(ctx, audit.Event{}, mustActor(t, db, f.riverLead.UserID),
		programme.Person{PracticeID: f.person.PracticeID, PractitionerID: f.otherPrac.UserID, FirstName: "Una", LastName: "Colleagues"}); err != nil {
		t.Fatal(err)
	}
	recs := bodyIDRecords{map[string]int64{}, map[string]int64{}, map[string]int64{}, map[string]int64{}, map[string]int64{}}
	for sort, p := range women {
		child, err := db.CreateChild(ctx, audit.Event{}, contact.Child{PersonID: p.ID, Name: "Rowan", BirthYear: 2020, LegalStatus: "care-order", Placement: "foster-care"}, 0, today)
		if err != nil {
			t.Fatal(err)
		}
		arr, err := db.CreateArrangement(ctx, audit.Event{}, contact.Arrangement{PersonID: p.ID, ChildID: child.ID, Type: contact.Letterbox, Frequency: "Yearly",
			ArrangedBy: "adoption-agency", Basis: "adoption-contact-plan", StartOn: haven.NewDate(2023, 1, 1)}, 0, today)
		if err != nil {
			t.Fatal(err)
		}
		recs.children[sort], recs.arrangements[sort] = child.ID, arr.ID
		if p.PracticeID != f.person.PracticeID {
			a, err := db.CreateAgency(ctx, audit.Event{}, programme.Agency{PracticeID: p.PracticeID, Name: "Shelter Elsewhere", Kind: "housing"})
			if err != nil {
				t.Fatal(err)
			}
			recs.agencies[sort] = a.ID
			recs.practices[sort] = p.PracticeID
		}
	}
	recs.practitioners["another tenant's"] = u.ID
	recs.practitioners["another Practice's"] = f.byRoleIn(access.RolePractitioner, "demo-hillcrest").UserID
	return recs
}

// S16, S18: every route that takes an ID in its body (forms and API) answers
// an ID the caller may not see (another tenant's, another Practice's, or a
// record in her own Practice that is not hers) exactly as it answers an ID
// that does not exist: the same status and the same message. Before, an
// arrangement of someone else's in POST /api/v1/people/{ref}/changes was 409
// and a missing one 404.
func TestS16S18BodyIDsCannotProbeForRecords(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.freshPerson(t)
		recs := seedBodyIDRecords(t, f, db)
		base := "/people/" + f.person.Ref
		api := "/api/v1" + base
		practitioner, lead := f.signIn(t, f.allocated), f.signIn(t, f.riverLead)
		id := func(n int64) string { return itoa(n) }

		type route struct {
			name   string
			ids    map[string]int64
			api    bool
			client *http.Client
			path   string
			body   func(id string) string     // API
			form   func(id string) url.Values // pages
		}
		routes := []route{
			{name: "API change's arrangementId", ids: recs.arrangements, api: true, path: api + "/changes", body: func(id string) string {
				return `{"arrangementId":` + id + `,"arrangementVersion":1,"aspect":"frequency","from":"Yearly","to":"Twice a year","effectiveOn":"2026-10-01","changedBy":"adopters-carers","reasonGiven":"not-known"}`
			}},
			{name: "API contact session's arrangementId", ids: recs.arrangements, api: true, path: api + "/contact-sessions", body: func(id string) string {
				return `{"arrangementId":` + id + `,"plannedOn":"2026-12-01"}`
			}},
			{name: "API letter's arrangementId", ids: recs.arrangements, api: true, path: api + "/letterbox", body: func(id string) string {
				return `{"arrangementId":` + id + `,"direction":"to-her"}`
			}},
			{name: "API arrangement's childId", ids: recs.children, api: true, path: api + "/arrangements", body: func(id string) string {
				return `{"childId":` + id + `,"type":"letterbox","frequency":"Yearly","arrangedBy":"adoption-agency","basis":"adoption-contact-plan","startOn":"2023-03-01"}`
			}},
			{name: "API proceedings' childIds", ids: recs.children, api: true, path: api + "/proceedings", body: func(id string) string {
				return `{"issuedOn":"2022-05-02","court":"Leeds","childIds":[` + id + `],"outcome":"placement-order"}`
			}},
			{name: "arrangement form's child", ids: recs.children, client: practitioner, path: base + "/contact/arrangements", form: func(id string) url.Values {
				return dateForm(url.Values{"child": {id}, "type": {"letterbox"}, "frequency": {"Yearly"}, "arrangedBy": {"adoption-agency"}, "basis": {"adoption-contact-plan"}}, "start", "1", "3", "2023")
			}},
			{name: "proceedings form's children", ids: recs.children, client: practitioner, path: base + "/contact/proceedings", form: func(id string) url.Values {
				return dateForm(url.Values{"children": {id}, "court": {"Leeds"}, "outcome": {"placement-order"}}, "issued", "2", "5", "2022")
			}},
			{name: "contact session form's arrangement", ids: recs.arrangements, client: practitioner, path: base + "/contact/sessions", form: func(id string) url.Values {
				return dateForm(url.Values{"arrangement": {id}}, "planned", "1", "12", "2026")
			}},
			{name: "letterbox form's arrangement", ids: recs.arrangements, client: practitioner, path: base + "/contact/letterbox", form: func(id string) url.Values {
				return url.Values{"arrangement": {id}, "direction": {"to-her"}}
			}},
			{name: "referral out's agency", ids: recs.agencies, client: practitioner, path: base + "/referrals-out", form: func(id string) url.Values {
				return dateForm(url.Values{"agency": {id}, "reason": {"Somewhere to live"}}, "sentOn", "20", "11", "2026")
			}},
			{name: "allocation's practitioner", ids: recs.practitioners, client: lead, path: base + "/allocation", form: func(id string) url.Values {
				return url.Values{"practitioner": {id}, "version": {itoa(f.person.Version)}}
			}},
			{name: "sharing's practitioner", ids: recs.practitioners, client: lead, path: base + "/allocation", form: func(id string) url.Values {
				return url.Values{"practitioner": {id}, "version": {itoa(f.person.Version)}, "action": {"share"}}
			}},
			{name: "new person's practice", ids: recs.practices, client: lead, path: "/people", form: func(id string) url.Values {
				return url.Values{"practice": {id}, "firstName": {"Nia"}, "lastName": {"Probe"}, "careExperienced": {"unknown"}}
			}},
			{name: "new person's practitioner", ids: recs.practitioners, client: lead, path: "/people", form: func(id string) url.Values {
				return url.Values{"practice": {itoa(f.person.PracticeID)}, "practitioner": {id}, "firstName": {"Nia"}, "lastName": {"Probe"}, "careExperienced": {"unknown"}}
			}},
			{name: "agency's practice", ids: recs.practices, client: lead, path: "/agencies", form: func(id string) url.Values {
				return url.Values{"practice": {id}, "name": {"Probe Housing"}, "kind": {"housing"}}
			}},
		}
		for _, rt := range routes {
			call := func(n int64) (int, string) {
				if rt.api {
					req, _ := http.NewRequest("POST", f.ts.URL+rt.path, strings.NewReader(rt.body(id(n))))
					req.Header.Set("Authorization", "Bearer "+f.allocated.APIToken)
					req.Header.Set("Content-Type", "application/json")
					res := tlsDo(t, f, req)
					return res.status, refusal(res, true)
				}
				res := send(t, rt.client, "POST", f.ts.URL+rt.path, rt.form(id(n)))
				summary := ""
				if m := errorSummary.FindStringSubmatch(res.body); m != nil {
					summary = m[1]
				}
				return res.status, refusal(res, false) + " | " + summary
			}
			wantStatus, want := call(missingID)
			if wantStatus < 400 || wantStatus >= 500 {
				t.Errorf("%s, a missing ID: %d %s", rt.name, wantStatus, want)
			}
			if len(rt.ids) < 2 {
				t.Fatalf("%s: only %d records to try", rt.name, len(rt.ids))
			}
			for sort, n := range rt.ids {
				if status, got := call(n); status != wantStatus || got != want {
					t.Errorf("%s, %s ID: %d %s\nbut a missing ID: %d %s", rt.name, sort, status, got, wantStatus, want)
				}
			}
		}
		// Nothing was written to her record by any of it.
		if rec, _ := db.Contact(t.Context(), f.person.ID); len(rec.Children)+len(rec.Arrangements)+len(rec.Changes)+len(rec.Sessions)+len(rec.Letterbox)+len(rec.Proceedings) != 0 {
			t.Errorf("a refused ID wrote to her record: %+v", rec)
		}
	})
}
