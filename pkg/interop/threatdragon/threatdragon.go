// Package threatdragon reads and writes OWASP Threat Dragon documents: v1
// models and every v2 shape on import, version 2.2.0 on export. Diagram
// cells become components, boundaries and flows; threats on catalog
// elements become item statuses, others custom entries. An export keeps
// what Threat Dragon has no field for in each cell's data.bulwark, which
// Threat Dragon saves back, so that a round trip is exact.
package threatdragon

import (
	"regexp"

	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/interop/internal/convert"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// Name is the format's name.
const Name = "threatdragon"

// Version is the Threat Dragon document version this package writes.
const Version = "2.2.0"

// Format is Threat Dragon for the registry of pkg/interop.
var Format = convert.Format{Name: Name, Description: "OWASP Threat Dragon JSON (v1 and v2)", Import: importDocument, Export: exportModel}

// tdDoc is a Threat Dragon document as the export writes it.
type tdDoc struct {
	Version string    `json:"version"`
	Summary tdSummary `json:"summary"`
	Detail  tdDetail  `json:"detail"`
}

type tdSummary struct {
	Title       string `json:"title"`
	Owner       string `json:"owner"`
	Description string `json:"description"`
	ID          int    `json:"id"`
}

type tdDetail struct {
	Contributors []tdContributor `json:"contributors"`
	Diagrams     []tdDiagram     `json:"diagrams"`
	DiagramTop   int             `json:"diagramTop"`
	Reviewer     string          `json:"reviewer"`
	ThreatTop    int             `json:"threatTop"`
}

type tdContributor struct {
	Name string `json:"name"`
}

type tdDiagram struct {
	ID          int      `json:"id"`
	Title       string   `json:"title"`
	DiagramType string   `json:"diagramType"`
	Placeholder string   `json:"placeholder"`
	Thumbnail   string   `json:"thumbnail"`
	Version     string   `json:"version"`
	Cells       []tdCell `json:"cells"`
}

type tdCell struct {
	ID       string       `json:"id"`
	Shape    string       `json:"shape"`
	ZIndex   int          `json:"zIndex"`
	Position *model.Point `json:"position,omitempty"`
	Size     *model.Size  `json:"size,omitempty"`
	Source   *tdEnd       `json:"source,omitempty"`
	Target   *tdEnd       `json:"target,omitempty"`
	Vertices []any        `json:"vertices,omitempty"`
	Labels   []string     `json:"labels,omitempty"`
	Data     tdData       `json:"data"`
}

type tdEnd struct {
	Cell string `json:"cell"`
}

type tdData struct {
	Type             string     `json:"type"`
	Name             string     `json:"name"`
	Description      string     `json:"description"`
	OutOfScope       bool       `json:"outOfScope"`
	ReasonOutOfScope string     `json:"reasonOutOfScope"`
	HasOpenThreats   bool       `json:"hasOpenThreats"`
	IsTrustBoundary  bool       `json:"isTrustBoundary,omitempty"`
	Protocol         string     `json:"protocol,omitempty"`
	IsEncrypted      bool       `json:"isEncrypted,omitempty"`
	IsPublicNetwork  bool       `json:"isPublicNetwork,omitempty"`
	IsBidirectional  bool       `json:"isBidirectional,omitempty"`
	Threats          []tdThreat `json:"threats,omitempty"`
	// Bulwark keeps what Threat Dragon has no field for; Threat Dragon
	// ignores it and saves it back.
	Bulwark *tdBulwark `json:"bulwark,omitempty"`
}

type tdBulwark struct {
	Kind       string             `json:"kind,omitempty"`
	Type       string             `json:"type,omitempty"`
	Parent     string             `json:"parent,omitempty"`
	Properties model.Properties   `json:"properties,omitempty"`
	Resource   *model.AWSResource `json:"resource,omitempty"`
	Protocol   string             `json:"protocol,omitempty"`
	Port       int                `json:"port,omitempty"`
	Label      string             `json:"label,omitempty"`
}

type tdThreat struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Status      string `json:"status"`
	Severity    string `json:"severity"`
	Type        string `json:"type"`
	Description string `json:"description"`
	Mitigation  string `json:"mitigation"`
	ModelType   string `json:"modelType"`
	New         bool   `json:"new"`
	Number      int    `json:"number"`
	Score       string `json:"score"`
}

// Threat Dragon's shapes and their data types.
var tdTypes = map[string]string{
	"actor": "tm.Actor", "process": "tm.Process", "store": "tm.Store", "flow": "tm.Flow",
	"trust-boundary-box": "tm.BoundaryBox", "trust-boundary-curve": "tm.Boundary", "td-text-block": "tm.Text",
}

// tdStride is Threat Dragon's spelling of the STRIDE categories.
var tdStride = map[string]string{
	catalog.Spoofing: "Spoofing", catalog.Tampering: "Tampering", catalog.Repudiation: "Repudiation",
	catalog.InformationDisclosure: "Information disclosure", catalog.DenialOfService: "Denial of service",
	catalog.ElevationOfPrivilege: "Elevation of privilege",
}

// The mitigation text of an exported catalog threat lists the mitigating
// requirements with their statuses, then the exact status and the notes
// when Threat Dragon cannot hold them; the importer reads them back.
var (
	tdReqLine    = regexp.MustCompile(`(?m)^- \[([A-Za-z ]+)\] .* \(([a-z0-9][a-z0-9.-]*)\)$`)
	tdStatusLine = regexp.MustCompile(`(?m)^Bulwark status: (.+)$`)
	tdNotesMark  = "\nNotes:\n"
)
