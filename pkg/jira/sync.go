package jira

import (
	"context"
	"crypto/sha256"
	"fmt"
	"runtime/debug"
	"strings"
	"time"

	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/model"
	"github.com/bulwark-tm/bulwark/pkg/store"
)

// MaxClockSkew is how far in the future an update from Jira may be dated
// (clocks differ); a later one is ignored.
const MaxClockSkew = 5 * time.Minute

// The actions an update from Jira can lead to.
const (
	ActionUpdated  = "updated"  // the item's issue link (and maybe status) changed
	ActionUnlinked = "unlinked" // the issue was deleted; the item keeps its status
	ActionIgnored  = "ignored"  // nothing to do (see Reason)
)

// Outcome says what an update from Jira did.
type Outcome struct {
	Action string `json:"action"`
	Reason string `json:"reason,omitempty"`
	Model  string `json:"model,omitempty"`
	Item   string `json:"item,omitempty"`
	Key    string `json:"key,omitempty"`
	Status string `json:"status,omitempty"` // the item's status after the update
}

// unknownInstanceSecret is what a delivery for an unknown instance is
// checked against, so that it costs what a known one does.
var unknownInstanceSecret = sha256.Sum256([]byte("bulwark: no such instance"))

func ignored(reason string) *Outcome { return &Outcome{Action: ActionIgnored, Reason: reason} }

// errUnverified is the one answer to a delivery that cannot be verified,
// whatever the reason: unknown tenant or instance, no webhook secret, a
// missing, malformed or wrong signature. A sender without the secret
// learns nothing, not even which instances exist.
func errUnverified() error {
	return errs.E(errs.Unauthorized, "webhook: signature cannot be verified")
}

// HandleWebhook verifies and applies one Jira webhook delivery for the
// tenant's instance. signature is the X-Hub-Signature header. Every
// delivery that cannot be verified gets the same errs.Unauthorized error
// (errUnverified), after the same work: an unknown instance is checked
// against a throwaway secret. Issues Bulwark did not create, events it
// does not handle, repeats, stale deliveries and ones dated more than
// MaxClockSkew in the future are ignored without error.
func (s *Service) HandleWebhook(ctx context.Context, tenant, instanceID string, body []byte, signature string) (*Outcome, error) {
	inst, err := s.Instance(ctx, tenant, instanceID)
	if errs.Is(err, errs.NotFound) || errs.Is(err, errs.Invalid) {
		_ = VerifySignature(unknownInstanceSecret[:], body, signature)
		return nil, errUnverified()
	}
	if err != nil {
		return nil, err
	}
	sec, err := s.secret(ctx, tenant, instanceID)
	if err != nil && !errs.Is(err, errs.NotFound) {
		return nil, err
	}
	secret := []byte(sec.WebhookSecret)
	if len(secret) == 0 {
		secret = unknownInstanceSecret[:] // verify anyway: the same work, the same answer
	}
	if err := VerifySignature(secret, body, signature); err != nil || sec.WebhookSecret == "" {
		why := "the instance has no webhook secret"
		if err != nil {
			why = err.Error()
		}
		s.logger().DebugContext(ctx, "jira: webhook refused", "instance", instanceID, "why", why)
		return nil, errUnverified()
	}
	ev, err := ParseEvent(body)
	if err != nil {
		return nil, err
	}
	switch ev.Type {
	case EventIssueCreated:
		return s.apply(ctx, tenant, inst, ev.Issue, ev.Time(), true)
	case EventIssueUpdated:
		if !ev.StatusChanged {
			return ignored("no status or resolution change"), nil
		}
		return s.apply(ctx, tenant, inst, ev.Issue, ev.Time(), true)
	case EventIssueDeleted:
		return s.unlink(ctx, tenant, inst, ev.Issue, ev.Time())
	}
	return ignored("event " + ev.Type + " is not handled"), nil
}

