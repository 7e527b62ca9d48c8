package bot_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// maxComplexity bounds every function of bot/ and its adapters: behaviour
// that needs more branches belongs in a table (the machine's rows, the
// reading's rules), where it can be read in one place.
const maxComplexity = 20

// TestNoFunctionIsTooComplex counts each non-test function's cyclomatic
// complexity as gocyclo does (one, plus each if, for, range, case of a
// switch or select but default, && and ||) and fails past maxComplexity.
func TestNoFunctionIsTooComplex(t *testing.T) {
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") || strings.Contains(path, "testdata") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			if n := complexity(fn.Body); n > maxComplexity {
				t.Errorf("%s: %s has cyclomatic complexity %d (at most %d): split it, or make its choices a table",
					fset.Position(fn.Pos()), fn.Name.Name, n, maxComplexity)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func complexity(body ast.Node) int {
	n := 1
	ast.Inspect(body, func(x ast.Node) bool {
		switch x := x.(type) {
		case *ast.IfStmt, *ast.ForStmt, *ast.RangeStmt:
			n++
		case *ast.CaseClause:
			if x.List != nil {
				n++
			}
		case *ast.CommClause:
			if x.Comm != nil {
				n++
			}
		case *ast.BinaryExpr:
			if x.Op == token.LAND || x.Op == token.LOR {
				n++
			}
		}
		return true
	})
	return n
}
