package store_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/programme"
	"haven/internal/store"
	"haven/internal/store/storetest"
)

// professionalReferral says everything a referral can say about reaching her.
func professionalReferral(first string, practice int64) programme.Referral {
	return programme.Referral{Source: programme.ReferralProfessional, PracticeID: practice, FirstName: first, LastName: "Testcase", Phone: "07700 900456",
		Email: "her@example.org", LACode: "E08000035",
		Contact: programme.SafeContact{Channels: []programme.ContactChannel{programme.ChannelText}, NoVoicemail: true,
			SafeTimes: "Weekday mornings", ViaProfessional: true, ViaName: "Ash Keeper", ViaContact: "07700 900789"},
		CommunicationNeeds: "Easy-read letters", ChildrenRemoved: programme.RemovedTwo, CareExperienced: programme.AnswerUnknown,
		Consent: programme.ConsentGiven, Referrer: programme.Referrer{Name: "Sam Referrer", Organisation: "Leeds Children's Services",
			Role: "Social worker", Contact: "sam@example.org"}}
}

// wantKept fails t unless her record holds what the referral said of her.
func wantKept(t *testing.T, db *store.DB, p programme.Person, rf programme.Referral) {
	t.Helper()
	sc := p.SafeContact
	if !slices.Equal(sc.Channels, []string{"text"}) || !sc.NoVoicemail || sc.Times != "Weekday mornings" || sc.ViaProfessional != "Ash Keeper, 07700 900789" {
		t.Errorf("safe contact on her record: %+v", sc)
	}
	if p.Contact.Phone != (programme.ContactDetail{Value: "07700 900456", Safe: programme.AnswerYes}) {
		t.Errorf("phone on her record: %+v, want the referral's, safe (she ticked text)", p.Contact.Phone)
	}
	if p.Contact.Email != (programme.ContactDetail{Value: "her@example.org", Safe: programme.AnswerNo}) {
		t.Errorf("email on her record: %+v, want the referral's, not safe (she did not tick email)", p.Contact.Email)
	}
	if p.CareExperienced != programme.AnswerUnknown {
		t.Errorf("care-experienced %q, want not known kept as not known", p.CareExperienced)
	}
	if p.CommunicationNeeds != "Easy-read letters" {
		t.Errorf("communication needs %q", p.CommunicationNeeds)
	}
	around, err := db.PeopleAround(t.Context(), p.ID)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, a := range around {
		found = found || (a.Name == "Sam Referrer" && a.Relationship == "Referred her (Social worker, Leeds Children's Services)" &&
			a.Notes == "Referral "+rf.Ref+". Contact: sam@example.org")
	}
	if !found {
		t.Errorf("the referrer is not among the people around her: %+v", around)
	}
}

func TestAcceptingAReferralKeepsWhatItSaidOfHer(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s := seedStaff(t, db)
		rf, err := db.CreateReferral(ctx, audit.Event{}, s.leadA, professionalReferral("Robin", s.practiceA))
		if err != nil {
			t.Fatal(err)
		}
		created, err := db.AcceptReferral(ctx, audit.Event{}, s.leadA, rf, s.pracA.User.ID, haven.NewDate(2026, 1, 5))
		if err != nil {
			t.Fatal(err)
		}
		p, _, err := db.PersonFor(ctx, s.pracA, created.Ref)
		if err != nil {
			t.Fatal(err)
		}
		wantKept(t, db, p, rf)
	})
}

func TestLinkingAReReferralToHerRecord(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		s := seedStaff(t, db)
		known, err := db.CreatePerson(ctx, audit.Event{}, s.leadA, programme.Person{PracticeID: s.practiceA, PractitionerID: s.pracA.User.ID,
			FirstName: "Robin", LastName: "Testcase", CareExperienced: programme.AnswerUnknown, CommunicationNeeds: "Easy-read letters",
			Contact: programme.ContactDetails{Address: programme.ContactDetail{Value: "1 Example Row\nLS6 1AA", Safe: programme.AnswerNo}}})
		if err != nil {
			t.Fatal(err)
		}
		rf, err := db.CreateReferral(ctx, audit.Event{}, s.leadA, professionalReferral("Robin", s.practiceA))
		if err != nil {
			t.Fatal(err)
		}
		// Only a record in the referral's Practice, that the lead may see, can be her.
		for _, ref := range []string{"", "nonsense", "abcdefghijkl"} {
			if _, err := db.LinkReferral(ctx, audit.Event{}, s.leadA, rf, ref, haven.NewDate(2026, 1, 5)); !invalidField(err, "match") {
				t.Errorf("linking to %q: %v, want an invalid match", ref, err)
			}
		}
		linked, err := db.LinkReferral(ctx, audit.Event{}, s.leadA, rf, known.Ref, haven.NewDate(2026, 1, 5))
		if err != nil || linked.ID != known.ID {
			t.Fatalf("linking gave %+v, %v; want her record", linked, err)
		}
		p, _, err := db.PersonFor(ctx, s.pracA, known.Ref)
		if err != nil {
			t.Fatal(err)
		}
		wantKept(t, db, p, rf)
		if p.Contact.Address.Value != "1 Example Row\nLS6 1AA" || p.CommunicationNeeds != "Easy-read letters" {
			t.Errorf("linking lost what her record said: %+v, needs %q", p.Contact.Address, p.CommunicationNeeds)
		}
		got, err := db.ReferralFor(ctx, s.leadA, rf.Ref)
		if err != nil || got.Status != programme.ReferralAccepted || got.PersonID != known.ID {
			t.Errorf("referral after linking: %+v, %v", got, err)
		}
		es, err := db.Enrolments(ctx, known.ID)
		if err != nil || len(es) != 1 || es[0].ReferredOn != haven.NewDate(2026, 1, 5) {
			t.Errorf("enrolments after linking: %+v, %v; want one, referred on the referral's day", es, err)
		}
		// She is found by either referral's reference, and by her own however it is typed.
		for _, q := range []string{rf.Ref, strings.ToLower(rf.Ref), programme.FormatRef(known.Ref), strings.ReplaceAll(programme.FormatRef(known.Ref), "-", " ")} {
			term, err := programme.SearchTerm(q)
			if err != nil {
				t.Fatal(err)
			}
			found, err := db.SearchListPeople(ctx, s.pracA, term, store.Page{})
			if err != nil || len(found) != 1 || found[0].ID != known.ID || found[0].DateOfBirth != known.DateOfBirth {
				t.Errorf("search for %q: %+v, %v; want her", q, found, err)
			}
			if found, err := db.SearchListPeople(ctx, s.pracB, term, store.Page{}); err != nil || len(found) != 0 {
				t.Errorf("a practitioner in another Practice searching %q found %+v, %v", q, found, err)
			}
		}
		if _, err := db.LinkReferral(ctx, audit.Event{}, s.leadA, got, known.Ref, haven.NewDate(2026, 1, 5)); !errors.Is(err, haven.ErrConflict) {
			t.Errorf("linking a referral twice: %v, want a conflict", err)
		}
	})
}

// invalidField reports whether err says field is invalid.
func invalidField(err error, field string) bool {
	he, ok := errors.AsType[*haven.Error](err)
	return ok && he.Kind == haven.KindInvalid && he.Fields[field] != ""
}
