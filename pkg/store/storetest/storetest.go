// Package storetest is the conformance suite every store.Store driver runs,
// in the manner of go-cloud's docstore/drivertest: one Run function that
// checks each guarantee stated on the store.Store interface, called from a
// driver's own tests with a small harness that makes a fresh, empty store.
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) store.Store {
//			s, err := bolt.Open(filepath.Join(t.TempDir(), "test.db"))
//			if err != nil {
//				t.Fatal(err)
//			}
//			t.Cleanup(func() { s.Close() })
//			return s
//		})
//	}
//
// It also provides GenerateModel, a deterministic realistic threat model of
// any size, for tests and benchmarks elsewhere.
package storetest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/model"
	"github.com/bulwark-tm/bulwark/pkg/store"
)

// Run runs the conformance suite. newStore must return a new, empty store
// for each call (each subtest calls it once) and arrange its Close with
// t.Cleanup.
func Run(t *testing.T, newStore func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"Create", testCreate},
		{"Get", testGet},
		{"Update", testUpdate},
		{"Delete", testDelete},
		{"List", testList},
		{"ListPagesOverOneMegabyte", testListLarge},
		{"Invalid", testInvalid},
		{"TooLarge", testTooLarge},
		{"LargeBody", testLargeBody},
		{"ConcurrentUpdates", testConcurrentUpdates},
		{"ConcurrentReadersSeeWholeWrites", testTornReads},
		{"LargeModelRoundTrip", testLargeModel},
		{"TenantIsolation", testTenantIsolation},
		{"WriteBatch", testWriteBatch},
		{"UpdateWith", testUpdateWith},
		{"GetMany", testGetMany},
		{"ContextCanceled", testContextCanceled},
		{"ListPrefix", testListPrefix},
		{"History", testHistory},
		{"HistoryKeepAll", testHistoryKeepAll},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.fn(t, newStore(t))
		})
	}
}

const (
	tenantA = "tenant-a"
	tenantB = "tenant-b"
	kind    = store.KindModel
)

func rec(tenant, id, summary, body string) *store.Record {
	return &store.Record{Tenant: tenant, Kind: kind, ID: id, Summary: json.RawMessage(summary), Body: []byte(body)}
}

// wantKind fails t unless err has kind k.
func wantKind(t *testing.T, err error, k errs.Kind, what string) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: got no error, want %s", what, k)
	}
	if got := errs.KindOf(err); got != k {
		t.Fatalf("%s: got error kind %s (%v), want %s", what, got, err, k)
	}
}

// wantConflictAt fails t unless err is a Conflict reporting revision cur.
func wantConflictAt(t *testing.T, err error, cur int64, what string) {
	t.Helper()
	wantKind(t, err, errs.Conflict, what)
	e, _ := errs.As(err)
	if e.Current != cur {
		t.Fatalf("%s: conflict reports current revision %d, want %d (%v)", what, e.Current, cur, err)
	}
}

func mustCreate(t *testing.T, s store.Store, r *store.Record) {
	t.Helper()
	if err := s.Create(context.Background(), r); err != nil {
		t.Fatalf("create %s/%s: %v", r.Tenant, r.ID, err)
	}
}

func mustGet(t *testing.T, s store.Store, tenant, id string) *store.Record {
	t.Helper()
	r, err := s.Get(context.Background(), tenant, kind, id)
	if err != nil {
		t.Fatalf("get %s/%s: %v", tenant, id, err)
	}
	return r
}

// sameRecord fails t unless got holds want's stored fields.
func sameRecord(t *testing.T, got, want *store.Record, withBody bool) {
	t.Helper()
	if got.Tenant != want.Tenant || got.Kind != want.Kind || got.ID != want.ID {
		t.Fatalf("got record %s/%s/%s, want %s/%s/%s", got.Tenant, got.Kind, got.ID, want.Tenant, want.Kind, want.ID)
	}
	if got.Revision != want.Revision {
		t.Fatalf("%s: got revision %d, want %d", want.ID, got.Revision, want.Revision)
	}
	if !got.UpdatedAt.Equal(want.UpdatedAt) || got.UpdatedAt.Location() != time.UTC {
		t.Fatalf("%s: got updatedAt %v, want %v in UTC", want.ID, got.UpdatedAt, want.UpdatedAt)
	}
	if !bytes.Equal(got.Summary, want.Summary) {
		t.Fatalf("%s: got summary %.200q, want %.200q", want.ID, got.Summary, want.Summary)
	}
	if withBody && !bytes.Equal(got.Body, want.Body) {
		t.Fatalf("%s: got body of %d bytes %.100q, want %d bytes %.100q", want.ID, len(got.Body), got.Body, len(want.Body), want.Body)
	}
	if !withBody && got.Body != nil {
		t.Fatalf("%s: listing returned a body of %d bytes, want nil", want.ID, len(got.Body))
	}
}

