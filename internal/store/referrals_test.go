package store_test

import (
	"errors"
	"strconv"
	"strings"
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

// selfReferral is a valid self-referral from the given postcode district.
func selfReferral(first, postcode string) programme.Referral {
	return programme.Referral{Source: programme.ReferralSelf, FirstName: first, LastName: "Testcase", Phone: "07700 900123",
		PostcodeDistrict: postcode, Contact: programme.SafeContact{Channels: []programme.ContactChannel{programme.ChannelText}, NoVoicemail: true, SafeTimes: "Mornings"},
		ChildrenRemoved: programme.RemovedTwo, CareExperienced: programme.AnswerYes, Consent: programme.ConsentGiven,
		DateOfBirth: haven.NewDate(1996, 4, 1)}
}

func TestReferralRouting(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s := seedStaff(t, db) // A serves Leeds, B serves Kent
		tests := []struct {
			name, postcode string
			practice       int64
			la             string
		}{
			{"Leeds", "LS6 2AB", s.practiceA, "E08000035"},
			{"Kent", "CT1", s.practiceB, "E10000016"},
			{"Portsmouth: no Practice yet", "PO1", 0, "E06000044"},
			{"Wales: no English authority", "CF10", 0, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r, err := db.CreateReferral(ctx, audit.Event{RequestID: "test"}, nil, selfReferral("Robin", tt.postcode))
				if err != nil {
					t.Fatal(err)
				}
				if r.PracticeID != tt.practice || r.LACode != tt.la || !programme.ValidReferralRef(r.Ref) || r.Status != programme.ReferralNew {
					t.Errorf("stored %+v; want Practice %d, area %q", r, tt.practice, tt.la)
				}
				if got, err := db.PracticeCovering(ctx, tt.la); err != nil || got != tt.practice {
					t.Errorf("PracticeCovering(%q) = %d, %v", tt.la, got, err)
				}
				evs, _ := db.SearchAudit(ctx, store.AuditFilter{RecordType: "referral", RecordID: strconv.FormatInt(r.ID, 10), Action: "create"})
				if len(evs) != 1 || evs[0].UserID != 0 {
					t.Errorf("audit rows for the new referral: %+v", evs)
				}
			})
		}

		// Staff name the Practice, and only one they work in.
		pro := selfReferral("Sky", "CT1")
		pro.Source, pro.Consent, pro.PracticeID = programme.ReferralProfessional, programme.ConsentNotAsked, s.practiceA
		pro.Referrer = programme.Referrer{Name: "Sam Worker", Organisation: "Leeds Children's Services", Role: "Social worker", Contact: "sam@example.org"}
		r, err := db.CreateReferral(ctx, audit.Event{}, s.pracA, pro)
		if err != nil {
			t.Fatal(err)
		}
		if r.PracticeID != s.practiceA || r.EnteredBy != s.pracA.User.ID {
			t.Errorf("staff referral went to %d, entered by %d", r.PracticeID, r.EnteredBy)
		}
		if _, err := db.CreateReferral(ctx, audit.Event{}, s.pracB, pro); !errors.Is(err, haven.ErrInvalid) {
			t.Errorf("a practitioner referred into another Practice: %v", err)
		}
		bad := selfReferral("", "LS6")
		if _, err := db.CreateReferral(ctx, audit.Event{}, nil, bad); !errors.Is(err, haven.ErrInvalid) {
			t.Errorf("a referral with no name was stored: %v", err)
		}
	})
}

