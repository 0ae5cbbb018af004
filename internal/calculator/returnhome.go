package calculator

import (
	"math/big"
	"net/url"
	"strconv"
)

// The return-home calculator's fields, in the form's order.
var (
	fChildren    = spec{Field{"children", "Children returning home a year", "How many children in your area return home from care in a year.", srcExample}, kindWhole, 0, MaxChildren, "the number of children returning home a year"}
	fSupport     = spec{Field{"support", "Support cost for each child", "The cost of a package of support for one child and family, in pounds.", srcSussex24}, kindMoney, 0, MaxPence, "the support cost for each child"}
	fHighShare   = spec{Field{"highShare", "High need: share of children", "Percentage of children returning home with high needs.", srcHolmes}, kindRate, 0, 10000, "the share of children with high needs"}
	fHighCost    = spec{Field{"highCost", "High need: support cost for each child", "In pounds.", srcExample}, kindMoney, 0, MaxPence, "the support cost for a child with high needs"}
	fMediumShare = spec{Field{"mediumShare", "Medium need: share of children", "Percentage of children returning home with medium needs.", srcExample}, kindRate, 0, 10000, "the share of children with medium needs"}
	fMediumCost  = spec{Field{"mediumCost", "Medium need: support cost for each child", "In pounds.", srcExample}, kindMoney, 0, MaxPence, "the support cost for a child with medium needs"}
	fLowShare    = spec{Field{"lowShare", "Low need: share of children", "Percentage of children returning home with low needs.", srcExample}, kindRate, 0, 10000, "the share of children with low needs"}
	fLowCost     = spec{Field{"lowCost", "Low need: support cost for each child", "In pounds: £1,644 is a low-need family supported for 6 months (2024).", srcSussex24}, kindMoney, 0, MaxPence, "the support cost for a child with low needs"}
	fBaseline    = spec{Field{"baseline", "Breakdown rate without support", "Percentage of returns home that break down without support.", srcHolmes}, kindRate, 0, 10000, "the breakdown rate without support"}
	fWithSupport = spec{Field{"withSupport", "Breakdown rate with support", "Percentage of returns home you expect to break down with support.", srcHolmesBE}, kindRate, 0, 10000, "the breakdown rate with support"}
	fFailedCost  = spec{Field{"failedCost", "Cost of one failed return home", "What one child's return to care costs, in pounds. The 2014 figure was £61,614.", srcSussex24}, kindMoney, 0, MaxPence, "the cost of one failed return home"}
	fRHYears     = spec{Field{"years", "Years", "How many years to count, from 1 to 25: 3 is a budget cycle.", srcHolmes}, kindWhole, 1, MaxYears, "the number of years"}
	fDiscount    = spec{Field{"discount", "Discount rate a year", "0 for none; 3.5 is HM Treasury's Green Book rate.", srcGreenBook}, kindRate, 0, MaxDiscount, "the discount rate"}
)

// The defaults issue 19 and DOMAIN.md §5.3 give.
const (
	Failed2014Pence = 6_161_400 // Holmes (2014): £61,614 a child re-entering care
	Failed2024Pence = 10_580_400
	Support2024     = 785_700
	Support2014     = 562_700
	LowNeed2024     = 164_400
)

// NeedLevel is one level of need: its share of the children and its cost.
type NeedLevel struct {
	Name        string `json:"name"`
	ShareBP     int64  `json:"shareHundredthsOfPercent"`
	CostPence   int64  `json:"costPence"`
	share, cost spec
}

// ReturnHome is the return-home calculator's inputs.
type ReturnHome struct {
	Children int64 `json:"children"`
	// ByNeed takes the support cost from the three levels' weighted average.
	ByNeed        bool        `json:"byNeed"`
	SupportPence  int64       `json:"supportPence"`
	Need          []NeedLevel `json:"needLevels"`
	BaselineBP    int64       `json:"baselineHundredthsOfPercent"`
	WithSupportBP int64       `json:"withSupportHundredthsOfPercent"`
	FailedPence   int64       `json:"failedCostPence"`
	Years         int         `json:"years"`
	DiscountBP    int64       `json:"discountHundredthsOfPercent"`
}

// DefaultReturnHome is the calculator as it opens.
func DefaultReturnHome() ReturnHome {
	return ReturnHome{
		Children: 100, SupportPence: Support2024,
		Need: []NeedLevel{
			{Name: "High", ShareBP: 5300, CostPence: 1_100_000, share: fHighShare, cost: fHighCost},
			{Name: "Medium", ShareBP: 2700, CostPence: 600_000, share: fMediumShare, cost: fMediumCost},
			{Name: "Low", ShareBP: 2000, CostPence: LowNeed2024, share: fLowShare, cost: fLowCost},
		},
		BaselineBP: 4700, WithSupportBP: 3800, FailedPence: Failed2024Pence, Years: 3,
	}
}

