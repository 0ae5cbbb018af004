package forum

import (
	"errors"
	"strings"
	"testing"
	"time"

	"haven/internal/haven"
)

var (
	now      = time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	caseload = Caseload{Names: []string{"Aisha Alderley", "Rosie Hawthorne", "Jo Dewberry-Evenlode"}}
)

func TestWarnings(t *testing.T) {
	cases := []struct {
		name, text string
		want       []Warning
	}{
		{"an ordinary sentence", "We ran a session on grief and loss last week, and it went well. How do others plan the first contact?", nil},
		{"an ordinary sentence with dates of events", "The seminar on 12 March 2027 follows the one on 3/11/2026.", nil},
		{"a name from her caseload", "Aisha told me she wants to try again with contraception.", []Warning{{"name", "Aisha"}}},
		{"a surname", "Ms Hawthorne was upset after the review.", []Warning{{"name", "Hawthorne"}}},
		{"a full name, each part once", "Rosie Hawthorne, then later Rosie again.", []Warning{{"name", "Rosie"}, {"name", "Hawthorne"}}},
		{"part of a double-barrelled name", "I met Dewberry at the clinic.", []Warning{{"name", "Dewberry"}}},
		{"a name as an ordinary word, in lower case", "The rosie glow of the evening; a hawthorne hedge.", nil},
		{"a short name is too often a word", "Jo said it; so did everyone.", nil},
		{"someone else's caseload's name", "Bethany said she would come.", nil},
		{"a name inside a longer word", "Aishaland is not a place.", nil},
		{"a date of birth", "She was born 14/02/1994 and has had three children removed.", []Warning{{"date", "14/02/1994"}}},
		{"a date of birth in words", "Her birthday is 3rd of June 1990.", []Warning{{"date", "3rd of June 1990"}}},
		{"a date of birth month first", "Born June 3, 1990.", []Warning{{"date", "June 3, 1990"}}},
		{"an ISO date", "DOB 1990-06-03.", []Warning{{"date", "1990-06-03"}}},
		{"a two-digit year", "born 03.06.90", []Warning{{"date", "03.06.90"}}},
		{"a recent date beside 'date of birth'", "Her baby's date of birth is 01/10/2026.", []Warning{{"date", "01/10/2026"}}},
		{"a full postcode", "She has moved to LS6 2AB near the park.", []Warning{{"postcode", "LS6 2AB"}}},
		{"a postcode without a space", "at m11aa", []Warning{{"postcode", "M11AA"}}},
		{"a postcode district alone", "Services in LS6 and around Leeds.", nil},
		{"all three, in the order written", "Aisha (LS6 2AB), born 14/02/1994.", []Warning{{"name", "Aisha"}, {"postcode", "LS6 2AB"}, {"date", "14/02/1994"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Warnings(c.text, caseload, now)
			if len(got) != len(c.want) {
				t.Fatalf("%q: %v, want %v", c.text, got, c.want)
			}
			for i := range got {
				if got[i] != c.want[i] {
					t.Errorf("%q: warning %d is %v, want %v", c.text, i, got[i], c.want[i])
				}
			}
		})
	}
	if got := Warnings("Aisha said so", Caseload{}, now); len(got) != 0 {
		t.Errorf("with no caseload, a name is only a word: %v", got)
	}
	if m := (Warning{"name", "Aisha"}).Message(); !strings.Contains(m, "Aisha") {
		t.Errorf("message %q", m)
	}
}

func TestCheck(t *testing.T) {
	good := Post{Title: "Planning a first contact after removal", Body: "What has worked for you?"}
	if err := good.Check(true); err != nil {
		t.Fatalf("a good post: %v", err)
	}
	if err := (Post{Body: "A reply."}).Check(false); err != nil {
		t.Fatalf("a reply needs no title: %v", err)
	}
	cases := []struct {
		name, field string
		p           Post
	}{
		{"no title", "title", Post{Body: "x"}},
		{"no body", "body", Post{Title: "x", Body: "  "}},
		{"markup", "body", Post{Title: "x", Body: "See <a href=x>this</a>"}},
		{"a script", "title", Post{Title: "<script>alert(1)</script>", Body: "x"}},
		{"a link to her record", "body", Post{Title: "x", Body: "See https://haven.example.org/people/abcd2345efgh"}},
		{"a referral reference", "body", Post{Title: "x", Body: "Referral HVN-ABCD-2345 is stuck"}},
		{"too long", "body", Post{Title: "x", Body: strings.Repeat("a", MaxBody+1)}},
		{"a control character", "body", Post{Title: "x", Body: "a\x00b"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			he, ok := errors.AsType[*haven.Error](c.p.Check(true))
			if !ok || he.Fields[c.field] == "" {
				t.Fatalf("want a message for %s, got %v", c.field, c.p.Check(true))
			}
		})
	}
	// Comparisons stay plain text: "a < b" is no markup.
	if err := (Post{Title: "x", Body: "waiting times < 2 weeks and > 1 day"}).Check(true); err != nil {
		t.Errorf("a less-than sign: %v", err)
	}
}

func FuzzWarnings(f *testing.F) {
	for _, s := range []string{"Aisha (LS6 2AB), born 14/02/1994.", "3rd of June 1990", "June 3, 1990", "03.06.90", "Rosie’s", "ǅemal"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, w := range Warnings(s, caseload, now) {
			// Everything warned about is in the text as written (postcodes upper-cased).
			if !strings.Contains(strings.ToUpper(s), strings.ToUpper(w.Text)) {
				t.Fatalf("%q warned about %q, which it does not hold", s, w.Text)
			}
		}
		_ = Post{Title: s, Body: s}.Check(true)
	})
}
