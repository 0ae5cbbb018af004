package store_test

import (
	"context"
	"crypto/rand"
	"errors"
	"sync"
	"testing"
	"time"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/programme"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// idemCase is one kind of create: make creates it as user, and table is
// where its rows go. repeatable says whether two different keys may make two;
// creates that may not (one open enrolment, say) are made on a new person
// for each key.
type idemCase struct {
	name       string
	table      string
	repeatable bool
	make       func(ctx context.Context, user int64) (int64, error)
}

func idemCases(t *testing.T, db *store.DB) ([]idemCase, staffSet, func()) {
	t.Helper()
	ctx := t.Context()
	s := seedStaff(t, db)
	person := func() programme.Person {
		p, err := db.CreatePerson(ctx, audit.Event{}, s.leadA, programme.Person{PracticeID: s.practiceA, PractitionerID: s.pracA.User.ID, FirstName: "Idem", LastName: "Testcase"})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	p := person()
	fresh := person() // changed by next for the creates that happen once per person
	email := "new.1@example.org"
	next := func() { fresh, email = person(), "new.2@example.org" }
	agency, err := db.CreateAgency(ctx, audit.Event{}, programme.Agency{PracticeID: s.practiceA, Name: "Housing Trust", Kind: "housing"})
	if err != nil {
		t.Fatal(err)
	}
	goal, err := db.CreateGoal(ctx, audit.Event{}, programme.Goal{PersonID: p.ID, Domain: programme.DomainHousing, Words: "A flat", Progress: programme.NotStarted}, 0, haven.Date{})
	if err != nil {
		t.Fatal(err)
	}
	sess, err := db.RecordSession(ctx, audit.Event{}, aSession(p.ID, s.pracA.User.ID, sessionToday, "First visit."), sessionToday, false)
	if err != nil {
		t.Fatal(err)
	}
	ev := func(user int64) audit.Event { return audit.Event{UserID: user} }
	id := func(err error) (int64, error) { return 0, err }
	return []idemCase{
		{"person", "people", true, func(ctx context.Context, u int64) (int64, error) {
			q, err := db.CreatePerson(ctx, ev(u), s.leadA, programme.Person{PracticeID: s.practiceA, FirstName: "Robin", LastName: "Testcase"})
			return q.ID, err
		}},
		{"person around", "people_around", true, func(ctx context.Context, u int64) (int64, error) {
			return id(db.AddPersonAround(ctx, ev(u), p.ID, programme.PersonAround{Name: "Sam", Relationship: "Sister"}))
		}},
		{"break glass", "break_glass", true, func(ctx context.Context, u int64) (int64, error) {
			_, err := db.BreakGlass(ctx, ev(u), p.ID, u, "Out-of-hours safeguarding call")
			return 0, err
		}},
		{"enrolment", "enrolments", false, func(ctx context.Context, u int64) (int64, error) {
			e, err := db.StartEnrolment(ctx, ev(u), fresh, sessionToday)
			return e.ID, err
		}},
		{"goal", "goals", true, func(ctx context.Context, u int64) (int64, error) {
			g, err := db.CreateGoal(ctx, ev(u), programme.Goal{PersonID: p.ID, Domain: programme.DomainMoney, Words: "Pay the rent", Progress: programme.NotStarted}, u, haven.Date{})
			return g.ID, err
		}},
		{"goal review", "goal_reviews", false, func(ctx context.Context, u int64) (int64, error) {
			return id(db.ReviewGoal(ctx, ev(u), goal, programme.Review{On: sessionToday, Note: "Going well", Progress: programme.NotStarted}, 1, sessionToday))
		}},
		{"session", "support_sessions", true, func(ctx context.Context, u int64) (int64, error) {
			x, err := db.RecordSession(ctx, ev(u), aSession(p.ID, s.pracA.User.ID, sessionToday, "A visit."), sessionToday, true)
			return x.ID, err
		}},
		{"session correction", "session_corrections", false, func(ctx context.Context, u int64) (int64, error) {
			return id(db.CorrectSession(ctx, ev(u), p.ID, sess.ID, 1, "First visit, at home.", "Place left out", s.pracA.User.ID))
		}},
		{"pregnancy", "pregnancies", true, func(ctx context.Context, u int64) (int64, error) {
			return id(db.AddPregnancy(ctx, ev(u), p.ID, programme.Pregnancy{KnownOn: sessionToday}, u, sessionToday))
		}},
		{"contraception", "contraception", false, func(ctx context.Context, u int64) (int64, error) {
			return id(db.SaveContraception(ctx, ev(u), fresh.ID, programme.Contraception{Method: programme.MethodImplant}, 0, u))
		}},
		{"transfer", "transfers", false, func(ctx context.Context, u int64) (int64, error) {
			return id(db.RequestTransfer(ctx, ev(u), fresh, s.practiceB, "Moving to Kent", u))
		}},
		{"agency", "agencies", true, func(ctx context.Context, u int64) (int64, error) {
			a, err := db.CreateAgency(ctx, ev(u), programme.Agency{PracticeID: s.practiceA, Name: "Food bank", Kind: "money"})
			return a.ID, err
		}},
		{"referral out", "referrals_out", true, func(ctx context.Context, u int64) (int64, error) {
			r, err := db.SendReferralOut(ctx, ev(u), p, agency.ID, "Needs housing advice", sessionToday)
			return r.ID, err
		}},
		{"staff referral", "referrals", true, func(ctx context.Context, u int64) (int64, error) {
			r := selfReferral("Jo", "LS1")
			r.PracticeID = s.practiceA
			r, err := db.CreateReferral(ctx, ev(u), s.leadA, r)
			return r.ID, err
		}},
		{"account", "users", false, func(ctx context.Context, u int64) (int64, error) {
			a, err := db.CreateAccount(ctx, ev(u), access.User{Email: email, DisplayName: "New Starter"}, nil)
			return a.ID, err
		}},
		{"API token", "api_tokens", true, func(ctx context.Context, u int64) (int64, error) {
			return db.CreateAPIToken(ctx, ev(u), u, "Export", rand.Text(), time.Now().Add(time.Hour))
		}},
	}, s, next
}

// R6: a repeated or parallel create with one key makes one record, and every
// repeat names it; another key, or another user's same key, makes another.
func TestR6IdempotentCreates(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		cases, s, next := idemCases(t, db)
		user, other := s.pracA.User.ID, s.coordA.User.ID
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				ctx := t.Context()
				count := func() int {
					n, err := db.CountRows(ctx, tc.table)
					if err != nil {
						t.Fatal(err)
					}
					return n
				}
				before := count()
				key := rand.Text()
				kctx := store.WithIdempotencyKey(ctx, key)
				first, err := tc.make(kctx, user)
				if err != nil {
					t.Fatalf("first create: %v", err)
				}
				for i := range 2 {
					_, err := tc.make(kctx, user)
					d, ok := errors.AsType[*store.Duplicate](err)
					if !ok {
						t.Fatalf("repeat %d: err = %v, want *store.Duplicate", i, err)
					}
					if first != 0 && d.ID != first {
						t.Errorf("repeat %d names %d, want %d", i, d.ID, first)
					}
					if !errors.Is(err, haven.ErrConflict) {
						t.Error("a Duplicate is not a conflict for callers that do not look for it")
					}
				}
				if got := count() - before; got != 1 {
					t.Fatalf("sequential repeats made %d rows, want 1", got)
				}

				// Parallel: one goroutine makes it, the rest are told it exists.
				next()
				before = count()
				pctx := store.WithIdempotencyKey(ctx, rand.Text())
				var wg sync.WaitGroup
				errs := make([]error, 6)
				ids := make([]int64, 6)
				for i := range errs {
					wg.Go(func() { ids[i], errs[i] = tc.make(pctx, user) })
				}
				wg.Wait()
				made, winner := 0, int64(0)
				for i, err := range errs {
					if err == nil {
						made, winner = made+1, ids[i]
					} else if _, ok := errors.AsType[*store.Duplicate](err); !ok && tc.repeatable {
						t.Errorf("parallel create %d: %v", i, err)
					}
				}
				if tc.repeatable {
					if made != 1 || count()-before != 1 {
						t.Fatalf("parallel: %d succeeded and %d rows made, want 1 and 1", made, count()-before)
					}
					for i, err := range errs {
						if d, ok := errors.AsType[*store.Duplicate](err); ok && winner != 0 && d.ID != winner {
							t.Errorf("parallel repeat %d names %d, want %d", i, d.ID, winner)
						}
					}
				} else if count()-before > 1 {
					t.Fatalf("parallel: %d rows made", count()-before)
				}
				if !tc.repeatable {
					return
				}
				// Another key, or the same key from another user, is a new request.
				before = count()
				if _, err := tc.make(store.WithIdempotencyKey(ctx, rand.Text()), user); err != nil {
					t.Fatalf("fresh key: %v", err)
				}
				if _, err := tc.make(kctx, other); err != nil {
					t.Fatalf("same key, other user: %v", err)
				}
				if got := count() - before; got != 2 {
					t.Errorf("two new requests made %d rows, want 2", got)
				}
			})
		}
	})
}

