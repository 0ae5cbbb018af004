package e2e

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"haven/internal/access"
	"haven/internal/programme"
	"haven/internal/store"
)

// Journeys for the pages table: referrals from the public, and the
// programme pages Riverside's practice lead works in: triage, the Practice's
// overview, tasks and partner agencies, and a woman's sessions, chronology,
// support plan, referrals out and reproductive health.

// leedsCode is Leeds City Council, which Riverside Practice covers.
const leedsCode = "E08000035"

// tick ticks a checkbox or chooses a radio button by clicking its label, as
// a person does, and checks that it took.
func tick(ctx context.Context, id string) error {
	sel := fmt.Sprintf(`label[for=%q]`, id)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(sel))); err != nil {
		return fmt.Errorf("click %s: %w", sel, err)
	}
	checked, err := chromedp.Run(ctx, chromedp.Evaluate[bool](fmt.Sprintf(`document.getElementById(%q).checked`, id)))
	if err != nil {
		return fmt.Errorf("read #%s: %w", id, err)
	}
	if !checked {
		return fmt.Errorf("clicking the label of #%s did not tick it", id)
	}
	return nil
}

// firstOption is the value of the first option in the select sel that has one.
func firstOption(ctx context.Context, sel string) (string, error) {
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(
		`[...document.querySelectorAll(%q)].map(o => o.value).find(v => v) || ''`, sel+" option")))
	if err != nil {
		return "", fmt.Errorf("read the options of %s: %w", sel, err)
	}
	if v == "" {
		return "", fmt.Errorf("%s offers nothing to choose", sel)
	}
	return v, nil
}

// london is where Haven's users are: it decides what day "today" is, and
// so which dates its forms accept.
var london = func() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		return time.UTC
	}
	return loc
}()

// ukDay is the UK date the given number of days ago, as a date input's day,
// month and year.
func ukDay(ago int) (day, month, year string) {
	d := time.Now().In(london).AddDate(0, 0, -ago)
	return strconv.Itoa(d.Day()), strconv.Itoa(int(d.Month())), strconv.Itoa(d.Year())
}

// fillDate enters the date ago days back in the GOV.UK date input called name.
func fillDate(ctx context.Context, name string, ago int) error {
	d, m, y := ukDay(ago)
	return fill(ctx, "#"+name+"-day", d, "#"+name+"-month", m, "#"+name+"-year", y)
}

// selfReferral fills in the self-referral form as a woman in Leeds would,
// with the name given, and leaves it ready to send.
func selfReferral(ctx context.Context, first, last string) error {
	if err := fill(ctx, "#firstName", first, "#lastName", last, "#phone", "07700 900 982"); err != nil {
		return err
	}
	if err := choose(ctx, "#laCode", leedsCode); err != nil {
		return err
	}
	for _, id := range []string{"safeChannels", "safeChannels-1", "childrenRemoved-1", "consent"} { // phone, text, one child, agreed
		if err := tick(ctx, id); err != nil {
			return err
		}
	}
	return nil
}

// shareSession puts the tab, which has a browser context of its own, in a
// session of an account with the role in the tenant. The first tab to ask
// signs in; the others are given its session cookie, as one person's
// browser shares it between tabs. The pages table opens many of the lead's
// pages at once: signing in for each would take much of its time, and
// signing in is checked by journeys of its own.
func (s *site) shareSession(ctx context.Context, role access.Role, tenant string) error {
	s.shareMu.Lock()
	defer s.shareMu.Unlock()
	key := string(role) + " in " + tenant
	if c, ok := s.shared[key]; ok {
		set := chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, network.SetCookie, network.SetCookieParams{Name: c.Name, Value: c.Value, URL: s.URL + "/",
				Path: c.Path, Secure: new(c.Secure), HTTPOnly: new(c.HTTPOnly), SameSite: c.SameSite})
			return err
		})
		if err := chromedp.Do(ctx, set); err != nil {
			return fmt.Errorf("share the session of a %s in %s: %w", role, tenant, err)
		}
		return nil
	}
	if _, err := signInAs(ctx, s, role, tenant); err != nil {
		return err
	}
	c, err := sessionCookie(ctx, s)
	if err != nil {
		return err
	}
	if c == nil {
		return fmt.Errorf("signed in as a %s in %s, but the browser keeps no session cookie", role, tenant)
	}
	if s.shared == nil {
		s.shared = map[string]*network.Cookie{}
	}
	s.shared[key] = c
	return nil
}

// Referrals from the public.

func referSelfEmpty(ctx context.Context, s *site, last func()) (*network.Response, error) {
	if _, err := visit(ctx, s, "/refer", "/refer", 200); err != nil {
		return nil, err
	}
	last()
	resp, err := pressButton(ctx, "Send")
	return arrived(resp, err, "send an empty referral", "/refer", 422)
}

