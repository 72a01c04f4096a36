package store_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/model"
	"github.com/bulwark-tm/bulwark/pkg/store"
	"github.com/bulwark-tm/bulwark/pkg/store/storetest"
)

// TestModelsGetMetadataMatchesGetRaw: GetMetadata returns what GetRaw
// does beside the diagram, both for a document it reads without the
// diagram and for one it reads through GetRaw (a body whose revision is
// not its record's, as an older writer left it).
func TestModelsGetMetadataMatchesGetRaw(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name  string
		edit  func(m *model.ThreatModel)
		stale bool // rewrite the record so that its body is not current
	}{
		{"current", func(m *model.ThreatModel) {}, false},
		{"with everything", func(m *model.ThreatModel) {
			m.Labels, m.Properties = []string{"pci", "diagram"}, map[string]string{"diagram": `"}`}
			m.States = map[string]model.ItemState{"t1@c1": {Status: "mitigated", Notes: "a \"diagram\": {"}}
		}, false},
		{"not current", func(m *model.ThreatModel) {}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ms := newModels(t)
			m := storetest.GenerateModel("acme", "meta-1", 20)
			tc.edit(m)
			if err := ms.Create(ctx, m); err != nil {
				t.Fatal(err)
			}
			if tc.stale {
				r, err := ms.Store.Get(ctx, "acme", store.KindModel, "meta-1")
				if err != nil {
					t.Fatal(err)
				}
				if err := ms.Store.Update(ctx, r, r.Revision); err != nil {
					t.Fatal(err)
				}
			}
			raw, rawErr := ms.GetRaw(ctx, "acme", "meta-1")
			got, err := ms.GetMetadata(ctx, "acme", "meta-1")
			if rawErr != nil || err != nil {
				t.Fatalf("GetRaw: %v; GetMetadata: %v", rawErr, err)
			}
			if diff := cmp.Diff(raw.ThreatModel, *got); diff != "" {
				t.Errorf("metadata differs (-GetRaw +GetMetadata):\n%s", diff)
			}
			if _, err := ms.GetMetadata(ctx, "other", "meta-1"); !errs.Is(err, errs.NotFound) {
				t.Errorf("other tenant: %v", err)
			}
		})
	}
}
