package demo_test

import (
	"testing"
	"time"

	"haven/internal/access"
	"haven/internal/demo"
	"haven/internal/events"
	"haven/internal/forum"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// Issue 21: the demo forum has topics and replies from staff in every kind
// of organisation, each a post Haven would accept, and none naming a demo
// woman: the forum's own warning finds nothing in them for any writer.
func TestDemoForum(t *testing.T) {
	db := storetest.SQLite(t)
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	o := cheap
	o.Now = now
	sum, err := demo.Seed(t.Context(), db, o)
	if err != nil {
		t.Fatal(err)
	}
	topics, total, err := db.ForumTopics(t.Context(), store.ForumQuery{PerPage: 100})
	if err != nil || total < 25 || len(topics) != total {
		t.Fatalf("%d topics (%d read), %v", total, len(topics), err)
	}
	var names []string
	for _, a := range sum.Accounts {
		if a.Role == access.RolePracticeLead {
			actor, err := db.Actor(t.Context(), a.UserID)
			if err != nil {
				t.Fatal(err)
			}
			n, err := db.CaseloadNames(t.Context(), actor)
			if err != nil {
				t.Fatal(err)
			}
			names = append(names, n...)
		}
	}
	if len(names) == 0 {
		t.Fatal("no demo caseload to check against")
	}
	replies := 0
	authors := map[string]bool{}
	for _, tp := range topics {
		_, posts, err := db.ForumTopicPosts(t.Context(), tp.ID, 0, false)
		if err != nil {
			t.Fatal(err)
		}
		replies += len(posts) - 1
		for i, p := range posts {
			authors[p.Author] = true
			if err := p.Check(i == 0); err != nil {
				t.Errorf("topic %q post %d: %v", tp.Title, i, err)
			}
			if ws := forum.Warnings(p.Title+"\n\n"+p.Body, forum.Caseload{Names: names}, now); len(ws) > 0 {
				t.Errorf("topic %q post %d may name someone: %v", tp.Title, i, ws)
			}
		}
	}
	if replies < total || len(authors) < 5 {
		t.Errorf("%d replies to %d topics from %d writers: too quiet to be believable", replies, total, len(authors))
	}
}

// Issue 21: the demo has events to come, with places to book, and past
// ones, all at believable times of day in the UK.
func TestDemoEvents(t *testing.T) {
	db := storetest.SQLite(t)
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	o := cheap
	o.Now = now
	if _, err := demo.Seed(t.Context(), db, o); err != nil {
		t.Fatal(err)
	}
	up, err := db.UpcomingEvents(t.Context(), now, 50)
	if err != nil || len(up) < 3 {
		t.Fatalf("%d upcoming events, %v", len(up), err)
	}
	past, err := db.PastEvents(t.Context(), now, 50)
	if err != nil || len(past) < 1 {
		t.Fatalf("%d past events, %v", len(past), err)
	}
	bookable := 0
	for _, e := range append(up, past...) {
		if err := e.Check(); err != nil {
			t.Errorf("%q: %v", e.Title, err)
		}
		if h := e.Start.In(events.London).Hour(); h < 9 || h > 17 {
			t.Errorf("%q starts at %v in London", e.Title, e.Start.In(events.London))
		}
		if e.BooksInHaven() && !e.Past(now) {
			bookable++
		}
	}
	if bookable == 0 {
		t.Error("no demo event to book a place at")
	}
}
