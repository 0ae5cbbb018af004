package demo

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"haven/internal/access"
	"haven/internal/contact"
	"haven/internal/haven"
	"haven/internal/programme"
)

// Children, care proceedings and contact in the national data set. Every
// woman has had at least one child removed; how many follows her age. Her
// children were born before she was referred, came before the court in one
// or more sets of proceedings issued before then (some issued before the
// last set's final hearing), and live where the outcome put them. Most
// women have one set, about 1 in 4 another within 7 years, as the research
// found; a few have a baby after engagement began, removed in new
// proceedings (Metric 2 not met). Each child has up to three
// arrangements one after another or side by side: contact during the
// proceedings, ended at the final hearing; what the order allowed after it;
// and sometimes something added later. Arrangements change over time, mostly
// with a reason given; some never explained, some explained later. Women in
// the programme have contact sessions planned, and letterbox letters come due
// while a Practice works with her.
//
// The counts are shared out first (Scale's totals, exactly), then each
// woman's record is made from her own two random streams. Nothing is made
// after her record's horizon: the day her enrolment closed, or the data set's
// day, so a Practice never holds what it could not know.

type natArrangement struct {
	contact.Arrangement
	end     haven.Date // ended on this day, when the order that followed took over; zero while it runs
	steady  bool       // no changes of kind or suspensions (the heavy women keep their direct contact and letters)
	changes []contact.Change
	updated time.Time
}

type natProceedings struct {
	contact.Proceedings
	updated time.Time
}

type natContactSession struct {
	contact.ContactSession
	updated time.Time
}

type natLetter struct {
	contact.LetterboxExchange
	updated time.Time
}

// natContact is one woman's children and contact record.
type natContact struct {
	by           int64 // who recorded it: her practitioner, or her Practice's co-ordinator
	children     []contact.Child
	proceedings  []natProceedings
	arrangements []natArrangement
	sessions     []natContactSession
	letters      []natLetter
	lateBirth    haven.Date // a baby born after her engagement began, removed in new proceedings; zero for most
}

// natSlot is an arrangement a child could have; counts pick which.
type natSlot struct {
	natArrangement
	weight int // for sharing out changes: days it has run, times a random factor
}

// natChildPlan is a child's arrangements before the counts are settled.
type natChildPlan struct {
	slots    []natSlot // interim (while proceedings ran), then after the order, then one added later
	decided  bool      // the proceedings have ended, so contact after the order exists
	draw, hi int
}

// natWomanPlan is a woman's record before arrangements and changes are counted.
type natWomanPlan struct {
	rec      natContact
	children []natChildPlan
	horizon  haven.Date
	recFrom  haven.Date // when her Practice started recording: a few days after she was first referred
}

// contactModel makes every woman's record, once.
func (n *national) contactModel() ([]natContact, error) {
	if n.contact != nil || n.sc.Children == 0 {
		return n.contact, nil
	}
	rng := newRNG(n.seed, streamContact, 0)

	// Children and proceedings a woman.
	kids, procs, err := n.shareChildren(rng)
	if err != nil {
		return nil, err
	}
	places := map[string]string{}
	las := access.LocalAuthorities()
	for _, la := range las {
		places[la.Code] = placeName(las, la.Code)
	}
	plans := make([]natWomanPlan, len(n.women))
	for i := range n.women {
		plans[i] = n.contactTimeline(&n.women[i], kids[i], procs[i], places)
	}

	// Arrangements a child, then changes an arrangement.
	var count, lo, hi []int
	for i, wp := range plans {
		for _, cp := range wp.children {
			least := 0
			if n.women[i].heavy {
				least = cp.hi
			}
			count, lo, hi = append(count, cp.draw), append(lo, least), append(hi, cp.hi)
		}
	}
	if err := settle(count, lo, hi, n.sc.Arrangements, rng.Perm(len(count))); err != nil {
		return nil, fmt.Errorf("demo: %d contact arrangements cannot be shared out among %d children: %w", n.sc.Arrangements, len(count), err)
	}
	k := 0
	var weights []int
	lo, hi = lo[:0], hi[:0]
	for i := range plans {
		for j := range plans[i].children {
			cp := &plans[i].children[j]
			cp.slots = chosenSlots(cp, count[k])
			k++
			for _, s := range cp.slots {
				run := max(0, span(s.StartOn, earlier(orDate(s.end, plans[i].horizon), plans[i].horizon)))
				least := 0
				if !s.end.IsZero() {
					least = 1 // the change that ended it
				}
				lo, hi = append(lo, least), append(hi, least+min(15, 1+run/45))
				weights = append(weights, s.weight)
			}
		}
	}
	changes, err := shareByWeight(n.sc.Changes, lo, hi, weights, rng)
	if err != nil {
		return nil, fmt.Errorf("demo: %d contact changes cannot be shared out among %d arrangements: %w", n.sc.Changes, len(weights), err)
	}

	// The details, woman by woman, numbered as they are made.
	var ids struct{ child, proceedings, arrangement, change, explanation, session, letter int64 }
	k = 0
	n.contact = make([]natContact, len(n.women))
	for i := range plans {
		wp := &plans[i]
		n.contactDetail(&n.women[i], wp, changes[k:])
		for _, cp := range wp.children {
			k += len(cp.slots)
		}
		rec := wp.rec
		childIDs := make([]int64, len(rec.children))
		for j := range rec.children {
			ids.child++
			childIDs[j] = ids.child
			rec.children[j].ID = ids.child
		}
		for j := range rec.proceedings {
			ids.proceedings++
			p := &rec.proceedings[j]
			p.ID = ids.proceedings
			for m, c := range p.ChildIDs {
				p.ChildIDs[m] = childIDs[c] // indexes until now
			}
		}
		arrIDs := make([]int64, len(rec.arrangements))
		for j := range rec.arrangements {
			ids.arrangement++
			a := &rec.arrangements[j]
			a.ID, arrIDs[j] = ids.arrangement, ids.arrangement
			a.ChildID = childIDs[a.ChildID]
			for m := range a.changes {
				ids.change++
				c := &a.changes[m]
				c.ID, c.ArrangementID = ids.change, a.ID
				for x := range c.Explanations {
					ids.explanation++
					c.Explanations[x].ID, c.Explanations[x].ChangeID = ids.explanation, c.ID
				}
			}
		}
		for j := range rec.sessions {
			ids.session++
			rec.sessions[j].ID = ids.session
			rec.sessions[j].ArrangementID = arrIDs[rec.sessions[j].ArrangementID]
		}
		for j := range rec.letters {
			ids.letter++
			rec.letters[j].ID = ids.letter
			rec.letters[j].ArrangementID = arrIDs[rec.letters[j].ArrangementID]
		}
		n.contact[i] = rec
	}
	return n.contact, nil
}