// apply records an issue's state on its item if it is newer than what the
// item has. The item's status changes when the issue's status (or, for a
// webhook, its resolution) changed and the status map gives a different
// one; a pull passes statusEvent false and compares status names.
func (s *Service) apply(ctx context.Context, tenant string, inst *Instance, is Issue, at time.Time, statusEvent bool) (*Outcome, error) {
	ref, refRev, err := s.getRef(ctx, tenant, inst.ID, is.ID)
	if errs.Is(err, errs.NotFound) {
		return ignored("issue is not linked to a Bulwark item"), nil
	}
	if err != nil {
		return nil, err
	}
	l, err := s.Link(ctx, tenant, ref.Model)
	if err != nil {
		return nil, err
	}
	if !l.Enabled {
		return ignored("the Jira integration of the model is off"), nil
	}
	key := cmpOr(is.Key, ref.Key)
	out := &Outcome{Action: ActionIgnored, Model: ref.Model, Item: ref.Item, Key: key}
	now := s.now()
	if at.After(now.Add(MaxClockSkew)) {
		// Stored, it would make every genuine later update look stale.
		out.Reason = "dated " + at.UTC().Format(time.RFC3339) + ", more than " + MaxClockSkew.String() + " in the future"
		return out, nil
	}
	author := AuthorPull
	if statusEvent {
		author = AuthorWebhook
	}
	_, err = s.updateModel(ctx, tenant, ref.Model, author, func(m *model.ThreatModel) (bool, error) {
		st := m.States[ref.Item]
		out.Action, out.Status = ActionIgnored, st.Status
		switch {
		case st.Issue == nil:
			// Linked in Jira before the creating request stored the key
			// (or after a crash): adopt it.
			st.Issue = &model.IssueLink{Instance: inst.ID, Key: key}
		case st.Issue.Instance != inst.ID || (st.Issue.Key != ref.Key && st.Issue.Key != key):
			out.Reason = "the item is linked to another issue (" + st.Issue.Key + ")"
			return false, nil
		case !st.Issue.UpdatedAt.IsZero() && !at.After(st.Issue.UpdatedAt):
			out.Reason = "stale or repeated: the item already has the issue's state of " + st.Issue.UpdatedAt.Format(time.RFC3339Nano)
			return false, nil
		}
		changed := statusEvent || !strings.EqualFold(st.Issue.Status, is.Status)
		link := *st.Issue
		link.Key, link.Status, link.UpdatedAt = key, is.Status, at.UTC()
		// Always derived, never kept: a stored address could lead anywhere.
		link.URL = IssueURL(inst.BaseURL, key)
		st.Issue = &link
		if mapped, ok := MapStatus(l.StatusMap, ref.ItemKind, is); ok && changed && mapped != st.Status {
			st.Status, st.UpdatedBy, st.UpdatedAt = mapped, "jira:"+key, now
		}
		if m.States == nil {
			m.States = map[string]model.ItemState{}
		}
		m.States[ref.Item] = st
		out.Action, out.Status, out.Reason = ActionUpdated, st.Status, ""
		return true, nil
	})
	if errs.Is(err, errs.NotFound) {
		return ignored("the model of the issue no longer exists"), nil
	}
	if err != nil {
		return nil, err
	}
	if out.Action == ActionUpdated && key != ref.Key { // the issue moved to another project
		ref.Key = key
		if err := s.updateRef(ctx, tenant, *ref, refRev); err != nil {
			s.logger().WarnContext(ctx, "jira: record moved issue", "key", key, "err", err.Error())
		}
	}
	return out, nil
}

func (s *Service) updateRef(ctx context.Context, tenant string, ref issueRef, expected int64) error {
	if err := s.Store.Delete(ctx, tenant, KindIssueRef, refID(ref.Instance, ref.IssueID), expected); err != nil {
		return err
	}
	return s.putRef(ctx, tenant, ref)
}

// unlink clears the issue of the item a deleted issue belonged to. The
// item's status stays; a later delivery for the issue finds no record and
// is ignored.
func (s *Service) unlink(ctx context.Context, tenant string, inst *Instance, is Issue, at time.Time) (*Outcome, error) {
	ref, refRev, err := s.getRef(ctx, tenant, inst.ID, is.ID)
	if errs.Is(err, errs.NotFound) {
		return ignored("issue is not linked to a Bulwark item"), nil
	}
	if err != nil {
		return nil, err
	}
	out := &Outcome{Action: ActionUnlinked, Model: ref.Model, Item: ref.Item, Key: ref.Key}
	_, err = s.updateModel(ctx, tenant, ref.Model, AuthorWebhook, func(m *model.ThreatModel) (bool, error) {
		st, ok := m.States[ref.Item]
		out.Status = st.Status
		if !ok || st.Issue == nil || st.Issue.Instance != inst.ID || (st.Issue.Key != ref.Key && st.Issue.Key != is.Key) {
			return false, nil
		}
		st.Issue = nil
		m.States[ref.Item] = st
		return true, nil
	})
	if err != nil && !errs.Is(err, errs.NotFound) {
		return nil, err
	}
	if err := s.Store.Delete(ctx, tenant, KindIssueRef, refID(ref.Instance, ref.IssueID), refRev); err != nil && !errs.Is(err, errs.NotFound) && !errs.Is(err, errs.Conflict) {
		return nil, fmt.Errorf("forget deleted jira issue %s: %w", ref.Key, err)
	}
	return out, nil
}

