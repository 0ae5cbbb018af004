package demo

import (
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"

	"haven/internal/access"
	"haven/internal/haven"
	"haven/internal/programme"
)

// The national data set is a country's worth of synthetic records for load
// tests and query plans: Practices across real local authorities, their
// staff, and years of work with the women they support. It is built in
// memory as a model (national.go), then streamed to the database as rows
// through store.BulkInsert (national_rows.go, national_load.go). Everything
// follows from the seed, including every ID, so NationalPlan can tell a load
// generator who can sign in and whose records to open without a database.

// Scale is how much a national data set holds.
type Scale struct {
	Organisations            int // providers, each running some of the Practices
	Practices                int
	LocalAuthorities         int // real ONS codes, shared out among the Practices
	PractitionersPerPractice int // each Practice also has a lead and a co-ordinator
	Women                    int
	Enrolments               int // at least Women: the rest are earlier, closed enrolments
	Sessions                 int
	Goals                    int
	HeavyPerPractice         int // women with exactly HeavySessions sessions, for the person-page benchmark
	TriagePerPractice        int // referrals waiting in each Practice's triage queue
	// Children and contact (national_contact.go). All four zero means none.
	Children     int // one to six a woman, as many as her age allows
	Proceedings  int // sets of care proceedings: at least one a woman, at most one a child
	Arrangements int // contact arrangements: up to three a child, one after another or side by side
	Changes      int // changes to contact arrangements
	// Services is how many entries the directory has, the Practices' own
	// among them; the rest are fictional (national_directory.go). Zero
	// means the Practices' entries alone.
	Services int
}

// HeavySessions is how many sessions the heavy women have, and no one else reaches.
const HeavySessions = 200

// NationalScale is the full national data set: 40 Practices across 60 local
// authorities, 400 staff, 20,000 women, 25,000 enrolments, a million sessions,
// 100,000 goals, 60,000 children, 24,000 sets of care proceedings (so that
// about 1 in 4 women returns to court within 7 years of her first, as the
// research found), 80,000 contact arrangements and 150,000 changes to them,
// with outcome measures at each woman's schedule points and pregnancies
// (national_measures.go), and 1,000 directory services, the Practices'
// entries among them (national_directory.go).
func NationalScale() Scale {
	return Scale{Organisations: 8, Practices: 40, LocalAuthorities: 60, PractitionersPerPractice: 8,
		Women: 20_000, Enrolments: 25_000, Sessions: 1_000_000, Goals: 100_000, HeavyPerPractice: 3, TriagePerPractice: 12,
		Children: 60_000, Proceedings: 24_000, Arrangements: 80_000, Changes: 150_000, Services: 1_000}
}

// SmallScale is the same shape in miniature, for tests.
func SmallScale() Scale {
	return Scale{Organisations: 2, Practices: 3, LocalAuthorities: 4, PractitionersPerPractice: 3,
		Women: 150, Enrolments: 180, Sessions: 7_500, Goals: 750, HeavyPerPractice: 2, TriagePerPractice: 3,
		Children: 450, Proceedings: 180, Arrangements: 600, Changes: 1_125, Services: 200}
}

