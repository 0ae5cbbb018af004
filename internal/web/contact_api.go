package web

import (
	"net/http"
	"time"

	"haven/internal/audit"
	"haven/internal/contact"
	"haven/internal/haven"
	"haven/internal/programme"
	"haven/internal/store"
)

// The contact API: lists and creates under /api/v1/people/{ref}/…, with the
// same validation, audit and version checks as the pages. Dates are YYYY-MM-DD.

type apiChild struct {
	ID          int64   `json:"id"`
	Name        string  `json:"name"`
	BornOn      apiDate `json:"bornOn"`
	BirthYear   int     `json:"birthYear"`
	RemovedOn   apiDate `json:"removedOn"`
	LACode      string  `json:"laCode"`
	LegalStatus string  `json:"legalStatus"`
	Placement   string  `json:"placement"`
	Version     int64   `json:"version"`
}

type apiProceedings struct {
	ID             int64   `json:"id"`
	IssuedOn       apiDate `json:"issuedOn"`
	Court          string  `json:"court"`
	LACode         string  `json:"laCode"`
	ChildIDs       []int64 `json:"childIds"`
	FinalHearingOn apiDate `json:"finalHearingOn"`
	Outcome        string  `json:"outcome"`
	Index          bool    `json:"index"`
	BeforePrevious bool    `json:"issuedBeforePreviousFinalHearing"`
	Version        int64   `json:"version"`
}

type apiArrangement struct {
	ID            int64   `json:"id"`
	ChildID       int64   `json:"childId"`
	Type          string  `json:"type"` // as it is today
	Frequency     string  `json:"frequency"`
	ArrangedBy    string  `json:"arrangedBy"`
	Basis         string  `json:"basis"`
	StartOn       apiDate `json:"startOn"`
	LastReviewOn  apiDate `json:"lastReviewOn"`
	NextReviewOn  apiDate `json:"nextReviewOn"`
	NeverReviewed bool    `json:"neverReviewed"`
	Version       int64   `json:"version"`
}

type apiExplanation struct {
	Reason  string  `json:"reason"`
	ToldHow string  `json:"toldHow"`
	ToldOn  apiDate `json:"toldOn"`
	ToldBy  string  `json:"toldBy"`
	HerView string  `json:"herView"`
}

type apiChange struct {
	ID            int64            `json:"id"`
	ArrangementID int64            `json:"arrangementId"`
	Aspect        string           `json:"aspect"`
	From          string           `json:"from"`
	To            string           `json:"to"`
	EffectiveOn   apiDate          `json:"effectiveOn"`
	ChangedBy     string           `json:"changedBy"`
	ReasonGiven   string           `json:"reasonGiven"`
	Reason        string           `json:"reason"`
	ToldHow       string           `json:"toldHow"`
	ToldOn        apiDate          `json:"toldOn"`
	ToldBy        string           `json:"toldBy"`
	HerView       string           `json:"herView"`
	Unexplained   bool             `json:"unexplained"`
	Explanations  []apiExplanation `json:"explanations"`
	Withdrawal    *apiWithdrawal   `json:"withdrawal"` // null unless withdrawn as a mistake
}

// apiWithdrawal says a change was withdrawn as a mistake, and why. A
// withdrawn change is kept but counts nowhere.
type apiWithdrawal struct {
	Reason string    `json:"reason"`
	At     time.Time `json:"at"`
}

type apiContactSession struct {
	ID               int64   `json:"id"`
	ArrangementID    int64   `json:"arrangementId"`
	PlannedOn        apiDate `json:"plannedOn"`
	Outcome          string  `json:"outcome"`
	CancelledBy      string  `json:"cancelledBy"`
	HerWords         string  `json:"herWords"`
	PractitionerView string  `json:"practitionerView"`
	SupportBefore    string  `json:"supportBefore"`
	SupportAfter     string  `json:"supportAfter"`
	Version          int64   `json:"version"`
}

type apiLetter struct {
	ID            int64   `json:"id"`
	ArrangementID int64   `json:"arrangementId"`
	DueOn         apiDate `json:"dueOn"`
	Direction     string  `json:"direction"`
	SentOn        apiDate `json:"sentOn"`
	ReceivedOn    apiDate `json:"receivedOn"`
	CheckedBy     string  `json:"checkedBy"`
	Status        string  `json:"status"`
	StatusReason  string  `json:"statusReason"`
	Version       int64   `json:"version"`
}

// apiContact loads her record and, for a GET, audits the view.
func (s *Server) apiContact(r *http.Request) (programme.Person, store.ContactRecord, error) {
	p, _, err := s.apiRecord(r, "contact")
	if err != nil {
		return p, store.ContactRecord{}, err
	}
	rec, err := s.store.Contact(r.Context(), p.ID)
	return p, rec, err
}