// PullResult summarizes a pull.
type PullResult struct {
	Instance string `json:"instance"`
	Linked   int    `json:"linked"`  // issues Bulwark follows on the instance
	Found    int    `json:"found"`   // of which Jira returned
	Updated  int    `json:"updated"` // items whose issue state changed
}

// pullBatch is how many issue ids one JQL query names.
const pullBatch = 50

// Pull reads every issue Bulwark follows on an instance with JQL
// ("id in (...)") and applies the newer ones, as webhooks would: for
// instances that cannot reach the webhook, and to repair missed
// deliveries. Issues Jira does not return (deleted, or no longer visible
// to the token) are left linked.
func (s *Service) Pull(ctx context.Context, tenant, instanceID string) (*PullResult, error) {
	inst, err := s.Instance(ctx, tenant, instanceID)
	if err != nil {
		return nil, err
	}
	c, err := s.client(ctx, tenant, inst)
	if err != nil {
		return nil, err
	}
	recs, err := store.ListAll(ctx, s.Store, tenant, KindIssueRef)
	if err != nil {
		return nil, fmt.Errorf("list linked jira issues: %w", err)
	}
	var ids []string
	for _, r := range recs {
		if id, ok := strings.CutPrefix(r.ID, instanceID+"/"); ok {
			ids = append(ids, id)
		}
	}
	res := &PullResult{Instance: instanceID, Linked: len(ids)}
	for start := 0; start < len(ids); start += pullBatch {
		batch := ids[start:min(start+pullBatch, len(ids))]
		issues, err := c.Search(ctx, "id in ("+strings.Join(batch, ", ")+")")
		if err != nil {
			return res, fmt.Errorf("pull from jira instance %s: %w", inst.Name, err)
		}
		for _, is := range issues {
			res.Found++
			out, err := s.apply(ctx, tenant, inst, is, is.Updated, false)
			if err != nil {
				return res, err
			}
			if out.Action == ActionUpdated {
				res.Updated++
			}
		}
	}
	return res, nil
}

// PullAll pulls every instance of the tenant, continuing past failures,
// and returns the results with the first error.
func (s *Service) PullAll(ctx context.Context, tenant string) ([]*PullResult, error) {
	insts, err := s.Instances(ctx, tenant)
	if err != nil {
		return nil, err
	}
	var out []*PullResult
	var first error
	for _, inst := range insts {
		r, err := s.Pull(ctx, tenant, inst.ID)
		if err != nil {
			s.logger().WarnContext(ctx, "jira: pull", "instance", inst.ID, "err", err.Error())
			first = cmpOr2(first, err)
		}
		if r != nil {
			out = append(out, r)
		}
	}
	return out, first
}

// pullSafely runs PullAll and turns a panic into an error, logged with
// its stack, so that a bug met by one pull does not end the server.
func (s *Service) pullSafely(ctx context.Context, tenant string) (err error) {
	defer func() {
		if v := recover(); v != nil {
			s.logger().ErrorContext(ctx, "jira: periodic pull panicked", "tenant", tenant, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			err = errs.E(errs.Other, "jira pull of tenant %s panicked: %v", tenant, v)
		}
	}()
	_, err = s.PullAll(ctx, tenant)
	return err
}

func cmpOr2(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// PullEvery pulls all of the tenant's instances now and then every
// interval until ctx ends: the in-process periodic sync of `bulwark serve`
// (in AWS a scheduled function calls PullAll instead). Failures are
// logged and retried at the next tick.
func (s *Service) PullEvery(ctx context.Context, tenant string, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if err := s.pullSafely(ctx, tenant); err != nil && ctx.Err() == nil {
			s.logger().WarnContext(ctx, "jira: periodic pull", "tenant", tenant, "err", err.Error())
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
