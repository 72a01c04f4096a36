// Package store defines where Bulwark keeps its documents: one small Store
// interface that every driver implements, and typed helpers on top of it
// (Models for threat models, History for their saved versions; later
// issues add templates, accounts, integrations and runs the same way).
//
// Drivers:
//   - store/bolt: an embedded bbolt file, the default on a laptop
//     ("bolt://.data/bulwark.db").
//   - store/dynamo: a DynamoDB single table, used in AWS
//     ("dynamodb://TABLE"); see its package doc for the key design.
//
// store/storetest is the conformance suite both drivers run. Each driver
// reads its own URL (bolt.OpenURL, dynamo.OpenURL); the composition root
// (pkg/app) picks the driver by the URL's scheme.
//
// Every guarantee a caller relies on is stated on the Store methods below;
// a driver that passes storetest keeps them.
package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/bulwark-tm/bulwark/pkg/errs"
)

// Kind names a collection of documents within a tenant.
type Kind string

// The collections Bulwark keeps are all declared in kinds.go.

// MaxBody is the largest document body a Store must accept (32 MiB). A
// 25,000-component model is well below it.
const MaxBody = 32 << 20

// MaxSummary is the largest Summary a Store must accept (16 KiB).
const MaxSummary = 16 << 10

// Record is one stored document.
type Record struct {
	Tenant    string
	Kind      Kind
	ID        string
	Revision  int64     // set by the store: 1 on create, +1 on each update
	UpdatedAt time.Time // set by the store on every write (UTC)
	// Summary is a small JSON object returned by List so that listing never
	// reads whole documents.
	Summary json.RawMessage
	// Body is the whole document. List leaves it nil.
	Body []byte
}

// Page is one page of a listing.
type Page struct {
	Records []*Record // with Summary, without Body
	// Next is an opaque cursor for the following page; empty on the last
	// (a page is never followed by an empty one). A cursor is only
	// meaningful to the store, tenant and kind that returned it.
	Next string
}

// ListOptions bounds a listing.
type ListOptions struct {
	Cursor string // from a previous Page.Next; empty for the first page
	Limit  int    // at most this many records; 0 means 100; above 1000 means 1000; negative is Invalid
	// Prefix, when set, lists only the records whose id starts with it
	// (the versions of one model, for example). A cursor is only
	// meaningful with the prefix that returned it.
	Prefix string
}

// Store keeps documents by (tenant, kind, id).
//
// Every method is safe for concurrent use. The tenant is part of every key: a
// tenant never sees, changes or learns of another tenant's records. Errors
// carry an errs.Kind: NotFound for a missing record, Conflict (with
// errs.Error.Current set to the stored revision, 0 if none) for a stale
// revision or an existing id, Invalid for a malformed argument, TooLarge
// past MaxBody or MaxSummary, Unavailable when the backend cannot be reached.
// A canceled context makes a method fail promptly with an error that wraps
// the context's error; a write it interrupts either happened whole or not at
// all.
//
// Keys: tenant and kind are 1 to 128 letters, digits and . _ : @ -; an id is
// 1 to 512 bytes of UTF-8 without control characters, otherwise opaque
// (slashes and '#' are fine). Anything else is Invalid, as is an expected
// revision below 1.
//
// Records are values: a Record passed in or returned is not retained by the
// store, so callers may change it afterwards.
type Store interface {
	// Create stores r as revision 1, setting r.Revision and r.UpdatedAt.
	// It fails with Conflict if the id exists.
	Create(ctx context.Context, r *Record) error
	// Get returns the record with its Body.
	Get(ctx context.Context, tenant string, kind Kind, id string) (*Record, error)
	// Update replaces the record if its stored revision equals expected, and
	// sets r.Revision to expected+1 and r.UpdatedAt. Otherwise it changes
	// nothing and fails with Conflict (or NotFound if the record is gone).
	// A reader never sees a mix of two writes.
	Update(ctx context.Context, r *Record, expected int64) error
	// Delete removes the record if its stored revision equals expected;
	// otherwise Conflict or NotFound, as Update.
	Delete(ctx context.Context, tenant string, kind Kind, id string, expected int64) error
	// List returns the tenant's records of a kind in ascending id order
	// (byte-wise), a page at a time, without bodies; with opts.Prefix, only
	// the ids that start with it.
	List(ctx context.Context, tenant string, kind Kind, opts ListOptions) (*Page, error)
	// Close releases the driver's resources.
	Close() error
}

