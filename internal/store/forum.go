package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/forum"
	"haven/internal/haven"
)

// The practitioners' forum (issue 21 item 7). Only published posts in
// published topics reach a page, the feed or a search; the moderators'
// queue is the one place a removed post's words are read again.

// Idempotency kinds of the forum's posts.
const (
	KindForumTopic = "forum-topic"
	KindForumReply = "forum-reply"
)

// ForumTopic is a topic as its lists show it.
type ForumTopic struct {
	ID        int64
	Title     string
	Author    string // the opening post's author label
	Replies   int
	Created   time.Time
	LastPost  time.Time
	Removed   bool
	Following bool // by whoever asked
}

// ForumQuery picks topics: a search over titles and published posts, the
// topics a user follows, and a page of them.
type ForumQuery struct {
	Search    string
	Following bool
	UserID    int64 // who asks: for Following and the Following flag
	Page      int   // from 1
	PerPage   int
}

func (q ForumQuery) offset() int { return (max(q.Page, 1) - 1) * q.PerPage }

// CreateForumTopic starts a topic with its opening post; its writer follows
// it. A form sent twice with one idempotency key makes one topic.
func (db *DB) CreateForumTopic(ctx context.Context, ev audit.Event, p forum.Post) (int64, error) {
	now := db.now()
	var id int64
	err := db.createTx(ctx, claim{user: ev.UserID, kind: KindForumTopic, target: "forum"}, func(tx *sql.Tx) (int64, string, error) {
		if err := tx.QueryRowContext(ctx, `INSERT INTO forum_topics (title, author_id, created_at, last_post_at) VALUES ($1, $2, $3, $3) RETURNING id`,
			p.Title, p.AuthorID, now).Scan(&id); err != nil {
			return 0, "", err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO forum_posts (topic_id, opening, body, author_id, author_label, created_at)
			VALUES ($1, TRUE, $2, $3, $4, $5)`, id, p.Body, p.AuthorID, p.Author, now); err != nil {
			return 0, "", err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO forum_follows (topic_id, user_id, created_at) VALUES ($1, $2, $3)`, id, p.AuthorID, now); err != nil {
			return 0, "", err
		}
		ev.Action, ev.RecordType, ev.RecordID = audit.Create, "forum-topic", itoa(id)
		return id, "", db.appendAudit(ctx, tx, ev)
	})
	if d, ok := errors.AsType[*Duplicate](err); ok {
		return d.ID, nil
	}
	return id, err
}

