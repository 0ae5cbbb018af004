// Package mailing holds the community of practice's mailing list rules
// (issue 21 item 6): double opt-in, one-click unsubscribe, and the messages
// sent. It does no I/O: the store keeps subscribers, internal/mail sends.
package mailing

import (
	"errors"
	"net/mail"
	"strings"
	"time"
)

// State is where a subscriber stands.
type State string

const (
	// Pending addresses have asked to join and get nothing but the
	// confirmation until they follow its link.
	Pending      State = "pending"
	Confirmed    State = "confirmed"
	Unsubscribed State = "unsubscribed"
)

const (
	// ConfirmTTL is how long a confirmation link works.
	ConfirmTTL = 72 * time.Hour
	// ResendInterval is the least time between two confirmations to one
	// address, so that the form cannot be used to flood someone's inbox.
	ResendInterval = 15 * time.Minute
)

// Subscriber is one address on the list. Its tokens are kept only as
// hashes, in the store.
type Subscriber struct {
	ID             int64
	State          State
	ConfirmSentAt  time.Time // when the last confirmation was sent
	ConfirmExpires time.Time
	CreatedAt      time.Time
	ConfirmedAt    time.Time
	UnsubscribedAt time.Time
}

// SubscribeDecision is what a subscribe request does.
type SubscribeDecision struct {
	State State
	// SendConfirmation asks for a fresh confirmation token and message; the
	// new token replaces any earlier one.
	SendConfirmation bool
}

// DecideSubscribe applies a subscribe request to an address's row (found
// is false for a new address). Whatever it decides, the person sees the
// same "check your email" page, so the form does not tell anyone whether an
// address is already on the list.
func DecideSubscribe(sub Subscriber, found bool, now time.Time) SubscribeDecision {
	if !found {
		return SubscribeDecision{State: Pending, SendConfirmation: true}
	}
	recent := !sub.ConfirmSentAt.IsZero() && now.Sub(sub.ConfirmSentAt) < ResendInterval
	switch sub.State {
	case Confirmed:
		// Already subscribed: nothing to send and nothing to change.
		return SubscribeDecision{State: Confirmed}
	case Unsubscribed:
		// Coming back needs a fresh opt-in, as joining did.
		return SubscribeDecision{State: Pending, SendConfirmation: !recent}
	default:
		return SubscribeDecision{State: Pending, SendConfirmation: !recent}
	}
}

// ConfirmResult is what following a confirmation link did.
type ConfirmResult string

const (
	ConfirmDone      ConfirmResult = "confirmed"
	ConfirmAlready   ConfirmResult = "already-confirmed"
	ConfirmExpired   ConfirmResult = "expired"
	ConfirmNotActive ConfirmResult = "not-active" // unsubscribed since: the old link no longer subscribes
)

// DecideConfirm applies a confirmation to the row its token named.
func DecideConfirm(sub Subscriber, now time.Time) ConfirmResult {
	switch sub.State {
	case Confirmed:
		return ConfirmAlready
	case Unsubscribed:
		return ConfirmNotActive
	}
	if !now.Before(sub.ConfirmExpires) {
		return ConfirmExpired
	}
	return ConfirmDone
}

// UnsubscribeResult is what an unsubscribe did.
type UnsubscribeResult string

const (
	UnsubscribeDone    UnsubscribeResult = "unsubscribed"
	UnsubscribeAlready UnsubscribeResult = "already-unsubscribed"
)

// DecideUnsubscribe applies an unsubscribe: pending and confirmed addresses
// both leave the list, and a second request changes nothing.
func DecideUnsubscribe(sub Subscriber) UnsubscribeResult {
	if sub.State == Unsubscribed {
		return UnsubscribeAlready // the same page either way; the store keeps the first time
	}
	return UnsubscribeDone
}

// ErrAddress is returned for anything that is not one plain email address.
var ErrAddress = errors.New("enter an email address in the correct format, like name@example.org")

// NormaliseAddress checks that s is one plain email address (no display
// name, no quoted or bracketed parts) and returns it trimmed and in lower
// case. Lower case makes "Ann@Example.org" and "ann@example.org" one
// subscriber: case-sensitive local parts exist in the standard but not in
// practice, and two rows for one inbox would mean two of every message.
func NormaliseAddress(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" || len(s) > 254 {
		return "", ErrAddress
	}
	for _, r := range s {
		// Controls (CR and LF above all) would let an address add headers;
		// non-ASCII addresses need SMTPUTF8, which not every relay offers.
		if r < 0x21 || r >= 0x7f || r == '"' || r == '\\' || r == '(' || r == ')' || r == '<' || r == '>' || r == ',' || r == ';' || r == ':' || r == '[' || r == ']' {
			return "", ErrAddress
		}
	}
	at := strings.LastIndexByte(s, '@')
	if at < 1 || strings.Count(s, "@") != 1 || at > 64 {
		return "", ErrAddress
	}
	local, domain := s[:at], s[at+1:]
	if strings.HasPrefix(local, ".") || strings.HasSuffix(local, ".") || strings.Contains(local, "..") {
		return "", ErrAddress
	}
	if !validDomain(domain) {
		return "", ErrAddress
	}
	if a, err := mail.ParseAddress(s); err != nil || a.Address != s || a.Name != "" {
		return "", ErrAddress
	}
	return s, nil
}

// validDomain accepts a host name with at least two labels of letters,
// digits and inner hyphens, and a last label that is not all digits.
func validDomain(d string) bool {
	labels := strings.Split(d, ".")
	if len(d) > 253 || len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for i := 0; i < len(l); i++ {
			c := l[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	last := labels[len(labels)-1]
	return strings.Trim(last, "0123456789") != ""
}
