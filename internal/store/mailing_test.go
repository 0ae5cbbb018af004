package store_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/mailing"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// Subscribing twice, confirming twice and unsubscribing twice each leave one
// correct state (issue 21 acceptance); an unconfirmed address is never a
// recipient; the audit trail names subscribers by number, never address.
func TestMailingListTwiceRules(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
		db.SetClock(func() time.Time { return now })
		ev := audit.Event{RequestID: "test"}
		const addr = "ann.lee@example.org"
		tok := func(n string) store.MailingTokens {
			return store.MailingTokens{ConfirmHash: "confirm-" + n, UnsubscribeHash: "unsub-" + n}
		}

		// Subscribe twice at once: one pending row, one confirmation.
		if send, err := db.MailingSubscribe(ctx, ev, addr, tok("1")); err != nil || !send {
			t.Fatalf("first subscribe: send %v, %v", send, err)
		}
		if send, err := db.MailingSubscribe(ctx, ev, addr, tok("2")); err != nil || send {
			t.Fatalf("second subscribe: send %v, %v", send, err)
		}
		if _, err := db.MailingByConfirmHash(ctx, "confirm-2"); !errors.Is(err, haven.ErrNotFound) {
			t.Errorf("an unsent token was stored: %v", err)
		}
		sub, err := db.MailingByConfirmHash(ctx, "confirm-1")
		if err != nil || sub.State != mailing.Pending {
			t.Fatalf("after two subscribes %+v, %v", sub, err)
		}
		// Pending: no message goes to it.
		if _, to, err := db.MailingStartSend(ctx, ev, store.MailingSend{Subject: "S", Body: "B"}); err != nil || len(to) != 0 {
			t.Fatalf("a pending address is a recipient: %+v, %v", to, err)
		}
		if err := db.MailingUnsubscribeToken(ctx, sub.ID, "unsub-x"); !errors.Is(err, haven.ErrNotFound) {
			t.Errorf("a token for a pending address: %v", err)
		}

		// After the interval a fresh confirmation replaces the first.
		now = now.Add(mailing.ResendInterval)
		if send, err := db.MailingSubscribe(ctx, ev, addr, tok("3")); err != nil || !send {
			t.Fatalf("later subscribe: send %v, %v", send, err)
		}
		if _, err := db.MailingConfirm(ctx, ev, "confirm-1"); !errors.Is(err, haven.ErrNotFound) {
			t.Errorf("the replaced link still works: %v", err)
		}

		// Confirm twice: confirmed once, then "already".
		if res, err := db.MailingConfirm(ctx, ev, "confirm-3"); err != nil || res != mailing.ConfirmDone {
			t.Fatalf("confirm: %v, %v", res, err)
		}
		if res, err := db.MailingConfirm(ctx, ev, "confirm-3"); err != nil || res != mailing.ConfirmAlready {
			t.Fatalf("confirm again: %v, %v", res, err)
		}
		if n, err := db.MailingConfirmedCount(ctx); err != nil || n != 1 {
			t.Fatalf("confirmed count %d, %v", n, err)
		}
		// Subscribing when confirmed sends nothing and changes nothing.
		if send, err := db.MailingSubscribe(ctx, ev, addr, tok("4")); err != nil || send {
			t.Fatalf("subscribe when confirmed: %v, %v", send, err)
		}
		s, to, err := db.MailingStartSend(ctx, ev, store.MailingSend{Subject: "News", Body: "Hello", Resources: 2})
		if err != nil || len(to) != 1 || to[0].Address != addr || s.Recipients != 1 {
			t.Fatalf("send to %+v (%+v), %v", to, s, err)
		}
		if err := db.MailingUnsubscribeToken(ctx, to[0].SubscriberID, "unsub-msg"); err != nil {
			t.Fatal(err)
		}
		if err := db.MailingFinishSend(ctx, s.ID, 1, 0); err != nil {
			t.Fatal(err)
		}
		sends, err := db.MailingSends(ctx, 10)
		if err != nil || len(sends) != 2 || sends[0].ID != s.ID || sends[0].Sent != 1 || sends[0].FinishedAt.IsZero() || sends[0].Resources != 2 {
			t.Fatalf("sends %+v, %v", sends, err)
		}

		// Unsubscribe twice, from the message's link and then the
		// confirmation's: unsubscribed once.
		if ok, err := db.MailingKnownUnsubscribe(ctx, "unsub-msg"); err != nil || !ok {
			t.Fatalf("known %v, %v", ok, err)
		}
		if res, err := db.MailingUnsubscribe(ctx, ev, "unsub-msg"); err != nil || res != mailing.UnsubscribeDone {
			t.Fatalf("unsubscribe: %v, %v", res, err)
		}
		now = now.Add(time.Hour)
		if res, err := db.MailingUnsubscribe(ctx, ev, "unsub-3"); err != nil || res != mailing.UnsubscribeAlready {
			t.Fatalf("unsubscribe again: %v, %v", res, err)
		}
		if _, err := db.MailingUnsubscribe(ctx, ev, "unsub-nope"); !errors.Is(err, haven.ErrNotFound) {
			t.Errorf("unknown token: %v", err)
		}
		sub, _ = db.MailingByConfirmHash(ctx, "confirm-3")
		if sub.State != mailing.Unsubscribed || !sub.UnsubscribedAt.Equal(now.Add(-time.Hour)) {
			t.Errorf("after two unsubscribes %+v", sub)
		}
		// The old confirmation link does not bring them back.
		if res, err := db.MailingConfirm(ctx, ev, "confirm-3"); err != nil || res != mailing.ConfirmNotActive {
			t.Errorf("old confirmation after unsubscribing: %v, %v", res, err)
		}
		if _, to, _ := db.MailingStartSend(ctx, ev, store.MailingSend{Subject: "S", Body: "B"}); len(to) != 0 {
			t.Errorf("an unsubscribed address is a recipient: %+v", to)
		}
		// Coming back is a fresh opt-in.
		if send, err := db.MailingSubscribe(ctx, ev, addr, tok("5")); err != nil || !send {
			t.Fatalf("resubscribe: %v, %v", send, err)
		}
		if sub, _ := db.MailingByConfirmHash(ctx, "confirm-5"); sub.State != mailing.Pending {
			t.Errorf("resubscribed %+v", sub)
		}

		// An expired link does not confirm.
		if send, _ := db.MailingSubscribe(ctx, ev, "bo@example.org", tok("6")); !send {
			t.Fatal("bo not sent")
		}
		now = now.Add(mailing.ConfirmTTL)
		if res, err := db.MailingConfirm(ctx, ev, "confirm-6"); err != nil || res != mailing.ConfirmExpired {
			t.Errorf("expired: %v, %v", res, err)
		}

		events, err := db.SearchAudit(ctx, store.AuditFilter{RecordType: "mailing-subscriber"})
		if err != nil || len(events) < 6 {
			t.Fatalf("audit %d events, %v", len(events), err)
		}
		for _, e := range events {
			if strings.Contains(e.RecordID, "@") || e.RecordID == "" {
				t.Errorf("audit row %+v", e)
			}
		}
	})
}
