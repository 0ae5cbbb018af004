package demo

import (
	"fmt"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/forum"
)

// The demo forum: made-up questions and answers between demo staff, about
// practice in general and never about a person.
var (
	forumThemes = []string{"Contraception conversations", "Letterbox contact", "Housing after removal", "Anniversaries and grief",
		"Working with fathers", "Family drug and alcohol courts", "Outcome measures", "Commissioning a service",
		"Pre-birth assessments", "Trauma-informed supervision", "Ending well", "Peer mentors"}
	forumQuestions = []string{"how do you start?", "what has worked for you?", "resources to share", "training you would recommend",
		"what would you do differently?"}
	forumOpenings = []string{
		"We are a small team and would value hearing how others approach this.",
		"I have been asked to write a short guide for new practitioners and want to reflect what others do.",
		"Our manager wants to review how we do this next quarter. Any ideas welcome.",
		"This keeps coming up in supervision and I would like to hear a range of views.",
	}
	forumReplies = []string{
		"We found it helps to go at her pace and come back to it more than once.",
		"Our local sexual health service runs a clinic with us once a month, which makes a real difference.",
		"We use a simple written plan that she keeps a copy of.",
		"Supervision every fortnight has helped the team hold the harder conversations.",
		"Happy to share the template we use: message me through your Practice lead.",
		"We tried this last year; the main lesson was to agree it with the local authority early.",
	}
)

// forum seeds topics and replies, written by the demo staff in turn.
func (s *seeder) forum() error {
	var writers []Account
	for _, a := range s.sum.Accounts {
		if a.Role != access.RoleAdmin {
			writers = append(writers, a)
		}
	}
	if len(writers) == 0 {
		return nil
	}
	label := func(a Account) (string, error) {
		actor, err := s.db.Actor(s.ctx, a.UserID)
		if err != nil {
			return "", err
		}
		for _, m := range actor.Memberships {
			if m.TenantName != "" {
				return actor.User.DisplayName + ", " + m.TenantName, nil
			}
		}
		return actor.User.DisplayName, nil
	}
	n := 0
	for i, theme := range forumThemes {
		for j, q := range forumQuestions {
			if (i+j)%2 == 1 {
				continue // about half of the pairs: a believable spread
			}
			w := writers[n%len(writers)]
			by, err := label(w)
			if err != nil {
				return err
			}
			ev := audit.Event{RequestID: "demo-seed", UserID: w.UserID, Role: string(w.Role)}
			topic, err := s.db.CreateForumTopic(s.ctx, ev, forum.Post{Title: theme + ": " + q, Body: forumOpenings[n%len(forumOpenings)],
				AuthorID: w.UserID, Author: by})
			if err != nil {
				return fmt.Errorf("demo forum: %w", err)
			}
			for k := range n % 4 {
				r := writers[(n+k+1)%len(writers)]
				rby, err := label(r)
				if err != nil {
					return err
				}
				ev := audit.Event{RequestID: "demo-seed", UserID: r.UserID, Role: string(r.Role)}
				if _, err := s.db.CreateForumReply(s.ctx, ev, forum.Post{TopicID: topic, Body: forumReplies[(n+k)%len(forumReplies)],
					AuthorID: r.UserID, Author: rby}); err != nil {
					return fmt.Errorf("demo forum: %w", err)
				}
			}
			n++
		}
	}
	return nil
}
