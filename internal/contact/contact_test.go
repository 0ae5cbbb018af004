package contact

import (
	"errors"
	"strings"
	"testing"
	"time"

	"haven/internal/haven"
)

var today = haven.NewDate(2026, 11, 23)

func d(y int, m time.Month, day int) haven.Date { return haven.NewDate(y, m, day) }

// fieldsOf returns the field messages of a validation error, or nil.
func fieldsOf(t *testing.T, err error) map[string]string {
	t.Helper()
	if err == nil {
		return nil
	}
	he, ok := errors.AsType[*haven.Error](err)
	if !ok || he.Kind != haven.KindInvalid {
		t.Fatalf("not a validation error: %v", err)
	}
	return he.Fields
}

// check asserts that exactly the wanted fields failed, each message containing its text.
func check(t *testing.T, err error, want map[string]string) {
	t.Helper()
	got := fieldsOf(t, err)
	if len(got) != len(want) {
		t.Errorf("fields %v, want %v", got, want)
	}
	for f, w := range want {
		if !strings.Contains(got[f], w) {
			t.Errorf("field %s: %q, want it to say %q", f, got[f], w)
		}
	}
}

func TestChildValidate(t *testing.T) {
	ok := Child{Name: "A.B.", BornOn: d(2020, 5, 1), RemovedOn: d(2021, 2, 1), LegalStatus: "care-order", Placement: "foster-care"}
	tests := []struct {
		name string
		edit func(*Child)
		want map[string]string
	}{
		{"valid", func(*Child) {}, nil},
		{"year only", func(c *Child) { c.BornOn, c.BirthYear = haven.Date{}, 2019 }, nil},
		{"no name", func(c *Child) { c.Name = "  " }, map[string]string{"name": "first name or initials"}},
		{"no birth", func(c *Child) { c.BornOn = haven.Date{} }, map[string]string{"born": "year if that is all"}},
		{"born in the future", func(c *Child) { c.BornOn, c.RemovedOn = d(2027, 1, 1), haven.Date{} }, map[string]string{"born": "today or in the past"}},
		{"removed before birth", func(c *Child) { c.RemovedOn = d(2020, 4, 30) }, map[string]string{"removed": "on or after their date of birth"}},
		{"removed before birth year", func(c *Child) { c.BornOn, c.BirthYear, c.RemovedOn = haven.Date{}, 2020, d(2019, 12, 31) }, map[string]string{"removed": "on or after"}},
		{"removed the day of birth", func(c *Child) { c.RemovedOn = c.BornOn }, nil},
		{"removed in the future", func(c *Child) { c.RemovedOn = d(2026, 12, 1) }, map[string]string{"removed": "today or in the past"}},
		{"bad enums", func(c *Child) { c.LegalStatus, c.Placement = "x", "" }, map[string]string{"legalStatus": "legal status", "placement": "lives now"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ok
			tt.edit(&c)
			check(t, c.Validate(today), tt.want)
		})
	}
	c := ok
	_ = c.Validate(today)
	if c.BirthYear != 2020 {
		t.Errorf("birth year %d, want it taken from the date of birth", c.BirthYear)
	}
}

func TestProceedingsValidate(t *testing.T) {
	kids := []Child{{ID: 1, Name: "A", BornOn: d(2020, 5, 1)}, {ID: 2, Name: "B", BirthYear: 2022}}
	ok := Proceedings{IssuedOn: d(2020, 5, 3), Court: "Family Court at Leeds", ChildIDs: []int64{1}, FinalHearingOn: d(2021, 1, 10), Outcome: "placement-order"}
	tests := []struct {
		name string
		edit func(*Proceedings)
		want map[string]string
	}{
		{"valid", func(*Proceedings) {}, nil},
		{"ongoing", func(p *Proceedings) { p.FinalHearingOn, p.Outcome = d(2027, 1, 1), "" }, nil},
		{"final hearing before issue", func(p *Proceedings) { p.FinalHearingOn = d(2020, 5, 2) }, map[string]string{"finalHearing": "on or after the date the proceedings were issued"}},
		{"outcome without hearing", func(p *Proceedings) { p.FinalHearingOn = haven.Date{} }, map[string]string{"finalHearing": "Enter the date of the final hearing"}},
		{"withdrawn without hearing", func(p *Proceedings) { p.FinalHearingOn, p.Outcome = haven.Date{}, "withdrawn" }, nil},
		{"outcome before a future hearing", func(p *Proceedings) { p.FinalHearingOn = d(2027, 1, 1) }, map[string]string{"outcome": "has not happened yet"}},
		{"issued before the child was born", func(p *Proceedings) { p.IssuedOn = d(2020, 4, 1) }, map[string]string{"issued": "A's date of birth"}},
		{"no issue date", func(p *Proceedings) { p.IssuedOn = haven.Date{} }, map[string]string{"issued": "Enter the date"}},
		{"no children", func(p *Proceedings) { p.ChildIDs = nil }, map[string]string{"children": "Choose the children"}},
		{"someone else's child", func(p *Proceedings) { p.ChildIDs = []int64{9} }, map[string]string{"children": "Choose the children"}},
		{"no court", func(p *Proceedings) { p.Court = "" }, map[string]string{"court": "Enter the court"}},
		{"bad outcome", func(p *Proceedings) { p.Outcome = "adopted" }, map[string]string{"outcome": "Choose the outcome"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := ok
			tt.edit(&p)
			check(t, p.Validate(today, kids), tt.want)
		})
	}
}

