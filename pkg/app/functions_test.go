package app

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda/messages"

	"github.com/bulwark-tm/bulwark/pkg/accounts"
	"github.com/bulwark-tm/bulwark/pkg/compliance"
	"github.com/bulwark-tm/bulwark/pkg/workflow"
)

// newTestLambda returns the Lambda a function starts from, configured by
// env over a bolt store in t.TempDir(), logging to a buffer.
func newTestLambda(t *testing.T, env map[string]string) (*Lambda, *bytes.Buffer) {
	t.Helper()
	all := map[string]string{"BULWARK_STORE": "bolt://" + filepath.Join(t.TempDir(), "l.db")}
	for k, v := range env {
		all[k] = v
	}
	var logs bytes.Buffer
	l, err := NewLambda(context.Background(), func(k string) string { return all[k] }, &logs)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Store.Close() })
	return l, &logs
}

// accelEnv turns the Accelerator on over the demo organization's AWS
// Config files, whose accounts are registered for the local tenant.
var accelEnv = map[string]string{"BULWARK_ACCELERATOR_SOURCE": "files", "BULWARK_ACCELERATOR_DATA": filepath.Join("..", "..", "events", "demo", "aws")}

// newDemoRun stores a pending build of the demo VPC of account
// 111111111111 for the local tenant, with an engine of its own on l's
// store, and returns it with the State of its first step.
func newDemoRun(t *testing.T, l *Lambda) (*workflow.Engine, *workflow.Run, workflow.State) {
	t.Helper()
	eng, err := l.Config.Engine(context.Background(), l.Store, l.Catalog, l.Logger)
	if err != nil {
		t.Fatal(err)
	}
	run, st, err := eng.NewRun(context.Background(), "local", workflow.Request{AccountID: "111111111111", Region: "eu-west-1", VPC: "vpc-0cb55edf9b476c102"})
	if err != nil {
		t.Fatal(err)
	}
	return eng, run, st
}

// buildDemoVPC builds a model of the demo VPC (newDemoRun) and returns its id.
func buildDemoVPC(t *testing.T, l *Lambda) string {
	t.Helper()
	eng, run, st := newDemoRun(t, l)
	if _, err := eng.RunAll(context.Background(), st); err != nil {
		t.Fatal(err)
	}
	return run.ModelID
}

