package web_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/xuri/excelize/v2"

	"haven/internal/access"
	"haven/internal/calculator"
	"haven/internal/store"
	"haven/internal/store/storetest"
	"haven/internal/web"
)

// calcServer is Haven in-process on a clock the test moves, so the rate
// limit is the test's to spend. Each request comes from the address given.
type calcServer struct {
	s     *web.Server
	clock *clock
}

func newCalcServer(t testing.TB, db *store.DB) *calcServer {
	t.Helper()
	c := newClock()
	s, err := web.NewServer(web.Options{Store: db, Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	return &calcServer{s: s, clock: c}
}

func (c *calcServer) get(path, addr string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("GET", path, nil)
	req.RemoteAddr = addr + ":40000"
	rec := httptest.NewRecorder()
	c.s.ServeHTTP(rec, req)
	return rec
}

// The scenarios the acceptance names: the defaults, a need-level mix that
// must be rounded once, discounting, and care longer than the horizon.
var calcScenarios = []struct {
	name, calc string
	q          url.Values
}{
	{"return home: defaults", "return-home", url.Values{}},
	{"return home: need mix rounded once", "return-home", url.Values{"supportBy": {"need"}, "children": {"7"}, "highShare": {"33.33"}, "highCost": {"1000.01"},
		"mediumShare": {"33.33"}, "mediumCost": {"2,000"}, "lowShare": {"33.34%"}, "lowCost": {"£3000"}}},
	{"return home: discounted", "return-home", url.Values{"discount": {"3.5"}}},
	{"return home: b1 above b0, low baseline, 5 years", "return-home", url.Values{"baseline": {"12"}, "withSupport": {"14"}, "years": {"5"}, "discount": {"3.5"}}},
	{"return home: no children", "return-home", url.Values{"children": {"0"}}},
	{"return home: free support", "return-home", url.Values{"support": {"0"}, "failedCost": {"0"}}},
	{"infant care: defaults", "infant-care", url.Values{"careCost": {"60000"}, "programmeCost": {"500000"}}},
	{"infant care: care longer than the horizon", "infant-care", url.Values{"careCost": {"60000"}, "programmeCost": {"500000"}, "careYears": {"25"}, "years": {"2"}}},
	{"infant care: discounted over 18 years", "infant-care", url.Values{"careCost": {"61,234.56"}, "programmeCost": {"750000"}, "avoided": {"3.25"}, "years": {"18"}, "discount": {"3.5"}}},
}

// domainJSON is what calculator.Calculate gives for a scenario, as JSON.
func domainJSON(t *testing.T, calc string, q url.Values) (map[string]any, any) {
	t.Helper()
	var res any
	switch calc {
	case "return-home":
		in, ps := calculator.ParseReturnHome(q)
		if len(ps) > 0 {
			t.Fatal(ps)
		}
		r := in.Calculate()
		if r.Warnings == nil {
			r.Warnings = []string{}
		}
		res = r
	default:
		in, ps := calculator.ParseInfantCareAPI(q)
		if len(ps) > 0 {
			t.Fatal(ps)
		}
		res = in.Calculate()
	}
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m, res
}

// The API and the workbook (recalculated, formula by formula, by excelize)
// both give exactly what calculator.Calculate gives, to the penny.
func TestCalculatorAPIAndWorkbookAgreeWithTheModel(t *testing.T) {
	c := newCalcServer(t, storetest.SQLite(t))
	for i, sc := range calcScenarios {
		t.Run(sc.name, func(t *testing.T) {
			addr := fmt.Sprintf("192.0.2.%d", i+1)
			want, res := domainJSON(t, sc.calc, sc.q)

			rec := c.get("/api/v1/calculators/"+sc.calc+"?"+sc.q.Encode(), addr)
			if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
				t.Fatalf("API: %d %s\n%s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
			}
			var got map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
				t.Fatal(err)
			}
			for k, v := range want {
				if !reflect.DeepEqual(got[k], v) {
					t.Errorf("API %s = %v, want %v", k, got[k], v)
				}
			}

			rec = c.get("/calculators/"+sc.calc+".xlsx?"+sc.q.Encode(), addr)
			if rec.Code != 200 {
				t.Fatalf("XLSX: %d\n%s", rec.Code, rec.Body)
			}
			f, err := excelize.OpenReader(bytes.NewReader(rec.Body.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			checkSafeFormulas(t, f)
			switch r := res.(type) {
			case calculator.ReturnHomeResult:
				checkReturnHomeWorkbook(t, f, r)
			case calculator.InfantCareResult:
				checkInfantCareWorkbook(t, f, r)
			}
		})
	}
}

// Scenarios that differ only in an input their mode leaves unused (the
// average cost when support is costed by need, the levels when it is not)
// share their results, but each answer echoes its own inputs.
func TestCalculatorAPIEchoesItsOwnInputs(t *testing.T) {
	c := newCalcServer(t, storetest.SQLite(t))
	for i, raw := range []string{"supportBy=need&support=5000", "supportBy=need", "supportBy=need&support=5000", "lowCost=99", "", "lowCost=99"} {
		q, _ := url.ParseQuery(raw)
		want, _ := domainJSON(t, "return-home", q)
		rec := c.get("/api/v1/calculators/return-home?"+raw, "192.0.2.99")
		var got map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got["input"], want["input"]) {
			t.Errorf("request %d (%s): input %v, want %v", i+1, raw, got["input"], want["input"])
		}
	}
}

// calcCell recalculates one cell and reads it as an exact number.
func calcCell(t *testing.T, f *excelize.File, sheet, cell string) (*big.Rat, bool) {
	t.Helper()
	v, err := f.CalcCellValue(sheet, cell, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatalf("%s!%s: %v", sheet, cell, err)
	}
	if v == "" {
		return nil, false
	}
	r, ok := new(big.Rat).SetString(v)
	if !ok {
		t.Fatalf("%s!%s = %q, not a number", sheet, cell, v)
	}
	return r, true
}

// wantCell checks a recalculated cell against a figure kept in 1/scale units.
func wantCell(t *testing.T, f *excelize.File, sheet, cell string, want, scale int64) {
	t.Helper()
	r, ok := calcCell(t, f, sheet, cell)
	if !ok {
		t.Errorf("%s!%s is empty, want %d/%d", sheet, cell, want, scale)
		return
	}
	r.Mul(r, big.NewRat(scale, 1))
	if !r.IsInt() || r.Num().Int64() != want {
		t.Errorf("%s!%s = %s, want %d/%d", sheet, cell, r.FloatString(4), want, scale)
	}
}

func wantEmpty(t *testing.T, f *excelize.File, sheet, cell string) {
	t.Helper()
	if r, ok := calcCell(t, f, sheet, cell); ok {
		t.Errorf("%s!%s = %s, want empty", sheet, cell, r.FloatString(2))
	}
}

func amountsOf(a calculator.Amounts) []int64 {
	return []int64{a.SupportCostPence, a.FailedWithoutPence, a.FailedWithPence, a.AvoidedPence, a.NetSavingPence}
}

func col(n int) string { name, _ := excelize.ColumnNumberToName(n); return name }

func checkReturnHomeWorkbook(t *testing.T, f *excelize.File, r calculator.ReturnHomeResult) {
	wantCell(t, f, "Results", "B2", r.SupportPerChildPence, 100)
	for i, p := range amountsOf(r.Year) {
		wantCell(t, f, "Results", "B"+strconv.Itoa(i+3), p, 100)
	}
	for i, p := range amountsOf(r.Total) {
		wantCell(t, f, "Results", "C"+strconv.Itoa(i+3), p, 100)
	}
	wantCell(t, f, "Results", "B8", r.PreventedHundredths, 100)
	if r.ReturnDefined {
		wantCell(t, f, "Results", "B9", r.ReturnHundredths, 100)
	} else {
		wantEmpty(t, f, "Results", "B9")
	}
	if r.BreakEvenDefined {
		wantCell(t, f, "Results", "B10", r.BreakEvenHundredths, 100)
		wantCell(t, f, "Results", "B11", r.BreakEvenRateBP, 100)
	} else {
		wantEmpty(t, f, "Results", "B10")
	}
	for y := 1; y <= calculator.MaxYears; y++ {
		row := strconv.Itoa(y + 1)
		if y > len(r.Years) {
			wantEmpty(t, f, "Years", "C"+row)
			continue
		}
		yr := r.Years[y-1]
		for i, p := range amountsOf(yr.Amounts) {
			wantCell(t, f, "Years", col(3+i)+row, p, 100)
		}
		for i, p := range amountsOf(yr.Cumulative) {
			wantCell(t, f, "Years", col(8+i)+row, p, 100)
		}
	}
	for k := range 6 {
		row := strconv.Itoa(k + 2)
		if k >= len(r.Sensitivity) {
			wantEmpty(t, f, "Sensitivity", "A"+row)
			wantEmpty(t, f, "Sensitivity", "B"+row)
			continue
		}
		s := r.Sensitivity[k]
		wantCell(t, f, "Sensitivity", "A"+row, s.WithSupportBP, 100)
		for i, p := range s.NetSavingPence {
			wantCell(t, f, "Sensitivity", col(2+i)+row, p, 100)
		}
	}
}

func checkInfantCareWorkbook(t *testing.T, f *excelize.File, r calculator.InfantCareResult) {
	wantCell(t, f, "Results", "B2", r.SavingsPence, 100)
	wantCell(t, f, "Results", "B3", r.CostPence, 100)
	wantCell(t, f, "Results", "B4", r.NetPence, 100)
	if r.ReturnDefined {
		wantCell(t, f, "Results", "B5", r.ReturnHundredths, 100)
	} else {
		wantEmpty(t, f, "Results", "B5")
	}
	for y := 1; y <= calculator.MaxYears; y++ {
		row := strconv.Itoa(y + 1)
		if y > len(r.Years) {
			wantEmpty(t, f, "Years", "D"+row)
			continue
		}
		yr := r.Years[y-1]
		wantCell(t, f, "Years", "C"+row, yr.OutOfCareHundredths, 100)
		for i, p := range []int64{yr.SavingsPence, yr.CostPence, yr.NetPence, yr.CumulativeSavingsPence, yr.CumulativeCostPence, yr.CumulativeNetPence} {
			wantCell(t, f, "Years", col(4+i)+row, p, 100)
		}
	}
}

// safeFormula is the grammar of the formulas Haven writes: references to
// this workbook's cells, numbers, arithmetic, a few functions and the empty
// text "" — no other text, so nothing typed could be a formula's payload.
var (
	safeFormula   = regexp.MustCompile(`^(?:[A-Z]+\(|Inputs!|Years!|Results!|\$?[A-Z]{1,2}\$?[0-9]+|[0-9.]+|[-+*/^(),:<>=]|"")+$`)
	safeFunctions = regexp.MustCompile(`[A-Z]+\(`)
	allowedFuncs  = map[string]bool{"ROUND(": true, "IF(": true, "SUM(": true, "MIN(": true, "MAX(": true}
)

func checkSafeFormulas(t *testing.T, f *excelize.File) {
	t.Helper()
	n := 0
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				fm, _ := f.GetCellFormula(sheet, cell)
				if fm == "" {
					if v, _ := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true}); strings.HasPrefix(v, "=") {
						t.Errorf("%s!%s text starts with a formula sign: %q", sheet, cell, v)
					}
					continue
				}
				n++
				if !safeFormula.MatchString(fm) {
					t.Errorf("%s!%s formula %q is not built from references and numbers", sheet, cell, fm)
				}
				for _, fn := range safeFunctions.FindAllString(fm, -1) {
					if !allowedFuncs[fn] {
						t.Errorf("%s!%s calls %s", sheet, cell, fn)
					}
				}
			}
		}
	}
	if n < 20 {
		t.Errorf("only %d formulas: the workbook is not a live model", n)
	}
}

