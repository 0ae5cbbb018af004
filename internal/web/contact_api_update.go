package web

import (
	"net/http"
	"strings"

	"haven/internal/audit"
	"haven/internal/contact"
	"haven/internal/haven"
	"haven/internal/store"
)

// The contact API's changes to existing records: what the pages let a
// practitioner change, with the version each change starts from (If-Match
// or "version"); a stale version is a conflict, never an overwrite. Each
// answers 200 with the record as it now stands.

// contactItem loads her record and the item named by the path's {id}.
func contactItem[T any](s *Server, r *http.Request, list func(store.ContactRecord) []T, idOf func(T) int64) (int64, T, error) {
	var zero T
	p, rec, err := s.apiContact(r)
	if err != nil {
		return 0, zero, err
	}
	id, err := userID(r, "id")
	if err != nil {
		return 0, zero, err
	}
	x, ok := byID(list(rec), id, idOf)
	if !ok {
		return 0, zero, haven.ErrNotFound
	}
	return p.ID, x, nil
}

// answerContactItem sends the item as it stands after a change.
func answerContactItem[T any](s *Server, w http.ResponseWriter, r *http.Request, personID, id int64, list func(store.ContactRecord) []T, idOf func(T) int64, out func(T) any) error {
	rec, err := s.store.Contact(r.Context(), personID)
	if err != nil {
		return err
	}
	x, ok := byID(list(rec), id, idOf)
	if !ok {
		return haven.ErrNotFound
	}
	writeJSON(w, http.StatusOK, out(x))
	return nil
}

func childrenOf(rec store.ContactRecord) []contact.Child { return rec.Children }
func childID(c contact.Child) int64                      { return c.ID }

// apiUpdateChild is PUT …/children/{id}: her legal status and placement; a
// new placement needs the date she moved (placementFrom).
func (s *Server) apiUpdateChild(w http.ResponseWriter, r *http.Request) error {
	personID, ch, err := contactItem(s, r, childrenOf, childID)
	if err != nil {
		return err
	}
	var b struct {
		LegalStatus   string  `json:"legalStatus"`
		Placement     string  `json:"placement"`
		PlacementFrom apiDate `json:"placementFrom"`
		Version       int64   `json:"version"`
	}
	if err := decodeJSON(r, &b); err != nil {
		return err
	}
	version, err := expectedVersion(r, b.Version)
	if err != nil {
		return err
	}
	ch.LegalStatus, ch.Placement = contact.LegalStatus(b.LegalStatus), contact.Placement(b.Placement)
	if err := s.store.UpdateChild(r.Context(), s.auditEvent(r, audit.Update), ch, version, b.PlacementFrom.Date, s.apiBy(r), s.today()); err != nil {
		return err
	}
	return answerContactItem(s, w, r, personID, ch.ID, childrenOf, childID, func(c contact.Child) any { return toAPIChild(c) })
}

func arrangementsOf(rec store.ContactRecord) []contact.Arrangement { return rec.Arrangements }
func arrangementID(a contact.Arrangement) int64                    { return a.ID }

// apiReviewArrangement is PUT …/arrangements/{id}: a review, with the date
// it took place and the date of the next.
func (s *Server) apiReviewArrangement(w http.ResponseWriter, r *http.Request) error {
	personID, a, err := contactItem(s, r, arrangementsOf, arrangementID)
	if err != nil {
		return err
	}
	var b struct {
		LastReviewOn apiDate `json:"lastReviewOn"`
		NextReviewOn apiDate `json:"nextReviewOn"`
		Version      int64   `json:"version"`
	}
	if err := decodeJSON(r, &b); err != nil {
		return err
	}
	version, err := expectedVersion(r, b.Version)
	if err != nil {
		return err
	}
	a.LastReviewOn, a.NextReviewOn = b.LastReviewOn.Date, b.NextReviewOn.Date
	if err := s.store.ReviewArrangement(r.Context(), s.auditEvent(r, audit.Update), a, version, s.today()); err != nil {
		return err
	}
	// The answer is the arrangement as it stands, as GET …/arrangements gives it.
	rec, err := s.store.Contact(r.Context(), personID)
	if err != nil {
		return err
	}
	now, ok := byID(rec.Arrangements, a.ID, arrangementID)
	if !ok {
		return haven.ErrNotFound
	}
	writeJSON(w, http.StatusOK, toAPIArrangement(now.At(s.today(), rec.Changes)))
	return nil
}

func sessionsOf(rec store.ContactRecord) []contact.ContactSession { return rec.Sessions }
func contactSessionID(c contact.ContactSession) int64             { return c.ID }

