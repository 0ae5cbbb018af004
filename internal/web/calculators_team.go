package web

import (
	"crypto/rand"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"haven/internal/access"
	"haven/internal/audit"
	"haven/internal/calculator"
	"haven/internal/evaluate"
	"haven/internal/haven"
	"haven/internal/reunify"
	"haven/internal/store"
)

// The LA team's tools beside the public calculators (issue 19 item 4): the
// return-home calculator started from the team's own SSDA903 figures, and
// named scenarios saved to the team and listed.

// calculatorTeam is what a signed-in local-authority user sees on a
// calculator page beside the public calculator: her team's own SSDA903
// figures to start from, a form to save the scenario to the team, and the
// team's saved scenarios. Nil for everyone else.
type calculatorTeam struct {
	TeamName string
	// Prefill is the calculator's address with the team's own figures, and
	// PrefillNote says which figures they are and where they come from.
	Prefill     template.URL
	PrefillNote string
	// Calculator ("return-home" or "infant-care") and Query (the scenario's
	// encoded inputs) are posted back by the save form.
	Calculator string
	Query      string
	Scenarios  []calculatorScenario
	// CanSave offers the save form (PermReunifyEdit in the team); Key is its
	// idempotency key, so a double click saves one scenario.
	CanSave bool
	Key     string
	// SaveHint says why the save form is not offered yet: a Pause-type
	// service scenario needs both its costs.
	SaveHint string
}

// calculatorScenario is one saved, named scenario.
type calculatorScenario struct {
	Name    string
	URL     template.URL
	SavedBy string
	SavedOn string
	// ID names it for the delete button; Calculator is the calculator's name.
	ID         int64
	Calculator string
}

// calculatorNames are the two calculators, by the slug their address and
// the save form use.
var calculatorNames = map[string]string{
	"return-home": "Support on return home from care",
	"infant-care": "A Pause-type service",
}

// The saves' success messages (flash.go), kept beside the routes that leave them.
func init() {
	savedMessages["calculator-scenario"] = "Scenario saved"
	savedMessages["calculator-scenario-deleted"] = "Scenario deleted"
	idempotentRoutes["POST /la/calculators/scenarios"] = true
}

// calculatorTeam is nil unless the actor works in a local-authority team.
func (s *Server) calculatorTeam(r *http.Request, calc string, q url.Values) (*calculatorTeam, error) {
	team, err := laTeam(r)
	if errors.Is(err, haven.ErrNotFound) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	if _, ok := calculatorNames[calc]; !ok {
		return nil, fmt.Errorf("calculatorTeam: no calculator %q", calc)
	}
	ct := &calculatorTeam{TeamName: team.TenantName, Calculator: calc, Query: q.Encode(),
		CanSave: team.Role.Has(access.PermReunifyEdit), Key: rand.Text()}
	if calc == "return-home" {
		p, err := s.teamPrefill(r, team)
		if err != nil {
			return nil, err
		}
		ct.Prefill, ct.PrefillNote = p.url(), p.note()
	} else {
		if in, _ := calculator.ParseInfantCare(q); ct.CanSave && !in.Given {
			ct.CanSave, ct.SaveHint = false, "Enter the yearly cost of a child in care and the service's cost a year to save this scenario for your team."
		}
		ct.PrefillNote = "This calculator has no figures from your SSDA903 data: the episodes file does not say which infants a service kept out of care, or what a child in care costs you. Enter your own figures."
	}
	if ct.Scenarios, err = s.teamScenarios(r, team, calc); err != nil {
		return nil, err
	}
	return ct, nil
}

