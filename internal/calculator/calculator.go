// Package calculator holds Haven's two public cost calculators: the cost and
// savings of support on return home from care (the NSPCC's spreadsheet, as
// issue 19 specifies it) and the return on a Pause-type service. Every
// amount is exact (math/big) and rounded once, at the end, to the nearest
// penny, halves away from zero; money is never a float.
package calculator

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"
)

// Source is where a default comes from; Example marks one that is only an
// illustration, to be replaced by the user's own figure.
type Source struct {
	Text    string // a short citation, shown beside the input
	URL     string // empty for an example
	Example bool
}

var (
	srcExample   = Source{Text: "example: use your own figure", Example: true}
	srcHolmes    = Source{Text: "Holmes (2014), Supporting children and families returning home from care: counting the costs, Loughborough CCFR for NSPCC", URL: "https://www.nspcc.org.uk/services-and-resources/research-and-resources/2014/supporting-children-families-returning-home-from-care-counting-costs/"}
	srcHolmesBE  = Source{Text: "Holmes (2014), the break-even point: the breakdown rate falling from 47% to 38%, as reported by LocalGov", URL: "https://www.nspcc.org.uk/services-and-resources/research-and-resources/2014/supporting-children-families-returning-home-from-care-counting-costs/"}
	srcSussex24  = Source{Text: "University of Sussex for NSPCC (2024): £105,804 a child returning to care, £7,857 an average support package, from £1,644 for a low-need family over 6 months", URL: "https://racetothemoon.nspcc.org.uk/about-us/news-opinion/2024/calling-on-uk-government-improve-support-reunited-families"}
	srcGreenBook = Source{Text: "HM Treasury, The Green Book: the standard discount rate of 3.5% a year", URL: "https://www.gov.uk/government/publications/the-green-book-appraisal-and-guidance-in-central-government"}
	srcPause2020 = Source{Text: "Boddy et al. (2020), The difference a relationship makes, University of Sussex for the DfE: infants entering care fell by 14.4 a year in each local authority with Pause; £4.50 saved for each £1 over 4 years, £7.61 over 18 years", URL: "https://www.pause.org.uk/news/new-independent-evaluation-of-pause-shows-the-difference-a-relationship-makes/"}
	srcNoDefault = Source{Text: "no default: your own figure, for example from your s251 outturn", Example: true}
)

// GreenBookRate is HM Treasury's discount rate, in hundredths of a percent.
const GreenBookRate = 350

// Limits keep every figure inside int64 pence and every page quick.
const (
	MaxChildren = 100_000        // children returning home a year
	MaxPence    = 10_000_000_000 // £100 million, any one money input
	MaxYears    = 25
	MaxDiscount = 2000      // 20%, in hundredths of a percent
	MaxAvoided  = 1_000_000 // 10,000.00 infants a year, in hundredths
)

// Field is one input as the form, the URL, the API and the download name it.
type Field struct {
	Name   string // the query parameter
	Label  string
	Hint   string
	Source Source
}

// Problem is one bad input: which field, and what to do about it.
type Problem struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Problems are a form's bad inputs, in the form's order.
type Problems []Problem

func (ps Problems) Error() string {
	msgs := make([]string, len(ps))
	for i, p := range ps {
		msgs[i] = p.Field + ": " + p.Message
	}
	return strings.Join(msgs, "; ")
}

// For is the message for one field, or "".
func (ps Problems) For(field string) string {
	for _, p := range ps {
		if p.Field == field {
			return p.Message
		}
	}
	return ""
}

var (
	one  = big.NewInt(1)
	ten4 = big.NewInt(10000)
)

func mul3(a, b, c *big.Int) *big.Int { return new(big.Int).Mul(new(big.Int).Mul(a, b), c) }

// divRound is num ÷ den rounded once to a whole number, halves away from
// zero. The input limits keep every result inside int64, so a result that
// is not is a bug, not bad input.
func divRound(num, den *big.Int) int64 {
	neg := (num.Sign() < 0) != (den.Sign() < 0)
	n, d := new(big.Int).Abs(num), new(big.Int).Abs(den)
	// floor((2|n| + |d|) / 2|d|) is |n| ÷ |d| rounded half up.
	q := new(big.Int).Lsh(n, 1)
	q.Add(q, d)
	q.Quo(q, new(big.Int).Lsh(d, 1))
	if neg {
		q.Neg(q)
	}
	if !q.IsInt64() {
		panic(fmt.Sprintf("calculator: %s ÷ %s does not fit int64", num, den))
	}
	return q.Int64()
}

// discountNumerators are the discount factors 1/(1+d)^t for t = 0 …
// years−1 (d in hundredths of a percent) over one common denominator q:
// factor t is nums[t] ÷ q, with q = (10000+d)^(years−1).
func discountNumerators(years int, d int64) (nums []*big.Int, q *big.Int) {
	p, r := big.NewInt(10000), big.NewInt(10000+d)
	q = new(big.Int).Exp(r, big.NewInt(int64(years-1)), nil)
	pt := big.NewInt(1) // p^t
	for t := range years {
		rest := new(big.Int).Exp(r, big.NewInt(int64(years-1-t)), nil)
		nums = append(nums, new(big.Int).Mul(pt, rest))
		pt = new(big.Int).Mul(pt, p)
	}
	return nums, q
}

// FormatPence writes pence as pounds and pence, grouped: -123456 is -£1,234.56.
func FormatPence(p int64) string {
	sign := ""
	if p < 0 {
		sign = "-"
	}
	return sign + "£" + fixed(abs(p), 2)
}

// FormatHundredths writes a number kept in hundredths to two decimals: 450 is 4.50.
func FormatHundredths(h int64) string {
	if h < 0 {
		return "-" + fixed(-h, 2)
	}
	return fixed(h, 2)
}

// FormatRate writes a rate in hundredths of a percent without trailing zeros: 4750 is 47.5%.
func FormatRate(bp int64) string {
	s := FormatHundredths(bp)
	s = strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
	return s + "%"
}

// rateInput is a rate as typed into the form: 4750 is 47.5.
func rateInput(bp int64) string { return strings.TrimSuffix(FormatRate(bp), "%") }

// penceInput is pence as typed into the form: 785700 is 7857, 164450 is 1644.50.
func penceInput(p int64) string {
	if p%100 == 0 {
		return strconv.FormatInt(p/100, 10)
	}
	return fmt.Sprintf("%d.%02d", p/100, p%100)
}

// hundredthsInput is a number kept in hundredths as typed: 1440 is 14.4.
func hundredthsInput(h int64) string { return rateInput(h) }

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

// fixed writes n/10^places with thousands grouped.
func fixed(n int64, places int) string {
	s := strconv.FormatInt(n, 10)
	for len(s) <= places {
		s = "0" + s
	}
	whole, part := s[:len(s)-places], s[len(s)-places:]
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if places > 0 {
		b.WriteByte('.')
		b.WriteString(part)
	}
	return b.String()
}
