package bolt

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/errs"
)

func TestParseURL(t *testing.T) {
	tests := []struct {
		url     string
		want    string
		wantErr string // part of the error message; empty for success
	}{
		{url: "bolt://.data/bulwark.db", want: ".data/bulwark.db"},
		{url: "bolt://bulwark.db", want: "bulwark.db"},
		{url: "bolt:///var/lib/bulwark/store.db", want: "/var/lib/bulwark/store.db"},
		{url: "bolt://../data dir/my_store.db", want: "../data dir/my_store.db"},

		{url: "", wantErr: "want bolt://PATH"},
		{url: "dynamodb://t", wantErr: "want bolt://PATH"},
		{url: "bolt://", wantErr: "no file path"},
		{url: "bolt://.data/", wantErr: "is a directory"},
		{url: "bolt://x.db?timeout=1s", wantErr: "no query"},
		{url: "bolt://x.db#frag", wantErr: "no query"},
	}
	for _, tc := range tests {
		t.Run(tc.url, func(t *testing.T) {
			got, err := ParseURL(tc.url)
			if tc.wantErr != "" {
				if err == nil || !errs.Is(err, errs.Invalid) || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("got %q, %v; want an invalid error containing %q", got, err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestOpenURL(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	s, err := OpenURL("bolt://.data/bulwark.db")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := os.Stat(filepath.Join(dir, ".data", "bulwark.db")); err != nil {
		t.Fatalf("relative path not resolved against the working directory: %v", err)
	}

	abs := filepath.Join(t.TempDir(), "abs", "x.db")
	s2, err := OpenURL("bolt://" + abs)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if _, err := os.Stat(abs); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenURL("bolt://"); !errs.Is(err, errs.Invalid) {
		t.Errorf("OpenURL of a bad URL: %v, want invalid", err)
	}
}