// replayContact answers an API create sent again with the same
// Idempotency-Key: the record the first request made, as it answered then.
func (s *Server) replayContact(w http.ResponseWriter, r *http.Request, personID int64, pick func(store.ContactRecord) (any, bool)) error {
	rec, err := s.store.Contact(r.Context(), personID)
	if err != nil {
		return err
	}
	v, ok := pick(rec)
	if !ok {
		return haven.ErrNotFound
	}
	replayed(w)
	writeJSON(w, http.StatusCreated, v)
	return nil
}

func byID[T any](xs []T, id int64, idOf func(T) int64) (T, bool) {
	for _, x := range xs {
		if idOf(x) == id {
			return x, true
		}
	}
	var zero T
	return zero, false
}

func (s *Server) apiBy(r *http.Request) int64 { return infoFrom(r.Context()).actor.User.ID }

func toAPIChild(c contact.Child) apiChild {
	return apiChild{ID: c.ID, Name: c.Name, BornOn: dated(c.BornOn), BirthYear: c.BirthYear, RemovedOn: dated(c.RemovedOn), LACode: c.LACode,
		LegalStatus: string(c.LegalStatus), Placement: string(c.Placement), Version: c.Version}
}

func (s *Server) apiChildren(w http.ResponseWriter, r *http.Request) error {
	_, rec, err := s.apiContact(r)
	if err != nil {
		return err
	}
	out := []apiChild{}
	for _, c := range rec.Children {
		out = append(out, toAPIChild(c))
	}
	writeJSON(w, http.StatusOK, map[string]any{"children": out})
	return nil
}

func (s *Server) apiCreateChild(w http.ResponseWriter, r *http.Request) error {
	p, _, err := s.apiRecord(r, "contact")
	if err != nil {
		return err
	}
	var b apiChild
	if err := decodeJSON(r, &b); err != nil {
		return err
	}
	c, err := s.store.CreateChild(r.Context(), s.auditEvent(r, audit.Create), contact.Child{PersonID: p.ID, Name: b.Name, BornOn: b.BornOn.Date, BirthYear: b.BirthYear,
		RemovedOn: b.RemovedOn.Date, LACode: b.LACode, LegalStatus: contact.LegalStatus(b.LegalStatus), Placement: contact.Placement(b.Placement)}, s.apiBy(r), s.today())
	if d, ok := duplicateOf(err); ok {
		return s.replayContact(w, r, p.ID, func(rec store.ContactRecord) (any, bool) {
			c, ok := byID(rec.Children, d.ID, func(c contact.Child) int64 { return c.ID })
			return toAPIChild(c), ok
		})
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toAPIChild(c))
	return nil
}

func toAPIProceedings(p contact.Proceedings, before bool) apiProceedings {
	ids := p.ChildIDs
	if ids == nil {
		ids = []int64{}
	}
	return apiProceedings{ID: p.ID, IssuedOn: dated(p.IssuedOn), Court: p.Court, LACode: p.LACode, ChildIDs: ids, FinalHearingOn: dated(p.FinalHearingOn),
		Outcome: string(p.Outcome), Index: p.Index, BeforePrevious: before, Version: p.Version}
}

func (s *Server) apiProceedings(w http.ResponseWriter, r *http.Request) error {
	_, rec, err := s.apiContact(r)
	if err != nil {
		return err
	}
	before := contact.IssuedBeforePreviousFinal(rec.Proceedings)
	out := []apiProceedings{}
	for _, p := range rec.Proceedings {
		out = append(out, toAPIProceedings(p, before[p.ID]))
	}
	writeJSON(w, http.StatusOK, map[string]any{"proceedings": out})
	return nil
}

func (s *Server) apiCreateProceedings(w http.ResponseWriter, r *http.Request) error {
	p, _, err := s.apiRecord(r, "contact")
	if err != nil {
		return err
	}
	var b apiProceedings
	if err := decodeJSON(r, &b); err != nil {
		return err
	}
	pr, err := s.store.CreateProceedings(r.Context(), s.auditEvent(r, audit.Create), contact.Proceedings{PersonID: p.ID, IssuedOn: b.IssuedOn.Date, Court: b.Court,
		LACode: b.LACode, ChildIDs: b.ChildIDs, FinalHearingOn: b.FinalHearingOn.Date, Outcome: contact.Outcome(b.Outcome), Index: b.Index}, s.apiBy(r), s.today())
	if d, ok := duplicateOf(err); ok {
		return s.replayContact(w, r, p.ID, func(rec store.ContactRecord) (any, bool) {
			pr, ok := byID(rec.Proceedings, d.ID, func(p contact.Proceedings) int64 { return p.ID })
			return toAPIProceedings(pr, contact.IssuedBeforePreviousFinal(rec.Proceedings)[pr.ID]), ok
		})
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toAPIProceedings(pr, false))
	return nil
}

