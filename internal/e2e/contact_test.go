package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/programme"
	"haven/internal/store"
)

// Children and contact: the pages for the axe table, and the acceptance
// journey without JavaScript.

func init() {
	pages = append(pages,
		pageCase{name: "children and contact", journey: onContact("", "Children and contact", "/people/{ref}/contact"), status: 200, want: "Contact arrangements"},
		pageCase{name: "add a child", journey: onContact("/contact", "Add a child", "/people/{ref}/contact/children/new"), status: 200, want: "First name or initials"},
		pageCase{name: "add a child with nothing entered", journey: contactEmpty("/contact/children/new", "Add the child"), status: 422, want: "Enter the child's first name or initials"},
		pageCase{name: "change a child's legal status or placement", journey: onContact("/contact", "Change legal status or placement", "/people/{ref}/contact/children/{id}"), status: 200, want: "If the child moved"},
		pageCase{name: "add care proceedings", journey: onContact("/contact", "Add care proceedings", "/people/{ref}/contact/proceedings/new"), status: 200, want: "Index proceedings"},
		pageCase{name: "add care proceedings with nothing entered", journey: contactEmpty("/contact/proceedings/new", "Add the proceedings"), status: 422, want: "Enter the date the proceedings were issued"},
		pageCase{name: "add a contact arrangement", journey: onContact("/contact", "Add a contact arrangement", "/people/{ref}/contact/arrangements/new"), status: 200, want: "Legal basis"},
		pageCase{name: "record a change to contact", journey: onContact("/contact", "Record a change", "/people/{ref}/contact/arrangements/{id}/changes/new"), status: 200, want: "Was she given a reason?"},
		pageCase{name: "record a change with no answer about the reason", journey: changeUnanswered, status: 422, want: "Answer whether she was given a reason for the change"},
		pageCase{name: "record a change with a reason beside No", journey: changeContradicted, status: 422, want: "Leave “The reason, as she was told it” blank"},
		pageCase{name: "withdraw a change to contact", journey: onContact("/contact", "Withdraw this change", "/people/{ref}/contact/changes/{id}/withdraw"), status: 200, want: "Why are you withdrawing this change?"},
		pageCase{name: "withdraw a change with no reason", journey: withdrawUnexplained, status: 422, want: "Enter why you are withdrawing this change"},
		pageCase{name: "record a review of contact", journey: onContact("/contact", "Record a review", "/people/{ref}/contact/arrangements/{id}/review"), status: 200, want: "Date of the review"},
		pageCase{name: "record that she was told why", journey: onContact("/contact", "Record that she was told why", "/people/{ref}/contact/changes/{id}/explanation"), status: 200, want: "what was first recorded stays"},
		pageCase{name: "add a contact session", journey: onContact("/contact", "Add a contact session", "/people/{ref}/contact/sessions/new"), status: 200, want: "How it went, in her words"},
		pageCase{name: "update a contact session", journey: onContactXPath(`//main//a[contains(@href, "/contact/sessions/") and not(contains(@href, "/new"))]`, "/people/{ref}/contact/sessions/{id}"), status: 200, want: "Support given after"},
		pageCase{name: "add a letterbox letter", journey: onContact("/contact", "Add a letterbox letter", "/people/{ref}/contact/letterbox/new"), status: 200, want: "Which way the letter goes"},
		pageCase{name: "update a letterbox letter", journey: onContactXPath(`//main//a[contains(@href, "/contact/letterbox/") and not(contains(@href, "/new"))]`, "/people/{ref}/contact/letterbox/{id}"), status: 200, want: "Who checked the letter"},
		pageCase{name: "what has changed and why", journey: onContact("/contact", "Make a “What has changed and why” letter for her", "/people/{ref}/contact/letter"), status: 200, want: "Download it as a PDF"},
		pageCase{name: "what has changed and why, to print", journey: letterToPrint, status: 200, want: "What changed between"},
		pageCase{name: "contact report", journey: leadVisit("/reports/contact"), status: 200, want: "Women whose arrangements changed"},
		pageCase{name: "contact report for the organisation", journey: leadVisit("/reports/contact/organisation"), status: 200, want: "Knowing They're OK"},
		pageCase{name: "contact report for a local authority manager", journey: roleVisit(access.RoleLAManager, "demo-leeds-reunification", "/reports/contact/organisation"), status: 200, want: "Practices covering Leeds"},
		pageCase{name: "contact report for a national analyst", journey: roleVisit(access.RoleNationalAnalyst, store.NationalSlug, "/reports/contact/organisation"), status: 200, want: "Every Practice in England"},
	)
}

