package web_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"haven/internal/calculator"
	"haven/internal/store/storetest"
)

// The calculator pages (issue 19 items 1 and 5) show exactly the domain's
// figures: each is read back from the page by its id or data-pence and
// compared with calculator's own result, and some with a figure worked out
// by hand.

var (
	idPence   = regexp.MustCompile(`id="([a-z-]+)" data-pence="(-?\d+)">([^<]*)<`)
	idText    = regexp.MustCompile(`id="([a-z-]+)">([^<]*)<`)
	tablePart = func(id string) *regexp.Regexp {
		return regexp.MustCompile(`(?s)<table class="govuk-table" id="` + id + `">(.*?)</table>`)
	}
	dataPence = regexp.MustCompile(`data-pence="(-?\d+)">([^<]*)<`)
	shareLink = regexp.MustCompile(`id="share-link" href="([^"]*)"`)
)

// pageFigures are a page's figures by id: pence and text.
func pageFigures(t *testing.T, body string) (map[string]int64, map[string]string) {
	t.Helper()
	pence, text := map[string]int64{}, map[string]string{}
	for _, m := range idPence.FindAllStringSubmatch(body, -1) {
		p, err := strconv.ParseInt(m[2], 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		pence[m[1]], text[m[1]] = p, html.UnescapeString(m[3])
		if got := calculator.FormatPence(p); html.UnescapeString(m[3]) != got {
			t.Errorf("%s shows %q for %d pence, want %q", m[1], m[3], p, got)
		}
	}
	for _, m := range idText.FindAllStringSubmatch(body, -1) {
		text[m[1]] = html.UnescapeString(m[2])
	}
	return pence, text
}

// tablePence are the data-pence of one table's cells, in order, each
// checked against its text.
func tablePence(t *testing.T, body, id string) []int64 {
	t.Helper()
	m := tablePart(id).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no table %s", id)
	}
	var out []int64
	for _, c := range dataPence.FindAllStringSubmatch(m[1], -1) {
		p, _ := strconv.ParseInt(c[1], 10, 64)
		if got := calculator.FormatPence(p); html.UnescapeString(c[2]) != got {
			t.Errorf("table %s shows %q for %d pence", id, c[2], p)
		}
		out = append(out, p)
	}
	return out
}

