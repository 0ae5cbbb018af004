package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"

	"haven/internal/haven"
)

// Idempotency: every create form and API create carries a random key. The
// create claims the key in its own transaction, before it writes anything,
// so a repeated or parallel submission with the same key makes no second
// record and learns which record the first one made. On SQLite the write
// pool's BEGIN IMMEDIATE puts the second submission after the first; on
// PostgreSQL its INSERT waits on the first's uncommitted row and then finds
// it. Either way a crash leaves both the key and the record, or neither.

// IdempotencyTTL is how long a key is honoured. Older keys of the same user
// are deleted when that user next claims one, so a key reused after a day
// makes a new record.
const IdempotencyTTL = 24 * time.Hour

type idempotencyCtxKey struct{}

// WithIdempotencyKey returns a context whose create is idempotent under key.
// The key must satisfy ValidIdempotencyKey; an empty key means none. One key
// names one record: a second, different create under the same key (say, a
// handler that makes two things) is refused with ErrKeyReused.
func WithIdempotencyKey(ctx context.Context, key string) context.Context {
	return context.WithValue(ctx, idempotencyCtxKey{}, key)
}

func idempotencyKey(ctx context.Context) string {
	k, _ := ctx.Value(idempotencyCtxKey{}).(string)
	return k
}

// ValidIdempotencyKey reports whether key can be used: 16 to 128 letters,
// digits, hyphens and underscores (crypto/rand.Text and UUIDs both fit).
func ValidIdempotencyKey(key string) bool {
	if len(key) < 16 || len(key) > 128 {
		return false
	}
	for _, c := range []byte(key) {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_':
		default:
			return false
		}
	}
	return true
}

// Duplicate is the error a create returns when its idempotency key was
// already used for the same kind of record on the same target: nothing new
// was written, and ID and Ref name the record the first request made. It is
// a conflict, so a caller that does not look for it still answers 409.
type Duplicate struct {
	Kind string // what the first request created, e.g. KindPerson
	ID   int64  // its ID, where it has one
	Ref  string // its public reference, where it has one
}

func (d *Duplicate) Error() string { return "This was already saved." }

// Unwrap makes a Duplicate a conflict for haven.KindOf and errors.Is.
func (d *Duplicate) Unwrap() error {
	return haven.Errorf(haven.KindConflict, "This was already saved. Go back to the record to see it.")
}

// ErrKeyReused is returned when a key comes back for a different kind of
// record or a different target: the request is not a repeat, so it is refused.
var ErrKeyReused = haven.Errorf(haven.KindConflict,
	"This form was already sent with different details. Open the form again to send something new.")

// The kinds of record a key can make.
const (
	KindPerson           = "person"
	KindPersonAround     = "person-around"
	KindBreakGlass       = "break-glass"
	KindEnrolment        = "enrolment"
	KindGoal             = "goal"
	KindGoalReview       = "goal-review"
	KindContraception    = "contraception"
	KindPregnancy        = "pregnancy"
	KindTransfer         = "transfer"
	KindAgency           = "agency"
	KindReferralOut      = "referral-out"
	KindReferral         = "referral"
	KindSession          = "session"
	KindSessionCorrected = "session-correction"
	KindAccount          = "account"
	KindAPIToken         = "api-token"
)

// claim says whose key it is and what the create makes.
type claim struct {
	user   int64  // whose key: 0 for the public forms and API
	kind   string // one of the Kind constants
	target string // what the record is made on, e.g. a person's ID
}

// onPerson is the claim for a record made on a person's record.
func onPerson(user int64, kind string, personID int64) claim {
	return claim{user: user, kind: kind, target: "person:" + strconv.FormatInt(personID, 10)}
}

// Claimed returns the record that the idempotency key in ctx already made
// for user on a person, or nil if it made none. It is for handlers that would
// refuse a repeat before it reached the create: once the glass is broken, a
// second break-glass is not allowed, but a repeat of the first should still
// go where the first went.
func (db *DB) Claimed(ctx context.Context, user int64, kind string, personID int64) (*Duplicate, error) {
	key := idempotencyKey(ctx)
	if key == "" {
		return nil, nil
	}
	c := onPerson(user, kind, personID)
	d := &Duplicate{}
	var target string
	err := db.read.QueryRowContext(ctx, `SELECT kind, target, record_id, record_ref FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND created_at >= $3`,
		user, key, db.now().Add(-IdempotencyTTL)).Scan(&d.Kind, &target, &d.ID, &d.Ref)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && (d.Kind != c.kind || target != c.target)) {
		return nil, nil
	}
	if err != nil {
		return nil, db.dialect.translate(err)
	}
	return d, nil
}

// fingerprint stands for a request's content without keeping it.
func fingerprint(parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return "sha256:" + hex.EncodeToString(sum[:16])
}

// createTx runs fn, a create, in a write transaction. fn returns the ID and
// reference of what it made. With an idempotency key in ctx the key is
// claimed first: if it was already claimed, fn does not run and the result
// is a *Duplicate (or ErrKeyReused); if fn fails, the claim goes too, so a
// rejected form can be corrected and sent again with the same key.
func (db *DB) createTx(ctx context.Context, c claim, fn func(tx *sql.Tx) (id int64, ref string, err error)) error {
	key := idempotencyKey(ctx)
	if key == "" {
		return db.inTx(ctx, func(tx *sql.Tx) error {
			_, _, err := fn(tx)
			return err
		})
	}
	if !ValidIdempotencyKey(key) {
		return haven.Errorf(haven.KindInvalid, "The idempotency key must be 16 to 128 letters, digits, hyphens or underscores.")
	}
	now := db.now()
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM idempotency_keys WHERE user_id = $1 AND created_at < $2`, c.user, now.Add(-IdempotencyTTL)); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO idempotency_keys (user_id, key, kind, target, created_at) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (user_id, key) DO NOTHING`, c.user, key, c.kind, c.target, now)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			d := &Duplicate{}
			var target string
			if err := tx.QueryRowContext(ctx, `SELECT kind, target, record_id, record_ref FROM idempotency_keys WHERE user_id = $1 AND key = $2`,
				c.user, key).Scan(&d.Kind, &target, &d.ID, &d.Ref); err != nil {
				return err
			}
			if d.Kind != c.kind || target != c.target {
				return ErrKeyReused
			}
			return d
		}
		id, ref, err := fn(tx)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE idempotency_keys SET record_id = $1, record_ref = $2 WHERE user_id = $3 AND key = $4`, id, ref, c.user, key)
		return err
	})
}