// The CSV holds the same figures in sections, amounts as plain pounds and
// pence, negative ones unquoted so a spreadsheet can add them up.
func TestCalculatorCSV(t *testing.T) {
	c := newCalcServer(t, storetest.SQLite(t))
	read := func(t *testing.T, path string) [][]string {
		rec := c.get(path, "192.0.2.10")
		if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/csv") ||
			!strings.Contains(rec.Header().Get("Content-Disposition"), `filename="`) {
			t.Fatalf("%s: %d %v", path, rec.Code, rec.Header())
		}
		records, err := csv.NewReader(rec.Body).ReadAll() // strict: every record as wide
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range records {
			records[i] = strings.Split(strings.TrimRight(strings.Join(r, "\x00"), "\x00"), "\x00")
		}
		return records
	}
	has := func(t *testing.T, records [][]string, want ...string) {
		t.Helper()
		for _, r := range records {
			if strings.Join(r, "|") == strings.Join(want, "|") {
				return
			}
		}
		t.Errorf("no record %q", want)
	}
	t.Run("return home", func(t *testing.T) {
		recs := read(t, "/calculators/return-home.csv")
		for _, s := range []string{"Inputs", "Results", "Years", "Sensitivity"} {
			has(t, recs, s)
		}
		has(t, recs, "Support cost", "785700.00", "2357100.00")
		has(t, recs, "Net saving", "166536.00", "499608.00")
		has(t, recs, "Return for each £1 of support", "1.21")
		has(t, recs, "Break-even: breakdown rate with support (%)", "39.57")
		has(t, recs, "47.00", "-1178550.00", "-2357100.00", "-3535650.00")
		has(t, recs, "3", "785700.00", "4972788.00", "4020552.00", "952236.00", "166536.00", "2357100.00", "14918364.00", "12061656.00", "2856708.00", "499608.00")
	})
	t.Run("infant care", func(t *testing.T) {
		recs := read(t, "/calculators/infant-care.csv?careCost=60000&programmeCost=500000&careYears=25&years=2")
		has(t, recs, "Savings", "2592000.00")
		has(t, recs, "Net saving", "1592000.00")
		has(t, recs, "2", "28.80", "1728000.00", "500000.00", "1228000.00", "2592000.00", "1000000.00", "1592000.00")
	})
}

