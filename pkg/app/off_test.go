package app

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/store/bolt"
)

// TestFeaturesOff: a part the configuration turns off says so with on =
// false and no error, and a part turned on says on = true.
func TestFeaturesOff(t *testing.T) {
	ctx := context.Background()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	st, err := bolt.Open(filepath.Join(t.TempDir(), "b.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("BULWARK_SECRETS_KEY_FILE", filepath.Join(t.TempDir(), "secrets.key"))
	for _, tc := range []struct {
		name string
		run  func() (bool, error)
		want bool
	}{
		{"accelerator off", func() (bool, error) {
			a, on, err := Config{AccelSource: "off"}.Accelerator(ctx, st, cat, logger)
			if a != nil {
				t.Error("an Accelerator that is off")
			}
			return on, err
		}, false},
		{"accelerator over files", func() (bool, error) {
			_, on, err := Config{AccelSource: "files", AccelData: filepath.Join("..", "..", "events", "demo", "aws"), Auth: "local"}.Accelerator(ctx, st, cat, logger)
			return on, err
		}, true},
		{"no user pool", func() (bool, error) {
			d, on, err := Config{}.Directory(ctx)
			if d != nil {
				t.Error("a directory without a user pool")
			}
			return on, err
		}, false},
		{"jira without a secret store", func() (bool, error) {
			s, on, err := Config{Store: "dynamodb://table"}.JiraService(ctx, st, cat, logger)
			if s != nil {
				t.Error("a Jira service without secrets")
			}
			return on, err
		}, false},
		{"jira beside a bolt store", func() (bool, error) {
			_, on, err := Config{Store: "bolt://" + filepath.Join(t.TempDir(), "x.db"), Auth: "local"}.JiraService(ctx, st, cat, logger)
			return on, err
		}, true},
	} {
		on, err := tc.run()
		if err != nil || on != tc.want {
			t.Errorf("%s: on %v, err %v; want on %v", tc.name, on, err, tc.want)
		}
	}
}