func orDate(d, otherwise haven.Date) haven.Date {
	if d.IsZero() {
		return otherwise
	}
	return d
}

func earlier(a, b haven.Date) haven.Date {
	if b.Before(a) {
		return b
	}
	return a
}

func later(a, b haven.Date) haven.Date {
	if a.Before(b) {
		return b
	}
	return a
}

// span is the days from a to b.
func span(a, b haven.Date) int { return int(b.Time().Sub(a.Time()).Hours() / 24) }

func yearsOld(dob, on haven.Date) int {
	d, o := dob.Time(), on.Time()
	y := o.Year() - d.Year()
	if o.Month() < d.Month() || (o.Month() == d.Month() && o.Day() < d.Day()) {
		y--
	}
	return y
}

// settle moves counts one at a time, in the given order, until they add up
// to total, keeping each within [lo, hi].
func settle(counts, lo, hi []int, total int, order []int) error {
	sum := 0
	for _, c := range counts {
		sum += c
	}
	for sum != total {
		before := sum
		for _, i := range order {
			switch {
			case sum == total:
			case sum < total && counts[i] < hi[i]:
				counts[i]++
				sum++
			case sum > total && counts[i] > lo[i]:
				counts[i]--
				sum--
			}
		}
		if sum == before {
			return fmt.Errorf("the limits allow no more")
		}
	}
	return nil
}

// shareByWeight gives each item lo, shares the rest out by weight within
// hi, and settles the round-off in a random order.
func shareByWeight(total int, lo, hi, weight []int, rng *rand.Rand) ([]int, error) {
	counts := slices.Clone(lo)
	rest, all := total, int64(0)
	for i := range lo {
		rest -= lo[i]
		all += int64(weight[i])
	}
	if rest > 0 && all > 0 {
		for i := range counts {
			counts[i] = min(hi[i], lo[i]+int(int64(weight[i])*int64(rest)/all))
		}
	}
	return counts, settle(counts, lo, hi, total, rng.Perm(len(counts)))
}

// shareChildren decides how many children and sets of proceedings each woman
// has: as many children as her age allows, about three on average, and about
// two sets of proceedings. The heavy women have the most, and at least two sets.
func (n *national) shareChildren(rng *rand.Rand) (kids, procs []int, err error) {
	kids, procs = make([]int, len(n.women)), make([]int, len(n.women))
	lo, hi := make([]int, len(n.women)), make([]int, len(n.women))
	weights := []int{12, 25, 28, 18, 10, 7} // one child to six
	for i, w := range n.women {
		most := min(6, max(1, (yearsOld(w.dob, n.horizon(w))-16)/2))
		r, k := rng.IntN(100), 0
		for r >= weights[k] {
			r -= weights[k]
			k++
		}
		kids[i], lo[i], hi[i] = min(k+1, most), 1, most
		if w.heavy {
			kids[i], lo[i] = most, most
		}
	}
	if err := settle(kids, lo, hi, n.sc.Children, rng.Perm(len(kids))); err != nil {
		return nil, nil, fmt.Errorf("demo: %d children cannot be shared out among %d women: %w", n.sc.Children, len(n.women), err)
	}
	// Each child after the first starts a new set with the chance that gives the total.
	q := float64(n.sc.Proceedings-len(n.women)) / float64(max(1, n.sc.Children-len(n.women)))
	for i, w := range n.women {
		procs[i], lo[i], hi[i] = 1, 1, kids[i]
		for range kids[i] - 1 {
			if rng.Float64() < q {
				procs[i]++
			}
		}
		if w.heavy {
			procs[i] = min(kids[i], 3)
			lo[i], hi[i] = procs[i], procs[i]
		}
	}
	if err := settle(procs, lo, hi, n.sc.Proceedings, rng.Perm(len(procs))); err != nil {
		return nil, nil, fmt.Errorf("demo: %d sets of proceedings cannot be shared out among %d women: %w", n.sc.Proceedings, len(n.women), err)
	}
	return kids, procs, nil
}

// horizon is the last day her Practice records anything about her: the day
// her enrolment closed, or the data set's day.
func (n *national) horizon(w natWoman) haven.Date {
	if c := n.current(w).closedOn; !c.IsZero() {
		return c
	}
	return n.asOf
}

var natChildNames = []string{"Mia", "Leo", "T.J.", "Ava", "Noah", "R.", "Isla", "Theo", "Ruby", "K.", "Alfie", "Poppy", "Archie", "Lily",
	"J.", "Oscar", "Evie", "Riley", "Maisie", "Harley", "A.M.", "Frankie", "Willow", "Jayden", "Skye", "Tommy", "Ella-Rose", "D.",
	"Kai", "Bonnie", "Reggie", "Summer", "Louie", "Darcie", "S.", "Ezra"}

type outcomeWeight struct {
	outcome contact.Outcome
	weight  int
}

var (
	youngOutcomes = []outcomeWeight{{"placement-order", 45}, {"care-order", 25}, {"special-guardianship-order", 18},
		{"child-arrangements-order", 5}, {"supervision-order", 4}, {"no-order", 3}}
	olderOutcomes = []outcomeWeight{{"care-order", 40}, {"placement-order", 15}, {"special-guardianship-order", 25},
		{"child-arrangements-order", 10}, {"supervision-order", 6}, {"no-order", 4}}
)

func pickOutcome(rng *rand.Rand, ws []outcomeWeight) contact.Outcome {
	r := rng.IntN(100)
	for _, w := range ws {
		if r < w.weight {
			return w.outcome
		}
		r -= w.weight
	}
	return ws[0].outcome
}

