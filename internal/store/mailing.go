package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"

	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/mailing"
)

// The community of practice mailing list (issue 21 item 6). The rules are
// mailing's; this file keeps the rows. Addresses never go into the audit
// trail: its rows name the subscriber by number.

// MailingTokens are the hashes of the two tokens a confirmation carries;
// the caller keeps the raw tokens for the links and the store keeps these.
type MailingTokens struct{ ConfirmHash, UnsubscribeHash string }

const subscriberColumns = `id, state, confirm_sent_at, confirm_expires_at, created_at, confirmed_at, unsubscribed_at`

func scanSubscriber(r interface{ Scan(...any) error }) (mailing.Subscriber, error) {
	var s mailing.Subscriber
	var state string
	var confirmed, unsub sql.NullTime
	err := r.Scan(&s.ID, &state, &s.ConfirmSentAt, &s.ConfirmExpires, &s.CreatedAt, &confirmed, &unsub)
	s.State, s.ConfirmedAt, s.UnsubscribedAt = mailing.State(state), confirmed.Time, unsub.Time
	return s, err
}

func subscriberEvent(ev audit.Event, action audit.Action, id int64) audit.Event {
	ev.Action, ev.RecordType, ev.RecordID = action, "mailing-subscriber", strconv.FormatInt(id, 10)
	return ev
}

// MailingSubscribe applies a subscribe request for address (already
// normalised). It reports whether a confirmation carrying tok's tokens is
// to be sent; when it is not, tok was not stored and its links would not
// work. Asking twice leaves one row.
func (db *DB) MailingSubscribe(ctx context.Context, ev audit.Event, address string, tok MailingTokens) (send bool, err error) {
	now := db.now()
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		send = false
		sub, err := scanSubscriber(tx.QueryRowContext(ctx, `SELECT `+subscriberColumns+` FROM mailing_subscribers WHERE address = $1`, address))
		found := err == nil
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		d := mailing.DecideSubscribe(sub, found, now)
		switch {
		case !found:
			// Two requests at once for a new address: the second finds the
			// first's row through the conflict and sends nothing.
			err := tx.QueryRowContext(ctx, `INSERT INTO mailing_subscribers (address, state, confirm_hash, confirm_sent_at, confirm_expires_at, created_at)
				VALUES ($1, 'pending', $2, $3, $4, $3) ON CONFLICT (address) DO NOTHING RETURNING id`,
				address, tok.ConfirmHash, now, now.Add(mailing.ConfirmTTL)).Scan(&sub.ID)
			if errors.Is(err, sql.ErrNoRows) {
				return nil
			}
			if err != nil {
				return err
			}
			if err := db.addUnsubscribeToken(ctx, tx, sub.ID, tok.UnsubscribeHash, now); err != nil {
				return err
			}
			send = true
			return db.appendAudit(ctx, tx, subscriberEvent(ev, audit.Create, sub.ID))
		case d.SendConfirmation:
			if _, err := tx.ExecContext(ctx, `UPDATE mailing_subscribers SET state = $1, confirm_hash = $2, confirm_sent_at = $3, confirm_expires_at = $4
				WHERE id = $5`, string(d.State), tok.ConfirmHash, now, now.Add(mailing.ConfirmTTL), sub.ID); err != nil {
				return err
			}
			if err := db.addUnsubscribeToken(ctx, tx, sub.ID, tok.UnsubscribeHash, now); err != nil {
				return err
			}
			send = true
			return db.appendAudit(ctx, tx, subscriberEvent(ev, audit.Update, sub.ID))
		case d.State != sub.State:
			if _, err := tx.ExecContext(ctx, `UPDATE mailing_subscribers SET state = $1 WHERE id = $2`, string(d.State), sub.ID); err != nil {
				return err
			}
			return db.appendAudit(ctx, tx, subscriberEvent(ev, audit.Update, sub.ID))
		}
		return nil // nothing changes: no row, no audit, no message
	})
	return send, db.dialect.translate(err)
}

