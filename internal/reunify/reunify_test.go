package reunify

import (
	"testing"
	"time"

	"haven/internal/haven"
)

func TestCodeLists(t *testing.T) {
	for _, tc := range []struct {
		name    string
		list    CodeList
		n       int
		has     []string
		retired []string
	}{
		{"LS", LegalStatuses, 13, []string{"C1", "C2", "E1", "V2", "J3"}, nil},
		{"RNE", NewEpisodeReasons, 6, []string{"S", "L", "P", "T", "U", "B"}, nil},
		{"REC", CeasedReasons, 22, []string{"E4A", "E4B", "E13", "X1", "E11"}, nil},
		{"PLACE", Placements, 32, []string{"U1", "P1", "K3", "Z11"}, []string{"H5", "P2", "Z1"}},
		{"PLACE_PROVIDER", Providers, 6, []string{"PR0", "PR5"}, nil},
	} {
		if len(tc.list) != tc.n {
			t.Errorf("%s has %d codes, want %d", tc.name, len(tc.list), tc.n)
		}
		for _, c := range tc.has {
			if got, ok := tc.list.Find(c); !ok || !got.Current {
				t.Errorf("%s: %s missing or not current", tc.name, c)
			}
		}
		for _, c := range tc.retired {
			if got, ok := tc.list.Find(c); !ok || got.Current {
				t.Errorf("%s: %s should be kept for history but not current", tc.name, c)
			}
		}
		if len(tc.list.CurrentCodes()) != tc.n-len(tc.retired) {
			t.Errorf("%s: %d current codes, want %d", tc.name, len(tc.list.CurrentCodes()), tc.n-len(tc.retired))
		}
	}
}

func TestEpisodeValidate(t *testing.T) {
	today := haven.NewDate(2026, time.December, 7)
	ok := Episode{StartsOn: haven.NewDate(2026, time.January, 5), RNE: "S", LegalStatus: "C2", Placement: "U1"}
	for _, tc := range []struct {
		name  string
		edit  func(*Episode)
		field string
	}{
		{"fine", func(*Episode) {}, ""},
		{"ended home", func(e *Episode) { e.EndsOn, e.REC = haven.NewDate(2026, time.June, 1), "E4A" }, ""},
		{"no start", func(e *Episode) { e.StartsOn = haven.Date{} }, "startsOn"},
		{"future start", func(e *Episode) { e.StartsOn = haven.NewDate(2027, time.January, 1) }, "startsOn"},
		{"bad RNE", func(e *Episode) { e.RNE = "Q" }, "rne"},
		{"bad LS", func(e *Episode) { e.LegalStatus = "C3" }, "legalStatus"},
		{"bad place", func(e *Episode) { e.Placement = "u1" }, "placement"},
		{"bad provider", func(e *Episode) { e.Provider = "PR9" }, "provider"},
		{"end without reason", func(e *Episode) { e.EndsOn = haven.NewDate(2026, time.June, 1) }, "rec"},
		{"reason without end", func(e *Episode) { e.REC = "E4A" }, "endsOn"},
		{"bad reason", func(e *Episode) { e.EndsOn, e.REC = haven.NewDate(2026, time.June, 1), "E44" }, "rec"},
		{"ends before start", func(e *Episode) { e.EndsOn, e.REC = haven.NewDate(2025, time.June, 1), "E4A" }, "endsOn"},
		{"ends in future", func(e *Episode) { e.EndsOn, e.REC = haven.NewDate(2027, time.June, 1), "E4A" }, "endsOn"},
	} {
		e := ok
		tc.edit(&e)
		err := e.Validate(today)
		var fields map[string]string
		if he, isHE := err.(*haven.Error); isHE {
			fields = he.Fields
		}
		switch {
		case tc.field == "" && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.field != "" && fields[tc.field] == "":
			t.Errorf("%s: got %v, want an error on %s", tc.name, err, tc.field)
		}
	}
	if !(Episode{REC: "E4B"}).ReturnedHome() || (Episode{REC: "E13"}).ReturnedHome() {
		t.Error("E4A and E4B are returns home to parents; E13 is not")
	}
}

func TestChildValidate(t *testing.T) {
	today := haven.NewDate(2026, time.December, 7)
	for _, tc := range []struct {
		c     Child
		field string
	}{
		{Child{Ref: "A1", FirstName: "Robin", BornOn: haven.NewDate(2020, 1, 1)}, ""},
		{Child{Ref: "", FirstName: "Robin", BornOn: haven.NewDate(2020, 1, 1)}, "ref"},
		{Child{Ref: "A 1", FirstName: "Robin", BornOn: haven.NewDate(2020, 1, 1)}, "ref"},
		{Child{Ref: "12345678901", FirstName: "Robin", BornOn: haven.NewDate(2020, 1, 1)}, "ref"},
		{Child{Ref: "A1", FirstName: " ", BornOn: haven.NewDate(2020, 1, 1)}, "firstName"},
		{Child{Ref: "A1", FirstName: "Robin"}, "bornOn"},
		{Child{Ref: "A1", FirstName: "Robin", BornOn: haven.NewDate(2027, 1, 1)}, "bornOn"},
		{Child{Ref: "A1", FirstName: "Robin", BornOn: haven.NewDate(2007, 12, 6)}, "bornOn"},
		{Child{Ref: "A1", FirstName: "Robin", BornOn: haven.NewDate(2007, 12, 7)}, ""},
	} {
		err := tc.c.Validate(today)
		he, _ := err.(*haven.Error)
		if tc.field == "" && err != nil || tc.field != "" && (he == nil || he.Fields[tc.field] == "") {
			t.Errorf("%+v: got %v, want error on %q", tc.c, err, tc.field)
		}
	}
}
