package document

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"
)

// A workbook holds each table as its own sheet, in order, with every text
// cell neutralised on every sheet and numbers kept as numbers.
func TestWriteWorkbook(t *testing.T) {
	var b bytes.Buffer
	data := Table{Sheet: "Extract", Header: []string{"key", "n"}, Rows: [][]Cell{{Text("abc"), Int(-3)}}}
	dict := Table{Sheet: "Data dictionary", Header: []string{"column", "meaning"}, Rows: [][]Cell{{Text("n"), Text("=1+1")}}}
	if err := WriteWorkbook(&b, data, dict); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 2 || got[0] != "Extract" || got[1] != "Data dictionary" {
		t.Fatalf("sheets %v", got)
	}
	for _, c := range []struct{ sheet, cell, want string }{
		{"Extract", "A1", "key"}, {"Extract", "B2", "-3"}, {"Data dictionary", "B2", "'=1+1"}, {"Data dictionary", "A2", "n"},
	} {
		if v, _ := f.GetCellValue(c.sheet, c.cell, excelize.Options{RawCellValue: true}); v != c.want {
			t.Errorf("%s!%s: %q, want %q", c.sheet, c.cell, v, c.want)
		}
		if fm, _ := f.GetCellFormula(c.sheet, c.cell); fm != "" {
			t.Errorf("%s!%s holds a formula %q", c.sheet, c.cell, fm)
		}
	}
	if typ, _ := f.GetCellType("Extract", "B2"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("a number was written as text (%v)", typ)
	}
}
