package document

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
)

// Table is an export: a header and rows, written as CSV or XLSX by the same
// rules, so the two downloads of a figure always agree.
type Table struct {
	Sheet  string // the XLSX worksheet's name; "Data" if empty
	Header []string
	Rows   [][]Cell
}

// Cell is one value of an export. Text is anything that is, or may contain,
// words a person typed; Int and Number are figures Haven computed itself.
//
// The defence against CSV and formula injection (OWASP) lies in this
// distinction. Every Text cell, and every header, that begins with '=', '+',
// '-', '@', a tab or a carriage return (or the full-width forms of the first
// four, which some spreadsheets also read as formula signs) is prefixed with
// a single quote, even a text that looks like a negative number, since we
// cannot tell "-1" typed as a number from "-1+cmd|..." typed as an attack by
// looking at the first character, and a quote in front of a number typed
// into a text field loses nothing. Numbers Haven computed are written raw in
// CSV ("-2.5" must stay a number a spreadsheet can add up) and as number
// cells in XLSX: they come from a Go int or float64, never from user text,
// so they cannot carry a formula.
//
// Formula is the one exception to the neutraliser, because Haven writes the
// formula itself from constants and cell references (the calculators'
// workbooks, issue 19); nothing a person typed may ever reach it. Decimal
// and Pounds are exact figures kept as whole numbers of hundredths (or other
// powers of ten) and written as decimal digits, never through a float64, so
// 7857.00 is 7857.00 in the file.
type Cell struct {
	kind   cellKind
	format Format
	text   string
	number float64
	whole  int64
	places uint8
}

type cellKind uint8

const (
	kindText cellKind = iota
	kindInt
	kindNumber
	kindDecimal
	kindFormula
)

// Format is how a workbook shows a Decimal or a Formula cell.
type Format uint8

const (
	General Format = iota
	Money          // £1,234.56, with a minus sign before the pound sign
	Fixed2         // 1234.56
	Fixed6         // 0.966184, for discount factors
)

// numFmts are the custom number formats of the Formats, for excelize.
var numFmts = map[Format]string{
	Money:  `"£"#,##0.00;-"£"#,##0.00`,
	Fixed2: "0.00",
	Fixed6: "0.000000",
}

// Text is a cell of words, neutralised on the way out.
func Text(s string) Cell { return Cell{kind: kindText, text: s} }

// Int is a whole number Haven computed.
func Int(n int64) Cell { return Cell{kind: kindInt, whole: n} }

// Number is a figure Haven computed. NaN and infinities, which no
// spreadsheet can hold, are written as an empty cell.
func Number(f float64) Cell { return Cell{kind: kindNumber, number: f} }

// Decimal is the exact number n ÷ 10^places that Haven computed (places
// from 0 to 6): Decimal(4750, 2) is 47.50.
func Decimal(n int64, places int) Cell {
	places = max(0, min(places, 6))
	f := General
	if places == 2 {
		f = Fixed2
	}
	return Cell{kind: kindDecimal, whole: n, places: uint8(places), format: f} // #nosec G115 -- clamped to 0…6 above
}

// Pounds is an amount in pence, written as pounds and pence (7857.00) and
// shown in a workbook with a pound sign.
func Pounds(pence int64) Cell {
	return Cell{kind: kindDecimal, whole: pence, places: 2, format: Money}
}

// Formula is a live formula that Haven wrote (without the leading '='),
// such as ROUND(Inputs!B2*Inputs!B4,2), shown in the given format. It is
// never built from anything a person typed: the calculators build it from
// constants and cell references. In a CSV file, which holds no formulas,
// it comes out as neutralised text.
func Formula(expr string, f Format) Cell {
	return Cell{kind: kindFormula, text: strings.TrimPrefix(expr, "="), format: f}
}

