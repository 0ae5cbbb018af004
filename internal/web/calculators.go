package web

import (
	"math/big"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"haven/internal/calculator"
)

// The public cost calculators (issue 19): the cost and savings of support on
// return home from care, and the return on a Pause-type service. Every input
// travels in the query (GET), so a scenario is a bookmarkable address; the
// figures are the calculator package's, exact to the penny, and only
// formatted here. No personal data: nothing is audited.

// money is an amount in pence with its text, so a page shows exactly the
// domain's figure and a test can read it back from data-pence.
type money struct {
	P int64
	S string
}

func pounds(p int64) money { return money{p, calculator.FormatPence(p)} }

// calcInput is one input of a calculator form, after GOV.UK's input with a
// prefix or suffix, and the source of its default beside it.
type calcInput struct {
	calculator.Field
	Value, Error   string
	Prefix, Suffix string
	Width          string // the govuk-input--width class's number
	// Tag is "Example" for an illustrative default; Note is the source's text
	// when it has no link.
	Tag, Note string
}

// calcIndexPage is /calculators: both calculators, a line each.
type calcIndexPage struct{ Layout }

func (s *Server) calculatorIndex(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "calculators.html", &calcIndexPage{Layout{Title: "Cost calculators"}})
}

// returnHomePage is /calculators/return-home.
type returnHomePage struct {
	Layout
	Inputs   map[string]calcInput
	ByNeed   bool // the "By level of need" radio is chosen
	Warnings []string
	Result   *returnHomeView
	Team     *calculatorTeam
}

// returnHomeView is the result, ready to show.
type returnHomeView struct {
	Years           int
	SupportPerChild money
	Summary         []calcSummaryRow
	Prevented       string
	Return          string // "£1.21", or why it is not defined
	ReturnDefined   bool
	BreakEven       string // the sentence, or why it is not defined
	YearRows        []returnHomeYear
	SensitivityCols []string
	Sensitivity     []calcSensitivityRow
	Steps           []calcStep
	Share           calcShare
	Chart           *calcChart
}

// calcSummaryRow is one line of the summary: a year, and over the years.
type calcSummaryRow struct {
	ID, Label   string
	Year, Total money
}

type returnHomeYear struct {
	Year                                  int
	Factor                                string
	Support, Avoided, Net                 money
	CumSupport, CumAvoided, CumNet        money
	FailedWithout, FailedWith, CumWithout money
	CumWith                               money
	ShowFactor                            bool
}

type calcSensitivityRow struct {
	Rate  string
	Cells []money
}

// calcStep is one line of "how this is worked out".
type calcStep struct{ Label, Working string }

// calcShare is the scenario's own address and its downloads, and the same
// scenario at the two discount rates the calculators offer.
type calcShare struct {
	URL, XLSX, CSV string
	Discounts      []calcLink
}

type calcLink struct{ Text, URL string }

func shareLinks(path string, q url.Values) calcShare {
	enc := q.Encode()
	out := calcShare{URL: path + "?" + enc, XLSX: path + ".xlsx?" + enc, CSV: path + ".csv?" + enc}
	for _, d := range []struct{ text, value string }{{"with no discount (0%)", "0"}, {"at HM Treasury's Green Book rate (3.5%)", "3.5"}} {
		if q.Get("discount") == d.value {
			continue
		}
		alt := url.Values{}
		for k, v := range q {
			alt[k] = v
		}
		alt.Set("discount", d.value)
		out.Discounts = append(out.Discounts, calcLink{"See this scenario " + d.text, path + "?" + alt.Encode() + "#results"})
	}
	return out
}

// maxEcho keeps a value typed into the form, shown again with its error,
// to a sensible length: the parser refuses anything over 32 characters.
const maxEcho = 100

// calcFormValues are the values the form shows: what was typed, where it was
// typed, else the value in use.
func calcFormValues(typed url.Values, inUse ...url.Values) func(name string) string {
	return func(name string) string {
		if v, ok := typed[name]; ok {
			if len(v) == 0 {
				return ""
			}
			s := v[0]
			if len(s) > maxEcho {
				s = s[:maxEcho]
			}
			return strings.ToValidUTF8(s, "")
		}
		for _, q := range inUse {
			if q.Has(name) {
				return q.Get(name)
			}
		}
		return ""
	}
}