func TestReferralVisibilityAndQueue(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s := seedStaff(t, db)
		old := selfReferral("Older", "LS6")
		old.ReceivedAt = time.Date(2026, 1, 2, 9, 0, 0, 0, time.UTC)
		a, _ := db.CreateReferral(ctx, audit.Event{}, nil, selfReferral("Newer", "LS6"))
		a0, err := db.CreateReferral(ctx, audit.Event{}, nil, old)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := db.CreateReferral(ctx, audit.Event{}, nil, selfReferral("Kentish", "CT1"))
		none, _ := db.CreateReferral(ctx, audit.Event{}, nil, selfReferral("Nowhere", "PO1"))
		if !a0.ReceivedAt.Equal(old.ReceivedAt) {
			t.Errorf("received at %v, want %v", a0.ReceivedAt, old.ReceivedAt)
		}
		for _, tt := range []struct {
			name  string
			actor *access.Actor
			sees  bool     // may open A's referral
			queue []string // first names in A's queue, oldest first
		}{
			{"lead A", s.leadA, true, []string{"Older", "Newer"}},
			{"co-ordinator A", s.coordA, true, []string{"Older", "Newer"}},
			{"practitioner A", s.pracA, false, nil},
			{"practitioner B", s.pracB, false, nil},
			{"administrator", s.admin, false, nil},
		} {
			t.Run(tt.name, func(t *testing.T) {
				got, err := db.ReferralFor(ctx, tt.actor, a.Ref)
				switch {
				case tt.sees && (err != nil || got.FirstName != "Newer" || got.Contact.SafeTimes != "Mornings" || !got.Contact.NoVoicemail ||
					len(got.Contact.Channels) != 1 || got.CareExperienced != programme.AnswerYes || got.PracticeName != "A"):
					t.Errorf("ReferralFor = %+v, %v", got, err)
				case !tt.sees && !errors.Is(err, haven.ErrNotFound):
					t.Errorf("ReferralFor: %v, want not found", err)
				}
				for _, ref := range []string{b.Ref, none.Ref, "HVN-AAAA-AAAA"} {
					if _, err := db.ReferralFor(ctx, tt.actor, ref); !errors.Is(err, haven.ErrNotFound) {
						t.Errorf("another Practice's or an unassigned referral: %v, want not found", err)
					}
				}
				q, err := db.TriageQueue(ctx, tt.actor)
				if err != nil {
					t.Fatal(err)
				}
				var names []string
				for _, r := range q {
					names = append(names, r.FirstName)
				}
				if strings.Join(names, ",") != strings.Join(tt.queue, ",") {
					t.Errorf("queue %v, want %v", names, tt.queue)
				}
			})
		}
	})
}

func TestReferralOutcomes(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s := seedStaff(t, db)
		r, _ := db.CreateReferral(ctx, audit.Event{}, nil, selfReferral("Robin", "LS6"))
		if _, err := db.DecideReferral(ctx, audit.Event{}, s.pracB, r, programme.Outcome{Status: programme.ReferralWaiting}); !errors.Is(err, haven.ErrNotFound) {
			t.Errorf("a practitioner in another Practice decided: %v", err)
		}
		waiting, err := db.DecideReferral(ctx, audit.Event{}, s.coordA, r, programme.Outcome{Status: programme.ReferralWaiting})
		if err != nil || waiting.Status != programme.ReferralWaiting || waiting.Version != 2 {
			t.Fatalf("waiting list: %+v, %v", waiting, err)
		}
		// The first view is now stale.
		if _, err := db.DecideReferral(ctx, audit.Event{}, s.leadA, r, programme.Outcome{Status: programme.ReferralDeclined, Reason: "Outside our area"}); !errors.Is(err, haven.ErrConflict) {
			t.Errorf("stale decision: %v, want conflict", err)
		}
		if _, err := db.DecideReferral(ctx, audit.Event{}, s.leadA, waiting, programme.Outcome{Status: programme.ReferralDeclined}); !errors.Is(err, haven.ErrInvalid) {
			t.Errorf("declined without a reason: %v", err)
		}
		declined, err := db.DecideReferral(ctx, audit.Event{}, s.leadA, waiting, programme.Outcome{Status: programme.ReferralDeclined, Reason: "She would rather work with her current support worker"})
		if err != nil {
			t.Fatal(err)
		}
		got, _ := db.ReferralFor(ctx, s.leadA, r.Ref)
		if got.Status != programme.ReferralDeclined || got.OutcomeBy != s.leadA.User.ID || got.OutcomeByName != s.leadA.User.DisplayName ||
			!strings.Contains(got.OutcomeReason, "current support worker") || got.OutcomeAt.IsZero() || got.Version != declined.Version {
			t.Errorf("after declining: %+v", got)
		}
		if _, err := db.DecideReferral(ctx, audit.Event{}, s.leadA, got, programme.Outcome{Status: programme.ReferralWaiting}); !errors.Is(err, haven.ErrConflict) {
			t.Errorf("deciding a declined referral: %v, want conflict", err)
		}
		if q, _ := db.TriageQueue(ctx, s.leadA); len(q) != 0 {
			t.Errorf("a declined referral is still queued: %v", q)
		}
		evs, _ := db.SearchAudit(ctx, store.AuditFilter{RecordType: "referral", RecordID: strconv.FormatInt(r.ID, 10), Action: "update"})
		if len(evs) != 2 {
			t.Errorf("%d update rows for two decisions", len(evs))
		}
	})
}