// teamScenarios are the team's saved scenarios of one calculator, or both
// (""), as the pages show them; the view is audited.
func (s *Server) teamScenarios(r *http.Request, team access.Membership, calc string) ([]calculatorScenario, error) {
	scs, err := s.store.CalculatorScenarios(r.Context(), team.TenantID, calc)
	if err != nil {
		return nil, err
	}
	section := calc
	if calc == "" {
		section = "list"
	}
	if err := s.store.AuditCalculatorScenarios(r.Context(), s.auditEvent(r, audit.View), team.TenantID, section); err != nil {
		return nil, err
	}
	out := make([]calculatorScenario, 0, len(scs))
	for _, sc := range scs {
		who := sc.SavedName
		if who == "" {
			who = "an account that has been removed"
		}
		out = append(out, calculatorScenario{ID: sc.ID, Name: sc.Name, Calculator: calculatorNames[sc.Calculator], SavedBy: who,
			SavedOn: sc.SavedAt.In(london).Format("2 January 2006 at 3:04pm"),
			URL:     template.URL("/calculators/" + sc.Calculator + "?" + sc.Query)}) // #nosec G203 -- a constant path and a query the calculator itself encoded
	}
	return out, nil
}

// prefillWindow is the re-entry window the baseline is taken from: the
// share of returns home that came back into care within 12 months, as the
// DfE and the NSPCC count breakdown (DOMAIN.md §5.3).
const prefillWindow = 12

// teamFigures is what the team's own data gives the return-home calculator:
// returns home in one year and the re-entry rate, each with why it is not
// given when it is not. Built from the dashboard's own figures, so a count
// the dashboard hides is never prefilled.
type teamFigures struct {
	Year         int   // the financial year the children figure counts
	Children     int64 // returns home that year
	HasChildren  bool
	ChildrenWhy  string // why there is no children figure
	Judged       int    // returns home at least 12 months before AsOf
	ReEntered    int
	BaselineBP   int64 // ReEntered of Judged, in hundredths of a percent
	HasBaseline  bool
	BaselineWhy  string
	AsOf         haven.Date
	JudgedBefore haven.Date // the latest return that can be judged
}

func (s *Server) teamPrefill(r *http.Request, team access.Membership) (teamFigures, error) {
	returns, cases, err := s.store.LADashboardData(r.Context(), team.TenantID)
	if err != nil {
		return teamFigures{}, err
	}
	set, err := s.evalSettings(r)
	if err != nil {
		return teamFigures{}, err
	}
	return prefillFrom(reunify.BuildDashboard(returns, cases, s.today(), set.Report)), nil
}

// prefillFrom takes the figures from the dashboard. The children figure is
// the most recent complete financial year (April to March) the data
// reaches: the year before this one, or the latest year with a return if
// the data stops earlier. The baseline is re-entry within 12 months over
// every return home that is at least 12 months old.
func prefillFrom(d reunify.Dashboard) teamFigures {
	f := teamFigures{AsOf: d.AsOf, JudgedBefore: d.AsOf.AddMonths(-prefillWindow)}
	last := reunify.FinancialYear(d.AsOf) - 1
	if len(d.Years) == 0 {
		f.ChildrenWhy = "your team's SSDA903 data records no return home"
	} else if first := d.Years[0].Year; first > last {
		f.ChildrenWhy = "your team's SSDA903 data has no complete year yet"
	} else {
		f.Year = min(d.Years[len(d.Years)-1].Year, last)
		var fig evaluate.Figure // a year the data passes with no return home in it is a shown 0
		for _, y := range d.Years {
			if y.Year == f.Year {
				fig = y.Total
			}
		}
		if fig.Shown() {
			f.Children, f.HasChildren = int64(fig.Value), true
		} else {
			f.ChildrenWhy = "the dashboard does not show it: " + fig.Text()
		}
	}
	for _, row := range d.ReEntry {
		if row.Months != prefillWindow {
			continue
		}
		switch {
		case !row.Judged.Shown() || !row.ReEntered.Shown():
			hidden := row.ReEntered
			if !row.Judged.Shown() {
				hidden = row.Judged
			}
			f.BaselineWhy = "the dashboard does not show it: " + hidden.Text()
		case d.Empty():
			f.BaselineWhy = "your team's SSDA903 data records no return home"
		case row.Judged.Value == 0:
			f.BaselineWhy = "none of your team's returns home is 12 months old yet"
		default:
			f.Judged, f.ReEntered = row.Judged.Value, row.ReEntered.Value
			// Exact, rounded once to hundredths of a percent, halves up.
			f.BaselineBP = (2*10000*int64(f.ReEntered) + int64(f.Judged)) / (2 * int64(f.Judged))
			f.HasBaseline = true
		}
	}
	return f
}

