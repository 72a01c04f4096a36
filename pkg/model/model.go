package model

import (
	"encoding/json"
	"time"
)

// SchemaVersion is the version of the document format this code writes.
// Decode migrates older documents up to it (see migrate.go).
const SchemaVersion = 1

// Priority is the business risk of the modelled system.
type Priority string

// The priorities, from highest to lowest.
const (
	PriorityVeryHigh Priority = "Very High"
	PriorityHigh     Priority = "High"
	PriorityMedium   Priority = "Medium"
	PriorityLow      Priority = "Low"
	PriorityVeryLow  Priority = "Very Low"
)

// Priorities lists every valid Priority, highest first.
var Priorities = []Priority{PriorityVeryHigh, PriorityHigh, PriorityMedium, PriorityLow, PriorityVeryLow}

// Facing says whether the modelled system is reachable from the internet.
type Facing string

// The two exposures.
const (
	FacingInternal Facing = "internal"
	FacingPublic   Facing = "public"
)

// ProjectTypes lists the suggested project types. Any non-empty type up to
// MaxNameLen is accepted; these are what the UI offers.
var ProjectTypes = []string{"AWS Cloud Application", "Web Application", "Mobile Application", "Infrastructure", "IoT", "Other"}

// ThreatModel is one threat model: metadata plus a diagram.
//
// Tenant, Revision, CreatedAt and UpdatedAt are owned by the store: values a
// client sends for them are ignored.
type ThreatModel struct {
	SchemaVersion int               `json:"schemaVersion"`
	ID            string            `json:"id"`
	Tenant        string            `json:"tenant,omitempty"`
	Name          string            `json:"name"`
	Description   string            `json:"description,omitempty"`
	Version       string            `json:"version,omitempty"`
	ProjectType   string            `json:"projectType"`
	Priority      Priority          `json:"priority"`
	Facing        Facing            `json:"facing"`
	Labels        []string          `json:"labels,omitempty"`
	Owner         string            `json:"owner,omitempty"`
	CreatedAt     time.Time         `json:"createdAt"`
	UpdatedAt     time.Time         `json:"updatedAt"`
	Revision      int64             `json:"revision"`
	Properties    map[string]string `json:"properties,omitempty"`
	Diagram       Diagram           `json:"diagram"`
	// Template records the template (and its version) the model was
	// created from; the model holds a copy, so later template edits do not
	// change it.
	Template *TemplateRef `json:"template,omitempty"`
	// Custom holds threats and mitigations that are not from the knowledge
	// base, such as those imported from other threat modeling tools.
	Custom []CustomItem `json:"custom,omitempty"`
	// States holds what users decided about computed items (threats,
	// requirements, tasks), keyed by the item's deterministic id
	// ("rule@element"), so that decisions survive every recomputation.
	States map[string]ItemState `json:"states,omitempty"`
}

// The kinds of custom item.
const (
	CustomThreat     = "threat"
	CustomMitigation = "mitigation"
)

// CustomItem is a threat or a mitigation that the knowledge base does not
// define, attached to elements of the diagram (or to the whole model when
// it names none). Analysis lists it beside the catalog's items.
type CustomItem struct {
	Kind        string   `json:"kind"` // CustomThreat or CustomMitigation
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Description string   `json:"description,omitempty"`
	STRIDE      []string `json:"stride,omitempty"`
	Severity    string   `json:"severity,omitempty"`
	// Status is the status it was imported with, in pkg/analysis's
	// vocabulary; a user's later decision lives in ThreatModel.States.
	Status string `json:"status,omitempty"`
	Notes  string `json:"notes,omitempty"`
	// Elements are the ids of the components, containers or flows it is
	// attached to.
	Elements []string `json:"elements,omitempty"`
	// Links are, for a threat, the ids of the mitigations that address it;
	// for a mitigation, the ids of the threats it addresses.
	Links []string `json:"links,omitempty"`
	// Source names where it came from, e.g. "threatcomposer".
	Source string `json:"source,omitempty"`
}

// TemplateRef names a version of a template.
type TemplateRef struct {
	ID      string `json:"id"`
	Version int    `json:"version"`
	Name    string `json:"name,omitempty"`
}

// ItemState is a user's status and notes for one computed item. The status
// vocabulary belongs to the package that computes the item (pkg/analysis).
type ItemState struct {
	Status    string     `json:"status,omitempty"`
	Notes     string     `json:"notes,omitempty"`
	UpdatedBy string     `json:"updatedBy,omitempty"`
	UpdatedAt time.Time  `json:"updatedAt,omitzero"`
	Issue     *IssueLink `json:"issue,omitempty"`
}

// IssueLink ties an item to an issue in a tracker (Jira).
type IssueLink struct {
	Instance string `json:"instance"` // the integration instance id
	Key      string `json:"key"`      // e.g. SEC-123
	URL      string `json:"url,omitempty"`
	// Status is the tracker's status name as last seen.
	Status    string    `json:"status,omitempty"`
	UpdatedAt time.Time `json:"updatedAt,omitzero"`
}

// Diagram is the drawing of a threat model.
type Diagram struct {
	Components []Component `json:"components"`
	Flows      []Flow      `json:"flows"`
	Groups     []Group     `json:"groups"`
}

// Point is a position on the canvas, in canvas units. For an element with a
// parent it is relative to the parent's top-left corner.
type Point struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