// calcInputs are the form's inputs, keyed by query parameter.
func calcInputs(fields []calculator.Field, value func(string) string, ps calculator.Problems) map[string]calcInput {
	out := map[string]calcInput{}
	for _, f := range fields {
		in := calcInput{Field: f, Value: value(f.Name), Error: ps.For(f.Name), Width: "10"}
		switch {
		case strings.HasSuffix(f.Name, "Cost") || f.Name == "support":
			in.Prefix = "£"
		case strings.HasSuffix(f.Name, "Share") || f.Name == "baseline" || f.Name == "withSupport" || f.Name == "discount":
			in.Suffix, in.Width = "%", "5"
		default:
			in.Width = "5"
		}
		if f.Source.URL == "" {
			text := f.Source.Text
			if rest, ok := strings.CutPrefix(text, "example: "); ok {
				in.Tag, text = "Example", rest
			}
			in.Note = strings.ToUpper(text[:1]) + text[1:] + "."
		}
		out[f.Name] = in
	}
	return out
}

func calcErrors(ps calculator.Problems) []FieldError {
	var out []FieldError
	for _, p := range ps {
		out = append(out, FieldError{Field: p.Field, Message: p.Message})
	}
	return out
}

func (s *Server) returnHome(w http.ResponseWriter, r *http.Request) error {
	typed := r.URL.Query()
	in, ps := calculator.ParseReturnHome(typed)
	byNeed := in
	byNeed.ByNeed = true
	p := &returnHomePage{
		Layout: Layout{Title: "Support on return home from care: cost and savings", Errors: calcErrors(ps)},
		Inputs: calcInputs(calculator.ReturnHomeFields(), calcFormValues(typed, in.Query(), byNeed.Query()), ps),
		ByNeed: in.ByNeed || typed.Get("supportBy") == "need",
	}
	if len(ps) > 0 {
		return s.render(w, r, http.StatusUnprocessableEntity, "calculators-return-home.html", p)
	}
	res := in.Calculate()
	p.Warnings = res.Warnings
	p.Result = newReturnHomeView(res)
	team, err := s.calculatorTeam(r, "return-home", in.Query())
	if err != nil {
		return err
	}
	p.Team = team
	return s.render(w, r, http.StatusOK, "calculators-return-home.html", p)
}

func newReturnHomeView(res calculator.ReturnHomeResult) *returnHomeView {
	in := res.Input
	v := &returnHomeView{Years: in.Years, SupportPerChild: pounds(res.SupportPerChildPence), ReturnDefined: res.ReturnDefined}
	v.Summary = []calcSummaryRow{
		{"support", "Support cost", pounds(res.Year.SupportCostPence), pounds(res.Total.SupportCostPence)},
		{"without", "Cost of failed returns without support", pounds(res.Year.FailedWithoutPence), pounds(res.Total.FailedWithoutPence)},
		{"with", "Cost of failed returns with support", pounds(res.Year.FailedWithPence), pounds(res.Total.FailedWithPence)},
		{"avoided", "Cost of failed returns avoided", pounds(res.Year.AvoidedPence), pounds(res.Total.AvoidedPence)},
		{"net", "Net saving", pounds(res.Year.NetSavingPence), pounds(res.Total.NetSavingPence)},
	}
	v.Prevented = calculator.FormatHundredths(res.PreventedHundredths)
	if res.ReturnDefined {
		v.Return = calculator.FormatPence(res.ReturnHundredths)
	} else {
		v.Return = "Not defined: with no support cost there is nothing to divide by."
	}
	if !res.BreakEvenDefined {
		v.BreakEven = "Not defined: when a failed return costs nothing, preventing one saves nothing."
	} else {
		v.BreakEven = "Support pays for itself if it prevents " + calculator.FormatHundredths(res.BreakEvenHundredths) + " breakdowns a year"
		if res.BreakEvenRateBP >= 0 {
			v.BreakEven += ", that is if the breakdown rate falls from " + calculator.FormatRate(in.BaselineBP) + " to " + calculator.FormatRate(res.BreakEvenRateBP) + " or lower."
		} else {
			v.BreakEven += ": more than the breakdowns there are without support (" + calculator.FormatRate(in.BaselineBP) + "), so preventing breakdowns alone cannot pay for it."
		}
	}
	factors := discountFactorText(in.Years, in.DiscountBP)
	for i, y := range res.Years {
		v.YearRows = append(v.YearRows, returnHomeYear{
			Year: y.Year, Factor: factors[i], ShowFactor: in.DiscountBP > 0,
			Support: pounds(y.Amounts.SupportCostPence), Avoided: pounds(y.Amounts.AvoidedPence), Net: pounds(y.Amounts.NetSavingPence),
			FailedWithout: pounds(y.Amounts.FailedWithoutPence), FailedWith: pounds(y.Amounts.FailedWithPence),
			CumSupport: pounds(y.Cumulative.SupportCostPence), CumAvoided: pounds(y.Cumulative.AvoidedPence), CumNet: pounds(y.Cumulative.NetSavingPence),
			CumWithout: pounds(y.Cumulative.FailedWithoutPence), CumWith: pounds(y.Cumulative.FailedWithPence),
		})
	}
	for _, m := range res.SensitivityMultipliers {
		v.SensitivityCols = append(v.SensitivityCols, "Support cost × "+multiplier(m))
	}
	for _, row := range res.Sensitivity {
		sr := calcSensitivityRow{Rate: calculator.FormatRate(row.WithSupportBP)}
		for _, p := range row.NetSavingPence {
			sr.Cells = append(sr.Cells, pounds(p))
		}
		v.Sensitivity = append(v.Sensitivity, sr)
	}
	v.Steps = returnHomeSteps(res)
	v.Share = shareLinks("/calculators/return-home", in.Query())
	v.Chart = returnHomeChart(res)
	return v
}

