package store

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// DefaultHistoryKeep is how many versions of a model History keeps when
// not told otherwise (named and approved versions are kept besides).
const DefaultHistoryKeep = 200

// ReviewState is where a version stands in review.
type ReviewState string

// The review states of a version.
const (
	ReviewSubmitted ReviewState = "submitted"
	ReviewApproved  ReviewState = "approved"
	ReviewRejected  ReviewState = "rejected"
)

// Review is the last review step taken on a version.
type Review struct {
	State   ReviewState `json:"state"`
	By      string      `json:"by"`
	At      time.Time   `json:"at"`
	Comment string      `json:"comment,omitempty"`
}

// Version describes one saved revision of a model: who saved it, when, and
// what changed since the version before it. Its document is kept beside it.
type Version struct {
	Revision int64     `json:"revision"`
	Author   string    `json:"author"`
	SavedAt  time.Time `json:"savedAt"`
	Summary  string    `json:"summary"`
	Name     string    `json:"name,omitempty"`
	Review   *Review   `json:"review,omitempty"`
}

// Approved reports whether v is approved.
func (v *Version) Approved() bool { return v.Review != nil && v.Review.State == ReviewApproved }

// MaxVersionName is the longest version name History accepts, in bytes.
const MaxVersionName = 200

// MaxReviewComment is the longest review comment History accepts, in bytes.
const MaxReviewComment = 4000

// History keeps the saved versions of models: one KindVersion record per
// revision, whose summary is the Version and whose body is the model
// document as that revision stored it. Record ids are the model id, '#'
// and the revision counted down from math.MaxInt64 in 19 digits, so that a
// listing by id is newest first; model ids cannot contain '#', so one
// model's prefix never matches another's versions.
//
// A History is safe for concurrent use when its Store is.
type History struct {
	Store Store
	// Keep is how many of a model's newest versions are kept; older ones
	// are deleted unless named, approved or waiting for review. 0 keeps
	// all.
	Keep int
	// Author returns the user a write is made by; nil records "".
	Author func(ctx context.Context) string
	// Summarize describes the change from prev (nil for a model's first
	// recorded version) to next, e.g. "+2 components, −1 flow"; nil records
	// no summary.
	Summarize func(prev, next *model.ThreatModel) string
	// Logger reports versions that could not be recorded after their
	// model was saved (the model write stands); nil is slog.Default().
	Logger *slog.Logger
	// Now is the clock; nil is time.Now.
	Now func() time.Time

	mu     sync.Mutex
	recent []recentVersion // newest last; see remember
}

// recentVersion is a copy of a version this History recorded, so that the
// next save of the model is summarized without reading and decoding it.
type recentVersion struct {
	tenant, id string
	rev        int64
	m          *model.ThreatModel
}

// Bounds of the recent-version cache.
const (
	recentVersions    = 8
	recentMaxElements = 10000
)

// remember keeps a copy of m (as just recorded) for the next summary, or,
// when m is owned (handed over by its caller, see Models.UpdateDiagram),
// what the summary reads of m itself.
func (h *History) remember(m *model.ThreatModel, owned bool) {
	d := &m.Diagram
	if len(d.Components)+len(d.Flows)+len(d.Groups) > recentMaxElements {
		return
	}
	if owned {
		h.keep(m, &model.ThreatModel{ID: m.ID, Name: m.Name, Description: m.Description, States: m.States, Diagram: m.Diagram})
		return
	}
	c := &model.ThreatModel{ID: m.ID, Name: m.Name, Description: m.Description, States: maps.Clone(m.States)}
	c.Diagram.Components = slices.Clone(d.Components)
	for i := range c.Diagram.Components {
		x := &c.Diagram.Components[i]
		x.Properties = maps.Clone(x.Properties)
		if x.Resource != nil {
			r := *x.Resource
			x.Resource = &r
		}
		if x.NestedModel != nil {
			n := *x.NestedModel
			x.NestedModel = &n
		}
	}
	c.Diagram.Flows = slices.Clone(d.Flows)
	for i := range c.Diagram.Flows {
		c.Diagram.Flows[i].Properties = maps.Clone(c.Diagram.Flows[i].Properties)
	}
	c.Diagram.Groups = slices.Clone(d.Groups)
	for i := range c.Diagram.Groups {
		x := &c.Diagram.Groups[i]
		x.Properties = maps.Clone(x.Properties)
		if x.Resource != nil {
			r := *x.Resource
			x.Resource = &r
		}
	}
	h.keep(m, c)
}

