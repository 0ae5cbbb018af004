package reunify

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"haven/internal/haven"
)

// The parental agreement and reunification plan (issue 18 item 4): goals
// for each parent, each with its steps, timeframe and the support offered;
// what is expected; when it was agreed and when it will be reviewed; and at
// each review, a red, amber or green rating for every goal.

// Plan is a case's agreement: what is expected of everyone, and its dates.
type Plan struct {
	Case         int64
	Expectations string
	AgreedOn     haven.Date   // zero until agreed
	ReviewDates  []haven.Date // planned reviews, soonest first
	Version      int64        // 0 before the first save
}

// MaxPlanText is the longest any of the plan's texts may be.
const MaxPlanText = 10000

// MaxReviewDates is how many planned review dates the form offers.
const MaxReviewDates = 3

// Validate checks the plan as written.
func (p Plan) Validate(today haven.Date) error {
	f := map[string]string{}
	if strings.TrimSpace(p.Expectations) == "" {
		f["expectations"] = "Enter what is expected"
	} else if utf8.RuneCountInString(p.Expectations) > MaxPlanText {
		f["expectations"] = haven.CharactersOrFewer("What is expected", MaxPlanText)
	}
	if !p.AgreedOn.IsZero() && today.Before(p.AgreedOn) {
		f["agreedOn"] = "Date agreed must be today or in the past"
	}
	if len(p.ReviewDates) > MaxReviewDates {
		f["review1"] = "Enter no more than 3 review dates"
	}
	for i, d := range p.ReviewDates {
		if !p.AgreedOn.IsZero() && d.Before(p.AgreedOn) {
			f["review"+strconv.Itoa(i+1)] = "Review date " + strconv.Itoa(i+1) + " must be the same as or after the date agreed"
		}
	}
	if len(f) > 0 {
		return haven.Invalid(f)
	}
	return nil
}

// Goal is one thing a parent will work towards, in words a parent can read.
type Goal struct {
	ID        int64
	Case      int64
	Person    int64 // the parent
	Words     string
	Steps     string // one step a line
	Timeframe string // by when, in words: "by the end of March", "within 6 weeks"
	Support   string // the help offered
	Version   int64
}