// Every kind of bad input is a 400 that names the field: the API's error
// shape with the problems in the form's order; downloads a plain page.
func TestCalculatorBadInput(t *testing.T) {
	c := newCalcServer(t, storetest.SQLite(t))
	cases := []struct {
		calc, query string
		fields      []string
	}{
		{"return-home", "children=-1", []string{"children"}},
		{"return-home", "children=1.5", []string{"children"}},
		{"return-home", "support=abc", []string{"support"}},
		{"return-home", "support=", []string{"support"}},
		{"return-home", "baseline=100.01", []string{"baseline"}},
		{"return-home", "withSupport=-3", []string{"withSupport"}},
		{"return-home", "failedCost=1e5", []string{"failedCost"}},
		{"return-home", "supportBy=need&highShare=150", []string{"highShare"}},
		{"return-home", "supportBy=need&highShare=50", []string{"highShare"}},
		{"return-home", "supportBy=guess", []string{"supportBy"}},
		{"return-home", "years=0&discount=21", []string{"years", "discount"}},
		{"return-home", "children=" + strings.Repeat("9", 40), []string{"children"}},
		{"infant-care", "", []string{"careCost", "programmeCost"}},
		{"infant-care", "careCost=60000", []string{"programmeCost"}},
		{"infant-care", "careCost=-5&programmeCost=1", []string{"careCost"}},
		{"infant-care", "careCost=1&programmeCost=1&careYears=26", []string{"careYears"}},
		{"infant-care", "careCost=1&programmeCost=1&avoided=14.444", []string{"avoided"}},
	}
	for i, tc := range cases {
		t.Run(tc.calc+"?"+tc.query, func(t *testing.T) {
			addr := fmt.Sprintf("198.51.100.%d", i+1)
			rec := c.get("/api/v1/calculators/"+tc.calc+"?"+tc.query, addr)
			if rec.Code != 400 {
				t.Fatalf("%d, want 400\n%s", rec.Code, rec.Body)
			}
			var body struct {
				Code   string            `json:"code"`
				Fields map[string]string `json:"fields"`
				Errors []struct{ Field, Message string }
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
				t.Fatal(err)
			}
			var fields []string
			for _, e := range body.Errors {
				fields = append(fields, e.Field)
				if e.Message == "" || body.Fields[e.Field] == "" {
					t.Errorf("no message for %s", e.Field)
				}
			}
			if body.Code != "bad_request" || !reflect.DeepEqual(fields, tc.fields) {
				t.Errorf("code %q, fields %v, want %v", body.Code, fields, tc.fields)
			}
			for _, format := range []string{"csv", "xlsx"} {
				rec := c.get("/calculators/"+tc.calc+"."+format+"?"+tc.query, addr)
				if rec.Code != 400 || rec.Header().Get("Content-Disposition") != "" || !strings.Contains(rec.Body.String(), "("+tc.fields[0]+")") {
					t.Errorf("%s: %d, %q", format, rec.Code, rec.Header().Get("Content-Disposition"))
				}
			}
		})
	}
	t.Run("rate with support above the baseline is a warning", func(t *testing.T) {
		rec := c.get("/api/v1/calculators/return-home?withSupport=50", "198.51.100.200")
		var body struct{ Warnings []string }
		json.Unmarshal(rec.Body.Bytes(), &body)
		if rec.Code != 200 || len(body.Warnings) != 1 {
			t.Errorf("%d, warnings %v", rec.Code, body.Warnings)
		}
	})
}

