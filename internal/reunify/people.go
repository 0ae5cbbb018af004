package reunify

import (
	"strings"
	"time"
	"unicode/utf8"

	"haven/internal/haven"
)

// Validate checks a person around the child as entered.
func (p Person) Validate() error {
	f := map[string]string{}
	name := strings.TrimSpace(p.Name)
	switch {
	case name == "":
		f["name"] = "Enter the person's name"
	case utf8.RuneCountInString(name) > 100:
		f["name"] = haven.CharactersOrFewer("Name", 100)
	default:
		if m := haven.NameError("Name", name); m != "" {
			f["name"] = m
		}
	}
	if !ValidChoice(Relationships, p.Relationship) {
		f["relationship"] = "Choose the person's relationship to the child"
	}
	switch {
	case utf8.RuneCountInString(p.MayBeTold) > 2000:
		f["mayBeTold"] = haven.CharactersOrFewer("What they may be told", 2000)
	default:
		if m := haven.TextError("What they may be told", p.MayBeTold); m != "" {
			f["mayBeTold"] = m
		}
	}
	if len(f) > 0 {
		return haven.Invalid(f)
	}
	return nil
}

// View is the child's view, in the child's own words, as a worker heard
// it on a day. Views are kept as said: added, never rewritten.
type View struct {
	ID         int64
	Child      int64
	SaidOn     haven.Date
	Words      string // the child's own words
	RecordedBy int64
	ByName     string // who recorded it, for showing
	At         time.Time
}

// MaxViewWords is the longest a child's recorded view may be, in characters.
const MaxViewWords = 5000

// Validate checks a view as entered.
func (v View) Validate(today haven.Date) error {
	f := map[string]string{}
	switch {
	case v.SaidOn.IsZero():
		f["saidOn"] = "Enter the date the child said this"
	case today.Before(v.SaidOn):
		f["saidOn"] = "Date must be today or in the past"
	}
	switch words := strings.TrimSpace(v.Words); {
	case words == "":
		f["words"] = "Enter what the child said, in their words"
	case utf8.RuneCountInString(words) > MaxViewWords:
		f["words"] = haven.CharactersOrFewer("What the child said", MaxViewWords)
	default:
		if m := haven.TextError("What the child said", words); m != "" {
			f["words"] = m
		}
	}
	if len(f) > 0 {
		return haven.Invalid(f)
	}
	return nil
}