func testCreate(t *testing.T, s store.Store) {
	ctx := context.Background()
	before := time.Now().UTC()
	r := rec(tenantA, "m1", `{"name":"one"}`, `{"id":"m1","name":"one"}`)
	mustCreate(t, s, r)
	if r.Revision != 1 {
		t.Errorf("create set revision %d, want 1", r.Revision)
	}
	if r.UpdatedAt.Before(before.Add(-time.Second)) || r.UpdatedAt.After(time.Now().Add(time.Second)) || r.UpdatedAt.Location() != time.UTC {
		t.Errorf("create set updatedAt %v, want about %v in UTC", r.UpdatedAt, before)
	}
	sameRecord(t, mustGet(t, s, tenantA, "m1"), r, true)

	dup := rec(tenantA, "m1", `{"name":"other"}`, `other`)
	wantConflictAt(t, s.Create(ctx, dup), 1, "create over an existing id")
	sameRecord(t, mustGet(t, s, tenantA, "m1"), r, true)

	// A record with no summary and an empty body is allowed.
	empty := &store.Record{Tenant: tenantA, Kind: kind, ID: "empty"}
	mustCreate(t, s, empty)
	got := mustGet(t, s, tenantA, "empty")
	if len(got.Summary) != 0 || len(got.Body) != 0 || got.Revision != 1 {
		t.Errorf("empty record read back as summary %q body %q revision %d", got.Summary, got.Body, got.Revision)
	}

	// Ids are opaque: unicode, slashes, '#' and similar ids do not collide.
	ids := []string{"a", "a#1", "a#1#2", "a/b", "ü-ñ", "D#a", "a ", "aa"}
	for _, id := range ids {
		mustCreate(t, s, rec(tenantA, id, `{"id":`+fmt.Sprintf("%q", id)+`}`, "body of "+id))
	}
	for _, id := range ids {
		if got := mustGet(t, s, tenantA, id); string(got.Body) != "body of "+id {
			t.Errorf("id %q read back body %q", id, got.Body)
		}
	}
}

func testGet(t *testing.T, s store.Store) {
	ctx := context.Background()
	_, err := s.Get(ctx, tenantA, kind, "missing")
	wantKind(t, err, errs.NotFound, "get of a missing id in an empty store")
	mustCreate(t, s, rec(tenantA, "present", `{}`, `x`))
	_, err = s.Get(ctx, tenantA, kind, "missing")
	wantKind(t, err, errs.NotFound, "get of a missing id")
	_, err = s.Get(ctx, tenantA, store.Kind("template"), "present")
	wantKind(t, err, errs.NotFound, "get of an id stored under another kind")

	// The returned record belongs to the caller: changing it changes nothing.
	r := mustGet(t, s, tenantA, "present")
	r.Body[0] = 'y'
	if got := mustGet(t, s, tenantA, "present"); string(got.Body) != "x" {
		t.Errorf("changing a returned body changed the store: read back %q", got.Body)
	}
}

func testUpdate(t *testing.T, s store.Store) {
	ctx := context.Background()
	r := rec(tenantA, "m", `{"v":1}`, `v1`)
	mustCreate(t, s, r)
	created := r.UpdatedAt

	for i := 2; i <= 4; i++ {
		u := rec(tenantA, "m", fmt.Sprintf(`{"v":%d}`, i), fmt.Sprintf("v%d", i))
		if err := s.Update(ctx, u, int64(i-1)); err != nil {
			t.Fatalf("update to revision %d: %v", i, err)
		}
		if u.Revision != int64(i) {
			t.Fatalf("update set revision %d, want %d", u.Revision, i)
		}
		if u.UpdatedAt.Before(created) {
			t.Fatalf("update set updatedAt %v, before the create's %v", u.UpdatedAt, created)
		}
		sameRecord(t, mustGet(t, s, tenantA, "m"), u, true)
		r = u
	}

	tests := []struct {
		name     string
		id       string
		expected int64
		kind     errs.Kind
		current  int64
	}{
		{"stale revision", "m", 2, errs.Conflict, 4},
		{"revision from the future", "m", 9, errs.Conflict, 4},
		{"missing record", "missing", 1, errs.NotFound, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u := rec(tenantA, tc.id, `{"v":"lost"}`, "lost")
			err := s.Update(ctx, u, tc.expected)
			if tc.kind == errs.Conflict {
				wantConflictAt(t, err, tc.current, "update")
			} else {
				wantKind(t, err, tc.kind, "update")
			}
			if u.Revision != 0 {
				t.Errorf("failed update set revision %d", u.Revision)
			}
			sameRecord(t, mustGet(t, s, tenantA, "m"), r, true)
			if tc.kind == errs.NotFound {
				_, err := s.Get(ctx, tenantA, kind, tc.id)
				wantKind(t, err, errs.NotFound, "get after a failed update of a missing record")
			}
		})
	}
}

