package sfn

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssfn "github.com/aws/aws-sdk-go-v2/service/sfn"

	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/workflow"
)

const testStateMachine = "arn:aws:states:eu-west-1:111111111111:stateMachine:BulwarkVpcBuild"

// fakeSFN speaks the Step Functions JSON protocol (AWS JSON 1.0) for
// StartExecution: it records each request and answers like the service,
// including ExecutionAlreadyExists for a name it saw with another input.
type fakeSFN struct {
	mu       sync.Mutex
	requests []map[string]string
	inputs   map[string]string // execution name → input
	fail     string            // when set, every call fails with this error code
}

func (f *fakeSFN) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	w.Header().Set("Content-Type", "application/x-amz-json-1.0")
	if got := r.Header.Get("X-Amz-Target"); got != "AWSStepFunctions.StartExecution" || r.Method != http.MethodPost {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `{"__type":"UnknownOperationException","message":"%s %s"}`, r.Method, got)
		return
	}
	body, _ := io.ReadAll(r.Body)
	var req map[string]string
	if err := json.Unmarshal(body, &req); err != nil {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `{"__type":"SerializationException","message":%q}`, err.Error())
		return
	}
	f.requests = append(f.requests, req)
	if f.fail != "" {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `{"__type":"%s","message":"injected"}`, f.fail)
		return
	}
	name := req["name"]
	if old, ok := f.inputs[name]; ok && old != req["input"] {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `{"__type":"ExecutionAlreadyExists","message":"Execution Already Exists: '%s'"}`, name)
		return
	}
	f.inputs[name] = req["input"]
	fmt.Fprintf(w, `{"executionArn":"arn:aws:states:eu-west-1:111111111111:execution:BulwarkVpcBuild:%s","startDate":1.7e9}`, name)
}

func newStarter(t *testing.T, f *fakeSFN) *Starter {
	t.Helper()
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	client := awssfn.New(awssfn.Options{
		Region:           "eu-west-1",
		BaseEndpoint:     aws.String(srv.URL),
		Credentials:      aws.AnonymousCredentials{},
		RetryMaxAttempts: 1,
	})
	return &Starter{Client: client, StateMachineARN: testStateMachine}
}

func TestStarter(t *testing.T) {
	st := workflow.State{Tenant: "acme", RunID: "run-abcdefghij0123456789",
		Request: workflow.Request{AccountID: "111111111111", Region: "eu-west-1", VPC: "vpc-0cb55edf9b476c102", ModelID: "tm-1"}}
	tests := []struct {
		name     string
		fail     string
		state    workflow.State
		starts   int // Start calls
		wantKind errs.Kind
		wantErr  bool
		wantReqs int
	}{
		{name: "started", state: st, starts: 1, wantReqs: 1},
		{name: "a retried start is idempotent", state: st, starts: 3, wantReqs: 3},
		{name: "access denied", fail: "AccessDeniedException", state: st, starts: 1, wantErr: true, wantKind: errs.Forbidden, wantReqs: 1},
		{name: "missing state machine", fail: "StateMachineDoesNotExist", state: st, starts: 1, wantErr: true, wantKind: errs.NotFound, wantReqs: 1},
		{name: "throttled", fail: "ThrottlingException", state: st, starts: 1, wantErr: true, wantKind: errs.Unavailable, wantReqs: 1},
		{name: "bad run id", state: workflow.State{Tenant: "acme", RunID: "run/../x"}, starts: 1, wantErr: true, wantKind: errs.Invalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := &fakeSFN{inputs: map[string]string{}, fail: tc.fail}
			s := newStarter(t, f)
			var err error
			for range tc.starts {
				if err = s.Start(context.Background(), tc.state); err != nil {
					break
				}
			}
			if tc.wantErr {
				if err == nil || errs.KindOf(err) != tc.wantKind {
					t.Fatalf("Start: err = %v (kind %v), want kind %v", err, errs.KindOf(err), tc.wantKind)
				}
			} else if err != nil {
				t.Fatalf("Start: %v", err)
			}
			if len(f.requests) != tc.wantReqs {
				t.Fatalf("%d StartExecution requests, want %d", len(f.requests), tc.wantReqs)
			}
			if tc.wantReqs == 0 {
				return
			}
			req := f.requests[0]
			if req["stateMachineArn"] != testStateMachine || req["name"] != st.RunID {
				t.Errorf("request = %v, want the state machine and the run id as name", req)
			}
			var in workflow.State
			if err := json.Unmarshal([]byte(req["input"]), &in); err != nil || in.RunID != st.RunID || in.Tenant != "acme" || in.Request.VPC != st.Request.VPC {
				t.Errorf("input = %s (%v), want the run's state", req["input"], err)
			}
		})
	}
}

// TestStarterExistingExecution: a name Step Functions already used for
// this run (e.g. a closed execution) is not an error.
func TestStarterExistingExecution(t *testing.T) {
	f := &fakeSFN{inputs: map[string]string{"run-abcdefghij0123456789": `{"older":true}`}}
	s := newStarter(t, f)
	if err := s.Start(context.Background(), workflow.State{Tenant: "acme", RunID: "run-abcdefghij0123456789"}); err != nil {
		t.Fatalf("Start of an existing execution: %v", err)
	}
}

func TestStarterUnconfigured(t *testing.T) {
	err := (&Starter{}).Start(context.Background(), workflow.State{RunID: "run-x"})
	if !errs.Is(err, errs.Invalid) {
		t.Fatalf("Start without a state machine: %v, want invalid", err)
	}
}
