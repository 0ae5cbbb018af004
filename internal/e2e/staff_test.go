package e2e

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"haven/internal/access"
	"haven/internal/demo"
	"haven/internal/store"
)

// Journeys for the pages table that staff see once signed in: the
// administration pages, their account's tokens and password, and people's
// records. Each signs a fresh tab in as an account no other journey has had.

// riverside is the demo Practice whose people the journeys open.
const riverside = "demo-riverside"

// signInAs signs in as an unused account with the role in the tenant.
func signInAs(ctx context.Context, s *site, role access.Role, tenant string) (demo.Account, error) {
	a, err := s.accountIn(ctx, role, tenant)
	if err != nil {
		return a, err
	}
	return a, signIn(ctx, s, a)
}

// pressButton presses the button in <main> whose text, hidden words included,
// starts with text, and returns the page it loads.
func pressButton(ctx context.Context, text string) (*network.Response, error) {
	return press(ctx, fmt.Sprintf(`//main//button[starts-with(normalize-space(), %q)]`, text))
}

// followLink follows the link in <main> that reads text.
func followLink(ctx context.Context, text string) (*network.Response, error) {
	return press(ctx, fmt.Sprintf(`//main//a[normalize-space()=%q]`, text))
}

// followNav follows the service navigation's link that reads text.
func followNav(ctx context.Context, text string) (*network.Response, error) {
	return press(ctx, fmt.Sprintf(`//nav//a[normalize-space()=%q]`, text))
}

// choose selects the option with value in the select sel.
func choose(ctx context.Context, sel, value string) error {
	if err := chromedp.Do(ctx, chromedp.SetValue(chromedp.CSS(sel), value)); err != nil {
		return fmt.Errorf("choose %q in %s: %w", value, sel, err)
	}
	return nil
}

// replace clears a field that comes filled in, then enters text.
func replace(ctx context.Context, sel, text string) error {
	if err := chromedp.Do(ctx, chromedp.Clear(chromedp.CSS(sel))); err != nil {
		return fmt.Errorf("clear %s: %w", sel, err)
	}
	return fill(ctx, sel, text)
}

// Administration, as a system administrator.

func adminUsersPage(ctx context.Context, s *site, last func()) (*network.Response, error) {
	if _, err := signInAs(ctx, s, access.RoleAdmin, ""); err != nil {
		return nil, err
	}
	last()
	resp, err := followNav(ctx, "Admin")
	return arrived(resp, err, "open Admin", "/admin/users", 200)
}

func adminInvitePage(ctx context.Context, s *site, last func()) (*network.Response, error) {
	if _, err := signInAs(ctx, s, access.RoleAdmin, ""); err != nil {
		return nil, err
	}
	if _, err := visit(ctx, s, "/admin/users", "/admin/users", 200); err != nil {
		return nil, err
	}
	last()
	resp, err := followLink(ctx, "Invite a user")
	return arrived(resp, err, "follow Invite a user", "/admin/users/new", 200)
}

func adminInviteEmpty(ctx context.Context, s *site, last func()) (*network.Response, error) {
	if _, err := signInAs(ctx, s, access.RoleAdmin, ""); err != nil {
		return nil, err
	}
	if _, err := visit(ctx, s, "/admin/users/new", "/admin/users/new", 200); err != nil {
		return nil, err
	}
	last()
	resp, err := pressButton(ctx, "Invite user")
	return arrived(resp, err, "invite nobody", "/admin/users", 422)
}

