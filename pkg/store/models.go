package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/internal/freelist"
	"github.com/bulwark-tm/bulwark/pkg/jsonfast"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// Models keeps threat models in a Store.
type Models struct {
	Store Store
	// History, when set, records every successful Create and Update as a
	// version and deletes a model's versions with it.
	History *History
}

// Create validates m and stores it as revision 1. It sets m.Revision,
// m.UpdatedAt and (when zero) m.CreatedAt; they are part of the stored
// document, so that reads can hand it out as it is (GetJSON).
func (s Models) Create(ctx context.Context, m *model.ThreatModel) error {
	if err := m.Validate(); err != nil {
		return err
	}
	prevRev, prevAt, prevCreated := m.Revision, m.UpdatedAt, m.CreatedAt
	m.Revision, m.UpdatedAt = 1, time.Now().UTC()
	if m.CreatedAt.IsZero() {
		m.CreatedAt = m.UpdatedAt
	}
	r, err := encode(m)
	if err == nil {
		err = s.Store.Create(ctx, r)
	}
	if err != nil {
		m.Revision, m.UpdatedAt, m.CreatedAt = prevRev, prevAt, prevCreated
		return fmt.Errorf("create model %s: %w", m.ID, err)
	}
	if s.History != nil {
		s.History.record(ctx, m, r.Body)
	}
	return nil
}

// Get returns the tenant's model id.
func (s Models) Get(ctx context.Context, tenant, id string) (*model.ThreatModel, error) {
	r, err := s.Store.Get(ctx, tenant, KindModel, id)
	if err != nil {
		return nil, fmt.Errorf("get model %s: %w", id, err)
	}
	return decode(r)
}

// RawModel is a stored model whose diagram is left as JSON. Reading one
// skips decoding the diagram, the bulk of a large model, for callers that
// pass the diagram through or replace it.
type RawModel struct {
	model.ThreatModel
	// Diagram shadows ThreatModel.Diagram in JSON, which stays empty.
	Diagram json.RawMessage `json:"diagram"`
}

// GetRaw returns the tenant's model id with its diagram as JSON.
func (s Models) GetRaw(ctx context.Context, tenant, id string) (*RawModel, error) {
	r, err := s.Store.Get(ctx, tenant, KindModel, id)
	if err != nil {
		return nil, fmt.Errorf("get model %s: %w", id, err)
	}
	return s.raw(r)
}

// raw decodes a stored model record but for its diagram.
func (s Models) raw(r *Record) (*RawModel, error) {
	id := r.ID
	var raw RawModel
	// The body was encoded by this package: no syntax check needed.
	if err := jsonfast.UnmarshalStrictValid(r.Body, &raw); err != nil || raw.SchemaVersion != model.SchemaVersion {
		// An older document: migrate it through the full decoder.
		m, err := decode(r)
		if err != nil {
			return nil, err
		}
		d, err := json.Marshal(m.Diagram)
		if err != nil {
			return nil, fmt.Errorf("encode diagram of model %s: %w", id, err)
		}
		m.Diagram = model.Diagram{}
		return &RawModel{ThreatModel: *m, Diagram: d}, nil
	}
	raw.Tenant, raw.Revision = r.Tenant, r.Revision
	if raw.UpdatedAt.IsZero() {
		raw.UpdatedAt = r.UpdatedAt
	}
	return &raw, nil
}

// GetMetadata returns the tenant's model id without its diagram, which is
// left empty, for callers that replace it: what GetRaw returns beside the
// diagram, without copying or decoding the diagram of a document stored
// at the current schema version.
func (s Models) GetMetadata(ctx context.Context, tenant, id string) (*model.ThreatModel, error) {
	r, err := s.Store.Get(ctx, tenant, KindModel, id)
	if err != nil {
		return nil, fmt.Errorf("get model %s: %w", id, err)
	}
	if bodyIsCurrent(r) {
		if start, end, ok := jsonfast.Member(r.Body, "diagram"); ok {
			meta := make([]byte, 0, len(r.Body)-(end-start)+2)
			meta = append(append(append(meta, r.Body[:start]...), "{}"...), r.Body[end:]...)
			var m model.ThreatModel
			if jsonfast.UnmarshalStrictValid(meta, &m) == nil && m.SchemaVersion == model.SchemaVersion {
				m.Tenant, m.Revision = r.Tenant, r.Revision
				if m.UpdatedAt.IsZero() {
					m.UpdatedAt = r.UpdatedAt
				}
				return &m, nil
			}
		}
	}
	raw, err := s.raw(r)
	if err != nil {
		return nil, err
	}
	return &raw.ThreatModel, nil
}

