package web_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"haven/internal/demo"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// Her contact details are kept with "safe to use?", and when her address is
// confidential only her practitioner and the lead see them: a co-ordinator
// who may edit her details neither sees nor loses them.
func TestContactDetailsAndConfidentialAddress(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		c := f.signIn(t, f.allocated)
		path := f.ts.URL + "/people/" + f.person.Ref
		form := url.Values{"version": {itoa(f.person.Version)}, "firstName": {f.person.FirstName}, "lastName": {f.person.LastName},
			"careExperienced": {"unknown"}, "phone": {"07700 900111"}, "phoneSafe": {"no"}, "email": {"safe@example.org"}, "emailSafe": {"yes"},
			"address": {"1 Example Row\nLS6 1AA"}, "addressSafe": {"unknown"}, "addressConfidential": {"yes"}}
		bad := url.Values{}
		for k, v := range form {
			bad[k] = v
		}
		bad.Set("phone", "call me")
		bad.Set("emailSafe", "perhaps")
		res := send(t, c, "POST", path, bad)
		if res.status != 422 || !strings.Contains(res.body, "Enter the mobile phone number") || !strings.Contains(res.body, "Choose whether it is safe to use") ||
			!strings.Contains(res.body, "1 Example Row") {
			t.Errorf("bad contact details: %d, want 422 naming both fields and keeping the address", res.status)
		}
		if res := send(t, c, "POST", path, form); res.status != 303 {
			t.Fatalf("save: %d\n%s", res.status, res.body)
		}
		res = send(t, c, "GET", path, nil)
		for _, want := range []string{"07700 900111 <strong class=\"govuk-tag govuk-tag--red\">Not safe: do not use</strong>",
			"safe@example.org <strong class=\"govuk-tag govuk-tag--green\">Safe to use</strong>", "1 Example Row<br>LS6 1AA",
			"Care-experienced</dt><dd class=\"govuk-summary-list__value\">Not known"} {
			if !strings.Contains(res.body, want) {
				t.Errorf("her practitioner's view of her record lacks %q", want)
			}
		}
		if res := send(t, f.signIn(t, f.riverLead), "GET", path, nil); !strings.Contains(res.body, "07700 900111") {
			t.Error("the lead does not see her contact details")
		}
		coord := f.signIn(t, f.riverCoord)
		api := func(a demo.Account) response {
			req, _ := http.NewRequest("GET", f.ts.URL+"/api/v1/people/"+f.person.Ref, nil)
			req.Header.Set("Authorization", "Bearer "+a.APIToken)
			res, err := f.ts.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			body, _ := io.ReadAll(res.Body)
			return response{status: res.StatusCode, body: string(body)}
		}
		if res := api(f.allocated); !strings.Contains(res.body, `"value":"07700 900111","safe":"no"`) {
			t.Errorf("the API does not give her practitioner her contact details: %d %s", res.status, res.body)
		}
		for page, res := range map[string]response{"her record": send(t, coord, "GET", path, nil), "the edit form": send(t, coord, "GET", path+"/edit", nil),
			"the API": api(f.riverCoord)} {
			if res.status != 200 || strings.Contains(res.body, "07700 900111") || strings.Contains(res.body, "safe@example.org") || strings.Contains(res.body, "Example Row") {
				t.Errorf("%s: the co-ordinator sees her contact details, or not the page (%d), though her address is confidential", page, res.status)
			}
		}
		// The co-ordinator's edit keeps what she could not see.
		current, _, err := db.PersonFor(t.Context(), mustActor(t, db, f.riverLead.UserID), f.person.Ref)
		if err != nil {
			t.Fatal(err)
		}
		edit := url.Values{"version": {itoa(current.Version)}, "firstName": {"Renamed"}, "lastName": {current.LastName}, "careExperienced": {"yes"}}
		if res := send(t, coord, "POST", path, edit); res.status != 303 {
			t.Fatalf("co-ordinator's edit: %d\n%s", res.status, res.body)
		}
		after, _, err := db.PersonFor(t.Context(), mustActor(t, db, f.riverLead.UserID), f.person.Ref)
		if err != nil || after.FirstName != "Renamed" || after.Contact != current.Contact || !after.AddressConfidential {
			t.Errorf("after the co-ordinator's edit: %+v, %v; want her contact details and confidentiality kept", after, err)
		}
	})
}
