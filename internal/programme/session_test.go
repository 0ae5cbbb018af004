package programme

import (
	"errors"
	"strings"
	"testing"
	"time"

	"haven/internal/haven"
)

func TestParseSpend(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"12.50", 1250, true},
		{"£3", 300, true},
		{" £ 3.05 ", 305, true},
		{"12.5", 1250, true},
		{"0", 0, true},
		{"0.01", 1, true},
		{"0.10", 10, true},
		{"5000", 500000, true},
		{"5,000.00", 500000, true},
		{"1,250.75", 125075, true},
		{"1.234", 0, false},
		{"-1", 0, false},
		{"5000.01", 0, false},
		{"5001", 0, false},
		{"99999999999999999999", 0, false},
		{"", 0, false},
		{"£", 0, false},
		{"12.", 0, false},
		{".50", 0, false},
		{"1,2", 0, false},
		{"12,50", 0, false},
		{"1e3", 0, false},
		{"12.5O", 0, false},
		{"£12.50p", 0, false},
		{"+5", 0, false},
		{"٣", 0, false}, // a digit, but not one people type into a money box
	}
	for _, tt := range tests {
		got, err := ParseSpend(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseSpend(%q) = %d, %v; want %d, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
		if err != nil && haven.KindOf(err) != haven.KindInvalid {
			t.Errorf("ParseSpend(%q) error kind %s, want invalid", tt.in, haven.KindOf(err))
		}
	}
}

func TestFormatPence(t *testing.T) {
	for p, want := range map[int64]string{0: "£0.00", 5: "£0.05", 1250: "£12.50", 500000: "£5,000.00", 123456789: "£1,234,567.89", -250: "-£2.50"} {
		if got := FormatPence(p); got != want {
			t.Errorf("FormatPence(%d) = %q, want %q", p, got, want)
		}
	}
	if got := PenceInput(1205); got != "12.05" {
		t.Errorf("PenceInput(1205) = %q", got)
	}
}

func TestSessionValidate(t *testing.T) {
	today := haven.NewDate(2026, 11, 23)
	good := Session{On: today, Type: SessionHomeVisit, Minutes: 60, InitiatedBy: InitiatedByHer, Note: "Talked about housing."}
	tests := []struct {
		name  string
		edit  func(*Session)
		field string // "" means valid
	}{
		{"valid", func(*Session) {}, ""},
		{"with spend", func(s *Session) { s.FundPence, s.FundCategory = 1250, FundTravel }, ""},
		{"no date", func(s *Session) { s.On = haven.Date{} }, "on"},
		{"tomorrow", func(s *Session) { s.On = haven.NewDate(2026, 11, 24) }, "on"},
		{"before 1900", func(s *Session) { s.On = haven.NewDate(1899, 12, 31) }, "on"},
		{"unknown type", func(s *Session) { s.Type = "party" }, "type"},
		{"no minutes", func(s *Session) { s.Minutes = 0 }, "minutes"},
		{"too long", func(s *Session) { s.Minutes = 601 }, "minutes"},
		{"longest", func(s *Session) { s.Minutes = 600 }, ""},
		{"no initiator", func(s *Session) { s.InitiatedBy = "" }, "initiatedBy"},
		{"empty note", func(s *Session) { s.Note = "  " }, "note"},
		{"note at the limit", func(s *Session) { s.Note = strings.Repeat("é", MaxNoteLen) }, ""},
		{"note over the limit", func(s *Session) { s.Note = strings.Repeat("a", MaxNoteLen+1) }, "note"},
		{"spend over the limit", func(s *Session) { s.FundPence, s.FundCategory = MaxFundPence+1, FundFood }, "fundAmount"},
		{"negative spend", func(s *Session) { s.FundPence, s.FundCategory = -1, FundFood }, "fundAmount"},
		{"spend without a category", func(s *Session) { s.FundPence = 500 }, "fundCategory"},
		{"unknown category", func(s *Session) { s.FundPence, s.FundCategory = 500, "jewellery" }, "fundCategory"},
	}
	for _, tt := range tests {
		s := good
		tt.edit(&s)
		err := s.Validate(today)
		if tt.field == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
			continue
		}
		he, ok := errors.AsType[*haven.Error](err)
		if !ok || he.Fields[tt.field] == "" {
			t.Errorf("%s: error %v, want one on %s", tt.name, err, tt.field)
		}
	}
}

func TestCorrections(t *testing.T) {
	at := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	s := Session{Note: "first", CreatedByName: "Kit", CreatedAt: at}
	if s.CurrentNote() != "first" || s.LastCorrection() != nil || len(s.Earlier()) != 0 {
		t.Errorf("uncorrected session: %q %v %v", s.CurrentNote(), s.LastCorrection(), s.Earlier())
	}
	s.Corrections = []Correction{{Note: "second", Reason: "typo"}, {Note: "third", Reason: "wrong date mentioned"}}
	if s.CurrentNote() != "third" || s.LastCorrection().Reason != "wrong date mentioned" {
		t.Errorf("current note %q", s.CurrentNote())
	}
	earlier := s.Earlier()
	if len(earlier) != 2 || earlier[0].Note != "second" || earlier[1].Note != "first" || earlier[1].ByName != "Kit" {
		t.Errorf("earlier versions %+v", earlier)
	}
	if err := ValidateCorrection("new", ""); err == nil {
		t.Error("a correction without a reason was accepted")
	}
	if err := ValidateCorrection("", "typo"); err == nil {
		t.Error("an empty correction was accepted")
	}
	if err := ValidateCorrection("new", "typo"); err != nil {
		t.Error(err)
	}
}

func TestSessionTitles(t *testing.T) {
	for _, st := range SessionTypes {
		if st.Title() == string(st) {
			t.Errorf("session type %s has no title", st)
		}
	}
	for _, c := range FundCategories {
		if c.Title() == "" || c.Title() == string(c) {
			t.Errorf("category %s has no title", c)
		}
	}
	for _, i := range Initiators {
		if i.Title() == string(i) || i.StartedBy() == "" {
			t.Errorf("initiator %s has no title", i)
		}
	}
}