func TestArrangementValidate(t *testing.T) {
	ok := Arrangement{ChildID: 1, Type: Letterbox, Frequency: "Once a year", ArrangedBy: "adoption-agency", Basis: "adoption-contact-plan", StartOn: d(2022, 1, 1)}
	tests := []struct {
		name string
		edit func(*Arrangement)
		want map[string]string
	}{
		{"valid", func(*Arrangement) {}, nil},
		{"reviewed", func(a *Arrangement) { a.LastReviewOn, a.NextReviewOn = d(2025, 1, 1), d(2026, 1, 1) }, nil},
		{"review before start", func(a *Arrangement) { a.LastReviewOn = d(2021, 1, 1) }, map[string]string{"lastReview": "on or after the start"}},
		{"next review before last", func(a *Arrangement) { a.LastReviewOn, a.NextReviewOn = d(2025, 1, 1), d(2024, 1, 1) }, map[string]string{"nextReview": "after the start date and the last review"}},
		{"review in future", func(a *Arrangement) { a.LastReviewOn = d(2027, 1, 1) }, map[string]string{"lastReview": "today or in the past"}},
		{"empty", func(a *Arrangement) { *a = Arrangement{} }, map[string]string{"child": "", "type": "", "frequency": "", "arrangedBy": "", "basis": "", "start": ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := ok
			tt.edit(&a)
			check(t, a.Validate(today), tt.want)
		})
	}
}

func TestChangeNeedsAnAnswerAboutTheReason(t *testing.T) {
	ok := Change{Aspect: AspectFrequency, From: "Monthly", To: "Every two months", EffectiveOn: d(2026, 9, 1), ChangedBy: "local-authority", ReasonGiven: ReasonNo}
	tests := []struct {
		name string
		edit func(*Change)
		want map[string]string
	}{
		{"no reason given", func(*Change) {}, nil},
		{"not known", func(c *Change) { c.ReasonGiven = ReasonNotKnown }, nil},
		{"unanswered", func(c *Change) { c.ReasonGiven = "" }, map[string]string{"reasonGiven": "whether she was given a reason"}},
		{"yes without the reason", func(c *Change) { c.ReasonGiven = ReasonYes }, map[string]string{"reason": "as she was told it"}},
		{"yes with the reason", func(c *Change) { c.ReasonGiven, c.Reason = ReasonYes, "Carers moved" }, nil},
		{"type change to a real type", func(c *Change) { c.Aspect, c.From, c.To = AspectType, "supervised", "letterbox" }, nil},
		{"type change to nonsense", func(c *Change) { c.Aspect, c.To = AspectType, "weekly" }, map[string]string{"to": "new kind of contact"}},
		{"told in the future", func(c *Change) { c.ReasonGiven, c.Reason, c.ToldOn = ReasonYes, "x", d(2027, 1, 1) }, map[string]string{"toldOn": "today or in the past"}},
		{"nothing", func(c *Change) { *c = Change{} }, map[string]string{"aspect": "", "effective": "", "changedBy": "", "reasonGiven": ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ok
			tt.edit(&c)
			check(t, c.Validate(today, Dated{}), tt.want)
		})
	}
}