func toAPIArrangement(a contact.Arrangement) apiArrangement {
	return apiArrangement{ID: a.ID, ChildID: a.ChildID, Type: string(a.Type), Frequency: a.Frequency, ArrangedBy: string(a.ArrangedBy), Basis: string(a.Basis),
		StartOn: dated(a.StartOn), LastReviewOn: dated(a.LastReviewOn), NextReviewOn: dated(a.NextReviewOn), NeverReviewed: a.NeverReviewed(), Version: a.Version}
}

func (s *Server) apiArrangements(w http.ResponseWriter, r *http.Request) error {
	_, rec, err := s.apiContact(r)
	if err != nil {
		return err
	}
	out := []apiArrangement{}
	for _, a := range rec.Arrangements {
		out = append(out, toAPIArrangement(a.At(s.today(), rec.Changes)))
	}
	writeJSON(w, http.StatusOK, map[string]any{"arrangements": out})
	return nil
}

func (s *Server) apiCreateArrangement(w http.ResponseWriter, r *http.Request) error {
	p, _, err := s.apiRecord(r, "contact")
	if err != nil {
		return err
	}
	var b apiArrangement
	if err := decodeJSON(r, &b); err != nil {
		return err
	}
	children, err := s.store.Children(r.Context(), p.ID)
	if err != nil {
		return err
	}
	probe := contact.Arrangement{ChildID: b.ChildID, StartOn: b.StartOn.Date}
	if err := probe.CheckChild(children); err != nil {
		return err
	}
	a, err := s.store.CreateArrangement(r.Context(), s.auditEvent(r, audit.Create), contact.Arrangement{PersonID: p.ID, ChildID: b.ChildID, Type: contact.Type(b.Type),
		Frequency: b.Frequency, ArrangedBy: contact.Arranger(b.ArrangedBy), Basis: contact.Basis(b.Basis), StartOn: b.StartOn.Date,
		LastReviewOn: b.LastReviewOn.Date, NextReviewOn: b.NextReviewOn.Date}, s.apiBy(r), s.today())
	if d, ok := duplicateOf(err); ok {
		return s.replayContact(w, r, p.ID, func(rec store.ContactRecord) (any, bool) {
			a, ok := byID(rec.Arrangements, d.ID, func(a contact.Arrangement) int64 { return a.ID })
			return toAPIArrangement(a), ok
		})
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toAPIArrangement(a))
	return nil
}

func toAPIChange(c contact.Change) apiChange {
	out := apiChange{ID: c.ID, ArrangementID: c.ArrangementID, Aspect: string(c.Aspect), From: c.From, To: c.To, EffectiveOn: dated(c.EffectiveOn),
		ChangedBy: string(c.ChangedBy), ReasonGiven: string(c.ReasonGiven), Reason: c.Reason, ToldHow: c.ToldHow, ToldOn: dated(c.ToldOn), ToldBy: c.ToldBy,
		HerView: c.HerView, Unexplained: c.Unexplained(), Explanations: []apiExplanation{}}
	for _, e := range c.Explanations {
		out.Explanations = append(out.Explanations, apiExplanation{Reason: e.Reason, ToldHow: e.ToldHow, ToldOn: dated(e.ToldOn), ToldBy: e.ToldBy, HerView: e.HerView})
	}
	if c.Withdrawn() {
		out.Withdrawal = &apiWithdrawal{Reason: c.Withdrawal.Reason, At: c.Withdrawal.At}
	}
	return out
}

func (s *Server) apiChanges(w http.ResponseWriter, r *http.Request) error {
	_, rec, err := s.apiContact(r)
	if err != nil {
		return err
	}
	out := []apiChange{}
	for _, c := range rec.Changes {
		out = append(out, toAPIChange(c))
	}
	writeJSON(w, http.StatusOK, map[string]any{"changes": out})
	return nil
}

// apiCreateChange records a change to an arrangement. The arrangement's
// version, from If-Match or "arrangementVersion", is required: a change made
// on a stale view of the arrangement is a conflict.
func (s *Server) apiCreateChange(w http.ResponseWriter, r *http.Request) error {
	p, _, err := s.apiRecord(r, "contact")
	if err != nil {
		return err
	}
	var b struct {
		apiChange
		ArrangementVersion int64 `json:"arrangementVersion"`
	}
	if err := decodeJSON(r, &b); err != nil {
		return err
	}
	version, err := expectedVersion(r, b.ArrangementVersion)
	if err != nil {
		return err
	}
	c, err := s.store.RecordChange(r.Context(), s.auditEvent(r, audit.Create), contact.Change{PersonID: p.ID, ArrangementID: b.ArrangementID,
		Aspect: contact.Aspect(b.Aspect), From: b.From, To: b.To, EffectiveOn: b.EffectiveOn.Date, ChangedBy: contact.ChangedBy(b.ChangedBy),
		ReasonGiven: contact.ReasonGiven(b.ReasonGiven), Reason: b.Reason, ToldHow: b.ToldHow, ToldOn: b.ToldOn.Date, ToldBy: b.ToldBy, HerView: b.HerView,
		RecordedBy: s.apiBy(r)}, version, s.today())
	if d, ok := duplicateOf(err); ok {
		return s.replayContact(w, r, p.ID, func(rec store.ContactRecord) (any, bool) {
			c, ok := byID(rec.Changes, d.ID, func(c contact.Change) int64 { return c.ID })
			return toAPIChange(c), ok
		})
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toAPIChange(c))
	return nil
}

