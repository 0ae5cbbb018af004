package demo

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash"
	"iter"
	"slices"
	"time"

	"haven/internal/haven"
	"haven/internal/programme"
)

// natTable is one table's rows, in the order they are loaded and hashed.
type natTable struct {
	name    string
	columns []string
	rows    iter.Seq[[]any]
}

// sharedPassword stands in the users rows for the one argon2id hash of the
// national password. The hash has a random salt, so the content hash covers
// this marker, not the hash, and stays the same for a seed.
type sharedPassword struct{}

// tables lists every table of the data set in load order: parents before
// children, so foreign keys hold at every step.
func (n *national) tables() ([]natTable, error) {
	if _, err := n.contactModel(); err != nil {
		return nil, err
	}
	return []natTable{
		{"organisations", []string{"id", "slug", "name", "version", "created_at", "updated_at"}, n.organisationRows},
		{"practices", []string{"id", "organisation_id", "slug", "name", "version", "created_at", "updated_at"}, n.practiceRows},
		{"practice_local_authorities", []string{"practice_id", "la_code"}, n.practiceLARows},
		{"users", []string{"id", "email", "display_name", "version", "created_at", "updated_at", "password_hash", "totp_secret", "mfa_enrolled"}, n.userRows},
		{"memberships", []string{"id", "user_id", "role", "practice_id", "created_at"}, n.membershipRows},
		{"agencies", []string{"id", "practice_id", "name", "kind", "contact", "agreement", "version", "created_at", "updated_at"}, n.agencyRows},
		{"people", []string{"id", "ref", "practice_id", "practitioner_id", "first_name", "last_name", "pronouns", "date_of_birth", "la_code",
			"care_experienced", "safe_channels", "version", "created_at", "updated_at"}, n.peopleRows},
		{"enrolments", []string{"id", "person_id", "practice_id", "phase", "referred_on", "engaged_on", "started_on", "ended_on", "end_reason", "exit_category",
			"version", "created_at", "updated_at"}, n.enrolmentRows},
		{"phase_events", []string{"id", "enrolment_id", "from_phase", "to_phase", "on_date", "reason", "by_user", "at"}, n.phaseEventRows},
		{"referrals", []string{"id", "ref", "practice_id", "source", "status", "received_at", "first_name", "last_name", "date_of_birth",
			"la_code", "safe_channels", "children_removed", "care_experienced", "children_in_care", "consent",
			"referrer_name", "referrer_organisation", "referrer_role", "referrer_contact", "situation",
			"entered_by", "outcome_reason", "referred_on_to", "outcome_by", "outcome_at", "person_id", "version", "created_at", "updated_at"}, n.referralRows},
		{"support_sessions", []string{"id", "person_id", "on_date", "kind", "minutes", "initiated_by", "note", "practical_help",
			"fund_pence", "fund_category", "agencies", "version", "created_by", "created_at"}, n.sessionRows},
		{"goals", []string{"id", "person_id", "domain", "words", "steps", "target_on", "progress", "created_by", "version", "created_at", "updated_at"}, n.goalRows},
		{"referrals_out", []string{"id", "person_id", "agency_id", "status", "reason", "sent_on", "changed_on", "version", "created_at", "updated_at"}, n.referralOutRows},
		// Children, care proceedings and contact (migration 0014; national_contact.go).
		{"children", []string{"id", "person_id", "name", "born_on", "birth_year", "removed_on", "la_code", "legal_status", "placement",
			"created_by", "version", "created_at", "updated_at"}, n.childRows},
		{"child_placements", []string{"id", "child_id", "placement", "from_on", "by_user", "at"}, n.childPlacementRows},
		{"proceedings", []string{"id", "person_id", "issued_on", "court", "la_code", "final_hearing_on", "outcome", "is_index",
			"created_by", "version", "created_at", "updated_at"}, n.proceedingsRows},
		{"proceedings_children", []string{"proceedings_id", "child_id"}, n.proceedingsChildRows},
		{"contact_arrangements", []string{"id", "person_id", "child_id", "kind", "frequency", "arranged_by", "basis", "start_on",
			"last_review_on", "next_review_on", "created_by", "version", "created_at", "updated_at"}, n.arrangementRows},
		{"contact_changes", []string{"id", "person_id", "arrangement_id", "aspect", "from_value", "to_value", "effective_on", "changed_by",
			"reason_given", "reason", "told_how", "told_on", "told_by", "her_view", "recorded_by", "recorded_at"}, n.changeRows},
		{"contact_explanations", []string{"id", "change_id", "reason", "told_how", "told_on", "told_by", "her_view", "recorded_by", "recorded_at"}, n.explanationRows},
		{"contact_sessions", []string{"id", "person_id", "arrangement_id", "planned_on", "outcome", "cancelled_by", "her_words", "practitioner_view",
			"support_before", "support_after", "created_by", "version", "created_at", "updated_at"}, n.contactSessionRows},
		{"letterbox_exchanges", []string{"id", "person_id", "arrangement_id", "due_on", "direction", "sent_on", "received_on", "checked_by",
			"status", "status_reason", "created_by", "version", "created_at", "updated_at"}, n.letterboxRows},
		// Outcome measures and pregnancies (issue 17; national_measures.go).
		{"pregnancies", []string{"id", "person_id", "known_on", "outcome", "recorded_by", "at"}, n.pregnancyRows},
		{"measures", []string{"id", "person_id", "instrument", "point", "taken_on", "answers", "valid", "total", "metric", "band", "flags",
			"recorded_by", "at", "response_note", "response_by", "response_at"}, n.measureRows},
		{"need_points", []string{"id", "person_id", "point", "assessed_on", "stable_housing", "paid_work", "child_contact", "version",
			"recorded_by", "at"}, n.needPointRows},
		{"need_readings", []string{"need_point_id", "domain", "status", "change_since"}, n.needReadingRows},
	}, nil
}