func TestReturnHomePageShowsTheCalculatorsFigures(t *testing.T) {
	ts, _ := newServer(t, storetest.SQLite(t))
	for _, tt := range []struct {
		name  string
		query string
		// hand is figures worked out by hand (and checked with Python's
		// fractions), by the id the page gives them.
		hand map[string]string
	}{
		{"the defaults", "", map[string]string{
			"rh-support-year": "£785,700.00", "rh-without-year": "£4,972,788.00", "rh-with-year": "£4,020,552.00",
			"rh-avoided-year": "£952,236.00", "rh-net-year": "£166,536.00", "rh-net-total": "£499,608.00",
			"rh-prevented": "9.00", "rh-return": "£1.21",
			"rh-breakeven": "Support pays for itself if it prevents 7.43 breakdowns a year, that is if the breakdown rate falls from 47% to 39.57% or lower.",
		}},
		// 53% × £11,000 + 27% × £6,000 + 20% × £1,644 = £7,778.80 a child.
		{"a need-level mix", "supportBy=need&highShare=53&highCost=11000&mediumShare=27&mediumCost=6000&lowShare=20&lowCost=1644", map[string]string{
			"rh-support-year": "£777,880.00", "rh-net-year": "£174,356.00", "rh-net-total": "£523,068.00",
		}},
		// £166,536 × (1 + 1/1.035 + 1/1.035²) = £482,903.4858…
		{"discounted at the Green Book rate", "discount=3.5", map[string]string{
			"rh-net-year": "£166,536.00", "rh-net-total": "£482,903.49",
		}},
		{"no children", "children=0", map[string]string{
			"rh-net-total": "£0.00", "rh-return": "Not defined: with no support cost there is nothing to divide by.",
		}},
		// b1 = b0: nothing avoided, the support cost is all loss.
		{"the same rate with support", "withSupport=47", map[string]string{
			"rh-avoided-year": "£0.00", "rh-net-year": "-£785,700.00", "rh-return": "£0.00",
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := send(t, ts.Client(), "GET", ts.URL+"/calculators/return-home?"+tt.query, nil)
			if res.status != http.StatusOK {
				t.Fatalf("status %d\n%s", res.status, res.body)
			}
			q, _ := url.ParseQuery(tt.query)
			in, ps := calculator.ParseReturnHome(q)
			if len(ps) > 0 {
				t.Fatal(ps)
			}
			want := in.Calculate()
			pence, text := pageFigures(t, res.body)
			for id, w := range map[string]int64{
				"rh-support-year": want.Year.SupportCostPence, "rh-support-total": want.Total.SupportCostPence,
				"rh-without-year": want.Year.FailedWithoutPence, "rh-without-total": want.Total.FailedWithoutPence,
				"rh-with-year": want.Year.FailedWithPence, "rh-with-total": want.Total.FailedWithPence,
				"rh-avoided-year": want.Year.AvoidedPence, "rh-avoided-total": want.Total.AvoidedPence,
				"rh-net-year": want.Year.NetSavingPence, "rh-net-total": want.Total.NetSavingPence,
			} {
				if got, ok := pence[id]; !ok || got != w {
					t.Errorf("%s = %d (shown: %v), want %d", id, got, ok, w)
				}
			}
			if got, w := text["rh-prevented"], calculator.FormatHundredths(want.PreventedHundredths); got != w {
				t.Errorf("prevented = %q, want %q", got, w)
			}
			if want.ReturnDefined && text["rh-return"] != calculator.FormatPence(want.ReturnHundredths) {
				t.Errorf("return = %q, want %d hundredths", text["rh-return"], want.ReturnHundredths)
			}
			for id, w := range tt.hand {
				if text[id] != w {
					t.Errorf("%s = %q, want %q (by hand)", id, text[id], w)
				}
			}
			var years []int64
			for _, y := range want.Years {
				a, c := y.Amounts, y.Cumulative
				years = append(years, a.SupportCostPence, a.FailedWithoutPence, a.FailedWithPence, a.AvoidedPence, a.NetSavingPence,
					c.SupportCostPence, c.AvoidedPence, c.NetSavingPence)
			}
			if got := tablePence(t, res.body, "rh-years"); !slices.Equal(got, years) {
				t.Errorf("by year = %v, want %v", got, years)
			}
			var sens []int64
			for _, r := range want.Sensitivity {
				sens = append(sens, r.NetSavingPence...)
			}
			if got := tablePence(t, res.body, "rh-sensitivity"); !slices.Equal(got, sens) {
				t.Errorf("sensitivity = %v, want %v", got, sens)
			}
			var chart []int64
			for _, y := range want.Years {
				chart = append(chart, y.Cumulative.SupportCostPence, y.Cumulative.AvoidedPence)
			}
			if got := tablePence(t, res.body, "rh-chart-table"); !slices.Equal(got, chart) {
				t.Errorf("chart's table = %v, want %v", got, chart)
			}
			if !strings.Contains(res.body, `<svg class="haven-chart" id="rh-chart"`) || !strings.Contains(res.body, `role="img"`) {
				t.Error("no chart")
			}
			// The working shows the user's numbers put in.
			if !strings.Contains(res.body, "<strong>Net saving a year</strong> = cost avoided − support cost = "+calculator.FormatPence(want.Year.AvoidedPence)+" − "+calculator.FormatPence(want.Year.SupportCostPence)+" = "+calculator.FormatPence(want.Year.NetSavingPence)) {
				t.Error("the working lacks the net saving a year with its numbers")
			}
		})
	}
}