func testDelete(t *testing.T, s store.Store) {
	ctx := context.Background()
	r := rec(tenantA, "m", `{}`, `v1`)
	mustCreate(t, s, r)
	u := rec(tenantA, "m", `{}`, `v2`)
	if err := s.Update(ctx, u, 1); err != nil {
		t.Fatal(err)
	}
	wantConflictAt(t, s.Delete(ctx, tenantA, kind, "m", 1), 2, "delete at a stale revision")
	sameRecord(t, mustGet(t, s, tenantA, "m"), u, true)
	wantKind(t, s.Delete(ctx, tenantA, kind, "missing", 1), errs.NotFound, "delete of a missing record")

	if err := s.Delete(ctx, tenantA, kind, "m", 2); err != nil {
		t.Fatalf("delete at the current revision: %v", err)
	}
	_, err := s.Get(ctx, tenantA, kind, "m")
	wantKind(t, err, errs.NotFound, "get after delete")
	wantKind(t, s.Delete(ctx, tenantA, kind, "m", 2), errs.NotFound, "second delete")
	wantKind(t, s.Update(ctx, rec(tenantA, "m", `{}`, `v3`), 2), errs.NotFound, "update after delete")
	if p, err := s.List(ctx, tenantA, kind, store.ListOptions{}); err != nil || len(p.Records) != 0 {
		t.Fatalf("list after delete: %d records, error %v; want none", len(p.Records), err)
	}

	// The id can be used again, starting over at revision 1.
	again := rec(tenantA, "m", `{"again":true}`, `new`)
	mustCreate(t, s, again)
	if again.Revision != 1 {
		t.Fatalf("create after delete set revision %d, want 1", again.Revision)
	}
	sameRecord(t, mustGet(t, s, tenantA, "m"), again, true)
}

func testList(t *testing.T, s store.Store) {
	ctx := context.Background()
	p, err := s.List(ctx, tenantA, kind, store.ListOptions{})
	if err != nil || len(p.Records) != 0 || p.Next != "" {
		t.Fatalf("list of an empty store: %+v, %v; want an empty last page", p, err)
	}

	// Create in a scrambled order; List returns byte-wise id order.
	var want []*store.Record
	for i := range 10 {
		id := fmt.Sprintf("m%02d", (i*7)%10)
		r := rec(tenantA, id, fmt.Sprintf(`{"n":%q}`, id), strings.Repeat(id, 100))
		mustCreate(t, s, r)
		want = append(want, r)
	}
	other := rec(tenantA, "m99", `{}`, `x`)
	other.Kind = "template"
	mustCreate(t, s, other) // another kind is not listed
	slices.SortFunc(want, func(a, b *store.Record) int { return strings.Compare(a.ID, b.ID) })

	tests := []struct {
		name  string
		limit int
		pages []int // records per page
	}{
		{"default limit", 0, []int{10}},
		{"one page exactly", 10, []int{10}},
		{"limit above the maximum", 5000, []int{10}},
		{"pages of 3", 3, []int{3, 3, 3, 1}},
		{"pages of 5 end exactly", 5, []int{5, 5}},
		{"pages of 1", 1, []int{1, 1, 1, 1, 1, 1, 1, 1, 1, 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []*store.Record
			opts := store.ListOptions{Limit: tc.limit}
			for i, n := range tc.pages {
				p, err := s.List(ctx, tenantA, kind, opts)
				if err != nil {
					t.Fatalf("page %d: %v", i, err)
				}
				if len(p.Records) != n {
					t.Fatalf("page %d has %d records, want %d", i, len(p.Records), n)
				}
				last := i == len(tc.pages)-1
				if last != (p.Next == "") {
					t.Fatalf("page %d: next cursor %q, want one only before the last page", i, p.Next)
				}
				got = append(got, p.Records...)
				opts.Cursor = p.Next
			}
			for i := range want {
				sameRecord(t, got[i], want[i], false)
			}
		})
	}

	t.Run("default limit is 100", func(t *testing.T) {
		for i := range 95 {
			mustCreate(t, s, rec(tenantA, fmt.Sprintf("z%03d", i), `{}`, ``))
		}
		p, err := s.List(ctx, tenantA, kind, store.ListOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Records) != 100 || p.Next == "" {
			t.Fatalf("got %d records and next %q, want 100 and a cursor", len(p.Records), p.Next)
		}
		all, err := store.ListAll(ctx, s, tenantA, kind)
		if err != nil || len(all) != 105 {
			t.Fatalf("ListAll: %d records, %v; want 105", len(all), err)
		}
	})
}

// testListLarge lists 300 records with 5 KB summaries (1.5 MB, more than a
// DynamoDB Query returns in one call).
func testListLarge(t *testing.T, s store.Store) {
	ctx := context.Background()
	const n = 300
	var wg sync.WaitGroup
	errc := make(chan error, n)
	sem := make(chan struct{}, 8)
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			sum := fmt.Sprintf(`{"i":%d,"pad":%q}`, i, strings.Repeat(string(rune('a'+i%26)), 5000))
			errc <- s.Create(ctx, rec(tenantA, fmt.Sprintf("r%04d", i), sum, strings.Repeat("b", 2000)))
		}()
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, limit := range []int{1000, 250, 77} {
		t.Run(fmt.Sprintf("limit %d", limit), func(t *testing.T) {
			seen := 0
			opts := store.ListOptions{Limit: limit}
			for pages := 0; ; pages++ {
				if pages > n {
					t.Fatal("listing does not end")
				}
				p, err := s.List(ctx, tenantA, kind, opts)
				if err != nil {
					t.Fatalf("page %d: %v", pages, err)
				}
				if len(p.Records) > limit {
					t.Fatalf("page %d has %d records, more than the limit %d", pages, len(p.Records), limit)
				}
				if len(p.Records) == 0 && p.Next != "" {
					t.Fatalf("page %d is empty but has a next cursor", pages)
				}
				for _, r := range p.Records {
					if want := fmt.Sprintf("r%04d", seen); r.ID != want {
						t.Fatalf("record %d is %s, want %s (each once, in order)", seen, r.ID, want)
					}
					var sum struct {
						I   int    `json:"i"`
						Pad string `json:"pad"`
					}
					if err := json.Unmarshal(r.Summary, &sum); err != nil || sum.I != seen || len(sum.Pad) != 5000 {
						t.Fatalf("record %s: summary %.60q (%v)", r.ID, r.Summary, err)
					}
					if r.Body != nil {
						t.Fatalf("record %s: listing returned a body", r.ID)
					}
					seen++
				}
				if p.Next == "" {
					break
				}
				opts.Cursor = p.Next
			}
			if seen != n {
				t.Fatalf("saw %d records, want %d", seen, n)
			}
		})
	}
}

