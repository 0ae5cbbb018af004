package web

import (
	"net/http"
	"strings"

	"haven/internal/programme"
)

// recordEvents are the dated events on her record beyond sessions and
// phases, for the chronology: referrals in and what triage decided, changes
// to her contact with her children and the letters explaining them, her
// support plan's goals and reviews, and her referrals to partner agencies.
// Restricted goals stay out: the chronology is read more widely than they are.
func (s *Server) recordEvents(r *http.Request, p programme.Person) ([]chronoItem, error) {
	ctx := r.Context()
	var items []chronoItem
	add := func(it chronoItem) {
		if it.Text == "" {
			it.Text = it.Summary
		}
		items = append(items, it)
	}
	referrals, err := s.store.ReferralsForPerson(ctx, infoFrom(ctx).actor, p.ID)
	if err != nil {
		return nil, err
	}
	for _, rf := range referrals {
		add(chronoItem{Kind: "referral", Title: rf.Source.Title() + " received", Date: chronoDate(rf.ReceivedAt), At: rf.ReceivedAt,
			Summary: "Referral " + rf.Ref, Href: "/triage/" + rf.Ref, Link: "View the referral"})
		if !rf.OutcomeAt.IsZero() {
			add(chronoItem{Kind: "referral", Title: "Triage decision: " + strings.ToLower(rf.Status.Title()), By: rf.OutcomeByName,
				Date: chronoDate(rf.OutcomeAt), At: rf.OutcomeAt, Summary: "Referral " + rf.Ref, Href: "/triage/" + rf.Ref, Link: "View the referral"})
		}
	}
	rec, err := s.store.Contact(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	for _, c := range rec.Changes {
		told := "Was she given a reason? " + c.ReasonGiven.Title()
		if c.Reason != "" {
			told += ": " + c.Reason
		}
		add(chronoItem{Kind: "contact", Title: "Contact changed: " + strings.ToLower(c.Aspect.Title()), By: c.RecordedName, Date: c.EffectiveOn, At: c.RecordedAt,
			Summary: c.ChildName + ": " + c.From + " to " + c.To + ". " + told, Href: "/people/" + p.Ref + "/contact", Link: "View her contact"})
		if c.Withdrawn() {
			// Kept, as everything is, but said to be a mistake.
			add(chronoItem{Kind: "contact", Title: "Contact change withdrawn as a mistake", By: c.Withdrawal.ByName, Date: chronoDate(c.Withdrawal.At),
				At: c.Withdrawal.At, Summary: c.Withdrawal.Reason, Href: "/people/" + p.Ref + "/contact", Link: "View her contact"})
		}
		for _, e := range c.Explanations {
			add(chronoItem{Kind: "contact", Title: "Told why contact changed", Date: e.ToldOn, At: e.RecordedAt, Summary: e.Reason,
				Href: "/people/" + p.Ref + "/contact", Link: "View her contact"})
		}
	}
	for _, l := range rec.Letters {
		add(chronoItem{Kind: "contact", Title: "“What has changed and why” letter made", By: l.ByName, Date: chronoDate(l.At), At: l.At,
			Summary: "Changes from " + l.From.Long() + " to " + l.To.Long()})
	}
	goals, err := s.store.Goals(ctx, p.ID, false)
	if err != nil {
		return nil, err
	}
	for _, g := range goals {
		add(chronoItem{Kind: "plan", Title: "Goal added: " + g.Domain.Title(), Date: chronoDate(g.CreatedAt), At: g.CreatedAt, Summary: g.Words,
			Href: "/people/" + p.Ref + "/plan", Link: "View her plan"})
		for _, rv := range g.Reviews {
			add(chronoItem{Kind: "plan", Title: "Goal reviewed: " + rv.Progress.Title(), By: rv.ByName, Date: rv.On, At: rv.At,
				Summary: rv.Note, Href: "/people/" + p.Ref + "/plan", Link: "View her plan"})
		}
	}
	outs, err := s.store.ReferralsOut(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	for _, o := range outs {
		add(chronoItem{Kind: "referral", Title: "Referred to " + o.AgencyName, Date: o.SentOn, Summary: o.Reason, Href: "/people/" + p.Ref + "/referrals-out", Link: "View her referrals out"})
		if o.ChangedOn != o.SentOn || o.Status != programme.OutSent {
			add(chronoItem{Kind: "referral", Title: o.AgencyName + ": " + strings.ToLower(o.Status.Title()), Date: o.ChangedOn, Summary: o.Outcome,
				Href: "/people/" + p.Ref + "/referrals-out", Link: "View her referrals out"})
		}
	}
	return items, nil
}
