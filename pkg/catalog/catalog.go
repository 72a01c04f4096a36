package catalog

import (
	"slices"
	"strings"
	"sync"

	"github.com/bulwark-tm/bulwark/rules"
)

// The STRIDE categories a threat belongs to.
const (
	Spoofing              = "Spoofing"
	Tampering             = "Tampering"
	Repudiation           = "Repudiation"
	InformationDisclosure = "Information Disclosure"
	DenialOfService       = "Denial of Service"
	ElevationOfPrivilege  = "Elevation of Privilege"
)

// Epics lists the security epics requirements are grouped under, in display
// order.
var Epics = []string{"IAM", "Data Protection", "Incident Response", "Resilience", "Infrastructure Security"}

// Severities lists the severities of requirements and threats, highest first.
var Severities = []string{"Critical", "High", "Medium", "Low"}

// ComponentType is a kind of component the editor offers: an AWS service or
// a generic component.
type ComponentType struct {
	ID            string     `yaml:"id" json:"id"`
	Name          string     `yaml:"name" json:"name"`
	Description   string     `yaml:"description" json:"description,omitempty"`
	Category      string     `yaml:"category" json:"category"`
	Icon          string     `yaml:"icon" json:"icon"`
	ResourceTypes []string   `yaml:"resourceTypes" json:"resourceTypes"`
	CanContain    bool       `yaml:"canContain" json:"canContain"`
	DataStore     bool       `yaml:"dataStore" json:"dataStore"`
	External      bool       `yaml:"external" json:"external"`
	Properties    []Property `yaml:"properties" json:"properties"`

	// File is the rules file that defines the type.
	File string `yaml:"-" json:"-"`
}

// AWS reports whether t is an AWS service type (its id starts with "aws.").
func (t *ComponentType) AWS() bool { return strings.HasPrefix(t.ID, "aws.") }

// Property returns the property schema named name, or nil.
func (t *ComponentType) Property(name string) *Property {
	for i := range t.Properties {
		if t.Properties[i].Name == name {
			return &t.Properties[i]
		}
	}
	return nil
}

// Property describes one property a component of a type can carry.
type Property struct {
	Name        string   `yaml:"name" json:"name"`
	Type        string   `yaml:"type" json:"type"` // string, number, boolean, enum or list
	Enum        []string `yaml:"enum" json:"enum,omitempty"`
	Default     any      `yaml:"default" json:"default,omitempty"`
	Description string   `yaml:"description" json:"description"`
	// Label is the property's name for people ("Public IP"); when the rule
	// file leaves it out, DisplayName derives it from Name.
	Label string `yaml:"label" json:"label,omitempty"`
}

// Threat is a threat rule: what can go wrong, and where it applies.
type Threat struct {
	ID          string    `yaml:"id" json:"id"`
	Title       string    `yaml:"title" json:"title"`
	STRIDE      string    `yaml:"stride" json:"stride"`
	Description string    `yaml:"description" json:"description"`
	Likelihood  int       `yaml:"likelihood" json:"likelihood"`
	Impact      int       `yaml:"impact" json:"impact"`
	AppliesTo   AppliesTo `yaml:"appliesTo" json:"appliesTo"`
	CWE         []string  `yaml:"cwe" json:"cwe,omitempty"`
	CAPEC       []string  `yaml:"capec" json:"capec,omitempty"`
	File        string    `yaml:"-" json:"-"`
	mitigations []*Requirement
	index       int
}

// Severity is the threat's risk band from likelihood × impact: Critical
// (20 and more), High (12–19), Medium (6–11) or Low.
func (t *Threat) Severity() string { return RiskSeverity(t.Likelihood, t.Impact) }

// Mitigations returns the requirements that mitigate t, in catalog order.
func (t *Threat) Mitigations() []*Requirement { return t.mitigations }

// Index is t's position in Catalog.Threats.
func (t *Threat) Index() int { return t.index }

// RiskSeverity maps likelihood and impact (1–5 each) to a severity band.
func RiskSeverity(likelihood, impact int) string {
	switch r := likelihood * impact; {
	case r >= 20:
		return "Critical"
	case r >= 12:
		return "High"
	case r >= 6:
		return "Medium"
	default:
		return "Low"
	}
}

// AppliesTo says where a threat applies: to components (and containers) of
// some types whose properties meet every condition in When, or to flows that
// match Flows. Exactly one of Types and Flows is set.
type AppliesTo struct {
	Types []string   `yaml:"types" json:"types,omitempty"`
	When  []string   `yaml:"when" json:"when,omitempty"`
	Flows *FlowMatch `yaml:"flows" json:"flows,omitempty"`
	conds []Condition
}

