package web

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/haven"
)

// defaultMaxBody is the limit for ordinary forms and API bodies.
const defaultMaxBody = 1 << 20

// reqInfo travels with each request so the log line can name the route and status.
type reqInfo struct {
	id           string
	route        string
	status       int
	session      *access.Session
	actor        *access.Actor // set only once the second factor has been passed
	expiredUser  int64         // a session for this user just ran out
	forwardedFor string        // the client's address, as a trusted proxy gave it
}

type infoKey struct{}

func infoFrom(ctx context.Context) *reqInfo {
	if i, ok := ctx.Value(infoKey{}).(*reqInfo); ok {
		return i
	}
	return &reqInfo{id: "none"}
}

// statusWriter remembers the status written, for the log line.
type statusWriter struct {
	http.ResponseWriter
	info  *reqInfo
	wrote bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote {
		w.info.status, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// middleware wraps the mux, outermost first: request ID and log line, panic
// recovery, security headers, cross-origin protection, then routing.
func (s *Server) middleware(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.log.Warn("cross-origin request refused", "event", "csrf_failure", "request_id", infoFrom(r.Context()).id)
		s.serveError(w, r, &statusError{http.StatusForbidden, "This form was sent from another website, so Haven did not accept it."})
	}))
	cop.AddInsecureBypassPattern(mailingOneClick) // RFC 8058 one-click unsubscribe (routes_mailing.go)
	h := s.dispatch
	protected := cop.Handler(http.HandlerFunc(h))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		info := &reqInfo{id: newRequestID(), route: "unmatched"}
		r = r.WithContext(context.WithValue(r.Context(), infoKey{}, info))
		info.forwardedFor = s.forwardedFor(r)
		sw := &statusWriter{ResponseWriter: w, info: info}
		s.securityHeaders(sw.Header())
		if isOpenReferral(r) { // the Open Referral UK profile: any site may read the feed
			sw.Header().Set("Access-Control-Allow-Origin", "*")
		}
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.log.Error("panic", "request_id", info.id, "route", info.route, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
				if !sw.wrote {
					s.serveError(sw, r, fmt.Errorf("panic: %v", p))
				}
			}
			// The route pattern, never the raw path: paths can carry identifiers.
			s.log.Info("request", "request_id", info.id, "method", r.Method, "route", info.route,
				"status", info.status, "duration_ms", time.Since(start).Milliseconds())
		}()
		if s.https && !s.secure(r) && r.URL.Path != "/healthz" && r.URL.Path != "/readyz" {
			s.requireHTTPS(sw, r)
			return
		}
		protected.ServeHTTP(sw, r)
	})
}

// requireHTTPS answers a plain-HTTP request when Haven is served over HTTPS
// (S30): pages move to HTTPS, and nothing else is accepted. No cookie is set.
func (s *Server) requireHTTPS(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		http.Redirect(w, r, strings.TrimRight(s.baseURL, "/")+r.URL.RequestURI(), http.StatusMovedPermanently) // #nosec G710 -- baseURL is the configured https:// address with a host (config.Validate), so the path after it cannot change the host
		return
	}
	s.serveError(w, r, badRequest("Haven only accepts information sent over a secure connection (HTTPS)."))
}

func newRequestID() string { return rand.Text()[:16] }

// securityHeaders go on every response, error pages included.
func (s *Server) securityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
	// Any page may show personal data once people are signed in; only static assets may be cached.
	h.Set("Cache-Control", "no-store")
	if s.https {
		h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
	}
}

// dispatch routes the request, turning the mux's own plain-text 404 and 405
// into Haven's error pages.
func (s *Server) dispatch(w http.ResponseWriter, r *http.Request) {
	h, pattern := s.mux.Handler(r)
	if pattern != "" {
		s.mux.ServeHTTP(w, r)
		return
	}
	rec := &headerRecorder{header: http.Header{}}
	h.ServeHTTP(rec, r)
	switch rec.status {
	case http.StatusNotFound:
		s.serveError(w, r, &statusError{http.StatusNotFound, ""})
	case http.StatusMethodNotAllowed:
		w.Header().Set("Allow", rec.header.Get("Allow"))
		s.serveError(w, r, &statusError{http.StatusMethodNotAllowed, "This page does not accept that kind of request."})
	default: // a redirect to the canonical path
		if loc := rec.header.Get("Location"); loc != "" {
			w.Header().Set("Location", loc)
		}
		w.WriteHeader(rec.status)
	}
}

