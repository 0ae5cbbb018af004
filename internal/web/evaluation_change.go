package web

import (
	"net/http"
	"slices"
	"strconv"

	"haven/internal/evaluate"
	"haven/internal/haven"
)

// changePage is the pre–post change in every scored measure (issue 17
// item 5): each woman's baseline against her exit score (or her latest
// later one), per Practice and every Practice together, from one table
// suppressed as a whole.
type changePage struct {
	Layout
	Form       evalForm
	AsOf       haven.Date
	Intro      string
	Empty      string
	Measures   []evaluate.ChangeMeasure
	Rows       []evaluate.ChangeRow // each Practice shown, then every Practice together
	EffectName string
	Threshold  int
	APIPath    string
}

// changeNorms says which national norms Haven's sources publish: none.
const changeNorms = "None are published in Haven's sources. The 2020 evaluation of Pause reports women's life satisfaction and wellbeing rising " +
	"from the bottom 5% of the UK population towards population norms, without the figures (Department for Education, University of Sussex, 2020)."

// thresholdSetting says where the meaningful change comes from.
const thresholdSetting = "The threshold is each instrument's published value unless this deployment's administrator has set another " +
	"(meaningfulChangeSet); the published value and its source are given beside it."

// Norms is changeNorms, for the template.
func (p *changePage) Norms() string { return changeNorms }

// Setting is thresholdSetting, for the template.
func (p *changePage) Setting() string { return thresholdSetting }

// changeReport builds the change report for the filter and the rows the actor may see.
func (s *Server) changeReport(r *http.Request, f evalFilter, set evalSettings) (rows []evaluate.ChangeRow, national bool, err error) {
	all, keys, national, err := s.evalScope(r, f)
	if err != nil || len(keys) == 0 {
		return nil, national, err
	}
	groups, err := s.evalWomen(r, all, f)
	if err != nil {
		return nil, national, err
	}
	ids := make([]int64, len(all))
	for i, p := range all {
		ids[i] = p.ID
	}
	readings, err := s.store.MeasureReadings(r.Context(), ids)
	if err != nil {
		return nil, national, err
	}
	byPerson := map[int64][]evaluate.Reading{}
	for _, rd := range readings {
		byPerson[rd.Person] = append(byPerson[rd.Person], rd)
	}
	cgs := make([]evaluate.ChangeGroup, len(groups))
	for i, g := range groups {
		cgs[i] = evaluate.ChangeGroup{Key: g.Key, Name: g.Name}
		for _, j := range g.Journeys {
			if rs := byPerson[j.Person]; len(rs) > 0 {
				cgs[i].Women = append(cgs[i].Women, rs)
			}
		}
	}
	rep := evaluate.BuildChanges(cgs, set.Measures, set.Report)
	for _, row := range rep.Rows {
		if row.Key == evaluate.PooledKey || slices.Contains(keys, row.Key) {
			rows = append(rows, row)
		}
	}
	return rows, national, nil
}

func (s *Server) evaluationChange(w http.ResponseWriter, r *http.Request) error {
	page := &changePage{Layout: Layout{Title: "Change in measures", Nav: "reports"}, AsOf: s.today(),
		EffectName: evaluate.EffectSizeName, APIPath: "/api/v1/evaluation/change"}
	f, ok, err := s.evalPageFilter(w, r, &page.Layout, &page.Form, page, "evaluation-change.html")
	if !ok {
		return err
	}
	set, err := s.evalSettings(r)
	if err != nil {
		return err
	}
	page.Threshold, page.Measures = set.Least(), set.Measures
	rows, national, err := s.changeReport(r, f, set)
	if err != nil {
		return err
	}
	if len(rows) == 0 {
		page.Empty = "There are no Practices to report on for your role."
		return s.render(w, r, http.StatusOK, "evaluation-change.html", page)
	}
	page.Rows = rows
	if national {
		page.Intro = "Every Practice, side by side, and every Practice together."
	} else {
		page.Intro = "Your Practice, and every Practice together for comparison."
	}
	if q := f.Query().Encode(); q != "" {
		page.APIPath += "?" + q
	}
	return s.render(w, r, http.StatusOK, "evaluation-change.html", page)
}

// The API's change report: the same figures as the page, hidden the same way.
type apiPrePost struct {
	AsOf             string          `json:"asOf"`
	Filters          apiFilters      `json:"filters"`
	Method           string          `json:"method"`
	EffectSize       string          `json:"effectSize"`
	Threshold        int             `json:"threshold"`
	NationalNorms    string          `json:"nationalNorms"`
	ThresholdSetting string          `json:"thresholdSetting"`
	Measures         []apiMeasureDef `json:"measures"`
	Rows             []apiPrePostRow `json:"rows"`
}

type apiMeasureDef struct {
	Key              string  `json:"key"`
	Name             string  `json:"name"`
	ImprovementIs    string  `json:"improvementIs"`    // "higher" or "lower"
	MeaningfulChange *string `json:"meaningfulChange"` // in use
	// Published is the published value (null where none); Set says the value
	// in use is this deployment's setting, not the published one.
	Published *string `json:"publishedMeaningfulChange"`
	Set       bool    `json:"meaningfulChangeSet"`
	Source    string  `json:"source,omitempty"`
	Note      string  `json:"note,omitempty"`
}

