package jira

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/base32"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/bulwark-tm/bulwark/pkg/analysis"
	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/diff"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/model"
	"github.com/bulwark-tm/bulwark/pkg/outbound"
	"github.com/bulwark-tm/bulwark/pkg/secrets"
	"github.com/bulwark-tm/bulwark/pkg/store"
)

// Service is the Jira integration of a Bulwark deployment. Its methods are
// safe for concurrent use; every write it makes is conditional on the
// revision it read.
type Service struct {
	Store   store.Store
	Secrets secrets.Store
	// Catalog is the knowledge base used to analyze models; nil loads
	// catalog.Default().
	Catalog *catalog.Catalog
	// Outbound decides which addresses calls to Jira may reach: public
	// ones, loopback in local mode (AllowLoopback, which also permits
	// http:// base URLs on a loopback host), and ranges an operator
	// allows for a Jira Data Center on a private network.
	Outbound outbound.Policy
	// HTTPClient carries calls to Jira; nil builds a guarded client from
	// Outbound (set it only in tests).
	HTTPClient *http.Client
	// Connect opens the IssueTracker of an instance, calling through the
	// guarded client; the composition root sets it to
	// pkg/jira/gojira.Connect. Without it every call to Jira is
	// Unavailable.
	Connect Connector
	Now     func() time.Time // default time.Now
	Logger  *slog.Logger     // default slog.Default()
	// History has the settings (retention, summaries) of the versions
	// recorded for the models the integration saves (issue keys and
	// statuses), whose author names the path (AuthorWebhook, AuthorPull,
	// AuthorExport); nil keeps store.DefaultHistoryKeep versions
	// summarized by diff.Summarize, as the API does by default.
	History *store.History

	hcOnce sync.Once
	hc     *http.Client
}

func (s *Service) httpClient() *http.Client {
	if s.HTTPClient != nil {
		return s.HTTPClient
	}
	s.hcOnce.Do(func() { s.hc = outbound.New(s.Outbound) })
	return s.hc
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

func (s *Service) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.Default()
}

func (s *Service) catalog() (*catalog.Catalog, error) {
	if s.Catalog != nil {
		return s.Catalog, nil
	}
	return catalog.Default()
}

// issueRef ties a Jira issue to the item it was created for; it is how a
// webhook finds the item. Its id is "instance/issue id".
type issueRef struct {
	Instance string `json:"instance"`
	IssueID  string `json:"issueId"`
	Key      string `json:"key"`
	Model    string `json:"model"`
	Item     string `json:"item"`
	ItemKind string `json:"itemKind"` // ItemThreat or ItemRequirement
}

func refID(instance, issueID string) string { return instance + "/" + issueID }

// intent records that an issue is being created for an item, so that two
// attempts never run at once and a crashed one is found and finished.
type intent struct {
	Label     string    `json:"label"`
	Instance  string    `json:"instance"`
	StartedAt time.Time `json:"startedAt"`
}

// IntentTTL is how long an unfinished creation blocks another attempt for
// the same item; after it, a retry takes over (and first searches Jira for
// the issue the crashed attempt may have created).
const IntentTTL = 2 * time.Minute

// Label is the Jira label that marks the issue of an item: "bulwark-"
// and 26 base32 characters of SHA-256(tenant, model, item).
func Label(tenant, modelID, item string) string {
	h := sha256.Sum256([]byte(tenant + "\x00" + modelID + "\x00" + item))
	return "bulwark-" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(h[:])[:26])
}

// CommonLabel is on every issue Bulwark creates.
const CommonLabel = "bulwark"

// item is a threat or requirement of a model's analysis.
type item struct {
	kind        string
	threat      *analysis.Threat
	requirement *analysis.Requirement
	detail      string // the catalog rule's description
}

func (it item) title() string {
	if it.threat != nil {
		return it.threat.Title
	}
	return it.requirement.Title
}

