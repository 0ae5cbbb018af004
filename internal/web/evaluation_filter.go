package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"haven/internal/access"
	"haven/internal/evaluate"
	"haven/internal/haven"
	"haven/internal/store"
)

// evalFilter is which women an evaluation report counts (the recurrence and
// change pages and their API): those whose engagement began in the cohort
// year and in [From, To], shown for one Practice or every one the actor may
// see. Zero values mean "any".
type evalFilter struct {
	Practice int64 // a Practice's id; 0 for every one the actor may see
	Cohort   int   // the calendar year engagement began
	From, To haven.Date
}

// Query writes the filter back as the API's query, for links.
func (f evalFilter) Query() url.Values {
	q := url.Values{}
	if f.Practice != 0 {
		q.Set("practice", strconv.FormatInt(f.Practice, 10))
	}
	if f.Cohort != 0 {
		q.Set("cohort", strconv.Itoa(f.Cohort))
	}
	if !f.From.IsZero() {
		q.Set("from", f.From.String())
	}
	if !f.To.IsZero() {
		q.Set("to", f.To.String())
	}
	return q
}

// keeps reports whether an enrolment is in the filter's period. One whose
// engagement never began is in no cohort and no period.
func (f evalFilter) keeps(j evaluate.Journey) bool {
	on := j.EngagedOn
	switch {
	case on.IsZero():
		return false
	case f.Cohort != 0 && on.Time().Year() != f.Cohort:
		return false
	case !f.From.IsZero() && on.Before(f.From):
		return false
	case !f.To.IsZero() && f.To.Before(on):
		return false
	}
	return true
}

// firstCohort is the earliest cohort year accepted: Haven holds no earlier programme.
const firstCohort = 2000

// single is a query parameter given at most once; twice is an error.
func single(q url.Values, name string, errs map[string]string) string {
	vs := q[name]
	if len(vs) > 1 {
		errs[name] = name + " must be given once"
		return ""
	}
	if len(vs) == 0 {
		return ""
	}
	return strings.TrimSpace(vs[0])
}

// parsePracticeCohort reads the practice and cohort parameters, shared by
// the pages and the API.
func parsePracticeCohort(q url.Values, today haven.Date, f *evalFilter, errs map[string]string) {
	if v := single(q, "practice", errs); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id < 1 || strconv.FormatInt(id, 10) != v {
			errs["practice"] = "practice must be a Practice's number, like 12"
		} else {
			f.Practice = id
		}
	}
	if v := single(q, "cohort", errs); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil || len(v) != 4 || y < firstCohort || y > today.Time().Year() {
			errs["cohort"] = "cohort must be a year from " + strconv.Itoa(firstCohort) + " to " + strconv.Itoa(today.Time().Year()) + ", like 2023"
		} else {
			f.Cohort = y
		}
	}
}

// parseEvalFilter reads the API's filters: practice (a Practice's id),
// cohort (a year), from and to (YYYY-MM-DD). Every problem is named by its
// parameter in errs; the filter holds only what was read cleanly.
func parseEvalFilter(q url.Values, today haven.Date) (evalFilter, map[string]string) {
	var f evalFilter
	errs := map[string]string{}
	parsePracticeCohort(q, today, &f, errs)
	for _, name := range []string{"from", "to"} {
		v := single(q, name, errs)
		if v == "" {
			continue
		}
		d, err := haven.ParseDate(v)
		if err != nil {
			errs[name] = name + " must be a real date written YYYY-MM-DD, like 2024-01-31"
			continue
		}
		if name == "from" {
			f.From = d
		} else {
			f.To = d
		}
	}
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		errs["to"] = "to must be on or after from"
		f.To = haven.Date{}
	}
	return f, errs
}

// evalForm is the filter form on the pages.
type evalForm struct {
	Practices []access.Practice // the actor's choices
	Practice  int64
	Cohort    formField
	From, To  dateField
}

// parseEvalPage reads the page's filters: the same practice and cohort,
// and the period as GOV.UK date inputs. errs is keyed by the field's name.
func parseEvalPage(q url.Values, today haven.Date) (evalFilter, map[string]string, evalForm) {
	var f evalFilter
	errs := map[string]string{}
	parsePracticeCohort(q, today, &f, errs)
	if e, ok := errs["practice"]; ok {
		errs["practice"] = strings.Replace(e, "practice must", "The Practice must", 1)
	}
	if e, ok := errs["cohort"]; ok {
		errs["cohort"] = strings.Replace(e, "cohort must", "The cohort must", 1)
	}
	from := dateIn(q, "from", "The start of the period", errs)
	to := dateIn(q, "to", "The end of the period", errs)
	if errs["from"] == "" {
		f.From = from
	}
	if errs["to"] == "" {
		f.To = to
	}
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		errs["to"] = "The end of the period must be on or after the start"
		f.To = haven.Date{}
	}
	form := evalForm{Practice: f.Practice}
	form.Cohort = formField{Name: "cohort", Label: "Cohort (optional)", Hint: "The year engagement began, for example 2023", Value: q.Get("cohort"),
		Error: errs["cohort"], Type: "text", Width: "govuk-input--width-4"}
	fd, fm, fy := q.Get("from-day"), q.Get("from-month"), q.Get("from-year")
	td, tm, ty := q.Get("to-day"), q.Get("to-month"), q.Get("to-year")
	form.From = dateField{Name: "from", Label: "Engagement began on or after (optional)", Hint: "For example, 1 1 2022", Day: fd, Month: fm, Year: fy, Error: errs["from"]}
	form.To = dateField{Name: "to", Label: "Engagement began on or before (optional)", Hint: "For example, 31 12 2026", Day: td, Month: tm, Year: ty, Error: errs["to"]}
	return f, errs, form
}

