// Package bolt is the embedded store.Store driver: one bbolt file, the
// default when Bulwark runs on a laptop ("bolt://.data/bulwark.db").
//
// Layout: a top-level bucket per tenant, inside it a bucket per kind, inside
// that one key per record id; a value of 64 KiB or more (largeValue) is
// instead kept in a bucket of its own under the id, at the key 0x00, so
// that writing a record never writes a large neighbour again. Files of
// earlier versions, with large values under plain keys, read as they are.
// The value is one encoded record:
//
//	byte 0       format version (1)
//	bytes 1-8    revision, big-endian
//	bytes 9-16   updatedAt, Unix nanoseconds, big-endian
//	bytes 17-20  summary length n, big-endian
//	n bytes      summary (JSON)
//	the rest     body
//
// Every write runs in one bbolt read-write transaction, which checks the
// stored revision and writes the new value atomically, so a conflicting or
// failed write changes nothing and a reader never sees half a write. bbolt
// allows one writer at a time and any number of readers.
//
// A bbolt file can be open in one process only: Open waits OpenTimeout for
// the file lock, then fails with errs.Unavailable ("database ... is locked by
// another bulwark process") rather than hanging.
package bolt

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bbolt "go.etcd.io/bbolt"

	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/internal/freelist"
	"github.com/bulwark-tm/bulwark/pkg/store"
)

// OpenTimeout is how long Open waits for another process to release the
// database file before giving up.
var OpenTimeout = 2 * time.Second

// Store is a store.Store kept in one bbolt file. It is safe for concurrent
// use.
type Store struct {
	db   *bbolt.DB
	path string
}

var _ store.Store = (*Store)(nil)

// Open opens (creating if needed, with its parent directories) the bbolt
// database at path.
func Open(path string) (*Store, error) {
	if path == "" {
		return nil, errs.E(errs.Invalid, "open bolt store: empty path")
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("open bolt store: create directory %s: %w", dir, err)
		}
	}
	// 16 KiB pages for a new file (an existing one keeps its own): a
	// commit of thousands of scattered small records (evidence ingest)
	// makes a quarter as many page writes; measured 15–25 % faster on
	// BenchmarkIngest100k, no slower for large model documents.
	db, err := bbolt.Open(path, 0o600, &bbolt.Options{Timeout: OpenTimeout, PageSize: 16 << 10})
	if errors.Is(err, bbolt.ErrTimeout) {
		return nil, errs.E(errs.Unavailable, "open bolt store: database %s is locked by another bulwark process (waited %s): %w", path, OpenTimeout, err)
	}
	if err != nil {
		return nil, fmt.Errorf("open bolt store %s: %w", path, err)
	}
	return &Store{db: db, path: path}, nil
}

// Path returns the file the store was opened from.
func (s *Store) Path() string { return s.path }

// Close closes the database file.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("close bolt store %s: %w", s.path, err)
	}
	return nil
}

const formatVersion = 1

const headerLen = 1 + 8 + 8 + 4

func encodeValue(rev int64, at time.Time, summary, body []byte) []byte {
	return fillValue(make([]byte, headerLen+len(summary)+len(body)), rev, at, summary, body)
}

// fillValue writes the value of a record into v, which has its length.
func fillValue(v []byte, rev int64, at time.Time, summary, body []byte) []byte {
	v[0] = formatVersion
	binary.BigEndian.PutUint64(v[1:], uint64(rev))
	binary.BigEndian.PutUint64(v[9:], uint64(at.UnixNano()))
	binary.BigEndian.PutUint32(v[17:], uint32(len(summary)))
	copy(v[headerLen:], summary)
	copy(v[headerLen+len(summary):], body)
	return v
}

// valueBufs lends the buffers of one write transaction's large values and
// takes them back when it is over: bbolt reads a value until its
// transaction commits or rolls back and never after, so that a buffer can
// serve the next write instead of becoming garbage (a diagram PUT of a
// 1,000-component model writes two values of 840 KB).
type valueBufs struct{ lent [][]byte }

