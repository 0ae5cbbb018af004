package demo

import (
	"fmt"
	"strings"
	"time"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/haven"
	"haven/internal/programme"
	"haven/internal/store"
)

// demoReferral is one referral in each Practice's triage queue.
type demoReferral struct {
	first, last string
	dob         haven.Date // zero: not given
	daysAgo     int
	pro         bool // from a professional, entered by the co-ordinator
	byPostcode  bool // she gave the first part of her postcode, not her council
	removed     programme.ChildrenRemoved
	care        programme.Answer
	inCare      programme.Answer
	channels    []programme.ContactChannel
	safeTimes   string
	via         bool // contact her through a professional
	waiting     bool // put on the waiting list
	rereferral  bool // a woman the Practice has worked with before
}

// Fictional names, chosen to read as made up, and none also used for the demo caseloads.
var demoReferrals = []demoReferral{
	{first: "Amber", last: "Ashcombe", dob: haven.NewDate(1994, 3, 14), daysAgo: 2, byPostcode: true, removed: programme.RemovedTwo,
		care: programme.AnswerYes, inCare: programme.AnswerNo, channels: []programme.ContactChannel{programme.ChannelText}, safeTimes: "Weekday mornings, after 9:30"},
	{first: "Brooke", last: "Bramblewood", daysAgo: 5, removed: programme.RemovedOne, care: programme.AnswerUnknown, inCare: programme.AnswerUnknown,
		channels: []programme.ContactChannel{programme.ChannelEmail}},
	{first: "Casey", last: "Calderbrook", dob: haven.NewDate(2007, 8, 2), daysAgo: 9, pro: true, removed: programme.RemovedOne,
		care: programme.AnswerYes, inCare: programme.AnswerNo, channels: []programme.ContactChannel{programme.ChannelPhone, programme.ChannelText}},
	{first: "Demi", last: "Dovecote", dob: haven.NewDate(1991, 11, 30), daysAgo: 13, byPostcode: true, removed: programme.RemovedThreeOrMore,
		care: programme.AnswerNo, inCare: programme.AnswerNo, via: true},
	{daysAgo: 17, rereferral: true, removed: programme.RemovedTwo, care: programme.AnswerUnknown, inCare: programme.AnswerNo,
		channels: []programme.ContactChannel{programme.ChannelText, programme.ChannelLetter}, safeTimes: "Not at weekends"},
	{first: "Faye", last: "Fernhollow", dob: haven.NewDate(1989, 6, 21), daysAgo: 20, pro: true, waiting: true, removed: programme.RemovedTwo,
		care: programme.AnswerNo, inCare: programme.AnswerYes, channels: []programme.ContactChannel{programme.ChannelText}},
}

// demoPostcodes are a district in each demo Practice's area.
var demoPostcodes = map[string]string{"E08000035": "LS6", "E10000016": "CT1", "E06000044": "PO1"}

// referrals gives each Practice a triage queue: four self-referrals and two
// from professionals over the last three weeks, one on the waiting list and
// one from a woman the Practice already knows. It draws nothing from s.rng,
// so adding it changes nothing that later seeders make.
func (s *seeder) referrals() error {
	by := audit.Event{RequestID: "demo-seed"}
	for pi, p := range s.sum.Practices {
		var lead, coord *access.Actor
		for _, a := range s.sum.Accounts {
			if a.Tenant != p.Slug || (a.Role != access.RolePracticeLead && a.Role != access.RolePracticeCoordinator) {
				continue
			}
			actor, err := s.db.Actor(s.ctx, a.UserID)
			if err != nil {
				return err
			}
			if a.Role == access.RolePracticeLead {
				lead = actor
			} else {
				coord = actor
			}
		}
		known, err := s.db.PeopleFor(s.ctx, lead, store.Page{})
		if err != nil {
			return err
		}
		la := p.LocalAuthorities[0]
		laName := la
		if a, ok := access.LocalAuthorityByCode(la); ok {
			laName = a.Name
		}
		for i, d := range demoReferrals {
			if d.rereferral {
				if len(known) == 0 {
					continue
				}
				her := known[len(known)-1] // the woman whose enrolment ended early
				d.first, d.last, d.dob = her.FirstName, her.LastName, her.DateOfBirth
			}
			r := programme.Referral{Source: programme.ReferralSelf, FirstName: d.first, LastName: d.last, DateOfBirth: d.dob,
				Phone:           fmt.Sprintf("07700 900%03d", 100+pi*10+i), // Ofcom's range for drama
				ChildrenRemoved: d.removed, CareExperienced: d.care, ChildrenInCare: d.inCare, Consent: programme.ConsentGiven,
				Contact:    programme.SafeContact{Channels: d.channels, NoVoicemail: i%2 == 0 || d.waiting, SafeTimes: d.safeTimes},
				ReceivedAt: s.now.Add(-time.Duration(d.daysAgo)*24*time.Hour - time.Duration(i+1)*time.Hour)}
			if d.byPostcode {
				r.PostcodeDistrict = demoPostcodes[la]
			}
			if r.PostcodeDistrict == "" {
				r.LACode = la
			}
			if d.via {
				r.Phone = ""
				r.Contact.ViaProfessional, r.Contact.ViaName, r.Contact.ViaContact = true, "Rowan Quillby (demo)", "07700 900999"
			}
			for _, c := range d.channels {
				if c == programme.ChannelEmail {
					r.Email = strings.ToLower(d.first+"."+d.last) + "@demo.haven.invalid"
				}
			}
			var actor *access.Actor
			if d.pro {
				actor, r.PracticeID = coord, p.ID
				r.Source, r.Consent = programme.ReferralProfessional, programme.ConsentNotAsked
				r.Referrer = programme.Referrer{Name: "Jules Marrowby (demo)", Organisation: laName + " Children’s Services (demo)", Role: "Social worker",
					Contact: "jules.marrowby@demo.haven.invalid"}
				r.Proceedings = "First child removed in 2021; second child placed with family under a special guardianship order in 2024."
				r.Situation = "Living alone in temporary accommodation. Registered with a GP. (Fictional demo referral.)"
				if d.waiting {
					r.Consent = programme.ConsentGiven
					r.Risks = "Former partner is controlling and may check her phone. Text only, never voicemail."
				}
			}
			created, err := s.db.CreateReferral(s.ctx, by, actor, r)
			if err != nil {
				return fmt.Errorf("demo referral: %w", err)
			}
			if d.waiting {
				if _, err := s.db.DecideReferral(s.ctx, by, lead, created, programme.Outcome{Status: programme.ReferralWaiting}); err != nil {
					return fmt.Errorf("demo referral outcome: %w", err)
				}
			}
		}
	}
	return nil
}
