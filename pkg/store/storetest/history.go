package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/model"
	"github.com/bulwark-tm/bulwark/pkg/store"
)

// testListPrefix: a prefix lists only the ids that start with it, in
// pages that never end in an empty one, and a cursor stays in its prefix.
func testListPrefix(t *testing.T, s store.Store) {
	ctx := context.Background()
	for _, id := range []string{"a", "a#1", "a#2", "a#3", "a/b#1", "ab#1", "b#1"} {
		mustCreate(t, s, rec(tenantA, id, `{}`, "x"))
	}
	mustCreate(t, s, rec(tenantB, "a#9", `{}`, "x"))
	var got []string
	opts := store.ListOptions{Prefix: "a#", Limit: 1}
	for pages := 0; ; pages++ {
		if pages > 5 {
			t.Fatal("too many pages")
		}
		p, err := s.List(ctx, tenantA, kind, opts)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Records) == 0 {
			t.Fatalf("empty page after %v", got)
		}
		for _, r := range p.Records {
			got = append(got, r.ID)
		}
		if p.Next == "" {
			break
		}
		opts.Cursor = p.Next
	}
	if want := "a#1 a#2 a#3"; strings.Join(got, " ") != want {
		t.Errorf("prefix a#: %v, want %s", got, want)
	}
	p, err := s.List(ctx, tenantA, kind, store.ListOptions{Prefix: "a#", Limit: 2})
	if err != nil || p.Next == "" {
		t.Fatalf("first page: %v %v", p, err)
	}
	_, err = s.List(ctx, tenantA, kind, store.ListOptions{Prefix: "b#", Cursor: p.Next})
	wantKind(t, err, errs.Invalid, "a cursor of another prefix")
	p, err = s.List(ctx, tenantA, kind, store.ListOptions{Prefix: "zz"})
	if err != nil || len(p.Records) != 0 || p.Next != "" {
		t.Errorf("unknown prefix: %+v %v", p, err)
	}
}

func historyModel(t *testing.T, name string, components int) *model.ThreatModel {
	t.Helper()
	m := &model.ThreatModel{ID: "tm-hist", Tenant: tenantA, Name: name, ProjectType: "Web", Priority: model.Priorities[0], Facing: model.FacingInternal,
		Diagram: model.Diagram{Components: []model.Component{}, Flows: []model.Flow{}, Groups: []model.Group{}}}
	for i := range components {
		m.Diagram.Components = append(m.Diagram.Components, model.Component{ID: fmt.Sprintf("c%d", i), Type: "aws.ec2", Name: fmt.Sprintf("server %d", i)})
	}
	m.SchemaVersion = model.SchemaVersion
	if err := m.Validate(); err != nil {
		t.Fatalf("test model: %v", err)
	}
	return m
}