// Every answer, good or bad, matches its published JSON Schema.
func TestCalculatorAPISchemas(t *testing.T) {
	comp := jsonschema.NewCompiler()
	for _, name := range []string{"calculator-return-home.json", "calculator-infant-care.json", "calculator-error.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", "schemas", name))
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if err := comp.AddResource("https://haven.example/schemas/"+name, doc); err != nil {
			t.Fatal(err)
		}
	}
	schema := func(name string) *jsonschema.Schema {
		s, err := comp.Compile("https://haven.example/schemas/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	rh, ic, bad := schema("calculator-return-home.json"), schema("calculator-infant-care.json"), schema("calculator-error.json")
	c := newCalcServer(t, storetest.SQLite(t))
	check := func(t *testing.T, s *jsonschema.Schema, rec *httptest.ResponseRecorder) {
		t.Helper()
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(rec.Body.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Validate(inst); err != nil {
			t.Errorf("%d: %v", rec.Code, err)
		}
	}
	for i, sc := range calcScenarios {
		rec := c.get("/api/v1/calculators/"+sc.calc+"?"+sc.q.Encode(), fmt.Sprintf("203.0.113.%d", i+1))
		if rec.Code != 200 {
			t.Fatalf("%s: %d", sc.name, rec.Code)
		}
		s := rh
		if sc.calc == "infant-care" {
			s = ic
		}
		t.Run(sc.name, func(t *testing.T) { check(t, s, rec) })
	}
	t.Run("400", func(t *testing.T) {
		check(t, bad, c.get("/api/v1/calculators/return-home?years=0&children=x", "203.0.113.100"))
	})
	t.Run("429", func(t *testing.T) {
		var rec *httptest.ResponseRecorder
		for range 61 {
			rec = c.get("/api/v1/calculators/return-home", "203.0.113.101")
		}
		if rec.Code != 429 {
			t.Fatalf("%d", rec.Code)
		}
		check(t, bad, rec)
	})
	t.Run("the schema refuses a wrong answer", func(t *testing.T) {
		inst, _ := jsonschema.UnmarshalJSON(strings.NewReader(`{"calculator":"return-home","supportCostPence":"7857.00"}`))
		if rh.Validate(inst) == nil {
			t.Error("an incomplete answer with money as text passed")
		}
	})
}

// One address may make 60 calculations at once and then 10 a second; the
// 61st is a 429 with Retry-After; other addresses are unaffected; the
// downloads share the allowance; and the bucket refills with time.
func TestCalculatorRateLimit(t *testing.T) {
	c := newCalcServer(t, storetest.SQLite(t))
	for i := range 59 {
		if rec := c.get("/api/v1/calculators/return-home", "192.0.2.50"); rec.Code != 200 {
			t.Fatalf("request %d: %d", i+1, rec.Code)
		}
	}
	if rec := c.get("/calculators/return-home.csv", "192.0.2.50"); rec.Code != 200 {
		t.Fatalf("60th (a download): %d", rec.Code)
	}
	for _, path := range []string{"/api/v1/calculators/infant-care?careCost=1&programmeCost=1", "/calculators/infant-care.xlsx?careCost=1&programmeCost=1"} {
		rec := c.get(path, "192.0.2.50")
		if rec.Code != 429 {
			t.Fatalf("%s after the burst: %d", path, rec.Code)
		}
		if ra, err := strconv.Atoi(rec.Header().Get("Retry-After")); err != nil || ra < 1 {
			t.Errorf("Retry-After %q", rec.Header().Get("Retry-After"))
		}
		if strings.HasPrefix(path, "/api/") && !strings.Contains(rec.Body.String(), `"code":"too_many_requests"`) {
			t.Errorf("body %s", rec.Body)
		}
		// A download's refusal is a page with a heading and what to do.
		if !strings.HasPrefix(path, "/api/") && (!strings.Contains(rec.Body.String(), "Sorry, there have been too many requests</h1>") || !strings.Contains(rec.Body.String(), "Wait a second, then try again.")) {
			t.Errorf("page %s", rec.Body)
		}
	}
	if rec := c.get("/api/v1/calculators/return-home", "192.0.2.51"); rec.Code != 200 {
		t.Errorf("another address: %d", rec.Code)
	}
	// An IPv6 client is counted by its /64.
	for i := range 60 {
		c.get("/api/v1/calculators/return-home", fmt.Sprintf("[2001:db8:1:2::%x]", i+1))
	}
	if rec := c.get("/api/v1/calculators/return-home", "[2001:db8:1:2::ffff]"); rec.Code != 429 {
		t.Errorf("61st from one /64: %d", rec.Code)
	}
	c.clock.Add(100 * time.Millisecond)
	if rec := c.get("/api/v1/calculators/return-home", "192.0.2.50"); rec.Code != 200 {
		t.Errorf("after a tenth of a second: %d", rec.Code)
	}
	if rec := c.get("/api/v1/calculators/return-home", "192.0.2.50"); rec.Code != 429 {
		t.Errorf("the token was spent: %d", rec.Code)
	}
}

// S15: the calculators' API and downloads are public: anyone, signed in or
// not, with a good, bad or no bearer token, gets the same answer, and no
// cookie is set.
func TestS15CalculatorAPIRouteMatrix(t *testing.T) {
	e := newAuthEnv(t, storetest.SQLite(t))
	paths := map[string]string{
		"GET /api/v1/calculators/return-home": "/api/v1/calculators/return-home",
		"GET /api/v1/calculators/infant-care": "/api/v1/calculators/infant-care?careCost=60000&programmeCost=500000",
		"GET /calculators/return-home.xlsx":   "/calculators/return-home.xlsx",
		"GET /calculators/return-home.csv":    "/calculators/return-home.csv",
		"GET /calculators/infant-care.xlsx":   "/calculators/infant-care.xlsx?careCost=60000&programmeCost=500000",
		"GET /calculators/infant-care.csv":    "/calculators/infant-care.csv?careCost=60000&programmeCost=500000",
	}
	s, _ := web.NewServer(web.Options{Store: e.db})
	for pattern, perm := range s.Routes() {
		if strings.Contains(pattern, "/api/v1/calculators") || strings.HasSuffix(pattern, ".csv") && strings.Contains(pattern, "/calculators/") || strings.HasSuffix(pattern, ".xlsx") && strings.Contains(pattern, "/calculators/") {
			if _, ok := paths[pattern]; !ok || perm != access.PermPublic {
				t.Errorf("%s (%s) is not in this matrix as public", pattern, perm)
			}
		}
	}
	clients := map[string]*http.Client{"anonymous": e.browser()}
	for _, r := range access.Roles() {
		clients[string(r)] = e.signIn(t, e.account(r))
	}
	tokens := map[string]string{"no token": "", "a bad token": "Bearer haven_nonsense", "an empty token": "Bearer ", "a practitioner's token": "Bearer " + e.account(access.RolePractitioner).APIToken}
	for pattern, path := range paths {
		for who, c := range clients {
			t.Run(pattern+"/"+who, func(t *testing.T) {
				e.clock.Add(time.Second)
				res := send(t, c, "GET", e.ts.URL+path, nil)
				if res.status != 200 {
					t.Errorf("%d", res.status)
				}
			})
		}
		for name, auth := range tokens {
			t.Run(pattern+"/"+name, func(t *testing.T) {
				e.clock.Add(time.Second)
				req, _ := http.NewRequest("GET", e.ts.URL+path, nil)
				if auth != "" {
					req.Header.Set("Authorization", auth)
				}
				res, err := e.ts.Client().Do(req)
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				if res.StatusCode != 200 || len(res.Cookies()) > 0 {
					t.Errorf("%d, cookies %v", res.StatusCode, res.Cookies())
				}
			})
		}
	}
}

// The calculators take only numbers, so a formula cannot get into their
// downloads: a formula in any parameter is refused (400, no file), and one
// in a parameter the calculators do not read is not written out at all.
func init() {
	for _, p := range []struct{ calc, format string }{{"return-home", "csv"}, {"return-home", "xlsx"}, {"infant-care", "csv"}, {"infant-care", "xlsx"}} {
		pattern := "GET /calculators/" + p.calc + "." + p.format
		exportCases[pattern] = calculatorExport(p.calc, p.format)
		exportsWithoutText[pattern] = true
	}
}

func calculatorExport(calc, format string) exportCase {
	return func(t *testing.T, db *store.DB) []byte {
		c := newCalcServer(t, db)
		base := url.Values{"careCost": {"60000"}, "programmeCost": {"500000"}}
		fields := calculator.ReturnHomeFields()
		if calc == "infant-care" {
			fields = calculator.InfantCareFields()
		}
		if calc == "return-home" {
			fields = append(fields, calculator.Field{Name: "supportBy"})
		}
		for _, f := range fields {
			q := url.Values{}
			for k, v := range base {
				q[k] = v
			}
			// The levels of need are read only when support is costed by them.
			if strings.HasPrefix(f.Name, "high") || strings.HasPrefix(f.Name, "medium") || strings.HasPrefix(f.Name, "low") {
				q.Set("supportBy", "need")
			}
			q.Set(f.Name, plantedFormula)
			rec := c.get("/calculators/"+calc+"."+format+"?"+q.Encode(), "192.0.2.77")
			if rec.Code != 400 || rec.Header().Get("Content-Disposition") != "" || strings.Contains(rec.Body.String(), plantedFormula) {
				t.Fatalf("a formula in %s: %d %q", f.Name, rec.Code, rec.Header().Get("Content-Disposition"))
			}
			c.clock.Add(time.Second)
		}
		q := url.Values{"note": {plantedFormula}}
		for k, v := range base {
			q[k] = v
		}
		rec := c.get("/calculators/"+calc+"."+format+"?"+q.Encode(), "192.0.2.77")
		if rec.Code != 200 {
			t.Fatalf("%d", rec.Code)
		}
		if strings.Contains(rec.Body.String(), "HYPERLINK") {
			t.Fatal("the planted formula came out")
		}
		return rec.Body.Bytes()
	}
}

// FuzzCalculatorAPI holds the API to its promise for any query: 200 with a
// result, 400 naming fields, or 429; JSON every time; never a 500.
func FuzzCalculatorAPI(f *testing.F) {
	for _, s := range []string{"", "children=100&support=7857", "supportBy=need&highShare=33.33&mediumShare=33.33&lowShare=33.34",
		"careCost=60000&programmeCost=500000&discount=3.5", "years=25&children=100000&failedCost=100000000&support=100000000",
		"support=1,2,3&baseline=47%25", "children=%00&years=%FF", "careCost=£1,000.50&programmeCost=0&careYears=25&years=25&avoided=10000",
		"supportBy=need&highShare=100&mediumShare=0&lowShare=0&highCost=100000000&children=100000&years=25&discount=0"} {
		f.Add(s, false)
		f.Add(s, true)
	}
	c := newCalcServer(f, storetest.SQLite(f))
	var mu sync.Mutex
	n := 0
	f.Fuzz(func(t *testing.T, raw string, infant bool) {
		path := "/api/v1/calculators/return-home?"
		if infant {
			path = "/api/v1/calculators/infant-care?"
		}
		mu.Lock()
		n++
		addr := fmt.Sprintf("10.%d.%d.%d", n>>16&255, n>>8&255, n&255)
		mu.Unlock()
		req := httptest.NewRequest("GET", "/", nil)
		req.URL.Path = strings.TrimSuffix(path, "?")
		req.URL.RawQuery = raw
		req.RemoteAddr = addr + ":1"
		rec := httptest.NewRecorder()
		c.s.ServeHTTP(rec, req)
		switch rec.Code {
		case 200, 400, 429:
		default:
			t.Fatalf("%q: status %d\n%s", raw, rec.Code, rec.Body)
		}
		if !json.Valid(rec.Body.Bytes()) || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
			t.Fatalf("%q: not JSON: %s", raw, rec.Body)
		}
		if rec.Code == 200 && !infant {
			var body struct {
				Query     string
				OverYears struct{ NetSavingPence int64 } `json:"overYears"`
			}
			json.Unmarshal(rec.Body.Bytes(), &body)
			q, _ := url.ParseQuery(body.Query)
			in, ps := calculator.ParseReturnHome(q)
			if len(ps) > 0 || in.Calculate().Total.NetSavingPence != body.OverYears.NetSavingPence {
				t.Fatalf("%q: the answer's own query does not give its answer (%v)", raw, ps)
			}
		}
	})
}

// BenchmarkCalculatorAPI is one API answer for each kind of scenario, from
// the query to the JSON, through the whole middleware; each request comes
// from its own address so the rate limit does not stop the loop. "new"
// makes every request a scenario not asked for before (the infants avoided,
// or the cost of a failed return, counts up), so it is worked out afresh;
// "kept" asks for the same one again, which Haven answers from its cache.
func BenchmarkCalculatorAPI(b *testing.B) {
	s, err := web.NewServer(web.Options{Store: storetest.SQLite(b)})
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for _, sc := range calcScenarios {
		name := strings.NewReplacer(": ", "=", " ", "-").Replace(sc.name)
		for _, fresh := range []bool{true, false} {
			b.Run(name+map[bool]string{true: "/new", false: "/kept"}[fresh], func(b *testing.B) {
				for b.Loop() {
					n++
					q := url.Values{}
					for k, v := range sc.q {
						q[k] = v
					}
					switch {
					case fresh && sc.calc == "infant-care":
						q.Set("avoided", fmt.Sprintf("%d.%02d", 1+n/100%5000, n%100))
					case fresh:
						q.Set("failedCost", strconv.Itoa(60000+n%1_000_000))
					}
					req := httptest.NewRequest("GET", "/api/v1/calculators/"+sc.calc+"?"+q.Encode(), nil)
					req.RemoteAddr = fmt.Sprintf("10.%d.%d.%d:1", n>>16&255, n>>8&255, n&255)
					rec := httptest.NewRecorder()
					s.ServeHTTP(rec, req)
					if rec.Code != 200 {
						b.Fatalf("%d", rec.Code)
					}
				}
			})
		}
	}
}