// A change cannot contradict itself: no reason recorded beside "No" or "Not
// known", and no date before the child was born, before the arrangement
// started, or too far ahead.
func TestChangeContradictions(t *testing.T) {
	on := Dated{Arrangement: Arrangement{ID: 1, StartOn: d(2023, 3, 1)}, Child: Child{Name: "Jay", BornOn: d(2022, 5, 1)}}
	yes := Change{Aspect: AspectFrequency, To: "Every two months", EffectiveOn: d(2026, 9, 1), ChangedBy: "local-authority",
		ReasonGiven: ReasonYes, Reason: "The carers moved", ToldOn: d(2026, 8, 20), ToldBy: "Her social worker", ToldHow: "phone call"}
	tests := []struct {
		name string
		on   Dated
		edit func(*Change)
		want map[string]string
	}{
		{"yes, told before it took effect", on, func(*Change) {}, nil},
		{"no, with the reason as told", on, func(c *Change) { c.ReasonGiven, c.ToldOn, c.ToldBy, c.ToldHow = ReasonNo, haven.Date{}, "", "" },
			map[string]string{"reason": "Leave “The reason, as she was told it” blank when the answer to “Was she given a reason?” is “No”"}},
		{"not known, with every reason field", on, func(c *Change) { c.ReasonGiven = ReasonNotKnown },
			map[string]string{"reason": "is “Not known”", "toldOn": "Leave “Date she was told” blank", "toldBy": "Leave “Who told her” blank", "toldHow": "Leave “How she was told” blank"}},
		{"no, with her view only", on, func(c *Change) {
			c.ReasonGiven, c.Reason, c.ToldOn, c.ToldBy, c.ToldHow, c.HerView = ReasonNo, "", haven.Date{}, "", "", "Nobody asked me"
		}, nil},
		{"takes effect in 2031", on, func(c *Change) { c.EffectiveOn, c.ToldOn = d(2031, 1, 1), haven.Date{} },
			map[string]string{"effective": "Date the change took effect must be no more than 12 months from today, by 23 November 2027"}},
		{"takes effect in 2031, told in 1999", on, func(c *Change) { c.EffectiveOn, c.ToldOn = d(2031, 1, 1), d(1999, 1, 1) },
			map[string]string{"effective": "no more than 12 months from today", "toldOn": "on or after Jay's date of birth"}},
		{"takes effect on the last day allowed", on, func(c *Change) { c.EffectiveOn, c.ToldOn = d(2027, 11, 23), today }, nil},
		{"told in 1999", on, func(c *Change) { c.ToldOn = d(1999, 1, 1) },
			map[string]string{"toldOn": "Date she was told must be on or after Jay's date of birth, 1 May 2022"}},
		{"told before the arrangement started, of a change soon after", on, func(c *Change) { c.EffectiveOn, c.ToldOn = d(2023, 3, 20), d(2023, 2, 20) }, nil},
		{"told before the change could have been decided", on, func(c *Change) { c.ToldOn = d(2025, 8, 31) },
			map[string]string{"toldOn": "Date she was told must be no more than 12 months before the date the change took effect, 1 September 2026"}},
		{"told in the future", on, func(c *Change) { c.ToldOn = d(2026, 11, 24) }, map[string]string{"toldOn": "Date she was told must be today or in the past"}},
		{"took effect before the child was born", on, func(c *Change) { c.EffectiveOn, c.ToldOn = d(2022, 4, 30), haven.Date{} },
			map[string]string{"effective": "Date the change took effect must be on or after Jay's date of birth, 1 May 2022"}},
		{"took effect before the arrangement started", on, func(c *Change) { c.EffectiveOn, c.ToldOn = d(2023, 2, 28), haven.Date{} },
			map[string]string{"effective": "Date the change took effect must be on or after the date the arrangement started, 1 March 2023"}},
		{"only the year of birth known", Dated{Child: Child{Name: "Ash", BirthYear: 2024}}, func(c *Change) { c.EffectiveOn, c.ToldOn = d(2023, 12, 31), haven.Date{} },
			map[string]string{"effective": "must be in or after Ash's year of birth, 2024"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := yes
			tt.edit(&c)
			check(t, c.Validate(today, tt.on), tt.want)
		})
	}
}

func TestExplanationValidate(t *testing.T) {
	on := Dated{Arrangement: Arrangement{StartOn: d(2023, 3, 1)}, Child: Child{Name: "Jay", BornOn: d(2022, 5, 1)}, EffectiveOn: d(2024, 6, 1)}
	ok := Explanation{Reason: "Carers moved", ToldOn: d(2026, 10, 1), ToldBy: "Her social worker"}
	tests := []struct {
		name string
		edit func(*Explanation)
		want map[string]string
	}{
		{"valid", func(*Explanation) {}, nil},
		{"nothing", func(e *Explanation) { *e = Explanation{} }, map[string]string{"reason": "", "toldOn": "", "toldBy": ""}},
		{"told in 1999", func(e *Explanation) { e.ToldOn = d(1999, 1, 1) }, map[string]string{"toldOn": "on or after Jay's date of birth"}},
		{"told before the change could have been decided", func(e *Explanation) { e.ToldOn = d(2023, 5, 31) }, map[string]string{"toldOn": "no more than 12 months before the date the change took effect, 1 June 2024"}},
		{"told in the future", func(e *Explanation) { e.ToldOn = d(2027, 1, 1) }, map[string]string{"toldOn": "today or in the past"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := ok
			tt.edit(&e)
			check(t, e.Validate(today, on), tt.want)
		})
	}
}