type apiPrePostRow struct {
	Practice string             `json:"practice"` // a Practice's id, or "all"
	Name     string             `json:"name"`
	Measures []apiPrePostFigure `json:"measures"`
}

// apiPrePostFigure is one measure's change. The statistics are null where
// not shown (a hidden count, or fewer than the threshold paired), and
// improved is null with its reason where hidden, or where the measure has
// no published meaningful change.
type apiPrePostFigure struct {
	Measure       string    `json:"measure"`
	N             apiCount  `json:"n"`
	MeanChange    *string   `json:"meanChange"`
	CI95          *apiRange `json:"ci95"`
	EffectSize    *string   `json:"effectSize"`
	Improved      *apiCount `json:"improved"`
	ImprovedShare *string   `json:"improvedShare"`
	Note          string    `json:"note,omitempty"`
}

const changeMethod = "Each woman's first baseline score paired with her latest exit score after it or, with none, her latest later score; " +
	"change is later minus baseline; 95% interval from Student's t with n − 1 degrees of freedom. " +
	"Counts from 1 to 4, and any count that would give one away, are null with the reason; no statistic is given over fewer than 5."

func toAPIPrePost(f evaluate.ChangeFigures) apiPrePostFigure {
	out := apiPrePostFigure{Measure: f.Measure.Key, N: toAPICount(f.N), Note: changeNote(f)}
	if f.HasThreshold() {
		c := toAPICount(f.Improved)
		out.Improved = &c
	}
	if !f.StatsShown() {
		return out
	}
	out.MeanChange = new(f.Change.MeanText())
	if f.Change.CI.Defined {
		out.CI95 = &apiRange{Lo: round4(f.Change.CI.Lo), Hi: round4(f.Change.CI.Hi)}
	}
	if f.Change.EffectSizeDefined {
		out.EffectSize = new(evaluate.Round2(f.Change.EffectSize))
	}
	if s := f.ImprovedShare(); s != "" {
		out.ImprovedShare = &s
	}
	return out
}

// changeNote says why a figure's statistics are missing, if they are.
func changeNote(f evaluate.ChangeFigures) string {
	switch {
	case !f.N.Shown():
		return f.N.Text()
	case f.N.Value == 0:
		return "No woman has both scores."
	case !f.StatsShown():
		return "Not shown over fewer than " + strconv.Itoa(f.N.Least()) + " women."
	}
	return f.Change.Note
}

// apiEvaluationChange is GET /api/v1/evaluation/change.
func (s *Server) apiEvaluationChange(w http.ResponseWriter, r *http.Request) error {
	f, errs := parseEvalFilter(r.URL.Query(), s.today())
	if len(errs) > 0 {
		s.apiFilterError(w, r, errs)
		return nil
	}
	set, err := s.evalSettings(r)
	if err != nil {
		return err
	}
	rows, _, err := s.changeReport(r, f, set)
	if err != nil {
		return err
	}
	out := apiPrePost{AsOf: s.today().String(), Filters: toAPIFilters(f), Method: suppressionWords(changeMethod, set.Least()), EffectSize: evaluate.EffectSizeName,
		Threshold: set.Least(), NationalNorms: changeNorms, ThresholdSetting: thresholdSetting, Rows: []apiPrePostRow{}}
	for _, m := range set.Measures {
		d := apiMeasureDef{Key: m.Key, Name: m.Name, ImprovementIs: "lower", Source: m.Source, Note: m.Check}
		if m.Direction == evaluate.HigherIsBetter {
			d.ImprovementIs = "higher"
		}
		if m.Threshold > 0 {
			d.MeaningfulChange = new(m.ThresholdText())
		}
		if m.Published > 0 {
			d.Published = new(m.PublishedText())
		}
		d.Set = m.Set()
		out.Measures = append(out.Measures, d)
	}
	for _, row := range rows {
		ar := apiPrePostRow{Practice: row.Key, Name: row.Name}
		for _, fig := range row.Measures {
			ar.Measures = append(ar.Measures, toAPIPrePost(fig))
		}
		out.Rows = append(out.Rows, ar)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// Note is changeNote, for the template.
func (p *changePage) Note(f evaluate.ChangeFigures) string { return changeNote(f) }

// Improvement says which way a measure improves, for the template.
func (p *changePage) Improvement(m evaluate.ChangeMeasure) string {
	if m.Direction == evaluate.HigherIsBetter {
		return "a rise"
	}
	return "a fall"
}

// Round2 writes a statistic to 2 decimal places, for the template.
func (p *changePage) Round2(x float64) string { return evaluate.Round2(x) }

// Largest is the largest count not shown, for the page's wording.
func (p *changePage) Largest() int { return evaluate.ClampThreshold(p.Threshold) - 1 }