// multiplier writes a multiplier kept in hundredths: 50 is 0.5, 100 is 1.
func multiplier(h int64) string {
	return strings.TrimSuffix(strings.TrimRight(calculator.FormatHundredths(h), "0"), ".")
}

// discountFactorText is 1 ÷ (1 + d)^t for each year, to four decimals, for
// showing only: the calculator keeps them exact.
func discountFactorText(years int, bp int64) []string {
	out := make([]string, years)
	f := big.NewRat(1, 1)
	step := big.NewRat(10000, 10000+bp)
	for t := range years {
		out[t] = f.FloatString(4)
		f.Mul(f, step)
	}
	return out
}

// discountSum is the sum of the discount factors, to six decimals.
func discountSum(years int, bp int64) string {
	sum, f := new(big.Rat), big.NewRat(1, 1)
	step := big.NewRat(10000, 10000+bp)
	for range years {
		sum.Add(sum, f)
		f = new(big.Rat).Mul(f, step)
	}
	if sum.IsInt() {
		return sum.RatString()
	}
	return sum.FloatString(6)
}

func returnHomeSteps(res calculator.ReturnHomeResult) []calcStep {
	in := res.Input
	n := strconv.FormatInt(in.Children, 10)
	b0, b1 := calculator.FormatRate(in.BaselineBP), calculator.FormatRate(in.WithSupportBP)
	c := calculator.FormatPence(in.FailedPence)
	sPer := calculator.FormatPence(res.SupportPerChildPence)
	var steps []calcStep
	if in.ByNeed {
		var parts []string
		for _, l := range in.Need {
			parts = append(parts, calculator.FormatRate(l.ShareBP)+" × "+calculator.FormatPence(l.CostPence))
		}
		steps = append(steps, calcStep{"Support cost for each child, by level of need",
			" = each level's share × its cost, added up = " + strings.Join(parts, " + ") + " = " + sPer + " (kept exact in the sums below, shown here to the penny)"})
	}
	steps = append(steps,
		calcStep{"Support cost a year", " = children × support cost for each child = " + n + " × " + sPer + " = " + calculator.FormatPence(res.Year.SupportCostPence)},
		calcStep{"Cost of failed returns without support, a year", " = children × breakdown rate without support × cost of one failed return = " + n + " × " + b0 + " × " + c + " = " + calculator.FormatPence(res.Year.FailedWithoutPence)},
		calcStep{"Cost of failed returns with support, a year", " = children × breakdown rate with support × cost of one failed return = " + n + " × " + b1 + " × " + c + " = " + calculator.FormatPence(res.Year.FailedWithPence)},
		calcStep{"Cost of failed returns avoided, a year", " = without support − with support = " + calculator.FormatPence(res.Year.FailedWithoutPence) + " − " + calculator.FormatPence(res.Year.FailedWithPence) + " = " + calculator.FormatPence(res.Year.AvoidedPence)},
		calcStep{"Net saving a year", " = cost avoided − support cost = " + calculator.FormatPence(res.Year.AvoidedPence) + " − " + calculator.FormatPence(res.Year.SupportCostPence) + " = " + calculator.FormatPence(res.Year.NetSavingPence)},
		calcStep{"Breakdowns prevented a year", " = children × (rate without support − rate with support) = " + n + " × (" + b0 + " − " + b1 + ") = " + calculator.FormatHundredths(res.PreventedHundredths)},
	)
	if res.ReturnDefined {
		steps = append(steps, calcStep{"Return for each £1 of support", " = cost avoided ÷ support cost = " + calculator.FormatPence(res.Year.AvoidedPence) + " ÷ " + calculator.FormatPence(res.Year.SupportCostPence) + " = " + calculator.FormatPence(res.ReturnHundredths)})
	} else {
		steps = append(steps, calcStep{"Return for each £1 of support", ": cost avoided ÷ support cost, which is not defined when the support cost is £0.00"})
	}
	if res.BreakEvenDefined {
		gap := in.BaselineBP - res.BreakEvenRateBP // S ÷ C, in hundredths of a percent
		steps = append(steps, calcStep{"Break-even", ": support pays for itself if it prevents children × support cost for each child ÷ cost of one failed return = " + n + " × " + sPer + " ÷ " + c + " = " + calculator.FormatHundredths(res.BreakEvenHundredths) +
			" breakdowns a year; the breakdown rate must fall from " + b0 + " to " + b0 + " − " + sPer + " ÷ " + c + " = " + b0 + " − " + calculator.FormatRate(gap) + " = " + calculator.FormatRate(res.BreakEvenRateBP)})
	} else {
		steps = append(steps, calcStep{"Break-even", ": support cost ÷ cost of one failed return, which is not defined when a failed return costs £0.00"})
	}
	steps = append(steps, discountSteps(in.Years, in.DiscountBP)...)
	steps = append(steps,
		calcStep{"Net saving over " + yearsText(in.Years), " = the sum of each year's discounted net saving = " + calculator.FormatPence(res.Year.NetSavingPence) + " × " + discountSum(in.Years, in.DiscountBP) + " = " + calculator.FormatPence(res.Total.NetSavingPence)},
		calcStep{"The sensitivity table", ": each row sets the breakdown rate with support at " + b0 + ", then 5 percentage points lower at a time, down to " + b0 + " − 25 points (or 0%); each column multiplies the support cost for each child by 0.5, 1 or 1.5; each cell is (children × (" + b0 + " − the row's rate) × " + c + " − children × " + sPer + " × the column's multiplier) × " + discountSum(in.Years, in.DiscountBP) + ", the net saving over " + yearsText(in.Years)},
	)
	return steps
}

