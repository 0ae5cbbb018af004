package programme

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"haven/internal/haven"
)

// SessionType is how a practitioner and a woman met, or tried to.
type SessionType string

// The kinds of session (DOMAIN.md §1.1 and the activity log in §A).
const (
	SessionHomeVisit   SessionType = "home-visit"
	SessionAccompanied SessionType = "accompanied"
	SessionPhone       SessionType = "phone-or-text"
	SessionVideo       SessionType = "video"
	SessionGroup       SessionType = "group"
	SessionOutreach    SessionType = "outreach-attempt"
)

// SessionTypes lists the kinds in the order forms show them.
var SessionTypes = []SessionType{SessionHomeVisit, SessionAccompanied, SessionPhone, SessionVideo, SessionGroup, SessionOutreach}

// Title is the kind's name for people.
func (t SessionType) Title() string {
	switch t {
	case SessionHomeVisit:
		return "Home visit"
	case SessionAccompanied:
		return "Accompanied appointment"
	case SessionPhone:
		return "Phone or text"
	case SessionVideo:
		return "Video call"
	case SessionGroup:
		return "Group session"
	case SessionOutreach:
		return "Outreach attempt"
	}
	return string(t)
}

// Initiator is who asked for the session: her engagement is part of the story.
type Initiator string

const (
	InitiatedByHer          Initiator = "her"
	InitiatedByPractitioner Initiator = "practitioner"
	InitiatedByOther        Initiator = "other"
)

// Initiators lists who may start a session, in form order.
var Initiators = []Initiator{InitiatedByHer, InitiatedByPractitioner, InitiatedByOther}

// Title is the initiator for people.
func (i Initiator) Title() string {
	switch i {
	case InitiatedByHer:
		return "She did"
	case InitiatedByPractitioner:
		return "The practitioner"
	case InitiatedByOther:
		return "Someone else"
	}
	return string(i)
}

// StartedBy says who started it, as a sentence fragment for timelines.
func (i Initiator) StartedBy() string {
	switch i {
	case InitiatedByHer:
		return "Started by her"
	case InitiatedByPractitioner:
		return "Started by the practitioner"
	case InitiatedByOther:
		return "Started by someone else"
	}
	return ""
}

// FundCategory is what flexible-fund money was spent on.
type FundCategory string

const (
	FundTravel     FundCategory = "travel"
	FundFood       FundCategory = "food"
	FundClothing   FundCategory = "clothing"
	FundHousehold  FundCategory = "household"
	FundPhone      FundCategory = "phone-or-data"
	FundActivities FundCategory = "activities"
	FundOther      FundCategory = "other"
)

// FundCategories lists the categories in form order.
var FundCategories = []FundCategory{FundTravel, FundFood, FundClothing, FundHousehold, FundPhone, FundActivities, FundOther}

// Title is the category for people.
func (c FundCategory) Title() string {
	switch c {
	case FundPhone:
		return "Phone or data"
	case "":
		return ""
	}
	return strings.ToUpper(string(c[:1])) + string(c[1:])
}

// Limits on a session's fields.
const (
	MaxSessionMinutes = 600
	MaxNoteLen        = 20000
	MaxHelpLen        = 5000
	MaxAgenciesLen    = 2000
	MaxReasonLen      = 1000
	MaxFundPence      = 500000 // £5,000
)

// Session is one contact with a woman and its case note. The note as first
// saved is kept for ever; corrections are added after it.
type Session struct {
	ID            int64
	PersonID      int64
	On            haven.Date
	Type          SessionType
	Minutes       int
	InitiatedBy   Initiator
	Note          string // the note as first saved
	PracticalHelp string
	FundPence     int64        // flexible-fund spend, in pence
	FundCategory  FundCategory // "" when nothing was spent
	Agencies      string       // partner agencies involved, free text until the directory exists
	Version       int64        // 1, plus one for each correction
	CreatedBy     int64
	CreatedByName string
	CreatedAt     time.Time
	Corrections   []Correction // oldest first
}

// Correction replaces a session's note text, with a reason, without losing what it replaced.
type Correction struct {
	ID     int64
	Note   string
	Reason string
	By     int64
	ByName string
	At     time.Time
}

// HasSpend reports whether flexible-fund money was recorded.
func (s Session) HasSpend() bool { return s.FundCategory != "" }

// Spend is the amount spent, as people write it: £12.50.
func (s Session) Spend() string { return FormatPence(s.FundPence) }

// CurrentNote is the note as it stands after every correction.
func (s Session) CurrentNote() string {
	if n := len(s.Corrections); n > 0 {
		return s.Corrections[n-1].Note
	}
	return s.Note
}

// LastCorrection is the latest correction, or nil.
func (s Session) LastCorrection() *Correction {
	if n := len(s.Corrections); n > 0 {
		return &s.Corrections[n-1]
	}
	return nil
}

// Earlier lists what the note said before the current text, newest first:
// each earlier correction, then the original.
func (s Session) Earlier() []Correction {
	var out []Correction
	for i := len(s.Corrections) - 2; i >= 0; i-- {
		out = append(out, s.Corrections[i])
	}
	if len(s.Corrections) > 0 {
		out = append(out, Correction{Note: s.Note, ByName: s.CreatedByName, By: s.CreatedBy, At: s.CreatedAt})
	}
	return out
}

