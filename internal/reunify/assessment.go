package reunify

import (
	"strings"
	"time"
	"unicode/utf8"

	"haven/internal/haven"
)

// The return-home assessment (issue 18 item 3) is written in sections: some
// for each parent, some for the child and family as a whole. Each section is
// marked complete or not, so a manager sees at a glance what is left.

// AssessmentSection is one part of the return-home assessment.
type AssessmentSection struct {
	Key       string
	Title     string
	Hint      string
	PerParent bool // written once for each parent
}

// AssessmentSections are the assessment's parts in the order the page shows
// them, after the framework's return-home assessment (DOMAIN.md §5.1).
var AssessmentSections = []AssessmentSection{
	{"strengths", "Strengths and protective factors", "What is going well, and what keeps the child safe", true},
	{"concerns", "Concerns and risk factors", "What worries you, and why", true},
	{"capacity", "Capacity to change", "What has changed, what could, and the evidence for it", true},
	{"substance", "Substance misuse", "Alcohol or drug use, past and present, and any treatment", true},
	{"domestic-abuse", "Domestic abuse", "Any abuse in the home or in relationships, and what has been done about it", true},
	{"mental-health", "Mental health", "The parent's mental health and any support or treatment", true},
	{"previous-returns", "Previous returns home", "Any earlier returns home, and why any broke down", false},
	{"family-network", "The family network", "Relatives and friends who could help, and what each could do", false},
	{"child-views", "The child’s views", "What the child has said about going home, in the child’s words", false},
}

// SectionByKey finds a section; ok is false for a key that is not one.
func SectionByKey(key string) (AssessmentSection, bool) {
	for _, s := range AssessmentSections {
		if s.Key == key {
			return s, true
		}
	}
	return AssessmentSection{}, false
}

// MaxSectionText is the longest a section's text may be.
const MaxSectionText = 20000

// AssessmentEntry is the current text of one section, for one parent (Person
// is the la_child_people id) or, for a whole-family section, Person 0. Each
// save is a new version; earlier versions are kept.
type AssessmentEntry struct {
	Case     int64
	Section  string
	Person   int64
	Text     string
	Complete bool
	Version  int64 // 0 before the first save
	By       int64
	ByName   string
	At       time.Time
}

// Validate checks an entry as written. A section marked complete must say
// something.
func (e AssessmentEntry) Validate() error {
	f := map[string]string{}
	s, ok := SectionByKey(e.Section)
	if !ok {
		return haven.ErrNotFound
	}
	switch {
	case utf8.RuneCountInString(e.Text) > MaxSectionText:
		f["text"] = haven.CharactersOrFewer(s.Title, MaxSectionText)
	case e.Complete && strings.TrimSpace(e.Text) == "":
		f["text"] = "Write " + strings.ToLower(s.Title[:1]) + s.Title[1:] + " before marking the section complete"
	}
	if s.PerParent && e.Person == 0 {
		f["person"] = "Choose the parent"
	}
	if !s.PerParent && e.Person != 0 {
		return haven.ErrNotFound
	}
	if len(f) > 0 {
		return haven.Invalid(f)
	}
	return nil
}

// Completeness is what is done of an assessment: for each section, for
// each parent where the section is per parent, whether it is complete.
type Completeness struct {
	Done, Total int
}

// Complete reports whether every section is complete.
func (c Completeness) Complete() bool { return c.Total > 0 && c.Done == c.Total }

// AssessmentCompleteness counts the sections complete, given the parents'
// ids and the current entries. A case with no parents recorded counts only
// its whole-family sections.
func AssessmentCompleteness(parents []int64, entries []AssessmentEntry) Completeness {
	done := map[[2]any]bool{}
	for _, e := range entries {
		if e.Complete {
			done[[2]any{e.Section, e.Person}] = true
		}
	}
	var c Completeness
	for _, s := range AssessmentSections {
		people := []int64{0}
		if s.PerParent {
			people = parents
		}
		for _, p := range people {
			c.Total++
			if done[[2]any{s.Key, p}] {
				c.Done++
			}
		}
	}
	return c
}
