// Package otm reads and writes Open Threat Model documents (OTM 0.2.0,
// JSON or YAML). Trust zones become boundaries, components components (or
// groups, when other components name them as their parent), dataflows
// flows; threat and mitigation instances on catalog items become item
// statuses, the others custom entries. The component type names of OTM
// producers (StartLeft, IriusRisk) map to catalog types (types.go). An
// export keeps what OTM has no field for in "bulwark:" attributes, so that
// a round trip is exact.
package otm

import (
	"encoding/json"

	"github.com/bulwark-tm/bulwark/pkg/interop/internal/convert"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// Name is the format's name.
const Name = "otm"

// Version is the Open Threat Model version this package writes.
const Version = "0.2.0"

// Format is OTM for the registry of pkg/interop.
var Format = convert.Format{Name: Name, Description: "Open Threat Model 0.2.0 (JSON or YAML)", Import: importDocument, Export: exportModel}

// Attribute keys under which an OTM export keeps what OTM has no field for,
// so that a Bulwark → OTM → Bulwark round trip is exact.
const (
	attrKind       = "bulwark:kind"       // "group" or "container" for groups exported as components
	attrType       = "bulwark:type"       // catalog type id
	attrProperties = "bulwark:properties" // element properties (object)
	attrResource   = "bulwark:resource"   // AWS resource (object)
	attrProtocol   = "bulwark:protocol"
	attrPort       = "bulwark:port"
	attrLabel      = "bulwark:label"
	attrSynthetic  = "bulwark:synthetic" // the trust zone OTM needs for elements outside every boundary
	attrCustom     = "bulwark:custom"    // threat or mitigation from a custom entry
	attrStatus     = "bulwark:status"    // status of a custom entry attached to no element
	attrModel      = "bulwark:model"     // model metadata (object)
	otmDiagram     = "bulwark-diagram"
	otmDefaultZone = "bulwark-default-zone"
)

type otmDoc struct {
	OTMVersion      string              `json:"otmVersion"`
	Project         otmProject          `json:"project"`
	Representations []otmRepresentation `json:"representations,omitempty"`
	TrustZones      []otmTrustZone      `json:"trustZones,omitempty"`
	Components      []otmComponent      `json:"components,omitempty"`
	Dataflows       []otmDataflow       `json:"dataflows,omitempty"`
	Assets          []json.RawMessage   `json:"assets,omitempty"`
	Threats         []otmThreat         `json:"threats,omitempty"`
	Mitigations     []otmMitigation     `json:"mitigations,omitempty"`
}

type otmProject struct {
	Name        string         `json:"name"`
	ID          string         `json:"id"`
	Description string         `json:"description,omitempty"`
	Owner       string         `json:"owner,omitempty"`
	Tags        []string       `json:"tags,omitempty"`
	Attributes  map[string]any `json:"attributes,omitempty"`
}

type otmRepresentation struct {
	Name string `json:"name"`
	ID   string `json:"id"`
	Type string `json:"type"`
}

type otmParent struct {
	TrustZone string `json:"trustZone,omitempty"`
	Component string `json:"component,omitempty"`
}

type otmElementRep struct {
	Representation string       `json:"representation"`
	ID             string       `json:"id"`
	Position       *model.Point `json:"position,omitempty"`
	Size           *model.Size  `json:"size,omitempty"`
}

type otmTrustZone struct {
	ID              string          `json:"id"`
	Name            string          `json:"name"`
	Description     string          `json:"description,omitempty"`
	Risk            otmTrustRisk    `json:"risk"`
	Parent          *otmParent      `json:"parent,omitempty"`
	Representations []otmElementRep `json:"representations,omitempty"`
	Attributes      map[string]any  `json:"attributes,omitempty"`
}

type otmTrustRisk struct {
	TrustRating float64 `json:"trustRating"`
}

type otmComponent struct {
	ID              string              `json:"id"`
	Name            string              `json:"name"`
	Type            string              `json:"type"`
	Description     string              `json:"description,omitempty"`
	Parent          otmParent           `json:"parent"`
	Tags            []string            `json:"tags,omitempty"`
	Representations []otmElementRep     `json:"representations,omitempty"`
	Threats         []otmThreatInstance `json:"threats,omitempty"`
	Attributes      map[string]any      `json:"attributes,omitempty"`
}

type otmThreatInstance struct {
	Threat      string                  `json:"threat"`
	State       string                  `json:"state"`
	Mitigations []otmMitigationInstance `json:"mitigations,omitempty"`
}

type otmMitigationInstance struct {
	Mitigation string `json:"mitigation"`
	State      string `json:"state"`
}

type otmDataflow struct {
	ID            string              `json:"id"`
	Name          string              `json:"name"`
	Description   string              `json:"description,omitempty"`
	Bidirectional bool                `json:"bidirectional,omitempty"`
	Source        string              `json:"source"`
	Destination   string              `json:"destination"`
	Tags          []string            `json:"tags,omitempty"`
	Threats       []otmThreatInstance `json:"threats,omitempty"`
	Attributes    map[string]any      `json:"attributes,omitempty"`
}

type otmThreat struct {
	ID          string         `json:"id"`
	Name        string         `json:"name"`
	Description string         `json:"description,omitempty"`
	Categories  []string       `json:"categories"`
	CWEs        []string       `json:"cwes,omitempty"`
	Risk        otmRisk        `json:"risk"`
	Attributes  map[string]any `json:"attributes,omitempty"`
}

type otmRisk struct {
	Likelihood float64 `json:"likelihood"`
	Impact     float64 `json:"impact"`
}

type otmMitigation struct {
	ID            string         `json:"id"`
	Name          string         `json:"name"`
	Description   string         `json:"description,omitempty"`
	RiskReduction float64        `json:"riskReduction"`
	Attributes    map[string]any `json:"attributes,omitempty"`
}