// discountSteps say how a year's amount is discounted.
func discountSteps(years int, bp int64) []calcStep {
	if bp == 0 {
		return []calcStep{{"Discounting", ": with a discount rate of 0%, each year's factor 1 ÷ (1 + 0%)^t is 1, so every year counts in full; over " + yearsText(years) + " the factors add up to " + strconv.Itoa(years)}}
	}
	d := calculator.FormatRate(bp)
	factors := discountFactorText(years, bp)
	var parts []string
	for t, f := range factors {
		parts = append(parts, "year "+strconv.Itoa(t+1)+": 1 ÷ (1 + "+d+")^"+strconv.Itoa(t)+" = "+f)
	}
	return []calcStep{{"Discounting", ": year t+1's amounts are multiplied by 1 ÷ (1 + " + d + ")^t, so that money later is worth less than money now (" + strings.Join(parts, "; ") + "; shown to four decimals, kept exact); over " + yearsText(years) + " the factors add up to " + discountSum(years, bp)}}
}

func yearsText(n int) string {
	if n == 1 {
		return "1 year"
	}
	return strconv.Itoa(n) + " years"
}

// infantCarePage is /calculators/infant-care.
type infantCarePage struct {
	Layout
	Inputs     map[string]calcInput
	Result     *infantCareView
	Benchmarks []calcBenchmark
	Team       *calculatorTeam
}

type calcBenchmark struct {
	Years      int
	Return     string
	SourceText string
	SourceURL  string
}

type infantCareView struct {
	Years              int
	Savings, Cost, Net money
	Return             string
	ReturnDefined      bool
	YearRows           []infantCareYear
	Steps              []calcStep
	Share              calcShare
	Chart              *calcChart
	DiscountBP         int64
}

type infantCareYear struct {
	Year                        int
	OutOfCare                   string
	Savings, Cost, Net          money
	CumSavings, CumCost, CumNet money
}

func (s *Server) infantCare(w http.ResponseWriter, r *http.Request) error {
	typed := r.URL.Query()
	in, ps := calculator.ParseInfantCare(typed)
	p := &infantCarePage{
		Layout:     Layout{Title: "A Pause-type service: its return", Errors: calcErrors(ps)},
		Inputs:     calcInputs(calculator.InfantCareFields(), calcFormValues(typed, in.Query()), ps),
		Benchmarks: infantCareBenchmarks(),
	}
	if len(ps) > 0 {
		return s.render(w, r, http.StatusUnprocessableEntity, "calculators-infant-care.html", p)
	}
	if in.Given {
		p.Result = newInfantCareView(in.Calculate())
		team, err := s.calculatorTeam(r, "infant-care", in.Query())
		if err != nil {
			return err
		}
		p.Team = team
	}
	return s.render(w, r, http.StatusOK, "calculators-infant-care.html", p)
}

