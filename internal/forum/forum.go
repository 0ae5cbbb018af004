// Package forum holds the practitioners' forum: topics and replies, their
// checks, and the warning Haven gives before a post that seems to name a
// client is sent. Posts are plain text: no markup, and never a link to a
// record.
package forum

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"haven/internal/haven"
)

// Limits on what a post may hold, in characters.
const (
	MaxTitle = 150
	MaxBody  = 10000
	MinName  = 3 // shorter names ("Jo") are too often ordinary words to warn on
)

// Status is where a post stands with the moderators.
type Status string

const (
	StatusPublished Status = "published"
	StatusRemoved   Status = "removed" // by a moderator: gone from pages, feeds and search
)

// Post is a topic's opening post or a reply to it. A topic is its opening
// post with a title.
type Post struct {
	ID, TopicID int64
	Title       string // the topic's, on its opening post only
	Body        string
	AuthorID    int64
	Author      string // the writer's name and organisation, as shown
	Created     time.Time
	Status      Status
	RemovedWhy  string
}

// Check says what is wrong with a post, field by field. A title is needed
// when it opens a topic.
func (p Post) Check(opening bool) error {
	f := map[string]string{}
	check := func(field, label, v string, max int) {
		switch {
		case strings.TrimSpace(v) == "":
			f[field] = "Enter " + strings.ToLower(label)
		case len([]rune(v)) > max:
			f[field] = fmt.Sprintf("%s must be %d characters or fewer", label, max)
		case haven.TextError(label, v) != "":
			f[field] = haven.TextError(label, v)
		case markup.MatchString(v):
			f[field] = label + " must be plain text: remove anything between < and >"
		case recordLink.MatchString(v):
			f[field] = label + " must not link to a record in Haven or give a referral reference: describe the situation instead"
		}
	}
	if opening {
		check("title", "A title", p.Title, MaxTitle)
	}
	check("body", "Your post", p.Body, MaxBody)
	if len(f) > 0 {
		return haven.Invalid(f)
	}
	return nil
}

var (
	markup = regexp.MustCompile(`<\s*[a-zA-Z!/?]`)
	// A path into someone's record, or a referral reference.
	recordLink = regexp.MustCompile(`(?i)/(people|triage|referrals|la/children)/[a-z0-9-]+|\bHVN-[A-Z2-7]{4}-[A-Z2-7]{4}\b`)
	postcode   = regexp.MustCompile(`(?i)\b([A-Z]{1,2}[0-9][0-9A-Z]?)\s*([0-9][A-Z]{2})\b`)
	// Whole dates: 3/4/1990, 03-04-90, 1990-04-03, 3 April 1990, April 3rd 1990.
	numericDate = regexp.MustCompile(`\b(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})\b`)
	isoDate     = regexp.MustCompile(`\b(\d{4})-(\d{2})-(\d{2})\b`)
	wordDate    = regexp.MustCompile(`(?i)\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?,?\s+(\d{4})\b|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b`)
	dobWords    = regexp.MustCompile(`(?i)\b(d\.?o\.?b\.?|date of birth|born on)\b`)
)

// Warning is one thing in a post that may identify a client.
type Warning struct {
	Kind string // "name", "date", "postcode"
	Text string // what was found, as written
}

// Message is the warning as the writer reads it.
func (w Warning) Message() string {
	switch w.Kind {
	case "name":
		return fmt.Sprintf("“%s” is the name of someone you work with", w.Text)
	case "date":
		return fmt.Sprintf("“%s” looks like a date of birth", w.Text)
	case "postcode":
		return fmt.Sprintf("“%s” is a full postcode", w.Text)
	}
	return w.Text
}

// Caseload is the names of the people a writer works with, as Haven holds
// them, for the check before a post is sent. It never leaves the server.
type Caseload struct {
	Names []string // each a first or last name
}

// Warnings lists what in text may identify a client: a name from the
// writer's own caseload written as a name (with a capital letter), a date
// that could be a date of birth (a whole date at least ten years before
// now, or any date beside "date of birth"), and a full postcode. An
// ordinary sentence gets none. Each is listed once, in the order found.
func Warnings(text string, c Caseload, now time.Time) []Warning {
	type found struct {
		at int
		w  Warning
	}
	var out []found
	seen := map[Warning]bool{}
	add := func(at int, kind, s string) {
		w := Warning{kind, s}
		if !seen[w] {
			seen[w] = true
			out = append(out, found{at, w})
		}
	}
	names := map[string]bool{}
	for _, n := range c.Names {
		for _, part := range strings.FieldsFunc(n, notNameRune) {
			if len([]rune(part)) >= MinName {
				names[strings.ToLower(part)] = true
			}
		}
	}
	for _, w := range words(text) {
		if names[strings.ToLower(w.s)] && startsUpper(w.s) {
			add(w.at, "name", w.s)
		}
	}
	for _, m := range postcode.FindAllStringIndex(text, -1) {
		add(m[0], "postcode", strings.ToUpper(text[m[0]:m[1]]))
	}
	dob := dobWords.MatchString(text)
	cutoff := now.Year() - 10
	for _, re := range []*regexp.Regexp{numericDate, isoDate, wordDate} {
		for _, m := range re.FindAllStringSubmatchIndex(text, -1) {
			s := text[m[0]:m[1]]
			if y, ok := yearOf(s, now); ok && (dob || (y >= 1900 && y <= cutoff)) {
				add(m[0], "date", s)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].at < out[j].at })
	ws := make([]Warning, len(out))
	for i, f := range out {
		ws[i] = f.w
	}
	return ws
}

// yearOf finds the four-digit year in a date as written, or reads a
// two-digit one as the most recent such year up to now.
func yearOf(s string, now time.Time) (int, bool) {
	fields := strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsDigit(r) })
	for _, f := range fields {
		if len(f) == 4 {
			y, err := strconv.Atoi(f)
			return y, err == nil
		}
	}
	if len(fields) == 3 && len(fields[2]) == 2 {
		y, err := strconv.Atoi(fields[2])
		if y > now.Year()%100 {
			return 1900 + y, err == nil
		}
		return 2000 + y, err == nil
	}
	return 0, false
}

type word struct {
	at int
	s  string
}

// words splits text into runs of letters (with apostrophes and hyphens
// inside names), keeping where each starts.
func words(text string) []word {
	var out []word
	start := -1
	for i, r := range text {
		if !notNameRune(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			out = append(out, word{start, text[start:i]})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, word{start, text[start:]})
	}
	return out
}

func notNameRune(r rune) bool { return !unicode.IsLetter(r) && r != '\'' && r != '’' }

func startsUpper(s string) bool {
	for _, r := range s {
		return unicode.IsUpper(r)
	}
	return false
}
