package web_test

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// scripts/unit runs this package's tests as three processes split by name.
// Every test and fuzz target must fall in exactly one of them, or it would
// run twice or never.
func TestEveryTestIsInOneUnitShard(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "..", "scripts", "unit"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`for names in ((?:'[^']+' ?)+); do`).FindSubmatch(src)
	if m == nil {
		t.Fatal("scripts/unit no longer lists its shards as this test expects")
	}
	var shards []*regexp.Regexp
	for _, s := range strings.Fields(string(m[1])) {
		shards = append(shards, regexp.MustCompile(strings.Trim(s, "'")))
	}
	files, _ := filepath.Glob("*_test.go")
	fset := token.NewFileSet()
	n := 0
	for _, f := range files {
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for name, obj := range file.Scope.Objects {
			if obj.Kind.String() != "func" || !(strings.HasPrefix(name, "Test") || strings.HasPrefix(name, "Fuzz")) || name == "TestMain" {
				continue
			}
			n++
			in := 0
			for _, s := range shards {
				if s.MatchString(name) {
					in++
				}
			}
			if in != 1 {
				t.Errorf("%s (%s) is in %d shards of scripts/unit, want 1", name, f, in)
			}
		}
	}
	if n < 100 {
		t.Errorf("only %d tests found: the parse is wrong", n)
	}
}