func TestWithdrawalNeedsAReason(t *testing.T) {
	check(t, (&Withdrawal{Reason: "  "}).Validate(), map[string]string{"reason": "Enter why you are withdrawing this change"})
	check(t, (&Withdrawal{Reason: strings.Repeat("x", 2001)}).Validate(), map[string]string{"reason": "2000 characters or fewer"})
	w := Withdrawal{Reason: " Recorded on the wrong child "}
	check(t, w.Validate(), nil)
	if w.Reason != "Recorded on the wrong child" {
		t.Errorf("reason %q, want it trimmed", w.Reason)
	}
}

func TestSessionAndLetterboxValidate(t *testing.T) {
	sessions := []struct {
		name string
		s    ContactSession
		want map[string]string
	}{
		{"planned", ContactSession{PlannedOn: d(2026, 12, 1)}, nil},
		{"took place", ContactSession{PlannedOn: d(2026, 11, 1), Outcome: TookPlace, HerWords: "Lovely"}, nil},
		{"outcome before the date", ContactSession{PlannedOn: d(2026, 12, 1), Outcome: TookPlace}, map[string]string{"outcome": "once the planned date has passed"}},
		{"cancelled by nobody", ContactSession{PlannedOn: d(2026, 11, 1), Outcome: Cancelled}, map[string]string{"cancelledBy": "who cancelled"}},
		{"cancelled by carers", ContactSession{PlannedOn: d(2026, 11, 1), Outcome: Cancelled, CancelledBy: "carers"}, nil},
		{"no date", ContactSession{}, map[string]string{"planned": "Enter the date"}},
	}
	for _, tt := range sessions {
		t.Run(tt.name, func(t *testing.T) { check(t, tt.s.Validate(today), tt.want) })
	}
	letters := []struct {
		name string
		x    LetterboxExchange
		want map[string]string
	}{
		{"due", LetterboxExchange{DueOn: d(2027, 3, 1), Direction: "from-her"}, nil},
		{"received before sent", LetterboxExchange{DueOn: d(2026, 3, 1), Direction: "to-her", SentOn: d(2026, 3, 5), ReceivedOn: d(2026, 3, 1)}, map[string]string{"received": "on or after the date sent"}},
		{"withheld without reason", LetterboxExchange{DueOn: d(2026, 3, 1), Direction: "from-her", Status: "withheld"}, map[string]string{"statusReason": "why the letter was withheld"}},
		{"returned with reason", LetterboxExchange{DueOn: d(2026, 3, 1), Direction: "from-her", Status: "returned", StatusReason: "Named the town"}, nil},
		{"no direction", LetterboxExchange{DueOn: d(2026, 3, 1)}, map[string]string{"direction": "which way"}},
		{"sent in the future", LetterboxExchange{DueOn: d(2026, 3, 1), Direction: "from-her", SentOn: d(2027, 1, 1)}, map[string]string{"sent": "today or in the past"}},
	}
	for _, tt := range letters {
		t.Run(tt.name, func(t *testing.T) { check(t, tt.x.Validate(today), tt.want) })
	}
}

