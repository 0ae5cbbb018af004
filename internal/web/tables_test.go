package web

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Every table, in a template or written in Go, sits in its own scrolling
// region (.haven-table-scroll), focusable and named, so a wide table scrolls
// by itself at 320 px and the page never scrolls sideways (WCAG 1.4.10).
func TestEveryTableScrollsInItsOwnRegion(t *testing.T) {
	region := regexp.MustCompile(`<div class="haven-table-scroll" role="region" aria-label="[^"]+" tabindex="0">\s*$`)
	check := func(name, text string) {
		for i := strings.Index(text, "<table"); i >= 0; {
			if !region.MatchString(text[:i]) {
				line := strings.Count(text[:i], "\n") + 1
				t.Errorf(`%s:%d: a table outside <div class="haven-table-scroll" role="region" aria-label="…" tabindex="0">`, name, line)
			}
			next := strings.Index(text[i+1:], "<table")
			if next < 0 {
				break
			}
			i += 1 + next
		}
	}
	tables := 0
	err := fs.WalkDir(templateFiles, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(templateFiles, p)
		tables += strings.Count(string(b), "<table")
		check(p, string(b))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	goFiles, _ := filepath.Glob("*.go")
	for _, p := range goFiles {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		tables += strings.Count(string(b), "<table")
		check(p, string(b))
	}
	if tables == 0 {
		t.Fatal("found no tables: the test is not looking where the pages are")
	}
}
