package programme

import (
	"errors"
	"math/big"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"haven/internal/haven"
)

// spendGrammar is what ParseSpend's comment promises, written independently:
// pounds plain or with thousands commas, then optionally one or two pence digits.
var spendGrammar = regexp.MustCompile(`^(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?$`)

// spendWant is the pence s says, or -1 when it is not an amount.
func spendWant(s string) int64 {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "£"))
	if !spendGrammar.MatchString(s) {
		return -1
	}
	pounds, pence, _ := strings.Cut(strings.ReplaceAll(s, ",", ""), ".")
	pence = (pence + "00")[:2]
	v, _ := new(big.Int).SetString(pounds+pence, 10)
	if v.Cmp(big.NewInt(MaxFundPence)) > 0 {
		return -2
	}
	return v.Int64()
}

// FuzzParseSpend: an amount typed in pounds parses to exactly the pence it
// says, up to £5,000; anything else is refused with a message for the person
// who typed it. Every amount Haven writes back out reads as itself.
func FuzzParseSpend(f *testing.F) {
	for _, s := range []string{"12.50", "£3", "1,250", "5,000", "5000.01", "0.1", "12.", ".5", "1,25", "£ 7", "9999999999999999999999",
		"-1", "1e3", "１２", "12.5.0", "", "£", "\xff"} {
		f.Add(s, int64(0))
	}
	f.Add("", int64(MaxFundPence))
	f.Fuzz(func(t *testing.T, s string, n int64) {
		got, err := ParseSpend(s)
		want := spendWant(s)
		switch {
		case want >= 0 && (err != nil || got != want):
			t.Fatalf("ParseSpend(%q) = %d, %v; want %d pence", s, got, err, want)
		case want == -2 && (err == nil || !strings.Contains(err.Error(), "£5,000 or less")):
			t.Fatalf("ParseSpend(%q) = %d, %v; want the £5,000 limit", s, got, err)
		case want < 0 && err == nil:
			t.Fatalf("ParseSpend(%q) = %d; want it refused", s, got)
		}
		if err != nil {
			if he, ok := errors.AsType[*haven.Error](err); !ok || he.Kind != haven.KindInvalid || he.Message == "" || got != 0 {
				t.Fatalf("ParseSpend(%q) = %d, %#v; want 0 and an invalid-kind error with a message", s, got, err)
			}
		}
		// Whatever Haven shows as an amount must read back as itself.
		n = n % (MaxFundPence + 1)
		if n < 0 {
			n = -n
		}
		for _, shown := range []string{FormatPence(n), PenceInput(n)} {
			if back, err := ParseSpend(shown); err != nil || back != n {
				t.Fatalf("%d pence shown as %q reads back as %d, %v", n, shown, back, err)
			}
		}
	})
}

// FuzzSearchTerm: a search is refused with a message for the "q" field, or
// tidied into a term that is lower case, singly spaced, 2 to 100 characters,
// and tidies to itself.
func FuzzSearchTerm(f *testing.F) {
	for _, s := range []string{"  Jo  SMITH ", "j", "", "a\x00b", "\xff\xfe", "HVN-ABCD", "Émilie", "İ", strings.Repeat("x", 101), "\t\n jo \r"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		term, err := SearchTerm(q)
		if err != nil {
			if he, ok := errors.AsType[*haven.Error](err); !ok || he.Kind != haven.KindInvalid || he.Fields["q"] == "" || len(he.Fields) != 1 || term != "" {
				t.Fatalf("SearchTerm(%q) = %q, %#v; want a message for q alone", q, term, err)
			}
			return
		}
		n := utf8.RuneCountInString(term)
		if n < SearchMinRunes || n > SearchMaxRunes || term != strings.ToLower(term) || strings.Contains(term, "  ") ||
			term != strings.TrimSpace(term) || strings.ContainsRune(term, 0) || !utf8.ValidString(term) {
			t.Fatalf("SearchTerm(%q) = %q", q, term)
		}
		if again, err := SearchTerm(term); err != nil || again != term {
			t.Fatalf("SearchTerm(%q) = %q, but that tidies to %q, %v", q, term, again, err)
		}
	})
}