func TestAgeAtIssue(t *testing.T) {
	born := d(2024, 3, 10)
	tests := []struct {
		name  string
		child Child
		on    haven.Date
		want  AgeBand
	}{
		{"day of birth", Child{BornOn: born}, born, Newborn},
		{"six days", Child{BornOn: born}, d(2024, 3, 16), Newborn},
		{"seven days", Child{BornOn: born}, d(2024, 3, 17), Infant},
		{"day before first birthday", Child{BornOn: born}, d(2025, 3, 9), Infant},
		{"first birthday", Child{BornOn: born}, d(2025, 3, 10), Older},
		{"year only, same year", Child{BirthYear: 2024}, d(2024, 6, 1), AgeUnknown},
		{"year only, two years on", Child{BirthYear: 2022}, d(2024, 6, 1), Older},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := AgeAtIssue(tt.child, tt.on); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestIssuedBeforePreviousFinal(t *testing.T) {
	ps := []Proceedings{
		{ID: 3, IssuedOn: d(2022, 6, 1), FinalHearingOn: d(2023, 1, 1), Outcome: "care-order"},      // before 2's final hearing
		{ID: 1, IssuedOn: d(2019, 1, 1), FinalHearingOn: d(2019, 9, 1), Outcome: "care-order"},      // index
		{ID: 2, IssuedOn: d(2021, 1, 1), FinalHearingOn: d(2022, 9, 1), Outcome: "placement-order"}, // after 1's
		{ID: 4, IssuedOn: d(2024, 1, 1)}, // after 3's
		{ID: 5, IssuedOn: d(2024, 5, 1)}, // while 4 is still open
	}
	got := IssuedBeforePreviousFinal(ps)
	want := map[int64]bool{2: false, 3: true, 4: false, 5: true}
	for id, w := range want {
		if got[id] != w {
			t.Errorf("proceedings %d: %v, want %v", id, got[id], w)
		}
	}
	if _, ok := got[1]; ok {
		t.Error("the first set has no previous set")
	}
}

func TestArrangementAtAndDirectContact(t *testing.T) {
	a := Arrangement{ID: 1, Type: Supervised, Frequency: "Monthly", StartOn: d(2024, 1, 1)}
	changes := []Change{
		{ID: 2, ArrangementID: 1, Aspect: AspectType, From: "supervised", To: "letterbox", EffectiveOn: d(2025, 6, 1)},
		{ID: 1, ArrangementID: 1, Aspect: AspectFrequency, From: "Monthly", To: "Every two months", EffectiveOn: d(2025, 1, 1)},
		{ID: 3, ArrangementID: 9, Aspect: "suspended", EffectiveOn: d(2024, 2, 1)}, // another arrangement's
	}
	tests := []struct {
		on     haven.Date
		typ    Type
		freq   string
		direct bool
	}{
		{d(2023, 12, 31), Supervised, "Monthly", false}, // not started
		{d(2024, 6, 1), Supervised, "Monthly", true},
		{d(2025, 1, 1), Supervised, "Every two months", true},
		{d(2025, 6, 1), Letterbox, "Every two months", false},
	}
	for _, tt := range tests {
		got := a.At(tt.on, changes)
		if got.Type != tt.typ || got.Frequency != tt.freq {
			t.Errorf("on %s: %s %q, want %s %q", tt.on, got.Type, got.Frequency, tt.typ, tt.freq)
		}
		if dir := DirectOn([]Arrangement{a}, changes, tt.on); dir != tt.direct {
			t.Errorf("on %s: direct %v, want %v", tt.on, dir, tt.direct)
		}
	}
	if a.Type != Supervised {
		t.Error("At changed the arrangement it was called on")
	}
	suspended := a.At(d(2026, 1, 1), []Change{{ArrangementID: 1, Aspect: "suspended", EffectiveOn: d(2025, 12, 1)}})
	if suspended.Type != NoContact {
		t.Errorf("suspended arrangement is %s", suspended.Type)
	}
}

func TestLetterboxDatesAndReminders(t *testing.T) {
	a := Arrangement{ID: 4, Type: Letterbox, StartOn: d(2023, 3, 1)}
	if got := NextLetterDue(a, nil); got != d(2024, 3, 1) {
		t.Errorf("first letter due %s, want a year after the start", got)
	}
	xs := []LetterboxExchange{{ArrangementID: 4, DueOn: d(2025, 3, 1)}, {ArrangementID: 4, DueOn: d(2024, 3, 1)}, {ArrangementID: 5, DueOn: d(2030, 1, 1)}}
	if got := NextLetterDue(a, xs); got != d(2026, 3, 1) {
		t.Errorf("next letter due %s, want a year after the last", got)
	}
	tests := []struct {
		name string
		x    LetterboxExchange
		want bool
	}{
		{"far off", LetterboxExchange{DueOn: d(2027, 1, 1), Direction: "from-her"}, false},
		{"within 28 days", LetterboxExchange{DueOn: d(2026, 12, 21), Direction: "from-her"}, true},
		{"overdue", LetterboxExchange{DueOn: d(2026, 10, 1), Direction: "to-her"}, true},
		{"sent", LetterboxExchange{DueOn: d(2026, 10, 1), Direction: "from-her", SentOn: d(2026, 9, 30)}, false},
		{"received", LetterboxExchange{DueOn: d(2026, 10, 1), Direction: "to-her", ReceivedOn: d(2026, 10, 2)}, false},
		{"withheld", LetterboxExchange{DueOn: d(2026, 10, 1), Direction: "to-her", Status: "withheld"}, false},
	}
	for _, tt := range tests {
		if _, ok := LetterboxReminder(tt.x, today); ok != tt.want {
			t.Errorf("%s: reminder %v, want %v", tt.name, ok, tt.want)
		}
	}
	if !a.NeverReviewed() {
		t.Error("an arrangement with no review date should say it was never reviewed")
	}
	a.LastReviewOn = d(2025, 11, 23)
	if !a.ReviewedWithinYear(today) || a.ReviewedWithinYear(d(2026, 11, 24)) {
		t.Error("reviewed within the year is wrong at its edges")
	}
}

func TestExplainReminderClearsWhenSheIsTold(t *testing.T) {
	c := Change{ChildName: "A", Aspect: AspectFrequency, ReasonGiven: ReasonNotKnown, RecordedAt: time.Date(2026, 11, 1, 15, 0, 0, 0, time.UTC)}
	r, ok := ExplainReminder(c)
	if !ok || r.Due != d(2026, 11, 15) || r.Kind != "explain-contact-change" || !strings.Contains(r.Text, "find out why and tell her") {
		t.Errorf("reminder %+v %v", r, ok)
	}
	c.Explanations = []Explanation{{Reason: "Carers moved"}}
	if _, ok := ExplainReminder(c); ok {
		t.Error("the reminder stays after she was told")
	}
	if _, ok := ExplainReminder(Change{ReasonGiven: ReasonYes}); ok {
		t.Error("a change she was told about raised a reminder")
	}
}

// A hand-counted fixture: six women, period 1 January to 30 June 2026.
func TestBuildReport(t *testing.T) {
	from, to := d(2026, 1, 1), d(2026, 6, 30)
	arr := func(id int64, typ Type, start haven.Date, review haven.Date) Arrangement {
		return Arrangement{ID: id, Type: typ, Frequency: "Monthly", StartOn: start, LastReviewOn: review}
	}
	ch := func(arrID int64, on haven.Date, reason ReasonGiven) Change {
		return Change{ArrangementID: arrID, Aspect: "other", EffectiveOn: on, ReasonGiven: reason}
	}
	women := []Woman{
		// 1: changed twice in the period, once unexplained; supervised at programme start.
		{Arrangements: []Arrangement{arr(1, Supervised, d(2024, 1, 1), haven.Date{})},
			Changes: []Change{ch(1, d(2026, 2, 1), ReasonNo), ch(1, d(2026, 3, 1), ReasonYes)}, Starts: []haven.Date{d(2026, 1, 15)}},
		// 2: letterbox, reviewed within the year; changed before the period only.
		{Arrangements: []Arrangement{arr(2, Letterbox, d(2020, 1, 1), d(2025, 9, 1))}, Changes: []Change{ch(2, d(2025, 12, 31), ReasonNotKnown)}},
		// 3: letterbox never reviewed; changed in the period, not known; exits in the period with no direct contact.
		{Arrangements: []Arrangement{arr(3, Letterbox, d(2021, 1, 1), haven.Date{})}, Changes: []Change{ch(3, d(2026, 6, 30), ReasonNotKnown)},
			Exits: []haven.Date{d(2026, 5, 1)}},
		// 4: face-to-face turned to letterbox in the period, explained; started in the period after the change.
		{Arrangements: []Arrangement{arr(4, FaceToFace, d(2022, 1, 1), d(2024, 1, 1))},
			Changes: []Change{{ArrangementID: 4, Aspect: AspectType, From: "face-to-face", To: "letterbox", EffectiveOn: d(2026, 4, 1), ReasonGiven: ReasonYes}},
			Starts:  []haven.Date{d(2026, 5, 1)}},
		// 5: arrangement starts after the period: not counted at all.
		{Arrangements: []Arrangement{arr(5, Supported, d(2026, 7, 1), haven.Date{})}, Changes: []Change{ch(5, d(2026, 7, 2), ReasonNo)}},
		// 6: no arrangements; started in the period: no direct contact.
		{Starts: []haven.Date{d(2026, 2, 1)}},
	}
	got := BuildReport(women, from, to)
	want := Report{From: from, To: to, Women: 4,
		WomenChanged:      Measure{3, 4}, // 1, 3, 4
		ChangesNoReason:   Measure{2, 4}, // 1's first, 3's
		WomenUnexplained:  Measure{2, 3}, // 1, 3
		LetterboxReviewed: Measure{1, 3}, // 2 reviewed; 3 never; 4 letterbox by 30 June, reviewed 2024
		DirectAtStart:     Measure{1, 3}, // 1 yes; 4 letterbox by then; 6 none
		DirectAtExit:      Measure{0, 1}, // 3
	}
	if got != want {
		t.Errorf("report\n got %+v\nwant %+v", got, want)
	}
}

func TestLetter(t *testing.T) {
	arrs := []Arrangement{{ID: 1, ChildName: "Jay", Type: Supervised, Frequency: "Monthly", ArrangedBy: "local-authority", Basis: "care-plan", StartOn: d(2024, 1, 1)}}
	changes := []Change{
		{ID: 1, ArrangementID: 1, ChildName: "Jay", Aspect: AspectFrequency, From: "Monthly", To: "Every two months", EffectiveOn: d(2026, 3, 1),
			ChangedBy: "local-authority", ReasonGiven: ReasonNo},
		{ID: 2, ArrangementID: 1, ChildName: "Jay", Aspect: "venue", To: "Family centre", EffectiveOn: d(2026, 4, 1),
			ChangedBy: "court", ReasonGiven: ReasonNo, Explanations: []Explanation{{Reason: "The old centre closed", ToldBy: "Her social worker", ToldHow: "phone call", ToldOn: d(2026, 5, 1)}}},
		{ID: 3, ArrangementID: 1, ChildName: "Jay", Aspect: "other", EffectiveOn: d(2025, 1, 1), ChangedBy: "court", ReasonGiven: ReasonYes, Reason: "OUTSIDE-PERIOD"},
	}
	l := BuildLetter("Robin", arrs, changes, d(2026, 1, 1), d(2026, 6, 30), today)
	var all strings.Builder
	for _, s := range l.Sections {
		all.WriteString(s.Heading + "\n" + strings.Join(s.Paras, "\n") + "\n")
	}
	text := all.String()
	for _, want := range []string{
		"Dear Robin,", "With Jay: supervised contact, every two months. It is arranged by the local authority, under a care plan. It has never been reviewed.",
		"From 1 March 2026, the local authority changed your contact with Jay: how often, from “Monthly” to “Every two months”. You were not given a reason. We are finding out why",
		"You were told later: “The old centre closed” (Her social worker, phone call, 1 May 2026).",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("letter lacks %q\n%s", want, text)
		}
	}
	if strings.Contains(text, "OUTSIDE-PERIOD") {
		t.Error("a change outside the period is in the letter")
	}
}

// AsItStands is the one reading of an arrangement after its changes: a
// withdrawn change is left out, a change still to come is pending, and who
// arranges it follows a change of arranger.
func TestAsItStands(t *testing.T) {
	a := Arrangement{ID: 1, Type: Supervised, Frequency: "Monthly", ArrangedBy: "local-authority", StartOn: d(2024, 1, 1)}
	withdrawn := Withdrawal{Reason: "Recorded on the wrong child", ByName: "Pat", At: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)}
	tests := []struct {
		name    string
		changes []Change
		typ     Type
		freq    string
		by      Arranger
		pending int
	}{
		{"no changes", nil, Supervised, "Monthly", "local-authority", 0},
		{"a change of frequency", []Change{{ID: 1, ArrangementID: 1, Aspect: AspectFrequency, To: "Every two months", EffectiveOn: d(2026, 10, 1)}},
			Supervised, "Every two months", "local-authority", 0},
		{"a withdrawn change of frequency", []Change{{ID: 1, ArrangementID: 1, Aspect: AspectFrequency, To: "Every two months", EffectiveOn: d(2026, 10, 1), Withdrawal: withdrawn}},
			Supervised, "Monthly", "local-authority", 0},
		{"a change still to come", []Change{{ID: 1, ArrangementID: 1, Aspect: AspectFrequency, To: "Every two months", EffectiveOn: d(2027, 1, 1)}},
			Supervised, "Monthly", "local-authority", 1},
		{"a withdrawn change still to come", []Change{{ID: 1, ArrangementID: 1, Aspect: AspectFrequency, To: "Weekly", EffectiveOn: d(2027, 1, 1), Withdrawal: withdrawn}},
			Supervised, "Monthly", "local-authority", 0},
		{"a change of arranger, by its name", []Change{{ID: 1, ArrangementID: 1, Aspect: AspectArrangedBy, To: "adoption agency", EffectiveOn: d(2026, 1, 1)}},
			Supervised, "Monthly", "adoption-agency", 0},
		{"a change of arranger that is not one", []Change{{ID: 1, ArrangementID: 1, Aspect: AspectArrangedBy, To: "Her aunt", EffectiveOn: d(2026, 1, 1)}},
			Supervised, "Monthly", "local-authority", 0},
		{"ended", []Change{{ID: 1, ArrangementID: 1, Aspect: AspectEnded, EffectiveOn: d(2026, 1, 1)}}, NoContact, "Monthly", "local-authority", 0},
		{"withdrawn type change under a later frequency change", []Change{
			{ID: 1, ArrangementID: 1, Aspect: AspectType, To: "letterbox", EffectiveOn: d(2026, 1, 1), Withdrawal: withdrawn},
			{ID: 2, ArrangementID: 1, Aspect: AspectFrequency, To: "Fortnightly", EffectiveOn: d(2026, 2, 1)}},
			Supervised, "Fortnightly", "local-authority", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := AsItStands(a, tt.changes, today)
			if st.Type != tt.typ || st.Frequency != tt.freq || st.ArrangedBy != tt.by || len(st.Pending) != tt.pending {
				t.Errorf("got %s %q %s, %d pending; want %s %q %s, %d pending", st.Type, st.Frequency, st.ArrangedBy, len(st.Pending), tt.typ, tt.freq, tt.by, tt.pending)
			}
			if got := a.At(today, tt.changes); got != st.Arrangement {
				t.Errorf("At and AsItStands disagree: %+v, %+v", got, st.Arrangement)
			}
		})
	}
}