// apiUpdateContactSession is PUT …/contact-sessions/{id}: what happened and
// how it went.
func (s *Server) apiUpdateContactSession(w http.ResponseWriter, r *http.Request) error {
	personID, cs, err := contactItem(s, r, sessionsOf, contactSessionID)
	if err != nil {
		return err
	}
	var b apiContactSession
	if err := decodeJSON(r, &b); err != nil {
		return err
	}
	version, err := expectedVersion(r, b.Version)
	if err != nil {
		return err
	}
	cs.PlannedOn, cs.Outcome, cs.CancelledBy = b.PlannedOn.Date, contact.SessionOutcome(b.Outcome), contact.Canceller(b.CancelledBy)
	cs.HerWords, cs.PractitionerView = strings.TrimSpace(b.HerWords), strings.TrimSpace(b.PractitionerView)
	cs.SupportBefore, cs.SupportAfter = strings.TrimSpace(b.SupportBefore), strings.TrimSpace(b.SupportAfter)
	if err := s.store.UpdateContactSession(r.Context(), s.auditEvent(r, audit.Update), cs, version, s.today()); err != nil {
		return err
	}
	return answerContactItem(s, w, r, personID, cs.ID, sessionsOf, contactSessionID, func(c contact.ContactSession) any { return toAPIContactSession(c) })
}

func lettersOf(rec store.ContactRecord) []contact.LetterboxExchange { return rec.Letterbox }
func letterID(x contact.LetterboxExchange) int64                    { return x.ID }

// apiUpdateLetter is PUT …/letterbox/{id}: sent, received, checked, returned
// or withheld.
func (s *Server) apiUpdateLetter(w http.ResponseWriter, r *http.Request) error {
	personID, x, err := contactItem(s, r, lettersOf, letterID)
	if err != nil {
		return err
	}
	var b apiLetter
	if err := decodeJSON(r, &b); err != nil {
		return err
	}
	version, err := expectedVersion(r, b.Version)
	if err != nil {
		return err
	}
	x.SentOn, x.ReceivedOn, x.CheckedBy = b.SentOn.Date, b.ReceivedOn.Date, b.CheckedBy
	x.Status, x.StatusReason = contact.LetterStatus(b.Status), b.StatusReason
	if err := s.store.UpdateLetterboxExchange(r.Context(), s.auditEvent(r, audit.Update), x, version, s.today()); err != nil {
		return err
	}
	return answerContactItem(s, w, r, personID, x.ID, lettersOf, letterID, func(x contact.LetterboxExchange) any { return toAPILetter(x) })
}

func changesOf(rec store.ContactRecord) []contact.Change { return rec.Changes }
func changeID(c contact.Change) int64                    { return c.ID }

// apiExplainChange is POST …/changes/{id}/explanations: she has now been
// told why. Changes are never overwritten, so this adds to the change.
func (s *Server) apiExplainChange(w http.ResponseWriter, r *http.Request) error {
	personID, ch, err := contactItem(s, r, changesOf, changeID)
	if err != nil {
		return err
	}
	var b apiExplanation
	if err := decodeJSON(r, &b); err != nil {
		return err
	}
	e := contact.Explanation{Reason: strings.TrimSpace(b.Reason), ToldHow: b.ToldHow, ToldOn: b.ToldOn.Date, ToldBy: b.ToldBy, HerView: strings.TrimSpace(b.HerView)}
	_, err = s.store.ExplainChange(r.Context(), s.auditEvent(r, audit.Create), personID, ch.ID, e, s.apiBy(r), s.today())
	if _, ok := duplicateOf(err); ok {
		replayed(w)
		err = nil
	}
	if err != nil {
		return err
	}
	rec, err := s.store.Contact(r.Context(), personID)
	if err != nil {
		return err
	}
	c, _ := byID(rec.Changes, ch.ID, changeID)
	writeJSON(w, http.StatusCreated, toAPIChange(c))
	return nil
}

// apiWithdrawChange is POST …/changes/{id}/withdrawal: the change was
// recorded by mistake. It is kept, and counts nowhere; the reason is required.
func (s *Server) apiWithdrawChange(w http.ResponseWriter, r *http.Request) error {
	personID, ch, err := contactItem(s, r, changesOf, changeID)
	if err != nil {
		return err
	}
	var b struct {
		Reason string `json:"reason"`
	}
	if err := decodeJSON(r, &b); err != nil {
		return err
	}
	if err := s.store.WithdrawChange(r.Context(), s.auditEvent(r, audit.Update), personID, ch.ID, contact.Withdrawal{Reason: b.Reason}, s.apiBy(r)); err != nil {
		return err
	}
	return answerContactItem(s, w, r, personID, ch.ID, changesOf, changeID, func(c contact.Change) any { return toAPIChange(c) })
}