// freeValues holds buffers taken back by valueBufs.release.
var freeValues = freelist.New(4)

// encode is encodeValue, into a lent buffer when the value is large.
func (vb *valueBufs) encode(rev int64, at time.Time, summary, body []byte) []byte {
	n := headerLen + len(summary) + len(body)
	if n < largeValue {
		return encodeValue(rev, at, summary, body)
	}
	v := fillValue(freeValues.Get(n)[:n], rev, at, summary, body)
	vb.lent = append(vb.lent, v)
	return v
}

// release takes the lent buffers back; the transaction must be over.
func (vb *valueBufs) release() {
	for _, v := range vb.lent {
		freeValues.Put(v)
	}
	vb.lent = nil
}

// decodeValue decodes a stored value into r, copying out of bbolt's memory.
// The body is copied only when withBody is set.
func decodeValue(v []byte, r *store.Record, withBody bool) error {
	if len(v) < headerLen || v[0] != formatVersion {
		return errs.E(errs.Other, "corrupt record %s/%s/%s: bad header", r.Tenant, r.Kind, r.ID)
	}
	n := int(binary.BigEndian.Uint32(v[17:]))
	if headerLen+n > len(v) {
		return errs.E(errs.Other, "corrupt record %s/%s/%s: summary length %d past the value", r.Tenant, r.Kind, r.ID, n)
	}
	r.Revision = int64(binary.BigEndian.Uint64(v[1:]))
	r.UpdatedAt = time.Unix(0, int64(binary.BigEndian.Uint64(v[9:]))).UTC()
	if n > 0 {
		r.Summary = bytes.Clone(v[headerLen : headerLen+n])
	}
	if withBody {
		r.Body = append([]byte{}, v[headerLen+n:]...)
	}
	return nil
}

func revisionOf(v []byte) int64 {
	if len(v) < headerLen {
		return 0
	}
	return int64(binary.BigEndian.Uint64(v[1:]))
}

// largeValue is the size from which a record's value is kept in a bucket
// of its own (under the record's id, at valueKey) rather than beside other
// records. bbolt never splits a leaf of four keys or fewer and leaves at
// least two in each, so a large value beside others would be written again
// (and synced) whenever a neighbour changes: a model version, whose
// neighbours are the model's other versions, cost three times its size.
const largeValue = 64 << 10

// valueKey is the key of a large value in its own bucket.
var valueKey = []byte{0}

// getValue returns the value of record id in b, or nil.
func getValue(b *bbolt.Bucket, id []byte) []byte {
	if v := b.Get(id); v != nil {
		return v
	}
	if vb := b.Bucket(id); vb != nil {
		return vb.Get(valueKey)
	}
	return nil
}

// putValue stores v as the value of record id in b, in a bucket of its own
// when it is large (largeValue).
func putValue(b *bbolt.Bucket, id, v []byte) error {
	if len(v) < largeValue {
		if b.Bucket(id) != nil {
			if err := b.DeleteBucket(id); err != nil {
				return err
			}
		}
		return b.Put(id, v)
	}
	if b.Get(id) != nil {
		if err := b.Delete(id); err != nil {
			return err
		}
	}
	vb, err := b.CreateBucketIfNotExists(id)
	if err != nil {
		return err
	}
	return vb.Put(valueKey, v)
}

// deleteValue deletes record id from b.
func deleteValue(b *bbolt.Bucket, id []byte) error {
	if b.Bucket(id) != nil {
		return b.DeleteBucket(id)
	}
	return b.Delete(id)
}

// bucket returns the (tenant, kind) bucket, or nil when it does not exist.
func bucket(tx *bbolt.Tx, tenant string, kind store.Kind) *bbolt.Bucket {
	t := tx.Bucket([]byte(tenant))
	if t == nil {
		return nil
	}
	return t.Bucket([]byte(kind))
}

