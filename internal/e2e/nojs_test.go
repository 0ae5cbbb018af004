package e2e

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"haven/internal/access"
)

// TestFindAPracticeWithoutJavaScript checks that the journey works for people
// whose browsers run no JavaScript, as the GOV.UK Service Manual asks.
func TestFindAPracticeWithoutJavaScript(t *testing.T) {
	ts := startHaven(t)
	ctx := newTab(t, startBrowser(t))
	disableScripts(t, ctx)

	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/find-a-practice")); err != nil {
		t.Fatal(err)
	}
	checkScriptsOff(t, ctx)
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#area"), "kent")); err != nil {
		t.Fatalf("type in #area: %v", err)
	}
	resp, err := submit(ctx)
	if err != nil {
		t.Fatalf("submit search: %v", err)
	}
	if err := checkResponse(ctx, resp, 200, "Hillcrest Practice (demo)"); err != nil {
		t.Fatal(err)
	}

	// A fresh form, since the results page keeps "kent" in the field.
	if err := chromedp.Do(ctx, chromedp.Navigate(ts.URL+"/find-a-practice")); err != nil {
		t.Fatal(err)
	}
	if resp, err = submit(ctx); err != nil {
		t.Fatalf("submit empty search: %v", err)
	}
	if err := checkResponse(ctx, resp, 422, "Enter a postcode or place name"); err != nil {
		t.Fatal(err)
	}
	title, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".govuk-error-summary .govuk-error-summary__title")))
	if err != nil {
		t.Fatalf("read error summary: %v", err)
	}
	if title != "There is a problem" {
		t.Errorf("error summary title = %q, want %q", title, "There is a problem")
	}
	checkScriptsOff(t, ctx)

	// A postcode finds her Practice, and its result links to the
	// self-referral form, as the home page's start button does.
	expect, must := stepChecks(t, ctx)
	expect("open Find a Practice again", "/find-a-practice", 200, "Ask for support")(chromedp.Run(ctx, chromedp.NavigateResponse(ts.URL+"/find-a-practice")))
	must(fill(ctx, "#area", "ls6 1aa"))
	expect("search by postcode", "/find-a-practice", 200, "Riverside Practice (demo)")(submit(ctx))
	expect("ask the Practice to contact her", "/refer", 200, "Ask a Practice to contact you")(press(ctx, `//main//a[normalize-space()="Ask Riverside Practice (demo) to contact you"]`))
	expect("open the home page", "/", 200, "Find support")(chromedp.Run(ctx, chromedp.NavigateResponse(ts.URL+"/")))
	expect("press the start button", "/refer", 200, "Ask a Practice to contact you")(press(ctx, `//main//a[contains(@class, "govuk-button--start")]`))
	expect("open a Practice's page", "/practices/demo-hillcrest", 200, "Ask for support")(chromedp.Run(ctx, chromedp.NavigateResponse(ts.URL+"/practices/demo-hillcrest")))
	expect("follow the link for professionals", "/refer/professional", 200, "Refer a woman to a Practice")(press(ctx, `//main//a[normalize-space()="refer her with the form for professionals"]`))
	checkScriptsOff(t, ctx)
}

// disableScripts turns JavaScript off in the tab, for every page it loads.
// DevTools can still evaluate scripts, so the test can read the pages.
func disableScripts(t *testing.T, ctx context.Context) {
	t.Helper()
	noScript := chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	})
	if err := chromedp.Do(ctx, noScript); err != nil {
		t.Fatalf("disable JavaScript: %v", err)
	}
}

// checkScriptsOff fails if init.js ran, which would mean the test is not
// really seeing the page without JavaScript.
func checkScriptsOff(t *testing.T, ctx context.Context) {
	t.Helper()
	attr, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS("body"), "class"))
	if err != nil {
		t.Fatalf("read body class: %v", err)
	}
	if strings.Contains(attr.Value, "js-enabled") {
		t.Fatalf("body has class %q: scripts ran although JavaScript is disabled", attr.Value)
	}
}