// keep adds c, what the summary reads of m, to the recent versions.
func (h *History) keep(m, c *model.ThreatModel) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.recent = slices.DeleteFunc(h.recent, func(v recentVersion) bool { return v.tenant == m.Tenant && v.id == m.ID })
	if len(h.recent) == recentVersions {
		h.recent = h.recent[1:]
	}
	h.recent = append(h.recent, recentVersion{m.Tenant, m.ID, m.Revision, c})
}

// recalled returns the remembered copy of the model's revision rev, or nil.
func (h *History) recalled(tenant, id string, rev int64) *model.ThreatModel {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, v := range h.recent {
		if v.tenant == tenant && v.id == id && v.rev == rev {
			return v.m
		}
	}
	return nil
}

type noteKey struct{}

// WithVersionNote returns a context whose model writes record note before
// the version's change summary (e.g. "restored revision 3").
func WithVersionNote(ctx context.Context, note string) context.Context {
	return context.WithValue(ctx, noteKey{}, note)
}

// versionPrefix is the id prefix of modelID's versions.
func versionPrefix(modelID string) string { return modelID + "#" }

// versionID is the record id of modelID's revision rev.
func versionID(modelID string, rev int64) string {
	return fmt.Sprintf("%s#%019d", modelID, math.MaxInt64-rev)
}

func (h *History) now() time.Time {
	if h.Now != nil {
		return h.Now().UTC()
	}
	return time.Now().UTC()
}

func (h *History) logger() *slog.Logger {
	if h.Logger != nil {
		return h.Logger
	}
	return slog.Default()
}

// record appends the version m (just stored at m.Revision with body) and
// applies retention. Failures are logged: the model write has happened.
func (h *History) record(ctx context.Context, m *model.ThreatModel, body []byte) {
	h.failed(ctx, m, h.Append(ctx, m, body))
}

// failed logs err, when not nil, as the failure to record version m after
// the model write.
func (h *History) failed(ctx context.Context, m *model.ThreatModel, err error) {
	if err != nil {
		h.logger().ErrorContext(ctx, "record model version", "tenant", m.Tenant, "model", m.ID, "revision", m.Revision, "err", err)
	}
}

// Append records m, stored at m.Revision as body (its JSON document), as a
// version, then deletes versions past Keep.
func (h *History) Append(ctx context.Context, m *model.ThreatModel, body []byte) error {
	r, err := h.versionRecord(ctx, m, body)
	if err != nil {
		return err
	}
	if m.Revision == 1 {
		// A model created again under the id of a deleted one starts a
		// new history.
		if err := h.DeleteAll(ctx, m.Tenant, m.ID); err != nil {
			return err
		}
	}
	// A leftover of a model deleted and created again under its id is
	// replaced: this write is the truth.
	if err := createOrReplace(ctx, h.Store, r); err != nil {
		return fmt.Errorf("record version %d of model %s: %w", m.Revision, m.ID, err)
	}
	return h.recorded(ctx, m, false)
}

// recorded follows the write of version m: it remembers m for the next
// summary (m itself when owned, see remember) and deletes versions past
// Keep.
func (h *History) recorded(ctx context.Context, m *model.ThreatModel, owned bool) error {
	if h.Summarize != nil {
		h.remember(m, owned)
	}
	return h.prune(ctx, m.Tenant, m.ID)
}