func (sc Scale) validate() error {
	switch {
	case sc.Organisations < 1 || sc.Practices < sc.Organisations:
		return fmt.Errorf("demo: scale needs at least one organisation and as many Practices")
	case sc.LocalAuthorities < sc.Practices || sc.LocalAuthorities > len(access.LocalAuthorities()):
		return fmt.Errorf("demo: scale needs between %d and %d local authorities", sc.Practices, len(access.LocalAuthorities()))
	case sc.PractitionersPerPractice < 1 || sc.HeavyPerPractice > sc.PractitionersPerPractice:
		return fmt.Errorf("demo: scale needs a practitioner for each heavy woman")
	case sc.Women < sc.Practices*(sc.PractitionersPerPractice*8+4)*3/2:
		return fmt.Errorf("demo: scale has too few women for full caseloads")
	case sc.Enrolments < sc.Women || sc.Enrolments > 2*sc.Women:
		return fmt.Errorf("demo: scale needs between one and two enrolments a woman")
	case sc.Sessions < sc.Practices*sc.HeavyPerPractice*HeavySessions+sc.Women:
		return fmt.Errorf("demo: scale has too few sessions")
	case sc.Goals < sc.Women/2:
		return fmt.Errorf("demo: scale has too few goals")
	case sc.Services != 0 && (sc.Services <= sc.Practices || sc.Services-sc.Practices > 1000):
		// Ofcom keeps a thousand drama numbers: one a fictional service.
		return fmt.Errorf("demo: scale needs no directory services, or more than the Practices and at most 1,000 besides")
	case sc.Children == 0 && sc.Proceedings+sc.Arrangements+sc.Changes == 0:
		// No children and contact: scales written before they existed.
	case sc.Children < sc.Women || sc.Children > 6*sc.Women:
		return fmt.Errorf("demo: scale needs one to six children a woman")
	case sc.Proceedings < sc.Women || sc.Proceedings > sc.Children:
		return fmt.Errorf("demo: scale needs at least one set of proceedings a woman and at most one a child")
	case sc.Arrangements < 0 || sc.Arrangements > 2*sc.Children:
		return fmt.Errorf("demo: scale needs at most two contact arrangements a child on average")
	case sc.Changes < 0 || sc.Changes > 10*sc.Arrangements:
		return fmt.Errorf("demo: scale needs at most ten changes an arrangement on average")
	}
	return nil
}

// NationalAsOf is the day the national data set is written as of: dates are
// fixed, not taken from the clock, so a seed always gives the same rows.
func NationalAsOf() haven.Date { return haven.NewDate(2026, 11, 20) }

// Plan is what a load generator needs to know about a national data set,
// worked out from the seed alone.
type Plan struct {
	Seed     uint64
	AsOf     haven.Date
	Password string      // every national account's password
	Staff    []StaffPlan // leads, co-ordinators and practitioners, by user ID
}

// StaffPlan is one member of staff: her sign-in and, for a practitioner,
// the women allocated to her.
type StaffPlan struct {
	UserID     int64
	Role       access.Role
	PracticeID int64
	Practice   string // the Practice's slug
	Email      string
	TOTPSecret string       // base32, as an authenticator app takes it
	People     []PersonPlan // allocated to her, by ID: working cases, follow-on and closed ones
}

// PersonPlan is one woman as a load generator sees her.
type PersonPlan struct {
	ID       int64
	Ref      string // for /people/{ref}
	Phase    programme.Phase
	Sessions int     // HeavySessions for the heavy women; fewer for everyone else
	GoalIDs  []int64 // her goals, in ID order
}

// Heavy reports whether she is one of the women with HeavySessions sessions.
func (p PersonPlan) Heavy() bool { return p.Sessions == HeavySessions }

// Practitioners returns the practitioners, each with her caseload.
func (p Plan) Practitioners() []StaffPlan {
	var out []StaffPlan
	for _, s := range p.Staff {
		if s.Role == access.RolePractitioner {
			out = append(out, s)
		}
	}
	return out
}

// NationalPlan returns the plan of the full national data set for a seed:
// every account's email, the shared password and each TOTP secret, and for
// each practitioner the refs, session counts and goal IDs of the women
// allocated to her, with the heavy ones marked. It needs no database: it is
// exactly what LoadNational writes with the same seed.
func NationalPlan(seed uint64) (Plan, error) { return PlanFor(seed, NationalScale()) }

// PlanFor is NationalPlan at another scale.
func PlanFor(seed uint64, sc Scale) (Plan, error) {
	n, err := buildNational(seed, sc)
	if err != nil {
		return Plan{}, err
	}
	return n.plan(), nil
}