// withUnexplained finds a Riverside woman with a contact change she was not
// told the reason for; the demo gives several women one.
func withUnexplained(ctx context.Context, s *site) (string, error) {
	lead, err := s.demoAccount(access.RolePracticeLead, riverside)
	if err != nil {
		return "", err
	}
	actor, err := s.db.Actor(ctx, lead.UserID)
	if err != nil {
		return "", err
	}
	people, err := s.db.PeopleFor(ctx, actor, store.Page{Limit: 100})
	if err != nil {
		return "", err
	}
	for _, p := range people {
		rec, err := s.db.Contact(ctx, p.ID)
		if err != nil {
			return "", err
		}
		for _, c := range rec.Changes {
			if c.Unexplained() && len(rec.Sessions) > 0 && len(rec.Letterbox) > 0 {
				return p.Ref, nil
			}
		}
	}
	return "", fmt.Errorf("none of Riverside's %d people has an unexplained change to contact", len(people))
}

// leadOnContact signs in as Riverside's lead and opens part of the record of
// a woman with an unexplained change: from after her address.
func leadOnContact(ctx context.Context, s *site, from string) error {
	if err := s.shareSession(ctx, access.RolePracticeLead, riverside); err != nil {
		return err
	}
	ref, err := withUnexplained(ctx, s)
	if err != nil {
		return err
	}
	path := "/people/" + ref + from
	_, err = visit(ctx, s, path, path, 200)
	return err
}

// onContact opens part of her record, then follows the first link in <main>
// whose text (hidden words included) starts with link, which must lead to path.
func onContact(from, link, path string) func(context.Context, *site, func()) (*network.Response, error) {
	return func(ctx context.Context, s *site, last func()) (*network.Response, error) {
		if err := leadOnContact(ctx, s, from); err != nil {
			return nil, err
		}
		last()
		resp, err := press(ctx, fmt.Sprintf(`//main//a[starts-with(normalize-space(), %q)]`, link))
		return arrived(resp, err, "follow "+link, path, 200)
	}
}

// onContactXPath opens her children and contact page and follows the link sel finds.
func onContactXPath(sel, path string) func(context.Context, *site, func()) (*network.Response, error) {
	return func(ctx context.Context, s *site, last func()) (*network.Response, error) {
		if err := leadOnContact(ctx, s, "/contact"); err != nil {
			return nil, err
		}
		last()
		resp, err := press(ctx, sel)
		return arrived(resp, err, "follow "+sel, path, 200)
	}
}

func contactEmpty(from, button string) func(context.Context, *site, func()) (*network.Response, error) {
	return func(ctx context.Context, s *site, last func()) (*network.Response, error) {
		if err := leadOnContact(ctx, s, from); err != nil {
			return nil, err
		}
		last()
		resp, err := pressButton(ctx, button)
		return arrived(resp, err, "send "+from+" empty", "/people/{ref}"+strings.TrimSuffix(from, "/new"), 422)
	}
}

func changeUnanswered(ctx context.Context, s *site, last func()) (*network.Response, error) {
	if _, err := onContact("/contact", "Record a change", "/people/{ref}/contact/arrangements/{id}/changes/new")(ctx, s, func() {}); err != nil {
		return nil, err
	}
	if err := tick(ctx, "aspect-1"); err != nil {
		return nil, err
	}
	if err := fillDate(ctx, "effective", 3); err != nil {
		return nil, err
	}
	if err := tick(ctx, "changedBy"); err != nil {
		return nil, err
	}
	last()
	resp, err := pressButton(ctx, "Record the change")
	return arrived(resp, err, "record a change without saying whether she was given a reason", "/people/{ref}/contact/arrangements/{id}/changes", 422)
}

