package workflow_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/bulwark-tm/bulwark/pkg/awsclient"
	"github.com/bulwark-tm/bulwark/pkg/workflow"
)

// fakeConfig answers GetAggregateResourceConfig over AWS JSON 1.1 with the
// testdata item, and counts the calls.
func fakeConfig(t *testing.T) (*httptest.Server, *int) {
	t.Helper()
	item, err := os.ReadFile("testdata/aggregate-item.json")
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		if r.Header.Get("X-Amz-Target") != "StarlingDoveService.GetAggregateResourceConfig" {
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"__type":"UnknownOperationException","message":"no fake"}`)
			return
		}
		calls++
		var in struct {
			ConfigurationAggregatorName string
			ResourceIdentifier          map[string]string
		}
		if err := json.Unmarshal(body, &in); err != nil || in.ConfigurationAggregatorName != "org" || in.ResourceIdentifier["ResourceId"] != "i-0e1e2e3e4e5e6e701" ||
			in.ResourceIdentifier["SourceAccountId"] != "111111111111" || in.ResourceIdentifier["SourceRegion"] != "eu-west-1" {
			t.Errorf("GetAggregateResourceConfig input %s", body)
		}
		w.Write(item)
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

// TestOversizedChange: a change too large for EventBridge arrives as an
// oversized notification without the item. With the Config fetcher the
// function reads the item from AWS Config and marks the VPC's model;
// without one it drops the event (as it did for every such event before).
func TestOversizedChange(t *testing.T) {
	event, err := os.ReadFile("testdata/instance-oversized.json")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	eng, _, _ := newBusEngine(t)
	out, err := eng.HandleBusEvent(ctx, event)
	if err != nil || !strings.Contains(out.Dropped, "needs a fetcher") {
		t.Fatalf("without a fetcher: %+v %v", out, err)
	}

	eng, modelID, _ := newBusEngine(t)
	srv, calls := fakeConfig(t)
	t.Setenv("AWS_CONFIG_FILE", os.DevNull)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", os.DevNull)
	cfg, err := awsclient.Load(ctx, awsclient.Options{Region: "eu-west-1", BaseEndpoint: srv.URL,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDPLATFORMTEST", "secret", ""), MaxAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	eng.Fetcher = &awsclient.ConfigFetcher{Base: cfg, Aggregator: "org"}
	out, err = eng.HandleBusEvent(ctx, event)
	if err != nil || out.Dropped != "" || len(out.Result.Marked) != 1 || out.Result.Marked[0].ModelID != modelID || *calls != 1 {
		t.Fatalf("with the fetcher: %+v %v (%d calls)", out, err, *calls)
	}
	l, err := eng.Link(ctx, "acme", modelID)
	if err != nil || l.Status != workflow.SyncOutOfSync || len(l.Pending) != 1 || l.Pending[0].ResourceID != "i-0e1e2e3e4e5e6e701" {
		t.Errorf("link %+v %v", l, err)
	}
}
