package calculator

import (
	"math/big"
	"net/url"
	"strconv"
)

// The Pause-type service calculator's fields, in the form's order.
var (
	fAvoided       = spec{Field{"avoided", "Infants kept out of care a year", "Infants under 12 months who would otherwise have entered care, each year.", srcPause2020}, kindCount, 0, MaxAvoided, "the number of infants kept out of care a year"}
	fCareCost      = spec{Field{"careCost", "Yearly cost of a child in care", "In pounds.", srcNoDefault}, kindMoney, 0, MaxPence, "the yearly cost of a child in care"}
	fCareYears     = spec{Field{"careYears", "Years each child would have stayed in care", "A whole number of years, from 1 to 25.", srcExample}, kindWhole, 1, MaxYears, "the number of years each child would have stayed in care"}
	fProgrammeCost = spec{Field{"programmeCost", "The service's cost a year", "In pounds: staff, the flexible fund and running costs.", srcNoDefault}, kindMoney, 0, MaxPence, "the service's cost a year"}
	fICYears       = spec{Field{"years", "Years", "How many years to count, from 1 to 25: the 2020 evaluation used 4 and 18.", srcPause2020}, kindWhole, 1, MaxYears, "the number of years"}
)

// Benchmark is a published return, shown beside a result, never as it.
type Benchmark struct {
	Years            int    `json:"years"`
	ReturnHundredths int64  `json:"returnPerPoundHundredths"`
	Source           Source `json:"source"`
}

// InfantCareBenchmarks are the 2020 evaluation's returns for each £1.
var InfantCareBenchmarks = []Benchmark{{4, 450, srcPause2020}, {18, 761, srcPause2020}}

// InfantCare is the Pause-type service calculator's inputs. CareCost and
// ProgrammeCost have no default: Given says both have been entered.
type InfantCare struct {
	AvoidedHundredths  int64 `json:"avoidedHundredths"`
	CareCostPence      int64 `json:"careCostPence"`
	CareYears          int   `json:"careYears"`
	ProgrammeCostPence int64 `json:"programmeCostPence"`
	Years              int   `json:"years"`
	DiscountBP         int64 `json:"discountHundredthsOfPercent"`
	Given              bool  `json:"-"`
}

// DefaultInfantCare is the calculator as it opens, before the two costs.
func DefaultInfantCare() InfantCare {
	return InfantCare{AvoidedHundredths: 1440, CareYears: 5, Years: 4}
}

// InfantCareFields are the inputs in the form's order.
func InfantCareFields() []Field {
	var out []Field
	for _, s := range []spec{fAvoided, fCareCost, fCareYears, fProgrammeCost, fICYears, fDiscount} {
		out = append(out, s.Field)
	}
	return out
}

// ParseInfantCare reads the inputs from a query. The two costs are required
// once the form has been sent (either cost present in the query); a bare URL
// shows the form with its defaults and no result yet.
func ParseInfantCare(q url.Values) (InfantCare, Problems) {
	in := DefaultInfantCare()
	r := &reader{q: q}
	_, a := q[fCareCost.Name]
	_, b := q[fProgrammeCost.Name]
	sent := a || b
	in.AvoidedHundredths = r.value(fAvoided, in.AvoidedHundredths)
	var okCare, okProg bool
	in.CareCostPence, okCare = r.required(fCareCost, sent)
	in.CareYears = int(r.value(fCareYears, int64(in.CareYears)))
	in.ProgrammeCostPence, okProg = r.required(fProgrammeCost, sent)
	in.Years = int(r.value(fICYears, int64(in.Years)))
	in.DiscountBP = r.value(fDiscount, in.DiscountBP)
	in.Given = okCare && okProg
	return in, r.problems
}