// CreateForumReply adds a reply to a published topic.
func (db *DB) CreateForumReply(ctx context.Context, ev audit.Event, p forum.Post) (int64, error) {
	now := db.now()
	var id int64
	err := db.createTx(ctx, claim{user: ev.UserID, kind: KindForumReply, target: "topic:" + itoa(p.TopicID)}, func(tx *sql.Tx) (int64, string, error) {
		res, err := tx.ExecContext(ctx, `UPDATE forum_topics SET replies = replies + 1, last_post_at = $2 WHERE id = $1 AND status = 'published'`, p.TopicID, now)
		if err != nil {
			return 0, "", err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return 0, "", haven.ErrNotFound
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO forum_posts (topic_id, body, author_id, author_label, created_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, p.TopicID, p.Body, p.AuthorID, p.Author, now).Scan(&id); err != nil {
			return 0, "", err
		}
		ev.Action, ev.RecordType, ev.RecordID, ev.Section = audit.Create, "forum-post", itoa(id), "topic "+itoa(p.TopicID)
		return id, "", db.appendAudit(ctx, tx, ev)
	})
	if d, ok := errors.AsType[*Duplicate](err); ok {
		return d.ID, nil
	}
	return id, err
}

// forumSearch matches a topic whose title, or one of whose published posts,
// holds the words searched for ($1, a LIKE pattern, empty for all).
const forumSearch = `($1 = '' OR lower(t.title) LIKE $1 ESCAPE '\'
	OR EXISTS (SELECT 1 FROM forum_posts p WHERE p.topic_id = t.id AND p.status = 'published' AND lower(p.body) LIKE $1 ESCAPE '\'))`

// ForumTopics lists published topics, the most recently active first, and
// how many there are in all.
func (db *DB) ForumTopics(ctx context.Context, q ForumQuery) ([]ForumTopic, int, error) {
	where := ` FROM forum_topics t WHERE t.status = 'published' AND ` + forumSearch +
		` AND ($2 = FALSE OR EXISTS (SELECT 1 FROM forum_follows f WHERE f.topic_id = t.id AND f.user_id = $3))`
	like := likePattern(q.Search)
	var total int
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*)`+where, like, q.Following, q.UserID).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := db.read.QueryContext(ctx, `SELECT t.id, t.title,
			(SELECT p.author_label FROM forum_posts p WHERE p.topic_id = t.id AND p.opening),
			t.replies, t.created_at, t.last_post_at,
			EXISTS (SELECT 1 FROM forum_follows f WHERE f.topic_id = t.id AND f.user_id = $3)`+where+
		` ORDER BY t.last_post_at DESC, t.id DESC LIMIT $4 OFFSET $5`, like, q.Following, q.UserID, q.PerPage, q.offset())
	out, err := collect(db, rows, err, func(r *sql.Rows) (ForumTopic, error) {
		var t ForumTopic
		err := r.Scan(&t.ID, &t.Title, &t.Author, &t.Replies, &t.Created, &t.LastPost, &t.Following)
		return t, err
	})
	return out, total, err
}

// ForumTopicPosts is a topic with its posts, oldest first. A removed topic
// is not found, but by a moderator; a removed post keeps its place with its
// words left out, but for a moderator.
func (db *DB) ForumTopicPosts(ctx context.Context, id, userID int64, moderator bool) (ForumTopic, []forum.Post, error) {
	var t ForumTopic
	var status string
	err := db.read.QueryRowContext(ctx, `SELECT t.id, t.title, t.replies, t.created_at, t.last_post_at, t.status,
			EXISTS (SELECT 1 FROM forum_follows f WHERE f.topic_id = t.id AND f.user_id = $2)
		FROM forum_topics t WHERE t.id = $1`, id, userID).Scan(&t.ID, &t.Title, &t.Replies, &t.Created, &t.LastPost, &status, &t.Following)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && status != string(forum.StatusPublished) && !moderator) {
		return t, nil, haven.ErrNotFound
	}
	if err != nil {
		return t, nil, err
	}
	t.Removed = status != string(forum.StatusPublished)
	rows, err := db.read.QueryContext(ctx, `SELECT id, topic_id, body, author_id, author_label, created_at, status, removed_reason
		FROM forum_posts WHERE topic_id = $1 ORDER BY id`, id)
	posts, err := collect(db, rows, err, func(r *sql.Rows) (forum.Post, error) {
		var p forum.Post
		var st string
		err := r.Scan(&p.ID, &p.TopicID, &p.Body, &p.AuthorID, &p.Author, &p.Created, &st, &p.RemovedWhy)
		p.Status = forum.Status(st)
		if p.Status != forum.StatusPublished && !moderator {
			p.Body, p.Author, p.AuthorID, p.RemovedWhy = "", "", 0, ""
		}
		return p, err
	})
	if len(posts) > 0 {
		posts[0].Title = t.Title
		t.Author = posts[0].Author
	}
	return t, posts, err
}

// FollowForumTopic starts or stops following a published topic; doing
// either twice leaves the one state.
func (db *DB) FollowForumTopic(ctx context.Context, ev audit.Event, topicID, userID int64, follow bool) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM forum_topics WHERE id = $1 AND status = 'published'`, topicID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return haven.ErrNotFound
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM forum_follows WHERE topic_id = $1 AND user_id = $2`, topicID, userID); err != nil {
			return err
		}
		ev.Action, ev.RecordType, ev.RecordID, ev.Section = audit.Update, "forum-topic", itoa(topicID), "unfollow"
		if follow {
			if _, err := tx.ExecContext(ctx, `INSERT INTO forum_follows (topic_id, user_id, created_at) VALUES ($1, $2, $3)`, topicID, userID, db.now()); err != nil {
				return err
			}
			ev.Section = "follow"
		}
		return db.appendAudit(ctx, tx, ev)
	})
}

// ForumReport is a post reported to the moderators, with the post.
type ForumReport struct {
	ID       int64
	Reason   string
	Reported time.Time
	Post     forum.Post
	Topic    string
}

// ReportForumPost sends a published post to the moderators with a reason.
func (db *DB) ReportForumPost(ctx context.Context, ev audit.Event, postID, userID int64, reason string) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM forum_posts p JOIN forum_topics t ON t.id = p.topic_id
			WHERE p.id = $1 AND p.status = 'published' AND t.status = 'published'`, postID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return haven.ErrNotFound
		}
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO forum_reports (post_id, reporter_id, reason, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
			postID, userID, reason, db.now()).Scan(&id); err != nil {
			return err
		}
		ev.Action, ev.RecordType, ev.RecordID, ev.Section = audit.Create, "forum-report", itoa(id), "post "+itoa(postID)
		return db.appendAudit(ctx, tx, ev)
	})
}

// ForumPostTopic is the topic a published post is in, for links back to it.
func (db *DB) ForumPostTopic(ctx context.Context, postID int64) (int64, error) {
	var topic int64
	err := db.read.QueryRowContext(ctx, `SELECT p.topic_id FROM forum_posts p JOIN forum_topics t ON t.id = p.topic_id
		WHERE p.id = $1 AND p.status = 'published' AND t.status = 'published'`, postID).Scan(&topic)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, haven.ErrNotFound
	}
	return topic, err
}