// The model. IDs are positions: every table's rows are numbered from 1.

type natPractice struct {
	id, org    int64
	slug, name string
	las        []string
	staff      []int // indexes into national.staff: lead, co-ordinator, practitioners
}

type natStaff struct {
	id           int64
	practice     int // index
	role         access.Role
	first, last  string
	email, totp  string
	people       []int // women allocated to her, by index
	practitioner bool
}

type natWoman struct {
	id           int64
	ref          string
	practice     int   // index
	practitioner int64 // user ID, 0 while she waits for allocation
	first, last  string
	dob          haven.Date
	la           string
	care         bool
	enrols       []int // indexes into national.enrols, oldest first
	sessions     int
	goals        int
	firstGoal    int64
	heavy        bool
}

type natEnrolment struct {
	programme.Enrolment
	closedOn haven.Date // when a closed enrolment closed
}

type national struct {
	seed      uint64
	sc        Scale
	asOf      haven.Date
	password  string
	practices []natPractice
	staff     []natStaff
	women     []natWoman
	enrols    []natEnrolment
	contact   []natContact // by woman; made on first use (contactModel), as the plan needs none of it
}

// Random streams, one per purpose, so the model and each table's rows can be
// made independently and in any order.
const (
	streamModel uint64 = iota + 1
	streamSessions
	streamGoals
	streamReferrals
	streamContact       // children, proceedings and arrangements, woman by woman; 0 shares the counts out
	streamContactDetail // changes, explanations, contact sessions and letters, woman by woman
	streamMeasures      // outcome measures, woman by woman
	streamPregnancies   // pregnancies, woman by woman
	streamNeeds         // need domains and facts, woman by woman
	streamDirectory     // the directory's fictional services (national_directory.go)
)

func newRNG(seed, stream, n uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed^0x9e3779b97f4a7c15*stream, n*0x100+stream)) // #nosec G404 -- synthetic national data must be the same for the same seed (its hashes are pinned)
}

// derived returns bytes that depend only on the seed, a purpose and a number:
// refs and TOTP secrets come from here, never from crypto/rand.
func derived(seed uint64, purpose string, n int64) [32]byte {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], seed)
	binary.BigEndian.PutUint64(b[8:], uint64(n)) // #nosec G115 -- the id's bits as bytes to hash: every int64 has its own uint64
	return sha256.Sum256(append(b[:], purpose...))
}

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// personRef has the shape of store's random refs: 12 lower-case base32 characters.
func personRef(seed uint64, id int64) string {
	d := derived(seed, "person-ref", id)
	return strings.ToLower(b32.EncodeToString(d[:])[:12])
}

// referralRef has the shape programme.NewReferralRef gives: HVN-XXXX-XXXX.
func referralRef(seed uint64, id int64) string {
	d := derived(seed, "referral-ref", id)
	t := b32.EncodeToString(d[:])
	return "HVN-" + t[:4] + "-" + t[4:8]
}

// TOTP secrets are 160 bits, like the ones enrolment makes.
func totpSecret(seed uint64, userID int64) string {
	d := derived(seed, "totp", userID)
	return b32.EncodeToString(d[:20])
}

func days(d haven.Date, n int) haven.Date {
	t := d.Time()
	return haven.NewDate(t.Year(), t.Month(), t.Day()+n)
}

func between(rng *rand.Rand, lo, hi int) int { return lo + rng.IntN(hi-lo+1) }

// split shares total out over n parts as evenly as it goes.
func split(total, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = total / n
		if i < total%n {
			out[i]++
		}
	}
	return out
}

var nationalSurnames = []string{"Alderley", "Blackthorn", "Copperfield", "Dewberry", "Evenlode", "Foxglove", "Gorsefield", "Hawthorne",
	"Ivystone", "Jessamine", "Kingfisher", "Lindenmoor", "Mossgrove", "Nightingale", "Orchardleigh", "Primrose", "Quarrendon",
	"Ravensworth", "Silverbirch", "Tansley", "Underhill", "Valemont", "Wrenfield", "Yewdale"}

