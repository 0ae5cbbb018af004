package e2e

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"haven/internal/demo"
	"haven/internal/mail/mailtest"
	"haven/internal/store"
	"haven/internal/store/storetest"
	"haven/internal/web"
)

// chromiumPath is Debian's Chromium, which the CI image installs.
const chromiumPath = "/usr/bin/chromium"

const (
	// A whole top-level test, browser start included. The pages list grew to
	// about 90 pages, each checked at two widths in one browser: on two
	// loaded cores three minutes was no longer enough for all of them.
	browserTimeout = 6 * time.Minute
	tabTimeout     = 60 * time.Second
)

func TestMain(m *testing.M) { storetest.Main(m) }

// startHaven serves Haven with the demo data from a fresh SQLite database.
//
// It serves plain HTTP on 127.0.0.1. Chromium counts 127.0.0.1 as a
// potentially trustworthy origin, so it keeps Haven's Secure __Host- cookies
// there; the sign-in journeys would fail at their first step if it did not.
func startHaven(t *testing.T) *site {
	t.Helper()
	return startHavenOn(t, storetest.SQLite(t))
}

// startHavenOn is startHaven on the database given, for the journeys that
// must work on both.
func startHavenOn(t *testing.T, db *store.DB) *site {
	t.Helper()
	sum, err := demo.Seed(t.Context(), db, demo.Options{})
	if err != nil {
		t.Fatalf("seed demo data: %v", err)
	}
	// The listener comes first, so that Haven knows the address people reach
	// it at, for the links it gives out, as `haven serve` does.
	ts := httptest.NewUnstartedServer(nil)
	relay := mailtest.Start(t, mailtest.Options{}) // the mailing list's (mailing_test.go)
	srv, err := web.NewServer(web.Options{Store: db, BaseURL: "http://" + ts.Listener.Addr().String(), Mailer: relay.Sender("community@haven.example.org")})
	if err != nil {
		ts.Close()
		t.Fatalf("new server: %v", err)
	}
	ts.Config.Handler = srv
	ts.Start()
	t.Cleanup(ts.Close)
	t.Cleanup(srv.WaitForMail) // before the database closes
	return &site{Server: ts, db: db, all: slices.Clone(sum.Accounts), unused: slices.Clone(sum.Accounts), mail: relay}
}

// startBrowser starts one headless Chromium for a top-level test; its
// subtests each open a tab in it with newTab.
func startBrowser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("Chromium is required when CI=true: %v", err)
		}
		t.Skipf("Chromium not installed at %s: %v", chromiumPath, err)
	}
	// No UserDataDir option: chromedp then makes a fresh temporary profile
	// for this browser and removes it, retrying while Chromium's helpers exit.
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox, // containers and CI runners often lack user namespaces
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		// Chromium 15x draws the address bar's suggestions with WebUI pages,
		// two renderers for every window chromedp opens, so for every tab.
		// Headless, nobody sees them; without them the tests take about
		// half the time on a 2-core runner. Keep chromedp's own two features.
		chromedp.Flag("disable-features", "Translate,BlinkGenPropertyTrees,WebUIOmniboxPopup,WebUIOmniboxAimPopup,WebUIOmniboxFullPopup"),
	)
	parent, cancelParent := context.WithTimeout(t.Context(), browserTimeout)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(parent, opts...)
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	// The cancel funcs wait for Chromium to exit and its profile to go.
	t.Cleanup(func() {
		cancelBrowser()
		cancelAlloc()
		cancelParent()
	})
	// The first Do must use the context NewContext returned: the browser
	// lives as long as the context that started it.
	if err := chromedp.Do(browserCtx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return browserCtx
}