// changeContradicted answers No to "Was she given a reason?" with a reason
// typed under Yes first: the reason is hidden again, and the message is put
// on the question, where it can be seen.
func changeContradicted(ctx context.Context, s *site, last func()) (*network.Response, error) {
	if _, err := onContact("/contact", "Record a change", "/people/{ref}/contact/arrangements/{id}/changes/new")(ctx, s, func() {}); err != nil {
		return nil, err
	}
	for _, id := range []string{"aspect-1", "changedBy", "reasonGiven"} {
		if err := tick(ctx, id); err != nil {
			return nil, err
		}
	}
	if err := fillDate(ctx, "effective", 3); err != nil {
		return nil, err
	}
	if err := fill(ctx, "#reason", "The carers moved"); err != nil {
		return nil, err
	}
	if err := tick(ctx, "reasonGiven-1"); err != nil { // no
		return nil, err
	}
	last()
	resp, err := pressButton(ctx, "Record the change")
	return arrived(resp, err, "record a change with a reason beside No", "/people/{ref}/contact/arrangements/{id}/changes", 422)
}

func withdrawUnexplained(ctx context.Context, s *site, last func()) (*network.Response, error) {
	if _, err := onContact("/contact", "Withdraw this change", "/people/{ref}/contact/changes/{id}/withdraw")(ctx, s, func() {}); err != nil {
		return nil, err
	}
	last()
	resp, err := pressButton(ctx, "Withdraw the change")
	return arrived(resp, err, "withdraw a change without a reason", "/people/{ref}/contact/changes/{id}/withdraw", 422)
}