// ReturnHomeFields are the inputs in the form's order, for labels and sources.
func ReturnHomeFields() []Field {
	var out []Field
	for _, s := range []spec{fChildren, fSupport, fHighShare, fHighCost, fMediumShare, fMediumCost, fLowShare, fLowCost, fBaseline, fWithSupport, fFailedCost, fRHYears, fDiscount} {
		out = append(out, s.Field)
	}
	return out
}

// ParseReturnHome reads the inputs from a query: an absent field keeps its
// default, so a bare URL is the default scenario. Problems are errors; the
// result still holds every good value so the form can show them again.
func ParseReturnHome(q url.Values) (ReturnHome, Problems) {
	in := DefaultReturnHome()
	r := &reader{q: q}
	in.Children = r.value(fChildren, in.Children)
	switch q.Get("supportBy") {
	case "", "average":
	case "need":
		in.ByNeed = true
	default:
		r.problems = append(r.problems, Problem{Field: "supportBy", Message: "Choose an average support cost or costs by level of need"})
	}
	if in.ByNeed {
		var total int64
		for i := range in.Need {
			n := &in.Need[i]
			n.ShareBP = r.value(n.share, n.ShareBP)
			n.CostPence = r.value(n.cost, n.CostPence)
			total += n.ShareBP
		}
		if total != 10000 && r.problems.For(fHighShare.Name)+r.problems.For(fMediumShare.Name)+r.problems.For(fLowShare.Name) == "" {
			r.problems = append(r.problems, Problem{Field: fHighShare.Name, Message: "The shares of high, medium and low need must add up to 100%; they add up to " + FormatRate(total)})
		}
	} else {
		in.SupportPence = r.value(fSupport, in.SupportPence)
	}
	in.BaselineBP = r.value(fBaseline, in.BaselineBP)
	in.WithSupportBP = r.value(fWithSupport, in.WithSupportBP)
	in.FailedPence = r.value(fFailedCost, in.FailedPence)
	in.Years = int(r.value(fRHYears, int64(in.Years)))
	in.DiscountBP = r.value(fDiscount, in.DiscountBP)
	return in, r.problems
}

// Query is the inputs as a URL query: the scenario's shareable address.
func (in ReturnHome) Query() url.Values {
	q := url.Values{}
	q.Set(fChildren.Name, fChildren.input(in.Children))
	if in.ByNeed {
		q.Set("supportBy", "need")
		for _, n := range in.Need {
			q.Set(n.share.Name, n.share.input(n.ShareBP))
			q.Set(n.cost.Name, n.cost.input(n.CostPence))
		}
	} else {
		q.Set(fSupport.Name, fSupport.input(in.SupportPence))
	}
	q.Set(fBaseline.Name, fBaseline.input(in.BaselineBP))
	q.Set(fWithSupport.Name, fWithSupport.input(in.WithSupportBP))
	q.Set(fFailedCost.Name, fFailedCost.input(in.FailedPence))
	q.Set(fRHYears.Name, strconv.Itoa(in.Years))
	q.Set(fDiscount.Name, fDiscount.input(in.DiscountBP))
	return q
}

// Warnings are inputs that are allowed but probably not meant.
func (in ReturnHome) Warnings() []string {
	var out []string
	if in.WithSupportBP > in.BaselineBP {
		out = append(out, "The breakdown rate with support ("+FormatRate(in.WithSupportBP)+") is higher than without it ("+FormatRate(in.BaselineBP)+"), so support would add breakdowns rather than prevent them.")
	}
	return out
}

// support4 is S, the support cost for each child, in ten-thousandths of a
// penny: exact for an average in pence and for shares in hundredths of a
// percent times costs in pence.
func (in ReturnHome) support4() *big.Int {
	if !in.ByNeed {
		return big.NewInt(in.SupportPence * 10000)
	}
	s := new(big.Int)
	for _, n := range in.Need {
		s.Add(s, new(big.Int).Mul(big.NewInt(n.ShareBP), big.NewInt(n.CostPence)))
	}
	return s
}

// Amounts are one period's money, in pence.
type Amounts struct {
	SupportCostPence   int64 `json:"supportCostPence"`
	FailedWithoutPence int64 `json:"failedWithoutSupportPence"`
	FailedWithPence    int64 `json:"failedWithSupportPence"`
	AvoidedPence       int64 `json:"failedCostAvoidedPence"`
	NetSavingPence     int64 `json:"netSavingPence"`
}

// YearRow is one year's amounts, discounted, and the running totals.
type YearRow struct {
	Year       int     `json:"year"`
	Amounts    Amounts `json:"amounts"`
	Cumulative Amounts `json:"cumulative"`
}

// SensitivityRow is the net saving over the years at one breakdown rate with
// support, for each support-cost multiplier.
type SensitivityRow struct {
	WithSupportBP  int64   `json:"withSupportHundredthsOfPercent"`
	NetSavingPence []int64 `json:"netSavingPence"`
}

// SensitivityMultipliers scale the support cost, in hundredths: ×0.5, ×1, ×1.5.
var SensitivityMultipliers = []int64{50, 100, 150}