// TestEnrolAndSignInWithoutJavaScript follows a new practitioner from their
// enrolment link to their account page, then signs them out and back in with
// a recovery code, all without JavaScript.
func TestEnrolAndSignInWithoutJavaScript(t *testing.T) {
	s := startHaven(t)
	ctx := newTab(t, startBrowser(t))
	disableScripts(t, ctx)
	expect, must := stepChecks(t, ctx)

	// The link an administrator sent.
	inv, err := s.invite(ctx)
	must(err)
	expect("open the enrolment link", "/enrol", 200, inv.email)(chromedp.Run(ctx, chromedp.NavigateResponse(s.URL+inv.path)))
	checkScriptsOff(t, ctx)

	// A password, checked before it is accepted.
	must(fill(ctx, "#password", "too short", "#confirm", "too short"))
	expect("choose a short password", "/enrol", 422, "Password must be 12 characters or more")(submit(ctx))
	must(choosePassword(ctx))

	// The authenticator app: the QR code, or the key written out below it.
	qr, err := chromedp.Run(ctx, chromedp.Evaluate[int64](`document.querySelector('main img[src="/account/mfa/qr.png"]').naturalWidth`))
	if err != nil || qr == 0 {
		t.Errorf("the QR code did not load: width %d, %v", qr, err)
	}
	shown, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".haven-secret")))
	must(err)
	wrong, err := wrongCode(strings.Join(strings.Fields(shown), ""))
	must(err)
	must(fill(ctx, "#code", wrong))
	expect("enter a wrong code", "/account/mfa/setup", 422, "The code is not correct")(submit(ctx))
	expect("enter the code from the app", "/account/mfa/setup", 200, "Save your recovery codes")(setUpAuthenticator(ctx, func() {}))
	codes, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('main li')].map(li => li.textContent.trim())`))
	must(err)
	if len(codes) != 10 {
		t.Fatalf("the page shows %d recovery codes, want 10: %q", len(codes), codes)
	}
	for _, c := range codes {
		if !recoveryCodeRE.MatchString(c) {
			t.Errorf("recovery code %q does not look like abcde-fghij", c)
		}
	}
	checkScriptsOff(t, ctx)
	// Served over http://127.0.0.1, the session cookie is still Secure:
	// Chromium counts the loopback address as a secure origin.
	c, err := sessionCookie(ctx, s)
	must(err)
	if c == nil || !c.Secure || !c.HTTPOnly || c.SameSite != network.CookieSameSiteLax || c.Path != "/" || !c.Session {
		t.Errorf("session cookie = %+v, want a Secure, HttpOnly, SameSite=Lax session cookie for /", c)
	}
	expect("say the codes are saved", "/home", 200, "What you can do")(press(ctx, `//main//a[normalize-space()="I have saved my codes"]`))

	// The account they now have.
	expect("open the account", "/account", 200, "Practitioner, Harbour Practice (demo)")(press(ctx, `//nav//a[normalize-space()="Your account"]`))
	text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
	must(err)
	if !strings.Contains(text, inv.email) || !strings.Contains(text, "10 of 10") {
		t.Errorf("the account page does not show %s with 10 of 10 recovery codes left; it reads:\n%s", inv.email, text)
	}

	// Out, and in again with a recovery code in place of the phone.
	expect("sign out", "/signed-out", 200, "You have signed out")(press(ctx, `//nav//button[normalize-space()="Sign out"]`))
	if c, err := sessionCookie(ctx, s); err != nil || c != nil {
		t.Errorf("after signing out the browser still has the session cookie %+v (%v)", c, err)
	}
	expect("open the account after signing out", "/sign-in", 200, "Sign in to Haven")(chromedp.Run(ctx, chromedp.NavigateResponse(s.URL+"/account")))
	expect("go back to the signed-out page", "/signed-out", 200, "You have signed out")(chromedp.Run(ctx, chromedp.NavigateResponse(s.URL+"/signed-out")))
	expect("follow Sign in again", "/sign-in", 200, "Sign in to Haven")(press(ctx, `//main//a[normalize-space()="Sign in again"]`))
	expect("sign in with the new password", "/sign-in/code", 200, "Enter your security code")(enterPassword(ctx, inv.email, enrolPassword))
	expect("ask for a recovery code", "/sign-in/recovery", 200, "Enter a recovery code")(press(ctx, `//main//a[normalize-space()="I cannot use my authenticator app"]`))
	must(fill(ctx, "#code", strings.ToUpper(codes[3]))) // people may type it in capitals
	expect("enter a recovery code", "/home", 200, "What you can do")(submit(ctx))
	expect("open the account again", "/account", 200, "9 of 10")(press(ctx, `//nav//a[normalize-space()="Your account"]`))
	checkScriptsOff(t, ctx)

	// A recovery code works once.
	expect("sign out again", "/signed-out", 200, "You have signed out")(press(ctx, `//nav//button[normalize-space()="Sign out"]`))
	expect("open the sign-in page", "/sign-in", 200, "Sign in to Haven")(chromedp.Run(ctx, chromedp.NavigateResponse(s.URL+"/sign-in")))
	expect("sign in once more", "/sign-in/code", 200, "Enter your security code")(enterPassword(ctx, inv.email, enrolPassword))
	expect("ask for a recovery code again", "/sign-in/recovery", 200, "Enter a recovery code")(press(ctx, `//main//a[normalize-space()="I cannot use my authenticator app"]`))
	must(fill(ctx, "#code", codes[3]))
	expect("enter the used recovery code", "/sign-in/recovery", 401, "That recovery code is not correct or has already been used")(submit(ctx))
	checkScriptsOff(t, ctx)
}

// stepChecks returns the checks a journey test makes after each step.
// expect(step, path, status, want)(resp, err) fails the test unless the step
// ended on path with that status and want in <main>; must(err) fails it if
// err is not nil.
func stepChecks(t *testing.T, ctx context.Context) (expect func(step, path string, status int64, want string) func(*network.Response, error), must func(error)) {
	expect = func(step, path string, status int64, want string) func(*network.Response, error) {
		return func(resp *network.Response, err error) {
			t.Helper()
			if _, err := arrived(resp, err, step, path, status); err != nil {
				t.Fatal(err)
			}
			if err := checkResponse(ctx, resp, status, want); err != nil {
				t.Fatalf("%s: %v", step, err)
			}
		}
	}
	must = func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	return expect, must
}