// newTab opens a tab that closes when the test ends, and returns a context
// for it that gives up after tabTimeout. Tabs share one cookie jar unless
// opts include chromedp.WithNewBrowserContext(), as they must for tabs that
// sign in in parallel.
func newTab(t *testing.T, browserCtx context.Context, opts ...chromedp.ContextOption) context.Context {
	t.Helper()
	tabCtx, cancelTab := chromedp.NewContext(browserCtx, opts...)
	t.Cleanup(cancelTab)
	if err := chromedp.Do(tabCtx); err != nil {
		t.Fatalf("open tab: %v", err)
	}
	ctx, cancel := context.WithTimeout(tabCtx, tabTimeout)
	t.Cleanup(cancel)
	return ctx
}

// pageCase is one page state to check: a GET, optionally followed by filling
// in the find-a-practice form and pressing its button; or a journey through
// several pages, such as signing in.
type pageCase struct {
	name   string
	path   string
	search *string // if set, type this into #area and submit
	// journey, if set, replaces path and search: it takes a fresh tab to the
	// state, calling last just before the request for the page to judge, and
	// returns that page's response.
	journey func(ctx context.Context, s *site, last func()) (*network.Response, error)
	status  int64  // of the document finally shown
	want    string // text in <main>, so we know we reached the right state
	// alone marks a journey that found its record missing when every page
	// ran at once on one site (TestPagesFetchNothingFromOtherHosts, 8 December
	// 2026): that check runs it first, by itself. Which parallel journey
	// changes the demo contact's services is still to be found.
	alone bool
}

