package workflow

import (
	"context"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/store"
)

// TestSavesAreVersions (#18.3): the models the Accelerator saves are
// versions in their history, as an editor's saves are, with the workflow
// as author: the build that creates a model, a sync, a rebuild.
func TestSavesAreVersions(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	h := &store.History{Store: f.e.Store}
	req := Request{AccountID: demoAccount, Region: demoRegion, VPC: demoVPC}
	var modelID string
	steps := []struct {
		name, author string
		do           func()
	}{
		{"build", AuthorBuild, func() {
			run, _ := f.build(t, req)
			modelID = run.ModelID
		}},
		{"sync", AuthorSync, func() {
			if _, err := f.e.Sync(ctx, "acme", modelID, 0); err != nil {
				t.Fatal(err)
			}
		}},
		{"rebuild", AuthorBuild, func() {
			r := req
			r.ModelID = modelID
			f.build(t, r)
		}},
	}
	for i, s := range steps {
		s.do()
		m, err := f.e.models().Get(ctx, "acme", modelID)
		if err != nil {
			t.Fatal(err)
		}
		vs, _, err := h.List(ctx, "acme", modelID, "", 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(vs) != i+1 || vs[0].Revision != m.Revision || vs[0].Author != s.author || vs[0].Summary == "" {
			t.Errorf("%s: model at revision %d, versions %+v; want %d, the newest by %q", s.name, m.Revision, vs, i+1, s.author)
		}
	}
}
