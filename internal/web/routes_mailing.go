package web

import "haven/internal/access"

// mailingRoutes are the community of practice mailing list (issue 21 item
// 6): public subscribe, confirm and unsubscribe pages, and the library
// editors' sending page.
func (s *Server) mailingRoutes() []route {
	return []route{
		{pattern: "GET /mailing-list", perm: access.PermPublic, handler: s.mailingForm},
		{pattern: "POST /mailing-list", perm: access.PermPublic, handler: s.mailingSubscribe},
		{pattern: "GET /mailing-list/check-your-email", perm: access.PermPublic, handler: s.mailingCheck},
		{pattern: "GET /mailing-list/confirm/{token}", perm: access.PermPublic, handler: s.mailingConfirmForm},
		{pattern: "POST /mailing-list/confirm/{token}", perm: access.PermPublic, handler: s.mailingConfirm},
		{pattern: "GET /mailing-list/unsubscribe/{token}", perm: access.PermPublic, handler: s.mailingUnsubscribeForm},
		{pattern: mailingOneClick, perm: access.PermPublic, handler: s.mailingUnsubscribe},

		{pattern: "GET /mailing-list/send", perm: access.PermLibraryEdit, handler: s.mailingSendForm},
		{pattern: "POST /mailing-list/send", perm: access.PermLibraryEdit, handler: s.mailingSend},
		{pattern: "GET /mailing-list/sends/{id}", perm: access.PermLibraryEdit, handler: s.mailingSent},
	}
}

// mailingOneClick is the RFC 8058 one-click unsubscribe: the only route the
// cross-origin check lets through (middleware.go), since mail programs post
// to it from elsewhere and the token in the path is its whole authority.
const mailingOneClick = "POST /mailing-list/unsubscribe/{token}"