// Conditions returns the parsed When conditions.
func (a *AppliesTo) Conditions() []Condition { return a.conds }

// FlowMatch selects data flows. Every field that is set must match.
type FlowMatch struct {
	// Protocols lists protocol ids; the flow's protocol must be one of them.
	Protocols []string `yaml:"protocols" json:"protocols,omitempty"`
	// Encrypted matches flows whose protocol is (or is not) encrypted.
	Encrypted *bool `yaml:"encrypted" json:"encrypted,omitempty"`
	// CrossesBoundary matches flows that cross (or stay within) a trust
	// boundary.
	CrossesBoundary *bool `yaml:"crossesBoundary" json:"crossesBoundary,omitempty"`
	// SourceTypes and TargetTypes restrict the component types at the ends.
	SourceTypes []string `yaml:"sourceTypes" json:"sourceTypes,omitempty"`
	TargetTypes []string `yaml:"targetTypes" json:"targetTypes,omitempty"`
	// TargetDataStore matches flows into (or not into) a data store.
	TargetDataStore *bool `yaml:"targetDataStore" json:"targetDataStore,omitempty"`
}

// Requirement is a security requirement: what must be built to mitigate
// threats. It applies wherever one of the threats it mitigates applies.
type Requirement struct {
	ID          string   `yaml:"id" json:"id"`
	Title       string   `yaml:"title" json:"title"`
	Epic        string   `yaml:"epic" json:"epic"`
	Severity    string   `yaml:"severity" json:"severity"`
	Description string   `yaml:"description" json:"description"`
	Mitigates   []string `yaml:"mitigates" json:"mitigates"`
	// For restricts the requirement to components of these types (and to
	// flows into them); empty means wherever a mitigated threat applies.
	For      []string `yaml:"for" json:"for,omitempty"`
	Evidence Evidence `yaml:"evidence" json:"evidence"`
	File     string   `yaml:"-" json:"-"`
	index    int
}

// AppliesToType reports whether r may apply to an element of type typeID
// (For is empty or lists it).
func (r *Requirement) AppliesToType(typeID string) bool {
	return len(r.For) == 0 || slices.Contains(r.For, typeID)
}

// Index is r's position in Catalog.Requirements.
func (r *Requirement) Index() int { return r.index }

// Evidence names the automated checks that show whether a requirement is
// implemented in an AWS account.
type Evidence struct {
	SecurityHub []string `yaml:"securityHub" json:"securityHub,omitempty"` // control ids, e.g. EC2.8
	Config      []string `yaml:"config" json:"config,omitempty"`           // AWS Config managed rule names
	CIS         []string `yaml:"cis" json:"cis,omitempty"`                 // CIS AWS Foundations "version/item"
}

// Empty reports whether e names no check.
func (e Evidence) Empty() bool {
	return len(e.SecurityHub) == 0 && len(e.Config) == 0 && len(e.CIS) == 0
}

// AssistRule says what a component of some types needs in the architecture.
type AssistRule struct {
	ID    string   `yaml:"id" json:"id"`
	For   []string `yaml:"for" json:"for"`
	When  []string `yaml:"when" json:"when,omitempty"`
	Task  string   `yaml:"task" json:"task"`
	Needs Need     `yaml:"needs" json:"needs"`
	Fix   *Fix     `yaml:"fix" json:"fix,omitempty"`
	File  string   `yaml:"-" json:"-"`
	conds []Condition
	prop  []Condition
}

// Conditions returns the parsed When conditions.
func (r *AssistRule) Conditions() []Condition { return r.conds }

// PropertyNeeds returns the parsed Needs.Property conditions.
func (r *AssistRule) PropertyNeeds() []Condition { return r.prop }

// Need is what an Assist rule requires; exactly one field is set.
type Need struct {
	// Inside: the element must be enclosed (at any depth) by a container of
	// one of these types.
	Inside []string `yaml:"inside" json:"inside,omitempty"`
	// Connected: a flow must link the element to a component or container of
	// one of these types.
	Connected *Connection `yaml:"connected" json:"connected,omitempty"`
	// Present: a component or container of one of these types must exist
	// anywhere in the diagram.
	Present []string `yaml:"present" json:"present,omitempty"`
	// Property: the element's properties must meet every condition.
	Property []string `yaml:"property" json:"property,omitempty"`
}