// Update validates m and replaces the stored model if its revision equals
// expected; it sets m.Revision to expected+1 and m.UpdatedAt (and restores
// both when the write fails).
func (s Models) Update(ctx context.Context, m *model.ThreatModel, expected int64) error {
	return s.updateModel(ctx, m, nil, expected, false)
}

// UpdateDiagram is Update for a model whose diagram was decoded from
// diagram, which is exactly what jsonfast.Marshal writes for it (see
// model.CanonicalDiagram): the stored document takes those bytes as they
// are instead of encoding the diagram again; a nil diagram is encoded.
// m is handed over: the caller must not change it, or what it holds,
// after the call, since History keeps it for the next version's summary
// rather than a copy.
func (s Models) UpdateDiagram(ctx context.Context, m *model.ThreatModel, diagram []byte, expected int64) error {
	return s.updateModel(ctx, m, diagram, expected, true)
}

// updateModel is Update with diagram as UpdateDiagram takes it; owned says
// that m is handed over.
func (s Models) updateModel(ctx context.Context, m *model.ThreatModel, diagram []byte, expected int64, owned bool) error {
	prevRev, prevAt := m.Revision, m.UpdatedAt
	m.Revision, m.UpdatedAt = expected+1, time.Now().UTC()
	// The version record (its summary compares m with the version before)
	// is worked out while m is validated and encoded.
	var version func(body []byte) (*Record, error)
	if s.History != nil {
		version = s.History.startVersion(ctx, m)
	}
	if err := m.Validate(); err != nil {
		if version != nil {
			_, _ = version(nil) // done reading m
		}
		m.Revision, m.UpdatedAt = prevRev, prevAt
		return err
	}
	r, err := encodeWith(m, diagram)
	if err == nil {
		err = s.update(ctx, m, r, expected, owned, version)
		if diagram != nil {
			freeBodies.Put(r.Body) // the write is over; the store keeps no record
		}
	} else if version != nil {
		_, _ = version(nil)
	}
	if err != nil {
		m.Revision, m.UpdatedAt = prevRev, prevAt
		return fmt.Errorf("update model %s: %w", m.ID, err)
	}
	return nil
}

// update writes r, the encoding of m, over revision expected and, with
// History set, m's version beside it (version returns its record, see
// History.startVersion): in one write when the store can (UpdateWith). A
// version that cannot be recorded is logged; the model write stands.
// owned says that m is handed over (see UpdateDiagram).
func (s Models) update(ctx context.Context, m *model.ThreatModel, r *Record, expected int64, owned bool, version func([]byte) (*Record, error)) error {
	if s.History == nil {
		return s.Store.Update(ctx, r, expected)
	}
	v, verr := version(r.Body)
	if verr != nil {
		if err := s.Store.Update(ctx, r, expected); err != nil {
			return err
		}
		s.History.failed(ctx, m, verr)
		return nil
	}
	verr, err := UpdateWith(ctx, s.Store, r, expected, v)
	if err != nil {
		return err
	}
	if verr == nil {
		verr = s.History.recorded(ctx, m, owned)
	} else {
		verr = fmt.Errorf("record version %d of model %s: %w", m.Revision, m.ID, verr)
	}
	s.History.failed(ctx, m, verr)
	return nil
}

// GetJSON returns the tenant's model id as its JSON document and its
// revision. A document stored by this package is handed out as it is,
// without decoding; an older one is decoded (migrated) and encoded again.
func (s Models) GetJSON(ctx context.Context, tenant, id string) ([]byte, int64, error) {
	r, err := s.Store.Get(ctx, tenant, KindModel, id)
	if err != nil {
		return nil, 0, fmt.Errorf("get model %s: %w", id, err)
	}
	if bodyIsCurrent(r) {
		return r.Body, r.Revision, nil
	}
	m, err := decode(r)
	if err != nil {
		return nil, 0, err
	}
	b, err := json.Marshal(m)
	if err != nil {
		return nil, 0, fmt.Errorf("encode model %s: %w", id, err)
	}
	return b, m.Revision, nil
}

// bodyIsCurrent reports whether r's body was written by encode at the
// current schema version with the record's revision. The first "revision"
// key of such a body is the top-level one: every field before it is a
// string, a number or a list of strings, and a JSON string cannot hold an
// unescaped quote.
func bodyIsCurrent(r *Record) bool { return bodyAtRevision(r.Body, r.Revision) }