func TestReturnHomeWorkingShowsTheNumbers(t *testing.T) {
	ts, _ := newServer(t, storetest.SQLite(t))
	res := send(t, ts.Client(), "GET", ts.URL+"/calculators/return-home?supportBy=need&discount=3.5", nil)
	for _, want := range []string{
		"<strong>Support cost a year</strong> = children × support cost for each child = 100 × £7,778.80 = £777,880.00",
		"53% × £11,000.00 + 27% × £6,000.00 + 20% × £1,644.00 = £7,778.80",
		"year 2: 1 ÷ (1 + 3.5%)^1 = 0.9662",
		"the breakdown rate must fall from 47% to 47% − £7,778.80 ÷ £105,804.00 = 47% − 7.35% = 39.65%",
		"<strong>The sensitivity table</strong>",
	} {
		if !strings.Contains(html.UnescapeString(res.body), want) {
			t.Errorf("the working lacks %q", want)
		}
	}
}

func TestInfantCarePageShowsTheCalculatorsFigures(t *testing.T) {
	ts, _ := newServer(t, storetest.SQLite(t))
	for _, tt := range []struct {
		name, query string
		hand        map[string]string
	}{
		// 14.4 × £40,000 × (1 + 2 + 3 + 4) = £5,760,000; 4 × £300,000 = £1,200,000.
		{"four years", "careCost=40000&programmeCost=300000", map[string]string{
			"ic-savings": "£5,760,000.00", "ic-cost": "£1,200,000.00", "ic-net": "£4,560,000.00", "ic-return": "£4.80",
		}},
		// T longer than H: each year adds children, none leaves.
		{"children in care longer than the years counted", "careCost=40000&programmeCost=300000&careYears=25&years=2", map[string]string{
			"ic-savings": "£1,728,000.00", "ic-cost": "£600,000.00",
		}},
		{"eighteen years, discounted", "careCost=57000&programmeCost=450000&years=18&discount=3.5", nil},
		{"a service that costs nothing", "careCost=57000&programmeCost=0", map[string]string{
			"ic-return": "Not defined: with no cost for the service there is nothing to divide by.",
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := send(t, ts.Client(), "GET", ts.URL+"/calculators/infant-care?"+tt.query, nil)
			if res.status != http.StatusOK {
				t.Fatalf("status %d\n%s", res.status, res.body)
			}
			q, _ := url.ParseQuery(tt.query)
			in, ps := calculator.ParseInfantCare(q)
			if len(ps) > 0 || !in.Given {
				t.Fatal(ps)
			}
			want := in.Calculate()
			pence, text := pageFigures(t, res.body)
			for id, w := range map[string]int64{"ic-savings": want.SavingsPence, "ic-cost": want.CostPence, "ic-net": want.NetPence} {
				if got, ok := pence[id]; !ok || got != w {
					t.Errorf("%s = %d (shown: %v), want %d", id, got, ok, w)
				}
			}
			if want.ReturnDefined && text["ic-return"] != calculator.FormatPence(want.ReturnHundredths) {
				t.Errorf("return = %q, want %d hundredths", text["ic-return"], want.ReturnHundredths)
			}
			for id, w := range tt.hand {
				if text[id] != w {
					t.Errorf("%s = %q, want %q (by hand)", id, text[id], w)
				}
			}
			var years, chart []int64
			for _, y := range want.Years {
				years = append(years, y.SavingsPence, y.CostPence, y.NetPence, y.CumulativeSavingsPence, y.CumulativeCostPence, y.CumulativeNetPence)
				chart = append(chart, y.CumulativeCostPence, y.CumulativeSavingsPence)
			}
			if got := tablePence(t, res.body, "ic-years"); !slices.Equal(got, years) {
				t.Errorf("by year = %v, want %v", got, years)
			}
			if got := tablePence(t, res.body, "ic-chart-table"); !slices.Equal(got, chart) {
				t.Errorf("chart's table = %v, want %v", got, chart)
			}
			// The published returns sit beside the result, never as it.
			if !strings.Contains(res.body, `id="ic-benchmarks"`) || !strings.Contains(res.body, "£4.50 for each £1 over 4 years") ||
				!strings.Contains(res.body, "£7.61 for each £1 over 18 years") || !strings.Contains(res.body, "These are not your answer") {
				t.Error("the benchmarks are missing or not marked as not the answer")
			}
		})
	}
	t.Run("a bare address shows only the form", func(t *testing.T) {
		res := send(t, ts.Client(), "GET", ts.URL+"/calculators/infant-care", nil)
		if res.status != http.StatusOK || strings.Contains(res.body, `id="results"`) || strings.Contains(res.body, "data-pence") ||
			!strings.Contains(res.body, `name="careCost" type="text" inputmode="decimal" spellcheck="false" value=""`) {
			t.Errorf("status %d; a result or a filled cost on a bare address", res.status)
		}
	})
}

