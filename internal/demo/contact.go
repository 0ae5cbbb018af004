package demo

import (
	"fmt"

	"haven/internal/audit"
	"haven/internal/contact"
	"haven/internal/haven"
	"haven/internal/programme"
	"haven/internal/store"
)

// Fictional children's first names and initials for the demo.
var childNames = []string{"Mia", "Leo", "T.J.", "Ava", "Noah", "R.", "Isla", "Theo", "Ruby", "K.", "Alfie", "Poppy"}

// contact gives the women past referral children, care proceedings and
// contact arrangements, with a realistic spread of changes: some explained
// at the time, some never explained (raising tasks), some explained later;
// letterbox letters sent and due, and contact sessions that happened or
// were cancelled.
func (s *seeder) contact() error {
	ev := audit.Event{RequestID: "demo-seed"}
	today := haven.NewDate(s.now.Year(), s.now.Month(), s.now.Day())
	ago := func(days int) haven.Date {
		t := s.now.AddDate(0, 0, -days)
		return haven.NewDate(t.Year(), t.Month(), t.Day())
	}
	n := 0
	for _, p := range s.sum.Practices {
		lead, err := s.leadOf(p.Slug)
		if err != nil {
			return err
		}
		people, err := s.db.PeopleFor(s.ctx, lead, store.Page{Limit: 500})
		if err != nil {
			return err
		}
		for i, person := range people {
			es, err := s.db.Enrolments(s.ctx, person.ID)
			if err != nil {
				return err
			}
			if len(es) == 0 || es[0].Phase == programme.PhaseReferred {
				continue
			}
			by := person.PractitionerID
			if by == 0 {
				by = lead.User.ID
			}
			if err := s.contactFor(ev, person, by, i, n, today, ago, p.LocalAuthorities[0]); err != nil {
				return fmt.Errorf("demo contact: %w", err)
			}
			n++
		}
	}
	return nil
}