var recoveryCodeRE = regexp.MustCompile(`^[a-z2-7]{5}-[a-z2-7]{5}$`)

// TestPeopleAndAdminWithoutJavaScript follows Riverside's practice lead as
// she adds a woman, enrols her, moves her on to Engaging and writes a
// restricted note; then an administrator disables the account of the
// practitioner the lead chose. All without JavaScript.
func TestPeopleAndAdminWithoutJavaScript(t *testing.T) {
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

	lead, err := s.accountIn(ctx, access.RolePracticeLead, riverside)
	must(err)
	must(signIn(ctx, s, lead))
	checkScriptsOff(t, ctx)

	// A woman referred to the Practice.
	expect("open People", "/people", 200, "Add a person")(followNav(ctx, "People"))
	expect("follow Add a person", "/people/new", 200, "Dedicated practitioner")(followLink(ctx, "Add a person"))
	must(fill(ctx, "#firstName", "Wren", "#lastName", "Applegarth",
		"#dateOfBirth-day", "27", "#dateOfBirth-month", "3", "#dateOfBirth-year", "1995"))
	type option struct{ Value, Text string }
	offered, err := chromedp.Run(ctx, chromedp.Evaluate[[]option](
		`[...document.querySelectorAll('#practitioner option')].filter(o => o.value).map(o => ({Value: o.value, Text: o.text.trim()}))`))
	must(err)
	if len(offered) == 0 {
		t.Fatal("the form offers no practitioner to choose")
	}
	practitioner := offered[0]
	must(choose(ctx, "#practitioner", practitioner.Value))
	expect("save her details", "/people/{ref}", 200, "Wren Applegarth")(pressButton(ctx, "Save"))
	if got := text(); !strings.Contains(got, "27 March 1995") || !strings.Contains(got, practitioner.Text) {
		t.Errorf("her page does not show her date of birth, 27 March 1995, and her practitioner, %s; it reads:\n%s", practitioner.Text, got)
	}
	checkScriptsOff(t, ctx)

	// Her enrolment, referred 20 days ago and engaging since 10 days ago.
	day := func(ago int) (string, string, string) {
		d := time.Now().AddDate(0, 0, -ago)
		return strconv.Itoa(d.Day()), strconv.Itoa(int(d.Month())), strconv.Itoa(d.Year())
	}
	d, m, y := day(20)
	must(fill(ctx, "#referredOn-day", d, "#referredOn-month", m, "#referredOn-year", y))
	expect("start an enrolment", "/people/{ref}", 200, "Move to")(pressButton(ctx, "Start an enrolment"))
	must(choose(ctx, "#to", "engaging"))
	d, m, y = day(10)
	must(fill(ctx, "#on-day", d, "#on-month", m, "#on-year", y))
	expect("move her to Engaging", "/people/{ref}", 200, "Engagement clock")(pressButton(ctx, "Record the change"))
	phase, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#programme + .govuk-summary-list .govuk-tag")))
	must(err)
	if phase != "Engaging" {
		t.Errorf("her phase reads %q, want Engaging", phase)
	}

	// A restricted note, which only her practitioner and the lead may read.
	const note = "Fictional test note: review in the spring."
	expect("edit the reproductive health notes", "/people/{ref}/restricted/reproductive-health", 200, "Nothing has been written in this section yet")(
		press(ctx, `//*[@id="section-reproductive-health-card"]//a[starts-with(normalize-space(), "Edit")]`))
	must(fill(ctx, "#body", note))
	expect("save the reproductive health notes", "/people/{ref}", 200, "Restricted sections")(pressButton(ctx, "Save a new version"))
	saved, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#section-reproductive-health-card .govuk-summary-card__content")))
	must(err)
	if !strings.Contains(saved, note) {
		t.Errorf("the reproductive health notes read %q after saving, want %q", saved, note)
	}
	checkScriptsOff(t, ctx)
	expect("sign out", "/signed-out", 200, "You have signed out")(press(ctx, `//nav//button[normalize-space()="Sign out"]`))

	// The administrator disables the practitioner's account.
	admin, err := s.accountIn(ctx, access.RoleAdmin, "")
	must(err)
	must(signIn(ctx, s, admin))
	expect("open Admin", "/admin/users", 200, practitioner.Text)(followNav(ctx, "Admin"))
	user := "/admin/users/" + practitioner.Value
	expect("open the practitioner's account", user, 200, "Disable account")(followLink(ctx, practitioner.Text))
	expect("disable the account", user, 200, "Account disabled. Every session it had has ended.")(pressButton(ctx, "Disable account"))
	if got := text(); !strings.Contains(got, "Enable account") {
		t.Errorf("the disabled account's page offers no Enable account button; it reads:\n%s", got)
	}
	checkScriptsOff(t, ctx)
}
