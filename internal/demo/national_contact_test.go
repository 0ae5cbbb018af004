package demo

import (
	"errors"
	"testing"

	"haven/internal/contact"
	"haven/internal/haven"
)

// Every contact record the national generator makes passes the rules the
// store applies to a practitioner's input, and the spread looks like the
// research: checked on the whole model at both scales, without a database.
func TestNationalContactModel(t *testing.T) {
	for name, sc := range map[string]Scale{"small": SmallScale(), "national": NationalScale()} {
		t.Run(name, func(t *testing.T) {
			if name == "national" && testing.Short() {
				t.Skip("the full model takes a few seconds")
			}
			n, err := buildNational(DefaultSeed, sc)
			if err != nil {
				t.Fatal(err)
			}
			recs, err := n.contactModel()
			if err != nil {
				t.Fatal(err)
			}
			checkContactModel(t, n, recs)
		})
	}
}

type contactTally struct {
	children, proceedings, arrangements, changes, explanations, sessions, letters int
	repeats, beforeFinal                                                          int
	reasons                                                                       map[contact.ReasonGiven]int
	letterbox, letterboxReviewed                                                  int
	unexplained                                                                   int
}

func checkContactModel(t *testing.T, n *national, recs []natContact) {
	t.Helper()
	today := n.asOf
	tally := contactTally{reasons: map[contact.ReasonGiven]int{}}
	fail := func(w natWoman, what string, err error) {
		t.Helper()
		if e, ok := errors.AsType[*haven.Error](err); ok {
			t.Errorf("woman %d: %s: %v", w.id, what, e.Fields)
		} else if err != nil {
			t.Errorf("woman %d: %s: %v", w.id, what, err)
		}
	}
	for i, rec := range recs {
		w := n.women[i]
		if len(rec.children) < 1 || len(rec.children) > 6 || len(rec.proceedings) < 1 || len(rec.proceedings) > len(rec.children) {
			t.Errorf("woman %d has %d children and %d sets of proceedings", w.id, len(rec.children), len(rec.proceedings))
		}
		children := map[int64]contact.Child{}
		for _, c := range rec.children {
			c := c
			fail(w, "child", c.Validate(today))
			if c.PersonID != w.id || len(c.Placements) == 0 || c.Placements[len(c.Placements)-1].Placement != c.Placement ||
				c.Version != int64(len(c.Placements)) || today.Before(c.Placements[len(c.Placements)-1].From) {
				t.Errorf("woman %d: child %+v: placements do not end where the child lives", w.id, c)
			}
			children[c.ID] = c
		}
		inSet, index := map[int64]int{}, 0
		var ps []contact.Proceedings
		for _, p := range rec.proceedings {
			p := p.Proceedings
			fail(w, "proceedings", p.Validate(today, rec.children))
			if p.Index {
				index++
			}
			for _, id := range p.ChildIDs {
				inSet[id]++
			}
			ps = append(ps, p)
		}
		if index != 1 || len(inSet) != len(rec.children) {
			t.Errorf("woman %d: %d index sets, %d of %d children in proceedings", w.id, index, len(inSet), len(rec.children))
		}
		for _, early := range contact.IssuedBeforePreviousFinal(ps) {
			tally.repeats++
			if early {
				tally.beforeFinal++
			}
		}
		arrs := map[int64]natArrangement{}
		var direct, letterbox bool
		for _, a := range rec.arrangements {
			arr := a.Arrangement
			fail(w, "arrangement", arr.Validate(today))
			if _, ok := children[a.ChildID]; !ok || a.PersonID != w.id || today.Before(a.StartOn) {
				t.Errorf("woman %d: arrangement %+v is not for her child, or starts after today", w.id, arr)
			}
			if a.Type == contact.Letterbox {
				tally.letterbox++
				letterbox = true
				if !a.NeverReviewed() {
					tally.letterboxReviewed++
				}
			}
			if a.At(today, a.changes).Type.Direct() && a.end.IsZero() {
				direct = true
			}
			arrs[a.ID] = a
			for _, c := range a.changes {
				c := c
				on := contact.Dated{Arrangement: arr, Child: children[a.ChildID], EffectiveOn: c.EffectiveOn}
				fail(w, "change", c.Validate(today, on))
				if c.ArrangementID != a.ID || c.EffectiveOn.Before(a.StartOn) || today.Before(c.EffectiveOn) || c.RecordedBy == 0 {
					t.Errorf("woman %d: change %+v falls outside arrangement %d (%s)", w.id, c, a.ID, a.StartOn)
				}
				tally.reasons[c.ReasonGiven]++
				if c.Unexplained() {
					tally.unexplained++
				}
				for _, e := range c.Explanations {
					e := e
					fail(w, "explanation", e.Validate(today, on))
					if e.ChangeID != c.ID || e.ToldOn.Before(c.EffectiveOn) {
						t.Errorf("woman %d: explanation %+v before change %d took effect", w.id, e, c.ID)
					}
					tally.explanations++
				}
			}
			tally.changes += len(a.changes)
		}
		for _, s := range rec.sessions {
			cs := s.ContactSession
			fail(w, "contact session", cs.Validate(today))
			a, ok := arrs[s.ArrangementID]
			if !ok || s.PlannedOn.Before(a.StartOn) {
				t.Errorf("woman %d: contact session %+v is not on one of her arrangements", w.id, cs)
			}
		}
		for _, x := range rec.letters {
			lx := x.LetterboxExchange
			fail(w, "letter", lx.Validate(today))
			if a, ok := arrs[x.ArrangementID]; !ok || a.At(x.DueOn, a.changes).Type != contact.Letterbox || x.DueOn.Before(n.current(w).ReferredOn) {
				t.Errorf("woman %d: letter %+v is not due on a letterbox arrangement", w.id, lx)
			}
		}
		if w.heavy && (!direct || !letterbox || len(rec.sessions) == 0 || len(rec.letters) == 0) {
			t.Errorf("heavy woman %d: direct contact %t, letterbox %t, %d sessions, %d letters", w.id, direct, letterbox, len(rec.sessions), len(rec.letters))
		}
		tally.children += len(rec.children)
		tally.proceedings += len(rec.proceedings)
		tally.arrangements += len(rec.arrangements)
		tally.sessions += len(rec.sessions)
		tally.letters += len(rec.letters)
	}
	sc := n.sc
	if tally.children != sc.Children || tally.proceedings != sc.Proceedings || tally.arrangements != sc.Arrangements || tally.changes != sc.Changes {
		t.Errorf("%d children, %d proceedings, %d arrangements, %d changes; scale says %d, %d, %d, %d", tally.children, tally.proceedings,
			tally.arrangements, tally.changes, sc.Children, sc.Proceedings, sc.Arrangements, sc.Changes)
	}
	percent := func(a, b int) int { return a * 100 / max(1, b) }
	yes := percent(tally.reasons[contact.ReasonYes], tally.changes)
	checks := []struct {
		what   string
		got    int
		lo, hi int
	}{
		{"% of changes with a reason given", yes, 55, 75},
		{"% of changes with no reason", percent(tally.reasons[contact.ReasonNo], tally.changes), 10, 35},
		{"% of changes, reason not known", percent(tally.reasons[contact.ReasonNotKnown], tally.changes), 3, 20},
		{"% of repeat proceedings issued before the last final hearing", percent(tally.beforeFinal, tally.repeats), 8, 45},
		{"% of letterbox arrangements ever reviewed", percent(tally.letterboxReviewed, tally.letterbox), 15, 50},
		{"% of changes without a reason still unexplained", percent(tally.unexplained, tally.changes-tally.reasons[contact.ReasonYes]), 10, 60},
		{"explanations a hundred changes", tally.explanations * 100 / max(1, tally.changes), 5, 50},
		{"contact sessions a hundred women", tally.sessions * 100 / len(recs), 20, 400},
		{"letters a hundred women", tally.letters * 100 / len(recs), 20, 400},
	}
	for _, c := range checks {
		if c.got < c.lo || c.got > c.hi {
			t.Errorf("%s: %d, want %d to %d", c.what, c.got, c.lo, c.hi)
		}
	}
	t.Logf("%+v", tally)
}

// The counts cannot be met: an error, not a panic or a wrong total.
func TestNationalContactScaleRefused(t *testing.T) {
	for name, change := range map[string]func(*Scale){
		"children without proceedings":   func(s *Scale) { s.Proceedings = 0 },
		"more proceedings than children": func(s *Scale) { s.Proceedings = s.Children + 1 },
		"seven children a woman":         func(s *Scale) { s.Children = 7 * s.Women },
		"too many arrangements":          func(s *Scale) { s.Arrangements = 3 * s.Children },
	} {
		sc := SmallScale()
		change(&sc)
		if _, err := NationalHash(DefaultSeed, sc); err == nil {
			t.Errorf("%s: the scale was accepted", name)
		}
	}
	none := SmallScale()
	none.Children, none.Proceedings, none.Arrangements, none.Changes = 0, 0, 0, 0
	if _, err := NationalHash(DefaultSeed, none); err != nil {
		t.Errorf("a scale without children and contact: %v", err)
	}
}