func testInvalid(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCreate(t, s, rec(tenantA, "m", `{}`, `x`))
	long := strings.Repeat("x", 2000)
	keys := []struct{ name, tenant, kind, id string }{
		{"empty tenant", "", "model", "m"},
		{"empty kind", tenantA, "", "m"},
		{"empty id", tenantA, "model", ""},
		{"tenant with a key separator", "a#b", "model", "m"},
		{"kind with a key separator", tenantA, "mo#del", "m"},
		{"tenant with a slash", "a/b", "model", "m"},
		{"id with a control character", tenantA, "model", "m\x00"},
		{"id not UTF-8", tenantA, "model", "m\xff"},
		{"id too long", tenantA, "model", long},
		{"tenant too long", long, "model", "m"},
	}
	for _, k := range keys {
		t.Run(k.name, func(t *testing.T) {
			r := &store.Record{Tenant: k.tenant, Kind: store.Kind(k.kind), ID: k.id, Summary: json.RawMessage(`{}`)}
			wantKind(t, s.Create(ctx, r), errs.Invalid, "create")
			_, err := s.Get(ctx, k.tenant, store.Kind(k.kind), k.id)
			wantKind(t, err, errs.Invalid, "get")
			wantKind(t, s.Update(ctx, r, 1), errs.Invalid, "update")
			wantKind(t, s.Delete(ctx, k.tenant, store.Kind(k.kind), k.id, 1), errs.Invalid, "delete")
			if k.id == "m" {
				_, err := s.List(ctx, k.tenant, store.Kind(k.kind), store.ListOptions{})
				wantKind(t, err, errs.Invalid, "list")
			}
		})
	}
	t.Run("nil record", func(t *testing.T) {
		wantKind(t, s.Create(ctx, nil), errs.Invalid, "create")
		wantKind(t, s.Update(ctx, nil, 1), errs.Invalid, "update")
	})
	t.Run("expected revision below 1", func(t *testing.T) {
		wantKind(t, s.Update(ctx, rec(tenantA, "m", `{}`, `y`), 0), errs.Invalid, "update")
		wantKind(t, s.Delete(ctx, tenantA, kind, "m", -1), errs.Invalid, "delete")
	})
	cursors := []struct{ name, cursor string }{
		{"not base64", "%%% not a cursor %%%"},
		{"base64 of garbage", "Z2FyYmFnZQ"},
		{"truncated", "x"},
	}
	for _, c := range cursors {
		t.Run("cursor "+c.name, func(t *testing.T) {
			_, err := s.List(ctx, tenantA, kind, store.ListOptions{Cursor: c.cursor})
			wantKind(t, err, errs.Invalid, "list")
		})
	}
	t.Run("negative limit", func(t *testing.T) {
		_, err := s.List(ctx, tenantA, kind, store.ListOptions{Limit: -1})
		wantKind(t, err, errs.Invalid, "list")
	})
	if got := mustGet(t, s, tenantA, "m"); got.Revision != 1 || string(got.Body) != "x" {
		t.Fatalf("invalid calls changed the record: revision %d body %q", got.Revision, got.Body)
	}
}

func testTooLarge(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCreate(t, s, rec(tenantA, "m", `{}`, `small`))
	bigBody := make([]byte, store.MaxBody+1)
	bigSummary := []byte(`{"pad":"` + strings.Repeat("s", store.MaxSummary) + `"}`)
	tests := []struct {
		name    string
		summary []byte
		body    []byte
	}{
		{"body", []byte(`{}`), bigBody},
		{"summary", bigSummary, []byte(`x`)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := &store.Record{Tenant: tenantA, Kind: kind, ID: "new", Summary: tc.summary, Body: tc.body}
			wantKind(t, s.Create(ctx, r), errs.TooLarge, "create")
			_, err := s.Get(ctx, tenantA, kind, "new")
			wantKind(t, err, errs.NotFound, "get after a too large create")
			r.ID = "m"
			wantKind(t, s.Update(ctx, r, 1), errs.TooLarge, "update")
			if got := mustGet(t, s, tenantA, "m"); got.Revision != 1 || string(got.Body) != "small" {
				t.Fatalf("too large update changed the record: revision %d", got.Revision)
			}
		})
	}
	t.Run("at the limits", func(t *testing.T) {
		// MaxSummary bytes of summary and MaxBody bytes of body are accepted.
		sum := []byte(`{"pad":"` + strings.Repeat("s", store.MaxSummary-10) + `"}`)
		body := bytes.Repeat([]byte(`{"k":"threat model"},`), store.MaxBody/21+1)[:store.MaxBody]
		r := &store.Record{Tenant: tenantA, Kind: kind, ID: "max", Summary: sum, Body: body}
		mustCreate(t, s, r)
		sameRecord(t, mustGet(t, s, tenantA, "max"), r, true)
	})
}