func (db *DB) addUnsubscribeToken(ctx context.Context, tx *sql.Tx, id int64, hash string, now time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO mailing_unsubscribe_tokens (token_hash, subscriber_id, created_at) VALUES ($1, $2, $3)`, hash, id, now)
	return err
}

// MailingByConfirmHash is the subscriber a confirmation link names, for the
// page that asks them to press the button.
func (db *DB) MailingByConfirmHash(ctx context.Context, hash string) (mailing.Subscriber, error) {
	sub, err := scanSubscriber(db.read.QueryRowContext(ctx, `SELECT `+subscriberColumns+` FROM mailing_subscribers WHERE confirm_hash = $1`, hash))
	if errors.Is(err, sql.ErrNoRows) {
		return sub, haven.ErrNotFound
	}
	return sub, db.dialect.translate(err)
}

// MailingConfirm follows a confirmation link. Confirming twice confirms once:
// the second answer is ConfirmAlready.
func (db *DB) MailingConfirm(ctx context.Context, ev audit.Event, hash string) (mailing.ConfirmResult, error) {
	now := db.now()
	var res mailing.ConfirmResult
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		sub, err := scanSubscriber(tx.QueryRowContext(ctx, `SELECT `+subscriberColumns+` FROM mailing_subscribers WHERE confirm_hash = $1`, hash))
		if errors.Is(err, sql.ErrNoRows) {
			return haven.ErrNotFound
		}
		if err != nil {
			return err
		}
		if res = mailing.DecideConfirm(sub, now); res != mailing.ConfirmDone {
			return nil
		}
		r, err := tx.ExecContext(ctx, `UPDATE mailing_subscribers SET state = 'confirmed', confirmed_at = $1 WHERE id = $2 AND state = 'pending'`, now, sub.ID)
		if err != nil {
			return err
		}
		if n, err := r.RowsAffected(); err != nil || n == 0 {
			res = mailing.ConfirmAlready // another request got there first
			return err
		}
		return db.appendAudit(ctx, tx, subscriberEvent(ev, audit.Update, sub.ID))
	})
	return res, db.dialect.translate(err)
}

// MailingKnownUnsubscribe says whether an unsubscribe link is one Haven sent.
func (db *DB) MailingKnownUnsubscribe(ctx context.Context, hash string) (bool, error) {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM mailing_unsubscribe_tokens WHERE token_hash = $1`, hash).Scan(&n)
	return n > 0, db.dialect.translate(err)
}

// MailingUnsubscribe follows an unsubscribe link, from any message the
// address was ever sent. Unsubscribing twice keeps the first time.
func (db *DB) MailingUnsubscribe(ctx context.Context, ev audit.Event, hash string) (mailing.UnsubscribeResult, error) {
	now := db.now()
	var res mailing.UnsubscribeResult
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		sub, err := scanSubscriber(tx.QueryRowContext(ctx, `SELECT s.id, s.state, s.confirm_sent_at, s.confirm_expires_at, s.created_at, s.confirmed_at, s.unsubscribed_at
			FROM mailing_unsubscribe_tokens t JOIN mailing_subscribers s ON s.id = t.subscriber_id WHERE t.token_hash = $1`, hash))
		if errors.Is(err, sql.ErrNoRows) {
			return haven.ErrNotFound
		}
		if err != nil {
			return err
		}
		if res = mailing.DecideUnsubscribe(sub); res != mailing.UnsubscribeDone {
			return nil
		}
		r, err := tx.ExecContext(ctx, `UPDATE mailing_subscribers SET state = 'unsubscribed', unsubscribed_at = $1 WHERE id = $2 AND state <> 'unsubscribed'`, now, sub.ID)
		if err != nil {
			return err
		}
		if n, err := r.RowsAffected(); err != nil || n == 0 {
			res = mailing.UnsubscribeAlready
			return err
		}
		return db.appendAudit(ctx, tx, subscriberEvent(ev, audit.Update, sub.ID))
	})
	return res, db.dialect.translate(err)
}

