package e2e

import (
	"context"
	"fmt"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/auth"
	"haven/internal/demo"
	"haven/internal/store"
)

// site is Haven serving one top-level test, with the demo accounts that no
// journey has used yet.
type site struct {
	*httptest.Server
	db *store.DB

	mu      sync.Mutex
	unused  []demo.Account
	invited int
}

// account hands out a demo account that no other journey on this site has
// had. A TOTP code works once for each account, and failures count against an
// account, so parallel journeys must not share one. An empty role takes any,
// from the end of the list, which leaves the practitioners at its start for
// the journeys that ask for one.
func (s *site) account(role access.Role) (demo.Account, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := len(s.unused) - 1; i >= 0; i-- {
		if a := s.unused[i]; role == "" || a.Role == role {
			s.unused = slices.Delete(s.unused, i, i+1)
			return a, nil
		}
	}
	return demo.Account{}, fmt.Errorf("every demo account with role %q is used; the journeys need more", role)
}

// invitation is an account that exists but has no password yet, as an
// administrator would make it, with its one-time enrolment link.
type invitation struct {
	email string
	path  string // /enrol/{token}
}

// invite makes a practitioner at Harbour Practice and an enrolment link for them.
func (s *site) invite(ctx context.Context) (invitation, error) {
	s.mu.Lock()
	s.invited++
	n := s.invited
	s.mu.Unlock()
	tenant, err := s.db.ResolveTenant(ctx, access.TenantPractice, "demo-harbour")
	if err != nil {
		return invitation{}, fmt.Errorf("resolve demo-harbour: %w", err)
	}
	u, err := s.db.CreateAccount(ctx, audit.Event{RequestID: "test"},
		access.User{Email: fmt.Sprintf("robin.newcomer%d@demo.haven.invalid", n), DisplayName: fmt.Sprintf("Robin Newcomer %d", n)},
		[]store.Grant{{Role: access.RolePractitioner, Tenant: tenant}})
	if err != nil {
		return invitation{}, fmt.Errorf("create account: %w", err)
	}
	token := auth.NewToken()
	if err := s.db.CreateEnrolmentToken(ctx, u.ID, auth.HashToken(token), time.Now().Add(time.Hour)); err != nil {
		return invitation{}, fmt.Errorf("create enrolment token: %w", err)
	}
	return invitation{email: u.Email, path: "/enrol/" + token}, nil
}

// enrolPassword is what the journeys choose as a new password: long enough,
// not common, and nothing like the service's or the person's name.
const enrolPassword = "copper kettle orchard 47"

// The steps below are what a person does, one page at a time. Each checks
// that it landed where it should, so a journey that goes wrong says where.

// visit opens path and checks the page it ends on.
func visit(ctx context.Context, s *site, path, wantPath string, status int64) (*network.Response, error) {
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(s.URL+path))
	return arrived(resp, err, "open "+path, wantPath, status)
}

// fill enters text in form fields: pairs of a CSS selector and the text. It
// focuses each field and inserts the text at once, as pasting or a password
// manager does, with the input events a paste fires. That is many times
// quicker than chromedp.SendKeys, which sends key events for each character.
func fill(ctx context.Context, pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		sel, text := pairs[i], pairs[i+1]
		insert := chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, input.InsertText, input.InsertTextParams{Text: text})
			return err
		})
		if err := chromedp.Do(ctx, chromedp.Focus(chromedp.CSS(sel), chromedp.NodeVisible), insert); err != nil {
			return fmt.Errorf("enter text in %s: %w", sel, err)
		}
	}
	return nil
}

// press clicks the element sel finds, which must load a page, and returns
// that page's response.
func press(ctx context.Context, sel string) (*network.Response, error) {
	return chromedp.RunResponse(ctx, chromedp.Click(chromedp.Search(sel)))
}

// arrived checks that a step ended on wantPath with the status expected.
func arrived(resp *network.Response, err error, step, wantPath string, status int64) (*network.Response, error) {
	if err != nil {
		return nil, fmt.Errorf("%s: %w", step, err)
	}
	if resp == nil {
		return nil, fmt.Errorf("%s: no response", step)
	}
	u, err := url.Parse(resp.URL)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", step, err)
	}
	if u.Path != wantPath || resp.Status != status {
		return nil, fmt.Errorf("%s: ended on %s with status %d, want %s with %d", step, u.Path, resp.Status, wantPath, status)
	}
	return resp, nil
}