// headerRecorder captures what the mux's fallback handler would have written.
type headerRecorder struct {
	header http.Header
	status int
}

func (h *headerRecorder) Header() http.Header { return h.header }
func (h *headerRecorder) Write(b []byte) (int, error) {
	if h.status == 0 {
		h.status = http.StatusOK
	}
	return len(b), nil
}
func (h *headerRecorder) WriteHeader(code int) {
	if h.status == 0 {
		h.status = code
	}
}

// adapt turns a route into an http.Handler: it limits the body, records the
// route for the log line, and sends any error to serveError.
func (s *Server) adapt(rt route) http.Handler {
	limit := rt.maxBody
	if limit == 0 {
		limit = defaultMaxBody
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		infoFrom(r.Context()).route = rt.pattern
		if r.ContentLength > limit {
			tooLarge := errTooLarge
			if limit == maxUploadBody { // a form with a file: say what the limit is
				tooLarge = errFileTooLarge
			}
			s.serveError(w, r, tooLarge)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		if err := s.authorise(w, r, rt); err != nil {
			s.serveError(w, r, err)
			return
		}
		if rt.reauth && s.needsReauth(r) {
			if err := s.askReauth(w, r); err != nil {
				s.serveError(w, r, err)
			}
			return
		}
		if idempotentRoutes[rt.pattern] {
			var err error
			if r, err = withIdempotencyKey(r); err != nil {
				s.serveError(w, r, err)
				return
			}
		}
		if err := rt.handler(w, r); err != nil {
			s.serveError(w, r, err)
		}
	})
}

// errSignIn means the route needs a signed-in user and there is none.
var errSignIn = &statusError{http.StatusUnauthorized, "Sign in to continue."}

// authorise loads the session and checks the route's permission: deny by
// default. Public routes still see who is signed in, for the navigation.
func (s *Server) authorise(w http.ResponseWriter, r *http.Request, rt route) error {
	info := infoFrom(r.Context())
	if rt.perm == access.PermPublic && (rt.pattern == "GET /static/" || isOpenReferral(r)) {
		return nil // assets and the public feed need no session or token lookup
	}
	if isAPI(r) {
		// The API takes bearer tokens only: no cookies, so no cross-site requests.
		if _, err := s.bearerActor(r); err != nil {
			return err
		}
		if rt.perm != access.PermPublic && info.actor == nil {
			return errSignIn
		}
	} else {
		sess, actor, err := s.loadSession(w, r)
		if err != nil {
			return err
		}
		info.session = sess
		if sess != nil && sess.MFAPassed {
			info.actor = actor
		}
	}
	switch {
	case rt.perm == access.PermPublic:
		return nil
	case rt.perm == access.PermSignInStep:
		if info.session == nil {
			return errSignIn
		}
		return nil
	case info.actor == nil:
		return errSignIn
	case !info.actor.Can(rt.perm):
		e := s.auditEvent(r, audit.Denied)
		e.Section = string(rt.perm)
		s.security(r, e)
		// A route that names a record answers 404, so nobody learns whether
		// a record in another tenant exists.
		if strings.Contains(rt.pattern, "{") {
			return haven.ErrNotFound
		}
		return haven.ErrForbidden
	}
	return nil
}

// parseForm reads a form body. A body over the limit is 413; a form that
// cannot be decoded is 400; one holding text no field may hold (invalid
// UTF-8, a control character: haven.CheckText) is 422, naming the field.
func parseForm(r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return errTooLarge
		}
		return badRequest("The form could not be read. Go back and try again.")
	}
	return checkFormText(r)
}