func adminInvited(ctx context.Context, s *site, last func()) (*network.Response, error) {
	if _, err := signInAs(ctx, s, access.RoleAdmin, ""); err != nil {
		return nil, err
	}
	if _, err := visit(ctx, s, "/admin/users/new", "/admin/users/new", 200); err != nil {
		return nil, err
	}
	n := s.serial()
	if err := fill(ctx, "#name", fmt.Sprintf("Robin Invitee %d", n), "#email", fmt.Sprintf("robin.invitee%d@demo.haven.invalid", n)); err != nil {
		return nil, err
	}
	if err := choose(ctx, "#role", string(access.RolePractitioner)); err != nil {
		return nil, err
	}
	if err := choose(ctx, "#tenant", "practice:demo-harbour"); err != nil {
		return nil, err
	}
	last()
	resp, err := pressButton(ctx, "Invite user")
	if resp, err = arrived(resp, err, "invite a user", "/admin/users", 200); err != nil {
		return nil, err
	}
	link, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main .haven-secret")))
	if err != nil {
		return nil, fmt.Errorf("read the enrolment link: %w", err)
	}
	if !strings.HasPrefix(link, s.URL+"/enrol/") {
		return nil, fmt.Errorf("the page shows %q, not an enrolment link on %s", link, s.URL)
	}
	return resp, nil
}

func adminUserPage(ctx context.Context, s *site, last func()) (*network.Response, error) {
	if _, err := signInAs(ctx, s, access.RoleAdmin, ""); err != nil {
		return nil, err
	}
	p, err := s.demoAccount(access.RolePractitioner, riverside)
	if err != nil {
		return nil, err
	}
	last()
	path := fmt.Sprintf("/admin/users/%d", p.UserID)
	return visit(ctx, s, path, path, 200)
}

// adminRoleAdded gives a practitioner a second role through the form. The
// practitioner is one of its own, so that tabs in parallel never add the
// same role to the same person.
func adminRoleAdded(ctx context.Context, s *site, last func()) (*network.Response, error) {
	if _, err := signInAs(ctx, s, access.RoleAdmin, ""); err != nil {
		return nil, err
	}
	like, err := s.demoAccount(access.RolePractitioner, riverside)
	if err != nil {
		return nil, err
	}
	p, err := s.colleague(ctx, like)
	if err != nil {
		return nil, err
	}
	path := fmt.Sprintf("/admin/users/%d", p.UserID)
	if _, err := visit(ctx, s, path, path, 200); err != nil {
		return nil, err
	}
	if err := choose(ctx, "#role", string(access.RolePractitioner)); err != nil {
		return nil, err
	}
	if err := choose(ctx, "#tenant", "practice:demo-hillcrest"); err != nil {
		return nil, err
	}
	last()
	resp, err := pressButton(ctx, "Add role")
	return arrived(resp, err, "add a role", path, 200)
}

// adminLockedUserPage is the page of a colleague whose account is locked
// after failed sign-ins: it says until when, and offers Unlock (S6).
func adminLockedUserPage(ctx context.Context, s *site, last func()) (*network.Response, error) {
	if _, err := signInAs(ctx, s, access.RoleAdmin, ""); err != nil {
		return nil, err
	}
	like, err := s.demoAccount(access.RolePractitioner, riverside)
	if err != nil {
		return nil, err
	}
	p, err := s.colleague(ctx, like)
	if err != nil {
		return nil, err
	}
	if _, err := s.db.RecordFailedLogin(ctx, p.UserID, 1, time.Hour); err != nil {
		return nil, fmt.Errorf("lock user %d: %w", p.UserID, err)
	}
	last()
	path := fmt.Sprintf("/admin/users/%d", p.UserID)
	return visit(ctx, s, path, path, 200)
}

// adminOwnPage is the administrator's own account, which, unlike the others
// here, has a session to list: the one the journey signed in with.
func adminOwnPage(ctx context.Context, s *site, last func()) (*network.Response, error) {
	a, err := signInAs(ctx, s, access.RoleAdmin, "")
	if err != nil {
		return nil, err
	}
	last()
	path := fmt.Sprintf("/admin/users/%d", a.UserID)
	return visit(ctx, s, path, path, 200)
}

