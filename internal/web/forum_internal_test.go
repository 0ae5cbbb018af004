package web

import (
	"time"

	"haven/internal/forum"
	"haven/internal/store"
)

// forumTemplateCases render each forum page with text that must come out
// escaped.
func forumTemplateCases() map[string]struct {
	p    page
	want string
} {
	at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	post := forum.Post{ID: 3, TopicID: 2, Body: "First <b>line</b>\nsecond line", Author: "Sam, Riverside", Created: at, Status: forum.StatusPublished}
	removed := forum.Post{ID: 4, TopicID: 2, Status: forum.StatusRemoved, Created: at}
	warn := []forum.Warning{{Kind: "name", Text: "Aisha"}}
	return map[string]struct {
		p    page
		want string
	}{
		"forum.html": {&forumListPage{Layout: Layout{Title: "Practitioners' forum"}, Topics: []store.ForumTopic{{ID: 2, Title: "Letterbox <ideas>", Author: "Sam", Replies: 3, LastPost: at, Following: true}},
			Total: 45, Page: 2, Last: 3, Moderator: true, Reports: 2}, "Letterbox &lt;ideas&gt;"},
		"forum-new.html": {&forumNewPage{Layout: Layout{Title: "Start a topic", Errors: []FieldError{{"body", "Your post may identify someone"}}},
			Form: forumPostForm{Title: "T", Body: "Aisha said"}, Warnings: warn}, "“Aisha” is the name of someone you work with"},
		"forum-topic.html": {&forumTopicPage{Layout: Layout{Title: "Letterbox"}, Topic: store.ForumTopic{ID: 2, Title: "Letterbox"},
			Posts: []forumPostView{{Post: post, Paragraphs: paragraphs(post.Body)}, {Post: removed, Removed: true}}, Warnings: warn}, "This post was removed by a moderator."},
		"forum-report.html":     {&forumReportPage{Layout: Layout{Title: "Report a post"}, Post: post, Topic: 2}, "First &lt;b&gt;line&lt;/b&gt;"},
		"forum-remove.html":     {&forumRemovePage{Layout: Layout{Title: "Remove a post"}, Post: forumPostView{Post: post, Paragraphs: paragraphs(post.Body)}}, "Remove post"},
		"forum-moderation.html": {&forumModerationPage{Layout: Layout{Title: "Forum moderation"}, Reports: []store.ForumReport{{ID: 9, Reason: "Names <someone>", Reported: at, Post: post, Topic: "Letterbox"}}}, "Names &lt;someone&gt;"},
	}
}
