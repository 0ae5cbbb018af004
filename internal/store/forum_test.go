package store_test

import (
	"errors"
	"slices"
	"testing"

	"haven/internal/audit"
	"haven/internal/forum"
	"haven/internal/haven"
	"haven/internal/programme"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// The forum on both databases: topics and replies, search, following, and a
// post a moderator removes gone from lists, the topic page, the feed and
// search; removing an opening post removes its topic.
func TestForumRoundTrip(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s := seedStaff(t, db)
		ev := audit.Event{RequestID: "test"}
		a, b := s.pracA.User.ID, s.pracB.User.ID
		t1, err := db.CreateForumTopic(ctx, ev, forum.Post{Title: "Planning first contact", Body: "What has worked for you with letterbox contact?", AuthorID: a, Author: "A, Practice A"})
		if err != nil {
			t.Fatal(err)
		}
		t2, err := db.CreateForumTopic(ctx, ev, forum.Post{Title: "Long-acting contraception", Body: "How do you raise it early?", AuthorID: b, Author: "B, Practice B"})
		if err != nil {
			t.Fatal(err)
		}
		r1, err := db.CreateForumReply(ctx, ev, forum.Post{TopicID: t1, Body: "We write the first letter together: a zebra helps.", AuthorID: b, Author: "B, Practice B"})
		if err != nil {
			t.Fatal(err)
		}
		titles := func(q store.ForumQuery) []string {
			t.Helper()
			q.PerPage = 10
			ts, n, err := db.ForumTopics(ctx, q)
			if err != nil || n != len(ts) {
				t.Fatalf("topics %v, total %d, %v", ts, n, err)
			}
			var out []string
			for _, x := range ts {
				out = append(out, x.Title)
			}
			return out
		}
		if got := titles(store.ForumQuery{}); !slices.Equal(got, []string{"Planning first contact", "Long-acting contraception"}) {
			t.Errorf("by last post: %v", got) // the reply made the first topic the most recent
		}
		if got := titles(store.ForumQuery{Search: "ZEBRA"}); !slices.Equal(got, []string{"Planning first contact"}) {
			t.Errorf("a reply's words find its topic, in any case: %v", got)
		}
		if got := titles(store.ForumQuery{Search: "100%_"}); len(got) != 0 {
			t.Errorf("LIKE's own characters are text: %v", got)
		}
		if got := titles(store.ForumQuery{Following: true, UserID: a}); !slices.Equal(got, []string{"Planning first contact"}) {
			t.Errorf("a writer follows her own topic: %v", got)
		}
		for range 2 { // following twice is following once
			if err := db.FollowForumTopic(ctx, ev, t2, a, true); err != nil {
				t.Fatal(err)
			}
		}
		if got := titles(store.ForumQuery{Following: true, UserID: a}); len(got) != 2 {
			t.Errorf("after following: %v", got)
		}
		for range 2 {
			if err := db.FollowForumTopic(ctx, ev, t2, a, false); err != nil {
				t.Fatal(err)
			}
		}
		if got := titles(store.ForumQuery{Following: true, UserID: a}); len(got) != 1 {
			t.Errorf("after unfollowing: %v", got)
		}

		// A reported reply, removed by a moderator.
		if err := db.ReportForumPost(ctx, ev, r1, a, "It names a client"); err != nil {
			t.Fatal(err)
		}
		reports, err := db.OpenForumReports(ctx)
		if err != nil || len(reports) != 1 || reports[0].Post.ID != r1 || reports[0].Topic != "Planning first contact" {
			t.Fatalf("reports %+v, %v", reports, err)
		}
		if err := db.RemoveForumPost(ctx, ev, r1, s.leadA.User.ID, "Names a client"); err != nil {
			t.Fatal(err)
		}
		if reports, _ := db.OpenForumReports(ctx); len(reports) != 0 {
			t.Errorf("removing the post left its report open: %+v", reports)
		}
		if got := titles(store.ForumQuery{Search: "zebra"}); len(got) != 0 {
			t.Errorf("a removed post is still found: %v", got)
		}
		topic, posts, err := db.ForumTopicPosts(ctx, t1, a, false)
		if err != nil || len(posts) != 2 || posts[1].Status != forum.StatusRemoved || posts[1].Body != "" || posts[1].Author != "" || topic.Replies != 0 {
			t.Fatalf("topic %+v, posts %+v, %v", topic, posts, err)
		}
		if _, posts, _ := db.ForumTopicPosts(ctx, t1, a, true); posts[1].Body == "" || posts[1].RemovedWhy != "Names a client" {
			t.Errorf("a moderator reads what was removed: %+v", posts[1])
		}
		feed, err := db.ForumFeed(ctx, 10)
		if err != nil || len(feed) != 2 || slices.ContainsFunc(feed, func(p forum.Post) bool { return p.ID == r1 }) {
			t.Errorf("feed %+v, %v", feed, err)
		}
		if err := db.ReportForumPost(ctx, ev, r1, a, "again"); !errors.Is(err, haven.ErrNotFound) {
			t.Errorf("reporting a removed post: %v", err)
		}

		// Removing an opening post removes the topic, for everyone but the moderators.
		_, posts, _ = db.ForumTopicPosts(ctx, t2, b, false)
		if err := db.RemoveForumPost(ctx, ev, posts[0].ID, s.leadA.User.ID, "Spam"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.ForumTopicPosts(ctx, t2, b, false); !errors.Is(err, haven.ErrNotFound) {
			t.Errorf("a removed topic: %v", err)
		}
		if _, _, err := db.ForumTopicPosts(ctx, t2, b, true); err != nil {
			t.Errorf("a moderator opens a removed topic: %v", err)
		}
		if got := titles(store.ForumQuery{}); !slices.Equal(got, []string{"Planning first contact"}) {
			t.Errorf("after removing a topic: %v", got)
		}
		if _, err := db.CreateForumReply(ctx, ev, forum.Post{TopicID: t2, Body: "late", AuthorID: a, Author: "A"}); !errors.Is(err, haven.ErrNotFound) {
			t.Errorf("a reply to a removed topic: %v", err)
		}
		if err := db.FollowForumTopic(ctx, ev, t2, a, true); !errors.Is(err, haven.ErrNotFound) {
			t.Errorf("following a removed topic: %v", err)
		}
		if feed, _ := db.ForumFeed(ctx, 10); len(feed) != 1 {
			t.Errorf("feed after removing a topic: %+v", feed)
		}

		// A report dismissed leaves the post.
		if err := db.ReportForumPost(ctx, ev, posts[0].ID, a, "gone"); !errors.Is(err, haven.ErrNotFound) {
			t.Errorf("reporting a post in a removed topic: %v", err)
		}
		_, posts, _ = db.ForumTopicPosts(ctx, t1, a, false)
		if err := db.ReportForumPost(ctx, ev, posts[0].ID, b, "unsure"); err != nil {
			t.Fatal(err)
		}
		reports, _ = db.OpenForumReports(ctx)
		for range 1 {
			if err := db.DismissForumReport(ctx, ev, reports[0].ID, s.leadA.User.ID); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.DismissForumReport(ctx, ev, reports[0].ID, s.leadA.User.ID); !errors.Is(err, haven.ErrNotFound) {
			t.Errorf("dismissing twice: %v", err)
		}
		if got := titles(store.ForumQuery{}); len(got) != 1 {
			t.Errorf("a dismissed report removed something: %v", got)
		}
	})
}

// A writer's caseload is the people she may see: her own for a
// practitioner, not another Practice's.
func TestCaseloadNames(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s := seedStaff(t, db)
		mk := func(practice, practitioner int64, first, last string) {
			if _, err := db.CreatePerson(ctx, audit.Event{}, s.leadA, programme.Person{PracticeID: practice, PractitionerID: practitioner, FirstName: first, LastName: last}); err != nil {
				t.Fatal(err)
			}
		}
		mk(s.practiceA, s.pracA.User.ID, "Aisha", "Alderley")
		mk(s.practiceA, s.prac2A.User.ID, "Bethany", "Blackthorn")
		names, err := db.CaseloadNames(ctx, s.pracA)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(names, "Aisha") || !slices.Contains(names, "Alderley") || slices.Contains(names, "Bethany") {
			t.Errorf("practitioner A's caseload: %v", names)
		}
		if names, _ := db.CaseloadNames(ctx, s.pracB); len(names) != 0 {
			t.Errorf("another Practice's practitioner sees %v", names)
		}
		if names, _ := db.CaseloadNames(ctx, s.leadA); !slices.Contains(names, "Bethany") || !slices.Contains(names, "Aisha") {
			t.Errorf("the lead's caseload: %v", names)
		}
	})
}
