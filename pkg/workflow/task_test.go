package workflow_test

import (
	"context"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/workflow"
	"github.com/bulwark-tm/bulwark/pkg/workflow/workflowtest"
)

// newTaskEngine returns an engine over a bolt store in t.TempDir() whose
// tenant "acme" registered the demo organization's accounts.
func newTaskEngine(t *testing.T) *workflow.Engine {
	t.Helper()
	return workflowtest.New(t).Engine
}

// errorType returns the error name the task reports to Step Functions
// (app.VPCBuildHandler reports it as the Lambda error's type), "" for none.
func errorType(err error) string {
	if err == nil {
		return ""
	}
	return workflow.ErrorName(err)
}

// TestBuildThroughTasks runs a build as the state machine does, one task
// per step, with a replayed step in the middle.
func TestBuildThroughTasks(t *testing.T) {
	eng := newTaskEngine(t)
	ctx := context.Background()
	run, st, err := eng.NewRun(ctx, "acme", workflow.Request{AccountID: "111111111111", Region: "eu-west-1", VPC: "vpc-0cb55edf9b476c102"})
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range workflow.Steps {
		in := st
		if st, err = eng.RunTask(ctx, workflow.TaskInput{Step: s.Name, State: in}); err != nil {
			t.Fatalf("step %s: %v", s.Name, err)
		}
		if i == 1 { // a retried task returns the recorded output
			again, err := eng.RunTask(ctx, workflow.TaskInput{Step: s.Name, State: in})
			if err != nil || again.ModelRef != st.ModelRef || again.Components != st.Components {
				t.Fatalf("replayed step %s: %+v %v, want %+v", s.Name, again, err, st)
			}
		}
	}
	got, err := eng.Run(ctx, "acme", run.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != workflow.StatusSucceeded || st.ModelRevision != 1 {
		t.Fatalf("run %s: status %s, final state %+v", run.ID, got.Status, st)
	}
	for _, s := range got.Steps {
		if s.Attempts != 1 {
			t.Errorf("step %s ran %d times", s.Name, s.Attempts)
		}
	}
}

func TestTaskErrors(t *testing.T) {
	eng := newTaskEngine(t)
	ctx := context.Background()
	_, st, err := eng.NewRun(ctx, "acme", workflow.Request{AccountID: "111111111111", Region: "eu-west-1", VPC: "vpc-0cb55edf9b476c102"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		in   workflow.TaskInput
		want string // error name, "" for success
	}{
		{"unknown step", workflow.TaskInput{Step: "deploy", State: st}, "Bulwark.Invalid"},
		{"no tenant", workflow.TaskInput{Step: workflow.StepCollect, State: workflow.State{RunID: st.RunID}}, "Bulwark.Invalid"},
		{"unknown run", workflow.TaskInput{Step: workflow.StepCollect, State: workflow.State{Tenant: "acme", RunID: "run-missing"}}, "Bulwark.NotFound"},
		{"build before collect", workflow.TaskInput{Step: workflow.StepBuild, State: st}, "Bulwark.Invalid"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := eng.RunTask(ctx, tc.in)
			if got := errorType(err); got != tc.want {
				t.Errorf("error %v named %q, want %q", err, got, tc.want)
			}
		})
	}
}

// TestFailTask: the Catch's task records the caught error in the run, and
// calling it again changes nothing.
func TestFailTask(t *testing.T) {
	eng := newTaskEngine(t)
	ctx := context.Background()
	run, st, err := eng.NewRun(ctx, "acme", workflow.Request{AccountID: "111111111111", Region: "eu-west-1", VPC: "vpc-0cb55edf9b476c102"})
	if err != nil {
		t.Fatal(err)
	}
	caught := &workflow.TaskError{Error: "States.Timeout", Cause: "Task timed out after 330.00 seconds"}
	for range 2 {
		if _, err := eng.RunTask(ctx, workflow.TaskInput{Step: workflow.StepFail, State: st, Error: caught}); err != nil {
			t.Fatalf("fail task: %v", err)
		}
	}
	got, err := eng.Run(ctx, "acme", run.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != workflow.StatusFailed || got.Error != "States.Timeout: Task timed out after 330.00 seconds" {
		t.Errorf("run after fail: status %s, error %q", got.Status, got.Error)
	}
}

func TestFailureReason(t *testing.T) {
	tests := []struct {
		name string
		in   *workflow.TaskError
		want string
	}{
		{"lambda error", &workflow.TaskError{Error: "Bulwark.Forbidden", Cause: `{"errorMessage":"assume role: access denied","errorType":"Bulwark.Forbidden"}`}, "assume role: access denied"},
		{"states error", &workflow.TaskError{Error: "States.Timeout", Cause: "timed out"}, "States.Timeout: timed out"},
		{"no cause", &workflow.TaskError{Error: "States.Runtime"}, "States.Runtime"},
		{"nothing caught", nil, "the build failed outside its steps"},
	}
	for _, tc := range tests {
		if got := workflow.FailureReason(tc.in); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
