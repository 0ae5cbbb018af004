package e2e

import (
	"context"
	"fmt"
	"net/http/httptest"
	"net/url"
	"regexp"
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
	"haven/internal/mail/mailtest"
	"haven/internal/store"
)

// site is Haven serving one top-level test, with the demo accounts that no
// journey has used yet.
type site struct {
	*httptest.Server
	db  *store.DB
	all []demo.Account // every demo account, used or not

	mu     sync.Mutex
	unused []demo.Account
	made   int // accounts and emails the journeys have made up

	shareMu sync.Mutex                 // guards shared, and is held while a tab signs in to make one
	shared  map[string]*network.Cookie // session cookies by role and tenant: see shareSession

	mail *mailtest.Server // what the mailing list sent
}

// account hands out an account with the role that no other journey on this
// site has had. A TOTP code works once for each account, and failures count
// against an account, so parallel journeys must not share one. An empty role
// takes any, from the end of the list, which leaves the practitioners at its
// start for the journeys that ask for one.
func (s *site) account(ctx context.Context, role access.Role) (demo.Account, error) {
	return s.accountIn(ctx, role, "")
}

// accountIn is account for a role in one tenant, named by its slug as the
// demo lines name it; an empty tenant takes any. The demo has one account for
// most roles, and the pages table signs in as some of them in several tabs at
// once, so when the demo's accounts of that kind are all taken it makes
// another like them, as an administrator adds a colleague.
func (s *site) accountIn(ctx context.Context, role access.Role, tenant string) (demo.Account, error) {
	fits := func(a demo.Account) bool {
		return (role == "" || a.Role == role) && (tenant == "" || a.Tenant == tenant)
	}
	s.mu.Lock()
	for i := len(s.unused) - 1; i >= 0; i-- {
		if a := s.unused[i]; fits(a) {
			s.unused = slices.Delete(s.unused, i, i+1)
			s.mu.Unlock()
			return a, nil
		}
	}
	s.mu.Unlock()
	for i := len(s.all) - 1; i >= 0; i-- {
		if like := s.all[i]; fits(like) {
			return s.colleague(ctx, like)
		}
	}
	return demo.Account{}, fmt.Errorf("the demo has no account with role %q in %q", role, tenant)
}

// colleagueHasher is cheap, as auth.Hasher allows for tests that make many
// accounts; the hash records it, so signing in checks with the same.
var colleagueHasher = auth.Hasher{Memory: 64, Time: 1}

// colleague makes an enrolled account with the role and tenant that like
// has, and, like every demo account, an API token.
func (s *site) colleague(ctx context.Context, like demo.Account) (demo.Account, error) {
	n := s.serial()
	tenant, err := s.db.ResolveTenant(ctx, like.Role.Tenant(), like.Tenant)
	if err != nil {
		return demo.Account{}, fmt.Errorf("resolve %s %s: %w", like.Role.Tenant(), like.Tenant, err)
	}
	a := demo.Account{Role: like.Role, Tenant: like.Tenant,
		Email: fmt.Sprintf("sam.colleague%d@demo.haven.invalid", n), Password: fmt.Sprintf("colleague password %d", n)}
	key, err := auth.NewTOTPKey("Haven", a.Email)
	if err != nil {
		return a, err
	}
	a.TOTPSecret = key.Secret()
	hash, err := colleagueHasher.Hash(a.Password)
	if err != nil {
		return a, err
	}
	u, err := s.db.CreateEnrolledAccount(ctx, audit.Event{RequestID: "test"},
		access.User{Email: a.Email, DisplayName: fmt.Sprintf("Sam Colleague %d", n)},
		[]store.Grant{{Role: a.Role, Tenant: tenant}}, hash, a.TOTPSecret)
	if err != nil {
		return a, fmt.Errorf("create a colleague %s in %s: %w", a.Role, a.Tenant, err)
	}
	a.UserID = u.ID
	a.APIToken = "haven_" + auth.NewToken()
	if _, err := s.db.CreateAPIToken(ctx, audit.Event{RequestID: "test"}, u.ID, "Demo token", auth.HashToken(a.APIToken), time.Now().AddDate(0, 0, 90)); err != nil {
		return a, fmt.Errorf("create a colleague's API token: %w", err)
	}
	return a, nil
}

// serial numbers what the journeys make up, so that no two emails are alike.
func (s *site) serial() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.made++
	return s.made
}

// demoAccount returns the demo's first account with the role in the tenant,
// used or not, for journeys that need to know who it is, not sign in as it.
func (s *site) demoAccount(role access.Role, tenant string) (demo.Account, error) {
	for _, a := range s.all {
		if a.Role == role && a.Tenant == tenant {
			return a, nil
		}
	}
	return demo.Account{}, fmt.Errorf("the demo has no %s in %s", role, tenant)
}

// invitation is an account that exists but has no password yet, as an
// administrator would make it, with its one-time enrolment link.
type invitation struct {
	email string
	path  string // /enrol/{token}
}

// invite makes a practitioner at Harbour Practice and an enrolment link for them.
func (s *site) invite(ctx context.Context) (invitation, error) {
	n := s.serial()
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
	if !pathMatches(wantPath, u.Path) || resp.Status != status {
		return nil, fmt.Errorf("%s: ended on %s with status %d, want %s with %d", step, u.Path, resp.Status, wantPath, status)
	}
	return resp, nil
}

// pathMatches reports whether path is want, in which {ref} stands for any
// person's reference, {referral} for any referral's and {id} for any number,
// as a new record's address is not known beforehand.
func pathMatches(want, path string) bool {
	pattern := strings.NewReplacer(
		regexp.QuoteMeta("{ref}"), "[a-z2-7]{12}",
		regexp.QuoteMeta("{referral}"), "HVN-[A-Z2-7]{4}-[A-Z2-7]{4}",
		regexp.QuoteMeta("{id}"), "[0-9]+",
	).Replace(regexp.QuoteMeta(want))
	return regexp.MustCompile("^" + pattern + "$").MatchString(path)
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
	home := "/home"
	if a.Role == access.RoleLASocialWorker || a.Role == access.RoleLAManager {
		home = "/la/children" // an LA team's home is its children list
	}
	_, err = arrived(resp, err, "enter the security code", home, 200)
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
	a, err := s.account(ctx, "")
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
	a, err := s.account(ctx, "")
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
	a, err := s.account(ctx, "")
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
	a, err := s.account(ctx, "")
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
	a, err := s.account(ctx, access.RolePractitioner)
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
	a, err := s.account(ctx, "")
	if err != nil {
		return nil, err
	}
	if err := signIn(ctx, s, a); err != nil {
		return nil, err
	}
	last()
	return press(ctx, `//nav//button[normalize-space()="Sign out"]`)
}
