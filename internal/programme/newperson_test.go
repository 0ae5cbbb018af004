package programme

import (
	"strings"
	"testing"
	"time"

	"haven/internal/haven"
)

// Whatever a valid referral says of her, the record it becomes is valid:
// accepting a referral must never fail on the referral's own answers.
func TestAcceptedReferralsLongestAnswersFitHerRecord(t *testing.T) {
	now := time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)
	r := Referral{Source: ReferralProfessional, FirstName: strings.Repeat("a", maxReferralName), LastName: strings.Repeat("b", maxReferralName),
		DateOfBirth: haven.NewDate(1995, 6, 1), Phone: "07700 900 982", Email: "her@example.org", LACode: "E08000035",
		Contact: SafeContact{Channels: []ContactChannel{ChannelText}, SafeTimes: strings.Repeat("t", maxSafeTimes), ViaProfessional: true,
			ViaName: strings.Repeat("n", maxReferralName), ViaContact: strings.Repeat("c", maxReferralShort)},
		CommunicationNeeds: strings.Repeat("x", 2000), ChildrenRemoved: RemovedOne, CareExperienced: AnswerUnknown, Consent: ConsentGiven,
		Referrer: Referrer{Name: strings.Repeat("r", maxReferralName), Organisation: strings.Repeat("o", maxReferralShort),
			Role: strings.Repeat("l", maxReferralShort), Contact: strings.Repeat("k", maxReferralShort)}}
	r.Prepare()
	if err := r.Validate(now); err != nil {
		t.Fatalf("the referral itself: %v", err)
	}
	p := r.NewPerson()
	if err := p.Validate(now); err != nil {
		t.Errorf("the record it becomes: %v", err)
	}
	if a, ok := r.ReferrerAround(); !ok || a.Validate() != nil {
		t.Errorf("its referrer among the people around her: %+v, %v", a, a.Validate())
	}
}
