package workflow

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/store"
)

// Store collections of the workflow.
const (
	KindRun  = store.KindWorkflowRun
	KindBlob = store.KindWorkflowBlob
	KindLink = store.KindVPCLink
)

// Statuses of a run and of its steps.
const (
	StatusPending   = "pending"
	StatusRunning   = "running"
	StatusSucceeded = "succeeded"
	StatusFailed    = "failed"
	StatusSkipped   = "skipped"
)

// Run is one build: its request, the status of each step, timings and
// errors. The UI polls it while the build runs.
type Run struct {
	ID     string `json:"id"`
	Tenant string `json:"-"`
	// Mode is ModeBuild, ModeCheck or ModeSync.
	Mode      string    `json:"mode"`
	ModelID   string    `json:"modelId"`
	Request   Request   `json:"request"`
	Status    string    `json:"status"`
	Steps     []StepRun `json:"steps"`
	Error     string    `json:"error,omitempty"`
	CreatedAt time.Time `json:"createdAt"`
	EndedAt   time.Time `json:"endedAt,omitzero"`
	Revision  int64     `json:"revision"`
	UpdatedAt time.Time `json:"updatedAt"`
}

// StepRun is one step of a run.
type StepRun struct {
	Name       string    `json:"name"`
	Status     string    `json:"status"`
	Attempts   int       `json:"attempts"`
	StartedAt  time.Time `json:"startedAt,omitzero"`
	EndedAt    time.Time `json:"endedAt,omitzero"`
	DurationMS int64     `json:"durationMs"`
	Error      string    `json:"error,omitempty"`
	// Output is the State the step returned, replayed on a retry.
	Output *State `json:"output,omitempty"`
}

func newRunID() string { return "run-" + strings.ToLower(rand.Text()[:20]) }

// runs reads and writes run records with optimistic concurrency.
type runs struct{ st store.Store }

func (r runs) get(ctx context.Context, tenant, id string) (*Run, error) {
	rec, err := r.st.Get(ctx, tenant, KindRun, id)
	if err != nil {
		return nil, fmt.Errorf("get run %s: %w", id, err)
	}
	var run Run
	if err := json.Unmarshal(rec.Body, &run); err != nil {
		return nil, fmt.Errorf("decode run %s: %w", id, err)
	}
	run.Tenant, run.Revision, run.UpdatedAt = tenant, rec.Revision, rec.UpdatedAt
	return &run, nil
}

func (r runs) record(run *Run) (*store.Record, error) {
	body, err := json.Marshal(run)
	if err != nil {
		return nil, fmt.Errorf("encode run %s: %w", run.ID, err)
	}
	sum, _ := json.Marshal(map[string]string{"status": run.Status, "modelId": run.ModelID})
	return &store.Record{Tenant: run.Tenant, Kind: KindRun, ID: run.ID, Body: body, Summary: sum}, nil
}

func (r runs) create(ctx context.Context, run *Run) error {
	rec, err := r.record(run)
	if err != nil {
		return err
	}
	if err := r.st.Create(ctx, rec); err != nil {
		return fmt.Errorf("create run %s: %w", run.ID, err)
	}
	run.Revision = rec.Revision
	return nil
}

// update applies change to the stored run, retrying on concurrent writers.
func (r runs) update(ctx context.Context, tenant, id string, change func(*Run)) (*Run, error) {
	for range 10 {
		run, err := r.get(ctx, tenant, id)
		if err != nil {
			return nil, err
		}
		change(run)
		rec, err := r.record(run)
		if err != nil {
			return nil, err
		}
		err = r.st.Update(ctx, rec, run.Revision)
		if errs.Is(err, errs.Conflict) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("update run %s: %w", id, err)
		}
		run.Revision = rec.Revision
		return run, nil
	}
	return nil, errs.E(errs.Unavailable, "run %s: too many concurrent writers", id)
}

func (run *Run) step(name string) *StepRun {
	for i := range run.Steps {
		if run.Steps[i].Name == name {
			return &run.Steps[i]
		}
	}
	return nil
}