// decimal writes n ÷ 10^places in plain digits: -123456, 2 is -1234.56.
func decimal(n int64, places uint8) string {
	s := strconv.FormatInt(n, 10)
	if places == 0 {
		return s
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for len(s) <= int(places) {
		s = "0" + s
	}
	s = s[:len(s)-int(places)] + "." + s[len(s)-int(places):]
	if neg {
		s = "-" + s
	}
	return s
}

// csv is the cell as it is written into a CSV file.
func (c Cell) csv() string {
	switch c.kind {
	case kindInt:
		return strconv.FormatInt(c.whole, 10)
	case kindDecimal:
		return decimal(c.whole, c.places)
	case kindFormula:
		return Neutralise("=" + c.text)
	case kindNumber:
		if math.IsNaN(c.number) || math.IsInf(c.number, 0) {
			return ""
		}
		return strconv.FormatFloat(c.number, 'f', -1, 64)
	}
	return Neutralise(c.text)
}

// xlsx is the cell as a value for excelize's stream writer: a number, or
// neutralised text. Decimal and Formula cells are written by writeCells.
func (c Cell) xlsx() any {
	switch c.kind {
	case kindInt:
		return c.whole
	case kindDecimal, kindFormula:
		return nil
	case kindNumber:
		if math.IsNaN(c.number) || math.IsInf(c.number, 0) {
			return nil
		}
		return c.number
	}
	return Neutralise(c.text)
}

// formulaStarts are the first characters that make a spreadsheet read a
// cell as a formula (OWASP's list, and the full-width forms of the signs).
const formulaStarts = "=+-@\t\r＝＋－＠"

// Neutralise makes s safe to put in a spreadsheet cell: if it begins with a
// character that would make the cell a formula, a single quote goes in front,
// which spreadsheets read as "this is text" and do not show.
func Neutralise(s string) string {
	if s == "" {
		return s
	}
	for _, r := range formulaStarts {
		if strings.HasPrefix(s, string(r)) {
			return "'" + s
		}
	}
	return s
}

// WriteCSV writes the table as CSV (RFC 4180 quoting), header first. Lines
// end in a line feed, which every spreadsheet reads: encoding/csv's CRLF mode
// would drop a carriage return typed inside a field.
func WriteCSV(w io.Writer, t Table) error {
	cw := csv.NewWriter(w)
	header := make([]string, len(t.Header))
	for i, h := range t.Header {
		header[i] = Neutralise(h)
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	record := make([]string, 0, len(t.Header))
	for _, row := range t.Rows {
		record = record[:0]
		for _, c := range row {
			record = append(record, c.csv())
		}
		if err := cw.Write(record); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// CSVMediaType is the type a CSV file is served and described as.
const CSVMediaType = "text/csv"

// WriteCSVRows writes a header and rows of text as CSV, each cell made safe
// as WriteCSV makes it, but for the columns numeric marks, whose numbers
// (such as a latitude, -1.55) are written as they are. A cell in a numeric
// column that is not a number is made safe like any text.
func WriteCSVRows(w io.Writer, header []string, rows [][]string, numeric []bool) error {
	cw := csv.NewWriter(w)
	record := make([]string, len(header))
	for i, h := range header {
		record[i] = Neutralise(h)
	}
	if err := cw.Write(record); err != nil {
		return err
	}
	for _, row := range rows {
		record = record[:0]
		for i, v := range row {
			if i < len(numeric) && numeric[i] {
				if _, err := strconv.ParseFloat(v, 64); err == nil || v == "" {
					record = append(record, v)
					continue
				}
			}
			record = append(record, Neutralise(v))
		}
		if err := cw.Write(record); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteCSVSections writes several tables into one CSV file, one after
// another: each as a row holding its sheet name, its header and its rows,
// with an empty row between tables. Every record is padded to the widest
// table, so a strict CSV reader, which wants the same number of fields on
// every line, reads the file too. Every cell goes through the same rules as
// WriteCSV.
func WriteCSVSections(w io.Writer, ts ...Table) error {
	width := 1
	for _, t := range ts {
		width = max(width, len(t.Header))
		for _, row := range t.Rows {
			width = max(width, len(row))
		}
	}
	cw := csv.NewWriter(w)
	write := func(fields ...string) error {
		record := make([]string, width)
		copy(record, fields)
		return cw.Write(record)
	}
	for i, t := range ts {
		if i > 0 {
			if err := write(); err != nil {
				return err
			}
		}
		if err := write(Neutralise(sheetName(t.Sheet))); err != nil {
			return err
		}
		header := make([]string, len(t.Header))
		for i, h := range t.Header {
			header[i] = Neutralise(h)
		}
		if err := write(header...); err != nil {
			return err
		}
		for _, row := range t.Rows {
			record := make([]string, 0, len(row))
			for _, c := range row {
				record = append(record, c.csv())
			}
			if err := write(record...); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteXLSX writes the table as one worksheet of an XLSX workbook, with the
// header in bold and frozen at the top. Rows are streamed, so a large
// extract does not build the whole sheet in memory.
func WriteXLSX(w io.Writer, t Table) error { return WriteWorkbook(w, t) }

// sheetName makes a valid worksheet name: at most 31 characters, none of
// the characters Excel forbids, and not empty.
func sheetName(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) || r < 0x20 {
			return '-'
		}
		return r
	}, s)
	s = strings.Trim(s, "'")
	if r := []rune(s); len(r) > 31 {
		s = string(r[:31])
	}
	if strings.TrimSpace(s) == "" {
		return "Data"
	}
	return s
}

// Content types of the downloads.
const (
	CSVType  = "text/csv; charset=utf-8"
	XLSXType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	PDFType  = "application/pdf"
)

// Download sends the table as a file to save, as "csv" or "xlsx". The file is
// made in full before anything is sent, so a failure is an error for the
// caller to report, never half a file. name is the file name without its
// extension; only letters, digits and hyphens are kept.
func Download(w http.ResponseWriter, t Table, format, name string) error {
	var b bytes.Buffer
	var ctype string
	switch format {
	case "csv":
		ctype = CSVType
		if err := WriteCSV(&b, t); err != nil {
			return err
		}
	case "xlsx":
		ctype = XLSXType
		if err := WriteXLSX(&b, t); err != nil {
			return err
		}
	default:
		return fmt.Errorf("document: no such format %q", format)
	}
	Send(w, b.Bytes(), ctype, name+"."+format)
	return nil
}

// DownloadSections sends several tables as one file: a workbook with a
// sheet for each ("xlsx"), or one CSV file with a section for each ("csv").
// Like Download, the file is made in full before anything is sent.
func DownloadSections(w http.ResponseWriter, format, name string, ts ...Table) error {
	var b bytes.Buffer
	var ctype string
	switch format {
	case "csv":
		ctype = CSVType
		if err := WriteCSVSections(&b, ts...); err != nil {
			return err
		}
	case "xlsx":
		ctype = XLSXType
		if err := WriteWorkbook(&b, ts...); err != nil {
			return err
		}
	default:
		return fmt.Errorf("document: no such format %q", format)
	}
	Send(w, b.Bytes(), ctype, name+"."+format)
	return nil
}

// Send writes a finished file as an attachment.
func Send(w http.ResponseWriter, body []byte, ctype, filename string) {
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", `attachment; filename="`+safeFilename(filename)+`"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body) // the client has gone; nothing to tell it
}

func safeFilename(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '.', r == '_':
			return r
		}
		return '-'
	}, s)
	if strings.Trim(s, ".-_") == "" {
		return "download"
	}
	return s
}
