// Package inventory holds normalized AWS resources and their relationships,
// read from every format AWS Config produces: S3-delivered ConfigSnapshot and
// ConfigHistory files, the output of select-resource-config,
// batch-get-resource-config and get-resource-config-history, configuration
// item change notifications (bare, in an SNS envelope, or as EventBridge
// "Config Configuration Item Change" events) and oversized change
// notifications, whose full item a Fetcher supplies.
//
// AWS Config writes two field dialects: notifications and S3 files use
// configurationItemVersion, awsAccountId, ARN and a relationship "name"; the
// API uses version, accountId, arn and "relationshipName". A configuration
// may be a JSON object or a JSON string. Both are read into one Resource
// shape, whose Configuration is always a JSON object (or null).
//
// An Inventory keeps the newest item of each resource (by capture time);
// ResourceDeleted items remove a resource and keep older items from bringing
// it back. An Inventory is not safe for concurrent writes; reading it from
// several goroutines after it is filled is safe.
package inventory

import (
	"cmp"
	"encoding/json"
	"slices"
	"time"
)

// The configurationItemStatus values AWS Config uses.
const (
	StatusOK                 = "OK"
	StatusDiscovered         = "ResourceDiscovered"
	StatusNotRecorded        = "ResourceNotRecorded"
	StatusDeleted            = "ResourceDeleted"
	StatusDeletedNotRecorded = "ResourceDeletedNotRecorded"
)

// Key identifies a resource across accounts and regions.
type Key struct {
	AccountID string `json:"accountId"`
	Region    string `json:"region"`
	Type      string `json:"resourceType"`
	ID        string `json:"resourceId"`
}

// Resource is one AWS resource as AWS Config last recorded it.
type Resource struct {
	Type             string            `json:"resourceType"`
	ID               string            `json:"resourceId"`
	Name             string            `json:"resourceName,omitempty"`
	ARN              string            `json:"arn,omitempty"`
	AccountID        string            `json:"accountId"`
	Region           string            `json:"region"`
	AvailabilityZone string            `json:"availabilityZone,omitempty"`
	Status           string            `json:"status,omitempty"` // configurationItemStatus
	CaptureTime      time.Time         `json:"captureTime,omitzero"`
	StateID          string            `json:"configurationStateId,omitempty"`
	Tags             map[string]string `json:"tags,omitempty"`
	Relationships    []Relationship    `json:"relationships,omitempty"`
	// Configuration is the resource's configuration as a JSON object (AWS
	// Config's "configuration", decoded when AWS sent it as a string), or
	// nil when the item has none.
	Configuration json.RawMessage `json:"configuration,omitempty"`
	// Supplementary holds supplementaryConfiguration, each value decoded to
	// JSON when AWS sent it as a string.
	Supplementary map[string]json.RawMessage `json:"supplementaryConfiguration,omitempty"`
	// Source says where the item was read: "file:line:column".
	Source string `json:"source,omitempty"`
}

// Relationship is a link from a resource to another, as AWS Config records
// it. ID is empty when AWS gave only a resource name and Resolve found no
// resource of that name.
type Relationship struct {
	Type     string `json:"resourceType"`
	ID       string `json:"resourceId,omitempty"`
	Name     string `json:"resourceName,omitempty"`
	Relation string `json:"name"` // e.g. "Is contained in Vpc"
}

// Key returns r's identity.
func (r *Resource) Key() Key {
	return Key{AccountID: r.AccountID, Region: r.Region, Type: r.Type, ID: r.ID}
}

// Deleted reports whether the item records the resource's deletion.
func (r *Resource) Deleted() bool {
	return r.Status == StatusDeleted || r.Status == StatusDeletedNotRecorded
}

// Tag returns the value of tag k, or "".
func (r *Resource) Tag(k string) string { return r.Tags[k] }

// DisplayName is the resource's Name tag, else its resource name, else its id.
func (r *Resource) DisplayName() string {
	if n := r.Tags["Name"]; n != "" {
		return n
	}
	if r.Name != "" {
		return r.Name
	}
	return r.ID
}

// Inventory is a set of resources keyed by Key, keeping the newest item of
// each.
type Inventory struct {
	items map[Key]*Resource
}

// New returns an empty inventory.
func New() *Inventory { return &Inventory{items: map[Key]*Resource{}} }

// Add records r unless the inventory holds a newer item of the same
// resource; an item with the same capture time replaces the held one. It
// reports whether r was kept. A deleted item is kept as a tombstone: the
// resource disappears from Resources and older items cannot revive it.
func (inv *Inventory) Add(r *Resource) bool {
	k := r.Key()
	if old, ok := inv.items[k]; ok && old.CaptureTime.After(r.CaptureTime) {
		return false
	}
	inv.items[k] = r
	return true
}

// Get returns the live (not deleted) resource with key k, or nil.
func (inv *Inventory) Get(k Key) *Resource {
	r := inv.items[k]
	if r == nil || r.Deleted() {
		return nil
	}
	return r
}

// Len returns the number of live resources.
func (inv *Inventory) Len() int {
	n := 0
	for _, r := range inv.items {
		if !r.Deleted() {
			n++
		}
	}
	return n
}

// Resources returns the live resources ordered by account, region, type and
// id.
func (inv *Inventory) Resources() []*Resource {
	out := make([]*Resource, 0, len(inv.items))
	for _, r := range inv.items {
		if !r.Deleted() {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b *Resource) int { return compareKeys(a.Key(), b.Key()) })
	return out
}

// Deleted returns the tombstones: resources whose newest item records their
// deletion, in key order.
func (inv *Inventory) Deleted() []*Resource {
	var out []*Resource
	for _, r := range inv.items {
		if r.Deleted() {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b *Resource) int { return compareKeys(a.Key(), b.Key()) })
	return out
}

func compareKeys(a, b Key) int {
	return cmp.Or(cmp.Compare(a.AccountID, b.AccountID), cmp.Compare(a.Region, b.Region),
		cmp.Compare(a.Type, b.Type), cmp.Compare(a.ID, b.ID))
}

// Resolve fills the resource id of relationships that carry only a resource
// name, when exactly one live resource of that type and name exists in the
// same account and region. It returns how many relationships it resolved.
func (inv *Inventory) Resolve() int {
	type nameKey struct{ account, region, typ, name string }
	byName := map[nameKey]string{}
	dup := map[nameKey]bool{}
	for _, r := range inv.items {
		if r.Deleted() || r.Name == "" {
			continue
		}
		k := nameKey{r.AccountID, r.Region, r.Type, r.Name}
		if old, ok := byName[k]; ok && old != r.ID {
			dup[k] = true
		}
		byName[k] = r.ID
	}
	n := 0
	for _, r := range inv.items {
		for i := range r.Relationships {
			rel := &r.Relationships[i]
			if rel.ID != "" || rel.Name == "" {
				continue
			}
			k := nameKey{r.AccountID, r.Region, rel.Type, rel.Name}
			if id, ok := byName[k]; ok && !dup[k] {
				rel.ID = id
				n++
			}
		}
	}
	return n
}
