package store_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/jsonfast"
	"github.com/bulwark-tm/bulwark/pkg/model"
	"github.com/bulwark-tm/bulwark/pkg/store"
	"github.com/bulwark-tm/bulwark/pkg/store/bolt"
	"github.com/bulwark-tm/bulwark/pkg/store/storetest"
)

func newModels(t *testing.T) store.Models {
	t.Helper()
	s, err := bolt.Open(filepath.Join(t.TempDir(), "models.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return store.Models{Store: s}
}

func TestModelsCreate(t *testing.T) {
	ctx := context.Background()
	fixed := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	tests := []struct {
		name      string
		edit      func(m *model.ThreatModel)
		wantKind  errs.Kind // Other: success
		wantField string
	}{
		{"valid", func(m *model.ThreatModel) {}, errs.Other, ""},
		{"keeps a given createdAt", func(m *model.ThreatModel) { m.CreatedAt = fixed }, errs.Other, ""},
		{"no name", func(m *model.ThreatModel) { m.Name = "" }, errs.Invalid, "/name"},
		{"dangling flow", func(m *model.ThreatModel) { m.Diagram.Flows[0].Target = "nowhere" }, errs.Invalid, "/diagram/flows/0/target"},
		{"no tenant", func(m *model.ThreatModel) { m.Tenant = "" }, errs.Invalid, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			models := newModels(t)
			m := storetest.GenerateModel("t1", "m1", 10)
			tc.edit(m)
			before := time.Now().UTC()
			err := models.Create(ctx, m)
			if tc.wantKind != errs.Other {
				if !errs.Is(err, tc.wantKind) {
					t.Fatalf("got %v, want a %s error", err, tc.wantKind)
				}
				if e, _ := errs.As(err); tc.wantField != "" && e.Field != tc.wantField {
					t.Errorf("error names field %q, want %q", e.Field, tc.wantField)
				}
				if _, err := models.Get(ctx, "t1", "m1"); !errs.Is(err, errs.NotFound) {
					t.Errorf("a rejected model was stored (get: %v)", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if m.Revision != 1 || m.UpdatedAt.Before(before) {
				t.Errorf("create set revision %d, updatedAt %v", m.Revision, m.UpdatedAt)
			}
			if tc.name == "keeps a given createdAt" && !m.CreatedAt.Equal(fixed) {
				t.Errorf("createdAt changed to %v", m.CreatedAt)
			}
			if m.CreatedAt.IsZero() {
				t.Error("createdAt not set")
			}
			got, err := models.Get(ctx, "t1", "m1")
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(m, got); diff != "" {
				t.Errorf("read back differs (-created +read):\n%s", diff)
			}
			if err := models.Create(ctx, storetest.GenerateModel("t1", "m1", 3)); !errs.Is(err, errs.Conflict) {
				t.Errorf("second create: got %v, want a conflict", err)
			}
		})
	}
}

func TestModelsUpdateAndDelete(t *testing.T) {
	ctx := context.Background()
	models := newModels(t)
	m := storetest.GenerateModel("t1", "m1", 10)
	if err := models.Create(ctx, m); err != nil {
		t.Fatal(err)
	}
	v2 := m.Clone()
	v2.Name = "second"
	if err := models.Update(ctx, v2, 1); err != nil {
		t.Fatal(err)
	}
	if v2.Revision != 2 {
		t.Fatalf("update set revision %d, want 2", v2.Revision)
	}

	stale := m.Clone()
	stale.Name = "stale"
	err := models.Update(ctx, stale, 1)
	if e, ok := errs.As(err); !ok || e.Kind != errs.Conflict || e.Current != 2 {
		t.Fatalf("stale update: got %v, want a conflict at revision 2", err)
	}
	if !strings.Contains(err.Error(), "update model m1") {
		t.Errorf("error %q does not name the model", err)
	}

	bad := v2.Clone()
	bad.Priority = "Urgent"
	if err := models.Update(ctx, bad, 2); !errs.Is(err, errs.Invalid) {
		t.Fatalf("invalid update: got %v, want invalid", err)
	}
	got, err := models.Get(ctx, "t1", "m1")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(v2, got); diff != "" {
		t.Fatalf("failed updates changed the model (-want +got):\n%s", diff)
	}

	if err := models.Delete(ctx, "t1", "m1", 1); !errs.Is(err, errs.Conflict) {
		t.Fatalf("stale delete: got %v, want a conflict", err)
	}
	if err := models.Delete(ctx, "t1", "m1", 2); err != nil {
		t.Fatal(err)
	}
	if _, err := models.Get(ctx, "t1", "m1"); !errs.Is(err, errs.NotFound) || !strings.Contains(err.Error(), "get model m1") {
		t.Fatalf("get after delete: got %v, want not found naming the model", err)
	}
}

func TestModelsList(t *testing.T) {
	ctx := context.Background()
	models := newModels(t)
	for _, id := range []string{"b", "a", "c"} {
		if err := models.Create(ctx, storetest.GenerateModel("t1", id, 5)); err != nil {
			t.Fatal(err)
		}
	}
	if err := models.Create(ctx, storetest.GenerateModel("t2", "other", 5)); err != nil {
		t.Fatal(err)
	}
	upd, err := models.Get(ctx, "t1", "c")
	if err != nil {
		t.Fatal(err)
	}
	upd.Name = "renamed"
	upd.Diagram.Components = upd.Diagram.Components[:2]
	upd.Diagram.Flows = upd.Diagram.Flows[:0]
	if err := models.Update(ctx, upd, 1); err != nil {
		t.Fatal(err)
	}

	got, err := models.List(ctx, "t1")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, s := range got {
		ids = append(ids, s.ID)
	}
	if diff := cmp.Diff([]string{"a", "b", "c"}, ids); diff != "" {
		t.Fatalf("listed ids (-want +got):\n%s", diff)
	}
	want := upd.Summarize()
	if diff := cmp.Diff(want, got[2]); diff != "" {
		t.Fatalf("summary of the updated model (-want +got):\n%s", diff)
	}
	if got[0].Revision != 1 || got[0].ComponentCount != 5 {
		t.Errorf("summary of a: %+v", got[0])
	}
	if none, err := models.List(ctx, "t3"); err != nil || len(none) != 0 {
		t.Errorf("list of an empty tenant: %v, %v", none, err)
	}
}

// TestModelsCorruptStorage checks that records Models cannot decode give
// errors naming the model, not a zero model.
func TestModelsCorruptStorage(t *testing.T) {
	ctx := context.Background()
	models := newModels(t)
	raw := []struct{ id, summary, body string }{
		{"bad-body", `{"id":"bad-body"}`, `{"schemaVersion":1,"nope":true}`},
		{"bad-summary", `[1,2]`, `{}`},
	}
	for _, r := range raw {
		rec := &store.Record{Tenant: "t1", Kind: store.KindModel, ID: r.id, Summary: json.RawMessage(r.summary), Body: []byte(r.body)}
		if err := models.Store.Create(ctx, rec); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := models.Get(ctx, "t1", "bad-body"); err == nil || !strings.Contains(err.Error(), "decode stored model bad-body") {
		t.Errorf("get of a corrupt body: %v", err)
	} else if k := errs.KindOf(err); k != errs.Other {
		t.Errorf("a corrupt stored body is the caller's fault? kind %v, want internal", k)
	}
	if _, err := models.GetRaw(ctx, "t1", "bad-body"); errs.KindOf(err) != errs.Other {
		t.Errorf("GetRaw of a corrupt body: %v (kind %v), want an internal error", err, errs.KindOf(err))
	}
	if _, err := models.List(ctx, "t1"); err == nil || !strings.Contains(err.Error(), "bad-summary") {
		t.Errorf("list with a corrupt summary: %v", err)
	}
}

func TestModelsGetRawMatchesGet(t *testing.T) {
	ctx := context.Background()
	ms := newModels(t)
	m := storetest.GenerateModel("acme", "raw-1", 50)
	if err := ms.Create(ctx, m); err != nil {
		t.Fatal(err)
	}
	full, err := ms.Get(ctx, "acme", "raw-1")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := ms.GetRaw(ctx, "acme", "raw-1")
	if err != nil {
		t.Fatal(err)
	}
	var d model.Diagram
	if err := json.Unmarshal(raw.Diagram, &d); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(full.Diagram, d); diff != "" {
		t.Errorf("raw diagram differs (-Get +GetRaw):\n%s", diff)
	}
	meta := *full
	meta.Diagram = model.Diagram{}
	if diff := cmp.Diff(meta, raw.ThreatModel); diff != "" {
		t.Errorf("raw metadata differs (-Get +GetRaw):\n%s", diff)
	}
	if _, err := ms.GetRaw(ctx, "other", "raw-1"); !errs.Is(err, errs.NotFound) {
		t.Errorf("other tenant: %v", err)
	}
}

// TestModelsGetJSON: a body written by Models is handed out as it is; one
// whose revision does not match its record (an older writer) is decoded
// and encoded again, so the answer always carries the record's revision.
func TestModelsGetJSON(t *testing.T) {
	ctx := context.Background()
	ms := newModels(t)
	m := storetest.GenerateModel("acme", "j-1", 20)
	if err := ms.Create(ctx, m); err != nil {
		t.Fatal(err)
	}
	rec, err := ms.Store.Get(ctx, "acme", store.KindModel, "j-1")
	if err != nil {
		t.Fatal(err)
	}
	doc, rev, err := ms.GetJSON(ctx, "acme", "j-1")
	if err != nil || rev != 1 || string(doc) != string(rec.Body) {
		t.Fatalf("current body: rev %d err %v, handed out as stored: %v", rev, err, string(doc) == string(rec.Body))
	}
	// Rewrite the record with its old body: the record is at revision 2,
	// the body still says 1.
	if err := ms.Store.Update(ctx, &store.Record{Tenant: "acme", Kind: store.KindModel, ID: "j-1", Summary: rec.Summary, Body: rec.Body}, 1); err != nil {
		t.Fatal(err)
	}
	doc, rev, err = ms.GetJSON(ctx, "acme", "j-1")
	if err != nil {
		t.Fatal(err)
	}
	var got model.ThreatModel
	if err := json.Unmarshal(doc, &got); err != nil {
		t.Fatal(err)
	}
	if rev != 2 || got.Revision != 2 || got.Tenant != "acme" {
		t.Errorf("stale body: rev %d, document revision %d tenant %q; want 2, 2, acme", rev, got.Revision, got.Tenant)
	}
}

func TestModelsUpdateDiagramKeepsTheGivenEncoding(t *testing.T) {
	ctx := context.Background()
	ms := newModels(t)
	m := storetest.GenerateModel("acme", "d-1", 20)
	m.Template = &model.TemplateRef{ID: "tpl", Version: 2}
	m.States = map[string]model.ItemState{"rule@c1": {Status: "mitigated", Notes: "a <b> & c"}}
	if err := ms.Create(ctx, m); err != nil {
		t.Fatal(err)
	}
	diagram, err := jsonfast.Marshal(&m.Diagram)
	if err != nil {
		t.Fatal(err)
	}
	if err := ms.UpdateDiagram(ctx, m, diagram, 1); err != nil {
		t.Fatal(err)
	}
	rec, err := ms.Store.Get(ctx, "acme", store.KindModel, "d-1")
	if err != nil {
		t.Fatal(err)
	}
	// What Update would have written: the whole model encoded.
	want, err := jsonfast.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if string(rec.Body) != string(want) {
		t.Fatalf("stored\n%s\nwant\n%s", rec.Body, want)
	}
	got, err := ms.Get(ctx, "acme", "d-1")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(m, got); diff != "" {
		t.Fatalf("read back (-want +got):\n%s", diff)
	}
}

func TestModelsUpdateDiagramSummarizesFromTheModelItWasGiven(t *testing.T) {
	ctx := context.Background()
	ms := newModels(t)
	ms.History = &store.History{Store: ms.Store, Summarize: func(prev, next *model.ThreatModel) string {
		if prev == nil {
			return "first"
		}
		return prev.Name + " → " + next.Name + " " + prev.Diagram.Components[0].Name + " → " + next.Diagram.Components[0].Name
	}}
	m := storetest.GenerateModel("acme", "h-1", 5)
	m.Name, m.Diagram.Components[0].Name = "a", "c1"
	if err := ms.Create(ctx, m); err != nil {
		t.Fatal(err)
	}
	handed := m.Clone()
	handed.Name, handed.Diagram.Components[0].Name = "b", "c2"
	if err := ms.UpdateDiagram(ctx, handed, nil, 1); err != nil {
		t.Fatal(err)
	}
	third := handed.Clone()
	third.Name, third.Diagram.Components[0].Name = "c", "c3"
	if err := ms.Update(ctx, third, 2); err != nil {
		t.Fatal(err)
	}
	// A model given to Update is copied: changing it afterwards changes
	// nothing the next summary reads.
	third.Name, third.Diagram.Components[0].Name = "x", "x"
	if err := ms.Update(ctx, third.Clone(), 3); err != nil {
		t.Fatal(err)
	}
	vs, _, err := ms.History.List(ctx, "acme", "h-1", "", 10)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, v := range vs {
		got = append(got, v.Summary)
	}
	want := []string{"c → x c3 → x", "b → c c2 → c3", "a → b c1 → c2", "first"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("summaries (-want +got):\n%s", diff)
	}
}
