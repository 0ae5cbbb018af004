package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"haven/internal/calculator"
	"haven/internal/document"
)

// The calculators' downloads (issue 19, item 2). The workbook is a working
// model, not a picture of the answer: its Inputs sheet holds each input, and
// every figure on the other sheets is a live formula over those cells,
// rounded once with ROUND(…,2) as Haven rounds, so a commissioner can change
// an input in a spreadsheet program and see what Haven would say. The CSV
// holds the same figures as Haven worked them out, in sections.

// calculatorDownload serves /calculators/{calculator}.{csv,xlsx}. Bad input
// is a 400 naming each field, like the API: the page shows the form, and a
// download is only linked from a result.
func (s *Server) calculatorDownload(lim *rateLimit, calc, format string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := s.limitCalculations(w, r, lim); err != nil {
			return err
		}
		var tables []document.Table
		switch calc {
		case "return-home":
			in, ps := calculator.ParseReturnHome(r.URL.Query())
			if len(ps) > 0 {
				return badRequest("Haven could not make the download. " + problemsText(ps))
			}
			if format == "xlsx" {
				tables = returnHomeWorkbook(in) // the spreadsheet works the figures out itself
			} else {
				tables = returnHomeCSV(in.Calculate())
			}
		case "infant-care":
			in, ps := calculator.ParseInfantCareAPI(r.URL.Query())
			if len(ps) > 0 {
				return badRequest("Haven could not make the download. " + problemsText(ps))
			}
			if format == "xlsx" {
				tables = infantCareWorkbook(in)
			} else {
				tables = infantCareCSV(in.Calculate())
			}
		}
		return document.DownloadSections(w, format, calc, tables...)
	}
}

// problemsText is the problems as one message, each naming its field.
func problemsText(ps calculator.Problems) string {
	msgs := make([]string, len(ps))
	for i, p := range ps {
		msgs[i] = p.Message + " (" + p.Field + ")."
	}
	return strings.Join(msgs, " ")
}

// fieldsByName are the calculator's fields (label and source) by parameter.
func fieldsByName(fs []calculator.Field) map[string]calculator.Field {
	out := make(map[string]calculator.Field, len(fs))
	for _, f := range fs {
		out[f.Name] = f
	}
	return out
}

// sourceText is a field's source as the sheet shows it.
func sourceText(f calculator.Source) string {
	if f.URL == "" {
		return f.Text
	}
	return f.Text + " " + f.URL
}

// inputRow is one row of an Inputs sheet: label, value, unit, source and
// the query parameter that carries it in Haven's web address.
func inputRow(f calculator.Field, value document.Cell, unit string) []document.Cell {
	return []document.Cell{document.Text(f.Label), value, document.Text(unit), document.Text(sourceText(f.Source)), document.Text(f.Name)}
}

var inputsHeader = []string{"Input", "Value", "Unit", "Source", "Web address parameter"}

// Where each return-home input sits on the Inputs sheet (column B). The
// formulas are built from these, so moving a row means changing only here.
const (
	rhChildren = "Inputs!$B$2"
	rhByNeed   = "Inputs!$B$3"
	rhSupport  = "Inputs!$B$4"
	rhHighS    = "Inputs!$B$5"
	rhHighC    = "Inputs!$B$6"
	rhMedS     = "Inputs!$B$7"
	rhMedC     = "Inputs!$B$8"
	rhLowS     = "Inputs!$B$9"
	rhLowC     = "Inputs!$B$10"
	rhBaseline = "Inputs!$B$11"
	rhWith     = "Inputs!$B$12"
	rhFailed   = "Inputs!$B$13"
	rhYears    = "Inputs!$B$14"
	rhDiscount = "Inputs!$B$15"
)