func buildNational(seed uint64, sc Scale) (*national, error) {
	if err := sc.validate(); err != nil {
		return nil, err
	}
	n := &national{seed: seed, sc: sc, asOf: NationalAsOf()}
	rng := newRNG(seed, streamModel, 0)
	n.password = fmt.Sprintf("%s-%s-%s-%02d", words[rng.IntN(len(words))], words[rng.IntN(len(words))], words[rng.IntN(len(words))], rng.IntN(100))

	las := access.LocalAuthorities()
	codes := make([]string, len(las))
	for i, la := range las {
		codes[i] = la.Code
	}
	slices.Sort(codes)
	rng.Shuffle(len(codes), func(i, j int) { codes[i], codes[j] = codes[j], codes[i] })
	codes = codes[:sc.LocalAuthorities]

	for i := range sc.Practices {
		p := natPractice{id: int64(i + 1), org: int64(i*sc.Organisations/sc.Practices + 1),
			slug: fmt.Sprintf("national-%02d", i+1)}
		for j := i; j < len(codes); j += sc.Practices {
			p.las = append(p.las, codes[j])
		}
		p.name = fmt.Sprintf("%s Practice (national demo %02d)", placeName(las, p.las[0]), i+1)
		roles := []access.Role{access.RolePracticeLead, access.RolePracticeCoordinator}
		for range sc.PractitionersPerPractice {
			roles = append(roles, access.RolePractitioner)
		}
		for _, role := range roles {
			id := int64(len(n.staff) + 1)
			first, last := firstNames[rng.IntN(len(firstNames))], lastNames[rng.IntN(len(lastNames))]
			p.staff = append(p.staff, len(n.staff))
			n.staff = append(n.staff, natStaff{id: id, practice: i, role: role, first: first, last: last,
				email:        fmt.Sprintf("%s.%s.%03d@national.haven.invalid", strings.ToLower(first), strings.ToLower(last), id),
				totp:         totpSecret(seed, id),
				practitioner: role == access.RolePractitioner})
		}
		n.practices = append(n.practices, p)
	}

	for pi, count := range split(sc.Women, sc.Practices) {
		n.addWomen(rng, pi, count)
	}
	n.addPriorEnrolments(rng)
	if err := n.shareSessions(); err != nil {
		return nil, err
	}
	n.shareGoals()
	return n, nil
}

func placeName(las []access.LocalAuthority, code string) string {
	for _, la := range las {
		if la.Code == code {
			name, _, _ := strings.Cut(la.Name, ",")
			return name
		}
	}
	return code
}