// Size is the width and height of an element on the canvas.
type Size struct {
	Width  float64 `json:"width"`
	Height float64 `json:"height"`
}

// Properties holds an element's catalog properties and free-form key/values.
// Values are JSON scalars, arrays or objects.
type Properties map[string]json.RawMessage

// Component is one element of the architecture: an AWS service, a generic
// component, or another threat model nested as a component.
type Component struct {
	ID          string       `json:"id"`
	Type        string       `json:"type"` // catalog type id such as "aws.ec2"
	Name        string       `json:"name"`
	Parent      string       `json:"parent,omitempty"` // id of the enclosing group, if any
	Position    Point        `json:"position"`
	Size        *Size        `json:"size,omitempty"`
	Properties  Properties   `json:"properties,omitempty"`
	Resource    *AWSResource `json:"resource,omitempty"`
	NestedModel *NestedRef   `json:"nestedModel,omitempty"`
}

// AWSResource ties a component to a resource in an AWS account.
type AWSResource struct {
	ARN          string `json:"arn,omitempty"`
	ResourceType string `json:"resourceType,omitempty"` // AWS Config / CloudFormation name, e.g. AWS::EC2::Instance
	ResourceID   string `json:"resourceId,omitempty"`
	AccountID    string `json:"accountId,omitempty"`
	Region       string `json:"region,omitempty"`
}

// NestedRef points a component at another threat model of the same tenant.
type NestedRef struct {
	ModelID       string `json:"modelId"`
	ImportThreats bool   `json:"importThreats"`
}

// Flow is a data flow over a protocol from one component (or container) to
// another.
type Flow struct {
	ID         string     `json:"id"`
	Source     string     `json:"source"`
	Target     string     `json:"target"`
	Protocol   string     `json:"protocol"`
	Port       int        `json:"port,omitempty"`
	Label      string     `json:"label,omitempty"`
	Properties Properties `json:"properties,omitempty"`
}

// GroupKind says what a Group stands for.
type GroupKind string

// The group kinds.
const (
	// KindGroup is a plain collection box.
	KindGroup GroupKind = "group"
	// KindContainer stands for a component (e.g. an EC2 instance hosting
	// containers) and carries that component type's properties.
	KindContainer GroupKind = "container"
	// KindBoundary is a trust boundary.
	KindBoundary GroupKind = "boundary"
)

// GroupKinds lists every valid GroupKind.
var GroupKinds = []GroupKind{KindGroup, KindContainer, KindBoundary}

// Group encloses components and other groups.
type Group struct {
	ID         string       `json:"id"`
	Kind       GroupKind    `json:"kind"`
	Name       string       `json:"name"`
	Type       string       `json:"type,omitempty"` // catalog type id; required for containers
	Parent     string       `json:"parent,omitempty"`
	Position   Point        `json:"position"`
	Size       Size         `json:"size"`
	Properties Properties   `json:"properties,omitempty"`
	Resource   *AWSResource `json:"resource,omitempty"`
}

// Summary is the part of a ThreatModel shown in lists; it omits the diagram.
type Summary struct {
	ID             string    `json:"id"`
	Name           string    `json:"name"`
	Version        string    `json:"version,omitempty"`
	ProjectType    string    `json:"projectType"`
	Priority       Priority  `json:"priority"`
	Facing         Facing    `json:"facing"`
	Labels         []string  `json:"labels,omitempty"`
	Owner          string    `json:"owner,omitempty"`
	CreatedAt      time.Time `json:"createdAt"`
	UpdatedAt      time.Time `json:"updatedAt"`
	Revision       int64     `json:"revision"`
	ComponentCount int       `json:"componentCount"`
	FlowCount      int       `json:"flowCount"`
}

// Summarize returns the list view of m.
func (m *ThreatModel) Summarize() Summary {
	return Summary{
		ID: m.ID, Name: m.Name, Version: m.Version, ProjectType: m.ProjectType,
		Priority: m.Priority, Facing: m.Facing, Labels: append([]string(nil), m.Labels...),
		Owner: m.Owner, CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt, Revision: m.Revision,
		ComponentCount: len(m.Diagram.Components), FlowCount: len(m.Diagram.Flows),
	}
}

// Clone returns a deep copy of m.
func (m *ThreatModel) Clone() *ThreatModel {
	b, err := json.Marshal(m)
	if err != nil {
		panic("model: clone: " + err.Error()) // a ThreatModel always marshals
	}
	var c ThreatModel
	if err := json.Unmarshal(b, &c); err != nil {
		panic("model: clone: " + err.Error())
	}
	return &c
}

// Normalize fills defaults a client may leave out: the schema version, empty
// (not null) diagram arrays, and the default priority and exposure.
func (m *ThreatModel) Normalize() {
	if m.SchemaVersion == 0 {
		m.SchemaVersion = SchemaVersion
	}
	if m.Priority == "" {
		m.Priority = PriorityMedium
	}
	if m.Facing == "" {
		m.Facing = FacingInternal
	}
	if m.ProjectType == "" {
		m.ProjectType = ProjectTypes[0]
	}
	m.Diagram.Normalize()
}

// Normalize turns nil element lists into empty ones so the JSON form always
// has arrays.
func (d *Diagram) Normalize() {
	if d.Components == nil {
		d.Components = []Component{}
	}
	if d.Flows == nil {
		d.Flows = []Flow{}
	}
	if d.Groups == nil {
		d.Groups = []Group{}
	}
}