// ParseInfantCareAPI is ParseInfantCare for the API, where the two costs are
// always required.
func ParseInfantCareAPI(q url.Values) (InfantCare, Problems) {
	q2 := url.Values{}
	for k, v := range q {
		q2[k] = v
	}
	if !q2.Has(fCareCost.Name) {
		q2.Set(fCareCost.Name, "")
	}
	return ParseInfantCare(q2)
}

// Query is the inputs as a URL query.
func (in InfantCare) Query() url.Values {
	q := url.Values{}
	q.Set(fAvoided.Name, fAvoided.input(in.AvoidedHundredths))
	if in.Given {
		q.Set(fCareCost.Name, fCareCost.input(in.CareCostPence))
		q.Set(fProgrammeCost.Name, fProgrammeCost.input(in.ProgrammeCostPence))
	}
	q.Set(fCareYears.Name, strconv.Itoa(in.CareYears))
	q.Set(fICYears.Name, strconv.Itoa(in.Years))
	q.Set(fDiscount.Name, fDiscount.input(in.DiscountBP))
	return q
}

// InfantYear is one year: the children out of care that year, its savings
// and cost (discounted), and the running totals.
type InfantYear struct {
	Year                   int   `json:"year"`
	OutOfCareHundredths    int64 `json:"childrenOutOfCareHundredths"`
	SavingsPence           int64 `json:"savingsPence"`
	CostPence              int64 `json:"costPence"`
	NetPence               int64 `json:"netPence"`
	CumulativeSavingsPence int64 `json:"cumulativeSavingsPence"`
	CumulativeCostPence    int64 `json:"cumulativeCostPence"`
	CumulativeNetPence     int64 `json:"cumulativeNetPence"`
}

// InfantCareResult is every output of the Pause-type service calculator.
type InfantCareResult struct {
	Input            InfantCare   `json:"input"`
	SavingsPence     int64        `json:"savingsPence"`
	CostPence        int64        `json:"costPence"`
	NetPence         int64        `json:"netSavingPence"`
	ReturnHundredths int64        `json:"returnPerPoundHundredths"`
	ReturnDefined    bool         `json:"returnDefined"`
	Years            []InfantYear `json:"years"`
	Benchmarks       []Benchmark  `json:"benchmarks"`
}

// Calculate works out every output; the inputs must be Given. Each year's
// savings and cost are whole numbers of hundredths of a penny, times its
// discount numerator, over one common denominator: exact, and rounded once.
func (in InfantCare) Calculate() InfantCareResult {
	out := InfantCareResult{Input: in, Benchmarks: InfantCareBenchmarks}
	nums, q := discountNumerators(in.Years, in.DiscountBP)
	den := new(big.Int).Mul(q, big.NewInt(100))
	cost := big.NewInt(in.ProgrammeCostPence * 100)
	sumS, sumC := new(big.Int), new(big.Int)
	for t, f := range nums {
		children := in.AvoidedHundredths * int64(min(t+1, in.CareYears))
		s := new(big.Int).Mul(mul3(big.NewInt(children), big.NewInt(in.CareCostPence), one), f)
		c := new(big.Int).Mul(cost, f)
		sumS.Add(sumS, s)
		sumC.Add(sumC, c)
		out.Years = append(out.Years, InfantYear{
			Year: t + 1, OutOfCareHundredths: children,
			SavingsPence: divRound(s, den), CostPence: divRound(c, den), NetPence: divRound(new(big.Int).Sub(s, c), den),
			CumulativeSavingsPence: divRound(sumS, den), CumulativeCostPence: divRound(sumC, den), CumulativeNetPence: divRound(new(big.Int).Sub(sumS, sumC), den),
		})
	}
	out.SavingsPence, out.CostPence, out.NetPence = divRound(sumS, den), divRound(sumC, den), divRound(new(big.Int).Sub(sumS, sumC), den)
	if sumC.Sign() > 0 {
		out.ReturnDefined = true
		out.ReturnHundredths = divRound(new(big.Int).Mul(sumS, big.NewInt(100)), sumC)
	}
	return out
}