func TestAcceptReferral(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s := seedStaff(t, db)
		r, _ := db.CreateReferral(ctx, audit.Event{}, nil, selfReferral("Robin", "LS6"))
		received := haven.NewDate(2026, 11, 2)
		if _, err := db.AcceptReferral(ctx, audit.Event{}, s.leadA, r, s.pracB.User.ID, received); !errors.Is(err, haven.ErrInvalid) {
			t.Errorf("allocated to a practitioner in another Practice: %v", err)
		}
		// Two people accept at once: one record, and the other is told.
		var wg sync.WaitGroup
		errs := make([]error, 2)
		people := make([]programme.Person, 2)
		for i, actor := range []*access.Actor{s.leadA, s.coordA} {
			wg.Go(func() {
				people[i], errs[i] = db.AcceptReferral(ctx, audit.Event{}, actor, r, s.pracA.User.ID, received)
			})
		}
		wg.Wait()
		ok := 0
		var p programme.Person
		for i, err := range errs {
			switch {
			case err == nil:
				ok, p = ok+1, people[i]
			case !errors.Is(err, haven.ErrConflict):
				t.Errorf("second accept: %v, want conflict", err)
			}
		}
		if ok != 1 {
			t.Fatalf("%d accepts succeeded, want 1: %v", ok, errs)
		}
		list, _ := db.PeopleFor(ctx, s.leadA, store.Page{})
		if len(list) != 1 || list[0].ID != p.ID || p.FirstName != "Robin" || p.PracticeID != s.practiceA || p.PractitionerID != s.pracA.User.ID ||
			p.CareExperienced != programme.AnswerYes || p.LACode != "E08000035" || p.DateOfBirth != haven.NewDate(1996, 4, 1) {
			t.Errorf("people after accepting: %+v", list)
		}
		es, _ := db.Enrolments(ctx, p.ID)
		if len(es) != 1 || es[0].ReferredOn != received || es[0].Phase != programme.PhaseReferred {
			t.Errorf("enrolments %+v, want one referred on %s", es, received)
		}
		got, _ := db.ReferralFor(ctx, s.leadA, r.Ref)
		if got.Status != programme.ReferralAccepted || got.PersonID != p.ID || got.PersonRef != p.Ref {
			t.Errorf("referral after accepting: %+v", got)
		}
		if _, err := db.AcceptReferral(ctx, audit.Event{}, s.leadA, got, 0, received); !errors.Is(err, haven.ErrConflict) {
			t.Errorf("accepting twice: %v, want conflict", err)
		}
		if linked, _ := db.ReferralsForPerson(ctx, s.leadA, p.ID); len(linked) != 1 || linked[0].Ref != r.Ref {
			t.Errorf("referrals for her: %+v", linked)
		}
		if linked, _ := db.ReferralsForPerson(ctx, s.pracA, p.ID); len(linked) != 0 {
			t.Error("a practitioner sees the referral")
		}
		for action, want := range map[string]int{"update": 2, "create": 1} {
			evs, _ := db.SearchAudit(ctx, store.AuditFilter{RecordType: "referral", RecordID: strconv.FormatInt(r.ID, 10), Action: action})
			if len(evs) != want {
				t.Errorf("%d referral %s rows, want %d", len(evs), action, want)
			}
		}
		if evs, _ := db.SearchAudit(ctx, store.AuditFilter{RecordType: "person", RecordID: strconv.FormatInt(p.ID, 10)}); len(evs) != 2 {
			t.Errorf("%d person rows, want create and enrolment", len(evs))
		}
		if q, _ := db.TriageQueue(ctx, s.leadA); len(q) != 0 {
			t.Errorf("an accepted referral is still queued")
		}
	})
}