// url is the return-home calculator with the team's figures and every other
// input at its default; "" if the data gives neither figure.
func (f teamFigures) url() template.URL {
	if !f.HasChildren && !f.HasBaseline {
		return ""
	}
	in := calculator.DefaultReturnHome()
	if f.HasChildren {
		in.Children = f.Children
	}
	if f.HasBaseline {
		in.BaselineBP = f.BaselineBP
	}
	return template.URL("/calculators/return-home?" + in.Query().Encode()) // #nosec G203 -- a constant path and the calculator's own encoding
}

// baselineBelowDefault reports whether the team's rate is at or below the
// example rate with support, which would have support add breakdowns.
func (f teamFigures) baselineBelowDefault() bool {
	return f.HasBaseline && f.BaselineBP <= calculator.DefaultReturnHome().WithSupportBP
}

// note says which figures the link fills in, over which returns, and why
// any is left at its example.
func (f teamFigures) note() string {
	var b strings.Builder
	if f.HasChildren {
		fmt.Fprintf(&b, "Children returning home a year: %d, the returns home (SSDA903 reason for leaving care E4A or E4B) your team's data records in %s, April to March, the most recent complete year in it. ", f.Children, reunify.YearLabel(f.Year))
	} else {
		fmt.Fprintf(&b, "Children returning home a year is left at the example, 100, because %s. ", f.ChildrenWhy)
	}
	if f.HasBaseline {
		fmt.Fprintf(&b, "Breakdown rate without support: %s, your team's re-entry rate: %d of the %d returns home made on or before %s came back into care within 12 months (all years of your data). ",
			calculator.FormatRate(f.BaselineBP), f.ReEntered, f.Judged, f.JudgedBefore.Time().Format("2 January 2006"))
		if f.baselineBelowDefault() {
			fmt.Fprintf(&b, "It is not above the example breakdown rate with support (%s): enter the rate you expect with support. ", calculator.FormatRate(calculator.DefaultReturnHome().WithSupportBP))
		}
	} else {
		fmt.Fprintf(&b, "Breakdown rate without support is left at Holmes (2014), 47%%, because %s. ", f.BaselineWhy)
	}
	b.WriteString("Every other input is at its default.")
	return b.String()
}

// calculatorsTeamPage is the team's page: its figures and every saved
// scenario of both calculators; and, when a save is sent back with errors,
// the save form again.
type calculatorsTeamPage struct {
	Layout
	TeamName    string
	Prefill     template.URL
	PrefillNote string
	Scenarios   []calculatorScenario
	CanEdit     bool
	Save        *scenarioForm // the save sent back, with its errors
}

// scenarioForm is the save form as it was sent.
type scenarioForm struct {
	Name, Calculator, Query string
	// Back is the calculator with the scenario's inputs, to correct them there.
	Back template.URL
}

const maxScenarioName = 100

// laCalculators is the team's page.
func (s *Server) laCalculators(w http.ResponseWriter, r *http.Request) error {
	p, err := s.calculatorsTeamPage(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "calculators-team.html", p)
}

func (s *Server) calculatorsTeamPage(r *http.Request) (*calculatorsTeamPage, error) {
	team, err := laTeam(r)
	if err != nil {
		return nil, err
	}
	f, err := s.teamPrefill(r, team)
	if err != nil {
		return nil, err
	}
	scs, err := s.teamScenarios(r, team, "")
	if err != nil {
		return nil, err
	}
	return &calculatorsTeamPage{Layout: Layout{Title: "Calculators for your team", Nav: "la-calculators"}, TeamName: team.TenantName,
		Prefill: f.url(), PrefillNote: f.note(), Scenarios: scs, CanEdit: team.Role.Has(access.PermReunifyEdit)}, nil
}

