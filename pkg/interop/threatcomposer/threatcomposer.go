// Package threatcomposer reads and writes AWS Threat Composer documents
// (schema 1). Threat Composer has no diagram: its threats and mitigations
// become custom entries attached to no element, its assumptions are kept in
// a model property, and an export writes every threat and requirement item
// of Bulwark's analysis, each naming its element.
package threatcomposer

import (
	"github.com/bulwark-tm/bulwark/pkg/interop/internal/convert"
)

// Name is the format's name.
const Name = "threatcomposer"

// Format is Threat Composer for the registry of pkg/interop.
var Format = convert.Format{Name: Name, Description: "AWS Threat Composer JSON (schema 1)", Import: importDocument, Export: exportModel}

// AssumptionsProperty is the model property that keeps a Threat Composer
// document's assumptions (a JSON array of {numericId, content, tags,
// links}); links name the custom entries the assumption is linked to. The
// Threat Composer export writes them back.
const AssumptionsProperty = "threatcomposer.assumptions"

// tcDoc is a Threat Composer document as the export writes it.
type tcDoc struct {
	Schema          int                `json:"schema"`
	ApplicationInfo *tcInfo            `json:"applicationInfo,omitempty"`
	Architecture    *tcInfo            `json:"architecture,omitempty"`
	Dataflow        *tcInfo            `json:"dataflow,omitempty"`
	Assumptions     []tcAssumption     `json:"assumptions"`
	AssumptionLinks []tcAssumptionLink `json:"assumptionLinks"`
	Mitigations     []tcMitigation     `json:"mitigations"`
	MitigationLinks []tcLink           `json:"mitigationLinks"`
	Threats         []tcThreat         `json:"threats"`
}

type tcInfo struct {
	Name        string `json:"name,omitempty"`
	Description string `json:"description,omitempty"`
}

type tcMeta struct {
	Key   string `json:"key"`
	Value any    `json:"value"`
}

type tcMitigation struct {
	ID           string   `json:"id"`
	NumericID    int      `json:"numericId"`
	DisplayOrder int      `json:"displayOrder,omitempty"`
	Content      string   `json:"content"`
	Status       string   `json:"status,omitempty"`
	Tags         []string `json:"tags,omitempty"`
	Metadata     []tcMeta `json:"metadata,omitempty"`
}

type tcLink struct {
	MitigationID string `json:"mitigationId"`
	LinkedID     string `json:"linkedId"`
}

type tcThreat struct {
	ID             string   `json:"id"`
	NumericID      int      `json:"numericId"`
	DisplayOrder   int      `json:"displayOrder,omitempty"`
	Statement      string   `json:"statement,omitempty"`
	ThreatSource   string   `json:"threatSource,omitempty"`
	Prerequisites  string   `json:"prerequisites,omitempty"`
	ThreatAction   string   `json:"threatAction,omitempty"`
	ThreatImpact   string   `json:"threatImpact,omitempty"`
	ImpactedGoal   []string `json:"impactedGoal,omitempty"`
	ImpactedAssets []string `json:"impactedAssets,omitempty"`
	Status         string   `json:"status,omitempty"`
	Tags           []string `json:"tags,omitempty"`
	Metadata       []tcMeta `json:"metadata,omitempty"`
}

// Threat Composer's statuses.
const (
	tcThreatIdentified  = "threatIdentified"
	tcThreatResolved    = "threatResolved"
	tcThreatNotUseful   = "threatResolvedNotUseful"
	tcMitIdentified     = "mitigationIdentified"
	tcMitInProgress     = "mitigationInProgress"
	tcMitResolved       = "mitigationResolved"
	tcMitWillNotAction  = "mitigationResolvedWillNotAction"
	tcMaxContent        = 1000
	tcMetaBulwarkID     = "bulwark:id"
	tcMetaBulwarkTarget = "bulwark:element"
)

// tcAssumption is an assumption of a Threat Composer document.
type tcAssumption struct {
	ID        string   `json:"id"`
	NumericID int      `json:"numericId"`
	Content   string   `json:"content"`
	Tags      []string `json:"tags,omitempty"`
	Metadata  []tcMeta `json:"metadata,omitempty"`
}

// tcAssumptionLink links an assumption to a threat or a mitigation.
type tcAssumptionLink struct {
	Type         string `json:"type"`
	AssumptionID string `json:"assumptionId"`
	LinkedID     string `json:"linkedId"`
}

// keptAssumption is one element of AssumptionsProperty.
type keptAssumption struct {
	NumericID int      `json:"numericId,omitempty"`
	Content   string   `json:"content"`
	Tags      []string `json:"tags,omitempty"`
	Links     []string `json:"links,omitempty"` // "threat/ID" or "mitigation/ID"
}