// startVersion starts working out the record of version m (see
// versionRecord) in another goroutine, and returns a function that waits
// for it and gives it body. m must not change until then; the function
// must be called once, and re-raises a panic of the work.
func (h *History) startVersion(ctx context.Context, m *model.ThreatModel) func(body []byte) (*Record, error) {
	done := make(chan struct{})
	var (
		r     *Record
		err   error
		fault any
	)
	go func() {
		defer close(done)
		defer func() { fault = recover() }()
		r, err = h.versionRecord(ctx, m, nil)
	}()
	return func(body []byte) (*Record, error) {
		<-done
		if fault != nil {
			panic(fault)
		}
		if r != nil {
			r.Body = body
		}
		return r, err
	}
}

// versionRecord returns the record of version m, stored at m.Revision as
// body, with its summary of the change since the version before.
func (h *History) versionRecord(ctx context.Context, m *model.ThreatModel, body []byte) (*Record, error) {
	v := Version{Revision: m.Revision, SavedAt: m.UpdatedAt.UTC()}
	if v.SavedAt.IsZero() {
		v.SavedAt = h.now()
	}
	if h.Author != nil {
		v.Author = h.Author(ctx)
	}
	var parts []string
	if note, _ := ctx.Value(noteKey{}).(string); note != "" {
		parts = append(parts, note)
	}
	if h.Summarize != nil {
		prev := h.recalled(m.Tenant, m.ID, m.Revision-1)
		if m.Revision > 1 && prev == nil {
			// The newest recorded version; older than m unless a write
			// outside this History skipped some revisions.
			p, err := h.Store.List(ctx, m.Tenant, KindVersion, ListOptions{Limit: 1, Prefix: versionPrefix(m.ID)})
			if err != nil {
				return nil, fmt.Errorf("list versions of model %s: %w", m.ID, err)
			}
			if len(p.Records) == 1 {
				var pv Version
				r, err := h.Store.Get(ctx, m.Tenant, KindVersion, p.Records[0].ID)
				if err == nil {
					err = json.Unmarshal(r.Summary, &pv)
				}
				if err != nil {
					return nil, fmt.Errorf("read the last version of model %s: %w", m.ID, err)
				}
				if pv.Revision < m.Revision {
					if prev, err = decode(r); err != nil {
						return nil, err
					}
					if pv.Revision != m.Revision-1 {
						parts = append(parts, fmt.Sprintf("since revision %d", pv.Revision))
					}
				}
			}
		}
		if prev == nil && m.Revision > 1 {
			parts = append(parts, "no earlier version recorded")
		} else if s := h.Summarize(prev, m); s != "" {
			parts = append(parts, s)
		}
	}
	v.Summary = strings.Join(parts, "; ")
	sum, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode version %d of model %s: %w", v.Revision, m.ID, err)
	}
	return &Record{Tenant: m.Tenant, Kind: KindVersion, ID: versionID(m.ID, m.Revision), Summary: sum, Body: body}, nil
}

// versions returns every version record of a model, newest first, without
// bodies.
func (h *History) versions(ctx context.Context, tenant, modelID string) ([]*Record, []Version, error) {
	var recs []*Record
	opts := ListOptions{Limit: 1000, Prefix: versionPrefix(modelID)}
	for {
		p, err := h.Store.List(ctx, tenant, KindVersion, opts)
		if err != nil {
			return nil, nil, fmt.Errorf("list versions of model %s: %w", modelID, err)
		}
		recs = append(recs, p.Records...)
		if p.Next == "" {
			break
		}
		opts.Cursor = p.Next
	}
	vs := make([]Version, len(recs))
	for i, r := range recs {
		if err := json.Unmarshal(r.Summary, &vs[i]); err != nil {
			return nil, nil, fmt.Errorf("decode version record %s: %w", r.ID, err)
		}
	}
	return recs, vs, nil
}