func readEvent(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "events", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestFindingsHandler: the findings function's handler stores an event's
// evidence in the Lambda's store for the tenant that registered and
// verified the account, and drops an event it cannot read.
func TestFindingsHandler(t *testing.T) {
	ctx := context.Background()
	l, logs := newTestLambda(t, nil)
	reg := &accounts.Registry{Store: l.Store}
	if err := reg.Register(ctx, "acme", &accounts.Account{ID: "111111111111", Name: "Shop", Access: accounts.AccessRole}); err != nil {
		t.Fatal(err)
	}
	if _, err := reg.Verify(ctx, "acme", "111111111111", accounts.AllowList{"acme": {"111111111111"}}); err != nil {
		t.Fatal(err)
	}
	h := FindingsHandler(l)

	out, err := h(ctx, readEvent(t, "aws/securityhub/consolidated-ec2-8-failed.json"))
	if err != nil || out.Dropped != "" || out.Stored["acme"] != (compliance.Tally{Created: 1}) {
		t.Fatalf("a failed control: %+v %v", out, err)
	}
	if evs, err := (compliance.Repo{Store: l.Store}).ForAccounts(ctx, "acme", []string{"111111111111"}); err != nil || len(evs) != 1 {
		t.Errorf("acme holds %d evidence (%v), want 1", len(evs), err)
	}
	out, err = h(ctx, []byte(`{"detail-type": "Security Hub Findings - Imported", "detail": {`))
	if err != nil || out.Dropped == "" {
		t.Errorf("malformed JSON: %+v %v, want dropped", out, err)
	}
	if !bytes.Contains(logs.Bytes(), []byte(`"msg":"evidence event dropped"`)) {
		t.Errorf("the drop is not logged with the Lambda's logger: %s", logs)
	}
}

// TestConfigEventsHandler: the configevents function's handler marks the
// model built from the changed VPC, found in the Lambda's store, for the
// tenant that registered the account; without the Accelerator the
// function does not start.
func TestConfigEventsHandler(t *testing.T) {
	ctx := context.Background()
	off, _ := newTestLambda(t, nil)
	if _, err := ConfigEventsHandler(ctx, off); err == nil {
		t.Error("a handler without the Accelerator")
	}
	l, _ := newTestLambda(t, accelEnv)
	modelID := buildDemoVPC(t, l)
	h, err := ConfigEventsHandler(ctx, l)
	if err != nil {
		t.Fatal(err)
	}
	out, err := h(ctx, readEvent(t, "aws/config/instance-created.json"))
	if err != nil || out.Dropped != "" || len(out.Result.Marked) != 1 || out.Result.Marked[0] != (workflow.Marked{Tenant: "local", ModelID: modelID}) {
		t.Fatalf("a new instance: %+v %v", out, err)
	}
	if out, err := h(ctx, readEvent(t, "aws/config/rule-compliance-change.json")); err != nil || out.Dropped == "" {
		t.Errorf("an event without a configuration item: %+v %v, want dropped", out, err)
	}
}

// TestVPCBuildHandler: the vpcbuild function's handler runs a step of a
// run in the Lambda's store; a failed task's error is a Lambda error typed
// with its workflow.ErrorName, which the state machine's Retry and Catch
// match; a step that succeeds returns no error at all (not a typed nil).
func TestVPCBuildHandler(t *testing.T) {
	ctx := context.Background()
	off, _ := newTestLambda(t, nil)
	if _, err := VPCBuildHandler(ctx, off); err == nil {
		t.Error("a handler without the Accelerator")
	}
	l, _ := newTestLambda(t, accelEnv)
	_, run, st := newDemoRun(t, l)
	h, err := VPCBuildHandler(ctx, l)
	if err != nil {
		t.Fatal(err)
	}
	out, err := h(ctx, workflow.TaskInput{Step: workflow.StepCollect, State: st})
	if err != nil || out.RunID != run.ID {
		t.Fatalf("collect: %+v %v", out, err)
	}
	for _, tc := range []struct {
		name string
		in   workflow.TaskInput
		want string
	}{
		{"unknown step", workflow.TaskInput{Step: "deploy", State: st}, "Bulwark.Invalid"},
		{"unknown run", workflow.TaskInput{Step: workflow.StepCollect, State: workflow.State{Tenant: "local", RunID: "run-missing"}}, "Bulwark.NotFound"},
	} {
		_, err := h(ctx, tc.in)
		e, ok := err.(messages.InvokeResponse_Error)
		if !ok || e.Type != tc.want || e.Message == "" {
			t.Errorf("%s: error %#v, want a Lambda error of type %s", tc.name, err, tc.want)
		}
	}
}

// TestDriftHandler: the drift function's handler checks the models in the
// Lambda's store and, with the Jira integration on (beside a bolt store),
// pulls the Jira issues of every tenant; a Jira integration that cannot
// be opened, or no Accelerator, stops the function's start.
func TestDriftHandler(t *testing.T) {
	ctx := context.Background()
	t.Setenv("BULWARK_SECRETS_KEY_FILE", filepath.Join(t.TempDir(), "secrets.key"))
	off, _ := newTestLambda(t, nil)
	if _, err := DriftHandler(ctx, off); err == nil {
		t.Error("a handler without the Accelerator")
	}
	badSecrets, _ := newTestLambda(t, map[string]string{"BULWARK_ACCELERATOR_SOURCE": "files", "BULWARK_ACCELERATOR_DATA": accelEnv["BULWARK_ACCELERATOR_DATA"], "BULWARK_SECRETS": "ftp://secrets"})
	if _, err := DriftHandler(ctx, badSecrets); err == nil || !strings.Contains(err.Error(), "jira integration") {
		t.Errorf("an unknown secret store: %v", err)
	}
	l, _ := newTestLambda(t, accelEnv)
	buildDemoVPC(t, l)
	h, err := DriftHandler(ctx, l)
	if err != nil {
		t.Fatal(err)
	}
	scheduled := []byte(`{"version":"0","id":"a1b2","detail-type":"Scheduled Event","source":"aws.events","account":"111111111111","time":"2026-10-02T09:15:00Z","region":"eu-west-1","resources":["arn:aws:events:eu-west-1:111111111111:rule/drift"],"detail":{}}`)
	res, err := h(ctx, scheduled)
	if err != nil || res.Drift != (workflow.CheckSummary{Tenants: 1, Models: 1, InSync: 1}) || res.JiraTenants != 1 || res.JiraFailed != 0 {
		t.Errorf("scheduled run: %+v %v", res, err)
	}
}

// TestJiraWebhookHandler: the jirawebhook function's handler answers API
// Gateway events for the webhook route alone: a delivery for an instance
// the tenant does not have is refused (401), any other route is a
// problem+json 404. Without a secret store the function does not start.
func TestJiraWebhookHandler(t *testing.T) {
	ctx := context.Background()
	t.Setenv("BULWARK_SECRETS_KEY_FILE", filepath.Join(t.TempDir(), "secrets.key"))
	l, _ := newTestLambda(t, nil)
	noSecrets := *l
	noSecrets.Config.Store = "dynamodb://bulwark"
	if _, err := JiraWebhookHandler(ctx, &noSecrets); err == nil || !strings.Contains(err.Error(), "BULWARK_SECRETS") {
		t.Errorf("without a secret store: %v", err)
	}
	h, err := JiraWebhookHandler(ctx, l)
	if err != nil {
		t.Fatal(err)
	}
	request := func(method, path, body string) events.APIGatewayV2HTTPRequest {
		var rq events.APIGatewayV2HTTPRequest
		rq.RawPath, rq.Body = path, body
		rq.RequestContext.HTTP.Method, rq.RequestContext.HTTP.Path = method, path
		rq.Headers = map[string]string{"content-type": "application/json", "x-hub-signature": "sha256=00"}
		return rq
	}
	for _, tc := range []struct {
		name         string
		method, path string
		want         int
	}{
		{"a delivery for an unknown instance", "POST", "/api/v1/webhooks/jira/acme/ji-nope", 401},
		{"another route", "GET", "/api/v1/models", 404},
	} {
		resp, err := h(ctx, request(tc.method, tc.path, string(readEvent(t, "jira/issue_updated_done.json"))))
		if err != nil || resp.StatusCode != tc.want || !strings.Contains(resp.Headers["Content-Type"], "problem+json") {
			t.Errorf("%s: %d %v %s, want a %d problem", tc.name, resp.StatusCode, resp.Headers, err, tc.want)
		}
	}
}
