package web

import (
	"net/url"
	"testing"

	"haven/internal/haven"
	"haven/internal/measure"
)

// FuzzNeedsForm: the needs form and the schedule's checkboxes, as any client
// may send them. Every problem names a field the error summary lists; what
// is accepted holds only values from the lists, on the date typed, with no
// change at baseline; a stored reading read back into the form and read
// again is the same reading.
func FuzzNeedsForm(f *testing.F) {
	f.Add("baseline", "20", "11", "2026", "need", "", "yes", "3", "phq9:baseline")
	f.Add("6-months", "1", "2", "2026", "no-need", "improved", "not-known", "0", "needs:exit")
	f.Add("exit", "31", "2", "2026", "maybe", "better", "", "-1", "wemwbs:6-months")
	f.Add("follow-up", "", "", "", "not-known", "worse", "no", "x", "needs:follow-up")
	f.Fuzz(func(t *testing.T, point, day, month, year, status, change, fact, version, slot string) {
		p := measure.Point(point)
		v := url.Values{"assessedOn-day": {day}, "assessedOn-month": {month}, "assessedOn-year": {year},
			"stableHousing": {fact}, "paidWork": {fact}, "childContact": {fact}, "version": {version}}
		for _, d := range measure.NeedDomains {
			v.Set(string(d), status)
			v.Set(measure.ChangeField(d), change)
		}
		n, form, fields := readNeedsForm(v, p)
		if n.Version < 0 {
			t.Fatalf("negative version %d", n.Version)
		}
		prev := measure.PreviousNeeds{measure.NeedHousing: {Point: measure.Baseline, Status: measure.Need}}
		today := haven.NewDate(2026, 11, 23)
		err := measure.CheckNeeds(n, prev, today)
		if he, ok := err.(*haven.Error); ok {
			for k, m := range he.Fields {
				fields[k] = m
			}
		} else if err != nil {
			t.Fatal(err)
		}
		checkFields(t, "needs", fields, measure.NeedFields())
		if len(fields) == 0 {
			on, derr := haven.ParseDateParts("Date", day, month, year)
			if derr != nil || on != n.AssessedOn || today.Before(on) {
				t.Fatalf("accepted date %v from %q/%q/%q", n.AssessedOn, day, month, year)
			}
			for _, r := range n.Readings {
				if r.Status.Label() == "" || (r.Change != "" && r.Change.Label() == "") || (p == measure.Baseline && r.Change != "") {
					t.Fatalf("accepted reading %+v at %s", r, p)
				}
			}
			if n.StableHousing.Label() == "" {
				t.Fatalf("accepted fact %q", n.StableHousing)
			}
			again, _, more := readNeedsForm(formValues(formFromNeeds(n)), p)
			if len(more) != 0 || again.Readings != n.Readings || again.AssessedOn != n.AssessedOn || again.PaidWork != n.PaidWork {
				t.Fatalf("read back differently: %+v, want %+v", again, n)
			}
		} else if len(form.Status) != len(measure.NeedDomains) {
			t.Fatal("the form does not keep what was typed for every domain")
		}
		// A slot is read only if it is one the schedule offers.
		if sl, ok := measure.ParseSlot(slot); ok && measure.SlotValue(sl.Item, sl.Point) != slot {
			t.Fatalf("slot %q read as %+v", slot, sl)
		}
	})
}

// formValues is the form as the browser sends it back.
func formValues(f needsForm) url.Values {
	v := url.Values{"assessedOn-day": {f.Day}, "assessedOn-month": {f.Month}, "assessedOn-year": {f.Year}}
	for k, s := range f.Status {
		v.Set(k, s)
	}
	for k, s := range f.Change {
		v.Set(measure.ChangeField(measure.NeedDomain(k)), s)
	}
	for k, s := range f.Facts {
		v.Set(k, s)
	}
	return v
}
