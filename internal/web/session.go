package web

import (
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/auth"
	"haven/internal/haven"
)

// Session limits (S11): 30 minutes idle, 12 hours at most.
const (
	sessionCookie  = "__Host-haven_session"
	idleTimeout    = 30 * time.Minute
	absoluteLimit  = 12 * time.Hour
	touchEvery     = time.Minute // fewer writes: last-seen moves at most once a minute
	reauthRequired = 5 * time.Minute
)

func setSessionCookie(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

func clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", Secure: true, HttpOnly: true, SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

// peer is the address the connection came from.
func peer(r *http.Request) netip.Addr {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return netip.Addr{}
	}
	return ap.Addr().Unmap()
}

// fromTrustedProxy reports whether the connection came from a configured TLS proxy.
func (s *Server) fromTrustedProxy(r *http.Request) bool {
	p := peer(r)
	for _, prefix := range s.proxies {
		if prefix.Contains(p) {
			return true
		}
	}
	return false
}

// secure reports whether the request reached Haven over HTTPS, directly or
// through a trusted proxy.
func (s *Server) secure(r *http.Request) bool {
	return r.TLS != nil || (s.fromTrustedProxy(r) && r.Header.Get("X-Forwarded-Proto") == "https")
}

// clientIP is the user's address: the peer, or what a trusted proxy says.
func clientIP(r *http.Request) string {
	if ip := infoFrom(r.Context()).forwardedFor; ip != "" {
		return ip
	}
	if p := peer(r); p.IsValid() {
		return p.String()
	}
	host, _, _ := net.SplitHostPort(r.RemoteAddr)
	return host
}

// forwardedFor is the last address a trusted proxy appended to X-Forwarded-For.
func (s *Server) forwardedFor(r *http.Request) string {
	if !s.fromTrustedProxy(r) {
		return ""
	}
	xff := r.Header.Values("X-Forwarded-For")
	if len(xff) == 0 {
		return ""
	}
	parts := strings.Split(xff[len(xff)-1], ",")
	ip, err := netip.ParseAddr(strings.TrimSpace(parts[len(parts)-1]))
	if err != nil {
		return ""
	}
	return ip.String()
}

// loadSession finds the request's session, ending it if it has idled out or
// passed its absolute limit. It returns nil when there is none.
func (s *Server) loadSession(w http.ResponseWriter, r *http.Request) (*access.Session, *access.Actor, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" || len(c.Value) > 128 {
		return nil, nil, nil
	}
	sess, actor, err := s.store.SessionActor(r.Context(), auth.HashToken(c.Value))
	if errors.Is(err, haven.ErrNotFound) {
		clearSessionCookie(w)
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	now := s.now()
	if now.Sub(sess.LastSeenAt) > idleTimeout || now.Sub(sess.CreatedAt) > absoluteLimit {
		if err := s.store.DeleteSession(r.Context(), sess.ID); err != nil {
			return nil, nil, err
		}
		clearSessionCookie(w)
		infoFrom(r.Context()).expiredUser = sess.UserID
		return nil, nil, nil
	}
	if actor == nil { // disabled: the session ends with it
		s.store.DeleteSession(r.Context(), sess.ID)
		clearSessionCookie(w)
		return nil, nil, nil
	}
	actor.SessionID = sess.ID
	if now.Sub(sess.LastSeenAt) > touchEvery {
		if err := s.store.TouchSession(r.Context(), sess.ID); err != nil {
			return nil, nil, err
		}
	}
	return &sess, actor, nil
}

// startSession rotates the session: any old one ends, and a new token is
// issued (S9), so a token seen before sign-in is worthless after it.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, userID int64, mfaPassed bool) error {
	if old := infoFrom(r.Context()).session; old != nil {
		if err := s.store.DeleteSession(r.Context(), old.ID); err != nil {
			return err
		}
	}
	token := auth.NewToken()
	sess, err := s.store.CreateSession(r.Context(), access.Session{UserID: userID, MFAPassed: mfaPassed, IP: clientIP(r), UserAgent: truncate(r.UserAgent(), 200)}, auth.HashToken(token))
	if err != nil {
		return err
	}
	infoFrom(r.Context()).session = &sess
	setSessionCookie(w, token)
	return nil
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// auditEvent starts an audit row for this request: who, their role, where from.
func (s *Server) auditEvent(r *http.Request, action audit.Action) audit.Event {
	info := infoFrom(r.Context())
	e := audit.Event{Action: action, RequestID: info.id, IP: clientIP(r)}
	if info.actor != nil {
		e.UserID = info.actor.User.ID
		role, tenant := info.actor.PrimaryRole()
		e.Role, e.Tenant = string(role), tenant
	} else if info.session != nil {
		e.UserID = info.session.UserID
	}
	return e
}

// security records a security event in the audit trail and as a log line.
// It never records what was typed.
func (s *Server) security(r *http.Request, e audit.Event) {
	if err := s.store.Audit(r.Context(), e); err != nil {
		s.log.Error("audit write failed", "request_id", e.RequestID, "event", string(e.Action), "error", err.Error())
	}
	s.log.Log(r.Context(), securityLevel(e.Action), "security event", "event", string(e.Action), "request_id", e.RequestID, "user_id", e.UserID)
}

// securityLevel is WARN only for the events someone should look at. Signing
// in, a mistyped password and signing out are the expected course of a day:
// logged at WARN they would teach operators to ignore warnings.
func securityLevel(a audit.Action) slog.Level {
	switch a {
	case audit.LockedOut, audit.Denied, audit.MFAReset, audit.RecoveryUsed, audit.BreakGlass:
		return slog.LevelWarn
	}
	return slog.LevelInfo
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
