package workflow

import (
	"encoding/json"
	"time"

	"github.com/bulwark-tm/bulwark/pkg/model"
)

// The steps of a build, in order.
const (
	StepCollect  = "collect"
	StepBuild    = "build"
	StepAnalyze  = "analyze"
	StepEvaluate = "evaluate"
	StepPersist  = "persist"
)

// StepSpec describes one step for the runners: the in-process one and the
// Step Functions state machine generated from Steps.
type StepSpec struct {
	Name        string        `json:"name"`
	Description string        `json:"description"`
	Timeout     time.Duration `json:"-"`
	// TimeoutSeconds is Timeout for the generated state machine.
	TimeoutSeconds int `json:"timeoutSeconds"`
	// RetryAttempts is how often a failed task is retried (with
	// exponential backoff) for errors other than Invalid and NotFound.
	RetryAttempts int `json:"retryAttempts"`
}

// Steps is the build, in order. infra/workflow_steps.json is generated
// from it (TestDefinitionUpToDate keeps the two equal).
var Steps = []StepSpec{
	{Name: StepCollect, Description: "read the account's AWS Config inventory", Timeout: 5 * time.Minute, RetryAttempts: 3},
	{Name: StepBuild, Description: "draw the VPC's diagram", Timeout: 2 * time.Minute, RetryAttempts: 2},
	{Name: StepAnalyze, Description: "compute threats and requirements", Timeout: 2 * time.Minute, RetryAttempts: 2},
	{Name: StepEvaluate, Description: "evaluate evidence from AWS Config and Security Hub", Timeout: time.Minute, RetryAttempts: 2},
	{Name: StepPersist, Description: "store the threat model and its VPC link", Timeout: time.Minute, RetryAttempts: 3},
}

func init() {
	for i := range Steps {
		Steps[i].TimeoutSeconds = int(Steps[i].Timeout / time.Second)
	}
}

// Definition returns the step list as JSON, the input infra/ generates the
// state machine from.
func Definition() []byte {
	b, err := json.MarshalIndent(map[string]any{"steps": Steps}, "", "  ")
	if err != nil {
		panic(err) // a []StepSpec always marshals
	}
	return append(b, '\n')
}

// Request is what a user asks to build: a VPC and the new model's
// metadata.
type Request struct {
	AccountID string `json:"accountId"`
	Region    string `json:"region"`
	VPC       string `json:"vpcId"`
	// ModelID is the model to create or sync; NewRun picks a fresh id when
	// empty.
	ModelID     string         `json:"modelId,omitempty"`
	Name        string         `json:"name,omitempty"`    // default: the VPC's name
	Version     string         `json:"version,omitempty"` // default: the build date
	Description string         `json:"description,omitempty"`
	Facing      model.Facing   `json:"facing,omitempty"`
	Priority    model.Priority `json:"priority,omitempty"`
	Labels      []string       `json:"labels,omitempty"`
	Owner       string         `json:"owner,omitempty"`
}

// State is what passes from step to step: small references only.
type State struct {
	Tenant  string  `json:"tenant"`
	RunID   string  `json:"runId"`
	Request Request `json:"request"`
	// InventoryRef and ModelRef name blobs the collect and build steps
	// wrote.
	InventoryRef string `json:"inventoryRef,omitempty"`
	ModelRef     string `json:"modelRef,omitempty"`
	Resources    int    `json:"resources,omitempty"`
	// SeenUntil is the newest capture time in the collected inventory.
	SeenUntil    time.Time `json:"seenUntil,omitzero"`
	Components   int       `json:"components,omitempty"`
	Threats      int       `json:"threats,omitempty"`
	Requirements int       `json:"requirements,omitempty"`
	Evidence     string    `json:"evidence,omitempty"`
	// ModelRevision is the stored model's revision after persist.
	ModelRevision int64 `json:"modelRevision,omitempty"`
}

// MaxStateSize bounds an encoded State (Step Functions allows 256 KiB).
const MaxStateSize = 16 << 10