// Validate checks a session as of today, in the UK. Field keys are the form's names.
func (s *Session) Validate(today haven.Date) error {
	f := map[string]string{}
	switch {
	case s.On.IsZero():
		f["on"] = "Enter the date of the session"
	case s.On.Time().Year() < 1900:
		f["on"] = "Date of the session must be a real date"
	case today.Before(s.On):
		f["on"] = "Date of the session must be today or in the past"
	}
	if !slices.Contains(SessionTypes, s.Type) {
		f["type"] = "Select the type of session"
	}
	if s.Minutes < 1 || s.Minutes > MaxSessionMinutes {
		f["minutes"] = "How long the session lasted must be between 1 and 600 minutes"
	}
	if !slices.Contains(Initiators, s.InitiatedBy) {
		f["initiatedBy"] = "Select who started the session"
	}
	textField(f, "note", "Case note", s.Note, true, MaxNoteLen)
	if strings.TrimSpace(s.Note) == "" {
		f["note"] = "Enter the case note"
	}
	textField(f, "practicalHelp", "Practical help given", s.PracticalHelp, false, MaxHelpLen)
	textField(f, "agencies", "Partner agencies involved", s.Agencies, false, MaxAgenciesLen)
	if s.FundPence < 0 || s.FundPence > MaxFundPence {
		f["fundAmount"] = "Flexible-fund spend must be between £0 and £5,000"
	}
	if s.FundCategory != "" && !slices.Contains(FundCategories, s.FundCategory) {
		f["fundCategory"] = "Select what the money was spent on"
	}
	if s.FundPence > 0 && s.FundCategory == "" {
		f["fundCategory"] = "Select what the money was spent on"
	}
	if len(f) > 0 {
		return haven.Invalid(f)
	}
	return nil
}

// ValidateCorrection checks a correction's new text and reason.
func ValidateCorrection(note, reason string) error {
	f := map[string]string{}
	textField(f, "note", "Corrected note", note, true, MaxNoteLen)
	textField(f, "reason", "Reason for the correction", reason, true, MaxReasonLen)
	if strings.TrimSpace(note) == "" {
		f["note"] = "Enter the corrected note"
	}
	if strings.TrimSpace(reason) == "" {
		f["reason"] = "Enter the reason for the correction"
	}
	if len(f) > 0 {
		return haven.Invalid(f)
	}
	return nil
}

// ParseSpend reads an amount of money typed in pounds, like "12.50", "£3"
// or "1,250", into whole pence. It never goes through floating point, so
// 0.10 + 0.20 is exactly 30p. The error is written for the person who typed it.
func ParseSpend(s string) (int64, error) {
	s = strings.TrimSpace(s)
	s = strings.TrimSpace(strings.TrimPrefix(s, "£"))
	if s == "" {
		return 0, haven.Errorf(haven.KindInvalid, "Enter the amount spent")
	}
	pounds, pence, hasPoint := strings.Cut(s, ".")
	pounds, err := ungroupPounds(pounds)
	if err != nil {
		return 0, err
	}
	if hasPoint && (len(pence) < 1 || len(pence) > 2 || !allDigits(pence)) {
		return 0, errAmountFormat
	}
	if pounds = strings.TrimLeft(pounds, "0"); pounds == "" { // 0001 is £1, not over the limit
		pounds = "0"
	}
	if len(pounds) > 7 { // more than £5,000 whatever the digits; also no overflow
		return 0, errAmountMax
	}
	p, err := strconv.ParseInt(pounds, 10, 64)
	if err != nil {
		return 0, errAmountFormat
	}
	var q int64
	if hasPoint {
		q, _ = strconv.ParseInt(pence, 10, 64)
		if len(pence) == 1 {
			q *= 10 // 12.5 is £12.50
		}
	}
	total := p*100 + q
	if total > MaxFundPence {
		return 0, errAmountMax
	}
	return total, nil
}

var (
	errAmountFormat = haven.Errorf(haven.KindInvalid, "Amount must be in pounds and pence, like 12.50")
	errAmountMax    = haven.Errorf(haven.KindInvalid, "Amount must be £5,000 or less")
)

// ungroupPounds accepts pounds written with or without thousands commas (5000 or 5,000).
func ungroupPounds(s string) (string, error) {
	if s == "" {
		return "", errAmountFormat
	}
	if !strings.Contains(s, ",") {
		if !allDigits(s) {
			return "", errAmountFormat
		}
		return s, nil
	}
	groups := strings.Split(s, ",")
	if len(groups[0]) < 1 || len(groups[0]) > 3 || !allDigits(groups[0]) {
		return "", errAmountFormat
	}
	for _, g := range groups[1:] {
		if len(g) != 3 || !allDigits(g) {
			return "", errAmountFormat
		}
	}
	return strings.Join(groups, ""), nil
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// FormatPence writes pence as pounds: 1250 is £12.50, 500000 is £5,000.00.
func FormatPence(p int64) string {
	sign := ""
	if p < 0 {
		sign, p = "-", -p
	}
	pounds := strconv.FormatInt(p/100, 10)
	var b strings.Builder
	for i, r := range pounds {
		if i > 0 && (len(pounds)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return fmt.Sprintf("%s£%s.%02d", sign, b.String(), p%100)
}

// PenceInput writes pence as they would be typed into the form: 1250 is 12.50.
func PenceInput(p int64) string { return fmt.Sprintf("%d.%02d", p/100, p%100) }
