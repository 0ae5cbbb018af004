package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/forum"
	"haven/internal/haven"
	"haven/internal/store"
)

// The practitioners' forum (issue 21 item 7): for signed-in staff of any
// organisation, moderated by library editors. Before a post is sent, Haven
// warns if it seems to name a client (forum.Warnings) and asks the writer to
// take it out; posts are plain text and never link to a record. Searches
// are sent by POST, since what is searched for may be a name, which must not
// reach an address.

const forumPerPage = 20

// forumFields is the post form's order, for its error summary.
var forumFields = []string{"title", "body", "checked"}

type forumListPage struct {
	Layout
	Topics     []store.ForumTopic
	Total      int
	Search     string
	Following  bool
	Page, Last int
	Moderator  bool
	Reports    int
}

func (p forumListPage) PrevPage() int { return p.Page - 1 }
func (p forumListPage) NextPage() int { return p.Page + 1 }

type forumPostForm struct {
	Title, Body string
	Checked     bool
}

type forumNewPage struct {
	Layout
	Form     forumPostForm
	Warnings []forum.Warning
}

type forumTopicPage struct {
	Layout
	Topic     store.ForumTopic
	Posts     []forumPostView
	Form      forumPostForm
	Warnings  []forum.Warning
	Moderator bool
	UserID    int64
}

// forumPostView is a post with its words split into paragraphs, each shown
// as escaped text.
type forumPostView struct {
	forum.Post
	Paragraphs []string
	Removed    bool
}

type forumReportPage struct {
	Layout
	Post   forum.Post
	Topic  int64
	Reason string
}

type forumModerationPage struct {
	Layout
	Reports []store.ForumReport
}

type forumRemovePage struct {
	Layout
	Post   forumPostView
	Reason string
}

func paragraphs(s string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func forumID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, haven.ErrNotFound
	}
	return id, nil
}

// authorLabel is how a writer is shown: their name and where they work.
func authorLabel(a *access.Actor) string {
	for _, m := range a.Memberships {
		if m.TenantName != "" {
			return a.User.DisplayName + ", " + m.TenantName
		}
	}
	return a.User.DisplayName
}

func isModerator(r *http.Request) bool {
	a := infoFrom(r.Context()).actor
	return a != nil && a.Can(access.PermLibraryEdit)
}

func (s *Server) forumList(w http.ResponseWriter, r *http.Request) error {
	return s.forumListing(w, r, "", r.URL.Query().Get("following") == "yes")
}

func (s *Server) forumSearch(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	q := strings.TrimSpace(r.PostFormValue("q"))
	if len([]rune(q)) > 200 {
		q = string([]rune(q)[:200])
	}
	return s.forumListing(w, r, q, r.PostFormValue("following") == "yes")
}

func (s *Server) forumListing(w http.ResponseWriter, r *http.Request, search string, following bool) error {
	actor := infoFrom(r.Context()).actor
	page := 1
	if v := r.URL.Query().Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 10000 {
			return badRequest("The page number must be a whole number from 1.")
		}
		page = n
	}
	if r.Method == http.MethodPost {
		if n, err := strconv.Atoi(r.PostFormValue("page")); err == nil && n >= 1 && n <= 10000 {
			page = n
		}
	}
	topics, total, err := s.store.ForumTopics(r.Context(), store.ForumQuery{Search: search, Following: following, UserID: actor.User.ID, Page: page, PerPage: forumPerPage})
	if err != nil {
		return err
	}
	p := &forumListPage{Layout: Layout{Title: "Practitioners' forum", Nav: "forum"}, Topics: topics, Total: total, Search: search,
		Following: following, Page: page, Last: max(1, (total+forumPerPage-1)/forumPerPage), Moderator: isModerator(r)}
	if p.Moderator {
		reports, err := s.store.OpenForumReports(r.Context())
		if err != nil {
			return err
		}
		p.Reports = len(reports)
	}
	return s.render(w, r, http.StatusOK, "forum.html", p)
}

func (s *Server) forumNewForm(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "forum-new.html", &forumNewPage{Layout: Layout{Title: "Start a topic", Nav: "forum"}})
}

func parseForumForm(r *http.Request) forumPostForm {
	return forumPostForm{Title: strings.TrimSpace(r.PostFormValue("title")), Body: strings.TrimSpace(r.PostFormValue("body")),
		Checked: r.PostFormValue("checked") == "yes"}
}

// forumProblems checks a post and, unless the writer has said they checked
// it, warns about anything that may name a client. Either way nothing is
// saved until the form comes back clean.
func (s *Server) forumProblems(r *http.Request, f forumPostForm, opening bool) ([]FieldError, []forum.Warning, error) {
	post := forum.Post{Title: f.Title, Body: f.Body}
	if he, ok := errors.AsType[*haven.Error](post.Check(opening)); ok {
		return fieldErrors(he.Fields, forumFields...), nil, nil
	}
	if f.Checked {
		return nil, nil, nil
	}
	names, err := s.store.CaseloadNames(r.Context(), infoFrom(r.Context()).actor)
	if err != nil {
		return nil, nil, err
	}
	text := f.Body
	if opening {
		text = f.Title + "\n\n" + f.Body
	}
	ws := forum.Warnings(text, forum.Caseload{Names: names}, s.now())
	if len(ws) == 0 {
		return nil, nil, nil
	}
	return []FieldError{{"body", "Your post may identify someone you work with: take out what is listed below, or say you have checked it"}}, ws, nil
}

