package web_test

import (
	"html"
	"net/url"
	"strings"
	"testing"

	"haven/internal/audit"
	"haven/internal/document/doctest"
	"haven/internal/programme"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// Every printed plan and letter says when it was printed and by whom, who
// her practitioner is and how to reach her Practice; the HTML copies offer a
// Print button without an inline script, and the PDF carries the same words
// on its pages, with her name as written whatever its alphabet.
func TestPrintedPlanAndLetterSayWhoWhenAndWhere(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		f.freshPerson(t)
		ctx := t.Context()
		practitioner, err := db.User(ctx, f.allocated.UserID)
		if err != nil {
			t.Fatal(err)
		}
		lead, err := db.User(ctx, f.riverLead.UserID)
		if err != nil {
			t.Fatal(err)
		}
		practice, err := db.Practice(ctx, f.person.PracticeID)
		if err != nil {
			t.Fatal(err)
		}
		unallocated, err := db.CreatePerson(ctx, audit.Event{}, mustActor(t, db, f.riverLead.UserID),
			programme.Person{PracticeID: f.person.PracticeID, FirstName: "Wren", LastName: "Unallocated"})
		if err != nil {
			t.Fatal(err)
		}
		printed := "Printed on 23 November 2026 at 9:00am by " + lead.DisplayName + "."
		page := "http://127.0.0.1:8080/practices/" + practice.Slug
		c := f.signIn(t, f.riverLead)
		period := dateForm(dateForm(url.Values{}, "from", "1", "1", "2026"), "to", "23", "11", "2026")
		for _, tc := range []struct {
			name, method, path string
			form               url.Values
			practitioner       string
		}{
			{"plan", "GET", "/people/" + f.person.Ref + "/plan/print", nil, practitioner.DisplayName},
			{"letter", "POST", "/people/" + f.person.Ref + "/contact/letter", period, practitioner.DisplayName},
			{"plan of a woman without a practitioner", "GET", "/people/" + unallocated.Ref + "/plan/print", nil, "Not allocated yet"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				res := send(t, c, tc.method, f.ts.URL+tc.path, tc.form)
				if res.status != 200 {
					t.Fatalf("%d\n%s", res.status, res.body)
				}
				main := res.body[strings.Index(res.body, "<main"):strings.Index(res.body, "</main>")]
				for _, want := range []string{
					"Who to contact", "Your practitioner", html.EscapeString(tc.practitioner),
					html.EscapeString(practice.Name), page, html.EscapeString(printed),
					`data-haven-print="Print this `, "use your browser’s print command",
				} {
					if !strings.Contains(main, want) {
						t.Errorf("the printed copy lacks %q", want)
					}
				}
				// The CSP forbids inline scripts: the button comes from static/print.mjs.
				if strings.Contains(main, "<script") || strings.Contains(main, "onclick") {
					t.Error("the printed copy has an inline script")
				}
			})
		}

		// The chronology printed for the file has the same button, without the
		// contact details: it is not hers to keep.
		if res := send(t, c, "GET", f.ts.URL+"/people/"+f.person.Ref+"/chronology?print=1", nil); res.status != 200 || !strings.Contains(res.body, `data-haven-print="Print this chronology"`) {
			t.Errorf("printable chronology: %d, Print button offered: %v", res.status, strings.Contains(res.body, "data-haven-print"))
		}

		res := send(t, c, "POST", f.ts.URL+"/people/"+f.person.Ref+"/contact/letter.pdf", period)
		if res.status != 200 || res.header.Get("Content-Type") != "application/pdf" {
			t.Fatalf("PDF letter: %d %s", res.status, res.header.Get("Content-Type"))
		}
		// The unit tests read each page back; here, the words are the request's.
		pdf, err := doctest.ReadPDF([]byte(res.body))
		if err != nil {
			t.Fatal(err)
		}
		text := strings.Join(strings.Fields(pdf.Text()), " ")
		for _, want := range []string{"Your practitioner: " + practitioner.DisplayName + ". ", page, printed, "Page 1 of 1"} {
			if !strings.Contains(text, want) {
				t.Errorf("the PDF lacks %q", want)
			}
		}

		// A woman whose name is outside Latin-1 gets a letter with her name
		// as written, read back out of the PDF the route sends.
		named, err := db.CreatePerson(ctx, audit.Event{}, mustActor(t, db, f.riverLead.UserID),
			programme.Person{PracticeID: f.person.PracticeID, FirstName: "Agnieszka", LastName: "Wiśniewska-Łącka Nguyễn"})
		if err != nil {
			t.Fatal(err)
		}
		res = send(t, c, "POST", f.ts.URL+"/people/"+named.Ref+"/contact/letter.pdf", period)
		if res.status != 200 || res.header.Get("Content-Type") != "application/pdf" {
			t.Fatalf("PDF letter: %d %s", res.status, res.header.Get("Content-Type"))
		}
		if pdf, err = doctest.ReadPDF([]byte(res.body)); err != nil {
			t.Fatal(err)
		}
		text = pdf.Text()
		for _, want := range []string{"Dear Agnieszka Wiśniewska-Łącka Nguyễn,", "For Agnieszka Wiśniewska-Łącka Nguyễn. Made on"} {
			if !strings.Contains(text, want) {
				t.Errorf("the PDF lacks %q; it reads:\n%s", want, text)
			}
		}
		if strings.Contains(text, "?") || pdf.Title != "What has changed and why: Agnieszka Wiśniewska-Łącka Nguyễn" {
			t.Errorf("her name did not print as written: title %q, text:\n%s", pdf.Title, text)
		}
	})
}
