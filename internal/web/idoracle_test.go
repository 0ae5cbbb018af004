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
	"haven/internal/measure"
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
	people                                                     map[string]int64 // whose records they are
	refs                                                       map[string]string
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
	recs := bodyIDRecords{map[string]int64{}, map[string]int64{}, map[string]int64{}, map[string]int64{}, map[string]int64{}, map[string]int64{}, map[string]string{}}
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
		recs.children[sort], recs.arrangements[sort], recs.people[sort], recs.refs[sort] = child.ID, arr.ID, p.ID, p.Ref
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
			refs   map[string]string          // people's references instead of IDs
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
		// Triage: a referral waiting in her Practice, accepted for a
		// practitioner, or linked to a woman already on record.
		queue, err := db.TriageQueue(t.Context(), mustActor(t, db, f.riverLead.UserID))
		if err != nil || len(queue) == 0 {
			t.Fatalf("no referral to triage: %v", err)
		}
		rf := queue[0]
		// The lead sees every woman in her Practice, so only the others are hidden from her.
		refs := map[string]string{"another tenant's": recs.refs["another tenant's"], "another Practice's": recs.refs["another Practice's"]}
		routes = append(routes,
			route{name: "triage acceptance's practitioner", ids: recs.practitioners, client: lead, path: "/triage/" + rf.Ref + "/outcome", form: func(id string) url.Values {
				return url.Values{"outcome": {"accepted"}, "practitioner": {id}, "version": {itoa(rf.Version)}}
			}},
			route{name: "triage link's match", refs: refs, client: lead, path: "/triage/" + rf.Ref + "/outcome", form: func(ref string) url.Values {
				return url.Values{"outcome": {"linked"}, "match": {ref}, "version": {itoa(rf.Version)}}
			}},
			route{name: "staff referral's practice", ids: recs.practices, client: practitioner, path: "/referrals/new", form: func(id string) url.Values {
				return url.Values{"practice": {id}, "firstName": {"Nia"}, "lastName": {"Probe"}}
			}},
		)
		for _, rt := range routes {
			call := func(n string) (int, string) {
				if rt.api {
					req, _ := http.NewRequest("POST", f.ts.URL+rt.path, strings.NewReader(rt.body(n)))
					req.Header.Set("Authorization", "Bearer "+f.allocated.APIToken)
					req.Header.Set("Content-Type", "application/json")
					res := tlsDo(t, f, req)
					return res.status, refusal(res, true)
				}
				res := send(t, rt.client, "POST", f.ts.URL+rt.path, rt.form(n))
				summary := ""
				if m := errorSummary.FindStringSubmatch(res.body); m != nil {
					summary = m[1]
				}
				return res.status, refusal(res, false) + " | " + summary
			}
			tries, missing := map[string]string{}, id(missingID)
			for whose, n := range rt.ids {
				tries[whose] = id(n)
			}
			if rt.refs != nil {
				tries, missing = rt.refs, "zzzzzzzzzzzz"
			}
			wantStatus, want := call(missing)
			if wantStatus < 400 || wantStatus >= 500 {
				t.Errorf("%s, a missing ID: %d %s", rt.name, wantStatus, want)
			}
			if len(tries) < 2 {
				t.Fatalf("%s: only %d records to try", rt.name, len(tries))
			}
			for sort, n := range tries {
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

// S16, S18: an ID in the path under her record (a child, an arrangement, a
// change, a goal, an enrolment, a session, a letter, a referral out) that
// belongs to another woman, in another Practice or in hers, is answered
// exactly as an ID that does not exist, on every such route in the table.
// (The handlers look such IDs up in her own record first; this keeps it so.)
func TestS16S18PathIDsCannotProbeForRecords(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx, today := t.Context(), haven.NewDate(2026, 11, 23)
		recs := seedBodyIDRecords(t, f, db)
		lead := mustActor(t, db, f.riverLead.UserID)
		people, err := db.PeopleFor(ctx, lead, store.Page{})
		if err != nil {
			t.Fatal(err)
		}
		others := map[string]programme.Person{"another Practice's": f.hillcrest}
		for _, p := range people {
			if p.PractitionerID != f.allocated.UserID && p.ID != f.person.ID {
				others["an unallocated woman's"] = p
				break
			}
		}
		if len(others) != 2 {
			t.Fatal("no unallocated woman in the demo Practice")
		}
		// ids[kind][whose] is one record of that kind of hers.
		ids := map[string]map[string]int64{}
		add := func(kind, whose string, id int64) {
			if ids[kind] == nil {
				ids[kind] = map[string]int64{}
			}
			if _, done := ids[kind][whose]; !done {
				ids[kind][whose] = id
			}
		}
		for whose, p := range others {
			rec, err := db.Contact(ctx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range rec.Children {
				add("children", whose, c.ID)
			}
			for _, a := range rec.Arrangements {
				add("arrangements", whose, a.ID)
			}
			for _, c := range rec.Changes {
				add("changes", whose, c.ID)
			}
			for _, c := range rec.Sessions {
				add("contact sessions", whose, c.ID)
			}
			for _, x := range rec.Letterbox {
				add("letterbox", whose, x.ID)
			}
			goals, _ := db.Goals(ctx, p.ID, true)
			for _, g := range goals {
				add("goals", whose, g.ID)
			}
			es, _ := db.Enrolments(ctx, p.ID)
			for _, e := range es {
				add("enrolments", whose, e.ID)
			}
			ss, _ := db.SupportSessions(ctx, p.ID)
			for _, s := range ss {
				add("sessions", whose, s.ID)
			}
			rs, _ := db.ReferralsOut(ctx, p.ID)
			for _, r := range rs {
				add("referrals-out", whose, r.ID)
			}
		}
		// Another tenant's woman has a child and a letterbox arrangement; give
		// her a change, a contact session and a letter too.
		tenant := "another tenant's"
		arr := recs.arrangements[tenant]
		tenantPerson := recs.people[tenant]
		ch, err := db.RecordChange(ctx, audit.Event{}, contact.Change{PersonID: tenantPerson, ArrangementID: arr, Aspect: "other", EffectiveOn: today, ChangedBy: "court",
			ReasonGiven: contact.ReasonNotKnown}, 1, today)
		if err != nil {
			t.Fatal(err)
		}
		cs, err := db.CreateContactSession(ctx, audit.Event{}, contact.ContactSession{PersonID: tenantPerson, ArrangementID: arr, PlannedOn: today}, 0, today)
		if err != nil {
			t.Fatal(err)
		}
		lx, err := db.CreateLetterboxExchange(ctx, audit.Event{}, contact.LetterboxExchange{PersonID: tenantPerson, ArrangementID: arr, Direction: "to-her"}, 0, today)
		if err != nil {
			t.Fatal(err)
		}
		her := programme.Person{ID: tenantPerson, PracticeID: recs.practices[tenant]}
		g, err := db.CreateGoal(ctx, audit.Event{}, programme.Goal{PersonID: her.ID, Domain: "housing", Words: "A flat", Progress: programme.NotStarted}, 0, today)
		if err != nil {
			t.Fatal(err)
		}
		sess, err := db.RecordSession(ctx, audit.Event{}, programme.Session{PersonID: her.ID, On: today, Type: "video", Minutes: 30, InitiatedBy: "her", Note: "Talked", CreatedBy: recs.practitioners[tenant]}, today, false)
		if err != nil {
			t.Fatal(err)
		}
		ro, err := db.SendReferralOut(ctx, audit.Event{}, her, recs.agencies[tenant], "Somewhere to live", today)
		if err != nil {
			t.Fatal(err)
		}
		phq := []measure.Answer{measure.A(1), measure.A(1), measure.A(1), measure.A(1), measure.A(1), measure.A(1), measure.A(1), measure.A(1), measure.A(1)}
		rec, err := measure.NewRecord(measure.PHQ9, measure.Baseline, today, phq, today)
		if err != nil {
			t.Fatal(err)
		}
		mid, err := db.AddMeasure(ctx, audit.Event{}, her.ID, rec, 0)
		if err != nil {
			t.Fatal(err)
		}
		add("prompt", tenant, mid)
		add("response", tenant, mid)
		add("goals", tenant, g.ID)
		add("sessions", tenant, sess.ID)
		add("referrals-out", tenant, ro.ID)
		add("children", tenant, recs.children[tenant])
		add("arrangements", tenant, arr)
		add("changes", tenant, ch.ID)
		add("contact sessions", tenant, cs.ID)
		add("letterbox", tenant, lx.ID)

		kindOf := func(path string) string {
			before, _, _ := strings.Cut(path, "/{id}")
			switch {
			case strings.HasSuffix(before, "/contact/sessions"), strings.HasSuffix(before, "/contact-sessions"):
				return "contact sessions"
			case strings.HasSuffix(before, "/plan/goals"):
				return "goals"
			}
			return before[strings.LastIndex(before, "/")+1:]
		}
		c := f.signIn(t, f.allocated)
		tried := 0
		for pattern := range personRoutes(t, db) {
			method, path, _ := strings.Cut(pattern, " ")
			if !strings.Contains(path, "{id}") {
				continue
			}
			kind := kindOf(path)
			if len(ids[kind]) == 0 {
				t.Errorf("%s: no other woman's %s to try", pattern, kind)
				continue
			}
			api := strings.HasPrefix(path, "/api/")
			call := func(id int64) (int, string) {
				p := strings.NewReplacer("{ref}", f.person.Ref, "{id}", itoa(id)).Replace(path)
				if api {
					var body *strings.Reader
					if method == "GET" {
						body = strings.NewReader("")
					} else {
						body = strings.NewReader(`{"version":1}`)
					}
					req, _ := http.NewRequest(method, f.ts.URL+p, body)
					req.Header.Set("Authorization", "Bearer "+f.allocated.APIToken)
					req.Header.Set("Content-Type", "application/json")
					req.Header.Set("If-Match", `"1"`)
					res := tlsDo(t, f, req)
					return res.status, refusal(res, true)
				}
				var form url.Values
				if method == "POST" {
					form = url.Values{"version": {"1"}}
				}
				res := send(t, c, method, f.ts.URL+p, form)
				return res.status, refusal(res, false)
			}
			wantStatus, want := call(missingID)
			for whose, id := range ids[kind] {
				tried++
				if status, got := call(id); status != wantStatus || got != want {
					t.Errorf("%s with %s %s: %d %s\nbut a missing ID: %d %s", pattern, whose, kind, status, got, wantStatus, want)
				}
			}
		}
		if tried < 30 {
			t.Errorf("only %d tries", tried)
		}
	})
}
