package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/store/bolt"
)

func TestOpenStore(t *testing.T) {
	t.Chdir(t.TempDir())
	s, err := openStore(context.Background(), "bolt://.data/bulwark.db")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, ok := s.(*bolt.Store); !ok {
		t.Fatalf("got a %T, want a *bolt.Store", s)
	}
	if _, err := os.Stat(filepath.Join(".data", "bulwark.db")); err != nil {
		t.Fatalf("relative path not resolved against the working directory: %v", err)
	}

	for url, want := range map[string]string{
		"":                 "want bolt://PATH or dynamodb://TABLE",
		".data/bulwark.db": "want bolt://PATH or dynamodb://TABLE",
		"sqlite://x.db":    `unknown scheme "sqlite"`,
		"BOLT://x.db":      `unknown scheme "BOLT"`,
		"bolt://":          "no file path",         // the bolt driver's parse
		"dynamodb://ab":    "not a DynamoDB table", // the dynamo driver's parse
	} {
		s, err := openStore(context.Background(), url)
		if err == nil || !errs.Is(err, errs.Invalid) || !strings.Contains(err.Error(), want) {
			t.Errorf("openStore(%q) = %v, %v; want an invalid error containing %q", url, s, err, want)
		}
	}
}