// contactTimeline makes a woman's children and proceedings, and the
// arrangements each child could have.
func (n *national) contactTimeline(w *natWoman, c, p int, places map[string]string) natWomanPlan {
	rng := newRNG(n.seed, streamContact, uint64(w.id)) // #nosec G115 -- a woman's id as a stream number: every int64 has its own uint64
	first := n.enrols[w.enrols[0]]
	pr := n.practices[w.practice]
	wp := natWomanPlan{horizon: n.horizon(*w)}
	h := wp.horizon
	wp.recFrom = earlier(days(first.ReferredOn, between(rng, 3, 30)), h)
	wp.rec.by = w.practitioner
	if wp.rec.by == 0 {
		wp.rec.by = n.staff[pr.staff[1]].id
	}
	record := func(d haven.Date, minutes int) time.Time { return at(earlier(later(d, wp.recFrom), h), minutes) }

	// Births: the last a little before she was referred, the others a year or more apart.
	gaps, total := make([]int, c-1), 0
	for i := range gaps {
		gaps[i] = between(rng, 300, 1100)
		total += gaps[i]
	}
	hi := days(first.ReferredOn, -between(rng, 30, 500))
	lo := days(w.dob, 16*365+rng.IntN(3*365))
	// Most women come to a Practice a year or more after their last child
	// was removed, where her age leaves room.
	if far := days(first.ReferredOn, -between(rng, 60, 1400)); span(lo, far) >= total {
		hi = far
	}
	if span(lo, hi) < total { // younger, rather than after she was first referred
		lo = later(days(w.dob, 14*365), days(hi, -total))
	}
	if span(lo, hi) < total {
		hi = days(h, -14)
	}
	if span(lo, hi) < total {
		lo = later(days(w.dob, 14*365), days(hi, -total))
	}
	if room := max(0, span(lo, hi)); room < total { // not at the shipped scales: squeeze the gaps to fit
		was := total
		total = 0
		for i := range gaps {
			gaps[i] = gaps[i] * room / was
			total += gaps[i]
		}
	}
	born := make([]haven.Date, c)
	born[c-1] = days(hi, -rng.IntN(max(0, min(span(lo, hi)-total, 3*365))+1))
	for i := c - 2; i >= 0; i-- {
		born[i] = days(born[i+1], -gaps[i])
	}

	// A few women have a baby after engagement began, removed in new
	// proceedings: Metric 2 not met, and the recurrence the programme works
	// to prevent. The baby is her youngest, alone in her last set.
	late := false
	if e, ok := n.lastEngaged(*w); ok && p >= 2 && !w.heavy && span(e.EngagedOn, h) >= 400 && rng.IntN(4) == 0 {
		on := later(days(e.EngagedOn, between(rng, 200, min(1000, span(e.EngagedOn, h)-60))), days(born[c-2], 300))
		if on.Before(days(h, -30)) {
			born[c-1], late = on, true
			wp.rec.lateBirth = on
		}
	}

	// Children in birth order, in consecutive sets of proceedings.
	setOf := make([]int, c)
	cuts := rng.Perm(c - 1)[:p-1]
	if late && !slices.Contains(cuts, c-2) {
		cuts[0] = c - 2
	}
	slices.Sort(cuts)
	for i, k := 0, 0; i < c; i++ {
		setOf[i] = k
		if k < len(cuts) && cuts[k] == i {
			k++
		}
	}
	youngest := make([]int, p)
	for i, k := range setOf {
		youngest[k] = i
	}
	issued, final := make([]haven.Date, p), make([]haven.Date, p)
	for k := range p {
		y := born[youngest[k]]
		switch {
		case rng.IntN(10) < 4: // removed at birth
			issued[k] = days(y, rng.IntN(7))
		case w.heavy:
			issued[k] = days(y, between(rng, 7, 120))
		default:
			issued[k] = days(y, between(rng, 7, 600))
		}
		if k > 0 {
			issued[k] = later(issued[k], days(issued[k-1], 60))
		}
		if late && k == p-1 {
			issued[k] = days(y, rng.IntN(7))
		}
	}
	// Issued before she was first referred (a Practice works with women
	// after a removal), but for a late baby's; each set before the next.
	for k := p - 1; k >= 0; k-- {
		limit := earlier(days(h, -1), days(first.ReferredOn, -14))
		switch {
		case late && k == p-1:
			limit = days(h, -1)
		case k < p-1:
			limit = earlier(limit, days(issued[k+1], -60))
		}
		issued[k] = later(earlier(issued[k], limit), born[youngest[k]])
	}
	for k := range p {
		if w.heavy {
			final[k] = days(issued[k], between(rng, 90, 200))
		} else {
			final[k] = days(issued[k], between(rng, 90, 420))
		}
	}
	// Some sets are issued before the set before has had its final hearing.
	for k := 1; k < p; k++ {
		if rng.IntN(2) == 0 && !w.heavy && issued[k-1].Before(issued[k]) && span(issued[k-1], issued[k]) < 800 {
			final[k-1] = later(final[k-1], days(issued[k], between(rng, 7, 120)))
		}
	}
	if w.heavy { // every set decided, with time for contact after the order
		for k := range p {
			final[k] = later(issued[k], earlier(final[k], days(h, -30)))
		}
	}

	outcomes := make([]contact.Outcome, p)
	decidedOn := make([]haven.Date, p) // the final hearing, or the day a withdrawn set ended
	for k := range p {
		la := w.la
		if rng.IntN(7) == 0 {
			la = pr.las[rng.IntN(len(pr.las))]
		}
		set := natProceedings{Proceedings: contact.Proceedings{PersonID: w.id, IssuedOn: issued[k], Court: "Family Court at " + places[la] + " (demo)",
			LACode: la, Index: k == 0, Version: 1}}
		for i := range c {
			if setOf[i] == k {
				set.ChildIDs = append(set.ChildIDs, int64(i)) // an index until IDs are given
			}
		}
		if !h.Before(final[k]) {
			decidedOn[k] = final[k]
			switch {
			case w.heavy && k == 0:
				outcomes[k] = "placement-order"
			case w.heavy && k == p-1:
				outcomes[k] = "care-order"
			case !w.heavy && rng.IntN(40) == 0:
				outcomes[k] = "withdrawn"
				decidedOn[k] = earlier(days(issued[k], between(rng, 30, 200)), h)
			case span(born[youngest[k]], issued[k]) < 730:
				outcomes[k] = pickOutcome(rng, youngOutcomes)
			default:
				outcomes[k] = pickOutcome(rng, olderOutcomes)
			}
			if outcomes[k] != "withdrawn" {
				set.FinalHearingOn = final[k]
			}
		} else if rng.IntN(2) == 0 {
			set.FinalHearingOn = final[k] // listed, not yet heard (or not heard of)
		}
		set.Outcome = outcomes[k]
		set.CreatedAt = record(issued[k], 70+k)
		set.updated = set.CreatedAt
		if !decidedOn[k].IsZero() && wp.recFrom.Before(decidedOn[k]) {
			set.Version, set.updated = 2, record(days(decidedOn[k], rng.IntN(10)), 80+k)
		}
		wp.rec.proceedings = append(wp.rec.proceedings, set)
	}

	// The children: where the outcome put them, and how they got there.
	names := rng.Perm(len(natChildNames))
	for i := range c {
		k := setOf[i]
		set := wp.rec.proceedings[k]
		ch := contact.Child{PersonID: w.id, Name: natChildNames[names[i%len(names)]], BirthYear: born[i].Time().Year(), LACode: set.LACode}
		if k == p-1 || rng.IntN(8) != 0 {
			ch.BornOn = born[i] // otherwise only the year is known
		}
		if rng.IntN(25) != 0 {
			ch.RemovedOn = later(days(issued[k], -rng.IntN(11)), born[i])
		}
		removed := later(days(issued[k], -10), born[i]) // for the dates that follow, when the record has none
		if !ch.RemovedOn.IsZero() {
			removed = ch.RemovedOn
		}
		firstHome := contact.Placement("foster-care")
		if rng.IntN(7) == 0 {
			firstHome = "kinship-care"
		}
		moveOn := decidedOn[k]
		switch outcomes[k] {
		case "":
			ch.LegalStatus, ch.Placement = "interim-care-order", firstHome
		case "placement-order":
			ch.LegalStatus, ch.Placement = "placement-order", "foster-care"
			moveOn = days(decidedOn[k], between(rng, 60, 300))
			if !h.Before(days(decidedOn[k], 365)) {
				ch.LegalStatus, ch.Placement = "adopted", "adoptive-family"
			} else if !h.Before(moveOn) && rng.IntN(2) == 0 {
				ch.Placement = "adoptive-family"
			}
		case "care-order":
			ch.LegalStatus, ch.Placement = "care-order", "foster-care"
			switch r := rng.IntN(20); {
			case r < 4:
				ch.Placement = "kinship-care"
			case r < 7 && yearsOld(born[i], h) >= 10:
				ch.Placement = "residential"
			}
		case "special-guardianship-order":
			ch.LegalStatus, ch.Placement = "special-guardianship-order", "kinship-care"
		case "child-arrangements-order":
			ch.LegalStatus, ch.Placement = "child-arrangements-order", "with-parent"
			if rng.IntN(2) == 0 {
				ch.Placement = "kinship-care"
			}
		case "supervision-order":
			ch.LegalStatus, ch.Placement = "supervision-order", "with-parent"
		case "no-order":
			ch.LegalStatus, ch.Placement = "returned-home", "with-parent"
		case "withdrawn":
			ch.LegalStatus, ch.Placement = "section-20", "foster-care"
			if rng.IntN(2) == 0 {
				ch.LegalStatus, ch.Placement = "returned-home", "with-parent"
			}
		}
		ch.CreatedAt = record(days(born[i], 1), 60+i)
		ch.Placements = []contact.PlacementChange{{Placement: firstHome, From: ch.RemovedOn, At: ch.CreatedAt}}
		if ch.Placement != firstHome {
			moveOn = later(earlier(moveOn, h), removed)
			ch.Placements = append(ch.Placements, contact.PlacementChange{Placement: ch.Placement, From: moveOn, At: laterTime(record(moveOn, 90+i), ch.CreatedAt)})
		}
		ch.Version = int64(len(ch.Placements))
		ch.UpdatedAt = ch.Placements[len(ch.Placements)-1].At
		wp.rec.children = append(wp.rec.children, ch)

		// Arrangements the child could have.
		cp := natChildPlan{decided: outcomes[k] != ""}
		slot := func(a contact.Arrangement) natSlot {
			a.PersonID, a.ChildID, a.ChildName = w.id, int64(i), ch.Name
			return natSlot{natArrangement: natArrangement{Arrangement: a, steady: w.heavy}, weight: between(rng, 30, 170)}
		}
		interim := slot(contact.Arrangement{Type: contact.Supervised, ArrangedBy: "local-authority", Basis: "court-order",
			StartOn: earlier(days(removed, between(rng, 2, 14)), h)})
		if span(born[i], removed) < 60 {
			interim.Frequency = interimNewborn[rng.IntN(len(interimNewborn))]
		} else {
			interim.Frequency = interimOlder[rng.IntN(len(interimOlder))]
		}
		if rng.IntN(3) == 0 {
			interim.Basis = "care-plan"
		}
		if rng.IntN(7) == 0 {
			interim.Type = contact.Supported
		}
		cp.slots = append(cp.slots, interim)
		cp.hi = 1
		if cp.decided {
			cp.slots[0].end = decidedOn[k]
			wait := between(rng, 7, 90)
			if w.heavy {
				wait = between(rng, 7, 30)
			}
			after := slot(afterOrder(rng, ch))
			after.StartOn = earlier(days(decidedOn[k], wait), h)
			cp.slots = append(cp.slots, after)
			cp.hi = 2
			added := slot(addedLater(rng, ch))
			added.StartOn = days(after.StartOn, between(rng, 180, 900))
			if !days(h, -30).Before(added.StartOn) {
				cp.slots = append(cp.slots, added)
				cp.hi = 3
			}
		}
		if cp.decided && cp.slots[0].end.Before(cp.slots[0].StartOn) {
			cp.slots[0].StartOn = cp.slots[0].end
		}
		for j := range cp.slots {
			s := &cp.slots[j]
			s.weight *= max(0, span(s.StartOn, earlier(orDate(s.end, h), h)))
		}
		switch r := rng.IntN(100); {
		case !cp.decided && r < 90, cp.decided && r >= 8 && r < 63:
			cp.draw = 1
		case cp.decided && r >= 63 && r < 90:
			cp.draw = 2
		case cp.decided && r >= 90:
			cp.draw = 3
		}
		if w.heavy {
			cp.draw = cp.hi
		}
		cp.draw = min(cp.draw, cp.hi)
		wp.children = append(wp.children, cp)
	}
	return wp
}

func laterTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return b
	}
	return a
}

// chosenSlots picks a child's arrangements for a count: while proceedings
// run, contact during them; after, contact after the order first, then the
// contact that ended at the hearing, then what was added later.
func chosenSlots(cp *natChildPlan, count int) []natSlot {
	switch {
	case count == 0:
		return nil
	case !cp.decided:
		return cp.slots[:1]
	case count == 1:
		return cp.slots[1:2]
	}
	return cp.slots[:count]
}

var (
	interimNewborn = []string{"Three times a week, 90 minutes", "Twice a week, 2 hours", "Four times a week, 1 hour"}
	interimOlder   = []string{"Weekly, 2 hours", "Twice a week, 90 minutes", "Weekly, 90 minutes"}
	directFreqs    = []string{"Monthly, 2 hours", "Every six weeks, 90 minutes", "Fortnightly, 1 hour", "Every two months", "Weekly, 2 hours",
		"Every three months", "Monthly, 1 hour"}
	letterFreqs  = []string{"Once a year", "Once a year", "Once a year", "Twice a year"}
	digitalFreqs = []string{"Video call once a month", "Phone call every fortnight", "Video call every six weeks"}
)

// afterOrder is the contact the order allowed.
func afterOrder(rng *rand.Rand, ch contact.Child) contact.Arrangement {
	a := contact.Arrangement{Frequency: directFreqs[rng.IntN(len(directFreqs))]}
	switch ch.LegalStatus {
	case "adopted", "placement-order":
		a.Type, a.Frequency, a.ArrangedBy, a.Basis = contact.Letterbox, letterFreqs[rng.IntN(len(letterFreqs))], "adoption-agency", "adoption-contact-plan"
	case "care-order", "section-20":
		a.Type, a.ArrangedBy, a.Basis = contact.Supervised, "local-authority", "care-plan"
		switch ch.Placement {
		case "residential":
			a.Type = contact.Supported
		case "kinship-care":
			a.Type, a.ArrangedBy = contact.FaceToFace, "carers"
		}
	case "special-guardianship-order":
		a.Type, a.ArrangedBy, a.Basis = contact.FaceToFace, "carers", "court-order"
		if rng.IntN(3) == 0 {
			a.Type = contact.Supported
		}
	case "child-arrangements-order":
		a.Type, a.ArrangedBy, a.Basis = contact.FaceToFace, "court-order", "court-order"
	default: // supervision order, returned home
		a.Type, a.ArrangedBy, a.Basis = contact.FaceToFace, "carers", "care-plan"
	}
	return a
}

