package reunify

import (
	"errors"
	"testing"
	"time"

	"haven/internal/haven"
)

func fieldsOf(err error) map[string]string {
	if e, ok := errors.AsType[*haven.Error](err); ok {
		return e.Fields
	}
	return nil
}

func TestCheckNewEpisode(t *testing.T) {
	d := func(m time.Month, day int) haven.Date { return haven.NewDate(2025, m, day) }
	first := Episode{ID: 1, StartsOn: d(1, 10), RNE: "S", LegalStatus: "C1", Placement: "U4", EndsOn: d(3, 1), REC: "X1"}
	second := Episode{ID: 2, StartsOn: d(3, 1), RNE: "L", LegalStatus: "C2", Placement: "U4", EndsOn: d(6, 2), REC: "E4A"}
	open := Episode{ID: 3, StartsOn: d(3, 1), RNE: "L", LegalStatus: "C2", Placement: "U4"}
	tests := []struct {
		name      string
		recorded  []Episode
		e         Episode
		wantField string // "" for accepted
	}{
		{"first with S", nil, Episode{StartsOn: d(1, 10), RNE: "S"}, ""},
		{"first without S", nil, Episode{StartsOn: d(1, 10), RNE: "L"}, "rne"},
		{"after X1 the same day", []Episode{first}, Episode{StartsOn: d(3, 1), RNE: "L"}, ""},
		{"after X1 the same day with S", []Episode{first}, Episode{StartsOn: d(3, 1), RNE: "S"}, "rne"},
		{"before the previous ended", []Episode{first}, Episode{StartsOn: d(2, 1), RNE: "L"}, "startsOn"},
		{"before the first", []Episode{first}, Episode{StartsOn: d(1, 1), EndsOn: d(1, 5), REC: "E8", RNE: "S"}, "startsOn"},
		{"while one is open", []Episode{first, open}, Episode{StartsOn: d(7, 1), RNE: "L"}, "startsOn"},
		{"re-entry after a return home, with S", []Episode{first, second}, Episode{StartsOn: d(9, 1), RNE: "S"}, ""},
		{"re-entry after a gap without S", []Episode{first, second}, Episode{StartsOn: d(9, 1), RNE: "P"}, "rne"},
		{"the day care ended, not X1, without S", []Episode{first, second}, Episode{StartsOn: d(6, 2), RNE: "T"}, "rne"},
		{"recorded out of order", []Episode{second, first}, Episode{StartsOn: d(9, 1), RNE: "S"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckNewEpisode(tt.recorded, tt.e)
			f := fieldsOf(err)
			if tt.wantField == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if f[tt.wantField] == "" {
				t.Fatalf("got %v, want an error on %s", err, tt.wantField)
			}
		})
	}
}

func TestOverlaps(t *testing.T) {
	d := func(m time.Month, day int) haven.Date { return haven.NewDate(2025, m, day) }
	x := Episode{ID: 1, StartsOn: d(2, 1), EndsOn: d(4, 1), REC: "X1"}
	tests := []struct {
		name string
		e    Episode
		want bool
	}{
		{"ends the day x starts", Episode{StartsOn: d(1, 1), EndsOn: d(2, 1)}, false},
		{"starts the day x ends", Episode{StartsOn: d(4, 1)}, false},
		{"inside", Episode{StartsOn: d(2, 10), EndsOn: d(3, 1)}, true},
		{"open, starting before", Episode{StartsOn: d(1, 1)}, true},
		{"x itself", x, false},
	}
	for _, tt := range tests {
		if got := overlaps([]Episode{x}, tt.e); got != tt.want {
			t.Errorf("%s: overlaps = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestEndEpisode(t *testing.T) {
	today := haven.NewDate(2025, 12, 1)
	open := Episode{StartsOn: haven.NewDate(2025, 3, 1), RNE: "S", LegalStatus: "C2", Placement: "U4"}
	tests := []struct {
		name      string
		e         Episode
		endsOn    haven.Date
		rec       string
		wantField string
	}{
		{"returned home", open, haven.NewDate(2025, 6, 1), "E4A", ""},
		{"no date", open, haven.Date{}, "E4A", "endsOn"},
		{"no reason", open, haven.NewDate(2025, 6, 1), "", "rec"},
		{"unknown reason", open, haven.NewDate(2025, 6, 1), "E99", "rec"},
		{"before it started", open, haven.NewDate(2025, 2, 1), "E4A", "endsOn"},
		{"in the future", open, haven.NewDate(2026, 2, 1), "E4A", "endsOn"},
		{"already ended", Episode{StartsOn: haven.NewDate(2025, 3, 1), RNE: "S", LegalStatus: "C2", Placement: "U4", EndsOn: haven.NewDate(2025, 4, 1), REC: "E8"}, haven.NewDate(2025, 6, 1), "E4A", "endsOn"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := EndEpisode(tt.e, tt.endsOn, tt.rec, today)
			if tt.wantField == "" {
				if err != nil || got.REC != tt.rec || got.EndsOn != tt.endsOn {
					t.Fatalf("EndEpisode = %+v, %v", got, err)
				}
				return
			}
			if fieldsOf(err)[tt.wantField] == "" {
				t.Fatalf("got %v, want an error on %s", err, tt.wantField)
			}
		})
	}
}

func TestPersonAndViewValidate(t *testing.T) {
	today := haven.NewDate(2025, 12, 1)
	people := []struct {
		p         Person
		wantField string
	}{
		{Person{Name: "Jo Brightwater", Relationship: "mother", ParentalResponsibility: true, MayBeTold: "Everything about school"}, ""},
		{Person{Name: " ", Relationship: "mother"}, "name"},
		{Person{Name: "Jo\u202eX", Relationship: "mother"}, "name"},
		{Person{Name: "Jo", Relationship: "aunt-ish"}, "relationship"},
		{Person{Name: "Jo", Relationship: "father", MayBeTold: "a\x00b"}, "mayBeTold"},
	}
	for _, tt := range people {
		err := tt.p.Validate()
		if (tt.wantField == "") != (err == nil) || tt.wantField != "" && fieldsOf(err)[tt.wantField] == "" {
			t.Errorf("%+v: Validate = %v, want error on %q", tt.p, err, tt.wantField)
		}
	}
	views := []struct {
		v         View
		wantField string
	}{
		{View{SaidOn: today, Words: "I want to go home to mum."}, ""},
		{View{Words: "I want to go home."}, "saidOn"},
		{View{SaidOn: haven.NewDate(2026, 1, 1), Words: "Home."}, "saidOn"},
		{View{SaidOn: today, Words: "  "}, "words"},
	}
	for _, tt := range views {
		err := tt.v.Validate(today)
		if (tt.wantField == "") != (err == nil) || tt.wantField != "" && fieldsOf(err)[tt.wantField] == "" {
			t.Errorf("%+v: Validate = %v, want error on %q", tt.v, err, tt.wantField)
		}
	}
}