// MailingConfirmedCount is how many addresses a message would go to.
func (db *DB) MailingConfirmedCount(ctx context.Context) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM mailing_subscribers WHERE state = 'confirmed'`).Scan(&n)
	return n, db.dialect.translate(err)
}

// MailingSend is one message an editor sent to the list: what and to how
// many, never to whom.
type MailingSend struct {
	ID                int64
	Subject, Body     string
	Resources, Events int
	Recipients        int
	Sent, Failed      int
	CreatedBy         int64
	CreatedAt         time.Time
	FinishedAt        time.Time
}

// KindMailingSend is the idempotency kind of a send, so that a form sent
// twice sends the message once.
const KindMailingSend = "mailing-send"

// MailingRecipient is one confirmed subscriber a send goes to. Its Address
// is for the envelope only: it is never logged, audited or shown.
type MailingRecipient struct {
	SubscriberID int64
	Address      string
}

// MailingStartSend records a send and returns the confirmed subscribers at
// that moment, each to get their own copy.
func (db *DB) MailingStartSend(ctx context.Context, ev audit.Event, s MailingSend) (MailingSend, []MailingRecipient, error) {
	s.CreatedAt, s.CreatedBy = db.now(), ev.UserID
	var to []MailingRecipient
	err := db.createTx(ctx, claim{user: ev.UserID, kind: KindMailingSend}, func(tx *sql.Tx) (int64, string, error) {
		rows, err := tx.QueryContext(ctx, `SELECT id, address FROM mailing_subscribers WHERE state = 'confirmed' ORDER BY id`)
		if err != nil {
			return 0, "", err
		}
		to = to[:0]
		for rows.Next() {
			var r MailingRecipient
			if err := rows.Scan(&r.SubscriberID, &r.Address); err != nil {
				rows.Close()
				return 0, "", err
			}
			to = append(to, r)
		}
		if err := errors.Join(rows.Err(), rows.Close()); err != nil {
			return 0, "", err
		}
		s.Recipients = len(to)
		if err := tx.QueryRowContext(ctx, `INSERT INTO mailing_sends (subject, body, resources, events, recipients, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, s.Subject, s.Body, s.Resources, s.Events, s.Recipients, nullID(s.CreatedBy), s.CreatedAt).Scan(&s.ID); err != nil {
			return 0, "", err
		}
		ev.Action, ev.RecordType, ev.RecordID = audit.Create, "mailing-send", strconv.FormatInt(s.ID, 10)
		return s.ID, strconv.FormatInt(s.ID, 10), db.appendAudit(ctx, tx, ev)
	})
	if err != nil {
		return s, nil, err
	}
	return s, to, nil
}

// MailingUnsubscribeToken stores the hash of a fresh unsubscribe token for
// one message to one subscriber, if they are still confirmed: someone who
// left while a send was under way gets nothing more (haven.ErrNotFound).
func (db *DB) MailingUnsubscribeToken(ctx context.Context, subscriberID int64, hash string) error {
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		r, err := tx.ExecContext(ctx, `INSERT INTO mailing_unsubscribe_tokens (token_hash, subscriber_id, created_at)
			SELECT $1, id, $2 FROM mailing_subscribers WHERE id = $3 AND state = 'confirmed'`, hash, db.now(), subscriberID)
		if err != nil {
			return err
		}
		if n, err := r.RowsAffected(); err != nil || n == 0 {
			return errors.Join(err, haven.ErrNotFound)
		}
		return nil
	})
	return db.dialect.translate(err)
}

// MailingFinishSend records how a send went.
func (db *DB) MailingFinishSend(ctx context.Context, id int64, sent, failed int) error {
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE mailing_sends SET sent = $1, failed = $2, finished_at = $3 WHERE id = $4`, sent, failed, db.now(), id)
		return err
	})
	return db.dialect.translate(err)
}

// MailingSends are the latest sends, newest first.
func (db *DB) MailingSends(ctx context.Context, limit int) ([]MailingSend, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, subject, body, resources, events, recipients, sent, failed, COALESCE(created_by, 0), created_at, finished_at
		FROM mailing_sends ORDER BY created_at DESC, id DESC LIMIT $1`, limit)
	return collect(db, rows, err, func(r *sql.Rows) (MailingSend, error) {
		var s MailingSend
		var fin sql.NullTime
		err := r.Scan(&s.ID, &s.Subject, &s.Body, &s.Resources, &s.Events, &s.Recipients, &s.Sent, &s.Failed, &s.CreatedBy, &s.CreatedAt, &fin)
		s.FinishedAt = fin.Time
		return s, err
	})
}

// MailingSendByID is one send.
func (db *DB) MailingSendByID(ctx context.Context, id int64) (MailingSend, error) {
	var s MailingSend
	var fin sql.NullTime
	err := db.read.QueryRowContext(ctx, `SELECT id, subject, body, resources, events, recipients, sent, failed, COALESCE(created_by, 0), created_at, finished_at
		FROM mailing_sends WHERE id = $1`, id).Scan(&s.ID, &s.Subject, &s.Body, &s.Resources, &s.Events, &s.Recipients, &s.Sent, &s.Failed, &s.CreatedBy, &s.CreatedAt, &fin)
	s.FinishedAt = fin.Time
	if errors.Is(err, sql.ErrNoRows) {
		return s, haven.ErrNotFound
	}
	return s, db.dialect.translate(err)
}
