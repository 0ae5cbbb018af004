package contact

import (
	"slices"
	"strings"

	"haven/internal/haven"
)

// Letter is the "What has changed and why" letter: a plain-English summary,
// for her, of her contact arrangements now and every change in a period,
// with the reasons she was given. Her practitioner goes through it with her.
type Letter struct {
	Name     string
	From, To haven.Date
	Made     haven.Date
	Sections []LetterSection
}

// LetterSection is a heading and its paragraphs.
type LetterSection struct {
	Heading string
	Paras   []string
}

// Title is the letter's heading.
func (l Letter) Title() string { return "What has changed and why" }

// BuildLetter writes the letter from her record. Only changes that took
// effect between from and to are listed; the arrangements are as they stand
// today (AsItStands, the same reading as her record's cards), with any change
// still to come. Withdrawn changes are left out: they were recorded by mistake.
func BuildLetter(name string, arrs []Arrangement, changes []Change, from, to, today haven.Date) Letter {
	l := Letter{Name: name, From: from, To: to, Made: today}
	intro := LetterSection{Paras: []string{
		"Dear " + name + ",",
		"This letter sets out your contact with your children as it is now, and everything that changed between " +
			from.Long() + " and " + to.Long() + ", with the reasons you were given. We will go through it together.",
	}}
	l.Sections = append(l.Sections, intro)

	now := LetterSection{Heading: "Your contact now"}
	for _, a := range arrs {
		st := AsItStands(a, changes, today)
		cur := st.Arrangement
		p := "With " + childOr(a.ChildName) + ": " + typePhrase[cur.Type]
		if cur.Type != NoContact && cur.Frequency != "" {
			p += ", " + lowerFirst(cur.Frequency)
		}
		p += ". It is arranged by " + arrangedBy[cur.ArrangedBy] + ", under " + articled(cur.Basis.Title()) + "."
		switch {
		case cur.LastReviewOn.IsZero():
			p += " It has never been reviewed."
		default:
			p += " It was last reviewed on " + cur.LastReviewOn.Long() + "."
		}
		if !cur.NextReviewOn.IsZero() {
			p += " The next review is due on " + cur.NextReviewOn.Long() + "."
		}
		for _, c := range st.Pending {
			p += " It is due to change on " + c.EffectiveOn.Long() + ": " + lowerFirst(c.Aspect.Title())
			if c.To != "" {
				p += " to “" + c.ValueTitle(c.To) + "”"
			}
			p += "."
		}
		now.Paras = append(now.Paras, p)
	}
	if len(now.Paras) == 0 {
		now.Paras = []string{"There are no contact arrangements on your record."}
	}
	l.Sections = append(l.Sections, now)

	what := LetterSection{Heading: "What changed between " + from.Long() + " and " + to.Long()}
	cs := slices.Clone(changes)
	SortChanges(cs)
	for _, c := range cs {
		if c.Withdrawn() || !within(c.EffectiveOn, from, to) {
			continue
		}
		p := "From " + c.EffectiveOn.Long() + ", " + lowerFirst(c.ChangedBy.Title()) + " changed your contact with " + childOr(c.ChildName) +
			": " + lowerFirst(c.Aspect.Title())
		if c.From != "" {
			p += ", from “" + c.ValueTitle(c.From) + "”"
		}
		if c.To != "" {
			p += " to “" + c.ValueTitle(c.To) + "”"
		}
		p += "."
		switch {
		case c.ReasonGiven == ReasonYes:
			p += " You were told why: “" + c.Reason + "”"
			if c.ToldBy != "" {
				p += " (" + c.ToldBy + told(c.ToldHow, c.ToldOn) + ")"
			}
			p += "."
		case len(c.Explanations) > 0:
			e := c.Explanations[len(c.Explanations)-1]
			p += " You were not told why at the time. You were told later: “" + e.Reason + "” (" + e.ToldBy + told(e.ToldHow, e.ToldOn) + ")."
		default:
			p += " You were not given a reason. We are finding out why, and we will tell you."
		}
		if c.HerView != "" {
			p += " What you said about it: “" + c.HerView + "”"
		}
		what.Paras = append(what.Paras, p)
	}
	if len(what.Paras) == 0 {
		what.Paras = []string{"Nothing changed in this time."}
	}
	l.Sections = append(l.Sections, what, LetterSection{Heading: "If something is wrong", Paras: []string{
		"If anything in this letter is wrong or missing, or you want to talk about it, tell your practitioner. You can ask for a copy at any time.",
	}})
	return l
}

var typePhrase = map[Type]string{FaceToFace: "face-to-face contact", Supervised: "supervised contact", Supported: "supported contact",
	Letterbox: "letterbox contact (letters through the agency)", Digital: "contact by phone, video or online", NoContact: "no contact at the moment"}

var arrangedBy = map[Arranger]string{"local-authority": "the local authority", "adoption-agency": "the adoption agency",
	"carers": "the carers", "court-order": "a court order"}

func told(how string, on haven.Date) string {
	s := ""
	if how != "" {
		s += ", " + how
	}
	if !on.IsZero() {
		s += ", " + on.Long()
	}
	return s
}

func childOr(name string) string {
	if name == "" {
		return "your child"
	}
	return name
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

func articled(s string) string {
	s = lowerFirst(s)
	if s != "" && strings.ContainsRune("aeiou", rune(s[0])) {
		return "an " + s
	}
	return "a " + s
}