// createBucket returns the (tenant, kind) bucket, creating it when needed.
func createBucket(tx *bbolt.Tx, tenant string, kind store.Kind) (*bbolt.Bucket, error) {
	t, err := tx.CreateBucketIfNotExists([]byte(tenant))
	if err != nil {
		return nil, err
	}
	return t.CreateBucketIfNotExists([]byte(kind))
}

// Create stores r as revision 1; see store.Store.
func (s *Store) Create(ctx context.Context, r *store.Record) error {
	if err := store.CheckRecord(r); err != nil {
		return fmt.Errorf("create: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("create %s/%s: %w", r.Kind, r.ID, err)
	}
	now := time.Now().UTC()
	var vb valueBufs
	defer vb.release() // after the transaction
	err := s.db.Update(func(tx *bbolt.Tx) error {
		b, err := createBucket(tx, r.Tenant, r.Kind)
		if err != nil {
			return err
		}
		if old := getValue(b, []byte(r.ID)); old != nil {
			return errs.ConflictAt(revisionOf(old), "%s %s already exists", r.Kind, r.ID)
		}
		if err := ctx.Err(); err != nil {
			return err // rolls back
		}
		return putValue(b, []byte(r.ID), vb.encode(1, now, r.Summary, r.Body))
	})
	if err != nil {
		return wrap(err, "create %s/%s", r.Kind, r.ID)
	}
	r.Revision, r.UpdatedAt = 1, now
	return nil
}

// Get returns the record with its body; see store.Store.
func (s *Store) Get(ctx context.Context, tenant string, kind store.Kind, id string) (*store.Record, error) {
	if err := store.CheckKey(tenant, kind, id); err != nil {
		return nil, fmt.Errorf("get: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("get %s/%s: %w", kind, id, err)
	}
	r := &store.Record{Tenant: tenant, Kind: kind, ID: id}
	err := s.db.View(func(tx *bbolt.Tx) error {
		var v []byte
		if b := bucket(tx, tenant, kind); b != nil {
			v = getValue(b, []byte(id))
		}
		if v == nil {
			return errs.E(errs.NotFound, "%s %s not found", kind, id)
		}
		return decodeValue(v, r, true)
	})
	if err != nil {
		return nil, wrap(err, "get %s/%s", kind, id)
	}
	return r, nil
}

// GetMany reads many records of one kind in one read transaction; see
// store.MultiGetter.
func (s *Store) GetMany(ctx context.Context, tenant string, kind store.Kind, ids []string) ([]*store.Record, error) {
	for _, id := range ids {
		if err := store.CheckKey(tenant, kind, id); err != nil {
			return nil, fmt.Errorf("get many: %w", err)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("get many %s: %w", kind, err)
	}
	out := make([]*store.Record, len(ids))
	err := s.db.View(func(tx *bbolt.Tx) error {
		b := bucket(tx, tenant, kind)
		if b == nil {
			return nil
		}
		for i, id := range ids {
			v := getValue(b, []byte(id))
			if v == nil {
				continue
			}
			r := &store.Record{Tenant: tenant, Kind: kind, ID: id}
			if err := decodeValue(v, r, true); err != nil {
				return err
			}
			out[i] = r
		}
		return nil
	})
	if err != nil {
		return nil, wrap(err, "get many %s", kind)
	}
	return out, nil
}

// updatable refuses, before any transaction, an update of r at a revision
// that cannot exist or with a context already done.
func updatable(ctx context.Context, r *store.Record, expected int64) error {
	if expected < 1 {
		return errs.E(errs.Invalid, "update %s/%s: expected revision must be at least 1, got %d", r.Kind, r.ID, expected)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("update %s/%s: %w", r.Kind, r.ID, err)
	}
	return nil
}

// Update replaces the record if its revision equals expected; see
// store.Store.
func (s *Store) Update(ctx context.Context, r *store.Record, expected int64) error {
	if err := store.CheckRecord(r); err != nil {
		return fmt.Errorf("update: %w", err)
	}
	if err := updatable(ctx, r, expected); err != nil {
		return err
	}
	now := time.Now().UTC()
	var vb valueBufs
	defer vb.release() // after the transaction
	err := s.db.Update(func(tx *bbolt.Tx) error {
		b, err := current(tx, r.Tenant, r.Kind, r.ID, expected)
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		return putValue(b, []byte(r.ID), vb.encode(expected+1, now, r.Summary, r.Body))
	})
	if err != nil {
		return wrap(err, "update %s/%s", r.Kind, r.ID)
	}
	r.Revision, r.UpdatedAt = expected+1, now
	return nil
}

// Delete removes the record if its revision equals expected; see
// store.Store.
func (s *Store) Delete(ctx context.Context, tenant string, kind store.Kind, id string, expected int64) error {
	if err := store.CheckKey(tenant, kind, id); err != nil {
		return fmt.Errorf("delete: %w", err)
	}
	if expected < 1 {
		return errs.E(errs.Invalid, "delete %s/%s: expected revision must be at least 1, got %d", kind, id, expected)
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("delete %s/%s: %w", kind, id, err)
	}
	err := s.db.Update(func(tx *bbolt.Tx) error {
		b, err := current(tx, tenant, kind, id, expected)
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		return deleteValue(b, []byte(id))
	})
	if err != nil {
		return wrap(err, "delete %s/%s", kind, id)
	}
	return nil
}

// current returns the bucket holding id if the record's revision is
// expected, or a NotFound or Conflict error.
func current(tx *bbolt.Tx, tenant string, kind store.Kind, id string, expected int64) (*bbolt.Bucket, error) {
	b := bucket(tx, tenant, kind)
	var v []byte
	if b != nil {
		v = getValue(b, []byte(id))
	}
	if v == nil {
		return nil, errs.E(errs.NotFound, "%s %s not found", kind, id)
	}
	if rev := revisionOf(v); rev != expected {
		return nil, errs.ConflictAt(rev, "%s %s is at revision %d, not %d", kind, id, rev, expected)
	}
	return b, nil
}

// List returns a page of the tenant's records of kind, by id, without
// bodies; see store.Store.
func (s *Store) List(ctx context.Context, tenant string, kind store.Kind, opts store.ListOptions) (*store.Page, error) {
	limit, after, err := cursor.StartList(ctx, tenant, kind, opts)
	if err != nil {
		return nil, err
	}
	page := &store.Page{Records: []*store.Record{}}
	err = s.db.View(func(tx *bbolt.Tx) error {
		b := bucket(tx, tenant, kind)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		prefix := []byte(opts.Prefix)
		k, v := c.Seek(prefix) // the first key, without a prefix
		if after != "" {
			k, v = c.Seek([]byte(after))
			if k != nil && string(k) == after {
				k, v = c.Next()
			}
		}
		for ; k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			if len(page.Records) == limit {
				page.Next = cursor.Encode(page.Records[limit-1].ID)
				return nil
			}
			if len(page.Records)%64 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			if v == nil { // a large value, in a bucket of its own
				v = getValue(b, k)
			}
			r := &store.Record{Tenant: tenant, Kind: kind, ID: string(k)}
			if err := decodeValue(v, r, false); err != nil {
				return err
			}
			page.Records = append(page.Records, r)
		}
		return nil
	})
	if err != nil {
		return nil, wrap(err, "list %s", kind)
	}
	return page, nil
}

// wrap adds context to err, giving bbolt's own errors a kind.
func wrap(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	if _, ok := errs.As(err); ok {
		return fmt.Errorf(format+": %w", append(args, err)...)
	}
	if errors.Is(err, bbolt.ErrDatabaseNotOpen) {
		return errs.E(errs.Unavailable, format+": %w", append(args, err)...)
	}
	return errs.E(errs.Other, format+": %w", append(args, err)...)
}

// cursor encodes list positions of this driver; key rules are
// store.CheckKey's.
const cursor = store.Cursor("b1:")

var _ store.Batcher = (*Store)(nil)

// WriteBatch applies every write in one transaction; see store.Batcher.
func (s *Store) WriteBatch(ctx context.Context, writes []store.Write) ([]error, error) {
	out := make([]error, len(writes))
	for i, w := range writes {
		if err := store.CheckRecord(w.Record); err != nil {
			out[i] = fmt.Errorf("batch write: %w", err)
		} else if w.Expected < 0 {
			out[i] = errs.E(errs.Invalid, "batch write %s/%s: expected revision must not be negative", w.Record.Kind, w.Record.ID)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("batch write: %w", err)
	}
	now := time.Now().UTC()
	revs := make([]int64, len(writes))
	var vb valueBufs
	defer vb.release() // after the transaction
	err := s.db.Update(func(tx *bbolt.Tx) error {
		for i, w := range writes {
			if out[i] != nil {
				continue
			}
			r := w.Record
			b, err := createBucket(tx, r.Tenant, r.Kind)
			if err != nil {
				return err
			}
			old := getValue(b, []byte(r.ID))
			switch {
			case w.Expected == 0 && old != nil:
				out[i] = wrap(errs.ConflictAt(revisionOf(old), "%s %s already exists", r.Kind, r.ID), "create %s/%s", r.Kind, r.ID)
				continue
			case w.Expected > 0 && old == nil:
				out[i] = wrap(errs.E(errs.NotFound, "%s %s not found", r.Kind, r.ID), "update %s/%s", r.Kind, r.ID)
				continue
			case w.Expected > 0 && revisionOf(old) != w.Expected:
				out[i] = wrap(errs.ConflictAt(revisionOf(old), "%s %s is at revision %d, not %d", r.Kind, r.ID, revisionOf(old), w.Expected), "update %s/%s", r.Kind, r.ID)
				continue
			}
			revs[i] = w.Expected + 1
			if err := putValue(b, []byte(r.ID), vb.encode(revs[i], now, r.Summary, r.Body)); err != nil {
				return err
			}
		}
		return ctx.Err() // a cancelled batch rolls back whole
	})
	if err != nil {
		return nil, wrap(err, "batch write")
	}
	for i, w := range writes {
		if out[i] == nil {
			w.Record.Revision, w.Record.UpdatedAt = revs[i], now
		}
	}
	return out, nil
}

var _ store.CompanionWriter = (*Store)(nil)

// UpdateWith updates r and stores companion in one transaction; see
// store.CompanionWriter.
func (s *Store) UpdateWith(ctx context.Context, r *store.Record, expected int64, companion *store.Record) error {
	for _, x := range []*store.Record{r, companion} {
		if err := store.CheckRecord(x); err != nil {
			return fmt.Errorf("update %s/%s: %w", r.Kind, r.ID, err)
		}
	}
	if err := updatable(ctx, r, expected); err != nil {
		return err
	}
	now := time.Now().UTC()
	var companionRev int64
	var vb valueBufs
	defer vb.release() // after the transaction
	err := s.db.Update(func(tx *bbolt.Tx) error {
		b, err := current(tx, r.Tenant, r.Kind, r.ID, expected)
		if err != nil {
			return err
		}
		if err := putValue(b, []byte(r.ID), vb.encode(expected+1, now, r.Summary, r.Body)); err != nil {
			return err
		}
		cb, err := createBucket(tx, companion.Tenant, companion.Kind)
		if err != nil {
			return err
		}
		companionRev = revisionOf(getValue(cb, []byte(companion.ID))) + 1
		if err := putValue(cb, []byte(companion.ID), vb.encode(companionRev, now, companion.Summary, companion.Body)); err != nil {
			return err
		}
		return ctx.Err() // a cancelled write rolls back whole
	})
	if err != nil {
		return wrap(err, "update %s/%s with %s/%s", r.Kind, r.ID, companion.Kind, companion.ID)
	}
	r.Revision, r.UpdatedAt = expected+1, now
	companion.Revision, companion.UpdatedAt = companionRev, now
	return nil
}