// prune deletes the model's versions past Keep that are neither named,
// approved nor submitted for review.
func (h *History) prune(ctx context.Context, tenant, modelID string) error {
	if h.Keep <= 0 {
		return nil
	}
	// Cheap check first: a page of Keep+1 tells whether there is anything
	// to prune.
	p, err := h.Store.List(ctx, tenant, KindVersion, ListOptions{Limit: h.Keep + 1, Prefix: versionPrefix(modelID)})
	if err != nil {
		return fmt.Errorf("list versions of model %s: %w", modelID, err)
	}
	if len(p.Records) <= h.Keep {
		return nil
	}
	recs, vs, err := h.versions(ctx, tenant, modelID)
	if err != nil {
		return err
	}
	for i := h.Keep; i < len(recs); i++ {
		if vs[i].Name != "" || vs[i].Review != nil && vs[i].Review.State != ReviewRejected {
			continue
		}
		if err := h.Store.Delete(ctx, tenant, KindVersion, recs[i].ID, recs[i].Revision); err != nil && !errs.Is(err, errs.NotFound) {
			return fmt.Errorf("delete old version %d of model %s: %w", vs[i].Revision, modelID, err)
		}
	}
	return nil
}

// List returns a page of the model's versions, newest first. cursor is
// the next token of the previous page ("" for the first); limit follows
// ListOptions.Limit's rules.
func (h *History) List(ctx context.Context, tenant, modelID, cursor string, limit int) ([]Version, string, error) {
	p, err := h.Store.List(ctx, tenant, KindVersion, ListOptions{Cursor: cursor, Limit: limit, Prefix: versionPrefix(modelID)})
	if err != nil {
		return nil, "", fmt.Errorf("list versions of model %s: %w", modelID, err)
	}
	out := make([]Version, len(p.Records))
	for i, r := range p.Records {
		if err := json.Unmarshal(r.Summary, &out[i]); err != nil {
			return nil, "", fmt.Errorf("decode version record %s: %w", r.ID, err)
		}
	}
	return out, p.Next, nil
}

// Get returns version rev of the model and its JSON document (as GET of
// the model returned it at that revision).
func (h *History) Get(ctx context.Context, tenant, modelID string, rev int64) (*Version, []byte, error) {
	r, v, err := h.get(ctx, tenant, modelID, rev)
	if err != nil {
		return nil, nil, err
	}
	if bodyAtRevision(r.Body, rev) {
		return v, r.Body, nil
	}
	m, err := decode(r)
	if err != nil {
		return nil, nil, err
	}
	m.Revision = rev
	b, err := json.Marshal(m)
	if err != nil {
		return nil, nil, fmt.Errorf("encode version %d of model %s: %w", rev, modelID, err)
	}
	return v, b, nil
}

// GetModel returns version rev of the model, decoded.
func (h *History) GetModel(ctx context.Context, tenant, modelID string, rev int64) (*Version, *model.ThreatModel, error) {
	r, v, err := h.get(ctx, tenant, modelID, rev)
	if err != nil {
		return nil, nil, err
	}
	m, err := decode(r)
	if err != nil {
		return nil, nil, err
	}
	m.Revision = rev
	return v, m, nil
}

func (h *History) get(ctx context.Context, tenant, modelID string, rev int64) (*Record, *Version, error) {
	if rev < 1 {
		return nil, nil, errs.E(errs.Invalid, "revision must be at least 1, got %d", rev)
	}
	r, err := h.Store.Get(ctx, tenant, KindVersion, versionID(modelID, rev))
	if errs.Is(err, errs.NotFound) {
		return nil, nil, errs.E(errs.NotFound, "model %s has no version %d (never saved, or past the history's retention)", modelID, rev)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("get version %d of model %s: %w", rev, modelID, err)
	}
	var v Version
	if err := json.Unmarshal(r.Summary, &v); err != nil {
		return nil, nil, fmt.Errorf("decode version %d of model %s: %w", rev, modelID, err)
	}
	// The record's revision is the store's; the body names the model's.
	return r, &v, nil
}