// enterPassword fills in the sign-in form and presses Continue.
func enterPassword(ctx context.Context, email, password string) (*network.Response, error) {
	if err := fill(ctx, "#email", email, "#password", password); err != nil {
		return nil, err
	}
	return submit(ctx)
}

// signInWithPassword takes a fresh tab through the first step of signing
// in, to the page that asks for the security code.
func signInWithPassword(ctx context.Context, s *site, a demo.Account) error {
	if _, err := visit(ctx, s, "/sign-in", "/sign-in", 200); err != nil {
		return err
	}
	resp, err := enterPassword(ctx, a.Email, a.Password)
	_, err = arrived(resp, err, "sign in as "+a.Email, "/sign-in/code", 200)
	return err
}

// signIn signs in fully, with the password and the current TOTP code, and
// ends on the home page.
func signIn(ctx context.Context, s *site, a demo.Account) error {
	if err := signInWithPassword(ctx, s, a); err != nil {
		return err
	}
	code, err := auth.TOTPCode(a.TOTPSecret, time.Now())
	if err != nil {
		return err
	}
	if err := fill(ctx, "#code", code); err != nil {
		return err
	}
	resp, err := submit(ctx)
	_, err = arrived(resp, err, "enter the security code", "/", 200)
	return err
}

// wrongCode is a 6-digit code that the server, which accepts the codes of
// one step either side of now, cannot take for right.
func wrongCode(secret string) (string, error) {
	now := time.Now()
	var right []string
	for _, d := range []time.Duration{-60, -30, 0, 30, 60} {
		c, err := auth.TOTPCode(secret, now.Add(d*time.Second))
		if err != nil {
			return "", err
		}
		right = append(right, c)
	}
	for n := range len(right) + 1 {
		if c := fmt.Sprintf("%06d", n); !slices.Contains(right, c) {
			return c, nil
		}
	}
	panic("unreachable: more candidates than right codes")
}

// startEnrolment follows a new enrolment link to the password form.
func startEnrolment(ctx context.Context, s *site) (invitation, error) {
	inv, err := s.invite(ctx)
	if err != nil {
		return inv, err
	}
	_, err = visit(ctx, s, inv.path, "/enrol", 200)
	return inv, err
}

// choosePassword fills in the enrolment form and ends on the page that sets
// up the authenticator app.
func choosePassword(ctx context.Context) error {
	if err := fill(ctx, "#password", enrolPassword, "#confirm", enrolPassword); err != nil {
		return err
	}
	resp, err := submit(ctx)
	_, err = arrived(resp, err, "choose a password", "/account/mfa/setup", 200)
	return err
}

// setUpAuthenticator reads the key the page shows, as a person would type it
// into their app, and enters the code the app would then show.
func setUpAuthenticator(ctx context.Context, last func()) (*network.Response, error) {
	shown, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(".haven-secret")))
	if err != nil {
		return nil, fmt.Errorf("read the key: %w", err)
	}
	secret := strings.Join(strings.Fields(shown), "")
	code, err := auth.TOTPCode(secret, time.Now())
	if err != nil {
		return nil, fmt.Errorf("the page shows the key %q, which is not one: %w", shown, err)
	}
	if err := fill(ctx, "#code", code); err != nil {
		return nil, err
	}
	last()
	resp, err := submit(ctx)
	// The codes come back in answer to the POST, so that they are never at an address.
	return arrived(resp, err, "enter the code from the app", "/account/mfa/setup", 200)
}

// sessionCookie returns the browser's session cookie for the site, if it
// keeps one.
func sessionCookie(ctx context.Context, s *site) (*network.Cookie, error) {
	get := func(ctx context.Context, t *chromedp.Target) ([]*network.Cookie, error) {
		res, err := cdp.Call(ctx, t, network.GetCookies, network.GetCookiesParams{URLs: []string{s.URL + "/"}})
		return res.Cookies, err
	}
	cookies, err := chromedp.Run(ctx, get)
	if err != nil {
		return nil, fmt.Errorf("read cookies: %w", err)
	}
	for _, c := range cookies {
		if c.Name == "__Host-haven_session" {
			return c, nil
		}
	}
	return nil, nil
}

