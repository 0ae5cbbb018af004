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
	for i, t := range ts {
		sheet := sheetName(t.Sheet)
		if i == 0 {
			err = f.SetSheetName("Sheet1", sheet)
		} else {
			_, err = f.NewSheet(sheet)
		}
		if err != nil {
			return fmt.Errorf("sheet %q: %w", sheet, err)
		}
		if err := writeSheet(f, sheet, bold, t); err != nil {
			return fmt.Errorf("sheet %q: %w", sheet, err)
		}
	}
	return f.Write(w)
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
