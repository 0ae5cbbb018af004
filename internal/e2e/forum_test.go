package e2e

import (
	"context"
	"fmt"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"haven/internal/access"
)

// The practitioners' forum (issue 21 item 7), checked with axe at 1280 and
// 320 px: the list, a topic, the forms and the moderators' queue.
func init() {
	pages = append(pages,
		pageCase{name: "forum", journey: roleVisit(access.RolePractitioner, "", "/forum"), status: 200, want: "Recent topics"},
		pageCase{name: "forum, start a topic", journey: roleVisit(access.RolePractitioner, "", "/forum/new"), status: 200, want: "Post topic"},
		pageCase{name: "forum, a topic sent empty", journey: forumEmpty, status: 422, want: "Enter a title"},
		pageCase{name: "forum topic", journey: forumTopic(""), status: 200, want: "Post reply"},
		pageCase{name: "forum, report a post", journey: forumTopic("Report this post"), status: 200, want: "Why are you reporting it?"},
		pageCase{name: "forum moderation", journey: roleVisit(access.RoleLibraryEditor, "", "/forum/moderation"), status: 200, want: "No reports are waiting"},
	)
}

func forumEmpty(ctx context.Context, s *site, last func()) (*network.Response, error) {
	if err := s.shareSession(ctx, access.RolePractitioner, ""); err != nil {
		return nil, err
	}
	if _, err := visit(ctx, s, "/forum/new", "/forum/new", 200); err != nil {
		return nil, err
	}
	last()
	resp, err := pressButton(ctx, "Post topic")
	return arrived(resp, err, "send an empty topic", "/forum/new", 422)
}

// forumTopic opens the first topic in the list and, if link is set, follows
// the first link in it that starts with that text.
func forumTopic(link string) func(context.Context, *site, func()) (*network.Response, error) {
	return func(ctx context.Context, s *site, last func()) (*network.Response, error) {
		if err := s.shareSession(ctx, access.RolePractitioner, ""); err != nil {
			return nil, err
		}
		if _, err := visit(ctx, s, "/forum", "/forum", 200); err != nil {
			return nil, err
		}
		sel := `main a[href^="/forum/topics/"]`
		if link != "" {
			href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('`+sel+`')?.getAttribute('href') ?? ''`))
			if err != nil || href == "" {
				return nil, fmt.Errorf("no topic in the forum: %v", err)
			}
			if _, err := visit(ctx, s, href, href, 200); err != nil {
				return nil, err
			}
			sel = `main a[href^="/forum/posts/"][href$="/report"]`
		}
		href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('`+sel+`')?.getAttribute('href') ?? ''`))
		if err != nil || href == "" {
			return nil, fmt.Errorf("no link %q: %v", sel, err)
		}
		last()
		return visit(ctx, s, href, href, 200)
	}
}
