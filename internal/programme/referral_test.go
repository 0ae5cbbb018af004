package programme

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"haven/internal/haven"
)

var referralNow = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// goodSelf is a complete, valid self-referral.
func goodSelf() Referral {
	return Referral{Source: ReferralSelf, FirstName: "Robin", LastName: "Testcase", Phone: "07700 900123",
		PostcodeDistrict: "ls6 2ab", Contact: SafeContact{Channels: []ContactChannel{ChannelText}, NoVoicemail: true},
		ChildrenRemoved: RemovedTwo, Consent: ConsentGiven}
}

func goodProfessional() Referral {
	r := goodSelf()
	r.Source, r.Consent = ReferralProfessional, ConsentNotAsked
	r.Referrer = Referrer{Name: "Sam Worker", Organisation: "Leeds Children's Services", Role: "Social worker", Contact: "sam@example.org"}
	return r
}

func TestReferralValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Referral)
		pro    bool
		fields []string // the fields with problems; none means valid
	}{
		{"a complete self-referral", func(*Referral) {}, false, nil},
		{"a complete professional referral", func(*Referral) {}, true, nil},
		{"no name", func(r *Referral) { r.FirstName, r.LastName = " ", "" }, false, []string{"firstName", "lastName"}},
		{"a name too long", func(r *Referral) { r.FirstName = strings.Repeat("é", 101) }, false, []string{"firstName"}},
		{"a control character in a name", func(r *Referral) { r.LastName = "Test\x07case" }, false, []string{"lastName"}},
		{"a line break in a name", func(r *Referral) { r.LastName = "Test\ncase" }, false, []string{"lastName"}},
		{"line breaks in safe times are fine", func(r *Referral) { r.Contact.SafeTimes = "Mornings\nNot Fridays" }, false, nil},
		{"invalid UTF-8", func(r *Referral) { r.FirstName = "Rob\xffin" }, false, []string{"firstName"}},
		{"no way to contact her", func(r *Referral) { r.Phone, r.Contact.Channels = "", nil }, false, []string{"phone"}},
		{"only through a professional", func(r *Referral) {
			r.Phone, r.Contact = "", SafeContact{ViaProfessional: true, ViaName: "Jo Support", ViaContact: "07700 900456"}
		}, false, nil},
		{"a professional with no details", func(r *Referral) { r.Contact.ViaProfessional = true }, false, []string{"viaName", "viaContact"}},
		{"text ticked with no phone", func(r *Referral) { r.Phone, r.Email = "", "robin@example.org" }, false, []string{"phone"}},
		{"email ticked with no email", func(r *Referral) { r.Contact.Channels = []ContactChannel{ChannelEmail} }, false, []string{"email"}},
		{"an unknown channel", func(r *Referral) { r.Contact.Channels = []ContactChannel{"pigeon"} }, false, []string{"safeChannels"}},
		{"a bad phone number", func(r *Referral) { r.Phone = "call me" }, false, []string{"phone"}},
		{"a short phone number", func(r *Referral) { r.Phone = "0770 090" }, false, []string{"phone"}},
		{"an international number", func(r *Referral) { r.Phone = "+44 (0)7700 900123" }, false, nil},
		{"a bad email", func(r *Referral) { r.Email = "robin@localhost" }, false, []string{"email"}},
		{"no area", func(r *Referral) { r.PostcodeDistrict = "" }, false, []string{"laCode"}},
		{"an unknown postcode district", func(r *Referral) { r.PostcodeDistrict = "ZZ99" }, false, []string{"postcode"}},
		{"a chosen authority", func(r *Referral) { r.PostcodeDistrict, r.LACode = "", "E10000016" }, false, nil},
		{"an authority that does not exist", func(r *Referral) { r.PostcodeDistrict, r.LACode = "", "E10000099" }, false, []string{"laCode"}},
		{"a Welsh postcode: no English authority, but an area", func(r *Referral) { r.PostcodeDistrict = "CF10" }, false, nil},
		{"no answer about removals", func(r *Referral) { r.ChildrenRemoved = "" }, false, []string{"childrenRemoved"}},
		{"a made-up answer", func(r *Referral) { r.CareExperienced = "maybe" }, false, []string{"careExperienced"}},
		{"no consent to a self-referral", func(r *Referral) { r.Consent = "" }, false, []string{"consent"}},
		{"she declined a professional's referral", func(r *Referral) { r.Consent = ConsentDeclined }, true, []string{"consent"}},
		{"no consent answer", func(r *Referral) { r.Consent = "" }, true, []string{"consent"}},
		{"a future date of birth", func(r *Referral) { r.DateOfBirth = haven.NewDate(2027, 1, 1) }, false, []string{"dateOfBirth"}},
		{"a referrer with no details", func(r *Referral) { r.Referrer = Referrer{} }, true, []string{"referrerName", "referrerOrganisation", "referrerRole", "referrerContact"}},
		{"risks too long", func(r *Referral) { r.Risks = strings.Repeat("x", 5001) }, true, []string{"risks"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := goodSelf()
			if tt.pro {
				r = goodProfessional()
			}
			tt.change(&r)
			r.Prepare()
			err := r.Validate(referralNow)
			var got []string
			if he, ok := errors.AsType[*haven.Error](err); ok {
				for k := range he.Fields {
					got = append(got, k)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			slices.Sort(got)
			want := slices.Clone(tt.fields)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("problems with %v, want %v (%v)", got, want, err)
			}
		})
	}
}