// addedLater is a second arrangement added alongside: a supported meeting
// for an adopted child, calls for the others.
func addedLater(rng *rand.Rand, ch contact.Child) contact.Arrangement {
	if ch.LegalStatus == "adopted" || ch.LegalStatus == "placement-order" {
		return contact.Arrangement{Type: contact.Supported, Frequency: "Once a year, a meeting the agency arranges", ArrangedBy: "adoption-agency", Basis: "adoption-contact-plan"}
	}
	return contact.Arrangement{Type: contact.Digital, Frequency: digitalFreqs[rng.IntN(len(digitalFreqs))], ArrangedBy: "carers", Basis: "care-plan"}
}

var (
	venues      = []string{"Family centre in town", "Contact centre across the county", "The carers' home", "A soft-play centre", "The local library", "A café near the station", "The park by the river"}
	supervisors = []string{"Contact supervisor from the local authority", "Family support worker", "The carers", "Independent contact service", "Nobody: unsupervised"}
	attendees   = []string{"Her alone", "Her and the child's grandmother", "Her and her partner", "Her and the child's brothers and sisters", "Her, with her practitioner nearby"}
	otherRules  = []string{"Gifts are no longer allowed at contact", "Photos may now be shared after contact", "Contact moved to weekends", "No phones during contact"}
	toldHows    = []string{"letter", "phone call", "meeting", "at the review", "email", "text message"}
	toldBys     = []string{"Her child's social worker", "The adoption agency's letterbox co-ordinator", "Her solicitor", "The contact supervisor",
		"Her practitioner, after asking the local authority", "The independent reviewing officer"}
	viewsTold = []string{"I understand, but it is a long time between visits.", "I'm glad it's going up.", "It's further for me but I will get there.",
		"I asked for this; it fits round my course.", "Fair enough. I just want to see them.", "I don't agree, but at least they told me."}
	viewsNotTold = []string{"Nobody told me. I found out when I turned up.", "I don't know what I did wrong.", "I want to know why.",
		"I rang the social worker three times and heard nothing.", "The letter just said it was changing."}
	changeReasons = map[contact.Aspect][]string{
		contact.AspectFrequency: {"The carers' work hours changed", "The child found contact unsettling; the local authority reduced it for now",
			"The review agreed more frequent contact", "Her attendance had been good, so contact went up", "The child started school"},
		"venue":       {"The contact centre closed for refurbishment", "Nearer the child's new placement", "The carers asked for somewhere quieter"},
		"supervision": {"Contact has gone well, so supervision stepped down", "A new supervisor after staff changes", "Concerns raised at the last contact"},
		"who-attends": {"Her partner was not assessed as safe to attend", "The child's grandmother was assessed and approved", "The brothers and sisters are now placed together"},
		contact.AspectType: {"Progress in her recovery, so contact moved to less supervision", "The child moved further away; calls agreed in between",
			"The review asked for more support at contact for now"},
		"suspended":   {"The child was unsettled after the last contact; suspended while the social worker reviews it", "She missed three contacts in a row", "The carers asked for a break while the child settled at a new school"},
		"arranged-by": {"The case moved to another team", "The child moved to a kinship placement"},
		"other":       {"Agreed at the looked-after child review", "The carers asked for it and the social worker agreed"},
		"ended":       {"The court made a final order"},
	}
)

type aspectWeight struct {
	aspect contact.Aspect
	weight int
}

var (
	directAspects = []aspectWeight{{contact.AspectFrequency, 30}, {"venue", 14}, {"supervision", 10}, {"who-attends", 8}, {contact.AspectType, 12},
		{"suspended", 6}, {"arranged-by", 5}, {"other", 5}}
	letterAspects  = []aspectWeight{{contact.AspectFrequency, 30}, {"suspended", 10}, {"arranged-by", 10}, {"other", 15}}
	nextDirectType = map[contact.Type][]contact.Type{
		contact.Supervised: {contact.Supported, contact.FaceToFace},
		contact.Supported:  {contact.Supervised, contact.FaceToFace},
		contact.FaceToFace: {contact.Supervised, contact.Supported, contact.Digital},
		contact.Digital:    {contact.FaceToFace},
	}
	changersFor = map[contact.Arranger]contact.ChangedBy{"local-authority": "local-authority", "adoption-agency": "adoption-agency",
		"carers": "adopters-carers", "court-order": "court"}
)

