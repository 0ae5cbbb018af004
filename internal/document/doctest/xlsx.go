package doctest

import (
	"bytes"

	"github.com/xuri/excelize/v2"
)

// XCell is one cell read back from an XLSX workbook: its text as stored (no
// number formatting applied) and whether it is a number cell or a formula.
type XCell struct {
	Value   string
	Number  bool
	Formula string
}

// ReadXLSX reads the first worksheet of a workbook, row by row, and its name.
func ReadXLSX(b []byte) (sheet string, rows [][]XCell, err error) {
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		return "", nil, err
	}
	defer f.Close()
	sheet = f.GetSheetName(0)
	raw, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		return "", nil, err
	}
	for r, row := range raw {
		var cells []XCell
		for c, v := range row {
			name, err := excelize.CoordinatesToCellName(c+1, r+1)
			if err != nil {
				return "", nil, err
			}
			t, err := f.GetCellType(sheet, name)
			if err != nil {
				return "", nil, err
			}
			formula, err := f.GetCellFormula(sheet, name)
			if err != nil {
				return "", nil, err
			}
			cells = append(cells, XCell{Value: v, Number: t == excelize.CellTypeNumber || t == excelize.CellTypeUnset && v != "", Formula: formula})
		}
		rows = append(rows, cells)
	}
	return sheet, rows, nil
}
