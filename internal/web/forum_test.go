package web_test

import (
	"encoding/xml"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"haven/internal/access"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// The forum as its users use it: a practitioner is warned before a post
// naming a woman on her caseload is sent, and nothing is saved until she
// takes it out or says she checked; an ordinary post goes straight up;
// another member of staff replies, follows and reports; a library editor
// removes the reported post, and it is gone from the topic page, the feed
// and search.
func TestForumJourney(t *testing.T) {
	db := storetest.SQLite(t)
	e := newAuthEnv(t, db)
	ctx := t.Context()
	prac := e.account(access.RolePractitioner)
	actor, err := db.Actor(ctx, prac.UserID)
	if err != nil {
		t.Fatal(err)
	}
	names, err := db.CaseloadNames(ctx, actor)
	if err != nil || len(names) == 0 {
		t.Fatalf("the demo practitioner has no caseload: %v", err)
	}
	her := names[0]
	c := e.signIn(t, prac)
	demoTopics := -1
	topics := func() int { // the journey's own, beside the demo's
		_, n, err := db.ForumTopics(ctx, store.ForumQuery{PerPage: 10})
		if err != nil {
			t.Fatal(err)
		}
		if demoTopics < 0 {
			demoTopics = n
		}
		return n - demoTopics
	}
	topics()

	res := send(t, c, "POST", e.ts.URL+"/forum/new", url.Values{"title": {"Planning a first letter"}, "body": {her + " wants to write to her son."}})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "“"+her+"” is the name of someone you work with") || topics() != 0 {
		t.Fatalf("a caseload name: %d, %d topics\n%s", res.status, topics(), res.body)
	}
	res = send(t, c, "POST", e.ts.URL+"/forum/new", url.Values{"title": {"Planning a first letter"}, "body": {"Born 14/02/1994, she wants to write to her son."}})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "looks like a date of birth") {
		t.Fatalf("a date of birth: %d", res.status)
	}
	res = send(t, c, "POST", e.ts.URL+"/forum/new", url.Values{"title": {"<b>Bold</b>"}, "body": {"x"}})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "must be plain text") || topics() != 0 {
		t.Fatalf("markup: %d", res.status)
	}
	// Checked, and sent anyway: the writer's call.
	res = send(t, c, "POST", e.ts.URL+"/forum/new", url.Values{"title": {"Planning a first letter"}, "body": {"Rose bushes by the contact centre: a nice place to meet."}, "checked": {"yes"}})
	if res.status != http.StatusSeeOther || topics() != 1 {
		t.Fatalf("checked: %d, %d topics", res.status, topics())
	}
	first := res.header.Get("Location")
	// An ordinary post needs no warning.
	res = send(t, c, "POST", e.ts.URL+"/forum/new", url.Values{"title": {"Contraception conversations"}, "body": {"How do you raise long-acting contraception early without it feeling like pressure?"}})
	if res.status != http.StatusSeeOther || topics() != 2 {
		t.Fatalf("an ordinary post: %d\n%s", res.status, res.body)
	}
	topicURL := res.header.Get("Location")
	if page := send(t, c, "GET", e.ts.URL+topicURL, nil); page.status != 200 || !strings.Contains(page.body, "Stop following this topic") {
		t.Fatalf("the writer follows her topic: %d", page.status)
	}

	// Someone from a local authority replies, follows and reports.
	la := e.signIn(t, e.account(access.RoleLASocialWorker))
	if res := send(t, la, "POST", e.ts.URL+topicURL+"/replies", url.Values{"body": {"We use a zebra-striped leaflet: ask me for it."}}); res.status != http.StatusSeeOther {
		t.Fatalf("reply: %d\n%s", res.status, res.body)
	}
	if res := send(t, la, "POST", e.ts.URL+topicURL+"/follow", url.Values{}); res.status != http.StatusSeeOther {
		t.Fatalf("follow: %d", res.status)
	}
	following := send(t, la, "POST", e.ts.URL+"/forum", url.Values{"following": {"yes"}})
	if !strings.Contains(following.body, "Contraception conversations") || strings.Contains(following.body, "Planning a first letter") {
		t.Errorf("topics she follows:\n%s", following.body)
	}
	found := send(t, c, "POST", e.ts.URL+"/forum", url.Values{"q": {"ZEBRA"}})
	if found.status != 200 || !strings.Contains(found.body, "1 topic found") {
		t.Fatalf("search: %d\n%s", found.status, found.body)
	}
	if strings.Contains(found.header.Get("Location"), "zebra") {
		t.Error("the search reached an address")
	}
	_, posts, err := db.ForumTopicPosts(ctx, idFrom(t, topicURL), 0, false)
	if err != nil || len(posts) != 2 {
		t.Fatalf("posts %v, %v", posts, err)
	}
	reply := posts[1].ID
	if res := send(t, c, "POST", e.ts.URL+"/forum/posts/"+itoa(reply)+"/report", url.Values{"reason": {""}}); res.status != http.StatusUnprocessableEntity {
		t.Errorf("a report with no reason: %d", res.status)
	}
	if res := send(t, c, "POST", e.ts.URL+"/forum/posts/"+itoa(reply)+"/report", url.Values{"reason": {"It could identify a family"}}); res.status != http.StatusSeeOther {
		t.Fatalf("report: %d", res.status)
	}

	// Only a library editor moderates.
	if res := send(t, c, "POST", e.ts.URL+"/forum/posts/"+itoa(reply)+"/remove", url.Values{"reason": {"no"}}); res.status != http.StatusNotFound {
		t.Errorf("a practitioner removed a post: %d", res.status)
	}
	ed := e.signIn(t, e.account(access.RoleLibraryEditor))
	if q := send(t, ed, "GET", e.ts.URL+"/forum/moderation", nil); q.status != 200 || !strings.Contains(q.body, "It could identify a family") || !strings.Contains(q.body, "zebra-striped") {
		t.Fatalf("moderation queue: %d", q.status)
	}
	if res := send(t, ed, "POST", e.ts.URL+"/forum/posts/"+itoa(reply)+"/remove", url.Values{"reason": {"Identifying detail"}}); res.status != http.StatusSeeOther {
		t.Fatalf("remove: %d", res.status)
	}
	page := send(t, c, "GET", e.ts.URL+topicURL, nil)
	if strings.Contains(page.body, "zebra") || !strings.Contains(page.body, "This post was removed by a moderator.") {
		t.Errorf("the removed post is still on the topic page")
	}
	if found := send(t, c, "POST", e.ts.URL+"/forum", url.Values{"q": {"zebra"}}); !strings.Contains(found.body, "No topics match your search.") {
		t.Errorf("the removed post is still found")
	}
	feed := send(t, c, "GET", e.ts.URL+"/forum/feed.atom", nil)
	var parsed struct {
		Entries []struct {
			Title   string `xml:"title"`
			Summary string `xml:"summary"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal([]byte(feed.body), &parsed); err != nil || feed.header.Get("Content-Type") != "application/atom+xml; charset=utf-8" {
		t.Fatalf("feed: %v %q", err, feed.header.Get("Content-Type"))
	}
	if len(parsed.Entries) == 0 || parsed.Entries[0].Title != "Contraception conversations" || strings.Contains(feed.body, "zebra") {
		t.Errorf("feed entries %+v", parsed.Entries)
	}
	// Removing a topic's first post removes the topic for all but moderators.
	_, posts, _ = db.ForumTopicPosts(ctx, idFrom(t, first), 0, false)
	if res := send(t, ed, "POST", e.ts.URL+"/forum/posts/"+itoa(posts[0].ID)+"/remove", url.Values{"reason": {"Off topic"}}); res.status != http.StatusSeeOther {
		t.Fatalf("remove a topic: %d", res.status)
	}
	if res := send(t, c, "GET", e.ts.URL+first, nil); res.status != http.StatusNotFound {
		t.Errorf("a removed topic: %d", res.status)
	}
	if res := send(t, ed, "GET", e.ts.URL+first, nil); res.status != 200 || !strings.Contains(res.body, "A moderator removed this topic") {
		t.Errorf("a moderator opens a removed topic: %d", res.status)
	}
	if res := send(t, c, "POST", e.ts.URL+first+"/replies", url.Values{"body": {"late"}}); res.status != http.StatusNotFound {
		t.Errorf("a reply to a removed topic: %d", res.status)
	}
	if list := send(t, c, "GET", e.ts.URL+"/forum", nil); strings.Contains(list.body, "Planning a first letter") || !strings.Contains(list.body, "Contraception conversations</a>") {
		t.Errorf("the list after removing a topic")
	}
}

// idFrom reads the number at the end of a path such as /forum/topics/12.
func idFrom(t *testing.T, path string) int64 {
	t.Helper()
	i := strings.LastIndex(path, "/")
	var n int64
	for _, r := range path[i+1:] {
		if r < '0' || r > '9' {
			t.Fatalf("no id in %q", path)
		}
		n = n*10 + int64(r-'0')
	}
	return n
}