// The return-home model as spreadsheet expressions. The Results sheet keeps
// each amount before rounding in columns E and F, and everything else is
// worked from those cells: short formulas a person can follow (and that
// excelize's calculator, which misreads some long nested ones, reads right).
var (
	// rhS is the support cost for each child: the switch on the Inputs
	// sheet is 1 or 0, so this is one or the other exactly.
	rhS = rhByNeed + "*(" + rhHighS + "*" + rhHighC + "+" + rhMedS + "*" + rhMedC + "+" + rhLowS + "*" + rhLowC + ")/100+(1-" + rhByNeed + ")*" + rhSupport
	// rhAmounts are a year's five amounts, in the order of calculator.Amounts,
	// before rounding; rows 3 to 7 of the Results sheet, column E.
	rhAmounts = []string{
		rhChildren + "*Results!$E$2",
		rhChildren + "*" + rhBaseline + "/100*" + rhFailed,
		rhChildren + "*" + rhWith + "/100*" + rhFailed,
		rhChildren + "*(" + rhBaseline + "-" + rhWith + ")/100*" + rhFailed,
		"Results!$E$6-Results!$E$3",
	}
	rhFactors = "Results!$C$12" // Σ 1/(1+d)^t for t = 0 … Y−1
)

var amountLabels = []string{"Support cost", "Cost of failed returns without support", "Cost of failed returns with support", "Cost of failed returns avoided", "Net saving"}

// discountSumFormula is the sum of the discount factors over the years, as a formula.
func discountSumFormula(rate, years string) string {
	return "IF(" + rate + "=0," + years + ",(1-1/(1+" + rate + "/100)^" + years + ")/(1-1/(1+" + rate + "/100)))"
}

func round2(expr string) string { return "ROUND(" + expr + ",2)" }

