package store

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// TestKindsAreUnique: no two collections share a name, and no fixed kind
// could be taken for an account's evidence.
func TestKindsAreUnique(t *testing.T) {
	seen := map[Kind]bool{}
	for _, k := range Kinds {
		if k == "" || seen[k] {
			t.Errorf("kind %q is empty or listed twice", k)
		}
		seen[k] = true
		if IsEvidenceKind(k) {
			t.Errorf("kind %q starts with the evidence prefix", k)
		}
	}
	if !IsEvidenceKind(EvidenceKind("111111111111")) || EvidenceKind("111111111111") != "evidence@111111111111" {
		t.Error("EvidenceKind")
	}
}

// TestKindsDeclaredHere: outside this file, no Go source of the module
// names a kind with a string literal (store.Kind("…") or a constant of type
// store.Kind = "…"), so every collection is in the one list above.
// Tests may, to exercise the drivers.
func TestKindsDeclaredHere(t *testing.T) {
	root := filepath.Join("..", "..")
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case "node_modules", "testdata", ".git", "web", "infra", "cdk.out":
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") || strings.HasSuffix(path, filepath.Join("store", "kinds.go")) ||
			strings.Contains(path, "storetest") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		inStore := f.Name.Name == "store"
		isKindType := func(e ast.Expr) bool {
			switch x := e.(type) {
			case *ast.SelectorExpr:
				id, ok := x.X.(*ast.Ident)
				return ok && id.Name == "store" && x.Sel.Name == "Kind"
			case *ast.Ident: // Kind within package store; other packages have Kinds of their own
				return inStore && x.Name == "Kind"
			}
			return false
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.CallExpr: // store.Kind("…") or Kind("…")
				if isKindType(x.Fun) && len(x.Args) == 1 {
					if _, ok := x.Args[0].(*ast.BasicLit); ok {
						t.Errorf("%s: a kind named by a literal; declare it in pkg/store/kinds.go", fset.Position(x.Pos()))
					}
				}
			case *ast.ValueSpec: // const K store.Kind = "…"
				if x.Type != nil && isKindType(x.Type) {
					for _, v := range x.Values {
						if _, ok := v.(*ast.BasicLit); ok {
							t.Errorf("%s: a kind named by a literal; declare it in pkg/store/kinds.go", fset.Position(v.Pos()))
						}
					}
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
