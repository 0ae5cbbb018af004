// Package demo generates Haven's synthetic demo data. Everything it makes is
// fictional and deterministic from a seed: the same seed gives the same
// people, passwords and keys.
package demo

import (
	"context"
	"encoding/base32"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"time"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/auth"
	"haven/internal/haven"
	"haven/internal/programme"
	"haven/internal/store"
)

// DefaultSeed is what `haven serve --demo` uses.
const DefaultSeed = 20261122

// ErrHasData means the database already holds data, which demo data must never join.
var ErrHasData = errors.New("demo: the database already holds data; demo data is only seeded into an empty database")

// Account is a demo account's sign-in details, printed so people can try Haven.
type Account struct {
	Role       access.Role
	Tenant     string
	Email      string
	Password   string
	TOTPSecret string
	APIToken   string
	UserID     int64
}

// Line is the account's line, exactly as `haven serve --demo` prints it.
func (a Account) Line() string {
	return fmt.Sprintf("demo account: role=%s tenant=%s email=%s password=%s totp-secret=%s api-token=%s",
		a.Role, a.Tenant, a.Email, a.Password, a.TOTPSecret, a.APIToken)
}

// Summary says what was seeded.
type Summary struct {
	Organisation access.Organisation
	Practices    []access.Practice
	LATeam       access.LATeam
	Accounts     []Account
}

// Options adjusts seeding. The zero value is what `haven serve --demo` uses.
type Options struct {
	Seed   uint64
	Hasher *auth.Hasher // nil means OWASP's parameters; tests pass cheaper ones
	Now    time.Time    // for API token expiry; zero means time.Now
}

// Fictional names, chosen to read as made up. Emails use the reserved .invalid
// domain so that no message can ever reach a real person.
var (
	firstNames = []string{"Ada", "Bryn", "Cass", "Dara", "Eden", "Fenn", "Gale", "Hollis", "Ivo", "Jude", "Kit", "Lark", "Merle", "Nell", "Orla", "Pip", "Quinn", "Roz", "Sol", "Tamsin"}
	lastNames  = []string{"Ashdown", "Brackenridge", "Cinderford", "Dunmere", "Elderwick", "Fallowfield", "Greymoor", "Hartwell", "Ivybridge", "Juniper", "Kestrel", "Larkspur", "Marchbank", "Nettlefold", "Oakhaven", "Pennyroyal", "Quillfeather", "Rookwood", "Sorrel", "Thistlewood"}
	words      = []string{"amber", "birch", "cobalt", "delta", "ember", "fjord", "garnet", "harbour", "indigo", "juniper", "kelp", "lantern", "meadow", "nutmeg", "opal", "pebble", "quartz", "russet", "saffron", "thistle", "umber", "violet", "willow", "yarrow"}
)

// practices are three fictional Practices, each in a real local authority area.
var practices = []struct{ slug, name, la string }{
	{"demo-riverside", "Riverside Practice (demo)", "E08000035"}, // Leeds
	{"demo-hillcrest", "Hillcrest Practice (demo)", "E10000016"}, // Kent
	{"demo-harbour", "Harbour Practice (demo)", "E06000044"},     // Portsmouth
}

// practiceRoles is each Practice's team: a lead, a co-ordinator and three practitioners.
var practiceRoles = []access.Role{access.RolePracticeLead, access.RolePracticeCoordinator, access.RolePractitioner, access.RolePractitioner, access.RolePractitioner}

type seeder struct {
	ctx  context.Context
	db   *store.DB
	rng  *rand.Rand
	hash auth.Hasher
	now  time.Time
	used map[string]bool
	sum  *Summary
	// women are the demo women in the order people() made them, for the
	// capabilities that pick particular women out (measures.go).
	women []demoWoman
}