// yesNo1 is a switch as the sheet holds it: 1 for yes, 0 for no.
func yesNo1(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// returnHomeWorkbook is the return-home model as a workbook of live formulas.
func returnHomeWorkbook(in calculator.ReturnHome) []document.Table {
	f := fieldsByName(calculator.ReturnHomeFields())
	need := func(i int) calculator.NeedLevel { return in.Need[i] }
	inputs := document.Table{Sheet: "Inputs", Header: inputsHeader, Rows: [][]document.Cell{
		inputRow(f["children"], document.Int(in.Children), "children a year"),
		{document.Text("Support cost by level of need"), document.Int(yesNo1(in.ByNeed)), document.Text("1 = by level of need (rows 5 to 10), 0 = the average (row 4)"), document.Text("Haven"), document.Text("supportBy")},
		inputRow(f["support"], document.Pounds(in.SupportPence), "£ a child"),
		inputRow(f["highShare"], document.Decimal(need(0).ShareBP, 2), "%"),
		inputRow(f["highCost"], document.Pounds(need(0).CostPence), "£ a child"),
		inputRow(f["mediumShare"], document.Decimal(need(1).ShareBP, 2), "%"),
		inputRow(f["mediumCost"], document.Pounds(need(1).CostPence), "£ a child"),
		inputRow(f["lowShare"], document.Decimal(need(2).ShareBP, 2), "%"),
		inputRow(f["lowCost"], document.Pounds(need(2).CostPence), "£ a child"),
		inputRow(f["baseline"], document.Decimal(in.BaselineBP, 2), "%"),
		inputRow(f["withSupport"], document.Decimal(in.WithSupportBP, 2), "%"),
		inputRow(f["failedCost"], document.Pounds(in.FailedPence), "£ a child"),
		inputRow(f["years"], document.Int(int64(in.Years)), "years, 1 to 25"),
		inputRow(f["discount"], document.Decimal(in.DiscountBP, 2), "% a year"),
		{},
		{document.Text("Change the values in column B, rows 2 to 15: every figure on the Results, Years and Sensitivity sheets is a formula over them, rounded to the penny once, at the end, as Haven rounds.")},
		{document.Text("The shares of high, medium and low need must add up to 100. Haven worked out these figures at " + "/calculators/return-home?" + in.Query().Encode())},
	}}

	results := document.Table{Sheet: "Results", Header: []string{"Output", "A year", "Over the years", "How it is worked out", "A year, before rounding", "Over the years, before rounding"}, Rows: [][]document.Cell{
		{document.Text("Support cost for each child"), document.Formula(round2("$E$2"), document.Money), {}, document.Text("the average, or the levels' shares × costs ÷ 100"), document.Formula(rhS, document.General)},
	}}
	how := []string{"children × support cost for each child", "children × breakdown rate without support × cost of a failed return",
		"children × breakdown rate with support × cost of a failed return", "children × (rate without − rate with support) × cost of a failed return", "failed returns avoided − support cost"}
	for i, a := range rhAmounts {
		row := strconv.Itoa(i + 3)
		results.Rows = append(results.Rows, []document.Cell{document.Text(amountLabels[i]), document.Formula(round2("$E$"+row), document.Money),
			document.Formula(round2("$F$"+row), document.Money), document.Text(how[i] + "; over the years, × the sum of the discount factors"),
			document.Formula(a, document.General), document.Formula("$E$"+row+"*"+rhFactors, document.General)})
	}
	results.Rows = append(results.Rows,
		[]document.Cell{document.Text("Breakdowns prevented a year"), document.Formula(round2(rhChildren+"*("+rhBaseline+"-"+rhWith+")/100"), document.Fixed2), {}, document.Text("children × (rate without − rate with support)")},
		[]document.Cell{document.Text("Return for each £1 of support"), document.Formula(`IF($E$3>0,ROUND($E$6/$E$3,2),"")`, document.Fixed2), {}, document.Text("failed returns avoided ÷ support cost; empty when support costs nothing")},
		[]document.Cell{document.Text("Break-even: breakdowns to prevent a year"), document.Formula("IF("+rhFailed+">0,ROUND($E$3/"+rhFailed+`,2),"")`, document.Fixed2), {}, document.Text("support cost ÷ cost of a failed return")},
		[]document.Cell{document.Text("Break-even: breakdown rate with support (%)"), document.Formula("IF("+rhFailed+">0,ROUND("+rhBaseline+"-$E$2/"+rhFailed+`*100,2),"")`, document.Fixed2), {}, document.Text("rate without support − support cost for each child ÷ cost of a failed return")},
		[]document.Cell{document.Text("Sum of the discount factors over the years"), {}, document.Formula(discountSumFormula(rhDiscount, rhYears), document.Fixed6), document.Text("Σ 1 ÷ (1 + discount rate)^t for t = 0 … years − 1")},
	)

	years := document.Table{Sheet: "Years", Header: []string{"Year", "Discount factor"}}
	years.Header = append(years.Header, amountLabels...)
	for _, l := range amountLabels {
		years.Header = append(years.Header, l+", running total")
	}
	for y := 1; y <= calculator.MaxYears; y++ {
		row := strconv.Itoa(y + 1)
		counted := func(expr string, fm document.Format) document.Cell {
			return document.Formula("IF($A$"+row+"<="+rhYears+","+expr+`,"")`, fm)
		}
		cells := []document.Cell{document.Int(int64(y)), counted("1/(1+"+rhDiscount+"/100)^($A$"+row+"-1)", document.Fixed6)}
		for i := range rhAmounts {
			cells = append(cells, counted(round2("Results!$E$"+strconv.Itoa(i+3)+"*$B$"+row), document.Money))
		}
		for i := range rhAmounts {
			cells = append(cells, counted(round2("Results!$E$"+strconv.Itoa(i+3)+"*SUM($B$2:$B$"+row+")"), document.Money))
		}
		years.Rows = append(years.Rows, cells)
	}
	years.Rows = append(years.Rows, []document.Cell{}, []document.Cell{document.Text("Rows after the number of years on the Inputs sheet stay empty. Each year's amounts are discounted; each is rounded once.")})

	sens := document.Table{Sheet: "Sensitivity", Header: []string{"Breakdown rate with support (%)"}}
	for _, m := range calculator.SensitivityMultipliers {
		sens.Header = append(sens.Header, "Net saving over the years, support cost × "+calculator.FormatHundredths(m))
	}
	for k := range 6 {
		row := strconv.Itoa(k + 2)
		// Rows go down 5 points at a time from the rate without support, and stop at 0.
		rate := fmt.Sprintf("MAX(0,%s-%d)", rhBaseline, 5*k)
		if k > 0 {
			rate = fmt.Sprintf(`IF(%s-%d>0,%s,"")`, rhBaseline, 5*(k-1), rate)
		}
		cells := []document.Cell{document.Formula(rate, document.Fixed2)}
		for _, m := range calculator.SensitivityMultipliers {
			net := "(" + rhChildren + "*(" + rhBaseline + "-$A$" + row + ")/100*" + rhFailed + "-Results!$E$3*" + calculator.FormatHundredths(m) + ")*" + rhFactors
			cells = append(cells, document.Formula(`IF($A$`+row+`="","",`+round2(net)+")", document.Money))
		}
		sens.Rows = append(sens.Rows, cells)
	}
	sens.Rows = append(sens.Rows, []document.Cell{}, []document.Cell{document.Text("Each cell is the net saving over the years if support brought the breakdown rate down to the rate in column A, at the support cost times the multiplier.")})
	return []document.Table{inputs, results, years, sens}
}

// returnHomeCSV is the return-home figures as Haven worked them out.
func returnHomeCSV(res calculator.ReturnHomeResult) []document.Table {
	in := res.Input
	f := fieldsByName(calculator.ReturnHomeFields())
	inputs := document.Table{Sheet: "Inputs", Header: []string{"Input", "Value", "Unit", "Source", "Web address parameter"}, Rows: [][]document.Cell{
		inputRow(f["children"], document.Int(in.Children), "children a year"),
	}}
	if in.ByNeed {
		for i, n := range in.Need {
			name := []string{"high", "medium", "low"}[i]
			inputs.Rows = append(inputs.Rows, inputRow(f[name+"Share"], document.Decimal(n.ShareBP, 2), "%"), inputRow(f[name+"Cost"], document.Pounds(n.CostPence), "£ a child"))
		}
	} else {
		inputs.Rows = append(inputs.Rows, inputRow(f["support"], document.Pounds(in.SupportPence), "£ a child"))
	}
	inputs.Rows = append(inputs.Rows,
		inputRow(f["baseline"], document.Decimal(in.BaselineBP, 2), "%"),
		inputRow(f["withSupport"], document.Decimal(in.WithSupportBP, 2), "%"),
		inputRow(f["failedCost"], document.Pounds(in.FailedPence), "£ a child"),
		inputRow(f["years"], document.Int(int64(in.Years)), "years"),
		inputRow(f["discount"], document.Decimal(in.DiscountBP, 2), "% a year"))

	results := document.Table{Sheet: "Results", Header: []string{"Output", "A year", "Over the years"}, Rows: [][]document.Cell{
		{document.Text("Support cost for each child"), document.Pounds(res.SupportPerChildPence), {}},
	}}
	for i, pair := range [][2]int64{
		{res.Year.SupportCostPence, res.Total.SupportCostPence}, {res.Year.FailedWithoutPence, res.Total.FailedWithoutPence},
		{res.Year.FailedWithPence, res.Total.FailedWithPence}, {res.Year.AvoidedPence, res.Total.AvoidedPence}, {res.Year.NetSavingPence, res.Total.NetSavingPence},
	} {
		results.Rows = append(results.Rows, []document.Cell{document.Text(amountLabels[i]), document.Pounds(pair[0]), document.Pounds(pair[1])})
	}
	results.Rows = append(results.Rows, []document.Cell{document.Text("Breakdowns prevented a year"), document.Decimal(res.PreventedHundredths, 2), {}})
	if res.ReturnDefined {
		results.Rows = append(results.Rows, []document.Cell{document.Text("Return for each £1 of support"), document.Decimal(res.ReturnHundredths, 2), {}})
	}
	if res.BreakEvenDefined {
		results.Rows = append(results.Rows,
			[]document.Cell{document.Text("Break-even: breakdowns to prevent a year"), document.Decimal(res.BreakEvenHundredths, 2), {}},
			[]document.Cell{document.Text("Break-even: breakdown rate with support (%)"), document.Decimal(res.BreakEvenRateBP, 2), {}})
	}
	for _, w := range res.Warnings {
		results.Rows = append(results.Rows, []document.Cell{document.Text("Warning"), document.Text(w), {}})
	}

	years := document.Table{Sheet: "Years", Header: []string{"Year"}}
	years.Header = append(years.Header, amountLabels...)
	for _, l := range amountLabels {
		years.Header = append(years.Header, l+", running total")
	}
	for _, y := range res.Years {
		cells := []document.Cell{document.Int(int64(y.Year))}
		for _, a := range []calculator.Amounts{y.Amounts, y.Cumulative} {
			cells = append(cells, document.Pounds(a.SupportCostPence), document.Pounds(a.FailedWithoutPence), document.Pounds(a.FailedWithPence), document.Pounds(a.AvoidedPence), document.Pounds(a.NetSavingPence))
		}
		years.Rows = append(years.Rows, cells)
	}

	sens := document.Table{Sheet: "Sensitivity", Header: []string{"Breakdown rate with support (%)"}}
	for _, m := range res.SensitivityMultipliers {
		sens.Header = append(sens.Header, "Net saving over the years, support cost × "+calculator.FormatHundredths(m))
	}
	for _, row := range res.Sensitivity {
		cells := []document.Cell{document.Decimal(row.WithSupportBP, 2)}
		for _, p := range row.NetSavingPence {
			cells = append(cells, document.Pounds(p))
		}
		sens.Rows = append(sens.Rows, cells)
	}
	return []document.Table{inputs, results, years, sens}
}

// Where each infant-care input sits on the Inputs sheet.
const (
	icAvoided   = "Inputs!$B$2"
	icCareCost  = "Inputs!$B$3"
	icCareYears = "Inputs!$B$4"
	icProgramme = "Inputs!$B$5"
	icYears     = "Inputs!$B$6"
	icDiscount  = "Inputs!$B$7"
)

// infantCareInputRows are the inputs as the workbook and the CSV both list
// them; the workbook's cells are the ones its formulas read.
func infantCareInputRows(in calculator.InfantCare, yearsUnit string) [][]document.Cell {
	f := fieldsByName(calculator.InfantCareFields())
	return [][]document.Cell{
		inputRow(f["avoided"], document.Decimal(in.AvoidedHundredths, 2), "infants a year"),
		inputRow(f["careCost"], document.Pounds(in.CareCostPence), "£ a child a year"),
		inputRow(f["careYears"], document.Int(int64(in.CareYears)), "years"),
		inputRow(f["programmeCost"], document.Pounds(in.ProgrammeCostPence), "£ a year"),
		inputRow(f["years"], document.Int(int64(in.Years)), yearsUnit),
		inputRow(f["discount"], document.Decimal(in.DiscountBP, 2), "% a year"),
	}
}

// infantCareWorkbook is the Pause-type service model as live formulas.
func infantCareWorkbook(in calculator.InfantCare) []document.Table {
	inputs := document.Table{Sheet: "Inputs", Header: inputsHeader, Rows: append(infantCareInputRows(in, "years, 1 to 25"), [][]document.Cell{
		{},
		{document.Text("Change the values in column B, rows 2 to 7: every figure on the Results and Years sheets is a formula over them, rounded to the penny once, at the end, as Haven rounds.")},
		{document.Text("Haven worked out these figures at /calculators/infant-care?" + in.Query().Encode())},
	}...)}
	years := document.Table{Sheet: "Years", Header: []string{"Year", "Discount factor", "Children out of care", "Savings", "Cost", "Net saving",
		"Savings, running total", "Cost, running total", "Net saving, running total", "Savings before rounding (for the running totals)", "Cost before rounding, running total"}}
	last := strconv.Itoa(calculator.MaxYears + 1)
	for y := 1; y <= calculator.MaxYears; y++ {
		row := strconv.Itoa(y + 1)
		counted := func(expr string, fm document.Format) document.Cell {
			return document.Formula("IF($A$"+row+"<="+icYears+","+expr+`,"")`, fm)
		}
		children := icAvoided + "*MIN($A$" + row + "," + icCareYears + ")"
		savings := children + "*" + icCareCost + "*$B$" + row
		cumCost := icProgramme + "*SUM($B$2:$B$" + row + ")"
		years.Rows = append(years.Rows, []document.Cell{
			document.Int(int64(y)),
			counted("1/(1+"+icDiscount+"/100)^($A$"+row+"-1)", document.Fixed6),
			counted(round2(children), document.Fixed2),
			counted(round2(savings), document.Money),
			counted(round2(icProgramme+"*$B$"+row), document.Money),
			counted(round2(savings+"-"+icProgramme+"*$B$"+row), document.Money),
			counted(round2("SUM($J$2:$J$"+row+")"), document.Money),
			counted(round2("$K$"+row), document.Money),
			counted(round2("SUM($J$2:$J$"+row+")-$K$"+row), document.Money),
			counted(savings, document.General),
			counted(cumCost, document.General),
		})
	}
	years.Rows = append(years.Rows, []document.Cell{}, []document.Cell{document.Text("Rows after the number of years on the Inputs sheet stay empty. In year t the children kept out of care are those avoided a year × the smaller of t and the years in care.")})

	// Column D keeps the totals before rounding; the figures are worked from it.
	results := document.Table{Sheet: "Results", Header: []string{"Output", "Over the years", "How it is worked out", "Before rounding"}, Rows: [][]document.Cell{
		{document.Text("Savings"), document.Formula(round2("$D$2"), document.Money), document.Text("Σ children out of care that year × yearly cost of a child in care × discount factor"),
			document.Formula("SUM(Years!$J$2:$J$"+last+")", document.General)},
		{document.Text("Cost of the service"), document.Formula(round2("$D$3"), document.Money), document.Text("Σ the service's cost a year × discount factor"),
			document.Formula(icProgramme+"*SUM(Years!$B$2:$B$"+last+")", document.General)},
		{document.Text("Net saving"), document.Formula(round2("$D$2-$D$3"), document.Money), document.Text("savings − cost")},
		{document.Text("Return for each £1"), document.Formula(`IF($D$3>0,ROUND($D$2/$D$3,2),"")`, document.Fixed2), document.Text("savings ÷ cost; empty when the service costs nothing")},
		{},
	}}
	for _, b := range calculator.InfantCareBenchmarks {
		results.Rows = append(results.Rows, []document.Cell{document.Text(fmt.Sprintf("Published return for each £1 over %d years (a benchmark, not this answer)", b.Years)),
			document.Decimal(b.ReturnHundredths, 2), document.Text(sourceText(b.Source))})
	}
	return []document.Table{inputs, results, years}
}

// infantCareCSV is the Pause-type service figures as Haven worked them out.
func infantCareCSV(res calculator.InfantCareResult) []document.Table {
	in := res.Input
	inputs := document.Table{Sheet: "Inputs", Header: inputsHeader, Rows: infantCareInputRows(in, "years")}
	results := document.Table{Sheet: "Results", Header: []string{"Output", "Over the years", "Source"}, Rows: [][]document.Cell{
		{document.Text("Savings"), document.Pounds(res.SavingsPence), {}},
		{document.Text("Cost of the service"), document.Pounds(res.CostPence), {}},
		{document.Text("Net saving"), document.Pounds(res.NetPence), {}},
	}}
	if res.ReturnDefined {
		results.Rows = append(results.Rows, []document.Cell{document.Text("Return for each £1"), document.Decimal(res.ReturnHundredths, 2), {}})
	}
	for _, b := range res.Benchmarks {
		results.Rows = append(results.Rows, []document.Cell{document.Text(fmt.Sprintf("Published return for each £1 over %d years (a benchmark, not this answer)", b.Years)),
			document.Decimal(b.ReturnHundredths, 2), document.Text(sourceText(b.Source))})
	}
	years := document.Table{Sheet: "Years", Header: []string{"Year", "Children out of care", "Savings", "Cost", "Net saving", "Savings, running total", "Cost, running total", "Net saving, running total"}}
	for _, y := range res.Years {
		years.Rows = append(years.Rows, []document.Cell{document.Int(int64(y.Year)), document.Decimal(y.OutOfCareHundredths, 2),
			document.Pounds(y.SavingsPence), document.Pounds(y.CostPence), document.Pounds(y.NetPence),
			document.Pounds(y.CumulativeSavingsPence), document.Pounds(y.CumulativeCostPence), document.Pounds(y.CumulativeNetPence)})
	}
	return []document.Table{inputs, results, years}
}