// addWomen gives Practice pi its women: each practitioner six to eight in
// the working phases (the heavy women first, each with a different
// practitioner), a few waiting for allocation, and the rest in follow-on,
// finished or closed, allocated to whoever worked with them.
func (n *national) addWomen(rng *rand.Rand, pi, count int) {
	p := &n.practices[pi]
	var practitioners []int
	for _, s := range p.staff {
		if n.staff[s].practitioner {
			practitioners = append(practitioners, s)
		}
	}
	// Working caseloads, dealt out round the practitioners.
	want := make([]int, len(practitioners))
	for i := range want {
		want[i] = between(rng, 6, 8)
	}
	var slots []int
	for round := 0; round < 8; round++ {
		for i, s := range practitioners {
			if round < want[i] {
				slots = append(slots, s)
			}
		}
	}
	waiting := max(1, count/100)
	followOn := count * 8 / 100
	completed := max(1, count/100)
	rest := count - len(slots) - waiting - followOn - completed
	ended := rest / 5
	var phases []programme.Phase
	for range waiting {
		phases = append(phases, programme.PhaseReferred)
	}
	for range followOn {
		phases = append(phases, programme.PhaseFollowOn)
	}
	for range completed {
		phases = append(phases, programme.PhaseCompleted)
	}
	for range ended {
		phases = append(phases, programme.PhaseEnded)
	}
	for range rest - ended {
		phases = append(phases, programme.PhaseClosed)
	}
	rng.Shuffle(len(phases), func(i, j int) { phases[i], phases[j] = phases[j], phases[i] })

	add := func(phase programme.Phase, practitioner int, heavy bool) {
		w := natWoman{id: int64(len(n.women) + 1), practice: pi, heavy: heavy,
			first: womenFirst[rng.IntN(len(womenFirst))], last: nationalSurnames[rng.IntN(len(nationalSurnames))],
			dob: haven.NewDate(between(rng, 1982, 2006), 1, 1), la: p.las[rng.IntN(len(p.las))], care: rng.IntN(3) == 0}
		w.dob = days(w.dob, rng.IntN(365))
		w.ref = personRef(n.seed, w.id)
		if practitioner >= 0 {
			w.practitioner = n.staff[practitioner].id
			n.staff[practitioner].people = append(n.staff[practitioner].people, len(n.women))
		}
		e := n.journey(rng, phase, heavy, n.asOf)
		e.ID, e.PersonID, e.PracticeID = int64(len(n.enrols)+1), w.id, p.id
		w.enrols = []int{len(n.enrols)}
		n.enrols = append(n.enrols, e)
		n.women = append(n.women, w)
	}
	for i, s := range slots {
		heavy := i < n.sc.HeavyPerPractice
		phase := programme.PhaseActive
		switch r := rng.IntN(20); {
		case heavy:
		case r < 5:
			phase = programme.PhaseEngaging
		case r < 6:
			phase = programme.PhaseStarted
		}
		add(phase, s, heavy)
	}
	for _, phase := range phases {
		if phase == programme.PhaseReferred {
			add(phase, -1, false)
			continue
		}
		add(phase, practitioners[rng.IntN(len(practitioners))], false)
	}
}

// step is one move in a journey: the phase, and the days since the move before.
type step struct {
	to       programme.Phase
	min, max int
}

// journey makes an enrolment that has reached phase by the day before
// until, with dates a Practice would record. The heavy women have been on
// the programme long enough for their sessions.
func (n *national) journey(rng *rand.Rand, phase programme.Phase, heavy bool, until haven.Date) natEnrolment {
	engage := step{programme.PhaseEngaging, 7, 21}
	start := step{programme.PhaseStarted, 60, 112}
	active := step{programme.PhaseActive, 0, 3}
	complete := step{programme.PhaseCompleted, 540, 548}
	var path []step
	lastAgo := 0 // days before until of the last move
	switch phase {
	case programme.PhaseReferred:
		lastAgo = between(rng, 1, 30)
	case programme.PhaseEngaging:
		path, lastAgo = []step{engage}, between(rng, 1, 110)
	case programme.PhaseStarted:
		path, lastAgo = []step{engage, start}, between(rng, 0, 2)
	case programme.PhaseActive:
		path, lastAgo = []step{engage, start, active}, between(rng, 3, 530)
		if heavy {
			lastAgo = between(rng, 420, 530)
		}
	case programme.PhaseCompleted:
		path, lastAgo = []step{engage, start, active, complete}, between(rng, 0, 28)
	case programme.PhaseFollowOn:
		path, lastAgo = []step{engage, start, active, complete, {programme.PhaseFollowOn, 0, 7}}, between(rng, 20, 360)
	case programme.PhaseEnded:
		path, lastAgo = []step{engage, {programme.PhaseEnded, 14, 100}}, between(rng, 0, 200)
		if rng.IntN(2) == 0 {
			path = []step{engage, start, active, {programme.PhaseEnded, 30, 400}}
		}
	case programme.PhaseClosed:
		lastAgo = between(rng, 1, 1200)
		switch rng.IntN(4) {
		case 0:
			path = []step{engage, {programme.PhaseEnded, 14, 100}, {programme.PhaseClosed, 1, 60}}
		case 1:
			path = []step{engage, start, active, {programme.PhaseEnded, 30, 400}, {programme.PhaseClosed, 1, 60}}
		case 2:
			path = []step{engage, start, active, complete, {programme.PhaseClosed, 1, 30}}
		default:
			path = []step{engage, start, active, complete, {programme.PhaseFollowOn, 0, 7}, {programme.PhaseClosed, 90, 365}}
		}
	}
	gaps := make([]int, len(path))
	total := 0
	for i, s := range path {
		gaps[i] = between(rng, s.min, s.max)
		total += gaps[i]
	}
	on := days(until, -lastAgo-total)
	e := natEnrolment{Enrolment: programme.Enrolment{Phase: programme.PhaseReferred, ReferredOn: on}}
	for i, s := range path {
		on = days(on, gaps[i])
		reason, exit := "", programme.ExitCategory("")
		if s.to == programme.PhaseEnded {
			reason, exit = endReason(rng.IntN(len(endReasons)), on)
		}
		ev, err := e.Move(s.to, on, reason, exit, 0)
		if err != nil {
			panic(fmt.Sprintf("demo: national journey: %v", err)) // the paths above are all legal
		}
		e.PhaseEvents = append(e.PhaseEvents, ev)
		if s.to == programme.PhaseClosed {
			e.closedOn = on
		}
	}
	return e
}