// ReturnHomeResult is every output of the return-home calculator.
type ReturnHomeResult struct {
	Input                  ReturnHome       `json:"input"`
	SupportPerChildPence   int64            `json:"supportPerChildPence"`
	Year                   Amounts          `json:"aYear"`
	Total                  Amounts          `json:"overYears"`
	PreventedHundredths    int64            `json:"breakdownsPreventedAYearHundredths"`
	ReturnHundredths       int64            `json:"returnPerPoundHundredths"`
	ReturnDefined          bool             `json:"returnDefined"`
	BreakEvenHundredths    int64            `json:"breakEvenBreakdownsAYearHundredths"`
	BreakEvenRateBP        int64            `json:"breakEvenRateHundredthsOfPercent"`
	BreakEvenDefined       bool             `json:"breakEvenDefined"`
	Years                  []YearRow        `json:"years"`
	SensitivityMultipliers []int64          `json:"sensitivityMultipliersHundredths"`
	Sensitivity            []SensitivityRow `json:"sensitivity"`
	Warnings               []string         `json:"warnings"`
}

// yearAmounts are one year's undiscounted amounts in ten-thousandths of a
// penny, for a breakdown rate with support and a support cost per child
// (s4, in the same unit): whole numbers, so nothing is rounded until the end.
type yearAmounts [5]*big.Int // support, without, with, avoided, net

func (in ReturnHome) year(withBP int64, s4 *big.Int) yearAmounts {
	n, c := big.NewInt(in.Children), big.NewInt(in.FailedPence)
	var a yearAmounts
	a[0] = new(big.Int).Mul(n, s4)
	a[1] = mul3(n, big.NewInt(in.BaselineBP), c)
	a[2] = mul3(n, big.NewInt(withBP), c)
	a[3] = new(big.Int).Sub(a[1], a[2])
	a[4] = new(big.Int).Sub(a[3], a[0])
	return a
}

// pence is each amount times f over den, rounded once to whole pence.
func (a yearAmounts) pence(f, den *big.Int) Amounts {
	var out [5]int64
	for i, v := range a {
		out[i] = divRound(new(big.Int).Mul(v, f), den)
	}
	return Amounts{out[0], out[1], out[2], out[3], out[4]}
}

// Calculate works out every output from good inputs.
func (in ReturnHome) Calculate() ReturnHomeResult {
	s4 := in.support4()
	out := ReturnHomeResult{Input: in, SupportPerChildPence: divRound(s4, ten4), Warnings: in.Warnings(), SensitivityMultipliers: SensitivityMultipliers}
	year := in.year(in.WithSupportBP, s4)
	out.Year = year.pence(one, ten4)
	nums, q := discountNumerators(in.Years, in.DiscountBP)
	den := new(big.Int).Mul(q, ten4)
	sum := new(big.Int)
	for t, f := range nums {
		sum.Add(sum, f)
		out.Years = append(out.Years, YearRow{Year: t + 1, Amounts: year.pence(f, den), Cumulative: year.pence(sum, den)})
	}
	out.Total = year.pence(sum, den)
	out.PreventedHundredths = divRound(big.NewInt(in.Children*(in.BaselineBP-in.WithSupportBP)), big.NewInt(100))
	if year[0].Sign() > 0 {
		out.ReturnDefined = true
		out.ReturnHundredths = divRound(new(big.Int).Mul(year[3], big.NewInt(100)), year[0])
	}
	if in.FailedPence > 0 {
		c := big.NewInt(in.FailedPence)
		out.BreakEvenDefined = true
		// (N × S) ÷ C, to hundredths.
		out.BreakEvenHundredths = divRound(new(big.Int).Mul(year[0], big.NewInt(100)), new(big.Int).Mul(c, ten4))
		// b0 − S ÷ C, in hundredths of a percent.
		out.BreakEvenRateBP = divRound(new(big.Int).Sub(new(big.Int).Mul(big.NewInt(in.BaselineBP), c), s4), c)
	}
	for _, b1 := range sensitivityRates(in.BaselineBP) {
		row := SensitivityRow{WithSupportBP: b1}
		for _, m := range SensitivityMultipliers {
			// In millionths of a penny, so the multiplier stays whole.
			s := in.year(b1, new(big.Int).Mul(s4, big.NewInt(m)))
			net := new(big.Int).Sub(new(big.Int).Mul(s[3], big.NewInt(100)), s[0])
			row.NetSavingPence = append(row.NetSavingPence, divRound(net.Mul(net, sum), new(big.Int).Mul(den, big.NewInt(100))))
		}
		out.Sensitivity = append(out.Sensitivity, row)
	}
	return out
}

// sensitivityRates are b0, b0 − 5, … percentage points, down to max(0, b0 − 25).
func sensitivityRates(b0 int64) []int64 {
	var out []int64
	for k := int64(0); k <= 5; k++ {
		v := max(0, b0-500*k)
		if len(out) > 0 && out[len(out)-1] == v {
			break
		}
		out = append(out, v)
	}
	return out
}