func pickAspect(rng *rand.Rand, ws []aspectWeight, steady bool) contact.Aspect {
	for {
		total := 0
		for _, w := range ws {
			total += w.weight
		}
		r := rng.IntN(total)
		for _, w := range ws {
			if r < w.weight {
				if steady && (w.aspect == contact.AspectType || w.aspect == "suspended") {
					break // draw again
				}
				return w.aspect
			}
			r -= w.weight
		}
	}
}

func other(rng *rand.Rand, list []string, not string) string {
	for {
		if s := list[rng.IntN(len(list))]; s != not || len(list) == 1 {
			return s
		}
	}
}

// contactDetail fills in a woman's arrangements from the counts settled:
// their reviews, every change and explanation, contact sessions and letters.
func (n *national) contactDetail(w *natWoman, wp *natWomanPlan, changeCounts []int) {
	rng := newRNG(n.seed, streamContactDetail, uint64(w.id)) // #nosec G115 -- a woman's id as a stream number: every int64 has its own uint64
	h, rec := wp.horizon, &wp.rec
	record := func(d haven.Date) haven.Date { return earlier(later(d, wp.recFrom), h) }
	phase := n.current(*w).Phase
	settled := phase == programme.PhaseClosed || phase == programme.PhaseEnded || phase == programme.PhaseCompleted
	k := 0
	for _, cp := range wp.children {
		for _, s := range cp.slots {
			a := s.natArrangement
			a.changes = n.changesFor(rng, wp, &a, changeCounts[k], settled)
			k++
			a.Version, a.CreatedAt = 1, at(record(a.StartOn), 100+len(rec.arrangements)%200)
			a.updated = a.CreatedAt
			// Reviews: most direct contact within the year; most letterbox contact never.
			last := earlier(orDate(a.end, h), h)
			reviewed := rng.IntN(100) < 80
			if a.Type == contact.Letterbox {
				reviewed = rng.IntN(100) < 31
			}
			if reviewed && a.StartOn.Before(last) {
				a.LastReviewOn = later(days(last, -rng.IntN(330)), days(a.StartOn, 1))
				if a.end.IsZero() && rng.IntN(3) != 0 {
					a.NextReviewOn = days(a.LastReviewOn, between(rng, 90, 365))
				}
				a.Version++
				a.updated = laterTime(a.updated, at(record(a.LastReviewOn), 500))
			} else if a.Type == contact.Letterbox && a.end.IsZero() && rng.IntN(8) == 0 {
				a.NextReviewOn = days(a.StartOn, between(rng, 365, 730)) // planned, never held
			}
			for _, c := range a.changes {
				a.Version++
				a.updated = laterTime(a.updated, c.RecordedAt)
			}
			rec.arrangements = append(rec.arrangements, a)
		}
	}

	// Contact sessions for women the Practice is working with, on contact that is direct now.
	working := phase == programme.PhaseEngaging || phase == programme.PhaseStarted || phase == programme.PhaseActive || phase == programme.PhaseFollowOn
	for j, a := range rec.arrangements {
		if !working || !a.end.IsZero() || !a.At(n.asOf, a.changes).Type.Direct() {
			continue
		}
		planned := []haven.Date{days(n.asOf, -between(rng, 65, 95)), days(n.asOf, -between(rng, 33, 60)), days(n.asOf, -between(rng, 3, 28)),
			days(n.asOf, between(rng, 2, 30))}
		for _, on := range planned {
			if on.Before(a.StartOn) || on.Before(wp.recFrom) {
				continue
			}
			s := natContactSession{ContactSession: contact.ContactSession{PersonID: w.id, ArrangementID: int64(j), PlannedOn: on, Version: 1}}
			s.CreatedAt = at(later(earlier(days(on, -between(rng, 7, 21)), n.asOf), wp.recFrom), 200+j)
			s.updated = s.CreatedAt
			if !n.asOf.Before(on) {
				switch r := rng.IntN(100); {
				case r < 72:
					s.Outcome = contact.TookPlace
					s.HerWords, s.PractitionerView = herWords[rng.IntN(len(herWords))], practitionerViews[rng.IntN(len(practitionerViews))]
					s.SupportBefore, s.SupportAfter = supportBefore[rng.IntN(len(supportBefore))], supportAfter[rng.IntN(len(supportAfter))]
				case r < 90:
					s.Outcome, s.CancelledBy = contact.Cancelled, cancellers[rng.IntN(len(cancellers))]
					s.SupportAfter = "Phoned her the same day"
				default:
					s.Outcome, s.SupportAfter = contact.DidNotAttend, "Called to check she was safe"
				}
				s.Version, s.updated = 2, laterTime(s.CreatedAt, at(earlier(days(on, rng.IntN(4)), n.asOf), 540))
			}
			rec.sessions = append(rec.sessions, s)
		}
	}

	// Letterbox letters due during her current enrolment: hers, then, where
	// the family writes back, theirs a month later; while she is with the
	// Practice, the next ones too.
	from, until := n.current(*w).ReferredOn, h
	if h == n.asOf {
		until = days(n.asOf, 366)
	}
	for j, a := range rec.arrangements {
		if a.Type != contact.Letterbox {
			continue
		}
		every := 365
		if strings.HasPrefix(a.Frequency, "Twice") {
			every = 182
		}
		dirs := []contact.Direction{"from-her", "to-her"}
		if rng.IntN(5) < 2 {
			dirs = dirs[:1]
		}
		for due := days(a.StartOn, every); !until.Before(due); due = days(due, every) {
			if due.Before(from) {
				continue
			}
			for d, dir := range dirs {
				on := days(due, 30*d)
				if until.Before(on) || a.At(on, a.changes).Type != contact.Letterbox {
					continue
				}
				x := natLetter{LetterboxExchange: contact.LetterboxExchange{PersonID: w.id, ArrangementID: int64(j), DueOn: on, Direction: dir, Version: 1}}
				x.CreatedAt = at(later(earlier(days(on, -60), n.asOf), wp.recFrom), 300+j)
				x.updated = x.CreatedAt
				if n.asOf.Before(on) {
					rec.letters = append(rec.letters, x)
					continue
				}
				recent := span(on, n.asOf) < 60 && !settled
				r := rng.IntN(100)
				switch {
				case dir == "from-her" && r < 7:
					x.Status, x.StatusReason = "returned", returnedReasons[rng.IntN(len(returnedReasons))]
				case dir == "from-her" && r < 10:
					x.Status, x.StatusReason = "withheld", "The adoption agency held it back while the family's circumstances change"
				case dir == "from-her" && r < 25 && recent: // not written yet
				case dir == "from-her":
					x.SentOn = later(earlier(days(on, between(rng, -20, 10)), n.asOf), a.StartOn)
					x.CheckedBy = "Letterbox co-ordinator (demo agency)"
				case r < 20 && !settled && span(on, n.asOf) <= 90: // the family has not written yet
				case r < 20:
					x.Status, x.StatusReason = "withheld", "The adoptive parents did not write this year"
				default:
					x.ReceivedOn = earlier(days(on, between(rng, -10, 30)), n.asOf)
					x.CheckedBy = "Letterbox co-ordinator (demo agency)"
				}
				if x.Status != "" || !x.SentOn.IsZero() || !x.ReceivedOn.IsZero() {
					x.Version = 2
					x.updated = laterTime(x.CreatedAt, at(earlier(later(later(x.SentOn, x.ReceivedOn), on), n.asOf), 560))
				}
				rec.letters = append(rec.letters, x)
			}
		}
	}
}