func adminAuditPage(ctx context.Context, s *site, last func()) (*network.Response, error) {
	a, err := signInAs(ctx, s, access.RoleAdmin, "")
	if err != nil {
		return nil, err
	}
	if _, err := visit(ctx, s, "/admin/users", "/admin/users", 200); err != nil {
		return nil, err
	}
	last()
	resp, err := followLink(ctx, "Search the audit trail")
	if resp, err = arrived(resp, err, "follow Search the audit trail", "/admin/audit", 200); err != nil {
		return nil, err
	}
	// The newest events include the administrator's own sign-in, as a sentence.
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](fmt.Sprintf(
		`[...document.querySelectorAll('#audit-trail li')].filter(li => li.querySelector('a[href="/admin/users/%d"]') && / signed in, \d+ \w+ \d{4} \d\d:\d\d/.test(li.innerText)).length`, a.UserID)))
	if err != nil {
		return nil, fmt.Errorf("read the audit trail: %w", err)
	}
	if n == 0 {
		return nil, fmt.Errorf("the audit trail does not say that user %d signed in", a.UserID)
	}
	return resp, nil
}

func adminAuditWrongUser(ctx context.Context, s *site, last func()) (*network.Response, error) {
	if _, err := signInAs(ctx, s, access.RoleAdmin, ""); err != nil {
		return nil, err
	}
	if _, err := visit(ctx, s, "/admin/audit", "/admin/audit", 200); err != nil {
		return nil, err
	}
	if err := fill(ctx, "#who", "abc-nobody"); err != nil {
		return nil, err
	}
	last()
	resp, err := pressButton(ctx, "Search")
	return arrived(resp, err, "search for user abc-nobody", "/admin/audit", 422)
}

// adminAuditSeveralUsers searches the trail by part of an email address
// that every demo account has, so the administrator chooses one.
func adminAuditSeveralUsers(ctx context.Context, s *site, last func()) (*network.Response, error) {
	a, err := signInAs(ctx, s, access.RoleAdmin, "")
	if err != nil {
		return nil, err
	}
	if _, err := visit(ctx, s, "/admin/audit", "/admin/audit", 200); err != nil {
		return nil, err
	}
	_, domain, _ := strings.Cut(a.Email, "@")
	if err := fill(ctx, "#who", "@"+domain); err != nil {
		return nil, err
	}
	last()
	resp, err := pressButton(ctx, "Search")
	return arrived(resp, err, "search for @"+domain, "/admin/audit", 200)
}

// The homes a practitioner and a lead in Riverside land on after signing in.
var homePractitioner, homeLead = homeAs(access.RolePractitioner), homeAs(access.RolePracticeLead)

// homeAs is the home a role lands on after signing in, in Riverside.
func homeAs(role access.Role) func(context.Context, *site, func()) (*network.Response, error) {
	return func(ctx context.Context, s *site, last func()) (*network.Response, error) {
		if _, err := signInAs(ctx, s, role, riverside); err != nil {
			return nil, err
		}
		last()
		return visit(ctx, s, "/home", "/home", 200)
	}
}

// The account's API tokens and password. Every role may have tokens; these
// take the roles the other journeys leave.

func tokensPage(ctx context.Context, s *site, last func()) (*network.Response, error) {
	if _, err := signInAs(ctx, s, access.RoleLibraryEditor, ""); err != nil {
		return nil, err
	}
	if _, err := visit(ctx, s, "/account", "/account", 200); err != nil {
		return nil, err
	}
	last()
	resp, err := followLink(ctx, "Manage your API tokens")
	return arrived(resp, err, "follow Manage your API tokens", "/account/tokens", 200)
}