// bodyAtRevision reports whether body was written by encode at the current
// schema version with revision rev (see bodyIsCurrent).
func bodyAtRevision(body []byte, revision int64) bool {
	if !bytes.HasPrefix(body, []byte(`{"schemaVersion":`+strconv.Itoa(model.SchemaVersion)+`,`)) {
		return false
	}
	key := []byte(`"revision":`)
	i := bytes.Index(body, key)
	if i < 0 {
		return false
	}
	rest := body[i+len(key):]
	n := 0
	for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
		n++
	}
	rev, err := strconv.ParseInt(string(rest[:n]), 10, 64)
	return err == nil && rev == revision
}

// Delete removes the model if its revision equals expected.
func (s Models) Delete(ctx context.Context, tenant, id string, expected int64) error {
	if err := s.Store.Delete(ctx, tenant, KindModel, id, expected); err != nil {
		return fmt.Errorf("delete model %s: %w", id, err)
	}
	if s.History != nil {
		// The model is gone either way; versions left behind are
		// deleted when a model is created again under its id.
		if err := s.History.DeleteAll(ctx, tenant, id); err != nil {
			s.History.logger().ErrorContext(ctx, "delete model versions", "tenant", tenant, "model", id, "err", err)
		}
	}
	return nil
}

// List returns the summaries of all of the tenant's models, by id.
func (s Models) List(ctx context.Context, tenant string) ([]model.Summary, error) {
	recs, err := ListAll(ctx, s.Store, tenant, KindModel)
	if err != nil {
		return nil, fmt.Errorf("list models: %w", err)
	}
	out := make([]model.Summary, 0, len(recs))
	for _, r := range recs {
		var sum model.Summary
		if err := json.Unmarshal(r.Summary, &sum); err != nil {
			return nil, fmt.Errorf("decode summary of model %s: %w", r.ID, err)
		}
		sum.Revision = r.Revision
		if sum.UpdatedAt.IsZero() {
			sum.UpdatedAt = r.UpdatedAt
		}
		out = append(out, sum)
	}
	return out, nil
}

func encode(m *model.ThreatModel) (*Record, error) { return encodeWith(m, nil) }

// encodeWith is encode with diagram, when not nil, as the encoding of
// m.Diagram.
func encodeWith(m *model.ThreatModel, diagram []byte) (*Record, error) {
	body, err := marshalWith(m, diagram)
	if err != nil {
		return nil, fmt.Errorf("encode model %s: %w", m.ID, err)
	}
	sum := m.Summarize()
	sb, err := json.Marshal(sum)
	if err != nil {
		return nil, fmt.Errorf("encode summary of model %s: %w", m.ID, err)
	}
	return &Record{Tenant: m.Tenant, Kind: KindModel, ID: m.ID, Summary: sb, Body: body}, nil
}

func decode(r *Record) (*model.ThreatModel, error) {
	m, err := model.DecodeStored(r.Body)
	if err != nil {
		// %v, not %w: a stored document that does not decode is an internal
		// fault, not the caller's invalid input.
		return nil, errs.E(errs.Other, "decode stored model %s: %v", r.ID, err)
	}
	m.Tenant, m.Revision = r.Tenant, r.Revision
	if m.UpdatedAt.IsZero() {
		m.UpdatedAt = r.UpdatedAt
	}
	return m, nil
}

// marshalWith returns jsonfast.Marshal(m), taking diagram, when not nil, as
// the encoding of m.Diagram: the rest of m is encoded around an empty
// diagram, which diagram then replaces.
func marshalWith(m *model.ThreatModel, diagram []byte) ([]byte, error) {
	if diagram == nil {
		return jsonfast.Marshal(m)
	}
	shell := *m
	shell.Diagram = model.Diagram{}
	b, err := jsonfast.Marshal(&shell)
	if err != nil {
		return nil, err
	}
	start, end, ok := jsonfast.Member(b, "diagram")
	if !ok {
		return jsonfast.Marshal(m)
	}
	n := len(b) - (end - start) + len(diagram)
	return append(append(append(freeBodies.Get(n), b[:start]...), diagram...), b[end:]...), nil
}

// freeBodies holds the buffers of documents marshalWith spliced, handed
// back once their write is over (Store implementations keep no record they
// are given, and a version record only shares the body for that write).
var freeBodies = freelist.New(4)