// StepList is the goal's steps, one a line, without blank lines.
func (g Goal) StepList() []string {
	var out []string
	for l := range strings.SplitSeq(g.Steps, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// Validate checks a goal as written.
func (g Goal) Validate() error {
	f := map[string]string{}
	if g.Person == 0 {
		f["person"] = "Choose the parent"
	}
	for _, t := range []struct {
		key, label, empty string
		text              string
		max               int
	}{
		{"words", "The goal", "Enter the goal", g.Words, 2000},
		{"steps", "Steps", "Enter the steps towards the goal", g.Steps, 5000},
		{"timeframe", "Timeframe", "Enter the timeframe", g.Timeframe, 200},
		{"support", "Support offered", "Enter the support offered", g.Support, 5000},
	} {
		switch {
		case strings.TrimSpace(t.text) == "":
			f[t.key] = t.empty
		case utf8.RuneCountInString(t.text) > t.max:
			f[t.key] = haven.CharactersOrFewer(t.label, t.max)
		}
	}
	if len(f) > 0 {
		return haven.Invalid(f)
	}
	return nil
}

// Rating is a review's red, amber or green judgement of a goal.
type Rating string

// The ratings, worst first.
const (
	Red   Rating = "red"
	Amber Rating = "amber"
	Green Rating = "green"
)

// Ratings are every rating, worst first.
var Ratings = []Rating{Red, Amber, Green}

// ParseRating reads a rating as a form sends it.
func ParseRating(s string) (Rating, bool) {
	switch r := Rating(s); r {
	case Red, Amber, Green:
		return r, true
	}
	return "", false
}

// Title is the rating's name: the chart and the table say it in words, so
// that colour is never the only sign.
func (r Rating) Title() string {
	switch r {
	case Red:
		return "Red"
	case Amber:
		return "Amber"
	case Green:
		return "Green"
	}
	return "Not rated"
}

// Meaning is the rating in plain English, for the parent's copy.
func (r Rating) Meaning() string {
	switch r {
	case Red:
		return "not happening yet"
	case Amber:
		return "some progress, more needed"
	case Green:
		return "on track"
	}
	return "not rated at this review"
}

// Review is one review of the plan: its date, what was said, and a rating
// for every goal.
type Review struct {
	ID      int64
	Case    int64
	HeldOn  haven.Date
	Note    string
	Ratings map[int64]Rating // by goal id
	By      int64
}

// Validate checks a review against the plan's goals: every goal is rated.
func (r Review) Validate(goals []Goal, today haven.Date) error {
	f := map[string]string{}
	switch {
	case r.HeldOn.IsZero():
		f["heldOn"] = "Enter the date of the review"
	case today.Before(r.HeldOn):
		f["heldOn"] = "Date of the review must be today or in the past"
	}
	if utf8.RuneCountInString(r.Note) > MaxPlanText {
		f["note"] = haven.CharactersOrFewer("What was said", MaxPlanText)
	}
	if len(goals) == 0 {
		f["heldOn"] = "Add the plan's goals before reviewing it"
	}
	for _, g := range goals {
		if _, ok := r.Ratings[g.ID]; !ok {
			f["rating-"+strconv.FormatInt(g.ID, 10)] = "Choose red, amber or green for “" + planShorten(g.Words, 60) + "”"
		}
	}
	for id := range r.Ratings {
		if !planHasGoal(goals, id) {
			return haven.ErrNotFound
		}
	}
	if len(f) > 0 {
		return haven.Invalid(f)
	}
	return nil
}

func planHasGoal(goals []Goal, id int64) bool {
	for _, g := range goals {
		if g.ID == id {
			return true
		}
	}
	return false
}

// Comment is a parent's own words about the plan, recorded as said.
type Comment struct {
	ID     int64
	Case   int64
	Person int64
	SaidOn haven.Date
	Words  string
	By     int64
}

// Validate checks a comment as written.
func (c Comment) Validate(today haven.Date) error {
	f := map[string]string{}
	if c.Person == 0 {
		f["person"] = "Choose the parent"
	}
	switch {
	case c.SaidOn.IsZero():
		f["saidOn"] = "Enter the date the parent said this"
	case today.Before(c.SaidOn):
		f["saidOn"] = "Date said must be today or in the past"
	}
	switch {
	case strings.TrimSpace(c.Words) == "":
		f["words"] = "Enter what the parent said"
	case utf8.RuneCountInString(c.Words) > MaxPlanText:
		f["words"] = haven.CharactersOrFewer("What the parent said", MaxPlanText)
	}
	if len(f) > 0 {
		return haven.Invalid(f)
	}
	return nil
}

// Progress is the ratings across reviews, for the chart and its table: one
// row a goal, one column a review, oldest first.
type Progress struct {
	Reviews []Review
	Rows    []ProgressRow
}

// ProgressRow is one goal's ratings, a cell for each review ("" where the
// goal was added after that review).
type ProgressRow struct {
	Goal  Goal
	Cells []Rating
}

// ProgressOf lays out the goals' ratings across reviews, oldest review
// first.
func ProgressOf(goals []Goal, reviews []Review) Progress {
	rs := append([]Review(nil), reviews...)
	for i := 1; i < len(rs); i++ { // few reviews: an insertion sort keeps ties in order
		for j := i; j > 0 && rs[j].HeldOn.Before(rs[j-1].HeldOn); j-- {
			rs[j], rs[j-1] = rs[j-1], rs[j]
		}
	}
	p := Progress{Reviews: rs}
	for _, g := range goals {
		row := ProgressRow{Goal: g, Cells: make([]Rating, len(rs))}
		for i, r := range rs {
			row.Cells[i] = r.Ratings[g.ID]
		}
		p.Rows = append(p.Rows, row)
	}
	return p
}

func planShorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