// A create that fails leaves its key unclaimed, a key replayed for another
// target is refused, a public key must come back with the same referral, and
// keys lapse after IdempotencyTTL.
func TestR6IdempotencyEdges(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s := seedStaff(t, db)
		ev := audit.Event{UserID: s.leadA.User.ID}
		p, err := db.CreatePerson(ctx, audit.Event{}, s.leadA, programme.Person{PracticeID: s.practiceA, FirstName: "Edge", LastName: "Testcase"})
		if err != nil {
			t.Fatal(err)
		}
		q, err := db.CreatePerson(ctx, audit.Event{}, s.leadA, programme.Person{PracticeID: s.practiceA, FirstName: "Other", LastName: "Testcase"})
		if err != nil {
			t.Fatal(err)
		}
		goal := func(personID int64, words string) programme.Goal {
			return programme.Goal{PersonID: personID, Domain: programme.DomainHousing, Words: words, Progress: programme.NotStarted}
		}
		now := time.Now().UTC()
		db.SetClock(func() time.Time { return now })

		t.Run("failure does not burn the key", func(t *testing.T) {
			kctx := store.WithIdempotencyKey(ctx, rand.Text())
			if _, err := db.CreateGoal(kctx, ev, goal(p.ID, ""), 0, haven.Date{}); !errors.Is(err, haven.ErrInvalid) {
				t.Fatalf("empty goal: %v", err)
			}
			// Refused inside the transaction, after the key was claimed.
			bad := programme.Person{PracticeID: s.practiceA, PractitionerID: s.pracB.User.ID, FirstName: "X", LastName: "Y"}
			if _, err := db.CreatePerson(kctx, ev, s.leadA, bad); !errors.Is(err, haven.ErrInvalid) {
				t.Fatalf("practitioner elsewhere: %v", err)
			}
			if _, err := db.CreatePerson(kctx, ev, s.leadA, programme.Person{PracticeID: s.practiceA, FirstName: "X", LastName: "Y"}); err != nil {
				t.Fatalf("corrected person: %v", err)
			}
		})
		t.Run("another target is refused", func(t *testing.T) {
			kctx := store.WithIdempotencyKey(ctx, rand.Text())
			if _, err := db.CreateGoal(kctx, ev, goal(p.ID, "A flat"), 0, haven.Date{}); err != nil {
				t.Fatal(err)
			}
			for name, f := range map[string]func() error{
				"another person": func() error { _, err := db.CreateGoal(kctx, ev, goal(q.ID, "A flat"), 0, haven.Date{}); return err },
				"another kind": func() error {
					return db.AddPersonAround(kctx, ev, p.ID, programme.PersonAround{Name: "Sam", Relationship: "Sister"})
				},
			} {
				if err := f(); !errors.Is(err, store.ErrKeyReused) {
					t.Errorf("%s: err = %v, want ErrKeyReused", name, err)
				}
			}
		})
		t.Run("public referral", func(t *testing.T) {
			kctx := store.WithIdempotencyKey(ctx, rand.Text())
			first, err := db.CreateReferral(kctx, audit.Event{}, nil, selfReferral("Jo", "LS1"))
			if err != nil {
				t.Fatal(err)
			}
			_, err = db.CreateReferral(kctx, audit.Event{}, nil, selfReferral("Jo", "LS1"))
			if d, ok := errors.AsType[*store.Duplicate](err); !ok || d.Ref != first.Ref {
				t.Errorf("repeat: %v, want the first reference %s", err, first.Ref)
			}
			// Someone else who learns or guesses the key learns nothing.
			if _, err := db.CreateReferral(kctx, audit.Event{}, nil, selfReferral("Alex", "LS1")); !errors.Is(err, store.ErrKeyReused) {
				t.Errorf("same key, another woman: %v", err)
			}
		})
		t.Run("an invitation repeats only for the same address", func(t *testing.T) {
			kctx := store.WithIdempotencyKey(ctx, rand.Text())
			if _, err := db.CreateAccount(kctx, ev, access.User{Email: "first@example.org", DisplayName: "First"}, nil); err != nil {
				t.Fatal(err)
			}
			if _, err := db.CreateAccount(kctx, ev, access.User{Email: "second@example.org", DisplayName: "Second"}, nil); !errors.Is(err, store.ErrKeyReused) {
				t.Errorf("same key, another address: %v", err)
			}
		})
		t.Run("keys lapse", func(t *testing.T) {
			kctx := store.WithIdempotencyKey(ctx, rand.Text())
			if _, err := db.CreateGoal(kctx, ev, goal(p.ID, "Work"), 0, haven.Date{}); err != nil {
				t.Fatal(err)
			}
			now = now.Add(store.IdempotencyTTL - time.Minute)
			if _, err := db.CreateGoal(kctx, ev, goal(p.ID, "Work"), 0, haven.Date{}); !errors.Is(err, haven.ErrConflict) {
				t.Fatalf("repeat within the day: %v", err)
			}
			now = now.Add(2 * time.Minute)
			if _, err := db.CreateGoal(kctx, ev, goal(p.ID, "Work"), 0, haven.Date{}); err != nil {
				t.Errorf("repeat after the key lapsed: %v", err)
			}
		})
		t.Run("malformed key", func(t *testing.T) {
			for _, k := range []string{"short", "has space in it here", "ünïcødé-key-ünïcødé"} {
				if _, err := db.CreateGoal(store.WithIdempotencyKey(ctx, k), ev, goal(p.ID, "Bad key"), 0, haven.Date{}); !errors.Is(err, haven.ErrInvalid) {
					t.Errorf("key %q: %v", k, err)
				}
			}
		})
	})
}
