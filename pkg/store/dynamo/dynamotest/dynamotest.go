// Package dynamotest gives tests a real DynamoDB to talk to: AWS's DynamoDB
// Local emulator, started with pkg/store/dynamo/dynamotest/dynamodb-local.sh, or the one named
// by BULWARK_DYNAMODB_ENDPOINT.
//
// A test package starts it once in TestMain and makes a table per test:
//
//	var endpoint string
//
//	func TestMain(m *testing.M) {
//		os.Exit(dynamotest.Main(m, &endpoint))
//	}
//
//	func TestX(t *testing.T) {
//		client := dynamotest.Client(t, endpoint)
//		table := dynamotest.NewTable(t, client)
//		...
//	}
package dynamotest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/bulwark-tm/bulwark/pkg/store/dynamo"
)

// EnvEndpoint names the environment variable that points tests at a running
// DynamoDB (Local) instead of starting one.
const EnvEndpoint = "BULWARK_DYNAMODB_ENDPOINT"

// Start returns the endpoint of a DynamoDB Local: the one in
// BULWARK_DYNAMODB_ENDPOINT when set (stop then does nothing), otherwise a
// new instance started with pkg/store/dynamo/dynamotest/dynamodb-local.sh, which stop ends.
func Start() (endpoint string, stop func(), err error) {
	if ep := os.Getenv(EnvEndpoint); ep != "" {
		return ep, func() {}, nil
	}
	script, err := findScript()
	if err != nil {
		return "", nil, err
	}
	var stderr bytes.Buffer
	cmd := exec.Command("bash", script, "start")
	// The emulator stops by itself if this process dies without stopping it.
	cmd.Env = append(os.Environ(), fmt.Sprintf("DYNAMODB_LOCAL_OWNER=%d", os.Getpid()))
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", nil, fmt.Errorf("start DynamoDB Local (%s start): %w\n%s", script, err, stderr.String())
	}
	endpoint = strings.TrimSpace(string(out))
	u, err := url.Parse(endpoint)
	if err != nil || u.Port() == "" {
		return "", nil, fmt.Errorf("start DynamoDB Local: %s printed %q, not an endpoint", script, out)
	}
	stop = func() {
		if out, err := exec.Command("bash", script, "stop", u.Port()).CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "dynamotest: stop DynamoDB Local on port %s: %v\n%s", u.Port(), err, out)
		}
	}
	return endpoint, stop, nil
}

// Main starts DynamoDB Local (see Start), stores its endpoint in *endpoint,
// runs the tests and stops it. It fails loudly, with the reason, when the
// emulator cannot start: tests are never skipped for want of it.
func Main(m *testing.M, endpoint *string) int {
	ep, stop, err := Start()
	if err != nil {
		fmt.Fprintf(os.Stderr, "dynamotest: %v\nSet %s to use a running DynamoDB Local instead.\n", err, EnvEndpoint)
		return 2
	}
	defer stop()
	*endpoint = ep
	return m.Run()
}

// findScript finds dynamodb-local.sh, which lives beside this file, from
// the module root above the working directory.
func findScript() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		p := filepath.Join(dir, "pkg", "store", "dynamo", "dynamotest", "dynamodb-local.sh")
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			if _, err := os.Stat(p); err != nil {
				return "", fmt.Errorf("module root %s has no pkg/store/dynamo/dynamotest/dynamodb-local.sh: %w", dir, err)
			}
			return p, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory; cannot find pkg/store/dynamo/dynamotest/dynamodb-local.sh")
		}
		dir = parent
	}
}

// Config returns an AWS configuration for the emulator at endpoint: region
// us-east-1 and dummy static credentials.
func Config(endpoint string) aws.Config {
	return aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("local", "local", ""),
		BaseEndpoint: aws.String(endpoint),
	}
}

// Client returns a DynamoDB client for the emulator at endpoint.
func Client(t testing.TB, endpoint string) *dynamodb.Client {
	t.Helper()
	if endpoint == "" {
		t.Fatal("dynamotest: no endpoint; start DynamoDB Local in TestMain with dynamotest.Main")
	}
	return dynamodb.NewFromConfig(Config(endpoint))
}

// NewTable creates a table with a unique name for t with dynamo.EnsureTable
// and deletes it when t ends.
func NewTable(t testing.TB, client *dynamodb.Client) string {
	t.Helper()
	var b [6]byte
	rand.Read(b[:])
	name := "bulwark-test-" + hex.EncodeToString(b[:])
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := dynamo.EnsureTable(ctx, client, name); err != nil {
		t.Fatalf("create table %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := DeleteTable(ctx, client, name); err != nil {
			t.Error(err)
		}
	})
	return name
}

// DeleteTable deletes a table a test made.
func DeleteTable(ctx context.Context, client *dynamodb.Client, name string) error {
	if _, err := client.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String(name)}); err != nil {
		return fmt.Errorf("delete table %s: %w", name, err)
	}
	return nil
}
