package document

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// Exact figures are written as their digits and formulas stay live: a
// workbook recalculated by excelize gives the rounded figure, and the CSV
// holds plain decimals (negative ones unquoted, so a spreadsheet adds them
// up) with a formula, which CSV cannot hold live, as neutralised text.
func TestExactCellsAndFormulas(t *testing.T) {
	inputs := Table{Sheet: "Inputs", Header: []string{"Input", "Value"}, Rows: [][]Cell{
		{Text("Children"), Int(7)},
		{Text("Cost"), Pounds(200_010)},
		{Text("Rate"), Decimal(4750, 2)},
		{Text("Loss"), Pounds(-123_456)},
		{Text("Tiny"), Pounds(-5)},
	}}
	results := Table{Sheet: "Results", Header: []string{"Output", "Value"}, Rows: [][]Cell{
		{Text("Cost of all"), Formula("ROUND(Inputs!B2*Inputs!B3,2)", Money)},
		{Text("At the rate"), Formula("=ROUND(Inputs!B3*Inputs!B4/100,2)", Fixed2)},
		{Text("=1+1"), Formula("Inputs!B5+Inputs!B6", Money)},
	}}
	var b bytes.Buffer
	if err := WriteWorkbook(&b, inputs, results); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	raw := []struct{ cell, want string }{{"B3", "2000.10"}, {"B4", "47.50"}, {"B5", "-1234.56"}, {"B6", "-0.05"}, {"B2", "7"}}
	for _, c := range raw {
		if v, _ := f.GetCellValue("Inputs", c.cell, excelize.Options{RawCellValue: true}); v != c.want {
			t.Errorf("Inputs!%s = %q, want %q", c.cell, v, c.want)
		}
		if typ, _ := f.GetCellType("Inputs", c.cell); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
			t.Errorf("Inputs!%s was written as text", c.cell)
		}
	}
	calc := []struct{ cell, formula, want string }{
		{"B2", "ROUND(Inputs!B2*Inputs!B3,2)", "14000.7"},
		{"B3", "ROUND(Inputs!B3*Inputs!B4/100,2)", "950.05"},
		{"B4", "Inputs!B5+Inputs!B6", "-1234.61"},
	}
	for _, c := range calc {
		if fm, _ := f.GetCellFormula("Results", c.cell); fm != c.formula {
			t.Errorf("Results!%s formula %q, want %q", c.cell, fm, c.formula)
		}
		if v, err := f.CalcCellValue("Results", c.cell, excelize.Options{RawCellValue: true}); err != nil || v != c.want {
			t.Errorf("Results!%s = %q (%v), want %q", c.cell, v, err, c.want)
		}
	}
	if v, _ := f.GetCellValue("Results", "A4"); v != "'=1+1" {
		t.Errorf("text beside the formulas was not neutralised: %q", v)
	}
	if v, _ := f.GetCellValue("Inputs", "B3"); !strings.Contains(v, "£") {
		t.Errorf("money shown as %q, want a pound sign", v)
	}

	var c bytes.Buffer
	if err := WriteCSVSections(&c, inputs, results); err != nil {
		t.Fatal(err)
	}
	// A strict reader: every record is as wide as the widest table.
	records, err := csv.NewReader(&c).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"Inputs"}, {"Input", "Value"}, {"Children", "7"}, {"Cost", "2000.10"}, {"Rate", "47.50"}, {"Loss", "-1234.56"}, {"Tiny", "-0.05"},
		{}, {"Results"}, {"Output", "Value"}, {"Cost of all", "'=ROUND(Inputs!B2*Inputs!B3,2)"}, {"At the rate", "'=ROUND(Inputs!B3*Inputs!B4/100,2)"}, {"'=1+1", "'=Inputs!B5+Inputs!B6"},
	}
	if len(records) != len(want) {
		t.Fatalf("records %q", records)
	}
	for i := range want {
		if len(records[i]) != 2 {
			t.Errorf("record %d has %d fields, want 2", i, len(records[i]))
		}
		if strings.TrimRight(strings.Join(records[i], "|"), "|") != strings.Join(want[i], "|") {
			t.Errorf("record %d = %q, want %q", i, records[i], want[i])
		}
	}
}

func TestDecimalDigits(t *testing.T) {
	for _, c := range []struct {
		n      int64
		places uint8
		want   string
	}{{785700, 2, "7857.00"}, {-5, 2, "-0.05"}, {0, 2, "0.00"}, {1440, 2, "14.40"}, {42, 0, "42"}, {-966184, 6, "-0.966184"}} {
		if got := decimal(c.n, c.places); got != c.want {
			t.Errorf("decimal(%d, %d) = %q, want %q", c.n, c.places, got, c.want)
		}
	}
}
