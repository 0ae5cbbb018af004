package document

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// WriteWorkbook writes several tables as the worksheets of one XLSX workbook,
// in order: the evaluation extract's rows and then its data dictionary, so
// the dictionary travels with the data. Each sheet is written as WriteXLSX
// writes its one: bold frozen header, neutralised text, numbers as numbers.
func WriteWorkbook(w io.Writer, ts ...Table) (err error) {
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = cerr
		}
	}()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	formulas := false
	for i, t := range ts {
		formulas = formulas || t.hasFormula()
		sheet := sheetName(t.Sheet)
		if i == 0 {
			err = f.SetSheetName("Sheet1", sheet)
		} else {
			_, err = f.NewSheet(sheet)
		}
		if err != nil {
			return fmt.Errorf("sheet %q: %w", sheet, err)
		}
		write := writeSheet
		if t.exact() {
			write = writeCells
		}
		if err := write(f, sheet, bold, t); err != nil {
			return fmt.Errorf("sheet %q: %w", sheet, err)
		}
	}
	// A workbook with formulas is worked out afresh when it is opened, so
	// no spreadsheet program shows a stale or empty figure.
	if formulas {
		if err := f.SetCalcProps(&excelize.CalcPropsOptions{FullCalcOnLoad: new(true)}); err != nil {
			return err
		}
	}
	return f.Write(w)
}

func (t Table) hasFormula() bool {
	for _, row := range t.Rows {
		for _, c := range row {
			if c.kind == kindFormula {
				return true
			}
		}
	}
	return false
}

// exact reports whether the table holds Decimal or Formula cells, which
// excelize's stream writer cannot write as they must be written.
func (t Table) exact() bool {
	for _, row := range t.Rows {
		for _, c := range row {
			if c.kind == kindDecimal || c.kind == kindFormula {
				return true
			}
		}
	}
	return false
}

// writeCells writes a small sheet cell by cell: a Decimal as its exact
// digits in a number cell (excelize's SetCellDefault keeps the text of a
// number as it is), a Formula as a live formula, each in its format.
func writeCells(f *excelize.File, sheet string, bold int, t Table) error {
	styles := map[Format]int{}
	style := func(fm Format) (int, error) {
		if fm == General {
			return 0, nil
		}
		if id, ok := styles[fm]; ok {
			return id, nil
		}
		code := numFmts[fm]
		id, err := f.NewStyle(&excelize.Style{CustomNumFmt: &code})
		styles[fm] = id
		return id, err
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	for i, h := range t.Header {
		cell, err := excelize.CoordinatesToCellName(i+1, 1)
		if err != nil {
			return err
		}
		if err := f.SetCellStr(sheet, cell, Neutralise(h)); err != nil {
			return err
		}
		if err := f.SetCellStyle(sheet, cell, cell, bold); err != nil {
			return err
		}
	}
	// Columns as wide as their longest text, within reason, so labels can be read.
	widths := make([]int, len(t.Header))
	for i, h := range t.Header {
		widths[i] = len([]rune(h))
	}
	for _, row := range t.Rows {
		for i, c := range row {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			if c.kind == kindText && len(row) > 1 { // a note alone on its row may run on
				widths[i] = max(widths[i], len([]rune(c.text)))
			}
		}
	}
	for i, w := range widths {
		name, err := excelize.ColumnNumberToName(i + 1)
		if err != nil {
			return err
		}
		if err := f.SetColWidth(sheet, name, name, float64(min(max(w+2, 12), 80))); err != nil {
			return err
		}
	}
	for r, row := range t.Rows {
		for col, c := range row {
			cell, err := excelize.CoordinatesToCellName(col+1, r+2)
			if err != nil {
				return fmt.Errorf("row %d: %w", r+1, err)
			}
			switch c.kind {
			case kindDecimal:
				err = f.SetCellDefault(sheet, cell, decimal(c.whole, c.places))
			case kindFormula:
				err = f.SetCellFormula(sheet, cell, c.text)
			default:
				err = f.SetCellValue(sheet, cell, c.xlsx())
			}
			if err != nil {
				return fmt.Errorf("%s: %w", cell, err)
			}
			if c.kind == kindDecimal || c.kind == kindFormula {
				id, err := style(c.format)
				if err != nil {
					return err
				}
				if id != 0 {
					if err := f.SetCellStyle(sheet, cell, cell, id); err != nil {
						return err
					}
				}
			}
		}
	}
	return nil
}

func writeSheet(f *excelize.File, sheet string, bold int, t Table) error {
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	header := make([]any, len(t.Header))
	for i, h := range t.Header {
		header[i] = excelize.Cell{StyleID: bold, Value: Neutralise(h)}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	values := make([]any, 0, len(t.Header))
	for i, row := range t.Rows {
		values = values[:0]
		for _, c := range row {
			values = append(values, c.xlsx())
		}
		cell, err := excelize.CoordinatesToCellName(1, i+2)
		if err != nil {
			return fmt.Errorf("row %d: %w", i+1, err)
		}
		if err := sw.SetRow(cell, values); err != nil {
			return fmt.Errorf("row %d: %w", i+1, err)
		}
	}
	return sw.Flush()
}