// testLargeBody round-trips incompressible bodies of several sizes (a
// driver that splits large bodies must reassemble them exactly) and
// replaces a large body with a small one and back.
func testLargeBody(t *testing.T, s store.Store) {
	ctx := context.Background()
	for _, size := range []int{1 << 10, 300 << 10, 1 << 20, 3<<20 + 17} {
		body := make([]byte, size)
		rand.Read(body)
		id := fmt.Sprintf("b%d", size)
		r := &store.Record{Tenant: tenantA, Kind: kind, ID: id, Summary: json.RawMessage(`{}`), Body: body}
		mustCreate(t, s, r)
		sameRecord(t, mustGet(t, s, tenantA, id), r, true)

		small := &store.Record{Tenant: tenantA, Kind: kind, ID: id, Summary: json.RawMessage(`{"small":true}`), Body: []byte("small")}
		if err := s.Update(ctx, small, 1); err != nil {
			t.Fatalf("size %d: update to a small body: %v", size, err)
		}
		sameRecord(t, mustGet(t, s, tenantA, id), small, true)

		rand.Read(body)
		big := &store.Record{Tenant: tenantA, Kind: kind, ID: id, Summary: json.RawMessage(`{}`), Body: body}
		if err := s.Update(ctx, big, 2); err != nil {
			t.Fatalf("size %d: update to a large body: %v", size, err)
		}
		sameRecord(t, mustGet(t, s, tenantA, id), big, true)
		if err := s.Delete(ctx, tenantA, kind, id, 3); err != nil {
			t.Fatalf("size %d: delete: %v", size, err)
		}
	}
}

// testConcurrentUpdates has 50 goroutines update one model through
// store.Models: each write either succeeds with a new revision or gets a
// Conflict, and the stored model is the last successful write.
func testConcurrentUpdates(t *testing.T, s store.Store) {
	ctx := context.Background()
	models := store.Models{Store: s}
	m := GenerateModel(tenantA, "shared", 40)
	if err := models.Create(ctx, m); err != nil {
		t.Fatal(err)
	}

	const writers, attempts = 50, 3
	var (
		mu        sync.Mutex
		successes = map[int64]*model.ThreatModel{} // by revision written
		conflicts int
		wg        sync.WaitGroup
	)
	start := make(chan struct{})
	errc := make(chan error, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			for a := range attempts {
				cur, err := models.Get(ctx, tenantA, "shared")
				if err != nil {
					errc <- fmt.Errorf("writer %d: get: %w", w, err)
					return
				}
				next := cur.Clone()
				next.Name = fmt.Sprintf("written by %d attempt %d", w, a)
				next.Properties["writer"] = fmt.Sprint(w)
				next.Diagram.Components[w%len(next.Diagram.Components)].Properties["lastWriter"] = raw(w)
				err = models.Update(ctx, next, cur.Revision)
				mu.Lock()
				switch {
				case err == nil:
					if prev, dup := successes[next.Revision]; dup {
						errc <- fmt.Errorf("writer %d: revision %d written twice (also by %q)", w, next.Revision, prev.Name)
					}
					if next.Revision != cur.Revision+1 {
						errc <- fmt.Errorf("writer %d: update from revision %d set revision %d", w, cur.Revision, next.Revision)
					}
					successes[next.Revision] = next
				case errs.Is(err, errs.Conflict):
					conflicts++
					if e, _ := errs.As(err); e.Current <= cur.Revision {
						errc <- fmt.Errorf("writer %d: conflict reports revision %d, not newer than the %d it read", w, e.Current, cur.Revision)
					}
				default:
					errc <- fmt.Errorf("writer %d: update: %w", w, err)
				}
				mu.Unlock()
				if err == nil {
					return
				}
			}
		}()
	}
	close(start)
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Error(err)
	}
	if t.Failed() {
		return
	}

	final, err := models.Get(ctx, tenantA, "shared")
	if err != nil {
		t.Fatal(err)
	}
	if got := int64(len(successes)); got != final.Revision-1 {
		t.Fatalf("%d successful updates but the final revision is %d", got, final.Revision)
	}
	for rev := int64(2); rev <= final.Revision; rev++ {
		if successes[rev] == nil {
			t.Fatalf("no successful update reported revision %d", rev)
		}
	}
	last := successes[final.Revision]
	if diff := cmp.Diff(last, final); diff != "" {
		t.Fatalf("stored model differs from the last successful write (-written +stored):\n%s", diff)
	}
	t.Logf("%d updates succeeded, %d conflicts", len(successes), conflicts)
}