func TestReferralPrepareFindsHerArea(t *testing.T) {
	tests := []struct{ typed, la, district, want string }{
		{"ls6 2ab", "", "LS6", "E08000035"},
		{"CT1", "", "CT1", "E10000016"},
		{"po1", "", "PO1", "E06000044"},
		{"LS6", "E10000016", "LS6", "E10000016"}, // what she chose wins
		{"CF10 1AA", "", "CF10", ""},
		{"nowhere", "", "NOWHERE", ""},
	}
	for _, tt := range tests {
		r := Referral{PostcodeDistrict: tt.typed, LACode: tt.la}
		r.Prepare()
		if r.LACode != tt.want || r.PostcodeDistrict != tt.district {
			t.Errorf("%q with %q: area %q, district %q; want %q, %q", tt.typed, tt.la, r.LACode, r.PostcodeDistrict, tt.want, tt.district)
		}
	}
}

func TestScreenGivesAdviceOnly(t *testing.T) {
	today := haven.NewDate(2026, 11, 23)
	leeds := []string{"E08000035"}
	cohorts := func(s Screening) (out []Cohort) {
		for _, c := range s.Cohorts {
			out = append(out, c.Cohort)
		}
		return out
	}
	tests := []struct {
		name     string
		r        Referral
		las      []string
		age      int
		cohorts  []Cohort
		concerns []string // each must appear in some concern
	}{
		{"two removed, no children with her, care-experienced, 30",
			Referral{ChildrenRemoved: RemovedTwo, CareExperienced: AnswerYes, ChildrenInCare: AnswerNo, DateOfBirth: haven.NewDate(1996, 1, 10), LACode: "E08000035",
				Consent: ConsentGiven, Contact: SafeContact{Channels: []ContactChannel{ChannelText}}},
			leeds, 30, []Cohort{CohortTwoOrMoreRemoved, CohortCareExperienced, CohortNoChildrenInCare}, nil},
		{"one removed, 19 tomorrow",
			Referral{ChildrenRemoved: RemovedOne, ChildrenInCare: AnswerNo, DateOfBirth: haven.NewDate(2007, 11, 24), LACode: "E08000035",
				Consent: ConsentGiven, Contact: SafeContact{Channels: []ContactChannel{ChannelText}}},
			leeds, 18, []Cohort{CohortOneRemoved, CohortYoungWoman, CohortNoChildrenInCare}, nil},
		{"three or more, but a child in her care and not asked",
			Referral{ChildrenRemoved: RemovedThreeOrMore, ChildrenInCare: AnswerYes, DateOfBirth: haven.NewDate(1990, 5, 5), LACode: "E08000035",
				Consent: ConsentNotAsked, Contact: SafeContact{ViaProfessional: true}, Risks: "Partner is controlling"},
			leeds, 36, []Cohort{CohortTwoOrMoreRemoved}, []string{"children in her care", "not yet been asked", "noted risks"}},
		{"none removed, age unknown, outside the Practice's area, no safe way given",
			Referral{ChildrenRemoved: RemovedNone, ChildrenInCare: AnswerUnknown, LACode: "E10000016", Consent: ConsentGiven},
			leeds, -1, nil, []string{"date of birth is not known", "No children have been removed", "not known whether she has children", "Kent, which this Practice does not serve", "how it is safe to contact her"}},
		{"none removed but 17: Intervening Earlier may fit",
			Referral{ChildrenRemoved: RemovedNone, ChildrenInCare: AnswerNo, DateOfBirth: haven.NewDate(2009, 1, 1), LACode: "E08000035", Consent: ConsentGiven, Contact: SafeContact{Channels: []ContactChannel{ChannelPhone}}},
			leeds, 17, []Cohort{CohortYoungWoman, CohortNoChildrenInCare}, nil},
		{"under 16",
			Referral{ChildrenRemoved: RemovedOne, ChildrenInCare: AnswerNo, DateOfBirth: haven.NewDate(2011, 6, 1), Consent: ConsentGiven, Contact: SafeContact{Channels: []ContactChannel{ChannelPhone}}},
			leeds, 15, []Cohort{CohortOneRemoved, CohortNoChildrenInCare}, []string{"She is 15", "outside England"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Screen(tt.r, today, tt.las)
			if s.Age != tt.age {
				t.Errorf("age %d, want %d", s.Age, tt.age)
			}
			if got := cohorts(s); !slices.Equal(got, tt.cohorts) {
				t.Errorf("cohorts %v, want %v", got, tt.cohorts)
			}
			all := strings.Join(s.Concerns, "\n")
			for _, c := range tt.concerns {
				if !strings.Contains(all, c) {
					t.Errorf("no concern saying %q in:\n%s", c, all)
				}
			}
			if tt.concerns == nil && len(s.Concerns) > 0 {
				t.Errorf("unexpected concerns: %v", s.Concerns)
			}
			// Advice, never a decision.
			for _, text := range append(s.Concerns, all) {
				for _, word := range []string{"ineligible", "not eligible", "reject", "must decline"} {
					if strings.Contains(strings.ToLower(text), word) {
						t.Errorf("the screen decides (%q): %s", word, text)
					}
				}
			}
		})
	}
}