// ListAll pages through every record of a kind. It is meant for bounded
// collections (a tenant's models, templates) where callers sort and filter
// summaries in memory.
func ListAll(ctx context.Context, s Store, tenant string, kind Kind) ([]*Record, error) {
	var all []*Record
	opts := ListOptions{Limit: 1000}
	for {
		p, err := s.List(ctx, tenant, kind, opts)
		if err != nil {
			return nil, err
		}
		all = append(all, p.Records...)
		if p.Next == "" {
			return all, nil
		}
		opts.Cursor = p.Next
	}
}

// MultiGetter is an optional capability of a Store: many records of one
// kind read at once (for the embedded store, one read transaction). The
// result has one entry per id, in order, nil where there is no record; err
// is for the read as a whole.
type MultiGetter interface {
	GetMany(ctx context.Context, tenant string, kind Kind, ids []string) ([]*Record, error)
}

// GetMany reads the records ids of one kind, with bodies, with s's
// MultiGetter when it has one and one Get at a time otherwise. The result
// has one entry per id, in order, nil where there is no record.
func GetMany(ctx context.Context, s Store, tenant string, kind Kind, ids []string) ([]*Record, error) {
	if g, ok := s.(MultiGetter); ok {
		return g.GetMany(ctx, tenant, kind, ids)
	}
	out := make([]*Record, len(ids))
	for i, id := range ids {
		r, err := s.Get(ctx, tenant, kind, id)
		switch {
		case errs.Is(err, errs.NotFound):
		case err != nil:
			return nil, err
		default:
			out[i] = r
		}
	}
	return out, nil
}

// Write is one conditional write of a batch: a Create when Expected is 0,
// an Update conditional on Expected otherwise.
type Write struct {
	Record   *Record
	Expected int64
}

// Batcher is an optional capability of a Store: many conditional writes in
// one round trip (for the embedded store, one transaction and one disk
// sync). Each write succeeds or fails on its own exactly as Create or Update
// would (Conflict, NotFound, Invalid, TooLarge), and sets its record's
// Revision and UpdatedAt on success; errs holds one error or nil per write.
// err is for the batch as a whole (the backend failed, the context ended):
// then no write was applied.
type Batcher interface {
	WriteBatch(ctx context.Context, writes []Write) (errs []error, err error)
}

// WriteBatch applies writes with s's Batcher when it has one, and one by one
// with Create and Update otherwise.
func WriteBatch(ctx context.Context, s Store, writes []Write) ([]error, error) {
	if b, ok := s.(Batcher); ok {
		return b.WriteBatch(ctx, writes)
	}
	out := make([]error, len(writes))
	for i, w := range writes {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		if w.Expected == 0 {
			out[i] = s.Create(ctx, w.Record)
		} else {
			out[i] = s.Update(ctx, w.Record, w.Expected)
		}
	}
	return out, nil
}

// CompanionWriter is an optional capability of a Store: an Update that
// stores a second record with it in one atomic write (for the embedded
// store, one transaction and one disk sync), such as a model and its
// version.
type CompanionWriter interface {
	// UpdateWith updates r as Update does and, in the same write, stores
	// companion: as revision 1 when it does not exist, otherwise over it
	// whatever its revision (revision+1). Both are written or neither; on
	// success both records' Revision and UpdatedAt are set. companion is
	// a valid record (CheckRecord) with another key than r.
	UpdateWith(ctx context.Context, r *Record, expected int64, companion *Record) error
}

// UpdateWith updates r as s.Update does and then stores companion: in one
// atomic write with s's CompanionWriter when it has one, otherwise with
// Create, or over an existing record with Update at its revision. err is
// r's update; when it failed, companion was not written. companionErr is
// companion's own failure (an invalid record, or a write that failed after
// r's): r's update stands.
func UpdateWith(ctx context.Context, s Store, r *Record, expected int64, companion *Record) (companionErr, err error) {
	if err := CheckRecord(companion); err != nil {
		return fmt.Errorf("companion: %w", err), s.Update(ctx, r, expected)
	}
	if companion.Tenant == r.Tenant && companion.Kind == r.Kind && companion.ID == r.ID {
		return errs.E(errs.Invalid, "companion of %s/%s: the same record", r.Kind, r.ID), s.Update(ctx, r, expected)
	}
	if c, ok := s.(CompanionWriter); ok {
		return nil, c.UpdateWith(ctx, r, expected, companion)
	}
	if err := s.Update(ctx, r, expected); err != nil {
		return nil, err
	}
	return createOrReplace(ctx, s, companion), nil
}

// createOrReplace stores r as revision 1, or over the record of its key
// whatever its revision.
func createOrReplace(ctx context.Context, s Store, r *Record) error {
	err := s.Create(ctx, r)
	if e, ok := errs.As(err); ok && e.Kind == errs.Conflict {
		err = s.Update(ctx, r, e.Current)
	}
	return err
}