func TestReviewOverdue(t *testing.T) {
	for _, tt := range []struct {
		next haven.Date
		want bool
	}{{haven.Date{}, false}, {d(2020, 1, 1), true}, {d(2026, 11, 22), true}, {today, false}, {d(2027, 1, 1), false}} {
		if got := (Arrangement{NextReviewOn: tt.next}).ReviewOverdue(today); got != tt.want {
			t.Errorf("next review %s: overdue %v, want %v", tt.next, got, tt.want)
		}
	}
}

// A withdrawn change counts nowhere in the report: not as a change, not as
// unexplained, and not in the arrangement as it stood.
func TestBuildReportLeavesOutWithdrawnChanges(t *testing.T) {
	from, to := d(2026, 1, 1), d(2026, 6, 30)
	gone := Withdrawal{Reason: "Mistake", At: time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)}
	w := Woman{Arrangements: []Arrangement{{ID: 1, Type: Supervised, StartOn: d(2024, 1, 1)}},
		Changes: []Change{
			{ID: 1, ArrangementID: 1, Aspect: AspectType, To: "letterbox", EffectiveOn: d(2026, 2, 1), ReasonGiven: ReasonNo, Withdrawal: gone},
			{ID: 2, ArrangementID: 1, Aspect: "other", EffectiveOn: d(2026, 3, 1), ReasonGiven: ReasonYes},
		},
		Starts: []haven.Date{d(2026, 4, 1)}}
	got := BuildReport([]Woman{w}, from, to)
	if got.ChangesNoReason != (Measure{0, 1}) || got.WomenUnexplained != (Measure{0, 1}) || got.LetterboxReviewed.Den != 0 || got.DirectAtStart != (Measure{1, 1}) {
		t.Errorf("a withdrawn change was counted: %+v", got)
	}
}