var endReasons = []string{"Moved out of the area", "Chose to stop for now", "No contact for three months", "Went into residential treatment"}

// endExits are endReasons' categories.
var endExits = []programme.ExitCategory{programme.ExitMovedAway, programme.ExitChoseToLeave, programme.ExitLostContact, programme.ExitIllHealth}

// endReason is the i-th reason and its category, with some days giving the
// rarer reasons instead. It draws nothing more from the generator, so the
// rest of the data set is as it was.
func endReason(i int, on haven.Date) (string, programme.ExitCategory) {
	switch d := on.Time().YearDay(); {
	case d%11 == 0:
		return "Pregnant again, and chose to stop", programme.ExitPregnancy
	case d%17 == 0:
		return "Remanded in custody", programme.ExitCustody
	case d%41 == 0:
		return "Left for a service nearer her family", programme.ExitOther
	case d%97 == 0:
		return "Died", programme.ExitDied
	}
	return endReasons[i], endExits[i]
}

// addPriorEnrolments gives some women an earlier enrolment, closed before
// their current one began: the women re-referred after a first time through.
func (n *national) addPriorEnrolments(rng *rand.Rand) {
	var eligible []int
	for i, w := range n.women {
		if n.enrols[w.enrols[0]].Phase != programme.PhaseReferred {
			eligible = append(eligible, i)
		}
	}
	rng.Shuffle(len(eligible), func(i, j int) { eligible[i], eligible[j] = eligible[j], eligible[i] })
	extra := min(n.sc.Enrolments-len(n.women), len(eligible))
	chosen := eligible[:extra]
	slices.Sort(chosen)
	for _, wi := range chosen {
		w := &n.women[wi]
		cur := n.enrols[w.enrols[0]]
		prior := n.journey(rng, programme.PhaseClosed, false, days(cur.ReferredOn, -between(rng, 30, 700)))
		prior.PersonID, prior.PracticeID = w.id, cur.PracticeID
		w.enrols = append([]int{len(n.enrols)}, w.enrols...)
		n.enrols = append(n.enrols, prior)
	}
	// Number enrolments woman by woman, oldest first, as they would have been made.
	var ordered []natEnrolment
	for i := range n.women {
		for j, ei := range n.women[i].enrols {
			e := n.enrols[ei]
			e.ID = int64(len(ordered) + 1)
			n.women[i].enrols[j] = len(ordered)
			ordered = append(ordered, e)
		}
	}
	n.enrols = ordered
}