// pages is every page Haven serves to a browser, in each state worth checking.
var pages = []pageCase{
	{name: "home", path: "/", status: 200, want: "Find support"},
	{name: "practices", path: "/practices", status: 200, want: "Riverside Practice (demo)"},
	{name: "practice", path: "/practices/demo-riverside", status: 200, want: "Riverside Practice (demo)"},
	{name: "find a practice", path: "/find-a-practice", status: 200, want: "Find a Practice near you"},
	{name: "find a practice with nothing entered", path: "/find-a-practice", search: new(""), status: 422, want: "There is a problem"},
	{name: "find a practice in Leeds", path: "/find-a-practice", search: new("leeds"), status: 200, want: "Riverside Practice (demo)"},
	{name: "find a practice by postcode", path: "/find-a-practice", search: new("ls6 1aa"), status: 200, want: "Most postcodes starting LS6 are in Leeds"},
	{name: "find a practice where none covers", path: "/find-a-practice", search: new("Hartlepool"), status: 200, want: "If no Practice covers your area"},
	{name: "find a practice with an unknown postcode", path: "/find-a-practice", search: new("ZZ99 9ZZ"), status: 422, want: "Enter a postcode in England"},
	{name: "find a practice with a control character", journey: findWithAControlCharacter, status: 422, want: "Postcode or place name must not contain control characters"},
	{name: "accessibility statement", path: "/accessibility", status: 200, want: "Accessibility statement"},
	{name: "privacy notice", path: "/privacy", status: 200, want: "Privacy notice"},
	{name: "cookies", path: "/cookies", status: 200, want: "Cookies"},
	{name: "page not found", path: "/no-such-page", status: 404, want: "Page not found"},

	// Referrals from the public: see programme_test.go.
	{name: "self-referral", path: "/refer", status: 200, want: "Ask a Practice to contact you"},
	{name: "self-referral with nothing entered", journey: referSelfEmpty, status: 422, want: "There is a problem"},
	{name: "professional referral", path: "/refer/professional", status: 200, want: "Refer a woman to a Practice"},
	{name: "referral sent", journey: referralSent, status: 200, want: "Keep this reference somewhere safe"},

	// Signing in, enrolment and the account: see journey_test.go.
	{name: "sign in", path: "/sign-in", status: 200, want: "Sign in to Haven"},
	{name: "sign in with nothing entered", journey: signInEmpty, status: 422, want: "Enter your email address"},
	{name: "sign in with a wrong password", journey: signInWrongPassword, status: 401, want: "Enter a correct email address and password"},
	{name: "security code", journey: codePage, status: 200, want: "Enter your security code"},
	{name: "security code that is wrong", journey: codePageWrongCode, status: 401, want: "The code is not correct"},
	{name: "recovery code", journey: recoveryPage, status: 200, want: "Enter a recovery code"},
	{name: "enrol", journey: enrolPage, status: 200, want: "Create your password"},
	{name: "enrol with a short password", journey: enrolShortPassword, status: 422, want: "Password must be 12 characters or more"},
	{name: "set up authenticator app", journey: mfaSetupPage, status: 200, want: "If you cannot scan the QR code"},
	{name: "recovery codes", journey: recoveryCodesPage, status: 200, want: "Save your recovery codes"},
	{name: "account", journey: accountPage, status: 200, want: "Practitioner, "},
	{name: "signed out", journey: signedOutPage, status: 200, want: "You have signed out"},

	// Administration, as a system administrator: see staff_test.go.
	{name: "users", journey: adminUsersPage, status: 200, want: "Search the audit trail"},
	{name: "invite a user", journey: adminInvitePage, status: 200, want: "Where the role applies"},
	{name: "invite a user with nothing entered", journey: adminInviteEmpty, status: 422, want: "Choose a role"},
	{name: "user invited", journey: adminInvited, status: 200, want: "Send this one-time enrolment link"},
	{name: "user", journey: adminUserPage, status: 200, want: "Disable account"},
	{name: "user with a role added", journey: adminRoleAdded, status: 200, want: "Role added"},
	{name: "user who is locked out", journey: adminLockedUserPage, status: 200, want: "Unlock account"},
	{name: "your own user", journey: adminOwnPage, status: 200, want: "Sessions"},
	{name: "audit trail", journey: adminAuditPage, status: 200, want: "Newest first"},
	{name: "audit trail for a user no one is", journey: adminAuditWrongUser, status: 422, want: "No user has a name or email address containing that"},
	{name: "audit trail for a name several users have", journey: adminAuditSeveralUsers, status: 200, want: "Choose whose actions to see"},

	// The account's API tokens and password.
	{name: "API tokens", journey: tokensPage, status: 200, want: "Create a token"},
	{name: "API token created", journey: tokenCreated, status: 200, want: "Copy this token now"},
	{name: "change your password", journey: passwordPage, status: 200, want: "Change your password"},
	{name: "confirm it is you", journey: reauthPage, status: 200, want: "Confirm it is you"},

	// People's records, as Riverside's practice lead, and as a practitioner
	// there who is not allocated to the woman.
	{name: "people", journey: peoplePage, status: 200, want: "Add a person"},
	{name: "add a person", journey: addPersonPage, status: 200, want: "Dedicated practitioner"},
	{name: "add a person with nothing entered", journey: addPersonEmpty, status: 422, want: "Enter first name"},
	{name: "person", journey: personPage, status: 200, want: "Restricted sections"},
	{name: "change a person's details", journey: editPersonPage, status: 200, want: "Her contact details"},
	{name: "confirm ending her programme", journey: confirmEndingPage, status: 200, want: "cannot be undone"},
	{name: "who has seen a record", journey: accessLogPage, status: 200, want: "Every view and change"},
	{name: "who has seen a record, dates the wrong way round", journey: accessLogWrongDates, status: 422, want: "To must be the same as or after From"},

	// Where each role lands after signing in: see staff_test.go.
	{name: "home for a practitioner", journey: homePractitioner, status: 200, want: "Your caseload"},
	{name: "home for a practice lead", journey: homeLead, status: 200, want: "Caseloads in Riverside Practice (demo)"},
	{name: "restricted record", journey: restrictedPage, status: 403, want: "I need to see the whole record now"},

	// The programme, as Riverside's practice lead, on the record of a woman
	// who has had sessions: see programme_test.go.
	{name: "triage", journey: leadNav("Triage", "/triage"), status: 200, want: "New referrals"},
	{name: "triage a referral", journey: triageReferralPage, status: 200, want: "Eligibility screen"},
	{name: "practice overview", journey: leadNav("Overview", "/overview"), status: 200, want: "Enrolments in each phase"},
	{name: "tasks", journey: leadNav("Tasks", "/tasks"), status: 200, want: "Tasks come from the records themselves"},
	{name: "partner agencies", journey: leadNav("Agencies", "/agencies"), status: 200, want: "Add a partner agency"},
	{name: "sessions", journey: onRecord("", "Sessions and case notes", "/people/{ref}/sessions"), status: 200, want: "newest first"},
	{name: "record a session", journey: onRecord("/sessions", "Record a session", "/people/{ref}/sessions/new"), status: 200, want: "Who started it"},
	{name: "session", journey: sessionPage, status: 200, want: "Correct this note"},
	{name: "chronology", journey: onRecord("", "Chronology", "/people/{ref}/chronology"), status: 200, want: "View the session"},
	{name: "chronology for printing", journey: onRecord("/chronology", "Print this chronology", "/people/{ref}/chronology"), status: 200, want: "Printed by"},
	{name: "support plan", journey: onRecord("", "Support plan", "/people/{ref}/plan"), status: 200, want: "Add a goal"},
	{name: "support plan with a goal added", journey: goalAdded, status: 200, want: "Goal added"},
	{name: "support plan for printing", journey: onRecord("/plan", "Print the plan for her to keep", "/people/{ref}/plan/print"), status: 200, want: "This is your plan"},
	{name: "referrals to partner agencies", journey: onRecord("", "Referrals to partner agencies", "/people/{ref}/referrals-out"), status: 200, want: "Refer her to a partner agency"},
	{name: "reproductive health", journey: onRecord("", "Contraception, review dates and pregnancy events", "/people/{ref}/reproductive-health"), status: 200, want: "Pregnancy events"},
	{name: "a restricted section's versions", journey: onRecord("", "Edit reproductive and sexual health notes", "/people/{ref}/restricted/reproductive-health"), status: 200, want: "Save a new version"},
}