// Every bad input is a 422 with an error summary linking to the field, an
// inline error, and what was typed kept in the input.
func TestCalculatorPagesRefuseBadInput(t *testing.T) {
	ts, _ := newServer(t, storetest.SQLite(t))
	for _, tt := range []struct {
		path, query, field, message, typed string
	}{
		{"return-home", "children=lots", "children", "The number of children returning home a year must be a whole number", "lots"},
		{"return-home", "children=-5", "children", "The number of children returning home a year must be 0 or more, not a negative number", "-5"},
		{"return-home", "support=£7,85", "support", "The support cost for each child must be an amount in pounds", "£7,85"},
		{"return-home", "supportBy=need&highShare=60", "highShare", "must add up to 100%; they add up to 107%", "60"},
		{"return-home", "supportBy=need&highShare=101", "highShare", "must be between 0% and 100%", "101"},
		{"return-home", "supportBy=weekly", "supportBy", "Choose an average support cost or costs by level of need", ""},
		{"return-home", "baseline=47.555", "baseline", "The breakdown rate without support must be a percentage with up to two decimals", "47.555"},
		{"return-home", "failedCost=", "failedCost", "Enter the cost of one failed return home", ""},
		{"return-home", "years=0", "years", "must be between 1 and 25", "0"},
		{"return-home", "discount=25", "discount", "must be between 0% and 20%", "25"},
		{"return-home", "children=" + strings.Repeat("9", 40), "children", "is too long", strings.Repeat("9", 40)},
		{"infant-care", "careCost=abc&programmeCost=1", "careCost", "The yearly cost of a child in care must be an amount in pounds", "abc"},
		{"infant-care", "careCost=1000", "programmeCost", "Enter the service", ""},
		{"infant-care", "careCost=1&programmeCost=1&years=26", "years", "must be between 1 and 25", "26"},
		{"infant-care", "careCost=1&programmeCost=1&avoided=1.234", "avoided", "must be a number with up to two decimals", "1.234"},
		{"infant-care", "careCost=1&programmeCost=1&careYears=0", "careYears", "must be between 1 and 25", "0"},
	} {
		t.Run(tt.path+"?"+tt.query, func(t *testing.T) {
			res := send(t, ts.Client(), "GET", ts.URL+"/calculators/"+tt.path+"?"+tt.query, nil)
			body := html.UnescapeString(res.body)
			if res.status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", res.status)
			}
			if !strings.Contains(body, `<h2 class="govuk-error-summary__title">There is a problem</h2>`) {
				t.Error("no error summary")
			}
			if !regexp.MustCompile(`<li><a href="#` + tt.field + `">[^<]*` + regexp.QuoteMeta(tt.message)).MatchString(body) {
				t.Errorf("the error summary does not link %q to #%s", tt.message, tt.field)
			}
			if !strings.Contains(body, `id="`+tt.field+`-error" class="govuk-error-message"`) {
				t.Errorf("no inline error for %s", tt.field)
			}
			if tt.typed != "" && !strings.Contains(body, `name="`+tt.field+`" type="text" inputmode="decimal" spellcheck="false" value="`+tt.typed+`"`) {
				t.Errorf("the input does not keep %q", tt.typed)
			}
			if strings.Contains(body, `id="results"`) {
				t.Error("results shown with a problem")
			}
		})
	}
}