// window is a span of days in which sessions happen: from engagement to
// the end, or to the day before the data set's day.
type window struct{ from, to haven.Date }

func (w window) days() int { return int(w.to.Time().Sub(w.from.Time()).Hours()/24) + 1 }

func (n *national) windows(w *natWoman) []window {
	var out []window
	for _, ei := range w.enrols {
		e := n.enrols[ei]
		if e.EngagedOn.IsZero() {
			continue
		}
		to := days(n.asOf, -1)
		switch {
		case !e.closedOn.IsZero():
			to = e.closedOn
		case e.Phase == programme.PhaseEnded || e.Phase == programme.PhaseCompleted:
			to = e.EndedOn
		}
		if to.Before(e.EngagedOn) {
			to = e.EngagedOn
		}
		out = append(out, window{e.EngagedOn, to})
	}
	return out
}

// shareSessions gives the heavy women HeavySessions each and shares the rest
// out by how long each woman has been worked with, to make Sessions in all.
func (n *national) shareSessions() error {
	const most = HeavySessions - 10 // nobody else comes near the heavy women
	rest := n.sc.Sessions
	weight, total := make([]int, len(n.women)), 0
	for i := range n.women {
		w := &n.women[i]
		if w.heavy {
			w.sessions = HeavySessions
			rest -= HeavySessions
			continue
		}
		for _, win := range n.windows(w) {
			weight[i] += win.days()
		}
		total += weight[i]
	}
	given := 0
	for i := range n.women {
		if weight[i] > 0 {
			n.women[i].sessions = min(most, max(1, int(int64(weight[i])*int64(rest)/int64(total))))
			given += n.women[i].sessions
		}
	}
	// Round-off: one more or one fewer for each woman in turn until the sum
	// is right, or a whole round changes nothing because the scale cannot be met.
	for given != rest {
		before := given
		for i := range n.women {
			w := &n.women[i]
			switch {
			case weight[i] == 0 || given == rest:
			case given < rest && w.sessions < most:
				w.sessions++
				given++
			case given > rest && w.sessions > 1:
				w.sessions--
				given--
			}
		}
		if given == before {
			return fmt.Errorf("demo: %d sessions cannot be shared out among %d women", n.sc.Sessions, len(n.women))
		}
	}
	return nil
}

// shareGoals gives every woman who has engaged some goals, Goals in all,
// numbered woman by woman.
func (n *national) shareGoals() {
	var eligible []int
	for i, w := range n.women {
		if w.sessions > 0 {
			eligible = append(eligible, i)
		}
	}
	counts := split(n.sc.Goals, len(eligible))
	next := int64(1)
	for k, i := range eligible {
		w := &n.women[i]
		w.goals, w.firstGoal = counts[k], next
		next += int64(counts[k])
	}
}

func (n *national) plan() Plan {
	p := Plan{Seed: n.seed, AsOf: n.asOf, Password: n.password}
	for _, s := range n.staff {
		pr := n.practices[s.practice]
		sp := StaffPlan{UserID: s.id, Role: s.role, PracticeID: pr.id, Practice: pr.slug, Email: s.email, TOTPSecret: s.totp}
		for _, wi := range s.people {
			w := n.women[wi]
			pp := PersonPlan{ID: w.id, Ref: w.ref, Phase: n.enrols[w.enrols[len(w.enrols)-1]].Phase, Sessions: w.sessions}
			for g := range w.goals {
				pp.GoalIDs = append(pp.GoalIDs, w.firstGoal+int64(g))
			}
			sp.People = append(sp.People, pp)
		}
		slices.SortFunc(sp.People, func(a, b PersonPlan) int { return int(a.ID - b.ID) })
		p.Staff = append(p.Staff, sp)
	}
	return p
}