// Seed fills an empty database with the demo organisation, its Practices, a
// local authority team, and an account for every role.
func Seed(ctx context.Context, db *store.DB, o Options) (Summary, error) {
	var sum Summary
	has, err := db.HasData(ctx)
	if err != nil {
		return sum, err
	}
	if has {
		return sum, ErrHasData
	}
	if o.Seed == 0 {
		o.Seed = DefaultSeed
	}
	if o.Hasher == nil {
		o.Hasher = &auth.DefaultHasher
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	s := &seeder{ctx: ctx, db: db, rng: rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15)), hash: *o.Hasher, now: o.Now, used: map[string]bool{}, sum: &sum} // #nosec G404 -- synthetic demo data must be the same for the same seed; nothing here is a secret in use

	org, err := db.CreateOrganisation(ctx, access.Organisation{Slug: "demo-family-futures", Name: "Family Futures Trust (demo)"})
	if err != nil {
		return sum, fmt.Errorf("demo organisation: %w", err)
	}
	sum.Organisation = org
	if err := s.account(access.RoleAdmin, store.Tenant{Kind: access.TenantOrganisation, ID: org.ID, Slug: org.Slug}); err != nil {
		return sum, err
	}
	for _, pd := range practices {
		p, err := db.CreatePractice(ctx, access.Practice{OrganisationID: org.ID, Slug: pd.slug, Name: pd.name, LocalAuthorities: []string{pd.la}})
		if err != nil {
			return sum, fmt.Errorf("demo practice: %w", err)
		}
		sum.Practices = append(sum.Practices, p)
		for _, role := range practiceRoles {
			if err := s.account(role, store.Tenant{Kind: access.TenantPractice, ID: p.ID, Slug: p.Slug}); err != nil {
				return sum, err
			}
		}
	}
	if err := s.people(); err != nil {
		return sum, err
	}
	// Each capability seeds its own demo records, in its own file.
	for _, seed := range []func() error{s.referrals, s.sessions, s.plans, s.contact, s.measures, s.needs} {
		if err := seed(); err != nil {
			return sum, err
		}
	}
	team, err := db.CreateLATeam(ctx, access.LATeam{Slug: "demo-leeds-reunification", Name: "Leeds Reunification Team (demo)", LACode: "E08000035"})
	if err != nil {
		return sum, fmt.Errorf("demo LA team: %w", err)
	}
	sum.LATeam = team
	laTenant := store.Tenant{Kind: access.TenantLocalAuthority, ID: team.ID, Slug: team.Slug}
	national := store.Tenant{Kind: access.TenantNational, Slug: store.NationalSlug}
	for _, g := range []store.Grant{
		{Role: access.RoleLAManager, Tenant: laTenant},
		{Role: access.RoleLASocialWorker, Tenant: laTenant},
		{Role: access.RoleNationalAnalyst, Tenant: national},
		{Role: access.RoleDirectoryEditor, Tenant: national},
		{Role: access.RoleLibraryEditor, Tenant: national},
	} {
		if err := s.account(g.Role, g.Tenant); err != nil {
			return sum, err
		}
	}
	if err := s.laChildren(); err != nil {
		return sum, err
	}
	if err := s.ssda903Children(); err != nil {
		return sum, err
	}
	if err := s.reunifyPlans(team); err != nil {
		return sum, err
	}
	if err := s.laStages(); err != nil {
		return sum, err
	}
	if err := s.calculatorScenarios(); err != nil {
		return sum, err
	}
	if err := s.directory(); err != nil {
		return sum, err
	}
	if err := s.forum(); err != nil {
		return sum, err
	}
	if err := s.events(); err != nil {
		return sum, err
	}
	if err := s.directoryContact(); err != nil {
		return sum, err
	}
	if err := s.library(); err != nil {
		return sum, err
	}
	return sum, nil
}

// Fictional women's names for the demo caseloads.
var (
	womenFirst = []string{"Aisha", "Bethany", "Chloe", "Danielle", "Ellie", "Freya", "Georgia", "Hannah", "Imani", "Jade", "Kayleigh", "Leah", "Megan", "Nadia", "Paige", "Rosie", "Shannon", "Tia"}
	womenLast  = []string{"Alderley", "Blackthorn", "Copperfield", "Dewberry", "Evenlode", "Foxglove", "Gorsefield", "Hawthorne", "Ivystone", "Jessamine", "Kingfisher", "Lindenmoor"}
)

// PeoplePerPractice is how many women each demo Practice works with.
const PeoplePerPractice = 6