// A rate with support above the rate without is a warning, not an error.
func TestReturnHomeWarnsWhenSupportAddsBreakdowns(t *testing.T) {
	ts, _ := newServer(t, storetest.SQLite(t))
	res := send(t, ts.Client(), "GET", ts.URL+"/calculators/return-home?withSupport=50", nil)
	if res.status != http.StatusOK {
		t.Fatalf("status %d", res.status)
	}
	body := html.UnescapeString(res.body)
	if !strings.Contains(body, `<span class="govuk-visually-hidden">Warning</span> The breakdown rate with support (50%) is higher than without it (47%)`) {
		t.Error("no warning")
	}
	if strings.Contains(body, "govuk-error-summary") || !strings.Contains(body, `id="results"`) || !strings.Contains(body, `id="rh-net-year" data-pence="-110311200">-£1,103,112.00<`) {
		t.Error("the warning case should show its results and no error")
	}
}

// The share link holds the scenario: following it shows the same figures.
func TestCalculatorShareLinkRoundTrips(t *testing.T) {
	ts, _ := newServer(t, storetest.SQLite(t))
	for _, tt := range []struct{ path, query, tableID string }{
		{"/calculators/return-home", "supportBy=need&highShare=50&highCost=12,000&mediumShare=30&mediumCost=£6000.50&lowShare=20&lowCost=1644&withSupport=35.5&years=5&discount=3.5", "rh-years"},
		{"/calculators/infant-care", "avoided=10&careCost=60,000&careYears=3&programmeCost=400000&years=18&discount=3.5", "ic-years"},
	} {
		t.Run(tt.path, func(t *testing.T) {
			first := send(t, ts.Client(), "GET", ts.URL+tt.path+"?"+tt.query, nil)
			m := shareLink.FindStringSubmatch(first.body)
			if first.status != 200 || m == nil {
				t.Fatalf("status %d, share link %v", first.status, m)
			}
			link := html.UnescapeString(m[1])
			if !strings.HasPrefix(link, tt.path+"?") {
				t.Fatalf("share link %q", link)
			}
			for _, ext := range []string{".xlsx", ".csv"} {
				if !strings.Contains(first.body, `href="`+html.EscapeString(strings.Replace(link, "?", ext+"?", 1))+`"`) {
					t.Errorf("no %s download for %s", ext, link)
				}
			}
			// The same scenario with no discount is offered, as 3.5% is in use.
			alt := strings.Replace(link, "discount=3.5", "discount=0", 1) + "#results"
			if !strings.Contains(first.body, `href="`+html.EscapeString(alt)+`">See this scenario with no discount (0%)</a>`) || strings.Contains(first.body, "at HM Treasury&#39;s Green Book rate (3.5%)</a>") {
				t.Errorf("the discount choices are not offered as links to %s", alt)
			}
			second := send(t, ts.Client(), "GET", ts.URL+link, nil)
			if second.status != 200 {
				t.Fatalf("share link: status %d", second.status)
			}
			a, b := tablePence(t, first.body, tt.tableID), tablePence(t, second.body, tt.tableID)
			if len(a) == 0 || !slices.Equal(a, b) {
				t.Errorf("figures differ: %v and %v", a, b)
			}
			if m2 := shareLink.FindStringSubmatch(second.body); m2 == nil || m2[1] != m[1] {
				t.Errorf("the shared page's own link differs: %v", m2)
			}
		})
	}
}

func TestCalculatorIndexLinksBothCalculators(t *testing.T) {
	ts, _ := newServer(t, storetest.SQLite(t))
	res := send(t, ts.Client(), "GET", ts.URL+"/calculators", nil)
	if res.status != 200 || !strings.Contains(res.body, `href="/calculators/return-home"`) || !strings.Contains(res.body, `href="/calculators/infant-care"`) ||
		!strings.Contains(res.body, "<title>Cost calculators – Haven</title>") {
		t.Errorf("status %d; the index lacks a calculator or its title", res.status)
	}
	home := send(t, ts.Client(), "GET", ts.URL+"/", nil)
	if !strings.Contains(home.body, `<a class="govuk-link" href="/calculators">Cost calculators</a>`) || !strings.Contains(home.body, `<a class="govuk-footer__link" href="/calculators">`) {
		t.Error("the home page does not link the calculators")
	}
}