func tokenCreated(ctx context.Context, s *site, last func()) (*network.Response, error) {
	if _, err := signInAs(ctx, s, access.RoleDirectoryEditor, ""); err != nil {
		return nil, err
	}
	if _, err := visit(ctx, s, "/account/tokens", "/account/tokens", 200); err != nil {
		return nil, err
	}
	if err := fill(ctx, "#name", "Evaluation export"); err != nil {
		return nil, err
	}
	if err := replace(ctx, "#days", "30"); err != nil {
		return nil, err
	}
	last()
	resp, err := pressButton(ctx, "Create token")
	if resp, err = arrived(resp, err, "create a token", "/account/tokens", 200); err != nil {
		return nil, err
	}
	token, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main .haven-secret")))
	if err != nil {
		return nil, fmt.Errorf("read the new token: %w", err)
	}
	if !strings.HasPrefix(token, "haven_") {
		return nil, fmt.Errorf("the page shows %q, not a new token", token)
	}
	return resp, nil
}

// passwordPage opens the form straight after signing in, which counts as
// proving who you are, so Haven does not ask again.
func passwordPage(ctx context.Context, s *site, last func()) (*network.Response, error) {
	if _, err := signInAs(ctx, s, access.RoleLASocialWorker, ""); err != nil {
		return nil, err
	}
	if _, err := visit(ctx, s, "/account", "/account", 200); err != nil {
		return nil, err
	}
	last()
	resp, err := followLink(ctx, "Change your password")
	return arrived(resp, err, "follow Change your password", "/account/password", 200)
}

func reauthPage(ctx context.Context, s *site, last func()) (*network.Response, error) {
	if _, err := signInAs(ctx, s, access.RoleNationalAnalyst, ""); err != nil {
		return nil, err
	}
	last()
	resp, err := visit(ctx, s, "/reauth?next=/account", "/reauth", 200)
	if err != nil {
		return nil, err
	}
	next, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(`main input[name="next"]`)))
	if err != nil || next != "/account" {
		return nil, fmt.Errorf("the form sends next=%q (%v), want /account", next, err)
	}
	return resp, nil
}

// People's records, as Riverside's practice lead unless said otherwise.

func peoplePage(ctx context.Context, s *site, last func()) (*network.Response, error) {
	if _, err := signInAs(ctx, s, access.RolePracticeLead, riverside); err != nil {
		return nil, err
	}
	last()
	resp, err := followNav(ctx, "People")
	return arrived(resp, err, "open People", "/people", 200)
}

func addPersonPage(ctx context.Context, s *site, last func()) (*network.Response, error) {
	if _, err := signInAs(ctx, s, access.RolePracticeLead, riverside); err != nil {
		return nil, err
	}
	if _, err := visit(ctx, s, "/people", "/people", 200); err != nil {
		return nil, err
	}
	last()
	resp, err := followLink(ctx, "Add a person")
	return arrived(resp, err, "follow Add a person", "/people/new", 200)
}

func addPersonEmpty(ctx context.Context, s *site, last func()) (*network.Response, error) {
	if _, err := signInAs(ctx, s, access.RolePracticeLead, riverside); err != nil {
		return nil, err
	}
	if _, err := visit(ctx, s, "/people/new", "/people/new", 200); err != nil {
		return nil, err
	}
	last()
	resp, err := pressButton(ctx, "Save")
	return arrived(resp, err, "save nothing", "/people", 422)
}

// personPage signs in as Riverside's lead and follows the first name in the
// list of people.
func personPage(ctx context.Context, s *site, last func()) (*network.Response, error) {
	if _, err := signInAs(ctx, s, access.RolePracticeLead, riverside); err != nil {
		return nil, err
	}
	if _, err := visit(ctx, s, "/people", "/people", 200); err != nil {
		return nil, err
	}
	last()
	resp, err := press(ctx, `//main//table//a`)
	return arrived(resp, err, "follow the first person in the list", "/people/{ref}", 200)
}

func editPersonPage(ctx context.Context, s *site, last func()) (*network.Response, error) {
	if _, err := personPage(ctx, s, func() {}); err != nil {
		return nil, err
	}
	last()
	resp, err := followLink(ctx, "Change her details")
	return arrived(resp, err, "follow Change her details", "/people/{ref}/edit", 200)
}