// tab opens a tab for the case. A journey's tab gets a browser context of
// its own, like a private window, so that journeys running in parallel keep
// their cookies, and so their sessions, apart.
func (pc pageCase) tab(t *testing.T, browserCtx context.Context) context.Context {
	t.Helper()
	if pc.journey != nil {
		return newTab(t, browserCtx, chromedp.WithNewBrowserContext())
	}
	return newTab(t, browserCtx)
}

// load opens the page and takes it to the state the case describes.
// beforeSubmit, if set, runs just before the request for the page to judge:
// between the form's GET and its submission, or before a journey's last step.
func (pc pageCase) load(ctx context.Context, s *site, beforeSubmit func()) error {
	if pc.journey != nil {
		if beforeSubmit == nil {
			beforeSubmit = func() {}
		}
		resp, err := pc.journey(ctx, s, beforeSubmit)
		if err != nil {
			return err
		}
		return checkResponse(ctx, resp, pc.status, pc.want)
	}
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(s.URL+pc.path))
	if err != nil {
		return err
	}
	if pc.search != nil {
		if *pc.search != "" {
			if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#area"), *pc.search)); err != nil {
				return err
			}
		}
		if beforeSubmit != nil {
			beforeSubmit()
		}
		if resp, err = submit(ctx); err != nil {
			return err
		}
	}
	return checkResponse(ctx, resp, pc.status, pc.want)
}

// submit presses the form's button as a person would, and waits for the
// page that comes back.
func submit(ctx context.Context) (*network.Response, error) {
	return chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)))
}

// checkResponse fails if the browser is not showing the page we expect.
func checkResponse(ctx context.Context, resp *network.Response, status int64, want string) error {
	if resp == nil {
		return errors.New("no response for the page")
	}
	if resp.Status != status {
		return fmt.Errorf("%s answered %d, want %d", resp.URL, resp.Status, status)
	}
	text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
	if err != nil {
		return fmt.Errorf("read <main>: %w", err)
	}
	if !strings.Contains(text, want) {
		return fmt.Errorf("%s: <main> does not contain %q; it reads:\n%s", resp.URL, want, text)
	}
	return nil
}