// Connection is a required flow to or from an element.
type Connection struct {
	Types     []string `yaml:"types" json:"types"`
	Direction string   `yaml:"direction" json:"direction,omitempty"` // in, out or any (default)
}

// Fix says how Assist completes a task: place a component, or set
// properties.
type Fix struct {
	// Place is the component type to add.
	Place string `yaml:"place" json:"place,omitempty"`
	// As is how to add it: "parent" (a container enclosing the element),
	// "connected" (linked to the element by a flow) or "anywhere".
	As string `yaml:"as" json:"as,omitempty"`
	// Above lists container types the new parent goes above: when the
	// element sits in one of them, the new container encloses that one.
	Above []string `yaml:"above" json:"above,omitempty"`
	// Protocol and Direction describe the flow for As == "connected";
	// Direction "out" (the default) draws element → new component.
	Protocol  string `yaml:"protocol" json:"protocol,omitempty"`
	Direction string `yaml:"direction" json:"direction,omitempty"`
	// Set holds property values to write on the element.
	Set map[string]any `yaml:"set" json:"set,omitempty"`
}

// Protocol is a network or application protocol a flow can use.
type Protocol struct {
	ID          string   `yaml:"id" json:"id"`
	Name        string   `yaml:"name" json:"name"`
	DefaultPort int      `yaml:"defaultPort" json:"defaultPort,omitempty"`
	Encrypted   bool     `yaml:"encrypted" json:"encrypted"`
	Aliases     []string `yaml:"aliases" json:"aliases,omitempty"`
	Description string   `yaml:"description" json:"description,omitempty"`
	File        string   `yaml:"-" json:"-"`
}

// Catalog is the loaded, checked knowledge base. Its slices are in file
// order (files sorted by path) and must not be modified.
type Catalog struct {
	Types        []*ComponentType
	Threats      []*Threat
	Requirements []*Requirement
	Assist       []*AssistRule
	Protocols    []*Protocol
	Controls     *Controls

	typeByID         map[string]*ComponentType
	typeByResource   map[string]*ComponentType
	threatByID       map[string]*Threat
	reqByID          map[string]*Requirement
	assistByID       map[string]*AssistRule
	protoByName      map[string]*Protocol
	threatsByType    map[string][]*Threat
	flowThreats      []*Threat
	assistByType     map[string][]*AssistRule
	requirementsByTy map[string][]*Requirement
}

// Type returns the component type with id, or nil.
func (c *Catalog) Type(id string) *ComponentType { return c.typeByID[id] }

// TypeForResource returns the component type that represents an AWS
// resource type such as "AWS::EC2::Instance", or nil.
func (c *Catalog) TypeForResource(resourceType string) *ComponentType {
	return c.typeByResource[resourceType]
}

// Threat returns the threat rule with id, or nil.
func (c *Catalog) Threat(id string) *Threat { return c.threatByID[id] }

// Requirement returns the requirement with id, or nil.
func (c *Catalog) Requirement(id string) *Requirement { return c.reqByID[id] }

// AssistRule returns the Assist rule with id, or nil.
func (c *Catalog) AssistRule(id string) *AssistRule { return c.assistByID[id] }

// Protocol returns the protocol whose id or alias is name (case-insensitive),
// or nil.
func (c *Catalog) Protocol(name string) *Protocol {
	return c.protoByName[strings.ToLower(strings.TrimSpace(name))]
}

// ThreatsFor returns the threat rules that may apply to components of type
// typeID (before property conditions are checked), in catalog order.
func (c *Catalog) ThreatsFor(typeID string) []*Threat { return c.threatsByType[typeID] }

// FlowThreats returns the threat rules that apply to flows.
func (c *Catalog) FlowThreats() []*Threat { return c.flowThreats }

// AssistFor returns the Assist rules for components of type typeID.
func (c *Catalog) AssistFor(typeID string) []*AssistRule { return c.assistByType[typeID] }

// RequirementsFor returns the requirements that may apply to components of
// type typeID: those mitigating one of ThreatsFor(typeID), in catalog order.
func (c *Catalog) RequirementsFor(typeID string) []*Requirement {
	return c.requirementsByTy[typeID]
}

var defaultCatalog = sync.OnceValues(func() (*Catalog, error) { return Load(rules.FS) })

// Default returns the catalog embedded in the binary (package rules). It is
// loaded and checked on the first call; later calls return the same value.
func Default() (*Catalog, error) { return defaultCatalog() }