// accessLogWrongDates filters who has seen a record by dates the wrong way round.
func accessLogWrongDates(ctx context.Context, s *site, last func()) (*network.Response, error) {
	if _, err := accessLogPage(ctx, s, func() {}); err != nil {
		return nil, err
	}
	if err := fill(ctx, "#from-day", "2", "#from-month", "12", "#from-year", "2026", "#to-day", "1", "#to-month", "12", "#to-year", "2026"); err != nil {
		return nil, err
	}
	last()
	resp, err := pressButton(ctx, "Filter")
	return arrived(resp, err, "filter by dates the wrong way round", "/people/{ref}/access-log", 422)
}

func accessLogPage(ctx context.Context, s *site, last func()) (*network.Response, error) {
	if _, err := personPage(ctx, s, func() {}); err != nil {
		return nil, err
	}
	last()
	resp, err := followLink(ctx, "Who has seen this record")
	return arrived(resp, err, "follow Who has seen this record", "/people/{ref}/access-log", 200)
}

// restrictedPage is a person's page as a practitioner in her Practice who
// is not allocated to her: Haven shows only the way to break the glass.
func restrictedPage(ctx context.Context, s *site, last func()) (*network.Response, error) {
	p, err := signInAs(ctx, s, access.RolePractitioner, riverside)
	if err != nil {
		return nil, err
	}
	ref, err := notAllocatedTo(ctx, s, p)
	if err != nil {
		return nil, err
	}
	last()
	resp, err := visit(ctx, s, "/people/"+ref, "/people/"+ref, 403)
	if err != nil {
		return nil, err
	}
	if h1, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main h1"))); err != nil || h1 != "Restricted record" {
		return nil, fmt.Errorf("the heading reads %q (%v), want Restricted record", h1, err)
	}
	return resp, nil
}

// notAllocatedTo finds a Riverside woman whose dedicated practitioner is not p,
// as Riverside's lead sees them.
func notAllocatedTo(ctx context.Context, s *site, p demo.Account) (string, error) {
	lead, err := s.demoAccount(access.RolePracticeLead, riverside)
	if err != nil {
		return "", err
	}
	actor, err := s.db.Actor(ctx, lead.UserID)
	if err != nil {
		return "", fmt.Errorf("load Riverside's lead: %w", err)
	}
	people, err := s.db.PeopleFor(ctx, actor, store.Page{Limit: 50})
	if err != nil {
		return "", fmt.Errorf("list Riverside's people: %w", err)
	}
	for _, person := range people {
		if person.PractitionerID != p.UserID {
			return person.Ref, nil
		}
	}
	return "", fmt.Errorf("every one of Riverside's %d people is allocated to %s", len(people), p.Email)
}

// confirmEndingPage asks, on the first woman's record, to end her
// programme, and stops at the page that asks to confirm it.
func confirmEndingPage(ctx context.Context, s *site, last func()) (*network.Response, error) {
	if _, err := personPage(ctx, s, func() {}); err != nil {
		return nil, err
	}
	to, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`[...document.querySelectorAll('#to option')].map(o => o.value).find(v => ['ended-early', 'completed', 'closed'].includes(v)) ?? ''`))
	if err != nil || to == "" {
		return nil, fmt.Errorf("her record offers no phase that ends her programme (%v)", err)
	}
	if err := choose(ctx, "#to", to); err != nil {
		return nil, err
	}
	if err := fillDate(ctx, "on", 0); err != nil {
		return nil, err
	}
	if err := fill(ctx, "#reason", "Fictional test reason: she has moved away."); err != nil {
		return nil, err
	}
	if to == "ended-early" { // an early end needs its category too
		if err := choose(ctx, "#exitCategory", "moved-away"); err != nil {
			return nil, err
		}
	}
	last()
	resp, err := pressButton(ctx, "Record the change")
	return arrived(resp, err, "ask to end her programme", "/people/{ref}/enrolments/{id}/phase", 200)
}