func (s *Server) forumNew(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(r); err != nil {
		return err
	}
	f := parseForumForm(r)
	errs, ws, err := s.forumProblems(r, f, true)
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		f.Checked = false
		return s.render(w, r, http.StatusUnprocessableEntity, "forum-new.html", &forumNewPage{Layout: Layout{Title: "Start a topic", Nav: "forum", Errors: errs}, Form: f, Warnings: ws})
	}
	actor := infoFrom(r.Context()).actor
	id, err := s.store.CreateForumTopic(r.Context(), s.auditEvent(r, audit.Create), forum.Post{Title: f.Title, Body: f.Body, AuthorID: actor.User.ID, Author: authorLabel(actor)})
	if err != nil {
		return err
	}
	s.saved(w, r, "/forum/topics/"+strconv.FormatInt(id, 10), "forum-topic")
	return nil
}

func (s *Server) forumTopicView(r *http.Request, id int64) (*forumTopicPage, error) {
	actor := infoFrom(r.Context()).actor
	mod := isModerator(r)
	t, posts, err := s.store.ForumTopicPosts(r.Context(), id, actor.User.ID, mod)
	if err != nil {
		return nil, err
	}
	p := &forumTopicPage{Layout: Layout{Title: t.Title, Nav: "forum"}, Topic: t, Moderator: mod, UserID: actor.User.ID}
	for _, post := range posts {
		p.Posts = append(p.Posts, forumPostView{Post: post, Paragraphs: paragraphs(post.Body), Removed: post.Status != forum.StatusPublished})
	}
	ev := s.auditEvent(r, audit.View)
	ev.RecordType, ev.RecordID = "forum-topic", strconv.FormatInt(id, 10)
	return p, s.store.Audit(r.Context(), ev)
}

func (s *Server) forumTopic(w http.ResponseWriter, r *http.Request) error {
	id, err := forumID(r)
	if err != nil {
		return err
	}
	p, err := s.forumTopicView(r, id)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "forum-topic.html", p)
}

func (s *Server) forumReply(w http.ResponseWriter, r *http.Request) error {
	id, err := forumID(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	f := parseForumForm(r)
	f.Title = ""
	errs, ws, err := s.forumProblems(r, f, false)
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		p, err := s.forumTopicView(r, id)
		if err != nil {
			return err
		}
		f.Checked = false
		p.Errors, p.Form, p.Warnings = errs, f, ws
		return s.render(w, r, http.StatusUnprocessableEntity, "forum-topic.html", p)
	}
	actor := infoFrom(r.Context()).actor
	if _, err := s.store.CreateForumReply(r.Context(), s.auditEvent(r, audit.Create), forum.Post{TopicID: id, Body: f.Body, AuthorID: actor.User.ID, Author: authorLabel(actor)}); err != nil {
		return err
	}
	s.saved(w, r, "/forum/topics/"+strconv.FormatInt(id, 10), "forum-reply")
	return nil
}

func (s *Server) forumFollow(follow bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := forumID(r)
		if err != nil {
			return err
		}
		if err := s.store.FollowForumTopic(r.Context(), s.auditEvent(r, audit.Update), id, infoFrom(r.Context()).actor.User.ID, follow); err != nil {
			return err
		}
		name := "forum-unfollowed"
		if follow {
			name = "forum-followed"
		}
		s.saved(w, r, "/forum/topics/"+strconv.FormatInt(id, 10), name)
		return nil
	}
}

// forumPost is a published post that the signed-in user may see, for
// reporting; anything else is not found.
func (s *Server) forumPost(r *http.Request) (forum.Post, error) {
	id, err := forumID(r)
	if err != nil {
		return forum.Post{}, err
	}
	topic, err := s.store.ForumPostTopic(r.Context(), id)
	if err != nil {
		return forum.Post{}, err
	}
	_, posts, err := s.store.ForumTopicPosts(r.Context(), topic, infoFrom(r.Context()).actor.User.ID, isModerator(r))
	if err != nil {
		return forum.Post{}, err
	}
	for _, p := range posts {
		if p.ID == id {
			return p, nil
		}
	}
	return forum.Post{}, haven.ErrNotFound
}

func (s *Server) forumReportForm(w http.ResponseWriter, r *http.Request) error {
	post, err := s.forumPost(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "forum-report.html", &forumReportPage{Layout: Layout{Title: "Report a post", Nav: "forum"}, Post: post, Topic: post.TopicID})
}