// laSaveScenario saves the scenario the calculator page's form sends. The
// query is read again by the calculator and only its own encoding is kept;
// a query it refuses, or a missing or long name, is sent back (422).
func (s *Server) laSaveScenario(w http.ResponseWriter, r *http.Request) error {
	team, err := importTeam(r)
	if err != nil {
		return err
	}
	if err := parseForm(r); err != nil {
		return err
	}
	form, encoded, errs := readScenarioForm(r.PostForm)
	if len(errs) == 0 {
		_, err = s.store.SaveCalculatorScenario(r.Context(), s.auditEvent(r, audit.Create),
			store.CalculatorScenario{Team: team.TenantID, Calculator: form.Calculator, Name: form.Name, Query: encoded})
		to := "/calculators/" + form.Calculator + "?" + encoded
		if err == nil || isDuplicate(err) {
			s.saved(w, r, to, "calculator-scenario")
			return nil
		}
		he, ok := errors.AsType[*haven.Error](err)
		if !ok || he.Fields["name"] == "" {
			return err
		}
		errs = append(errs, FieldError{Field: "scenario-name", Message: he.Fields["name"]})
	}
	p, err := s.calculatorsTeamPage(r)
	if err != nil {
		return err
	}
	p.Errors, p.Save = errs, form
	return s.render(w, r, http.StatusUnprocessableEntity, "calculators-team.html", p)
}

// readScenarioForm reads the save form: the calculator, its inputs read
// again by the calculator (encoded is its own encoding of them) and the
// name. Problems come back as the page's errors, in the form's order.
func readScenarioForm(v url.Values) (form *scenarioForm, encoded string, errs []FieldError) {
	form = &scenarioForm{Name: strings.TrimSpace(v.Get("name")), Calculator: v.Get("calculator"), Query: v.Get("query")}
	if _, ok := calculatorNames[form.Calculator]; !ok {
		errs = append(errs, FieldError{Field: "scenario-inputs", Message: "The form does not say which calculator the scenario is for: go back to the calculator and save it from there"})
	} else if q, err := url.ParseQuery(form.Query); err != nil {
		errs = append(errs, FieldError{Field: "scenario-inputs", Message: "The scenario's inputs could not be read: go back to the calculator and save it from there"})
	} else {
		var problems calculator.Problems
		if form.Calculator == "return-home" {
			var in calculator.ReturnHome
			in, problems = calculator.ParseReturnHome(q)
			encoded = in.Query().Encode()
		} else {
			// Both costs are required, as the API requires them: a scenario
			// without them has no result to open.
			var in calculator.InfantCare
			in, problems = calculator.ParseInfantCareAPI(q)
			encoded = in.Query().Encode()
		}
		form.Back = template.URL("/calculators/" + form.Calculator + "?" + q.Encode()) // #nosec G203 -- a constant path and an encoded query
		for _, p := range problems {
			errs = append(errs, FieldError{Field: "scenario-inputs", Message: p.Message})
		}
	}
	switch {
	case form.Name == "":
		errs = append(errs, FieldError{Field: "scenario-name", Message: "Enter a scenario name"})
	case utf8.RuneCountInString(form.Name) > maxScenarioName:
		errs = append(errs, FieldError{Field: "scenario-name", Message: "Scenario name must be " + strconv.Itoa(maxScenarioName) + " characters or fewer"})
	}
	return form, encoded, errs
}

// laDeleteScenario deletes one of the team's scenarios; another team's is
// not found.
func (s *Server) laDeleteScenario(w http.ResponseWriter, r *http.Request) error {
	team, err := importTeam(r)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return haven.ErrNotFound
	}
	if err := s.store.DeleteCalculatorScenario(r.Context(), s.auditEvent(r, audit.Delete), team.TenantID, id); err != nil {
		return err
	}
	s.saved(w, r, "/la/calculators", "calculator-scenario-deleted")
	return nil
}