// FuzzParseRef: whatever is typed as a Haven reference either reads as the
// twelve characters URLs use, which FormatRef writes back to the same
// reference, or is refused; never a panic.
func FuzzParseRef(f *testing.F) {
	for _, s := range []string{"ABCD-EFGH-JKLM", "abcd efgh jklm", "abcdefghjklm", "ABCD-EFGH", "", "----", "abcd-efgh-jkl1", "İbcd-efgh-jklm", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ref, ok := ParseRef(s)
		if !ok {
			if ref != "" {
				t.Fatalf("ParseRef(%q) refused it but gave %q", s, ref)
			}
			return
		}
		if len(ref) != 12 || strings.Trim(ref, "abcdefghijklmnopqrstuvwxyz234567") != "" {
			t.Fatalf("ParseRef(%q) = %q", s, ref)
		}
		if again, ok := ParseRef(FormatRef(ref)); !ok || again != ref {
			t.Fatalf("FormatRef(%q) = %q reads back as %q, %v", ref, FormatRef(ref), again, ok)
		}
	})
}

// FuzzContactDetails: whatever is typed into her contact details is either
// refused with a message for the field it is in, or kept tidy and valid,
// with "safe to use?" always one of the three answers; never a panic.
func FuzzContactDetails(f *testing.F) {
	f.Add("07700 900 982", "yes", "her@example.org", "no", "1 Example Row\nLS6 1AA", "unknown")
	f.Add("call me", "", "not an email", "perhaps", "\x00", "yes")
	f.Fuzz(func(t *testing.T, phone, phoneSafe, email, emailSafe, address, addressSafe string) {
		p := Person{FirstName: "Robin", LastName: "Testcase", Contact: ContactDetails{Phone: ContactDetail{Value: phone, Safe: Answer(phoneSafe)},
			Email: ContactDetail{Value: email, Safe: Answer(emailSafe)}, Address: ContactDetail{Value: address, Safe: Answer(addressSafe)}}}
		err := p.Validate(time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC))
		if err != nil {
			he, ok := errors.AsType[*haven.Error](err)
			if !ok || he.Kind != haven.KindInvalid {
				t.Fatalf("Validate: %#v", err)
			}
			for k := range he.Fields {
				if !strings.HasPrefix(k, "phone") && !strings.HasPrefix(k, "email") && !strings.HasPrefix(k, "address") {
					t.Fatalf("Validate named field %q for contact details: %v", k, he.Fields)
				}
			}
			return
		}
		for _, d := range []ContactDetail{p.Contact.Phone, p.Contact.Email, p.Contact.Address} {
			if !validAnswer(d.Safe) || d.Value != strings.TrimSpace(d.Value) || !utf8.ValidString(d.Value) || (d.Value == "" && d.Safe != AnswerUnknown) {
				t.Fatalf("Validate kept %+v", d)
			}
		}
	})
}

// FuzzEnrolmentMove: any phase, date and reason a client sends either moves
// the enrolment along an allowed path or is refused with messages for the
// phase, date or reason fields, never a panic.
func FuzzEnrolmentMove(f *testing.F) {
	f.Add("referred", "engaging", "2026-11-09", "", "")
	f.Add("referred", "", "", "", "")
	f.Add("active", "ended", "2026-11-09", "moved", "")
	f.Add("active", "ended-early", "2026-11-09", "moved", "moved-away")
	f.Add("active", "ended-early", "2026-11-09", "moved", "not-recorded")
	f.Add("completed", "é", "2026-01-01", "", "")
	f.Fuzz(func(t *testing.T, from, to, on, reason, exit string) {
		day, _ := haven.ParseDate(on)
		e := Enrolment{Phase: Phase(from), ReferredOn: haven.NewDate(2026, 11, 2)}
		_ = Phase(to).Title() // shown in messages and on pages: must not panic
		_ = ExitCategory(exit).Title()
		ev, err := e.Move(Phase(to), day, reason, ExitCategory(exit), 1)
		if err != nil {
			he, ok := errors.AsType[*haven.Error](err)
			if !ok || he.Kind != haven.KindInvalid || len(he.Fields) == 0 {
				t.Fatalf("Move(%q→%q) = %v", from, to, err)
			}
			for k, m := range he.Fields {
				if (k != "phase" && k != "on" && k != "reason" && k != "exitCategory") || m == "" {
					t.Fatalf("Move(%q→%q): field %q: %q", from, to, k, m)
				}
			}
			return
		}
		// Only an early end keeps a category, and only one from the list.
		if (Phase(to) == PhaseEnded) != (e.Exit != "") || (e.Exit != "" && !e.Exit.Choosable()) {
			t.Fatalf("Move(%q→%q, %q): category %q kept", from, to, exit, e.Exit)
		}
		if !Phase(from).CanMoveTo(Phase(to)) || e.Phase != Phase(to) || ev.From != Phase(from) || ev.To != Phase(to) || ev.On != day {
			t.Fatalf("Move(%q→%q on %s) = %+v, enrolment %+v", from, to, day, ev, e)
		}
	})
}
