package workflow

import (
	"encoding/json"
	"time"

	"github.com/bulwark-tm/bulwark/pkg/model"
)

// The modes of a run: a build (Steps), a drift check (CheckSteps) or a
// sync (SyncSteps). Each runs like a build, in-process or on the state
// machine, so the API only starts it and answers 202 with the run.
const (
	ModeBuild = "build"
	ModeCheck = "check"
	ModeSync  = "sync"
)

// The steps of a build, in order, and the one step of a check and of a
// sync.
const (
	StepCheck    = "check"
	StepSync     = "sync"
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

// CheckSteps is a drift check: rebuild the VPC's diagram from its current
// inventory and compare it with the model (Engine.Check).
var CheckSteps = []StepSpec{
	{Name: StepCheck, Description: "compare the threat model with its VPC", Timeout: 5 * time.Minute, RetryAttempts: 2},
}

// SyncSteps is a sync: apply the VPC's current state to the model one way
// (Engine.Sync).
var SyncSteps = []StepSpec{
	{Name: StepSync, Description: "apply the VPC's current state to the threat model", Timeout: 5 * time.Minute, RetryAttempts: 2},
}

// StepsOf returns the steps of a mode ("" is a build).
func StepsOf(mode string) []StepSpec {
	switch mode {
	case ModeCheck:
		return CheckSteps
	case ModeSync:
		return SyncSteps
	}
	return Steps
}

func init() {
	for _, list := range [][]StepSpec{Steps, CheckSteps, SyncSteps} {
		for i := range list {
			list[i].TimeoutSeconds = int(list[i].Timeout / time.Second)
		}
	}
}

// Definition returns the step lists as JSON, the input infra/ generates the
// state machine from: "steps" is the build, "modes" the steps of the other
// modes, which the state machine chooses by the input's "mode".
func Definition() []byte {
	b, err := json.MarshalIndent(map[string]any{"steps": Steps, "modes": map[string][]StepSpec{ModeCheck: CheckSteps, ModeSync: SyncSteps}}, "", "  ")
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
	Tenant string `json:"tenant"`
	RunID  string `json:"runId"`
	// Mode is ModeBuild, ModeCheck or ModeSync; the state machine chooses
	// its branch by it.
	Mode    string  `json:"mode"`
	Request Request `json:"request"`
	// ExpectedRevision is, for a sync, the model revision the user saw
	// (If-Match): a model changed since is not synced.
	ExpectedRevision int64 `json:"expectedRevision,omitempty"`
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
	// Compliance counts the model's requirements by evidence status (the
	// evaluate step).
	Compliance *ComplianceCounts `json:"compliance,omitempty"`
	// SyncStatus and Drift are a check's or a sync's outcome; Applied,
	// Dropped and Reopened count what a sync changed.
	SyncStatus SyncStatus   `json:"syncStatus,omitempty"`
	Drift      *DriftCounts `json:"drift,omitempty"`
	Applied    int          `json:"applied,omitempty"`
	Dropped    int          `json:"dropped,omitempty"`
	Reopened   int          `json:"reopened,omitempty"`
	// ModelRevision is the stored model's revision after persist.
	ModelRevision int64 `json:"modelRevision,omitempty"`
}

// ComplianceCounts counts requirements by evidence status: compliant,
// non-compliant, and not available (no evidence about them).
type ComplianceCounts struct {
	Compliant    int `json:"compliant"`
	NonCompliant int `json:"nonCompliant"`
	NotAvailable int `json:"notAvailable"`
	// Evidence is how many stored observations of the model's accounts
	// were considered.
	Evidence int `json:"evidence"`
}

// MaxStateSize bounds an encoded State (Step Functions allows 256 KiB).
const MaxStateSize = 16 << 10
