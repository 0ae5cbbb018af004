package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"haven/internal/access"
	"haven/internal/programme"
)

// TestSelfReferralToCompletionWithoutJavaScript is the programme's
// acceptance journey, all without JavaScript: a woman refers herself and is
// given a reference; Riverside's practice lead accepts the referral, which
// makes her record and enrolment, allocates her a practitioner, takes her
// through Engaging, Programme started and Active, records a session, adds a
// goal to her support plan and reviews it, adds a partner agency and refers
// her to it, follows that referral to Accepted, and completes her programme.
// Every date is today, which each step allows: none may be in the future
// or before the step before it.
func TestSelfReferralToCompletionWithoutJavaScript(t *testing.T) {
	s := startHaven(t)
	browser := startBrowser(t)
	const first, last = "Juniper", "Halloway"
	name := first + " " + last

	// She refers herself, on her own phone.
	her := newTab(t, browser, chromedp.WithNewBrowserContext())
	disableScripts(t, her)
	expect, must := stepChecks(t, her)
	expect("open the self-referral form", "/refer", 200, "Ask a Practice to contact you")(chromedp.Run(her, chromedp.NavigateResponse(s.URL+"/refer")))
	checkScriptsOff(t, her)
	expect("send the form empty", "/refer", 422, "There is a problem")(pressButton(her, "Send"))
	must(selfReferral(her, first, last))
	expect("send the referral", "/refer/done", 200, "Someone from the Practice that covers your area will get in touch")(pressButton(her, "Send"))
	reference, err := chromedp.Run(her, chromedp.Text(chromedp.CSS("main .govuk-panel__body strong")))
	must(err)
	if !programme.ValidReferralRef(reference) {
		t.Fatalf("the page gives %q as her reference, which is not one", reference)
	}
	// The reference is shown once: the page does not show it again.
	expect("open the thank-you page again", "/refer", 200, "Ask a Practice to contact you")(chromedp.Run(her, chromedp.NavigateResponse(s.URL+"/refer/done")))
	checkScriptsOff(t, her)

	// Riverside's lead, at the office, finds the referral in triage.
	ctx := newTab(t, browser, chromedp.WithNewBrowserContext())
	disableScripts(t, ctx)
	expect, must = stepChecks(t, ctx)
	// check is expect for a step the journey can go on after: it fails the
	// test, but lets the steps that do not depend on it run.
	check := func(step, path string, status int64, want string) func(*network.Response, error) bool {
		return func(resp *network.Response, err error) bool {
			t.Helper()
			if _, err := arrived(resp, err, step, path, status); err != nil {
				problem, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('.govuk-error-summary')?.innerText ?? ''`))
				t.Errorf("%v\n%s", err, problem)
				return false
			}
			if err := checkResponse(ctx, resp, status, want); err != nil {
				t.Errorf("%s: %v", step, err)
				return false
			}
			return true
		}
	}
	text := func() string {
		t.Helper()
		got, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
		must(err)
		return got
	}
	phase := func() string {
		t.Helper()
		got, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#programme + .govuk-summary-list .govuk-tag")))
		must(err)
		return got
	}

	lead, err := s.accountIn(ctx, access.RolePracticeLead, riverside)
	must(err)
	must(signIn(ctx, s, lead))
	checkScriptsOff(t, ctx)
	expect("open Triage", "/triage", 200, reference)(followNav(ctx, "Triage"))
	expect("open her referral", "/triage/"+reference, 200, "Eligibility screen")(followLink(ctx, reference))
	if got := text(); !strings.Contains(got, name) || !strings.Contains(got, "07700 900 982") || !strings.Contains(got, "Leeds") {
		t.Errorf("her referral does not show her name, phone number and council; it reads:\n%s", got)
	}

	// Accepting her makes her record, with an enrolment referred today.
	must(tick(ctx, "outcome"))
	expect("accept the referral", "/people/{ref}", 200, name)(pressButton(ctx, "Record the decision"))
	checkScriptsOff(t, ctx)
	personPath, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname`))
	must(err)
	if got := phase(); got != "Referred" {
		t.Errorf("her new enrolment's phase reads %q, want Referred", got)
	}
	if got := text(); !strings.Contains(got, "Referral "+reference) {
		t.Errorf("her record does not link to referral %s; it reads:\n%s", reference, got)
	}

	// Her practitioner.
	practitioner, err := firstOption(ctx, "#practitioner")
	must(err)
	must(choose(ctx, "#practitioner", practitioner))
	practitionerName, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(`document.querySelector('#practitioner option[value=%q]').text`, practitioner)))
	must(err)
	expect("allocate her a practitioner", personPath, 200, "Dedicated practitioner")(pressButton(ctx, "Allocate as her practitioner"))
	allocated, err := chromedp.Run(ctx, chromedp.Text(chromedp.Search(`//main//dt[normalize-space()="Dedicated practitioner"]/following-sibling::dd`)))
	must(err)
	if strings.TrimSpace(allocated) != strings.TrimSpace(practitionerName) {
		t.Errorf("her dedicated practitioner reads %q, want %q", allocated, practitionerName)
	}

	// Through the phases of the programme.
	move := func(to programme.Phase) {
		t.Helper()
		must(choose(ctx, "#to", string(to)))
		must(fillDate(ctx, "on", 0))
		if to.Ends() {
			// Ending her programme is confirmed on a page of its own.
			expect("ask to move her to "+to.Title(), personPath+"/enrolments/{id}/phase", 200, "cannot be undone")(pressButton(ctx, "Record the change"))
			expect("confirm moving her to "+to.Title(), personPath, 200, "Programme")(pressButton(ctx, "Yes, move her to "+to.Title()))
		} else {
			expect("move her to "+to.Title(), personPath, 200, "Programme")(pressButton(ctx, "Record the change"))
		}
		if got := phase(); got != to.Title() {
			t.Fatalf("after moving her to %s her phase reads %q", to.Title(), got)
		}
	}
	move(programme.PhaseEngaging)
	move(programme.PhaseStarted)
	move(programme.PhaseActive)

	// A session.
	const note = "Fictional test note: met at the family centre and talked about housing."
	expect("open her sessions", personPath+"/sessions", 200, "No sessions have been recorded with her yet")(followLink(ctx, "Sessions and case notes"))
	expect("follow Record a session", personPath+"/sessions/new", 200, "Who started it")(followLink(ctx, "Record a session"))
	must(fillDate(ctx, "on", 0))
	must(tick(ctx, "type-phone-or-text"))
	must(fill(ctx, "#minutes", "45"))
	must(tick(ctx, "initiatedBy-practitioner"))
	must(fill(ctx, "#note", note))
	expect("save the session", personPath+"/sessions/{id}", 200, note)(pressButton(ctx, "Save session"))
	checkScriptsOff(t, ctx)
	expect("go back to her sessions", personPath+"/sessions", 200, "1 session, newest first")(followLink(ctx, "Back to her sessions"))

	// A goal in her support plan, in her words, and a review of it.
	const goal = "Fictional test goal: I want a flat of my own near my sister."
	expect("open her record", personPath, 200, name)(chromedp.Run(ctx, chromedp.NavigateResponse(s.URL+personPath)))
	expect("open her support plan", personPath+"/plan", 200, "She has no goals in her plan yet")(followLink(ctx, "Support plan"))
	must(choose(ctx, "#domain", string(programme.DomainHousing)))
	must(fill(ctx, "#words", goal))
	expect("add the goal", personPath+"/plan", 200, goal)(pressButton(ctx, "Add the goal"))
	card, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('main .govuk-summary-card[id^="goal-"]')?.id ?? ''`))
	must(err)
	if card == "" {
		t.Fatal("the plan shows no goal card")
	}
	review := "review-" + strings.TrimPrefix(card, "goal-") + "-"
	must(chromedp.Do(ctx, chromedp.Click(chromedp.Search(`//*[@id="`+card+`"]//summary[normalize-space()="Review this goal"]`))))
	const said = "Fictional test review: she has viewed two flats."
	must(fillDate(ctx, review+"on", 0))
	must(fill(ctx, "#"+review+"note", said))
	must(choose(ctx, "#"+review+"progress", string(programme.InProgress)))
	if check("review the goal", personPath+"/plan", 200, said)(press(ctx, `//*[@id="`+card+`"]//button[normalize-space()="Save the review"]`)) {
		if got, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#"+card+" .govuk-tag"))); err != nil || got != programme.InProgress.Title() {
			t.Errorf("after the review the goal's progress reads %q (%v), want %s", got, err, programme.InProgress.Title())
		}
	}

	// A partner agency for the Practice, and a referral to it followed to Accepted.
	agency := fmt.Sprintf("Fictional Test Housing Advice %d", s.serial())
	expect("open Agencies", "/agencies", 200, "Add a partner agency")(followNav(ctx, "Agencies"))
	must(fill(ctx, "#name", agency))
	must(choose(ctx, "#kind", "Housing"))
	expect("add the agency", "/agencies", 200, agency)(pressButton(ctx, "Add agency"))
	expect("open her record again", personPath, 200, name)(chromedp.Run(ctx, chromedp.NavigateResponse(s.URL+personPath)))
	expect("open her referrals out", personPath+"/referrals-out", 200, "No referrals yet")(followLink(ctx, "Referrals to partner agencies"))
	agencyID, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(
		`[...document.querySelectorAll('#agency option')].find(o => o.text.startsWith(%q))?.value ?? ''`, agency)))
	must(err)
	if agencyID == "" {
		t.Fatalf("the referral form does not offer %s", agency)
	}
	must(choose(ctx, "#agency", agencyID))
	must(fill(ctx, "#reason", "Fictional test reason: advice on a housing application."))
	must(fillDate(ctx, "sentOn", 0))
	expect("refer her to the agency", personPath+"/referrals-out", 200, agency)(pressButton(ctx, "Record the referral"))
	sent, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('main .govuk-summary-card[id^="referral-"]')?.id ?? ''`))
	must(err)
	if sent == "" {
		t.Fatal("her referrals out show no referral")
	}
	if got, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#"+sent+" .govuk-tag"))); err != nil || got != programme.OutSent.Title() {
		t.Errorf("the new referral's status reads %q (%v), want %s", got, err, programme.OutSent.Title())
	}
	moveOut := "move-" + strings.TrimPrefix(sent, "referral-") + "-"
	must(choose(ctx, "#"+moveOut+"status", string(programme.OutAccepted)))
	must(fillDate(ctx, moveOut+"on", 0))
	if check("record that the agency accepted her", personPath+"/referrals-out", 200, agency)(pressButton(ctx, "Update")) {
		if got, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#"+sent+" .govuk-tag"))); err != nil || got != programme.OutAccepted.Title() {
			t.Errorf("after the update the referral's status reads %q (%v), want %s", got, err, programme.OutAccepted.Title())
		}
	}

	// She completes the programme.
	expect("open her record to complete", personPath, 200, name)(chromedp.Run(ctx, chromedp.NavigateResponse(s.URL+personPath)))
	move(programme.PhaseCompleted)
	checkScriptsOff(t, ctx)

	// Her chronology tells the story.
	expect("open her chronology", personPath+"/chronology", 200, "Every event on her record")(followLink(ctx, "Chronology"))
	got := text()
	for _, want := range []string{
		"Phone or text, 45 minutes", note,
		"Referred to the programme",
		"Phase changed to Engaging", "Phase changed to Programme started", "Phase changed to Active", "Phase changed to Completed",
		"Record created",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("her chronology does not show %q; it reads:\n%s", want, got)
		}
	}
	checkScriptsOff(t, ctx)
}