// With JavaScript on, the questions about the reason are hidden until "Yes"
// is chosen, and hidden again for "No".
func TestContactChangeRevealsTheReasonOnlyForYes(t *testing.T) {
	s := startHaven(t)
	ctx := newTab(t, startBrowser(t))
	if _, err := onContact("/contact", "Record a change", "/people/{ref}/contact/arrangements/{id}/changes/new")(ctx, s, func() {}); err != nil {
		t.Fatal(err)
	}
	shown := func() bool {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("reason").offsetParent !== null && document.getElementById("toldOn-day").offsetParent !== null`))
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if shown() {
		t.Error("the reason is shown before “Was she given a reason?” is answered")
	}
	for _, step := range []struct {
		id   string
		want bool
	}{{"reasonGiven", true}, {"reasonGiven-1", false}, {"reasonGiven-2", false}, {"reasonGiven", true}} {
		if err := tick(ctx, step.id); err != nil {
			t.Fatal(err)
		}
		if got := shown(); got != step.want {
			t.Errorf("after choosing %s the reason is shown: %v, want %v", step.id, got, step.want)
		}
	}
}

func letterToPrint(ctx context.Context, s *site, last func()) (*network.Response, error) {
	if err := leadOnContact(ctx, s, "/contact/letter"); err != nil {
		return nil, err
	}
	last()
	resp, err := pressButton(ctx, "Show the letter to print")
	return arrived(resp, err, "show the letter", "/people/{ref}/contact/letter", 200)
}

func leadVisit(path string) func(context.Context, *site, func()) (*network.Response, error) {
	return roleVisit(access.RolePracticeLead, riverside, path)
}

// roleVisit opens path as the demo's role in tenant.
func roleVisit(role access.Role, tenant, path string) func(context.Context, *site, func()) (*network.Response, error) {
	return func(ctx context.Context, s *site, last func()) (*network.Response, error) {
		if err := s.shareSession(ctx, role, tenant); err != nil {
			return nil, err
		}
		last()
		return visit(ctx, s, path, path, 200)
	}
}

// replaceDate clears a GOV.UK date input and enters the date ago days back.
func replaceDate(ctx context.Context, name string, ago int) error {
	d, m, y := ukDay(ago)
	for part, v := range map[string]string{"day": d, "month": m, "year": y} {
		if err := replace(ctx, "#"+name+"-"+part, v); err != nil {
			return err
		}
	}
	return nil
}

// TestChildrenAndContactWithoutJavaScript is the contact acceptance journey
// as a practitioner, with JavaScript off: she records a child and care
// proceedings (an impossible date is refused and nothing typed is lost),
// sets up letterbox and supervised contact, records a change without a
// reason, sees the task it raises, records that the reason was explained
// and sees the task go, prints the "What has changed and why" letter, and
// sees the contact report move.
func TestChildrenAndContactWithoutJavaScript(t *testing.T) {
	s := startHaven(t)
	ctx := newTab(t, startBrowser(t))
	disableScripts(t, ctx)
	expect, must := stepChecks(t, ctx)
	text := func() string {
		t.Helper()
		got, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
		must(err)
		return got
	}

	prac, err := s.accountIn(ctx, access.RolePractitioner, riverside)
	must(err)
	lead, err := s.demoAccount(access.RolePracticeLead, riverside)
	must(err)
	leadActor, err := s.db.Actor(ctx, lead.UserID)
	must(err)
	pracActor, err := s.db.Actor(ctx, prac.UserID)
	must(err)
	her, err := s.db.CreatePerson(ctx, audit.Event{RequestID: "test"}, leadActor,
		programme.Person{PracticeID: pracActor.Memberships[0].TenantID, PractitionerID: prac.UserID, FirstName: "Wren", LastName: "Contactcase"})
	must(err)
	must(signIn(ctx, s, prac))
	checkScriptsOff(t, ctx)
	contactPath := "/people/" + her.Ref + "/contact"

	// The report for the last week, which holds no demo change: hers will be the only one.
	fd, fm, fy := ukDay(7)
	td, tm, ty := ukDay(0)
	reportPath := fmt.Sprintf("/reports/contact?from-day=%s&from-month=%s&from-year=%s&to-day=%s&to-month=%s&to-year=%s", fd, fm, fy, td, tm, ty)
	reportRow := func() string {
		t.Helper()
		expect("open the contact report", "/reports/contact", 200, "Women whose arrangements changed")(chromedp.Run(ctx, chromedp.NavigateResponse(s.URL+reportPath)))
		row, err := chromedp.Run(ctx, chromedp.Text(chromedp.Search(`//main//div[dt[starts-with(normalize-space(), "Changes where no reason")]]`)))
		must(err)
		return row
	}
	before := reportRow()

	expect("open her record", "/people/{ref}", 200, "Wren Contactcase")(chromedp.Run(ctx, chromedp.NavigateResponse(s.URL+"/people/"+her.Ref)))
	expect("open children and contact", contactPath, 200, "No children recorded yet")(followLink(ctx, "Children and contact"))

	// A child, with a removal date before the birth: refused, and what was typed is kept.
	expect("open the child form", contactPath+"/children/new", 200, "First name or initials")(followLink(ctx, "Add a child"))
	must(fill(ctx, "#name", "Rowan"))
	must(fillDate(ctx, "born", 400))
	must(fillDate(ctx, "removed", 401))
	must(tick(ctx, "legalStatus-1")) // care order
	must(tick(ctx, "placement"))     // foster care
	expect("add a child removed before birth", contactPath+"/children", 422, "on or after their date of birth")(pressButton(ctx, "Add the child"))
	checkScriptsOff(t, ctx)
	name, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#name")))
	must(err)
	if name != "Rowan" {
		t.Errorf("the refused form lost the name: %q", name)
	}
	must(replaceDate(ctx, "removed", 398))
	expect("add the child", contactPath, 200, "Rowan")(pressButton(ctx, "Add the child"))

	// Care proceedings, with the final hearing before the issue date at first.
	expect("open the proceedings form", contactPath+"/proceedings/new", 200, "Index proceedings")(followLink(ctx, "Add care proceedings"))
	must(fillDate(ctx, "issued", 399))
	must(fill(ctx, "#court", "Family Court at Leeds"))
	must(tick(ctx, "children"))
	must(fillDate(ctx, "finalHearing", 420))
	must(tick(ctx, "outcome-2")) // care order
	must(tick(ctx, "index"))
	expect("add proceedings with the final hearing before issue", contactPath+"/proceedings", 422, "on or after the date the proceedings were issued")(pressButton(ctx, "Add the proceedings"))
	must(replaceDate(ctx, "finalHearing", 200))
	expect("add the proceedings", contactPath, 200, "Index proceedings")(pressButton(ctx, "Add the proceedings"))
	if got := text(); !strings.Contains(got, "Rowan (newborn when issued)") {
		t.Errorf("the proceedings do not say Rowan was a newborn; the page reads:\n%s", got)
	}

	// Letterbox and supervised contact.
	arrangement := func(typ, by, basis, freq string) {
		t.Helper()
		expect("open the arrangement form", contactPath+"/arrangements/new", 200, "Legal basis")(followLink(ctx, "Add a contact arrangement"))
		must(tick(ctx, "child"))
		must(tick(ctx, typ))
		must(fill(ctx, "#frequency", freq))
		must(tick(ctx, by))
		must(tick(ctx, basis))
		must(fillDate(ctx, "start", 150))
		expect("add the arrangement", contactPath, 200, freq)(pressButton(ctx, "Add the arrangement"))
	}
	arrangement("type-3", "arrangedBy-1", "basis-2", "Once a year")          // letterbox, adoption agency, adoption contact plan
	arrangement("type-1", "arrangedBy", "basis-1", "Monthly, for two hours") // supervised, local authority, care plan
	if got := text(); !strings.Contains(got, "Letterbox never reviewed") {
		t.Error("the letterbox arrangement does not say it was never reviewed")
	}

	// A change to supervised contact: it cannot be saved until the reason question is answered.
	expect("open the change form", contactPath+"/arrangements/{id}/changes/new", 200, "Was she given a reason?")(
		press(ctx, `//div[contains(@class, "govuk-summary-card")][.//h3[contains(., "Supervised")]]//a[starts-with(normalize-space(), "Record a change")]`))
	must(tick(ctx, "aspect-1")) // how often
	must(fill(ctx, "#from", "Monthly", "#to", "Every six weeks", "#herView", "Nobody asked me."))
	must(fillDate(ctx, "effective", 5))
	must(tick(ctx, "changedBy-1")) // the local authority
	expect("record the change without answering", contactPath+"/arrangements/{id}/changes", 422, "Answer whether she was given a reason for the change")(pressButton(ctx, "Record the change"))
	must(tick(ctx, "reasonGiven-1")) // no
	expect("record the change", contactPath, 200, "no reason she knows of")(pressButton(ctx, "Record the change"))

	taskText := "Contact with Rowan changed (how often) and she was not told why: find out why and tell her"
	expect("open tasks", "/tasks", 200, taskText)(followNav(ctx, "Tasks"))

	// She is told why; the task goes.
	expect("open children and contact again", contactPath, 200, "Rowan")(chromedp.Run(ctx, chromedp.NavigateResponse(s.URL+contactPath)))
	expect("open the explanation form", contactPath+"/changes/{id}/explanation", 200, "what was first recorded stays")(
		press(ctx, `//main//a[starts-with(normalize-space(), "Record that she was told why")]`))
	must(fill(ctx, "#reason", "The carers' shifts changed", "#toldBy", "Her child's social worker", "#toldHow", "phone call"))
	must(fillDate(ctx, "toldOn", 1))
	expect("record that she was told why", contactPath, 200, "Told later")(pressButton(ctx, "Save"))
	if got := text(); strings.Contains(got, "no reason she knows of") {
		t.Error("the warning stays after she was told why")
	}
	expect("open tasks again", "/tasks", 200, "Tasks")(followNav(ctx, "Tasks"))
	if got := text(); strings.Contains(got, taskText) {
		t.Error("the task stays after she was told why")
	}

	// A letterbox letter due in ten days, and a supervised contact session that took place.
	expect("open children and contact", contactPath, 200, "Rowan")(chromedp.Run(ctx, chromedp.NavigateResponse(s.URL+contactPath)))
	expect("open the letterbox form", contactPath+"/letterbox/new", 200, "Which way the letter goes")(followLink(ctx, "Add a letterbox letter"))
	must(tick(ctx, "arrangement"))
	must(tick(ctx, "direction"))
	must(fillDate(ctx, "due", -10))
	expect("add the letter", contactPath, 200, "letter due")(pressButton(ctx, "Save the letter"))
	expect("open the session form", contactPath+"/sessions/new", 200, "How it went, in her words")(followLink(ctx, "Add a contact session"))
	must(tick(ctx, "arrangement-1")) // the supervised arrangement
	must(fillDate(ctx, "planned", 2))
	must(tick(ctx, "outcome-1")) // took place
	must(fill(ctx, "#herWords", "Rowan showed me a drawing."))
	expect("add the session", contactPath, 200, "Rowan showed me a drawing.")(pressButton(ctx, "Save the contact session"))
	expect("see the letterbox reminder", "/tasks", 200, "Letterbox letter to Rowan is due")(followNav(ctx, "Tasks"))

	// The letter, printed.
	expect("open children and contact", contactPath, 200, "Rowan")(chromedp.Run(ctx, chromedp.NavigateResponse(s.URL+contactPath)))
	expect("open the letter form", contactPath+"/letter", 200, "Download it as a PDF")(followLink(ctx, "Make a “What has changed and why” letter for her"))
	expect("show the letter", contactPath+"/letter", 200, "You were told later: “The carers' shifts changed”")(pressButton(ctx, "Show the letter to print"))
	checkScriptsOff(t, ctx)
	rec, err := s.db.Contact(ctx, her.ID)
	must(err)
	if len(rec.Letters) != 1 {
		t.Errorf("%d letters recorded on her record, want 1", len(rec.Letters))
	}

	// The report moved.
	if after := reportRow(); after == before {
		t.Errorf("the report did not move: %q", after)
	}

	// Without JavaScript the reason questions are shown; a reason beside
	// "Not known" is refused and what was typed is kept.
	expect("open children and contact", contactPath, 200, "Rowan")(chromedp.Run(ctx, chromedp.NavigateResponse(s.URL+contactPath)))
	expect("open the change form again", contactPath+"/arrangements/{id}/changes/new", 200, "Was she given a reason?")(
		press(ctx, `//div[contains(@class, "govuk-summary-card")][.//h3[contains(., "Supervised")]]//a[starts-with(normalize-space(), "Record a change")]`))
	must(tick(ctx, "aspect-2")) // where it happens
	must(fill(ctx, "#to", "MISTAKEN VENUE", "#reason", "Nobody said"))
	must(fillDate(ctx, "effective", 2))
	must(tick(ctx, "changedBy-1"))
	must(tick(ctx, "reasonGiven-2")) // not known
	expect("record a reason beside Not known", contactPath+"/arrangements/{id}/changes", 422, "blank when the answer to “Was she given a reason?” is “Not known”")(
		pressButton(ctx, "Record the change"))
	must(replace(ctx, "#reason", ""))
	expect("record the change without the reason", contactPath, 200, "MISTAKEN VENUE")(pressButton(ctx, "Record the change"))

	// It was a mistake: withdrawn with a reason, it stays, struck through, and its task ends.
	expect("open the withdraw form", contactPath+"/changes/{id}/withdraw", 200, "Why are you withdrawing this change?")(
		press(ctx, `//div[contains(@class, "govuk-inset-text")][contains(., "MISTAKEN VENUE")]//a[starts-with(normalize-space(), "Withdraw this change")]`))
	expect("withdraw without a reason", contactPath+"/changes/{id}/withdraw", 422, "Enter why you are withdrawing this change")(pressButton(ctx, "Withdraw the change"))
	must(fill(ctx, "#reason", "Recorded on the wrong arrangement"))
	expect("withdraw the change", contactPath, 200, "“Recorded on the wrong arrangement”")(pressButton(ctx, "Withdraw the change"))
	struck, err := chromedp.Run(ctx, chromedp.Text(chromedp.Search(`//main//div[contains(@class, "govuk-inset-text")][contains(., "MISTAKEN VENUE")]//del`)))
	must(err)
	if !strings.Contains(struck, "MISTAKEN VENUE") {
		t.Errorf("the withdrawn change is not struck through: %q", struck)
	}
	expect("open tasks after withdrawing", "/tasks", 200, "Tasks")(followNav(ctx, "Tasks"))
	if got := text(); strings.Contains(got, "Contact with Rowan changed (where it happens)") {
		t.Error("the task stays after the change was withdrawn")
	}
}