// Journeys for the pages table: each takes a fresh tab to one page state.

func signInEmpty(ctx context.Context, s *site, last func()) (*network.Response, error) {
	if _, err := visit(ctx, s, "/sign-in", "/sign-in", 200); err != nil {
		return nil, err
	}
	last()
	return submit(ctx)
}

func signInWrongPassword(ctx context.Context, s *site, last func()) (*network.Response, error) {
	a, err := s.account("")
	if err != nil {
		return nil, err
	}
	if _, err := visit(ctx, s, "/sign-in", "/sign-in", 200); err != nil {
		return nil, err
	}
	if err := fill(ctx, "#email", a.Email, "#password", a.Password+"-not"); err != nil {
		return nil, err
	}
	last()
	return submit(ctx)
}

func codePage(ctx context.Context, s *site, last func()) (*network.Response, error) {
	a, err := s.account("")
	if err != nil {
		return nil, err
	}
	if _, err := visit(ctx, s, "/sign-in", "/sign-in", 200); err != nil {
		return nil, err
	}
	if err := fill(ctx, "#email", a.Email, "#password", a.Password); err != nil {
		return nil, err
	}
	last()
	return submit(ctx)
}

func codePageWrongCode(ctx context.Context, s *site, last func()) (*network.Response, error) {
	a, err := s.account("")
	if err != nil {
		return nil, err
	}
	if err := signInWithPassword(ctx, s, a); err != nil {
		return nil, err
	}
	code, err := wrongCode(a.TOTPSecret)
	if err != nil {
		return nil, err
	}
	if err := fill(ctx, "#code", code); err != nil {
		return nil, err
	}
	last()
	return submit(ctx)
}

func recoveryPage(ctx context.Context, s *site, last func()) (*network.Response, error) {
	a, err := s.account("")
	if err != nil {
		return nil, err
	}
	if err := signInWithPassword(ctx, s, a); err != nil {
		return nil, err
	}
	last()
	return press(ctx, `//main//a[normalize-space()="I cannot use my authenticator app"]`)
}

func enrolPage(ctx context.Context, s *site, last func()) (*network.Response, error) {
	inv, err := s.invite(ctx)
	if err != nil {
		return nil, err
	}
	last()
	// The link's token goes into a cookie and out of the address bar at once.
	return visit(ctx, s, inv.path, "/enrol", 200)
}

func enrolShortPassword(ctx context.Context, s *site, last func()) (*network.Response, error) {
	if _, err := startEnrolment(ctx, s); err != nil {
		return nil, err
	}
	if err := fill(ctx, "#password", "too short", "#confirm", "too short"); err != nil {
		return nil, err
	}
	last()
	return submit(ctx)
}

func mfaSetupPage(ctx context.Context, s *site, last func()) (*network.Response, error) {
	if _, err := startEnrolment(ctx, s); err != nil {
		return nil, err
	}
	if err := fill(ctx, "#password", enrolPassword, "#confirm", enrolPassword); err != nil {
		return nil, err
	}
	last()
	return submit(ctx)
}

func recoveryCodesPage(ctx context.Context, s *site, last func()) (*network.Response, error) {
	if _, err := startEnrolment(ctx, s); err != nil {
		return nil, err
	}
	if err := choosePassword(ctx); err != nil {
		return nil, err
	}
	return setUpAuthenticator(ctx, last)
}

func accountPage(ctx context.Context, s *site, last func()) (*network.Response, error) {
	a, err := s.account(access.RolePractitioner)
	if err != nil {
		return nil, err
	}
	if err := signIn(ctx, s, a); err != nil {
		return nil, err
	}
	last()
	return press(ctx, `//nav//a[normalize-space()="Your account"]`)
}

func signedOutPage(ctx context.Context, s *site, last func()) (*network.Response, error) {
	a, err := s.account("")
	if err != nil {
		return nil, err
	}
	if err := signIn(ctx, s, a); err != nil {
		return nil, err
	}
	last()
	return press(ctx, `//nav//button[normalize-space()="Sign out"]`)
}
