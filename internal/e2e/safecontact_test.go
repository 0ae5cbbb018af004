package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"haven/internal/access"
	"haven/internal/programme"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// TestSafeContactSurvivesTriage is the journey that lost her safe-contact
// instructions, on both databases: she refers herself saying "text only, no
// voicemail, weekday mornings", with her phone number, "I would rather not
// say" to care experience and a communication need; the lead accepts the
// referral; and every detail is on her record. Then she refers herself
// again with an email address she now says is safe, and the lead links the
// re-referral to her record, which takes the email. She works without
// JavaScript; the lead has it, so the decision's conditional fields are
// revealed as she chooses, and both pages pass axe at desktop and phone widths.
func TestSafeContactSurvivesTriage(t *testing.T) {
	browser := startBrowser(t)
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		s := startHavenOn(t, db)
		const first, last = "Clementine", "Safeway"
		name := first + " " + last

		her := newTab(t, browser, chromedp.WithNewBrowserContext())
		disableScripts(t, her)
		herExpect, herMust := stepChecks(t, her)
		refer := func(extra func() error) string {
			t.Helper()
			herExpect("open the self-referral form", "/refer", 200, "Ask a Practice to contact you")(chromedp.Run(her, chromedp.NavigateResponse(s.URL+"/refer")))
			herMust(fill(her, "#firstName", first, "#lastName", last, "#phone", "07700 900 982", "#safeTimes", "weekday mornings",
				"#communicationNeeds", "Easy-read letters, please"))
			herMust(choose(her, "#laCode", leedsCode))
			for _, id := range []string{"safeChannels-1", "noVoicemail", "careExperienced-2", "childrenRemoved-2", "consent"} { // text only
				herMust(tick(her, id))
			}
			herMust(extra())
			herExpect("send the referral", "/refer/done", 200, "Someone from the Practice")(pressButton(her, "Send"))
			ref, err := chromedp.Run(her, chromedp.Text(chromedp.CSS("main .govuk-panel__body strong")))
			herMust(err)
			return ref
		}
		reference := refer(func() error { return nil })

		ctx := newTab(t, browser, chromedp.WithNewBrowserContext())
		expect, must := stepChecks(t, ctx)
		text := func() string {
			t.Helper()
			got, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
			must(err)
			return got
		}
		row := func(key string) string {
			t.Helper()
			got, err := chromedp.Run(ctx, chromedp.Text(chromedp.Search(`//main//dt[normalize-space()="`+key+`"]/following-sibling::dd`)))
			must(err)
			return strings.Join(strings.Fields(got), " ")
		}
		lead, err := s.accountIn(ctx, access.RolePracticeLead, riverside)
		must(err)
		must(signIn(ctx, s, lead))
		expect("open her referral", "/triage/"+reference, 200, "Eligibility screen")(chromedp.Run(ctx, chromedp.NavigateResponse(s.URL+"/triage/"+reference)))
		if got := row("Communication needs"); got != "Easy-read letters, please" {
			t.Errorf("triage shows her communication needs as %q", got)
		}
		// With JavaScript, a decision's fields appear only when it is chosen.
		visible := func(id string) bool {
			t.Helper()
			v, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById('`+id+`').offsetParent !== null`))
			must(err)
			return v
		}
		if visible("reason") || visible("practitioner") {
			t.Error("the decision's fields show before a decision is chosen")
		}
		must(tick(ctx, "outcome-declined"))
		if !visible("reason") || visible("practitioner") {
			t.Error("choosing Decline does not reveal only its reason")
		}
		must(tick(ctx, "outcome"))
		if !visible("practitioner") || visible("reason") {
			t.Error("choosing Accept does not reveal only the practitioner")
		}
		for _, w := range []int64{1280, 320} {
			must(setWidth(ctx, w, 900))
			checkAxe(t, ctx)
		}
		must(setWidth(ctx, 1280, 900))
		expect("accept the referral", "/people/{ref}", 200, name)(pressButton(ctx, "Record the decision"))
		personPath, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname`))
		must(err)
		for key, want := range map[string]string{
			"Safe ways to contact her": "text", "Safe times": "weekday mornings", "Mobile phone": "07700 900 982 Safe to use",
			"Email": "None recorded", "Care-experienced": "Not known", "Communication needs": "Easy-read letters, please",
		} {
			if got := row(key); got != want {
				t.Errorf("her record's %q reads %q, want %q", key, got, want)
			}
		}
		if got := text(); !strings.Contains(got, "Do not leave a voicemail") {
			t.Errorf("her record does not say not to leave a voicemail; it reads:\n%s", got)
		}
		for _, w := range []int64{1280, 320} {
			must(setWidth(ctx, w, 900))
			checkAxe(t, ctx)
		}
		must(setWidth(ctx, 1280, 900))

		// She refers herself again, now with an email she says is safe.
		again := refer(func() error {
			if err := fill(her, "#email", "clementine@example.org"); err != nil {
				return err
			}
			return tick(her, "safeChannels-2")
		})
		expect("open her re-referral", "/triage/"+again, 200, "Possible matches")(chromedp.Run(ctx, chromedp.NavigateResponse(s.URL+"/triage/"+again)))
		if got := text(); !strings.Contains(got, "reference "+strings.TrimPrefix(personPath, "/people/")) {
			t.Errorf("the possible match does not show her reference; the page reads:\n%s", got)
		}
		must(tick(ctx, "outcome-linked"))
		must(tick(ctx, "match-0"))
		for _, w := range []int64{1280, 320} {
			must(setWidth(ctx, w, 900))
			checkAxe(t, ctx)
		}
		must(setWidth(ctx, 1280, 900))
		expect("link the re-referral to her record", personPath, 200, name)(pressButton(ctx, "Record the decision"))
		for key, want := range map[string]string{
			"Safe ways to contact her": "text, email", "Email": "clementine@example.org Safe to use", "Mobile phone": "07700 900 982 Safe to use",
			"Care-experienced": "Not known",
		} {
			if got := row(key); got != want {
				t.Errorf("after the re-referral her record's %q reads %q, want %q", key, got, want)
			}
		}
		if got := text(); !strings.Contains(got, "Referral "+reference) || !strings.Contains(got, "Referral "+again) {
			t.Errorf("her record does not list both referrals; it reads:\n%s", got)
		}
		if got := row("Phase"); got != programme.PhaseReferred.Title() {
			t.Errorf("her enrolment's phase reads %q after the re-referral, want one enrolment still Referred", got)
		}
	})
}