var (
	herWords = []string{"He remembered the song we used to sing.", "She showed me her drawings.", "It went too fast.", "Hard saying goodbye, but good.",
		"They were shy at first, then we played.", "We fed the ducks. Best one in ages."}
	practitionerViews = []string{"Warm; she stayed calm when it ended.", "She brought a book and read with the child.",
		"Tense at the start; settled after twenty minutes.", "She followed the child's lead well."}
	supportBefore   = []string{"Talked through what to bring", "Practised what to say at the end", "Lift to the contact centre", "Helped her wrap a present"}
	supportAfter    = []string{"Coffee and a walk afterwards", "Phoned her the same evening", "Visited her the next day"}
	cancellers      = []contact.Canceller{"her", "carers", "carers", "local-authority", "contact-centre", "child", "other"}
	returnedReasons = []string{"It named the town where the family lives", "It included a photograph of her home", "It mentioned meeting up"}
)

// changesFor makes count changes to an arrangement, oldest first: the last
// ends it when a later order took over. Most were explained at the time;
// of the rest, some were explained later, more often the longer ago they
// were and once she has left the programme.
func (n *national) changesFor(rng *rand.Rand, wp *natWomanPlan, a *natArrangement, count int, settled bool) []contact.Change {
	h := wp.horizon
	ordinary := count
	if !a.end.IsZero() {
		ordinary--
	}
	limit := h
	if !a.end.IsZero() {
		limit = earlier(days(a.end, -1), h)
	}
	limit = later(limit, a.StartOn)
	offsets := make([]int, ordinary)
	for i := range offsets {
		offsets[i] = rng.IntN(span(a.StartOn, limit) + 1)
	}
	slices.Sort(offsets)
	kind, freq, resume := a.Type, a.Frequency, a.Type
	var out []contact.Change
	add := func(c contact.Change) {
		c.PersonID, c.ChildName, c.RecordedBy = a.PersonID, a.ChildName, wp.rec.by
		recorded := earlier(days(later(c.EffectiveOn, wp.recFrom), rng.IntN(8)), h)
		c.RecordedAt = at(recorded, 600+len(out))
		if c.ChangedBy == "her-request" {
			c.ReasonGiven = contact.ReasonYes
		}
		if c.ReasonGiven == contact.ReasonYes {
			if c.Reason == "" {
				reasons := changeReasons[c.Aspect]
				c.Reason = reasons[rng.IntN(len(reasons))]
			}
			if c.ToldHow == "" {
				c.ToldHow, c.ToldBy = toldHows[rng.IntN(len(toldHows))], toldBys[rng.IntN(len(toldBys))]
				// Told up to three weeks ahead, but not before the arrangement (and so the child) existed.
				c.ToldOn = later(earlier(days(c.EffectiveOn, between(rng, -21, 7)), recorded), a.StartOn)
			}
			if c.ChangedBy == "her-request" {
				c.ToldBy = "She asked for it"
			}
			if rng.IntN(5) < 2 {
				c.HerView = viewsTold[rng.IntN(len(viewsTold))]
			}
		} else {
			if rng.IntN(2) == 0 {
				c.HerView = viewsNotTold[rng.IntN(len(viewsNotTold))]
			}
			// A practitioner finds out in the end: the older the change, the likelier she has been told.
			chance := 25
			switch age := span(recorded, n.asOf); {
			case settled:
				chance = 90
			case age > 365:
				chance = 85
			case age > 90:
				chance = 50
			}
			told := days(recorded, between(rng, 3, 90))
			if rng.IntN(100) < chance && !h.Before(told) {
				reasons := changeReasons[c.Aspect]
				for {
					e := contact.Explanation{Reason: reasons[rng.IntN(len(reasons))], ToldHow: toldHows[rng.IntN(len(toldHows))], ToldOn: told,
						ToldBy: toldBys[rng.IntN(len(toldBys))]}
					if rng.IntN(3) == 0 {
						e.HerView = viewsTold[rng.IntN(len(viewsTold))]
					}
					e.RecordedAt = at(earlier(days(told, rng.IntN(4)), h), 700+len(c.Explanations))
					c.Explanations = append(c.Explanations, e)
					told = days(told, between(rng, 14, 120))
					if rng.IntN(12) != 0 || h.Before(told) {
						break
					}
				}
			}
		}
		out = append(out, c)
	}
	for _, off := range offsets {
		c := contact.Change{EffectiveOn: days(a.StartOn, off), ChangedBy: changersFor[a.ArrangedBy]}
		switch r := rng.IntN(100); {
		case r < 62:
			c.ReasonGiven = contact.ReasonYes
		case r < 88:
			c.ReasonGiven = contact.ReasonNo
		default:
			c.ReasonGiven = contact.ReasonNotKnown
		}
		if rng.IntN(10) == 0 {
			c.ChangedBy = "her-request"
		}
		switch {
		case kind == contact.NoContact: // resumed
			c.Aspect, c.From, c.To = contact.AspectType, string(contact.NoContact), string(resume)
			kind = resume
		case kind == contact.Letterbox:
			c.Aspect = pickAspect(rng, letterAspects, a.steady)
		case kind == contact.Digital:
			c.Aspect = pickAspect(rng, letterAspects, a.steady)
			if !a.steady && rng.IntN(4) == 0 {
				c.Aspect = contact.AspectType
			}
		default:
			c.Aspect = pickAspect(rng, directAspects, a.steady)
		}
		switch c.Aspect {
		case contact.AspectType:
			if c.From == "" {
				next := nextDirectType[kind]
				c.From, c.To = string(kind), string(next[rng.IntN(len(next))])
				kind = contact.Type(c.To)
			}
			if rng.IntN(5) == 0 {
				c.ChangedBy = "court"
			}
		case contact.AspectFrequency:
			freqs := directFreqs
			switch kind {
			case contact.Letterbox:
				freqs = []string{"Once a year", "Twice a year"}
			case contact.Digital:
				freqs = digitalFreqs
			}
			c.From, c.To = freq, other(rng, freqs, freq)
			freq = c.To
		case "venue":
			c.From = venues[rng.IntN(len(venues))]
			c.To = other(rng, venues, c.From)
		case "supervision":
			c.From = supervisors[rng.IntN(len(supervisors))]
			c.To = other(rng, supervisors, c.From)
		case "who-attends":
			c.From = attendees[rng.IntN(len(attendees))]
			c.To = other(rng, attendees, c.From)
		case "arranged-by":
			c.From = a.ArrangedBy.Title()
			c.To = other(rng, []string{"Local authority", "Adoption agency", "Carers", "Court order"}, c.From)
		case "suspended":
			resume, kind = kind, contact.NoContact
		case "other":
			c.To = otherRules[rng.IntN(len(otherRules))]
		}
		add(c)
	}
	if !a.end.IsZero() {
		c := contact.Change{Aspect: "ended", EffectiveOn: a.end, ChangedBy: "court", ReasonGiven: contact.ReasonYes}
		switch r := rng.IntN(100); {
		case r < 70:
			c.ToldHow, c.ToldBy, c.ToldOn = "at court", "Her solicitor", a.end
		case r < 90:
			c.ReasonGiven = contact.ReasonNo
		default:
			c.ReasonGiven = contact.ReasonNotKnown
		}
		add(c)
	}
	return out
}

