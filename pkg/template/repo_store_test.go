package template_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/store/bolt"
	"github.com/bulwark-tm/bulwark/pkg/store/storetest"
	"github.com/bulwark-tm/bulwark/pkg/template"
)

const (
	tenantA = "tenant-a"
	tenantB = "tenant-b"
)

// openBolt opens a bolt store in t.TempDir(), closed when t ends.
func openBolt(t *testing.T) *bolt.Store {
	t.Helper()
	s, err := bolt.Open(filepath.Join(t.TempDir(), "templates.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestRepoVersionsApprovalTenants runs the template repository on a
// store: versions, approval, drafts hidden from non-admin listings,
// conflicts, tenants. (The drivers themselves are held to the Store
// contract by pkg/store/storetest.)
func TestRepoVersionsApprovalTenants(t *testing.T) {
	s := openBolt(t)
	ctx := context.Background()
	r := &template.Repo{Store: s}
	m := storetest.GenerateModel(tenantA, "src", 40)
	tpl := &template.Template{Name: "Payments pattern", Category: "AWS", Diagram: m.Diagram, State: template.Draft}
	if err := r.Create(ctx, tenantA, "ann", tpl); err != nil {
		t.Fatal(err)
	}
	ids := func(tenant string, drafts bool) []string {
		t.Helper()
		list, err := r.List(ctx, tenant, drafts)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, x := range list {
			out = append(out, x.ID)
		}
		return out
	}
	if slices.Contains(ids(tenantA, false), tpl.ID) || !slices.Contains(ids(tenantA, true), tpl.ID) {
		t.Error("a draft must be listed only with drafts")
	}
	tpl.Description = "v2"
	if err := r.Update(ctx, tenantA, "bob", tpl, 1); err != nil || tpl.Version != 2 {
		t.Fatalf("update: version %d, %v", tpl.Version, err)
	}
	if err := r.Update(ctx, tenantA, "bob", tpl, 1); !errs.Is(err, errs.Conflict) {
		t.Errorf("stale update: %v", err)
	}
	approved, err := r.Approve(ctx, tenantA, "root", tpl.ID, tpl.Revision)
	if err != nil || approved.State != template.Approved || approved.ApprovedBy != "root" {
		t.Fatalf("approve: %+v %v", approved, err)
	}
	got, err := r.Get(ctx, tenantA, tpl.ID)
	if err != nil || len(got.Diagram.Components) != len(m.Diagram.Components) || got.State != template.Approved {
		t.Fatalf("get: %v", err)
	}
	if err := got.Diagram.Validate(); err != nil {
		t.Errorf("stored diagram: %v", err)
	}
	if vs, err := r.Versions(ctx, tenantA, tpl.ID); err != nil || len(vs) != 2 {
		t.Errorf("versions: %d %v", len(vs), err)
	}
	if _, err := r.Get(ctx, tenantB, tpl.ID); !errs.Is(err, errs.NotFound) {
		t.Errorf("another tenant reads the template: %v", err)
	}
	if err := r.Delete(ctx, tenantB, tpl.ID, approved.Revision); !errs.Is(err, errs.NotFound) {
		t.Errorf("another tenant deletes the template: %v", err)
	}
	if err := r.Delete(ctx, tenantA, tpl.ID, approved.Revision); err != nil {
		t.Fatal(err)
	}
	if slices.Contains(ids(tenantA, true), tpl.ID) {
		t.Error("deleted template still listed")
	}
}
