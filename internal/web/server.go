// Package web serves Haven's pages and JSON API. routes.go lists every URL.
package web

import (
	"context"
	"embed"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"sync/atomic"
	"time"

	"haven/internal/auth"
	"haven/internal/filestore"
	"haven/internal/store"
)

//go:embed all:static
var staticFiles embed.FS

// Options configures a Server.
type Options struct {
	Store   *store.DB
	Logger  *slog.Logger
	BaseURL string
	HTTPS   bool // users reach Haven over HTTPS: send HSTS, and refuse plain HTTP (S30)
	Now     func() time.Time
	// TrustedProxies may tell Haven, by X-Forwarded-Proto and X-Forwarded-For,
	// that a request reached them over HTTPS and from whom.
	TrustedProxies []netip.Prefix
	// EvaluationCache keeps each outcome table this long (0: build every time).
	EvaluationCache time.Duration
	// Files keeps uploaded files (the library's); served by serveAttachment.
	Files filestore.Store
	// Mailer sends the mailing list's email (mailing.go); nil closes the list.
	Mailer Mailer
}

// Server is Haven's HTTP handler.
type Server struct {
	store   *store.DB
	log     *slog.Logger
	pages   *templates
	https   bool
	baseURL string
	now     func() time.Time
	mux     *http.ServeMux
	routes  []route
	static  http.Handler
	files   fs.FS // what static serves: files, never a directory listing
	uploads filestore.Store
	handler http.Handler

	proxies    []netip.Prefix
	throttle   *auth.Throttle // per account (by email) and per second factor
	ipThrottle *auth.Throttle // per client address

	referralThrottle *auth.Throttle // public referrals, per client address

	evalCache *evalCache // the national outcome tables, for a few minutes

	las atomic.Pointer[laCache] // local authorities: reference data that only a migration changes

	mail mailState // the mailing list's sender and background sends (mailing.go)
}

// NewServer builds the handler with every route and middleware in place.
func NewServer(o Options) (*Server, error) {
	t, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.BaseURL == "" {
		o.BaseURL = "http://127.0.0.1:8080" // links Haven writes out, such as enrolment links, need a host
	}
	s := &Server{store: o.Store, log: o.Logger, pages: t, https: o.HTTPS, baseURL: o.BaseURL, now: o.Now, mux: http.NewServeMux(),
		proxies: o.TrustedProxies, throttle: auth.NewThrottle(), referralThrottle: newReferralLimit(), ipThrottle: &auth.Throttle{Free: 30, Base: time.Second, Max: 15 * time.Minute}}
	s.evalCache = newEvalCache(o.EvaluationCache)
	s.uploads = o.Files
	s.mail.sender = o.Mailer
	s.mail.digest = s.digest
	s.files, _ = fs.Sub(staticFiles, "static")
	s.static = http.StripPrefix("/static/", http.FileServerFS(s.files))
	s.routes = s.routeList()
	for _, rt := range s.routes {
		s.mux.Handle(rt.pattern, s.adapt(rt))
	}
	s.handler = s.middleware(s.mux)
	return s, nil
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// HTTPServer wraps the handler with timeouts that stop slow clients from
// holding connections open.
func (s *Server) HTTPServer(addr string) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           s,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.Background() },
	}
}