// people gives each Practice a small caseload, allocated round the
// practitioners, with a restricted section for some.
func (s *seeder) people() error {
	for _, p := range s.sum.Practices {
		var lead *access.Actor
		var practitioners []int64
		for _, a := range s.sum.Accounts {
			if a.Tenant != p.Slug {
				continue
			}
			switch a.Role {
			case access.RolePracticeLead:
				actor, err := s.db.Actor(s.ctx, a.UserID)
				if err != nil {
					return err
				}
				lead = actor
			case access.RolePractitioner:
				practitioners = append(practitioners, a.UserID)
			}
		}
		for i := range PeoplePerPractice {
			person := programme.Person{PracticeID: p.ID, PractitionerID: practitioners[i%len(practitioners)],
				FirstName: womenFirst[s.rng.IntN(len(womenFirst))], LastName: womenLast[s.rng.IntN(len(womenLast))],
				DateOfBirth: haven.NewDate(1985+s.rng.IntN(20), time.Month(1+s.rng.IntN(12)), 1+s.rng.IntN(28)),
				LACode:      p.LocalAuthorities[0], CareExperienced: []programme.Answer{programme.AnswerYes, programme.AnswerNo, programme.AnswerUnknown}[s.rng.IntN(3)],
				Pronouns: "she/her"}
			// Numbers from Ofcom's range for drama, so none is anybody's.
			person.Contact.Phone = programme.ContactDetail{Value: fmt.Sprintf("07700 900%03d", (int(p.ID)*PeoplePerPractice+i)%1000), Safe: programme.AnswerYes}
			person.SafeContact = programme.ContactPrefs{Channels: []string{"text"}, NoVoicemail: i%2 == 0}
			if i == 0 {
				person.PractitionerID = 0 // one waiting for allocation
			}
			created, err := s.db.CreatePerson(s.ctx, audit.Event{RequestID: "demo-seed"}, lead, person)
			if err != nil {
				return fmt.Errorf("demo person: %w", err)
			}
			if err := s.enrol(created, i); err != nil {
				return err
			}
			s.women = append(s.women, demoWoman{person: created, i: i, lead: lead.User.ID})
			if i%2 == 1 {
				body := "Contraceptive implant fitted; review due in the spring. (Fictional demo note.)"
				if err := s.db.SaveRestricted(s.ctx, audit.Event{RequestID: "demo-seed"}, created.ID, programme.SectionReproductiveHealth, body, "", 0, lead.User.ID); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// demoJourneys take the demo women to different points in the programme:
// each is a list of (phase, days ago).
var demoJourneys = [][]struct {
	to  programme.Phase
	ago int
}{
	{},
	{{programme.PhaseEngaging, 40}},
	{{programme.PhaseEngaging, 200}, {programme.PhaseStarted, 90}, {programme.PhaseActive, 89}},
	{{programme.PhaseEngaging, 520}, {programme.PhaseStarted, 500}, {programme.PhaseActive, 499}},
	{{programme.PhaseEngaging, 800}, {programme.PhaseStarted, 700}, {programme.PhaseActive, 699}, {programme.PhaseCompleted, 150}, {programme.PhaseFollowOn, 149}},
	{{programme.PhaseEngaging, 300}, {programme.PhaseEnded, 250}},
}

// demoExits are why the demo women who ended early did, in turn.
var demoExits = []struct {
	reason string
	exit   programme.ExitCategory
}{
	{"Moved out of the area", programme.ExitMovedAway},
	{"No contact since the spring", programme.ExitLostContact},
	{"Chose to stop for now", programme.ExitChoseToLeave},
	{"Pregnant again, and chose to stop", programme.ExitPregnancy},
	{"Remanded in custody", programme.ExitCustody},
}

// enrol gives the i-th demo woman an enrolment at a point in the programme.
func (s *seeder) enrol(p programme.Person, i int) error {
	journey := demoJourneys[i%len(demoJourneys)]
	referred := 14
	if len(journey) > 0 {
		referred = journey[0].ago + 10 + s.rng.IntN(20)
	}
	day := func(ago int) haven.Date {
		t := s.now.AddDate(0, 0, -ago)
		return haven.NewDate(t.Year(), t.Month(), t.Day())
	}
	by := audit.Event{RequestID: "demo-seed"}
	e, err := s.db.StartEnrolment(s.ctx, by, p, day(referred))
	if err != nil {
		return fmt.Errorf("demo enrolment: %w", err)
	}
	for _, step := range journey {
		reason, exit := "", programme.ExitCategory("")
		if step.to == programme.PhaseEnded {
			x := demoExits[(i/len(demoJourneys))%len(demoExits)]
			reason, exit = x.reason, x.exit
		}
		if e, err = s.db.MoveEnrolment(s.ctx, by, e, step.to, day(step.ago), reason, exit, p.PractitionerID); err != nil {
			return fmt.Errorf("demo enrolment phase: %w", err)
		}
	}
	return nil
}

// account makes one enrolled account with a password, TOTP key and API token.
func (s *seeder) account(role access.Role, t store.Tenant) error {
	name := s.uniqueName()
	a := Account{Role: role, Tenant: t.Slug,
		Email:      strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@demo.haven.invalid",
		Password:   s.password(),
		TOTPSecret: s.secret(20),
		APIToken:   "haven_" + strings.ToLower(s.secret(32)),
	}
	hash, err := s.hash.Hash(a.Password)
	if err != nil {
		return err
	}
	by := audit.Event{RequestID: "demo-seed"}
	u, err := s.db.CreateEnrolledAccount(s.ctx, by, access.User{Email: a.Email, DisplayName: name}, []store.Grant{{Role: role, Tenant: t}}, hash, a.TOTPSecret)
	if err != nil {
		return fmt.Errorf("demo account: %w", err)
	}
	a.UserID = u.ID
	if _, err := s.db.CreateAPIToken(s.ctx, by, u.ID, "Demo token", auth.HashToken(a.APIToken), s.now.AddDate(0, 0, 90)); err != nil {
		return fmt.Errorf("demo token: %w", err)
	}
	s.sum.Accounts = append(s.sum.Accounts, a)
	return nil
}

func (s *seeder) uniqueName() string {
	for {
		n := firstNames[s.rng.IntN(len(firstNames))] + " " + lastNames[s.rng.IntN(len(lastNames))]
		if !s.used[n] {
			s.used[n] = true
			return n
		}
	}
}

// password is three words and a number: easy to type, and long enough.
func (s *seeder) password() string {
	return fmt.Sprintf("%s-%s-%s-%02d", words[s.rng.IntN(len(words))], words[s.rng.IntN(len(words))], words[s.rng.IntN(len(words))], s.rng.IntN(100))
}

func (s *seeder) secret(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(s.rng.UintN(256)) // #nosec G115 -- UintN(256) is 0..255
	}
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)
}

// Print writes every account's line.
func (sum Summary) Print(w io.Writer) {
	for _, a := range sum.Accounts {
		fmt.Fprintln(w, a.Line())
	}
}