// testHistory: with History set, every model write is a version, listed
// newest first with paging; a version reads back as the document it was;
// retention keeps the newest Keep plus named and approved versions; review
// steps follow submit → approve/reject; the baseline is the newest
// approved; tenants are isolated; deleting the model deletes its history.
func testHistory(t *testing.T, s store.Store) {
	ctx := context.Background()
	user := "ann"
	h := &store.History{Store: s, Keep: 3,
		Author: func(context.Context) string { return user },
		Summarize: func(prev, next *model.ThreatModel) string {
			if prev == nil {
				return "first"
			}
			return fmt.Sprintf("%d→%d components", len(prev.Diagram.Components), len(next.Diagram.Components))
		}}
	models := store.Models{Store: s, History: h}
	m := historyModel(t, "v1", 1)
	if err := models.Create(ctx, m); err != nil {
		t.Fatal(err)
	}
	for i := 2; i <= 4; i++ { // revisions 2..4, i components
		next := historyModel(t, fmt.Sprintf("v%d", i), i)
		if err := models.Update(ctx, next, int64(i-1)); err != nil {
			t.Fatal(err)
		}
	}
	vs, next, err := h.List(ctx, tenantA, m.ID, "", 2)
	if err != nil || len(vs) != 2 || next == "" || vs[0].Revision != 4 || vs[1].Revision != 3 {
		t.Fatalf("first page: %+v %q %v", vs, next, err)
	}
	if vs[0].Author != user || vs[0].Summary != "3→4 components" || vs[0].SavedAt.IsZero() {
		t.Errorf("version 4: %+v", vs[0])
	}
	vs2, next2, err := h.List(ctx, tenantA, m.ID, next, 2)
	if err != nil || len(vs2) != 1 || next2 != "" || vs2[0].Revision != 2 {
		// Keep 3: revision 1 is gone.
		t.Fatalf("second page: %+v %q %v", vs2, next2, err)
	}
	// A version reads back as its document.
	v, doc, err := h.Get(ctx, tenantA, m.ID, 2)
	if err != nil {
		t.Fatal(err)
	}
	old, err := model.Decode(doc)
	if err != nil || old.Revision != 2 || old.Name != "v2" || len(old.Diagram.Components) != 2 || v.Revision != 2 {
		t.Fatalf("version 2: %+v %v", old, err)
	}
	_, _, err = h.Get(ctx, tenantA, m.ID, 1)
	wantKind(t, err, errs.NotFound, "a version past retention")

	// Name 2, approve 3 (after submitting): both survive retention.
	if _, err := h.SetName(ctx, tenantA, m.ID, 2, "v1.2 approved"); err != nil {
		t.Fatal(err)
	}
	_, err = h.SetReview(ctx, tenantA, m.ID, 3, store.ActionApprove, "rita", "")
	wantKind(t, err, errs.Conflict, "approving a version not submitted")
	if _, err := h.SetReview(ctx, tenantA, m.ID, 3, store.ActionSubmit, "ann", ""); err != nil {
		t.Fatal(err)
	}
	_, err = h.SetReview(ctx, tenantA, m.ID, 3, store.ActionSubmit, "ann", "")
	wantKind(t, err, errs.Conflict, "submitting twice")
	ap, err := h.SetReview(ctx, tenantA, m.ID, 3, store.ActionApprove, "rita", "looks right")
	if err != nil || !ap.Approved() || ap.Review.By != "rita" || ap.Review.Comment != "looks right" {
		t.Fatalf("approve: %+v %v", ap, err)
	}
	_, err = h.Baseline(ctx, tenantB, m.ID)
	wantKind(t, err, errs.NotFound, "tenant B's baseline of tenant A's model")
	// Rev 4 waits for review: kept too.
	if _, err := h.SetReview(ctx, tenantA, m.ID, 4, store.ActionSubmit, "ann", ""); err != nil {
		t.Fatal(err)
	}
	for i := 5; i <= 9; i++ {
		if err := models.Update(ctx, historyModel(t, fmt.Sprintf("v%d", i), i), int64(i-1)); err != nil {
			t.Fatal(err)
		}
	}
	all, _, err := h.List(ctx, tenantA, m.ID, "", 100)
	if err != nil {
		t.Fatal(err)
	}
	var revs []int64
	for _, v := range all {
		revs = append(revs, v.Revision)
	}
	if fmt.Sprint(revs) != "[9 8 7 4 3 2]" {
		t.Errorf("after retention: revisions %v, want [9 8 7 4 3 2] (newest 3, submitted 4, approved 3, named 2)", revs)
	}
	b, err := h.Baseline(ctx, tenantA, m.ID)
	if err != nil || b.Revision != 3 {
		t.Errorf("baseline: %+v %v", b, err)
	}

	// Tenant isolation.
	other, _, err := h.List(ctx, tenantB, m.ID, "", 100)
	if err != nil || len(other) != 0 {
		t.Errorf("tenant B lists %+v %v", other, err)
	}
	_, _, err = h.Get(ctx, tenantB, m.ID, 9)
	wantKind(t, err, errs.NotFound, "tenant B reading tenant A's version")
	_, err = h.SetName(ctx, tenantB, m.ID, 9, "mine")
	wantKind(t, err, errs.NotFound, "tenant B naming tenant A's version")

	// Another History (another process) reads the previous version to
	// summarize the change.
	fresh := &store.History{Store: s, Keep: 3, Summarize: h.Summarize}
	if err := (store.Models{Store: s, History: fresh}).Update(ctx, historyModel(t, "v10", 10), 9); err != nil {
		t.Fatal(err)
	}
	if vs, _, err := fresh.List(ctx, tenantA, m.ID, "", 1); err != nil || len(vs) != 1 || vs[0].Summary != "9→10 components" || vs[0].Author != "" {
		t.Errorf("version 10 by a fresh History: %+v %v", vs, err)
	}

	// A write outside History (no version) shows as a gap.
	if err := (store.Models{Store: s}).Update(ctx, historyModel(t, "v11", 11), 10); err != nil {
		t.Fatal(err)
	}
	if err := (store.Models{Store: s, History: fresh}).Update(ctx, historyModel(t, "v12", 12), 11); err != nil {
		t.Fatal(err)
	}
	if vs, _, err := fresh.List(ctx, tenantA, m.ID, "", 1); err != nil || len(vs) != 1 || vs[0].Revision != 12 || vs[0].Summary != "since revision 10; 10→12 components" {
		t.Errorf("version after a gap: %+v %v", vs, err)
	}

	// Deleting the model deletes its history.
	if err := models.Delete(ctx, tenantA, m.ID, 12); err != nil {
		t.Fatal(err)
	}
	left, _, err := h.List(ctx, tenantA, m.ID, "", 100)
	if err != nil || len(left) != 0 {
		t.Errorf("after deleting the model: %+v %v", left, err)
	}
}

// testHistoryKeepAll: Keep 0 keeps every version.
func testHistoryKeepAll(t *testing.T, s store.Store) {
	ctx := context.Background()
	h := &store.History{Store: s}
	models := store.Models{Store: s, History: h}
	if err := models.Create(ctx, historyModel(t, "v1", 1)); err != nil {
		t.Fatal(err)
	}
	for i := 2; i <= 5; i++ {
		if err := models.Update(ctx, historyModel(t, "v", 1), int64(i-1)); err != nil {
			t.Fatal(err)
		}
	}
	vs, _, err := h.List(ctx, tenantA, "tm-hist", "", 0)
	if err != nil || len(vs) != 5 {
		t.Errorf("keep all: %d versions %v", len(vs), err)
	}
}
