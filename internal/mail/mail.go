// Package mail sends email through an SMTP relay, configured by one URL
// (HAVEN_SMTP_URL). It uses STARTTLS whenever the server offers it, signs
// in only over TLS (or to this machine), and keeps addresses and the
// password out of every error it returns, so that nothing it says can put
// personal data into a log.
package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Config is a parsed HAVEN_SMTP_URL: smtp://user:pass@host:port?from=addr.
type Config struct {
	Host     string
	Port     int
	Username string
	Password string
	From     string // the envelope and header sender
}

// Enabled says whether an SMTP relay was configured.
func (c Config) Enabled() bool { return c.Host != "" }

// String is the URL with the password redacted, for logs and errors.
func (c Config) String() string {
	if !c.Enabled() {
		return ""
	}
	u := url.URL{Scheme: "smtp", Host: net.JoinHostPort(c.Host, strconv.Itoa(c.Port))}
	if c.Username != "" {
		u.User = url.UserPassword(c.Username, "redacted")
	}
	return u.String()
}

// GoString keeps %#v from printing the password too.
func (c Config) GoString() string { return "mail.Config(" + c.String() + ")" }

// ParseURL reads smtp://[user[:password]@]host[:port]?from=address. The port
// defaults to 587 (message submission). An empty string is "no relay".
func ParseURL(raw string) (Config, error) {
	if raw == "" {
		return Config{}, nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		// url's own error repeats the URL, password and all.
		return Config{}, errors.New("the SMTP URL does not parse; want smtp://user:password@host:587?from=address")
	}
	if u.Scheme != "smtp" {
		return Config{}, errors.New("the SMTP URL must start smtp:// (STARTTLS is used whenever the server offers it)")
	}
	c := Config{Host: u.Hostname(), Port: 587}
	if c.Host == "" {
		return Config{}, errors.New("the SMTP URL has no host")
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return Config{}, errors.New("the SMTP URL's port must be a number from 1 to 65535")
		}
		c.Port = n
	}
	if u.User != nil {
		c.Username = u.User.Username()
		c.Password, _ = u.User.Password()
		if c.Username == "" {
			return Config{}, errors.New("the SMTP URL has a password but no user name")
		}
	}
	if u.Path != "" && u.Path != "/" || u.Fragment != "" {
		return Config{}, errors.New("the SMTP URL must not have a path")
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return Config{}, errors.New("the SMTP URL's query does not parse")
	}
	for k := range q {
		if k != "from" {
			return Config{}, fmt.Errorf("the SMTP URL has an unknown setting %q; only from= is known", k)
		}
	}
	c.From = q.Get("from")
	if !plainAddress(c.From) {
		return Config{}, errors.New("the SMTP URL needs from=, the address Haven sends from, like from=community@haven.example.org")
	}
	return c, nil
}

// plainAddress is a bare addr-spec with no room for header or SMTP
// command injection.
func plainAddress(a string) bool {
	if a == "" || len(a) > 254 || strings.Count(a, "@") != 1 || strings.HasPrefix(a, "@") || strings.HasSuffix(a, "@") {
		return false
	}
	for _, r := range a {
		if r <= ' ' || r >= 0x7f || strings.ContainsRune(`<>()[]\,;:"`, r) {
			return false
		}
	}
	return true
}

// Sender sends one message to one recipient per call.
type Sender struct {
	cfg Config
	// TLS is the STARTTLS configuration; nil verifies the server against the
	// system's roots. Tests give their own server's certificate.
	TLS *tls.Config
	// Timeout bounds one whole conversation with the relay.
	Timeout time.Duration
	// Hello is the name Haven gives in EHLO; empty sends "localhost".
	Hello string
}

// New returns a sender for cfg.
func New(cfg Config) *Sender { return &Sender{cfg: cfg, Timeout: 30 * time.Second} }

// From is the address messages are sent from.
func (s *Sender) From() string { return s.cfg.From }

// Send delivers msg (a whole RFC 5322 message) to the one address to.
func (s *Sender) Send(ctx context.Context, to string, msg []byte) (err error) {
	if !plainAddress(to) {
		return errors.New("smtp: the recipient is not a plain address")
	}
	ctx, cancel := context.WithTimeout(ctx, s.Timeout)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", net.JoinHostPort(s.cfg.Host, strconv.Itoa(s.cfg.Port)))
	if err != nil {
		return fmt.Errorf("smtp: connect to %s: %w", s.cfg.Host, err)
	}
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	c, err := smtp.NewClient(conn, s.cfg.Host)
	if err != nil {
		conn.Close()
		return clean("greeting", err)
	}
	defer c.Close()
	hello := s.Hello
	if hello == "" {
		hello = "localhost"
	}
	if err := c.Hello(hello); err != nil {
		return clean("EHLO", err)
	}
	if ok, _ := c.Extension("STARTTLS"); ok {
		tc := s.TLS.Clone()
		if tc == nil {
			tc = &tls.Config{}
		}
		if tc.ServerName == "" {
			tc.ServerName = s.cfg.Host
		}
		tc.MinVersion = tls.VersionTLS12
		if err := c.StartTLS(tc); err != nil {
			return clean("STARTTLS", err)
		}
	}
	if s.cfg.Username != "" {
		// PlainAuth itself refuses to send the password unencrypted to
		// anything but this machine.
		if err := c.Auth(smtp.PlainAuth("", s.cfg.Username, s.cfg.Password, s.cfg.Host)); err != nil {
			return clean("AUTH", err)
		}
	}
	if err := c.Mail(s.cfg.From); err != nil {
		return clean("MAIL FROM", err)
	}
	if err := c.Rcpt(to); err != nil {
		return clean("RCPT TO", err)
	}
	w, err := c.Data()
	if err != nil {
		return clean("DATA", err)
	}
	if _, err := w.Write(msg); err != nil {
		return clean("DATA", err)
	}
	if err := w.Close(); err != nil {
		return clean("DATA", err)
	}
	return clean("QUIT", c.Quit())
}

// clean keeps an SMTP reply's code and drops its text, which servers often
// fill with the address they refused.
func clean(step string, err error) error {
	if err == nil {
		return nil
	}
	if tp, ok := errors.AsType[*textproto.Error](err); ok {
		return &ReplyError{Step: step, Code: tp.Code}
	}
	return fmt.Errorf("smtp %s: %w", step, err)
}

// ReplyError is a refusal from the relay, without its text.
type ReplyError struct {
	Step string
	Code int
}

func (e *ReplyError) Error() string {
	return fmt.Sprintf("smtp %s: the relay answered %d", e.Step, e.Code)
}

// Permanent says whether retrying cannot help (a 5xx reply).
func (e *ReplyError) Permanent() bool { return e.Code >= 500 }