func (it item) elementName() string {
	if it.threat != nil {
		return cmpOr(it.threat.ElementName, it.threat.Element)
	}
	return cmpOr(it.requirement.ElementName, it.requirement.Element)
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// analyzed loads a model and indexes the items of its analysis.
func (s *Service) analyzed(ctx context.Context, tenant, modelID string) (*model.ThreatModel, map[string]item, error) {
	cat, err := s.catalog()
	if err != nil {
		return nil, nil, fmt.Errorf("load knowledge base: %w", err)
	}
	models := store.Models{Store: s.Store}
	m, err := models.Get(ctx, tenant, modelID)
	if err != nil {
		return nil, nil, err
	}
	res := analysis.Analyze(cat, m, func(id string) (*model.ThreatModel, error) { return models.Get(ctx, tenant, id) })
	items := make(map[string]item, len(res.Threats)+len(res.Requirements))
	for i := range res.Threats {
		it := item{kind: ItemThreat, threat: &res.Threats[i]}
		if ct := cat.Threat(it.threat.Rule); ct != nil {
			it.detail = ct.Description
		}
		items[it.threat.ID] = it
	}
	for i := range res.Requirements {
		it := item{kind: ItemRequirement, requirement: &res.Requirements[i]}
		if cr := cat.Requirement(it.requirement.Rule); cr != nil {
			it.detail = cr.Description
		}
		items[it.requirement.ID] = it
	}
	return m, items, nil
}

// Draft is a prefilled issue for review before it is created.
type Draft struct {
	Item        string           `json:"item"`
	Kind        string           `json:"kind"` // threat or requirement
	Project     string           `json:"project"`
	IssueType   string           `json:"issueType"`
	Summary     string           `json:"summary"`
	Description string           `json:"description"`        // Markdown, editable
	Preview     string           `json:"preview"`            // Description as Jira wiki markup
	Labels      []string         `json:"labels"`             // what the issue will carry
	Existing    *model.IssueLink `json:"existing,omitempty"` // set when the item already has an issue
}

// MaxBatch bounds the items of one Drafts or CreateIssues call.
const MaxBatch = 50

// enabledLink returns the model's link and instance, or an Invalid error
// when the integration is off or incomplete.
func (s *Service) enabledLink(ctx context.Context, tenant, modelID string) (*Link, *Instance, error) {
	l, err := s.Link(ctx, tenant, modelID)
	if err != nil {
		return nil, nil, err
	}
	if !l.Enabled || l.Instance == "" || l.Project == "" {
		return nil, nil, errs.E(errs.Invalid, "model %s is not linked to Jira; turn the integration on and choose an instance and project first", modelID)
	}
	inst, err := s.Instance(ctx, tenant, l.Instance)
	if errs.Is(err, errs.NotFound) {
		return nil, nil, errs.E(errs.Invalid, "model %s is linked to Jira instance %s, which no longer exists; choose another", modelID, l.Instance)
	}
	if err != nil {
		return nil, nil, err
	}
	return l, inst, nil
}

// Drafts prefills issues for items of a model.
func (s *Service) Drafts(ctx context.Context, tenant, modelID string, ids []string) ([]Draft, error) {
	if len(ids) == 0 || len(ids) > MaxBatch {
		return nil, errs.Field("/items", "name 1 to %d items", MaxBatch)
	}
	l, _, err := s.enabledLink(ctx, tenant, modelID)
	if err != nil {
		return nil, err
	}
	m, items, err := s.analyzed(ctx, tenant, modelID)
	if err != nil {
		return nil, err
	}
	out := make([]Draft, 0, len(ids))
	for i, id := range ids {
		it, ok := items[id]
		if !ok {
			return nil, errs.Field(fmt.Sprintf("/items/%d", i), "no threat or requirement %q in model %s", id, modelID)
		}
		d := Draft{Item: id, Kind: it.kind, Project: l.Project, IssueType: l.issueType(it.kind),
			Summary: summary(it), Description: description(it), Labels: labels(l, tenant, modelID, id)}
		d.Preview = ToJiraMarkup(d.Description + footer(m, id))
		if st, ok := m.States[id]; ok && st.Issue != nil {
			d.Existing = st.Issue
		}
		out = append(out, d)
	}
	return out, nil
}

func (l *Link) issueType(kind string) string {
	if kind == ItemThreat {
		return l.ThreatIssueType
	}
	return l.RequirementIssueType
}

func labels(l *Link, tenant, modelID, id string) []string {
	out := []string{CommonLabel, Label(tenant, modelID, id)}
	for _, lb := range l.Labels {
		if !slices.Contains(out, lb) {
			out = append(out, lb)
		}
	}
	return out
}

// MaxSummary is Jira's limit on a summary, in characters.
const MaxSummary = 255

func summary(it item) string {
	prefix := "[Threat] "
	if it.kind == ItemRequirement {
		prefix = "[Security requirement] "
	}
	return model.Clip(prefix+it.title()+" — "+it.elementName(), MaxSummary)
}

// description is the Markdown body of an item's issue.
func description(it item) string {
	var b strings.Builder
	if t := it.threat; t != nil {
		fmt.Fprintf(&b, "**Threat:** %s\n\n", t.Title)
		fmt.Fprintf(&b, "- **Element:** %s (%s, %s)\n", it.elementName(), t.ElementKind, t.ElementType)
		fmt.Fprintf(&b, "- **STRIDE:** %s\n- **Severity:** %s (likelihood %d, impact %d)\n", t.STRIDE, t.Severity, t.Likelihood, t.Impact)
		if len(t.CWE) > 0 {
			fmt.Fprintf(&b, "- **CWE:** %s\n", strings.Join(t.CWE, ", "))
		}
		if it.detail != "" {
			fmt.Fprintf(&b, "\n%s\n", strings.TrimSpace(it.detail))
		}
		if len(t.Requirements) > 0 {
			b.WriteString("\n### Mitigating security requirements\n")
			for _, r := range t.Requirements {
				fmt.Fprintf(&b, "- `%s`\n", r)
			}
		}
	} else {
		r := it.requirement
		fmt.Fprintf(&b, "**Security requirement:** %s\n\n", r.Title)
		fmt.Fprintf(&b, "- **Element:** %s (%s, %s)\n", it.elementName(), r.ElementKind, r.ElementType)
		fmt.Fprintf(&b, "- **Epic:** %s\n- **Severity:** %s\n", r.Epic, r.Severity)
		if it.detail != "" {
			fmt.Fprintf(&b, "\n%s\n", strings.TrimSpace(it.detail))
		}
		if ev := r.Evidence; !ev.Empty() {
			b.WriteString("\n### Evidence checked in AWS\n")
			for _, c := range ev.SecurityHub {
				fmt.Fprintf(&b, "- Security Hub control `%s`\n", c)
			}
			for _, c := range ev.Config {
				fmt.Fprintf(&b, "- AWS Config rule `%s`\n", c)
			}
		}
		if len(r.Threats) > 0 {
			b.WriteString("\n### Threats it mitigates\n")
			for _, t := range r.Threats {
				fmt.Fprintf(&b, "- `%s`\n", t)
			}
		}
	}
	return b.String()
}

// footer names the model and item under every description.
func footer(m *model.ThreatModel, id string) string {
	return fmt.Sprintf("\n---\n_Created by Bulwark from threat model %q (`%s`), item `%s`._\n", m.Name, m.ID, id)
}

// IssueRequest asks for the issue of one item, with the reviewed summary
// and Markdown description (empty: the draft's).
type IssueRequest struct {
	Item        string `json:"item"`
	Summary     string `json:"summary,omitempty"`
	Description string `json:"description,omitempty"`
}

// The outcomes of creating an item's issue.
const (
	OutcomeCreated  = "created"  // a new issue
	OutcomeFound    = "found"    // an issue an earlier attempt created, found by its label
	OutcomeExisting = "existing" // the item already had an issue; nothing was done
	OutcomeFailed   = "failed"
)

// IssueResult is the outcome for one item.
type IssueResult struct {
	Item       string         `json:"item"`
	Outcome    string         `json:"outcome"`
	Key        string         `json:"key,omitempty"`
	URL        string         `json:"url,omitempty"`
	Error      string         `json:"error,omitempty"`
	Problems   []errs.Problem `json:"problems,omitempty"`
	RetryAfter int            `json:"retryAfter,omitempty"` // seconds, when Jira rate limits
}

// CreateIssues creates the issues of items of a model, each at most once:
// an item that has an issue keeps it, and a retry after a failure or crash
// finds the issue an earlier attempt created instead of creating another.
// Each item succeeds or fails on its own; an error is returned only when
// nothing can be attempted (model or link missing, bad request).
func (s *Service) CreateIssues(ctx context.Context, tenant, user, modelID string, reqs []IssueRequest) ([]IssueResult, error) {
	if len(reqs) == 0 || len(reqs) > MaxBatch {
		return nil, errs.Field("/issues", "name 1 to %d items", MaxBatch)
	}
	seen := map[string]bool{}
	for i, r := range reqs {
		f := fmt.Sprintf("/issues/%d", i)
		switch {
		case seen[r.Item]:
			return nil, errs.Field(f+"/item", "item %q is listed twice", r.Item)
		case utf8.RuneCountInString(r.Summary) > MaxSummary:
			return nil, errs.Field(f+"/summary", "at most %d characters", MaxSummary)
		case len(r.Description) > 30000:
			return nil, errs.Field(f+"/description", "at most 30,000 bytes")
		}
		seen[r.Item] = true
	}
	l, inst, err := s.enabledLink(ctx, tenant, modelID)
	if err != nil {
		return nil, err
	}
	m, items, err := s.analyzed(ctx, tenant, modelID)
	if err != nil {
		return nil, err
	}
	for i, r := range reqs {
		if _, ok := items[r.Item]; !ok {
			return nil, errs.Field(fmt.Sprintf("/issues/%d/item", i), "no threat or requirement %q in model %s", r.Item, modelID)
		}
	}
	c, err := s.client(ctx, tenant, inst)
	if err != nil {
		return nil, err
	}
	out := make([]IssueResult, 0, len(reqs))
	for _, r := range reqs {
		res, err := s.createOne(ctx, c, tenant, l, inst, m, items[r.Item], r)
		if err != nil {
			res = IssueResult{Item: r.Item, Outcome: OutcomeFailed, Error: err.Error()}
			if e, ok := errs.As(err); ok {
				res.Problems = e.Problems
			}
			if d, ok := RetryAfter(err); ok {
				res.RetryAfter = int(d.Seconds())
			}
			if ctx.Err() != nil {
				return out, fmt.Errorf("create jira issues: %w", ctx.Err())
			}
		}
		out = append(out, res)
	}
	return out, nil
}

func (s *Service) createOne(ctx context.Context, c IssueTracker, tenant string, l *Link, inst *Instance, m *model.ThreatModel, it item, r IssueRequest) (res IssueResult, err error) {
	res = IssueResult{Item: r.Item}
	if st, ok := m.States[r.Item]; ok && st.Issue != nil {
		res.Outcome, res.Key, res.URL = OutcomeExisting, st.Issue.Key, st.Issue.URL
		return res, nil
	}
	label := Label(tenant, m.ID, r.Item)
	release, err := s.acquire(ctx, tenant, m.ID, r.Item, intent{Label: label, Instance: inst.ID, StartedAt: s.now()})
	if err != nil {
		return res, err
	}
	// Once an issue exists in Jira, a failure keeps the intent: until it
	// expires no retry can run before Jira's search index shows the
	// issue's label, so a retry finds the issue instead of creating another.
	issueExists := false
	defer func() {
		if err == nil || !issueExists {
			release()
		}
	}()
	// m was read before the intent was ours: another request may have
	// created and linked the issue since, then released its intent. It links
	// before it releases, so the stored model says so now.
	cur, err := store.Models{Store: s.Store}.GetRaw(ctx, tenant, m.ID) // states, not the diagram
	if err != nil {
		return res, err
	}
	if st, ok := cur.States[r.Item]; ok && st.Issue != nil {
		res.Outcome, res.Key, res.URL = OutcomeExisting, st.Issue.Key, st.Issue.URL
		return res, nil
	}

	// A retry may find the issue an earlier attempt created.
	found, err := c.Search(ctx, fmt.Sprintf("labels = %q", label))
	if err != nil {
		return res, err
	}
	var issueID, key string
	if len(found) > 0 {
		// The oldest issue wins (ids are increasing decimal numbers).
		slices.SortFunc(found, func(a, b Issue) int { return cmp.Or(cmp.Compare(len(a.ID), len(b.ID)), strings.Compare(a.ID, b.ID)) })
		issueID, key = found[0].ID, found[0].Key
		res.Outcome, issueExists = OutcomeFound, true
	} else {
		sum, desc := r.Summary, r.Description
		if strings.TrimSpace(sum) == "" {
			sum = summary(it)
		}
		if strings.TrimSpace(desc) == "" {
			desc = description(it)
		}
		created, err := c.CreateIssue(ctx, NewIssue{Project: l.Project, IssueType: l.issueType(it.kind), Summary: sum,
			Description: ToJiraMarkup(desc + footer(m, r.Item)), Labels: labels(l, tenant, m.ID, r.Item)})
		if err != nil {
			return res, err
		}
		issueID, key = created.ID, created.Key
		res.Outcome, issueExists = OutcomeCreated, true
	}
	res.Key, res.URL = key, IssueURL(inst.BaseURL, key)

	ref := issueRef{Instance: inst.ID, IssueID: issueID, Key: key, Model: m.ID, Item: r.Item, ItemKind: it.kind}
	if err := s.putRef(ctx, tenant, ref); err != nil {
		return res, err
	}
	link := model.IssueLink{Instance: inst.ID, Key: key, URL: res.URL}
	if is, err := c.GetIssue(ctx, key); err == nil {
		link.Status, link.UpdatedAt = is.Status, is.Updated
	} else {
		s.logger().WarnContext(ctx, "jira: read new issue", "key", key, "err", err.Error())
	}
	_, err = s.updateModel(ctx, tenant, m.ID, AuthorExport, func(m *model.ThreatModel) (bool, error) {
		st := m.States[r.Item]
		if st.Issue != nil {
			if st.Issue.Instance == link.Instance && st.Issue.Key == link.Key {
				return false, nil
			}
			return false, errs.E(errs.Conflict, "item %s was linked to %s meanwhile; %s is not linked", r.Item, st.Issue.Key, key)
		}
		st.Issue = &link
		if m.States == nil {
			m.States = map[string]model.ItemState{}
		}
		m.States[r.Item] = st
		return true, nil
	})
	return res, err
}

// acquire records the intent to create an item's issue; the returned
// function removes it. A fresh intent of another attempt is a Conflict; a
// stale one (older than IntentTTL) is taken over.
func (s *Service) acquire(ctx context.Context, tenant, modelID, itemID string, in intent) (func(), error) {
	id := modelID + "/" + itemID
	body, _ := json.Marshal(in)
	r := &store.Record{Tenant: tenant, Kind: KindIntent, ID: id, Body: body, Summary: json.RawMessage(`{}`)}
	err := s.Store.Create(ctx, r)
	if errs.Is(err, errs.Conflict) {
		old, gerr := s.Store.Get(ctx, tenant, KindIntent, id)
		if gerr != nil {
			return nil, fmt.Errorf("read creation intent of %s: %w", itemID, gerr)
		}
		var prev intent
		_ = json.Unmarshal(old.Body, &prev)
		if s.now().Sub(prev.StartedAt) < IntentTTL {
			return nil, errs.E(errs.Conflict, "an issue for %s is being created by another request; try again in a minute", itemID)
		}
		err = s.Store.Update(ctx, r, old.Revision)
		if errs.Is(err, errs.Conflict) || errs.Is(err, errs.NotFound) {
			return nil, errs.E(errs.Conflict, "an issue for %s is being created by another request; try again in a minute", itemID)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("record creation intent of %s: %w", itemID, err)
	}
	rev := r.Revision
	return func() {
		// Not the request's context: the intent must go even if the
		// caller gave up after the issue was linked.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		if err := s.Store.Delete(ctx, tenant, KindIntent, id, rev); err != nil && !errs.Is(err, errs.NotFound) {
			s.logger().WarnContext(ctx, "jira: remove creation intent", "item", itemID, "err", err.Error())
		}
	}, nil
}

func (s *Service) putRef(ctx context.Context, tenant string, ref issueRef) error {
	body, _ := json.Marshal(ref)
	sum, _ := json.Marshal(map[string]string{"model": ref.Model, "item": ref.Item})
	r := &store.Record{Tenant: tenant, Kind: KindIssueRef, ID: refID(ref.Instance, ref.IssueID), Body: body, Summary: sum}
	err := s.Store.Create(ctx, r)
	if errs.Is(err, errs.Conflict) {
		return nil // recorded by an earlier attempt
	}
	if err != nil {
		return fmt.Errorf("record jira issue %s: %w", ref.Key, err)
	}
	return nil
}

func (s *Service) getRef(ctx context.Context, tenant, instance, issueID string) (*issueRef, int64, error) {
	r, err := s.Store.Get(ctx, tenant, KindIssueRef, refID(instance, issueID))
	if err != nil {
		return nil, 0, err
	}
	var ref issueRef
	if err := json.Unmarshal(r.Body, &ref); err != nil {
		return nil, 0, fmt.Errorf("decode jira issue record %s: %w", r.ID, err)
	}
	return &ref, r.Revision, nil
}

// The authors of the model versions the Jira integration records.
const (
	AuthorWebhook = "jira webhook" // a webhook delivery
	AuthorPull    = "jira sync"    // a pull of issue statuses (Pull)
	AuthorExport  = "jira export"  // issues created for items (CreateIssues)
)

// modelsBy returns the models whose saves record a version made by author.
func (s *Service) modelsBy(author string) store.Models {
	h := s.History
	if h == nil {
		h = &store.History{Store: s.Store, Keep: store.DefaultHistoryKeep, Summarize: diff.Summarize, Logger: s.Logger, Now: s.Now}
	}
	return store.Models{Store: s.Store, History: h.As(author)}
}

// maxModelRetries bounds the re-reads of a model whose update conflicts.
const maxModelRetries = 8

// updateModel applies change to the current model and saves it
// conditionally, re-reading and retrying on a conflicting write; the save
// is recorded as a version made by author.
func (s *Service) updateModel(ctx context.Context, tenant, modelID, author string, change func(*model.ThreatModel) (bool, error)) (bool, error) {
	models := s.modelsBy(author)
	for range maxModelRetries {
		m, err := models.Get(ctx, tenant, modelID)
		if err != nil {
			return false, err
		}
		changed, err := change(m)
		if err != nil || !changed {
			return false, err
		}
		err = models.Update(ctx, m, m.Revision)
		if errs.Is(err, errs.Conflict) {
			continue
		}
		return err == nil, err
	}
	return false, errs.E(errs.Conflict, "model %s keeps changing; the Jira update was not applied, and a retry will", modelID)
}