// testTornReads has readers Get a record while writers replace its body
// with bodies of different sizes; every body read must be one that was
// written, whole, at the revision it was written with.
func testTornReads(t *testing.T, s store.Store) {
	ctx := context.Background()
	bodyFor := func(rev int64) []byte {
		// Sizes alternate between small and large so that drivers that
		// split bodies switch layouts between revisions.
		n := 100
		if rev%2 == 0 {
			n = 700 << 10
		}
		var seed [32]byte
		binary.LittleEndian.PutUint64(seed[:], uint64(rev))
		b := make([]byte, n)
		mrand.NewChaCha8(seed).Read(b) // incompressible, the same for rev
		return b
	}
	r := &store.Record{Tenant: tenantA, Kind: kind, ID: "hot", Summary: json.RawMessage(`{"rev":1}`), Body: bodyFor(1)}
	mustCreate(t, s, r)

	const updates = 12
	done := make(chan struct{})
	var wg sync.WaitGroup
	errc := make(chan error, 16)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-done:
					return
				default:
				}
				got, err := s.Get(ctx, tenantA, kind, "hot")
				if err != nil {
					errc <- fmt.Errorf("read: %w", err)
					return
				}
				if want := fmt.Sprintf(`{"rev":%d}`, got.Revision); string(got.Summary) != want || !bytes.Equal(got.Body, bodyFor(got.Revision)) {
					errc <- fmt.Errorf("read revision %d with summary %s and a body of %d bytes that was not written with it", got.Revision, got.Summary, len(got.Body))
					return
				}
			}
		}()
	}
	for rev := int64(2); rev <= updates; rev++ {
		u := &store.Record{Tenant: tenantA, Kind: kind, ID: "hot", Summary: json.RawMessage(fmt.Sprintf(`{"rev":%d}`, rev)), Body: bodyFor(rev)}
		if err := s.Update(ctx, u, rev-1); err != nil {
			t.Errorf("update to %d: %v", rev, err)
			break
		}
	}
	close(done)
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Error(err)
	}
}

// testLargeModel round-trips a 5,000-component model through store.Models.
func testLargeModel(t *testing.T, s store.Store) {
	ctx := context.Background()
	models := store.Models{Store: s}
	m := GenerateModel(tenantA, "big", 5000)
	if err := models.Create(ctx, m); err != nil {
		t.Fatal(err)
	}
	want := mustJSON(t, m)
	got, err := models.Get(ctx, tenantA, "big")
	if err != nil {
		t.Fatal(err)
	}
	if gotJSON := mustJSON(t, got); !bytes.Equal(gotJSON, want) {
		t.Fatalf("model read back differs (%d bytes, want %d):\n%s", len(gotJSON), len(want), cmp.Diff(m, got))
	}

	// And once more after an update.
	got.Diagram.Components[4321].Name = "renamed"
	if err := models.Update(ctx, got, 1); err != nil {
		t.Fatal(err)
	}
	again, err := models.Get(ctx, tenantA, "big")
	if err != nil {
		t.Fatal(err)
	}
	if a, b := mustJSON(t, got), mustJSON(t, again); !bytes.Equal(a, b) {
		t.Fatalf("model read back after update differs (-written +read):\n%s", cmp.Diff(got, again))
	}
	sums, err := models.List(ctx, tenantA)
	if err != nil {
		t.Fatal(err)
	}
	if len(sums) != 1 || sums[0].ComponentCount != 5000 || sums[0].Revision != 2 || !sums[0].UpdatedAt.Equal(again.UpdatedAt) {
		t.Fatalf("list: %+v", sums)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// testTenantIsolation checks that tenant B cannot see or change tenant A's
// record, and learns nothing of it: every answer is NotFound, never a
// Conflict that would reveal that the id exists.
func testTenantIsolation(t *testing.T, s store.Store) {
	ctx := context.Background()
	a := rec(tenantA, "secret", `{"owner":"a"}`, `a's model`)
	mustCreate(t, s, a)

	_, err := s.Get(ctx, tenantB, kind, "secret")
	wantKind(t, err, errs.NotFound, "tenant B get")
	for _, exp := range []int64{1, 2} {
		wantKind(t, s.Update(ctx, rec(tenantB, "secret", `{}`, `b's`), exp), errs.NotFound, fmt.Sprintf("tenant B update at %d", exp))
		wantKind(t, s.Delete(ctx, tenantB, kind, "secret", exp), errs.NotFound, fmt.Sprintf("tenant B delete at %d", exp))
	}
	p, err := s.List(ctx, tenantB, kind, store.ListOptions{})
	if err != nil || len(p.Records) != 0 || p.Next != "" {
		t.Fatalf("tenant B list: %+v, %v; want nothing", p, err)
	}
	// A cursor from tenant A's listing does not open tenant A's records.
	mustCreate(t, s, rec(tenantA, "secret2", `{}`, `a2`))
	pa, err := s.List(ctx, tenantA, kind, store.ListOptions{Limit: 1})
	if err != nil || pa.Next == "" {
		t.Fatalf("tenant A list: %+v, %v", pa, err)
	}
	p, err = s.List(ctx, tenantB, kind, store.ListOptions{Cursor: pa.Next})
	if err == nil && len(p.Records) != 0 {
		t.Fatalf("tenant B listed %d records with tenant A's cursor", len(p.Records))
	}

	// Tenant B may use the same id for its own record.
	b := rec(tenantB, "secret", `{"owner":"b"}`, `b's model`)
	mustCreate(t, s, b)
	if b.Revision != 1 {
		t.Fatalf("tenant B create set revision %d, want 1", b.Revision)
	}
	sameRecord(t, mustGet(t, s, tenantA, "secret"), a, true)
	sameRecord(t, mustGet(t, s, tenantB, "secret"), b, true)
	if err := s.Delete(ctx, tenantB, kind, "secret", 1); err != nil {
		t.Fatal(err)
	}
	sameRecord(t, mustGet(t, s, tenantA, "secret"), a, true)

	// Tenant names that are prefixes of each other stay apart.
	mustCreate(t, s, rec("t", "x", `{}`, `t`))
	mustCreate(t, s, rec("t-1", "x", `{}`, `t-1`))
	if got := mustGet(t, s, "t", "x"); string(got.Body) != "t" {
		t.Fatalf("tenant t read %q", got.Body)
	}
}

func testContextCanceled(t *testing.T, s store.Store) {
	mustCreate(t, s, rec(tenantA, "m", `{}`, `x`))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	calls := []struct {
		name string
		call func() error
	}{
		{"create", func() error { return s.Create(ctx, rec(tenantA, "new", `{}`, `x`)) }},
		{"get", func() error { _, err := s.Get(ctx, tenantA, kind, "m"); return err }},
		{"update", func() error { return s.Update(ctx, rec(tenantA, "m", `{}`, `y`), 1) }},
		{"delete", func() error { return s.Delete(ctx, tenantA, kind, "m", 1) }},
		{"list", func() error { _, err := s.List(ctx, tenantA, kind, store.ListOptions{}); return err }},
	}
	for _, c := range calls {
		t.Run(c.name, func(t *testing.T) {
			start := time.Now()
			err := c.call()
			if err == nil {
				t.Fatal("got no error with a canceled context")
			}
			if !errors.Is(err, context.Canceled) {
				t.Errorf("error %v does not wrap context.Canceled", err)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("took %v to fail", d)
			}
		})
	}
	t.Run("deadline during a large write", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
		defer cancel()
		body := make([]byte, 8<<20)
		rand.Read(body)
		start := time.Now()
		err := s.Create(ctx, &store.Record{Tenant: tenantA, Kind: kind, ID: "slow", Body: body})
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("took %v to return", d)
		}
		if err != nil && !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("error %v does not wrap context.DeadlineExceeded", err)
		}
		// Whether or not the write made it, the store stays consistent.
		got, gerr := s.Get(context.Background(), tenantA, kind, "slow")
		switch {
		case err == nil && (gerr != nil || !bytes.Equal(got.Body, body)):
			t.Errorf("create succeeded but get returns %v", gerr)
		case err != nil && gerr == nil && !bytes.Equal(got.Body, body):
			t.Errorf("create failed and left a torn record")
		case gerr != nil && !errs.Is(gerr, errs.NotFound):
			t.Errorf("get after the interrupted create: %v", gerr)
		}
	})
	got := mustGet(t, s, tenantA, "m")
	if got.Revision != 1 || string(got.Body) != "x" {
		t.Fatalf("calls with a canceled context changed the record: revision %d", got.Revision)
	}
	if _, err := s.Get(context.Background(), tenantA, kind, "new"); !errs.Is(err, errs.NotFound) {
		t.Fatalf("create with a canceled context stored a record (get: %v)", err)
	}
}