// update changes version rev's metadata with change, conditional on the
// record not changing in between.
func (h *History) update(ctx context.Context, tenant, modelID string, rev int64, change func(*Version) error) (*Version, error) {
	r, v, err := h.get(ctx, tenant, modelID, rev)
	if err != nil {
		return nil, err
	}
	if err := change(v); err != nil {
		return nil, err
	}
	sum, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode version %d of model %s: %w", rev, modelID, err)
	}
	expected := r.Revision
	r.Summary = sum
	if err := h.Store.Update(ctx, r, expected); err != nil {
		if errs.Is(err, errs.Conflict) {
			return nil, errs.E(errs.Conflict, "version %d of model %s changed while it was updated; try again", rev, modelID)
		}
		return nil, fmt.Errorf("update version %d of model %s: %w", rev, modelID, err)
	}
	return v, nil
}

// SetName names version rev ("" removes the name). A named version is
// kept past Keep.
func (h *History) SetName(ctx context.Context, tenant, modelID string, rev int64, name string) (*Version, error) {
	name = strings.TrimSpace(name)
	if len(name) > MaxVersionName {
		return nil, errs.Field("/name", "%s", "longer than "+strconv.Itoa(MaxVersionName)+" bytes")
	}
	if strings.ContainsFunc(name, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return nil, errs.Field("/name", "contains control characters")
	}
	return h.update(ctx, tenant, modelID, rev, func(v *Version) error {
		v.Name = name
		return nil
	})
}

// ReviewAction is a step of review.
type ReviewAction string

// The review actions: an editor submits, a reviewer approves or rejects.
const (
	ActionSubmit  ReviewAction = "submit"
	ActionApprove ReviewAction = "approve"
	ActionReject  ReviewAction = "reject"
)

// SetReview takes a review step on version rev by user: submit (from no
// review, or after a rejection), approve or reject (a submitted version).
// Anything else is a Conflict naming the version's state. Who may take
// which step is the caller's check.
func (h *History) SetReview(ctx context.Context, tenant, modelID string, rev int64, action ReviewAction, by, comment string) (*Version, error) {
	if len(comment) > MaxReviewComment {
		return nil, errs.Field("/comment", "%s", "longer than "+strconv.Itoa(MaxReviewComment)+" bytes")
	}
	var next ReviewState
	switch action {
	case ActionSubmit:
		next = ReviewSubmitted
	case ActionApprove:
		next = ReviewApproved
	case ActionReject:
		next = ReviewRejected
	default:
		return nil, errs.Field("/action", "must be submit, approve or reject, got %q", action)
	}
	return h.update(ctx, tenant, modelID, rev, func(v *Version) error {
		state := ReviewState("")
		if v.Review != nil {
			state = v.Review.State
		}
		switch {
		case action == ActionSubmit && (state == "" || state == ReviewRejected):
		case action != ActionSubmit && state == ReviewSubmitted:
		default:
			what := "not submitted for review"
			if state != "" {
				what = "already " + string(state)
			}
			return errs.E(errs.Conflict, "cannot %s version %d of model %s: it is %s", action, rev, modelID, what)
		}
		v.Review = &Review{State: next, By: by, At: h.now(), Comment: comment}
		return nil
	})
}

// Baseline returns the model's newest approved version, or NotFound.
func (h *History) Baseline(ctx context.Context, tenant, modelID string) (*Version, error) {
	_, vs, err := h.versions(ctx, tenant, modelID)
	if err != nil {
		return nil, err
	}
	for i := range vs {
		if vs[i].Approved() {
			return &vs[i], nil
		}
	}
	return nil, errs.E(errs.NotFound, "model %s has no approved version (a baseline is a version a reviewer approved)", modelID)
}

// DeleteAll deletes every version of the model.
func (h *History) DeleteAll(ctx context.Context, tenant, modelID string) error {
	recs, _, err := h.versions(ctx, tenant, modelID)
	if err != nil {
		return err
	}
	for _, r := range recs {
		if err := h.Store.Delete(ctx, tenant, KindVersion, r.ID, r.Revision); err != nil && !errs.Is(err, errs.NotFound) {
			return fmt.Errorf("delete versions of model %s: %w", modelID, err)
		}
	}
	return nil
}
