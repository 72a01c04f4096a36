package bolt

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"
	"time"

	bbolt "go.etcd.io/bbolt"

	"github.com/bulwark-tm/bulwark/pkg/store"
)

// TestLargeValues: a record keeps its revision, body and place in
// listings as its value moves between the small layout (a key) and the
// large one (a bucket of its own); a large value stored as a key, as
// earlier versions of this driver did, still reads, updates and deletes.
func TestLargeValues(t *testing.T) {
	ctx := context.Background()
	small, large := []byte(`{"s":1}`), bytes.Repeat([]byte("x"), largeValue)
	tests := []struct {
		name   string
		bodies [][]byte // created with the first, updated with the others
		legacy bool     // the first is written as a plain key, whatever its size
	}{
		{"small", [][]byte{small, small}, false},
		{"large", [][]byte{large, large}, false},
		{"small to large and back", [][]byte{small, large, small, large}, false},
		{"large as a key", [][]byte{large, large, small}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Open(filepath.Join(t.TempDir(), "large.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			neighbour := &store.Record{Tenant: "t", Kind: "k", ID: "b", Body: large}
			if err := s.Create(ctx, neighbour); err != nil {
				t.Fatal(err)
			}
			r := &store.Record{Tenant: "t", Kind: "k", ID: "a", Summary: []byte(`{}`), Body: tc.bodies[0]}
			if tc.legacy {
				err = s.db.Update(func(tx *bbolt.Tx) error {
					b, err := createBucket(tx, "t", "k")
					if err != nil {
						return err
					}
					return b.Put([]byte("a"), encodeValue(1, time.Now(), r.Summary, r.Body))
				})
			} else {
				err = s.Create(ctx, r)
			}
			if err != nil {
				t.Fatal(err)
			}
			for i, body := range tc.bodies[1:] {
				if err := s.Update(ctx, &store.Record{Tenant: "t", Kind: "k", ID: "a", Summary: []byte(`{}`), Body: body}, int64(i+1)); err != nil {
					t.Fatalf("update %d: %v", i+1, err)
				}
			}
			rev := int64(len(tc.bodies))
			got, err := s.Get(ctx, "t", "k", "a")
			if err != nil || got.Revision != rev || !bytes.Equal(got.Body, tc.bodies[len(tc.bodies)-1]) {
				t.Fatalf("get: revision %d, %d bytes, %v; want revision %d", got.Revision, len(got.Body), err, rev)
			}
			p, err := s.List(ctx, "t", "k", store.ListOptions{})
			if err != nil || len(p.Records) != 2 || p.Records[0].ID != "a" || p.Records[0].Revision != rev || string(p.Records[0].Summary) != `{}` {
				t.Fatalf("list: %+v %v", p, err)
			}
			if err := s.Delete(ctx, "t", "k", "a", rev); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Get(ctx, "t", "k", "a"); err == nil {
				t.Error("a deleted record reads")
			}
			if got, err := s.Get(ctx, "t", "k", "b"); err != nil || !bytes.Equal(got.Body, large) {
				t.Errorf("neighbour: %v", err)
			}
		})
	}
}

// TestLargeValueBuffersAreReused: a large value's buffer serves later
// writes once its transaction is over (valueBufs), and every record still
// reads back as written, from concurrent writers too.
func TestLargeValueBuffersAreReused(t *testing.T) {
	ctx := context.Background()
	s, err := Open(filepath.Join(t.TempDir(), "reuse.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	body := func(id string, n int) []byte {
		return bytes.Repeat([]byte(id+string(rune('a'+n%26))), largeValue/2)
	}
	ids := []string{"a", "b", "c", "d"}
	done := make(chan error, len(ids))
	for _, id := range ids {
		go func() {
			r := &store.Record{Tenant: "t", Kind: "k", ID: id, Body: body(id, 0)}
			err := s.Create(ctx, r)
			for n := 1; err == nil && n < 8; n++ {
				v := &store.Record{Tenant: "t", Kind: "v", ID: id + "#" + string(rune('0'+n)), Body: body(id, n+100)}
				err = s.UpdateWith(ctx, &store.Record{Tenant: "t", Kind: "k", ID: id, Body: body(id, n)}, int64(n), v)
			}
			done <- err
		}()
	}
	for range ids {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range ids {
		r, err := s.Get(ctx, "t", "k", id)
		if err != nil || !bytes.Equal(r.Body, body(id, 7)) || r.Revision != 8 {
			t.Fatalf("%s: revision %d, body intact %v, err %v", id, r.Revision, err == nil && bytes.Equal(r.Body, body(id, 7)), err)
		}
		for n := 1; n < 8; n++ {
			v, err := s.Get(ctx, "t", "v", id+"#"+string(rune('0'+n)))
			if err != nil || !bytes.Equal(v.Body, body(id, n+100)) {
				t.Fatalf("%s version %d: body intact %v, err %v", id, n, err == nil && bytes.Equal(v.Body, body(id, n+100)), err)
			}
		}
	}
}
