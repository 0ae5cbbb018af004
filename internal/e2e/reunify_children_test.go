package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"haven/internal/access"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// The looked-after children's pages (issue 18 item 1), for TestPagesPassAxe:
// the list, a child's record, and each of its forms, with a form sent back
// with errors.
func init() {
	pages = append(pages,
		pageCase{name: "looked-after children", journey: roleVisit(access.RoleLASocialWorker, laDemoTeam, "/la/children"), status: 200, want: "LC-0001"},
		pageCase{name: "add a looked-after child", journey: roleVisit(access.RoleLASocialWorker, laDemoTeam, "/la/children/new"), status: 200, want: "Child ID"},
		pageCase{name: "a looked-after child", journey: onLAChild("LC-0005", ""), status: 200, want: "Episodes of care"},
		pageCase{name: "add an episode", journey: onLAChild("LC-0001", "/episodes/new"), status: 200, want: "Reason for new episode (RNE)"},
		pageCase{name: "add an episode with errors", journey: laEpisodeUnanswered, status: 422, want: "Choose the reason for the new episode"},
		pageCase{name: "end the current episode", journey: onLAChild("LC-0001", "/episodes/{open}/end"), status: 200, want: "Reason episode ceased (REC)"},
		pageCase{name: "add a person around the child", journey: onLAChild("LC-0001", "/people/new"), status: 200, want: "Do they have parental responsibility?"},
		pageCase{name: "change a person around the child", journey: onLAChild("LC-0001", "/people/{person}"), status: 200, want: "What they may be told"},
		pageCase{name: "record the child's views", journey: onLAChild("LC-0001", "/views/new"), status: 200, want: "What the child said"},
	)
}

const laDemoTeam = "demo-leeds-reunification"

// laChildPath is the page of the demo team's child ref, with {open} (the
// open episode) and {person} (the first person around the child) in rest
// filled in.
func laChildPath(ctx context.Context, s *site, ref, rest string) (string, error) {
	worker, err := s.demoAccount(access.RoleLASocialWorker, laDemoTeam)
	if err != nil {
		return "", err
	}
	actor, err := s.db.Actor(ctx, worker.UserID)
	if err != nil || len(actor.Memberships) == 0 {
		return "", fmt.Errorf("the demo LA worker: %v", err)
	}
	rows, err := s.db.SearchLAChildren(ctx, actor.Memberships[0].TenantID, ref, store.Page{})
	if err != nil || len(rows) != 1 {
		return "", fmt.Errorf("the demo child %s: %d found, %v", ref, len(rows), err)
	}
	row := rows[0]
	if strings.Contains(rest, "{open}") {
		if row.Current.ID == 0 {
			return "", fmt.Errorf("the demo child %s has no open episode", ref)
		}
		rest = strings.Replace(rest, "{open}", fmt.Sprint(row.Current.ID), 1)
	}
	if strings.Contains(rest, "{person}") {
		people, err := s.db.LAPeople(ctx, row.Child.ID)
		if err != nil || len(people) == 0 {
			return "", fmt.Errorf("the demo child %s has nobody around them: %v", ref, err)
		}
		rest = strings.Replace(rest, "{person}", fmt.Sprint(people[0].ID), 1)
	}
	return fmt.Sprintf("/la/children/%d%s", row.Child.ID, rest), nil
}

// onLAChild opens a page of one of the demo team's children as its social worker.
func onLAChild(ref, rest string) func(context.Context, *site, func()) (*network.Response, error) {
	return func(ctx context.Context, s *site, last func()) (*network.Response, error) {
		path, err := laChildPath(ctx, s, ref, rest)
		if err != nil {
			return nil, err
		}
		return roleVisit(access.RoleLASocialWorker, laDemoTeam, path)(ctx, s, last)
	}
}

// laEpisodeUnanswered sends the episode form with nothing chosen.
func laEpisodeUnanswered(ctx context.Context, s *site, last func()) (*network.Response, error) {
	if _, err := onLAChild("LC-0002", "/episodes/new")(ctx, s, func() {}); err != nil {
		return nil, err
	}
	last()
	resp, err := pressButton(ctx, "Add episode")
	return arrived(resp, err, "add an episode with nothing chosen", "/la/children/{id}/episodes", 422)
}

// TestLAChildWithoutJavaScript: a social worker, with JavaScript off, on
// both databases, lands on the team's children list, adds a child, is told
// what is missing from an episode, records it, ends it with a return home,
// and records the child's mother and the child's own words.
func TestLAChildWithoutJavaScript(t *testing.T) {
	browser := startBrowser(t)
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		s := startHavenOn(t, db)
		ctx := newTab(t, browser, chromedp.WithNewBrowserContext())
		disableScripts(t, ctx)
		expect, must := stepChecks(t, ctx)
		worker, err := s.accountIn(ctx, access.RoleLASocialWorker, laDemoTeam)
		must(err)
		must(signIn(ctx, s, worker))
		checkScriptsOff(t, ctx)

		expect("open the form to add a child", "/la/children/new", 200, "Child ID")(followLink(ctx, "Add a child"))
		must(fill(ctx, "#ref", "NJ-1", "#firstName", "Nia"))
		must(fillDate(ctx, "bornOn", 2000))
		expect("add the child", "/la/children/{id}", 200, "Child added")(pressButton(ctx, "Add child"))

		expect("open the episode form", "/la/children/{id}/episodes/new", 200, "Reason for new episode (RNE)")(followLink(ctx, "Add an episode"))
		expect("send it with nothing chosen", "/la/children/{id}/episodes", 422, "Choose the reason for the new episode")(pressButton(ctx, "Add episode"))
		must(fillDate(ctx, "startsOn", 300))
		must(choose(ctx, "#rne", "S"))
		must(choose(ctx, "#legalStatus", "C2"))
		must(choose(ctx, "#placement", "U4"))
		expect("add the episode", "/la/children/{id}", 200, "C2: Full care order")(pressButton(ctx, "Add episode"))

		expect("open the form to end it", "/la/children/{id}/episodes/{id}/end", 200, "Reason episode ceased (REC)")(followLink(ctx, "End the current episode"))
		must(fillDate(ctx, "endsOn", 30))
		must(choose(ctx, "#rec", "E4A"))
		expect("end it with a return home", "/la/children/{id}", 200, "E4A: Returned home")(pressButton(ctx, "End episode"))

		expect("open the form to add a person", "/la/children/{id}/people/new", 200, "Do they have parental responsibility?")(followLink(ctx, "Add a person"))
		must(fill(ctx, "#name", "Jo Brightwater", "#mayBeTold", "School and health, not where Nia lives"))
		must(tick(ctx, "relationship"))
		must(tick(ctx, "parentalResponsibility"))
		expect("add her mother", "/la/children/{id}", 200, "Jo Brightwater")(pressButton(ctx, "Add person"))

		expect("open the form for the child's views", "/la/children/{id}/views/new", 200, "What the child said")(followLink(ctx, "Record the child's views"))
		must(fillDate(ctx, "saidOn", 1))
		must(fill(ctx, "#words", "I like going home at weekends."))
		expect("record the child's views", "/la/children/{id}", 200, "I like going home at weekends.")(pressButton(ctx, "Save the child's views"))
		checkScriptsOff(t, ctx)
	})
}
