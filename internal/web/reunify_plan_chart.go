package web

import (
	"strconv"
	"strings"

	"haven/internal/document"
	"haven/internal/reunify"
)

// ragChart is the red, amber and green progress chart: a row a goal and a
// column a review, drawn as SVG on the server. Every cell says its rating in
// words as well as colour, so the chart reads in black and white, and the
// table beside it holds the same data.
type ragChart struct {
	Width, Height float64
	Columns       []ragLabel // review dates, across the top
	Rows          []ragLabel // goal numbers, down the side
	Cells         []ragCell
	Desc          string // the chart in a sentence, for screen readers
}

type ragLabel struct {
	Text string
	X, Y float64
}

type ragCell struct {
	X, Y, W, H   float64
	TextX, TextY float64
	Fill, Ink    string
	Label        string
}

const (
	ragLabelW, ragHeadH = 84.0, 36.0
	ragCellW, ragCellH  = 104.0, 36.0
	ragGap              = 4.0
)

// ragColours are GOV.UK's red, orange and green, with the ink that reads on
// each at 4.5:1 or better.
var ragColours = map[reunify.Rating][2]string{
	reunify.Red:   {"#d4351c", "#ffffff"},
	reunify.Amber: {"#f47738", "#0b0c0c"},
	reunify.Green: {"#00703c", "#ffffff"},
	"":            {"#f3f2f1", "#0b0c0c"},
}

// newRAGChart lays out the progress; nil when there is no review to show.
func newRAGChart(p reunify.Progress) *ragChart {
	if len(p.Reviews) == 0 || len(p.Rows) == 0 {
		return nil
	}
	c := &ragChart{Width: ragLabelW + float64(len(p.Reviews))*(ragCellW+ragGap), Height: ragHeadH + float64(len(p.Rows))*(ragCellH+ragGap)}
	for j, r := range p.Reviews {
		c.Columns = append(c.Columns, ragLabel{Text: r.HeldOn.Time().Format("2 Jan 2006"), X: ragLabelW + float64(j)*(ragCellW+ragGap) + ragCellW/2, Y: ragHeadH - 12})
	}
	for i, row := range p.Rows {
		y := ragHeadH + float64(i)*(ragCellH+ragGap)
		c.Rows = append(c.Rows, ragLabel{Text: "Goal " + strconv.Itoa(i+1), X: 0, Y: y + ragCellH/2 + 5})
		for j, rating := range row.Cells {
			x := ragLabelW + float64(j)*(ragCellW+ragGap)
			col := ragColours[rating]
			label := rating.Title()
			if rating == "" {
				label = "Not rated"
			}
			c.Cells = append(c.Cells, ragCell{X: x, Y: y, W: ragCellW, H: ragCellH, TextX: x + ragCellW/2, TextY: y + ragCellH/2 + 5, Fill: col[0], Ink: col[1], Label: label})
		}
	}
	var latest []string
	for i, row := range p.Rows {
		latest = append(latest, "goal "+strconv.Itoa(i+1)+" "+strings.ToLower(row.Cells[len(row.Cells)-1].Title()))
	}
	c.Desc = strconv.Itoa(len(p.Rows)) + " goals across " + strconv.Itoa(len(p.Reviews)) + " reviews. At the latest review: " + strings.Join(latest, ", ") + "."
	return c
}

// reunifyPlanPDF lays out the printed agreement as a PDF, in the same plain
// words, in the embedded Unicode font so every name prints as written.
func reunifyPlanPDF(p *reunifyPlanPage, mark laPrintMark) ([]byte, error) {
	child := p.R.Child.FirstName
	d := document.NewPDF(document.Meta{
		Title:   "Our plan for " + child + " to come home",
		Subject: "The reunification plan and parental agreement",
		Author:  mark.Team,
		Lang:    "en-GB",
		Created: mark.At,
		Foot:    mark.Lines(),
	})
	d.Title("Our plan for " + child + " to come home")
	d.Para("This is the plan we have agreed with you, so that "+child+" can come home safely. It says what we expect, what each of you will do, the help you will get, and how we will check how things are going.", 6)
	if !p.Plan.AgreedOn.IsZero() {
		d.Para("We agreed this plan on "+p.Plan.AgreedOn.Long()+".", 6)
	}
	if len(p.Plan.ReviewDates) > 0 {
		var ds []string
		for _, r := range p.Plan.ReviewDates {
			ds = append(ds, r.Long())
		}
		d.Para("We will meet to review it on "+strings.Join(ds, ", ")+".", 6)
	}
	if p.Plan.Expectations != "" {
		d.Heading("What we expect")
		d.Para(p.Plan.Expectations, 6)
	}
	for _, parent := range p.R.Parents {
		goals := p.GoalsFor(parent.ID)
		if len(goals) == 0 {
			continue
		}
		d.Heading("What " + parent.Name + " will do")
		for _, g := range goals {
			d.Para("Goal "+strconv.Itoa(p.GoalNumber(g.ID))+": "+g.Words, 8)
			for _, step := range g.StepList() {
				d.Para("• "+step, 2)
			}
			d.Para("By when: "+g.Timeframe, 4)
			d.Para("The help you will get: "+g.Support, 4)
		}
	}
	if len(p.Progress.Reviews) > 0 {
		d.Heading("How it is going")
		d.Para("At each review we say how each goal is going: Green means on track, Amber means some progress but more is needed, Red means it is not happening yet.", 6)
		for j, r := range p.Progress.Reviews {
			d.Para("Review on "+r.HeldOn.Long()+":", 8)
			for _, row := range p.Progress.Rows {
				rating := row.Cells[j]
				d.Para("Goal "+strconv.Itoa(p.GoalNumber(row.Goal.ID))+", "+row.Goal.Words+": "+rating.Title()+" ("+rating.Meaning()+")", 2)
			}
			if r.Note != "" {
				d.Para("What was said: "+r.Note, 4)
			}
		}
	}
	if len(p.Comments) > 0 {
		d.Heading("What you told us")
		for _, c := range p.Comments {
			d.Para(p.R.ParentName(c.Person)+" said on "+c.SaidOn.Long()+": “"+c.Words+"”", 6)
		}
	}
	return d.Bytes()
}