// at is a time on day d, minutes after nine in the morning, UTC.
func at(d haven.Date, minutes int) time.Time {
	return d.Time().Add(9*time.Hour + time.Duration(minutes)*time.Minute)
}

func nullUser(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// setUp is when the national organisations and staff were set up.
func (n *national) setUp() time.Time { return at(days(n.asOf, -5*365), 0) }

var providerNames = []string{"Northstar Women's Trust", "Second Spring", "Lanternlight Services", "Riverbend Futures",
	"Kestrel Family Trust", "Harbourline", "Meadowgate Partnership", "Willowmere Trust"}

func (n *national) organisationRows(yield func([]any) bool) {
	t := n.setUp()
	for i := range n.sc.Organisations {
		name := providerNames[i%len(providerNames)]
		if i >= len(providerNames) {
			name = fmt.Sprintf("%s %d", name, i/len(providerNames)+1)
		}
		if !yield([]any{int64(i + 1), fmt.Sprintf("national-org-%02d", i+1), name + " (national demo)", int64(1), t, t}) {
			return
		}
	}
}

func (n *national) practiceRows(yield func([]any) bool) {
	t := n.setUp()
	for _, p := range n.practices {
		if !yield([]any{p.id, p.org, p.slug, p.name, int64(1), t, t}) {
			return
		}
	}
}

func (n *national) practiceLARows(yield func([]any) bool) {
	for _, p := range n.practices {
		for _, la := range p.las {
			if !yield([]any{p.id, la}) {
				return
			}
		}
	}
}

func (n *national) userRows(yield func([]any) bool) {
	t := n.setUp()
	for _, s := range n.staff {
		if !yield([]any{s.id, s.email, s.first + " " + s.last, int64(1), t, t, sharedPassword{}, s.totp, true}) {
			return
		}
	}
}

func (n *national) membershipRows(yield func([]any) bool) {
	t := n.setUp()
	for _, s := range n.staff {
		if !yield([]any{s.id, s.id, string(s.role), n.practices[s.practice].id, t}) {
			return
		}
	}
}

// agencyID is the ID of Practice p's k-th partner agency.
func agencyID(p natPractice, k int) int64 { return (p.id-1)*int64(len(demoAgencies)) + int64(k) + 1 }

func (n *national) agencyRows(yield func([]any) bool) {
	t := n.setUp()
	for _, p := range n.practices {
		for k, a := range demoAgencies {
			if !yield([]any{agencyID(p, k), p.id, a.Name, a.Kind, a.Contact, a.Agreement, int64(1), t, t}) {
				return
			}
		}
	}
}

var safeChannels = []string{"text", "phone,text", "email", "text,letter", ""}

func (n *national) current(w natWoman) natEnrolment { return n.enrols[w.enrols[len(w.enrols)-1]] }

func (n *national) peopleRows(yield func([]any) bool) {
	for i, w := range n.women {
		first, last := n.enrols[w.enrols[0]], n.current(w)
		updated := last.ReferredOn
		if k := len(last.PhaseEvents); k > 0 {
			updated = last.PhaseEvents[k-1].On
		}
		if !yield([]any{w.id, w.ref, n.practices[w.practice].id, nullUser(w.practitioner), w.first, w.last, "she/her", w.dob, w.la,
			careAnswer(w.care), safeChannels[i%len(safeChannels)], int64(1 + len(last.PhaseEvents)), at(first.ReferredOn, 30), at(updated, 45)}) {
			return
		}
	}
}

func (n *national) enrolmentRows(yield func([]any) bool) {
	for _, e := range n.enrols {
		updated := e.ReferredOn
		if k := len(e.PhaseEvents); k > 0 {
			updated = e.PhaseEvents[k-1].On
		}
		if !yield([]any{e.ID, e.PersonID, e.PracticeID, string(e.Phase), e.ReferredOn, e.EngagedOn, e.StartedOn, e.EndedOn, e.EndReason, string(e.Exit),
			int64(1 + len(e.PhaseEvents)), at(e.ReferredOn, 40), at(updated, 50)}) {
			return
		}
	}
}

func (n *national) phaseEventRows(yield func([]any) bool) {
	id := int64(0)
	for _, w := range n.women {
		for _, ei := range w.enrols {
			e := n.enrols[ei]
			for k, pe := range e.PhaseEvents {
				id++
				if !yield([]any{id, e.ID, string(pe.From), string(pe.To), pe.On, pe.Reason, nullUser(w.practitioner), at(pe.On, 60+k)}) {
					return
				}
			}
		}
	}
}

var removedAnswers = []string{string(programme.RemovedOne), string(programme.RemovedTwo), string(programme.RemovedTwo), string(programme.RemovedThreeOrMore)}
var answers = []string{string(programme.AnswerYes), string(programme.AnswerNo), string(programme.AnswerUnknown)}

// referralRows are each Practice's triage queue and a few it turned down,
// then the accepted referrals of the women who came in most recently.
func (n *national) referralRows(yield func([]any) bool) {
	rng := newRNG(n.seed, streamReferrals, 0)
	id := int64(0)
	row := func(p natPractice, status programme.ReferralStatus, received time.Time, first, last string, person int64) []any {
		id++
		coordinator := n.staff[p.staff[1]].id
		source, enteredBy := string(programme.ReferralSelf), any(nil)
		refName, refOrg, refRole, refContact := "", "", "", ""
		situation := ""
		if rng.IntN(2) == 0 {
			source, enteredBy = string(programme.ReferralProfessional), coordinator
			refName, refOrg, refRole = lastNames[rng.IntN(len(lastNames))]+" (fictional)", "Children's services (demo)", "Social worker"
			refContact = fmt.Sprintf("referrer.%d@referrals.haven.invalid", id)
			situation = "Her second child was removed this year; she has asked for support. (Fictional demo referral.)"
		}
		outcomeReason, referredOnTo, outcomeBy, outcomeAt := "", "", any(nil), any(nil)
		switch status {
		case programme.ReferralAccepted, programme.ReferralDeclined, programme.ReferralReferredOn:
			outcomeBy, outcomeAt = coordinator, received.Add(26*time.Hour)
		}
		switch status {
		case programme.ReferralDeclined:
			outcomeReason = "Her children are still with her; signposted to family support. (Fictional.)"
		case programme.ReferralReferredOn:
			outcomeReason, referredOnTo = "Lives outside the area", "Neighbouring Practice (demo)"
		}
		la := p.las[rng.IntN(len(p.las))]
		dob := haven.NewDate(between(rng, 1982, 2006), time.Month(between(rng, 1, 12)), between(rng, 1, 28))
		return []any{id, referralRef(n.seed, id), p.id, source, string(status), received, first, last, dob,
			la, safeChannels[rng.IntN(len(safeChannels))], removedAnswers[rng.IntN(len(removedAnswers))], answers[rng.IntN(3)], answers[rng.IntN(3)], "given",
			refName, refOrg, refRole, refContact, situation,
			enteredBy, outcomeReason, referredOnTo, outcomeBy, outcomeAt, nullUser(person), int64(1), received, received}
	}
	for _, p := range n.practices {
		queue := make([]programme.ReferralStatus, n.sc.TriagePerPractice)
		for k := range queue {
			queue[k] = programme.ReferralNew
			if k%3 == 2 {
				queue[k] = programme.ReferralWaiting
			}
		}
		queue = append(queue, programme.ReferralDeclined, programme.ReferralDeclined, programme.ReferralReferredOn)
		for _, st := range queue {
			received := at(days(n.asOf, -between(rng, 0, 40)), between(rng, 0, 600))
			first, last := womenFirst[rng.IntN(len(womenFirst))], nationalSurnames[rng.IntN(len(nationalSurnames))]
			if !yield(row(p, st, received, first, last, 0)) {
				return
			}
		}
	}
	for _, w := range n.women {
		e := n.current(w)
		if e.Phase != programme.PhaseReferred && e.Phase != programme.PhaseEngaging {
			continue
		}
		if !yield(row(n.practices[w.practice], programme.ReferralAccepted, at(days(e.ReferredOn, -1), 120), w.first, w.last, w.id)) {
			return
		}
	}
}

var sessionKinds = []programme.SessionType{programme.SessionHomeVisit, programme.SessionHomeVisit, programme.SessionAccompanied,
	programme.SessionPhone, programme.SessionPhone, programme.SessionVideo, programme.SessionGroup, programme.SessionOutreach}

// sessionRows are every woman's sessions, woman by woman and oldest first,
// spread over the time she has been worked with.
func (n *national) sessionRows(yield func([]any) bool) {
	id := int64(0)
	var offsets []int
	row := make([]any, 14)
	for i := range n.women {
		w := &n.women[i]
		if w.sessions == 0 {
			continue
		}
		rng := newRNG(n.seed, streamSessions, uint64(w.id)) // #nosec G115 -- a woman's id as a stream number: every int64 has its own uint64
		wins := n.windows(w)
		total := 0
		for _, win := range wins {
			total += win.days()
		}
		offsets = offsets[:0]
		for range w.sessions {
			offsets = append(offsets, rng.IntN(total))
		}
		slices.Sort(offsets)
		for _, off := range offsets {
			on := wins[0].from
			for _, win := range wins {
				if off < win.days() {
					on = days(win.from, off)
					break
				}
				off -= win.days()
			}
			kind := sessionKinds[rng.IntN(len(sessionKinds))]
			notes, span := sessionNotes[kind], sessionMinutes[kind]
			initiated := programme.Initiators[rng.IntN(len(programme.Initiators))]
			help, agencies := sessionHelp[rng.IntN(len(sessionHelp))], sessionAgencies[rng.IntN(len(sessionAgencies))]
			var pence, category any
			if kind == programme.SessionOutreach {
				initiated, help, agencies = programme.InitiatedByPractitioner, "", ""
			} else if rng.IntN(4) == 0 {
				sp := sessionSpend[rng.IntN(len(sessionSpend))]
				pence, category = sp.pence, string(sp.category)
			}
			id++
			row = append(row[:0], id, w.id, on, string(kind), int64(between(rng, span[0], span[1])), string(initiated),
				notes[rng.IntN(len(notes))]+" (Fictional demo note.)", help, pence, category, agencies, int64(1), w.practitioner,
				at(on, 420+rng.IntN(180)))
			if !yield(row) {
				return
			}
		}
	}
}

// goalRows are each woman's goals, numbered woman by woman. Women still on
// the programme have goals to work on and some to review; finished goals
// belong to the women who have moved on.
func (n *national) goalRows(yield func([]any) bool) {
	for _, w := range n.women {
		if w.goals == 0 {
			continue
		}
		rng := newRNG(n.seed, streamGoals, uint64(w.id)) // #nosec G115 -- a woman's id as a stream number: every int64 has its own uint64
		e := n.current(w)
		wins := n.windows(&w)
		from, to := wins[0].from, wins[len(wins)-1].to
		working := e.Phase == programme.PhaseEngaging || e.Phase == programme.PhaseStarted || e.Phase == programme.PhaseActive
		for g := range w.goals {
			created := days(from, rng.IntN(min(60, wins[0].days())))
			var domain, words, steps string
			if rng.IntN(20) == 0 {
				domain, words, steps = string(programme.DomainSexualHealth), "Keep on top of my contraception appointments", "Book the review with the clinic"
			} else {
				d := demoGoals[rng.IntN(len(demoGoals))]
				domain, words, steps = string(d.domain), d.words, d.steps
			}
			var progress programme.Progress
			target := days(to, between(rng, -120, 30))
			switch r := rng.IntN(20); {
			case working && r < 6:
				progress = programme.NotStarted
			case working && r < 16:
				progress = programme.InProgress
			case working:
				progress = programme.Achieved
			case e.Phase == programme.PhaseFollowOn && r < 4:
				progress = programme.InProgress
			case r < 13:
				progress = programme.Achieved
			default:
				progress = programme.NoLongerRelevant
			}
			if working {
				target = days(n.asOf, between(rng, -60, 180))
			}
			if target.Before(created) {
				target = days(created, 30)
			}
			if !yield([]any{w.firstGoal + int64(g), w.id, domain, words, steps, target, string(progress), w.practitioner, int64(1),
				at(created, 480+g), at(created, 480+g)}) {
				return
			}
		}
	}
}

var outStatuses = []programme.OutStatus{programme.OutSent, programme.OutSent, programme.OutAccepted, programme.OutAccepted,
	programme.OutAppointment, programme.OutOutcome}

// referralOutRows give every woman in the active phase a referral to one of
// her Practice's partners; those that have not moved for a fortnight show
// on the tasks page.
func (n *national) referralOutRows(yield func([]any) bool) {
	id := int64(0)
	for _, w := range n.women {
		if n.current(w).Phase != programme.PhaseActive {
			continue
		}
		rng := newRNG(n.seed, streamReferrals, uint64(w.id)) // #nosec G115 -- a woman's id as a stream number: every int64 has its own uint64
		p := n.practices[w.practice]
		sent := days(n.asOf, -between(rng, 5, 120))
		changed := days(sent, between(rng, 0, 10))
		if n.asOf.Before(changed) {
			changed = n.asOf
		}
		id++
		if !yield([]any{id, w.id, agencyID(p, rng.IntN(len(demoAgencies))), string(outStatuses[rng.IntN(len(outStatuses))]),
			"Support she asked for with her practitioner. (Fictional demo referral.)", sent, changed, int64(1), at(sent, 300), at(changed, 300)}) {
			return
		}
	}
}

// rowHasher is the content hash: SHA-256 over every table's name, columns
// and rows in load order, each value tagged with its type.
type rowHasher struct {
	sum      hash.Hash
	buf      []byte
	password string // put in place of sharedPassword after hashing
}

func newRowHasher(password string) *rowHasher {
	return &rowHasher{sum: sha256.New(), password: password}
}

func (h *rowHasher) table(name string, columns []string) {
	h.buf = append(h.buf[:0], 'T')
	h.buf = appendString(h.buf, name)
	for _, c := range columns {
		h.buf = appendString(h.buf, c)
	}
	h.sum.Write(h.buf)
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// row adds a row to the hash, and swaps the password marker for the hash
// the database is to hold.
func (h *rowHasher) row(row []any) error {
	b := append(h.buf[:0], 'R')
	for i, v := range row {
		switch v := v.(type) {
		case nil:
			b = append(b, 'n')
		case int64:
			b = binary.BigEndian.AppendUint64(append(b, 'i'), uint64(v)) // #nosec G115 -- the value's bits as bytes to hash: every int64 has its own uint64
		case string:
			b = appendString(append(b, 's'), v)
		case bool:
			b = append(b, 'b')
			if v {
				b = append(b, 1)
			} else {
				b = append(b, 0)
			}
		case time.Time:
			b = v.UTC().AppendFormat(append(b, 't'), time.RFC3339Nano)
		case haven.Date:
			if v.IsZero() {
				b = append(b, 'n')
			} else {
				b = appendString(append(b, 'd'), v.String())
			}
		case sharedPassword:
			b = append(b, 'p')
			row[i] = h.password
		default:
			return fmt.Errorf("demo: no hash encoding for %T", v)
		}
	}
	h.buf = b
	h.sum.Write(b)
	return nil
}

func (h *rowHasher) hex() string { return hex.EncodeToString(h.sum.Sum(nil)) }

// careAnswer is the column's yes or no (migration 0023 made it an answer).
func careAnswer(care bool) string {
	if care {
		return "yes"
	}
	return "no"
}
