// Package mailtest starts a real SMTP server (github.com/emersion/go-smtp)
// on a loopback port for tests, and keeps what it received.
package mailtest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"net"
	"net/mail"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	hmail "haven/internal/mail"
)

// Options shape the server.
type Options struct {
	STARTTLS bool   // offer STARTTLS with a certificate for 127.0.0.1
	User     string // require AUTH PLAIN with this user and Password
	Password string
	// Refuse makes RCPT TO answer 550 for this address, with the address in
	// the reply's text, as real relays do.
	Refuse string
	// Listen is the loopback address to listen on; empty is 127.0.0.1. A
	// name other than 127.0.0.1 or localhost is, to net/smtp, another machine.
	Listen string
}

// Received is one message the server accepted.
type Received struct {
	From     string
	To       []string
	Data     []byte
	TLS      bool   // the message came over STARTTLS
	AuthUser string // who signed in, if anyone
}

// Header is the message's parsed header.
func (r Received) Header() mail.Header {
	m, err := mail.ReadMessage(strings.NewReader(string(r.Data)))
	if err != nil {
		return mail.Header{}
	}
	return m.Header
}

// Server is a running SMTP server.
type Server struct {
	Host  string
	Port  int
	Roots *x509.CertPool // trusts the STARTTLS certificate

	opts Options
	mu   sync.Mutex
	got  []Received
	hit  chan struct{}
}

// Start listens on 127.0.0.1 and stops when the test ends.
func Start(t testing.TB, o Options) *Server {
	t.Helper()
	s := &Server{opts: o, hit: make(chan struct{}, 1000)}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		_, tlsOn := c.TLSConnectionState()
		return &session{s: s, conn: c, tls: tlsOn}, nil
	}))
	srv.Domain = "mail.test"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	srv.MaxMessageBytes = 1 << 20
	srv.ErrorLog = discard{}
	if o.STARTTLS {
		cert, roots := selfSigned(t)
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
		s.Roots = roots
	} else {
		// Let the test see that net/smtp itself refuses to send a
		// password in the clear to a host that is not this machine.
		srv.AllowInsecureAuth = true
	}
	host := o.Listen
	if host == "" {
		host = "127.0.0.1"
	}
	l, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	addr := l.Addr().(*net.TCPAddr)
	s.Host, s.Port = host, addr.Port
	return s
}

// Config is a relay configuration pointing at s.
func (s *Server) Config(from string) hmail.Config {
	return hmail.Config{Host: s.Host, Port: s.Port, Username: s.opts.User, Password: s.opts.Password, From: from}
}

// URL is HAVEN_SMTP_URL for s.
func (s *Server) URL(from string) string {
	u := "smtp://"
	if s.opts.User != "" {
		u += s.opts.User + ":" + s.opts.Password + "@"
	}
	return u + net.JoinHostPort(s.Host, strconv.Itoa(s.Port)) + "?from=" + from
}

// Sender is a sender for s that trusts its certificate.
func (s *Server) Sender(from string) *hmail.Sender {
	snd := hmail.New(s.Config(from))
	if s.Roots != nil {
		snd.TLS = &tls.Config{RootCAs: s.Roots}
	}
	snd.Timeout = 10 * time.Second
	return snd
}

// Messages is everything received so far, in order.
func (s *Server) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.got...)
}

// Wait returns once n messages in all have arrived, or fails the test.
func (s *Server) Wait(t testing.TB, n int) []Received {
	t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		if got := s.Messages(); len(got) >= n {
			return got
		}
		select {
		case <-s.hit:
		case <-deadline:
			t.Fatalf("waited for %d messages, got %d", n, len(s.Messages()))
		}
	}
}

type session struct {
	s    *Server
	conn *smtp.Conn
	tls  bool
	user string
	cur  Received
}

func (ss *session) AuthMechanisms() []string {
	if ss.s.opts.User == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (ss *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, user, pass string) error {
		if user != ss.s.opts.User || pass != ss.s.opts.Password {
			return errors.New("invalid credentials")
		}
		ss.user = user
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if ss.s.opts.User != "" && ss.user == "" {
		return smtp.ErrAuthRequired
	}
	_, ss.tls = ss.conn.TLSConnectionState()
	ss.cur = Received{From: from, TLS: ss.tls, AuthUser: ss.user}
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if ss.s.opts.Refuse != "" && to == ss.s.opts.Refuse {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "<" + to + ">: Recipient address rejected"}
	}
	ss.cur.To = append(ss.cur.To, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	ss.cur.Data = b
	ss.s.mu.Lock()
	ss.s.got = append(ss.s.got, ss.cur)
	ss.s.mu.Unlock()
	select {
	case ss.s.hit <- struct{}{}:
	default:
	}
	return nil
}

func (ss *session) Reset()        { ss.cur = Received{} }
func (ss *session) Logout() error { return nil }

type discard struct{}

func (discard) Printf(string, ...interface{}) {}
func (discard) Println(...interface{})        {}

func selfSigned(t testing.TB) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "mailtest"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IPAddresses: []net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("127.0.0.2")},
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true, IsCA: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(c)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pool
}