func (s *seeder) contactFor(ev audit.Event, person programme.Person, by int64, i, n int, today haven.Date, ago func(int) haven.Date, la string) error {
	// An older child, adopted, and a younger one in care, removed as a newborn.
	older := contact.Child{PersonID: person.ID, Name: childNames[(2*n)%len(childNames)], BornOn: ago(3000 + 97*i), LACode: la,
		LegalStatus: "adopted", Placement: "adoptive-family"}
	older.RemovedOn = addDays(older.BornOn, 400)
	older, err := s.db.CreateChild(s.ctx, ev, older, by, today)
	if err != nil {
		return err
	}
	younger := contact.Child{PersonID: person.ID, Name: childNames[(2*n+1)%len(childNames)], BornOn: ago(900 + 61*i), LACode: la,
		LegalStatus: "care-order", Placement: "foster-care"}
	if i%4 == 3 { // born before the first proceedings ended: the second set is issued before the first's final hearing
		younger.BornOn = addDays(older.BornOn, 500)
	}
	younger.RemovedOn = addDays(younger.BornOn, 2)
	if i%3 == 1 {
		younger.LegalStatus, younger.Placement = "special-guardianship-order", "kinship-care"
	}
	younger, err = s.db.CreateChild(s.ctx, ev, younger, by, today)
	if err != nil {
		return err
	}

	// Which set is the index the research counts recurrence from: for a
	// third of the women the older child's, so the younger child's is her
	// next proceedings; for the rest the younger child's, the most recent
	// before she came to Pause, with no next proceedings by today. So the
	// recurrence page shows a believable mix, not every woman returning.
	firstIsIndex := i%3 == 0
	first := contact.Proceedings{PersonID: person.ID, IssuedOn: addDays(older.BornOn, 380), Court: "Family Court (demo)", LACode: la, Index: firstIsIndex,
		ChildIDs: []int64{older.ID}, Outcome: "placement-order"}
	first.FinalHearingOn = addDays(first.IssuedOn, 230)
	if _, err := s.db.CreateProceedings(s.ctx, ev, first, by, today); err != nil {
		return err
	}
	second := contact.Proceedings{PersonID: person.ID, IssuedOn: addDays(younger.BornOn, 1), Court: "Family Court (demo)", LACode: la, Index: !firstIsIndex,
		ChildIDs: []int64{younger.ID}, Outcome: "care-order"}
	second.FinalHearingOn = addDays(second.IssuedOn, 180)
	if i%3 == 1 {
		second.Outcome = "special-guardianship-order"
	}
	if _, err := s.db.CreateProceedings(s.ctx, ev, second, by, today); err != nil {
		return err
	}

	letterbox := contact.Arrangement{PersonID: person.ID, ChildID: older.ID, Type: contact.Letterbox, Frequency: "Once a year",
		ArrangedBy: "adoption-agency", Basis: "adoption-contact-plan", StartOn: addDays(first.FinalHearingOn, 120)}
	if i%2 == 0 { // half the letterbox arrangements have never been reviewed
		letterbox.LastReviewOn = ago(200 + 30*i)
	}
	letterbox, err = s.db.CreateArrangement(s.ctx, ev, letterbox, by, today)
	if err != nil {
		return err
	}
	direct := contact.Arrangement{PersonID: person.ID, ChildID: younger.ID, Type: contact.Supervised, Frequency: "Monthly, 2 hours at the contact centre",
		ArrangedBy: "local-authority", Basis: "care-plan", StartOn: addDays(second.FinalHearingOn, 14), LastReviewOn: ago(150), NextReviewOn: addDays(today, 30)}
	direct, err = s.db.CreateArrangement(s.ctx, ev, direct, by, today)
	if err != nil {
		return err
	}

	// A spread of changes: most women have one; the reasons follow Pause's finding that most are not explained.
	change := contact.Change{PersonID: person.ID, ArrangementID: direct.ID, ChildName: younger.Name, RecordedBy: by}
	switch n % 5 {
	case 0:
		change.Aspect, change.From, change.To, change.ChangedBy = contact.AspectFrequency, "Monthly", "Every six weeks", "local-authority"
		change.ReasonGiven, change.Reason, change.ToldHow, change.ToldBy, change.ToldOn = contact.ReasonYes,
			"The foster carers' work hours changed", "phone call", "Her child's social worker", ago(40)
		change.EffectiveOn, change.HerView = ago(35), "I understand, but six weeks is a long time for him."
	case 1:
		change.Aspect, change.From, change.To, change.ChangedBy = "venue", "Family centre in town", "Contact centre across the county", "local-authority"
		change.ReasonGiven, change.EffectiveOn, change.HerView = contact.ReasonNo, ago(25), "Nobody told me. I found out when I turned up."
	case 2:
		change.Aspect, change.From, change.To, change.ChangedBy = contact.AspectType, string(contact.Supervised), string(contact.Letterbox), "court"
		change.ReasonGiven, change.EffectiveOn = contact.ReasonNotKnown, ago(60)
	case 3:
		change.Aspect, change.ChangedBy, change.ReasonGiven, change.EffectiveOn = "suspended", "adopters-carers", contact.ReasonNo, ago(90)
		change.HerView = "I don't know what I did wrong."
	}
	if change.Aspect != "" {
		rec, err := s.db.RecordChange(s.ctx, ev, change, direct.Version, today)
		if err != nil {
			return err
		}
		direct.Version++
		if n%5 == 3 { // suspended without a reason at the time; explained later
			if _, err := s.db.ExplainChange(s.ctx, ev, person.ID, rec.ID, contact.Explanation{Reason: "The carers asked for a break while the child settled at a new school",
				ToldHow: "meeting", ToldOn: ago(60), ToldBy: "Her practitioner, after asking the local authority"}, by, today); err != nil {
				return err
			}
		}
	}

	// Letterbox: last year's letter went through; this year's is due soon for some.
	lastYear := contact.LetterboxExchange{PersonID: person.ID, ArrangementID: letterbox.ID, Direction: "from-her", DueOn: ago(330 - 20*i),
		SentOn: ago(335 - 20*i), CheckedBy: "Letterbox co-ordinator (demo agency)"}
	if n%4 == 1 {
		lastYear.SentOn, lastYear.Status, lastYear.StatusReason = haven.Date{}, "returned", "It named the town where the family lives"
	}
	if _, err := s.db.CreateLetterboxExchange(s.ctx, ev, lastYear, by, today); err != nil {
		return err
	}
	if _, err := s.db.CreateLetterboxExchange(s.ctx, ev, contact.LetterboxExchange{PersonID: person.ID, ArrangementID: letterbox.ID, Direction: "to-her",
		DueOn: addDays(today, 10+7*i)}, by, today); err != nil {
		return err
	}

	// Contact sessions: one that happened, one the carers cancelled, one to come.
	for _, cs := range []contact.ContactSession{
		{PlannedOn: ago(45), Outcome: contact.TookPlace, HerWords: "He remembered the song we used to sing.", PractitionerView: "Warm; she stayed calm when it ended.",
			SupportBefore: "Talked through what to bring", SupportAfter: "Coffee and a walk afterwards"},
		{PlannedOn: ago(15), Outcome: contact.Cancelled, CancelledBy: "carers", SupportAfter: "Phoned her the same day"},
		{PlannedOn: addDays(today, 16)},
	} {
		cs.PersonID, cs.ArrangementID = person.ID, direct.ID
		if _, err := s.db.CreateContactSession(s.ctx, ev, cs, by, today); err != nil {
			return err
		}
	}
	return nil
}

func addDays(d haven.Date, n int) haven.Date {
	t := d.Time().AddDate(0, 0, n)
	return haven.NewDate(t.Year(), t.Month(), t.Day())
}