func toAPIContactSession(c contact.ContactSession) apiContactSession {
	return apiContactSession{ID: c.ID, ArrangementID: c.ArrangementID, PlannedOn: dated(c.PlannedOn), Outcome: string(c.Outcome), CancelledBy: string(c.CancelledBy),
		HerWords: c.HerWords, PractitionerView: c.PractitionerView, SupportBefore: c.SupportBefore, SupportAfter: c.SupportAfter, Version: c.Version}
}

func (s *Server) apiContactSessions(w http.ResponseWriter, r *http.Request) error {
	_, rec, err := s.apiContact(r)
	if err != nil {
		return err
	}
	out := []apiContactSession{}
	for _, c := range rec.Sessions {
		out = append(out, toAPIContactSession(c))
	}
	writeJSON(w, http.StatusOK, map[string]any{"contactSessions": out})
	return nil
}

func (s *Server) apiCreateContactSession(w http.ResponseWriter, r *http.Request) error {
	p, _, err := s.apiRecord(r, "contact")
	if err != nil {
		return err
	}
	var b apiContactSession
	if err := decodeJSON(r, &b); err != nil {
		return err
	}
	c, err := s.store.CreateContactSession(r.Context(), s.auditEvent(r, audit.Create), contact.ContactSession{PersonID: p.ID, ArrangementID: b.ArrangementID,
		PlannedOn: b.PlannedOn.Date, Outcome: contact.SessionOutcome(b.Outcome), CancelledBy: contact.Canceller(b.CancelledBy), HerWords: b.HerWords,
		PractitionerView: b.PractitionerView, SupportBefore: b.SupportBefore, SupportAfter: b.SupportAfter}, s.apiBy(r), s.today())
	if d, ok := duplicateOf(err); ok {
		return s.replayContact(w, r, p.ID, func(rec store.ContactRecord) (any, bool) {
			c, ok := byID(rec.Sessions, d.ID, func(c contact.ContactSession) int64 { return c.ID })
			return toAPIContactSession(c), ok
		})
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toAPIContactSession(c))
	return nil
}

func toAPILetter(x contact.LetterboxExchange) apiLetter {
	return apiLetter{ID: x.ID, ArrangementID: x.ArrangementID, DueOn: dated(x.DueOn), Direction: string(x.Direction), SentOn: dated(x.SentOn), ReceivedOn: dated(x.ReceivedOn),
		CheckedBy: x.CheckedBy, Status: string(x.Status), StatusReason: x.StatusReason, Version: x.Version}
}

func (s *Server) apiLetterbox(w http.ResponseWriter, r *http.Request) error {
	_, rec, err := s.apiContact(r)
	if err != nil {
		return err
	}
	out := []apiLetter{}
	for _, x := range rec.Letterbox {
		out = append(out, toAPILetter(x))
	}
	writeJSON(w, http.StatusOK, map[string]any{"letterbox": out})
	return nil
}

func (s *Server) apiCreateLetterbox(w http.ResponseWriter, r *http.Request) error {
	p, _, err := s.apiRecord(r, "contact")
	if err != nil {
		return err
	}
	var b apiLetter
	if err := decodeJSON(r, &b); err != nil {
		return err
	}
	x, err := s.store.CreateLetterboxExchange(r.Context(), s.auditEvent(r, audit.Create), contact.LetterboxExchange{PersonID: p.ID, ArrangementID: b.ArrangementID,
		DueOn: b.DueOn.Date, Direction: contact.Direction(b.Direction), SentOn: b.SentOn.Date, ReceivedOn: b.ReceivedOn.Date, CheckedBy: b.CheckedBy,
		Status: contact.LetterStatus(b.Status), StatusReason: b.StatusReason}, s.apiBy(r), s.today())
	if d, ok := duplicateOf(err); ok {
		return s.replayContact(w, r, p.ID, func(rec store.ContactRecord) (any, bool) {
			x, ok := byID(rec.Letterbox, d.ID, func(x contact.LetterboxExchange) int64 { return x.ID })
			return toAPILetter(x), ok
		})
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, toAPILetter(x))
	return nil
}
