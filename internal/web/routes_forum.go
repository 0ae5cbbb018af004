package web

import "haven/internal/access"

// forumRoutes: the practitioners' forum, for any signed-in member of staff;
// its moderation is the library editors'.
func (s *Server) forumRoutes() []route {
	return []route{
		{pattern: "GET /forum", perm: access.PermSignedIn, handler: s.forumList},
		{pattern: "POST /forum", perm: access.PermSignedIn, handler: s.forumSearch},
		{pattern: "GET /forum/new", perm: access.PermSignedIn, handler: s.forumNewForm},
		{pattern: "POST /forum/new", perm: access.PermSignedIn, handler: s.forumNew},
		{pattern: "GET /forum/topics/{id}", perm: access.PermSignedIn, handler: s.forumTopic},
		{pattern: "POST /forum/topics/{id}/replies", perm: access.PermSignedIn, handler: s.forumReply},
		{pattern: "POST /forum/topics/{id}/follow", perm: access.PermSignedIn, handler: s.forumFollow(true)},
		{pattern: "POST /forum/topics/{id}/unfollow", perm: access.PermSignedIn, handler: s.forumFollow(false)},
		{pattern: "GET /forum/posts/{id}/report", perm: access.PermSignedIn, handler: s.forumReportForm},
		{pattern: "POST /forum/posts/{id}/report", perm: access.PermSignedIn, handler: s.forumReport},
		{pattern: "GET /forum/feed.atom", perm: access.PermSignedIn, handler: s.forumFeed},

		{pattern: "GET /forum/moderation", perm: access.PermLibraryEdit, handler: s.forumModeration},
		{pattern: "GET /forum/posts/{id}/remove", perm: access.PermLibraryEdit, handler: s.forumRemoveForm},
		{pattern: "POST /forum/posts/{id}/remove", perm: access.PermLibraryEdit, handler: s.forumRemove},
		{pattern: "POST /forum/reports/{id}/dismiss", perm: access.PermLibraryEdit, handler: s.forumDismiss},
	}
}