// OpenForumReports are the reports the moderators have not decided, oldest
// first, with each post as written.
func (db *DB) OpenForumReports(ctx context.Context) ([]ForumReport, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT r.id, r.reason, r.created_at, p.id, p.topic_id, p.body, p.author_label, p.created_at, t.title
		FROM forum_reports r JOIN forum_posts p ON p.id = r.post_id JOIN forum_topics t ON t.id = p.topic_id
		WHERE r.outcome = 'open' ORDER BY r.created_at, r.id`)
	return collect(db, rows, err, func(r *sql.Rows) (ForumReport, error) {
		var f ForumReport
		err := r.Scan(&f.ID, &f.Reason, &f.Reported, &f.Post.ID, &f.Post.TopicID, &f.Post.Body, &f.Post.Author, &f.Post.Created, &f.Topic)
		return f, err
	})
}

// RemoveForumPost takes a post down with the moderator's reason and closes
// every open report on it. Removing a topic's opening post removes the topic.
func (db *DB) RemoveForumPost(ctx context.Context, ev audit.Event, postID, by int64, reason string) error {
	now := db.now()
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var topic int64
		var opening bool
		err := tx.QueryRowContext(ctx, `SELECT topic_id, opening FROM forum_posts WHERE id = $1 AND status = 'published'`, postID).Scan(&topic, &opening)
		if errors.Is(err, sql.ErrNoRows) {
			return haven.ErrNotFound
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE forum_posts SET status = 'removed', removed_at = $2, removed_by = $3, removed_reason = $4 WHERE id = $1`,
			postID, now, by, reason); err != nil {
			return err
		}
		if opening {
			if _, err := tx.ExecContext(ctx, `UPDATE forum_topics SET status = 'removed' WHERE id = $1`, topic); err != nil {
				return err
			}
		} else if _, err := tx.ExecContext(ctx, `UPDATE forum_topics SET replies = replies - 1 WHERE id = $1`, topic); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE forum_reports SET outcome = 'removed', decided_at = $2, decided_by = $3
			WHERE post_id = $1 AND outcome = 'open'`, postID, now, by); err != nil {
			return err
		}
		ev.Action, ev.RecordType, ev.RecordID, ev.Section = audit.Update, "forum-post", itoa(postID), "removed by a moderator"
		return db.appendAudit(ctx, tx, ev)
	})
}

// DismissForumReport closes a report and leaves the post as it is.
func (db *DB) DismissForumReport(ctx context.Context, ev audit.Event, reportID, by int64) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE forum_reports SET outcome = 'dismissed', decided_at = $2, decided_by = $3
			WHERE id = $1 AND outcome = 'open'`, reportID, db.now(), by)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return haven.ErrNotFound
		}
		ev.Action, ev.RecordType, ev.RecordID, ev.Section = audit.Update, "forum-report", itoa(reportID), "dismissed"
		return db.appendAudit(ctx, tx, ev)
	})
}

// ForumFeed is the newest published posts in published topics, each with
// its topic's title, for the forum's Atom feed.
func (db *DB) ForumFeed(ctx context.Context, limit int) ([]forum.Post, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT p.id, p.topic_id, t.title, p.body, p.author_label, p.created_at
		FROM forum_posts p JOIN forum_topics t ON t.id = p.topic_id
		WHERE p.status = 'published' AND t.status = 'published' ORDER BY p.created_at DESC, p.id DESC LIMIT $1`, limit)
	return collect(db, rows, err, func(r *sql.Rows) (forum.Post, error) {
		var p forum.Post
		err := r.Scan(&p.ID, &p.TopicID, &p.Title, &p.Body, &p.Author, &p.Created)
		return p, err
	})
}

// CaseloadNames are the names of the people the actor may see — her own
// caseload for a practitioner, her Practice's for a lead — for the forum's
// check before a post is sent. They never leave the server.
func (db *DB) CaseloadNames(ctx context.Context, actor *access.Actor) ([]string, error) {
	var out []string
	pg := Page{Limit: 500}
	for range 20 { // 10,000 people at most: more than any caseload
		people, err := db.ListPeopleFor(ctx, actor, pg)
		if err != nil {
			return nil, err
		}
		for _, p := range people {
			for _, n := range []string{p.FirstName, p.LastName, p.PreferredName} {
				if n = strings.TrimSpace(n); n != "" {
					out = append(out, n)
				}
			}
		}
		if len(people) < pg.Limit {
			break
		}
		pg.After = people[len(people)-1].ID
	}
	return out, nil
}

// likePattern is a case-insensitive LIKE pattern for s anywhere, with LIKE's
// own characters escaped; empty for no search.
func likePattern(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(strings.ToLower(s)) + "%"
}