// evalScope is the Practices a report is built over (every one, so the
// table is the same whoever reads it) and the keys of those the actor may
// see, narrowed to the filter's Practice. A Practice she may not see, or
// that does not exist, is not found.
func (s *Server) evalScope(r *http.Request, f evalFilter) (all []access.Practice, keys []string, national bool, err error) {
	all, err = s.store.ListPractices(r.Context(), store.Page{Limit: 500})
	if err != nil {
		return nil, nil, false, err
	}
	keys, national = evaluationScope(infoFrom(r.Context()).actor, all)
	if f.Practice != 0 {
		k := strconv.FormatInt(f.Practice, 10)
		if !slices.Contains(keys, k) {
			return nil, nil, false, haven.ErrNotFound
		}
		keys = []string{k}
	}
	return all, keys, national, nil
}

// visiblePractices are the Practices of keys, for the form's choices.
func visiblePractices(all []access.Practice, keys []string) []access.Practice {
	var out []access.Practice
	for _, p := range all {
		if slices.Contains(keys, strconv.FormatInt(p.ID, 10)) {
			out = append(out, p)
		}
	}
	return out
}

// evalWomen reads every Practice's enrolments, keeps those in the filter's
// period, one per woman (where she first engaged), and groups them by Practice.
func (s *Server) evalWomen(r *http.Request, all []access.Practice, f evalFilter) ([]evaluate.OutcomeGroup, error) {
	ids, names := practiceIDs(all)
	js, err := s.store.Journeys(r.Context(), ids)
	if err != nil {
		return nil, err
	}
	var kept []evaluate.Journey
	for _, j := range js {
		if f.keeps(j) {
			kept = append(kept, j)
		}
	}
	return evaluate.GroupByPractice(evaluate.OnePerWoman(kept), ids, names), nil
}

// apiCount is a count as the API gives it: the number, or null and why not.
type apiCount struct {
	Value  *int   `json:"value"`
	Reason string `json:"reason,omitempty"`
}

func toAPICount(f evaluate.Figure) apiCount {
	if !f.Shown() {
		return apiCount{Reason: f.Text()}
	}
	return apiCount{Value: new(f.Value)}
}

// apiFilterError answers bad filters with 400, naming each parameter.
func (s *Server) apiFilterError(w http.ResponseWriter, r *http.Request, errs map[string]string) {
	names := make([]string, 0, len(errs))
	for k := range errs {
		names = append(names, k)
	}
	slices.Sort(names)
	msgs := make([]string, len(names))
	for i, k := range names {
		msgs[i] = errs[k]
	}
	s.writeAPIError(w, r, http.StatusBadRequest, "Check the filters: "+strings.Join(msgs, "; ")+".", haven.Invalid(errs))
}

// evalPageFilter reads a report page's filter into its form. A filter that
// cannot be read renders the page again with its errors (422), and ok is
// false: no figures for a filter that was not understood.
func (s *Server) evalPageFilter(w http.ResponseWriter, r *http.Request, l *Layout, form *evalForm, p page, tmpl string) (f evalFilter, ok bool, err error) {
	f, errs, fm := parseEvalPage(r.URL.Query(), s.today())
	*form = fm
	l.Errors = fieldErrors(errs, "practice", "cohort", "from", "to")
	if len(errs) > 0 {
		if errs["practice"] == "" {
			form.Practices, _ = s.filterChoices(r)
		}
		return f, false, s.render(w, r, http.StatusUnprocessableEntity, tmpl, p)
	}
	if form.Practices, err = s.filterChoices(r); err != nil {
		return f, false, err
	}
	return f, true, nil
}

// practiceIDs are the Practices' IDs and names, in order.
func practiceIDs(ps []access.Practice) ([]int64, []string) {
	ids, names := make([]int64, len(ps)), make([]string, len(ps))
	for i, p := range ps {
		ids[i], names[i] = p.ID, p.Name
	}
	return ids, names
}
