// Package audit defines the audit trail's events and its hash chain. Each
// event's hash covers the previous event's hash and its own fields, so an
// edited, removed or inserted row is found by walking the chain. It holds who
// did what to which record, never the record's data.
package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Action is what happened.
type Action string

// Record actions.
const (
	View   Action = "view"
	Create Action = "create"
	Update Action = "update"
	Delete Action = "delete"
	Export Action = "export"
	Print  Action = "print"
)

// Security events.
const (
	SignIn         Action = "sign-in"
	SignInFailed   Action = "sign-in-failed"
	MFAFailed      Action = "mfa-failed"
	MFAEnrolled    Action = "mfa-enrolled"
	MFAReset       Action = "mfa-reset"
	RecoveryUsed   Action = "recovery-code-used"
	LockedOut      Action = "locked-out"
	SignOut        Action = "sign-out"
	SignOutAll     Action = "sign-out-everywhere"
	SessionEnded   Action = "session-ended"
	Denied         Action = "authorisation-denied"
	RoleChanged    Action = "role-changed"
	AccountCreated Action = "account-created"
	AccountDisable Action = "account-disabled"
	AccountUnlock  Action = "account-unlocked"
	PasswordSet    Action = "password-set"
	TokenCreated   Action = "token-created"
	TokenRevoked   Action = "token-revoked"
	BreakGlass     Action = "break-glass"
)

// Event is one row of the audit trail.
type Event struct {
	ID         int64
	At         time.Time
	UserID     int64 // 0 when nobody is signed in, e.g. a failed sign-in for an unknown email
	Role       string
	Tenant     string
	RecordType string
	RecordID   string
	Section    string
	Action     Action
	RequestID  string
	IP         string
	PrevHash   string
	Hash       string
}

// Genesis is the previous hash of the first event.
var Genesis = strings.Repeat("0", 64)

// ComputeHash returns the hash of e chained to prev. The ID is left out: the
// database assigns it after the hash is made, and the chain itself fixes the
// order. Times are hashed at microsecond precision in UTC, which both
// databases keep exactly.
func (e Event) ComputeHash(prev string) string {
	h := sha256.New()
	for _, f := range []string{
		prev,
		e.At.UTC().Format("2006-01-02T15:04:05.000000Z"),
		strconv.FormatInt(e.UserID, 10),
		e.Role, e.Tenant, e.RecordType, e.RecordID, e.Section, string(e.Action), e.RequestID, e.IP,
	} {
		// Length-prefixing makes the encoding unambiguous.
		fmt.Fprintf(h, "%d:%s;", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Problem is one break in the chain.
type Problem struct {
	ID     int64
	Reason string
}

func (p Problem) String() string { return fmt.Sprintf("audit row %d: %s", p.ID, p.Reason) }

// Verifier walks the chain in ID order.
type Verifier struct {
	prev     string
	Checked  int
	Problems []Problem
}

// NewVerifier starts at the beginning of the chain.
func NewVerifier() *Verifier { return &Verifier{prev: Genesis} }

// Add checks the next event.
func (v *Verifier) Add(e Event) {
	v.Checked++
	if e.PrevHash != v.prev {
		v.Problems = append(v.Problems, Problem{e.ID, "does not follow the row before it: a row was removed or inserted here"})
	}
	if e.ComputeHash(e.PrevHash) != e.Hash {
		v.Problems = append(v.Problems, Problem{e.ID, "its contents do not match its hash: the row was edited"})
	}
	v.prev = e.Hash
}