// testWriteBatch: a batch applies each write as Create or Update would,
// each on its own, through the driver's Batcher when it has one.
func testWriteBatch(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCreate(t, s, rec(tenantA, "old", `{"v":1}`, "old v1"))
	mustCreate(t, s, rec(tenantA, "taken", `{"v":1}`, "taken"))
	writes := []store.Write{
		{Record: rec(tenantA, "new-1", `{"v":1}`, "new 1")},
		{Record: rec(tenantA, "taken", `{"v":2}`, "lost")},                // exists: Conflict
		{Record: rec(tenantA, "old", `{"v":2}`, "old v2"), Expected: 1},   // good update
		{Record: rec(tenantA, "missing", `{"v":2}`, "lost"), Expected: 1}, // NotFound
		{Record: rec(tenantB, "new-1", `{"v":1}`, "other tenant's")},      // separate key
	}
	got, err := store.WriteBatch(ctx, s, writes)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(writes) {
		t.Fatalf("%d results for %d writes", len(got), len(writes))
	}
	want := []errs.Kind{errs.Other, errs.Conflict, errs.Other, errs.NotFound, errs.Other}
	for i, k := range want {
		switch {
		case k == errs.Other && got[i] != nil:
			t.Errorf("write %d: %v", i, got[i])
		case k != errs.Other && !errs.Is(got[i], k):
			t.Errorf("write %d: %v, want kind %v", i, got[i], k)
		}
	}
	if r := writes[2].Record; r.Revision != 2 || r.UpdatedAt.IsZero() {
		t.Errorf("updated record: revision %d, updatedAt %v", r.Revision, r.UpdatedAt)
	}
	if g := mustGet(t, s, tenantA, "old"); string(g.Body) != "old v2" || g.Revision != 2 {
		t.Errorf("old after batch: %q rev %d", g.Body, g.Revision)
	}
	if g := mustGet(t, s, tenantA, "taken"); string(g.Body) != "taken" {
		t.Errorf("a conflicting create changed the record: %q", g.Body)
	}
	if g := mustGet(t, s, tenantB, "new-1"); string(g.Body) != "other tenant's" {
		t.Errorf("tenant B's record: %q", g.Body)
	}
	if _, err := s.Get(ctx, tenantA, kind, "missing"); !errs.Is(err, errs.NotFound) {
		t.Errorf("a failed update created a record: %v", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := store.WriteBatch(cctx, s, []store.Write{{Record: rec(tenantA, "cancelled", `{}`, "x")}}); err == nil {
		t.Error("a cancelled batch succeeded")
	}
	if _, err := s.Get(ctx, tenantA, kind, "cancelled"); !errs.Is(err, errs.NotFound) {
		t.Errorf("a cancelled batch wrote: %v", err)
	}
}

// testGetMany: reading many records of a kind at once answers as Get would,
// id by id, nil for a missing record or another tenant's, through the
// driver's MultiGetter when it has one.
func testGetMany(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCreate(t, s, rec(tenantA, "many-1", `{"n":1}`, "one"))
	mustCreate(t, s, rec(tenantA, "many-2", `{"n":2}`, "two"))
	mustCreate(t, s, rec(tenantB, "many-3", `{"n":3}`, "B's"))
	ids := []string{"many-2", "absent", "many-1", "many-3"}
	got, err := store.GetMany(ctx, s, tenantA, kind, ids)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(ids) {
		t.Fatalf("%d results for %d ids", len(got), len(ids))
	}
	for i, want := range []string{"two", "", "one", ""} {
		switch {
		case want == "" && got[i] != nil:
			t.Errorf("%s: got %q, want no record", ids[i], got[i].Body)
		case want != "" && (got[i] == nil || string(got[i].Body) != want || got[i].ID != ids[i] || got[i].Revision != 1 || got[i].UpdatedAt.IsZero()):
			t.Errorf("%s: got %+v, want body %q at revision 1", ids[i], got[i], want)
		}
	}
	if got[0] != nil && string(got[0].Summary) != `{"n":2}` {
		t.Errorf("summary %s", got[0].Summary)
	}
	if got, err := store.GetMany(ctx, s, tenantA, "no-such-kind", ids); err != nil || len(got) != len(ids) || got[0] != nil {
		t.Errorf("unknown kind: %v, %v", got, err)
	}
	if _, err := store.GetMany(ctx, s, tenantA, kind, []string{""}); !errs.Is(err, errs.Invalid) {
		t.Errorf("empty id: %v, want Invalid", err)
	}
}

// testUpdateWith: an update with a companion record writes both (the
// companion created or replaced whatever its revision) or, when the update
// fails, neither; through the driver's CompanionWriter when it has one.
func testUpdateWith(t *testing.T, s store.Store) {
	ctx := context.Background()
	tests := []struct {
		name      string
		companion string // "" none stored before; "rev2" stored at revision 2
		id        string // the updated record; "missing" is not stored
		expected  int64
		badID     bool // the companion's key is invalid
		want      errs.Kind
		wantComp  errs.Kind // the companion's own error
	}{
		{name: "creates the companion", id: "m", expected: 1},
		{name: "replaces the companion", companion: "rev2", id: "m", expected: 1},
		{name: "stale revision", id: "m", expected: 5, want: errs.Conflict},
		{name: "missing record", id: "missing", expected: 1, want: errs.NotFound},
		{name: "invalid companion", id: "m", expected: 1, badID: true, wantComp: errs.Invalid},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tenant := fmt.Sprintf("tenant-with-%d", i)
			if tc.id != "missing" {
				mustCreate(t, s, rec(tenant, tc.id, `{"v":1}`, "v1"))
			}
			cid := tc.id + "#v"
			if tc.companion == "rev2" {
				mustCreate(t, s, rec(tenant, cid, `{}`, "old"))
				if err := s.Update(ctx, rec(tenant, cid, `{}`, "older"), 1); err != nil {
					t.Fatal(err)
				}
			}
			if tc.badID {
				cid = ""
			}
			r, c := rec(tenant, tc.id, `{"v":2}`, "v2"), rec(tenant, cid, `{"c":1}`, "companion")
			compErr, err := store.UpdateWith(ctx, s, r, tc.expected, c)
			if tc.want != errs.Other || err != nil {
				wantKind(t, err, tc.want, "update")
			}
			if tc.wantComp != errs.Other || compErr != nil {
				wantKind(t, compErr, tc.wantComp, "companion")
			}
			if tc.want != errs.Other {
				if g, err := s.Get(ctx, tenant, kind, tc.id+"#v"); err == nil {
					t.Errorf("a failed update wrote its companion: %q", g.Body)
				}
				if tc.id != "missing" {
					if g := mustGet(t, s, tenant, tc.id); string(g.Body) != "v1" {
						t.Errorf("a failed update changed the record: %q", g.Body)
					}
				}
				return
			}
			if g := mustGet(t, s, tenant, tc.id); string(g.Body) != "v2" || g.Revision != 2 || r.Revision != 2 {
				t.Errorf("updated record: %q at revision %d (set %d)", g.Body, g.Revision, r.Revision)
			}
			if tc.badID {
				return
			}
			wantRev := int64(1)
			if tc.companion == "rev2" {
				wantRev = 3
			}
			if g := mustGet(t, s, tenant, cid); string(g.Body) != "companion" || string(g.Summary) != `{"c":1}` || g.Revision != wantRev || c.Revision != wantRev || c.UpdatedAt.IsZero() {
				t.Errorf("companion: %q %s at revision %d (set %d), want revision %d", g.Body, g.Summary, g.Revision, c.Revision, wantRev)
			}
		})
	}
}