// infantCareBenchmarks are the 2020 evaluation's returns, shown beside a
// result and never as it.
func infantCareBenchmarks() []calcBenchmark {
	var out []calcBenchmark
	for _, b := range calculator.InfantCareBenchmarks {
		out = append(out, calcBenchmark{b.Years, calculator.FormatPence(b.ReturnHundredths), b.Source.Text, b.Source.URL})
	}
	return out
}

func newInfantCareView(res calculator.InfantCareResult) *infantCareView {
	in := res.Input
	v := &infantCareView{Years: in.Years, Savings: pounds(res.SavingsPence), Cost: pounds(res.CostPence), Net: pounds(res.NetPence), ReturnDefined: res.ReturnDefined, DiscountBP: in.DiscountBP}
	if res.ReturnDefined {
		v.Return = calculator.FormatPence(res.ReturnHundredths)
	} else {
		v.Return = "Not defined: with no cost for the service there is nothing to divide by."
	}
	for _, y := range res.Years {
		v.YearRows = append(v.YearRows, infantCareYear{
			Year: y.Year, OutOfCare: calculator.FormatHundredths(y.OutOfCareHundredths),
			Savings: pounds(y.SavingsPence), Cost: pounds(y.CostPence), Net: pounds(y.NetPence),
			CumSavings: pounds(y.CumulativeSavingsPence), CumCost: pounds(y.CumulativeCostPence), CumNet: pounds(y.CumulativeNetPence),
		})
	}
	v.Steps = infantCareSteps(res)
	v.Share = shareLinks("/calculators/infant-care", in.Query())
	v.Chart = infantCareChart(res)
	return v
}

func infantCareSteps(res calculator.InfantCareResult) []calcStep {
	in := res.Input
	r := calculator.FormatHundredths(in.AvoidedHundredths)
	a, p := calculator.FormatPence(in.CareCostPence), calculator.FormatPence(in.ProgrammeCostPence)
	factors := discountFactorText(in.Years, in.DiscountBP)
	d := calculator.FormatRate(in.DiscountBP)
	steps := []calcStep{{"Children kept out of care", ": in year t+1 the infants kept out of care that year and in earlier years still counting: infants a year × min(t + 1, years each would have stayed in care) = " + r + " × min(t + 1, " + strconv.Itoa(in.CareYears) + ")"}}
	for i, y := range res.Years {
		steps = append(steps, calcStep{"Year " + strconv.Itoa(y.Year),
			": children out of care = " + r + " × " + strconv.Itoa(min(i+1, in.CareYears)) + " = " + calculator.FormatHundredths(y.OutOfCareHundredths) +
				"; savings = " + calculator.FormatHundredths(y.OutOfCareHundredths) + " × " + a + " × 1 ÷ (1 + " + d + ")^" + strconv.Itoa(i) + " = " + calculator.FormatPence(y.SavingsPence) +
				"; cost = " + p + " × 1 ÷ (1 + " + d + ")^" + strconv.Itoa(i) + " = " + calculator.FormatPence(y.CostPence) +
				" (discount factor " + factors[i] + ")"})
	}
	steps = append(steps,
		calcStep{"Savings over " + yearsText(in.Years), " = the sum of the years' savings = " + calculator.FormatPence(res.SavingsPence)},
		calcStep{"Cost over " + yearsText(in.Years), " = the sum of the years' costs = " + p + " × " + discountSum(in.Years, in.DiscountBP) + " = " + calculator.FormatPence(res.CostPence)},
		calcStep{"Net saving", " = savings − cost = " + calculator.FormatPence(res.SavingsPence) + " − " + calculator.FormatPence(res.CostPence) + " = " + calculator.FormatPence(res.NetPence)},
	)
	if res.ReturnDefined {
		steps = append(steps, calcStep{"Return for each £1", " = savings ÷ cost = " + calculator.FormatPence(res.SavingsPence) + " ÷ " + calculator.FormatPence(res.CostPence) + " = " + calculator.FormatPence(res.ReturnHundredths)})
	} else {
		steps = append(steps, calcStep{"Return for each £1", ": savings ÷ cost, which is not defined when the service costs £0.00"})
	}
	steps = append(steps, calcStep{"Rounding", ": every sum is worked out exactly and rounded once, at the end, to the nearest penny (halves away from zero), so a total may differ by a penny from the sum of the rounded years"})
	return steps
}