func TestLetterLeavesOutWithdrawnAndShowsWhatIsToCome(t *testing.T) {
	arrs := []Arrangement{{ID: 1, ChildName: "Jay", Type: Supervised, Frequency: "Monthly", ArrangedBy: "local-authority", Basis: "care-plan", StartOn: d(2024, 1, 1)}}
	changes := []Change{
		{ID: 1, ArrangementID: 1, ChildName: "Jay", Aspect: AspectFrequency, From: "Monthly", To: "WITHDRAWN-WEEKLY", EffectiveOn: d(2026, 3, 1),
			ChangedBy: "local-authority", ReasonGiven: ReasonNo, Withdrawal: Withdrawal{Reason: "Wrong child", At: time.Now()}},
		{ID: 2, ArrangementID: 1, ChildName: "Jay", Aspect: AspectFrequency, From: "Monthly", To: "Every two months", EffectiveOn: d(2027, 1, 1),
			ChangedBy: "local-authority", ReasonGiven: ReasonYes, Reason: "The carers moved"},
	}
	l := BuildLetter("Robin", arrs, changes, d(2026, 1, 1), d(2026, 11, 23), today)
	var all strings.Builder
	for _, s := range l.Sections {
		all.WriteString(s.Heading + "\n" + strings.Join(s.Paras, "\n") + "\n")
	}
	text := all.String()
	if strings.Contains(text, "WITHDRAWN-WEEKLY") {
		t.Errorf("the letter shows a withdrawn change\n%s", text)
	}
	if !strings.Contains(text, "With Jay: supervised contact, monthly.") || !strings.Contains(text, "It is due to change on 1 January 2027: how often to “Every two months”.") {
		t.Errorf("the letter does not show contact as it stands with the change to come\n%s", text)
	}
}

// S22: a child's name refuses the bidirectional controls that let it display
// as another, and any text the shared control check (issue 16 items 3 and 4).
func TestS22ChildNameRefusesBidiAndControls(t *testing.T) {
	for in, want := range map[string]string{
		"Jay\u202E":   "First name or initials must not contain hidden characters",
		"\u2068Jay":   "First name or initials must not contain hidden characters",
		"Jay\x00":     "First name or initials must not contain control characters",
		"Jay\u009b":   "First name or initials must not contain control characters",
		"J\xffay":     "First name or initials contains characters Haven cannot read",
		"Łucja-أمل 2": "",
	} {
		c := Child{Name: in, BornOn: d(2020, 5, 1), LegalStatus: "care-order", Placement: "foster-care"}
		err := c.Validate(d(2026, 11, 1))
		he, _ := errors.AsType[*haven.Error](err)
		if got := ""; he != nil {
			got = he.Fields["name"]
			if want == "" || !strings.HasPrefix(got, want) {
				t.Errorf("%q: %v, want %q", in, err, want)
			}
		} else if want != "" {
			t.Errorf("%q: accepted, want %q", in, want)
		}
	}
}