func TestPossibleMatch(t *testing.T) {
	dob := haven.NewDate(1995, 6, 1)
	r := Referral{FirstName: "Robin", LastName: "Testcase", DateOfBirth: dob}
	tests := []struct {
		p    Person
		want bool
	}{
		{Person{FirstName: "robin", LastName: "TESTCASE"}, true},
		{Person{FirstName: "Bobbie", LastName: "Testcase", DateOfBirth: dob}, true},
		{Person{FirstName: "Bobbie", LastName: "Testcase", DateOfBirth: haven.NewDate(1995, 6, 2)}, false},
		{Person{FirstName: "Robin", LastName: "Other"}, false},
		{Person{FirstName: "Robin", LastName: "Other", DateOfBirth: dob}, false},
	}
	for _, tt := range tests {
		if got := r.PossibleMatch(tt.p); got != tt.want {
			t.Errorf("match with %s %s %s: %v, want %v", tt.p.FirstName, tt.p.LastName, tt.p.DateOfBirth, got, tt.want)
		}
	}
	if (Referral{FirstName: "Robin", LastName: "Testcase"}).PossibleMatch(Person{FirstName: "Bobbie", LastName: "Testcase"}) {
		t.Error("two unknown dates of birth matched")
	}
}

func TestCheckOutcome(t *testing.T) {
	tests := []struct {
		name     string
		status   ReferralStatus
		personID int64
		o        Outcome
		kind     haven.Kind // "" when allowed
		field    string
	}{
		{"accept a new referral", ReferralNew, 0, Outcome{Status: ReferralAccepted}, "", ""},
		{"accept from the waiting list", ReferralWaiting, 0, Outcome{Status: ReferralAccepted}, "", ""},
		{"put on the waiting list", ReferralNew, 0, Outcome{Status: ReferralWaiting}, "", ""},
		{"waiting list twice", ReferralWaiting, 0, Outcome{Status: ReferralWaiting}, haven.KindInvalid, "outcome"},
		{"decline with a reason", ReferralNew, 0, Outcome{Status: ReferralDeclined, Reason: "Lives outside our area"}, "", ""},
		{"decline without a reason", ReferralNew, 0, Outcome{Status: ReferralDeclined, Reason: "  "}, haven.KindInvalid, "reason"},
		{"refer on without saying to whom", ReferralWaiting, 0, Outcome{Status: ReferralReferredOn}, haven.KindInvalid, "to"},
		{"refer on", ReferralWaiting, 0, Outcome{Status: ReferralReferredOn, To: "Family Drug and Alcohol Court team"}, "", ""},
		{"no outcome", ReferralNew, 0, Outcome{}, haven.KindInvalid, "outcome"},
		{"already declined", ReferralDeclined, 0, Outcome{Status: ReferralAccepted}, haven.KindConflict, ""},
		{"already accepted", ReferralAccepted, 7, Outcome{Status: ReferralAccepted}, haven.KindConflict, ""},
		{"accepted, record not made: finish", ReferralAccepted, 0, Outcome{Status: ReferralAccepted}, "", ""},
		{"accepted, record not made: cannot decline", ReferralAccepted, 0, Outcome{Status: ReferralDeclined, Reason: "x"}, haven.KindConflict, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Referral{Status: tt.status, PersonID: tt.personID}.CheckOutcome(tt.o)
			if tt.kind == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if haven.KindOf(err) != tt.kind {
				t.Fatalf("error %v, want kind %s", err, tt.kind)
			}
			if he, _ := errors.AsType[*haven.Error](err); tt.field != "" && he.Fields[tt.field] == "" {
				t.Errorf("no message for %s: %v", tt.field, he.Fields)
			}
		})
	}
}

func TestReferralRefs(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		ref := NewReferralRef()
		if !ValidReferralRef(ref) || seen[ref] {
			t.Fatalf("bad or repeated reference %q", ref)
		}
		seen[ref] = true
	}
	for _, bad := range []string{"", "HVN-ABCD-EFG", "hvn-abcd-efgh", "HVN-ABCD-EFG1", "HVN-ABCD-EFGH ", "abcdefghijkl"} {
		if ValidReferralRef(bad) {
			t.Errorf("%q passed as a reference", bad)
		}
	}
}

func TestAgeOn(t *testing.T) {
	today := haven.NewDate(2026, 11, 23)
	for dob, want := range map[haven.Date]int{
		haven.NewDate(2010, 11, 23): 16, haven.NewDate(2010, 11, 24): 15, {}: -1, haven.NewDate(2027, 1, 1): -1,
		haven.NewDate(2008, 2, 29): 18,
	} {
		if got := AgeOn(dob, today); got != want {
			t.Errorf("AgeOn(%s) = %d, want %d", dob, got, want)
		}
	}
}