// The rows, woman by woman in ID order.

func (n *national) childRows(yield func([]any) bool) {
	for _, rec := range n.contact {
		for _, c := range rec.children {
			if !yield([]any{c.ID, c.PersonID, c.Name, c.BornOn, int64(c.BirthYear), c.RemovedOn, c.LACode, string(c.LegalStatus), string(c.Placement),
				rec.by, c.Version, c.CreatedAt, c.UpdatedAt}) {
				return
			}
		}
	}
}

func (n *national) childPlacementRows(yield func([]any) bool) {
	id := int64(0)
	for _, rec := range n.contact {
		for _, c := range rec.children {
			for _, m := range c.Placements {
				id++
				if !yield([]any{id, c.ID, string(m.Placement), m.From, rec.by, m.At}) {
					return
				}
			}
		}
	}
}

func (n *national) proceedingsRows(yield func([]any) bool) {
	for _, rec := range n.contact {
		for _, p := range rec.proceedings {
			if !yield([]any{p.ID, p.PersonID, p.IssuedOn, p.Court, p.LACode, p.FinalHearingOn, string(p.Outcome), p.Index,
				rec.by, p.Version, p.CreatedAt, p.updated}) {
				return
			}
		}
	}
}

func (n *national) proceedingsChildRows(yield func([]any) bool) {
	for _, rec := range n.contact {
		for _, p := range rec.proceedings {
			for _, c := range p.ChildIDs {
				if !yield([]any{p.ID, c}) {
					return
				}
			}
		}
	}
}

func (n *national) arrangementRows(yield func([]any) bool) {
	for _, rec := range n.contact {
		for _, a := range rec.arrangements {
			if !yield([]any{a.ID, a.PersonID, a.ChildID, string(a.Type), a.Frequency, string(a.ArrangedBy), string(a.Basis), a.StartOn,
				a.LastReviewOn, a.NextReviewOn, rec.by, a.Version, a.CreatedAt, a.updated}) {
				return
			}
		}
	}
}

func (n *national) changeRows(yield func([]any) bool) {
	row := make([]any, 16)
	for _, rec := range n.contact {
		for _, a := range rec.arrangements {
			for _, c := range a.changes {
				row = append(row[:0], c.ID, c.PersonID, c.ArrangementID, string(c.Aspect), c.From, c.To, c.EffectiveOn, string(c.ChangedBy),
					string(c.ReasonGiven), c.Reason, c.ToldHow, c.ToldOn, c.ToldBy, c.HerView, c.RecordedBy, c.RecordedAt)
				if !yield(row) {
					return
				}
			}
		}
	}
}

func (n *national) explanationRows(yield func([]any) bool) {
	for _, rec := range n.contact {
		for _, a := range rec.arrangements {
			for _, c := range a.changes {
				for _, e := range c.Explanations {
					if !yield([]any{e.ID, e.ChangeID, e.Reason, e.ToldHow, e.ToldOn, e.ToldBy, e.HerView, rec.by, e.RecordedAt}) {
						return
					}
				}
			}
		}
	}
}

func (n *national) contactSessionRows(yield func([]any) bool) {
	for _, rec := range n.contact {
		for _, s := range rec.sessions {
			if !yield([]any{s.ID, s.PersonID, s.ArrangementID, s.PlannedOn, string(s.Outcome), string(s.CancelledBy), s.HerWords, s.PractitionerView,
				s.SupportBefore, s.SupportAfter, rec.by, s.Version, s.CreatedAt, s.updated}) {
				return
			}
		}
	}
}

func (n *national) letterboxRows(yield func([]any) bool) {
	for _, rec := range n.contact {
		for _, x := range rec.letters {
			if !yield([]any{x.ID, x.PersonID, x.ArrangementID, x.DueOn, string(x.Direction), x.SentOn, x.ReceivedOn, x.CheckedBy,
				string(x.Status), x.StatusReason, rec.by, x.Version, x.CreatedAt, x.updated}) {
				return
			}
		}
	}
}