// referralSent sends a self-referral; the page that thanks her reads its
// reference from a short-lived cookie, so it can only be reached this way.
func referralSent(ctx context.Context, s *site, last func()) (*network.Response, error) {
	if _, err := visit(ctx, s, "/refer", "/refer", 200); err != nil {
		return nil, err
	}
	if err := selfReferral(ctx, "Marigold", fmt.Sprintf("Testwell%d", s.serial())); err != nil {
		return nil, err
	}
	last()
	resp, err := pressButton(ctx, "Send")
	if resp, err = arrived(resp, err, "send a referral", "/refer/done", 200); err != nil {
		return nil, err
	}
	ref, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main .govuk-panel__body strong")))
	if err != nil {
		return nil, fmt.Errorf("read the reference: %w", err)
	}
	if !programme.ValidReferralRef(ref) {
		return nil, fmt.Errorf("the page shows %q, not a referral reference", ref)
	}
	return resp, nil
}

// Riverside's practice lead.

// leadNav signs in as Riverside's lead and follows a link in the service
// navigation.
func leadNav(link, path string) func(context.Context, *site, func()) (*network.Response, error) {
	return func(ctx context.Context, s *site, last func()) (*network.Response, error) {
		if err := s.shareSession(ctx, access.RolePracticeLead, riverside); err != nil {
			return nil, err
		}
		if _, err := visit(ctx, s, "/home", "/home", 200); err != nil {
			return nil, err
		}
		last()
		resp, err := followNav(ctx, link)
		return arrived(resp, err, "open "+link, path, 200)
	}
}

func triageReferralPage(ctx context.Context, s *site, last func()) (*network.Response, error) {
	if err := s.shareSession(ctx, access.RolePracticeLead, riverside); err != nil {
		return nil, err
	}
	if _, err := visit(ctx, s, "/triage", "/triage", 200); err != nil {
		return nil, err
	}
	last()
	resp, err := press(ctx, `//main//table//a`)
	return arrived(resp, err, "follow the first referral in the queue", "/triage/{referral}", 200)
}

// leadOnRecord signs in as Riverside's lead and opens part of the record of
// a woman who has had sessions: from (empty for her page) after her address.
func leadOnRecord(ctx context.Context, s *site, from string) error {
	if err := s.shareSession(ctx, access.RolePracticeLead, riverside); err != nil {
		return err
	}
	ref, err := withSessions(ctx, s)
	if err != nil {
		return err
	}
	path := "/people/" + ref + from
	_, err = visit(ctx, s, path, path, 200)
	return err
}

// onRecord is a journey that opens part of a woman's record, then follows
// the link that reads link, which must lead to path.
func onRecord(from, link, path string) func(context.Context, *site, func()) (*network.Response, error) {
	return func(ctx context.Context, s *site, last func()) (*network.Response, error) {
		if err := leadOnRecord(ctx, s, from); err != nil {
			return nil, err
		}
		last()
		resp, err := followLink(ctx, link)
		return arrived(resp, err, "follow "+link, path, 200)
	}
}

func sessionPage(ctx context.Context, s *site, last func()) (*network.Response, error) {
	if err := leadOnRecord(ctx, s, "/sessions"); err != nil {
		return nil, err
	}
	last()
	resp, err := press(ctx, `//main//table//a`)
	return arrived(resp, err, "follow the newest session", "/people/{ref}/sessions/{id}", 200)
}

// withSessions finds a Riverside woman past referral with sessions
// recorded, as Riverside's lead sees them. The demo gives most such women
// 3 to 12.
func withSessions(ctx context.Context, s *site) (string, error) {
	lead, err := s.demoAccount(access.RolePracticeLead, riverside)
	if err != nil {
		return "", err
	}
	actor, err := s.db.Actor(ctx, lead.UserID)
	if err != nil {
		return "", fmt.Errorf("load Riverside's lead: %w", err)
	}
	people, err := s.db.PeopleFor(ctx, actor, store.Page{Limit: 100})
	if err != nil {
		return "", fmt.Errorf("list Riverside's people: %w", err)
	}
	for _, p := range people {
		es, err := s.db.Enrolments(ctx, p.ID)
		if err != nil {
			return "", err
		}
		if len(es) == 0 || es[0].Phase == programme.PhaseReferred {
			continue
		}
		sessions, err := s.db.SupportSessions(ctx, p.ID)
		if err != nil {
			return "", err
		}
		if len(sessions) > 0 {
			return p.Ref, nil
		}
	}
	return "", fmt.Errorf("none of Riverside's %d people is past referral with sessions", len(people))
}