// postAndReason reads the post a report or a removal is about, and the
// reason given, with the problem with it by field, if any.
func (s *Server) postAndReason(r *http.Request, label string) (forum.Post, string, map[string]string, error) {
	post, err := s.forumPost(r)
	if err != nil {
		return post, "", nil, err
	}
	if err := parseForm(r); err != nil {
		return post, "", nil, err
	}
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	f := map[string]string{}
	dirPlainText(f, "reason", label, reason, true, 1000)
	return post, reason, f, nil
}

func (s *Server) forumReport(w http.ResponseWriter, r *http.Request) error {
	post, reason, f, err := s.postAndReason(r, "why you are reporting it")
	if err != nil {
		return err
	}
	if len(f) > 0 {
		return s.render(w, r, http.StatusUnprocessableEntity, "forum-report.html", &forumReportPage{Layout: Layout{Title: "Report a post", Nav: "forum",
			Errors: fieldErrors(f, "reason")}, Post: post, Topic: post.TopicID, Reason: reason})
	}
	if err := s.store.ReportForumPost(r.Context(), s.auditEvent(r, audit.Create), post.ID, infoFrom(r.Context()).actor.User.ID, reason); err != nil {
		return err
	}
	s.saved(w, r, "/forum/topics/"+strconv.FormatInt(post.TopicID, 10), "forum-reported")
	return nil
}

func (s *Server) forumModeration(w http.ResponseWriter, r *http.Request) error {
	reports, err := s.store.OpenForumReports(r.Context())
	if err != nil {
		return err
	}
	ev := s.auditEvent(r, audit.View)
	ev.RecordType, ev.RecordID = "forum-report", "open"
	if err := s.store.Audit(r.Context(), ev); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "forum-moderation.html", &forumModerationPage{Layout: Layout{Title: "Forum moderation", Nav: "forum"}, Reports: reports})
}

func (s *Server) forumRemoveForm(w http.ResponseWriter, r *http.Request) error {
	post, err := s.forumPost(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "forum-remove.html", &forumRemovePage{Layout: Layout{Title: "Remove a post", Nav: "forum"},
		Post: forumPostView{Post: post, Paragraphs: paragraphs(post.Body)}})
}

func (s *Server) forumRemove(w http.ResponseWriter, r *http.Request) error {
	post, reason, f, err := s.postAndReason(r, "why it is removed")
	if err != nil {
		return err
	}
	if len(f) > 0 {
		return s.render(w, r, http.StatusUnprocessableEntity, "forum-remove.html", &forumRemovePage{Layout: Layout{Title: "Remove a post", Nav: "forum",
			Errors: fieldErrors(f, "reason")}, Post: forumPostView{Post: post, Paragraphs: paragraphs(post.Body)}, Reason: reason})
	}
	actor := infoFrom(r.Context()).actor
	if err := s.store.RemoveForumPost(r.Context(), s.auditEvent(r, audit.Update), post.ID, actor.User.ID, reason); err != nil {
		return err
	}
	s.saved(w, r, "/forum/moderation", "forum-removed")
	return nil
}

func (s *Server) forumDismiss(w http.ResponseWriter, r *http.Request) error {
	id, err := forumID(r)
	if err != nil {
		return err
	}
	if err := s.store.DismissForumReport(r.Context(), s.auditEvent(r, audit.Update), id, infoFrom(r.Context()).actor.User.ID); err != nil {
		return err
	}
	s.saved(w, r, "/forum/moderation", "forum-dismissed")
	return nil
}

// forumFeed is the forum's Atom feed: the newest posts, for staff who
// follow the forum in their browser. It needs the same sign-in as the forum.
func (s *Server) forumFeed(w http.ResponseWriter, r *http.Request) error {
	posts, err := s.store.ForumFeed(r.Context(), 50)
	if err != nil {
		return err
	}
	base := strings.TrimRight(s.baseURL, "/")
	f := atomFeed{Title: "Haven practitioners' forum", Subtitle: "The newest posts", ID: base + "/forum", Updated: atomTime(s.now()),
		Author: atomPerson{Name: "Haven"},
		Links:  []atomLink{{Href: base + "/forum/feed.atom", Rel: "self", Type: "application/atom+xml"}, {Href: base + "/forum", Rel: "alternate", Type: "text/html"}}}
	if len(posts) > 0 {
		f.Updated = atomTime(posts[0].Created)
	}
	for _, p := range posts {
		link := base + "/forum/topics/" + strconv.FormatInt(p.TopicID, 10) + "#post-" + strconv.FormatInt(p.ID, 10)
		f.Entries = append(f.Entries, atomEntry{Title: atomText{Type: "text", Body: p.Title}, ID: link, Updated: atomTime(p.Created),
			Links: []atomLink{{Href: link, Rel: "alternate", Type: "text/html"}}, Authors: []atomPerson{{Name: p.Author}},
			Summary: atomText{Type: "text", Body: p.Body}})
	}
	ev := s.auditEvent(r, audit.View)
	ev.RecordType, ev.RecordID = "forum-feed", "latest"
	if err := s.store.Audit(r.Context(), ev); err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "private, no-store")
	return writeAtom(w, f)
}
