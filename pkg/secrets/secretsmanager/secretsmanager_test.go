package secretsmanager

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/bulwark-tm/bulwark/pkg/errs"
)

// fakeSM is a Secrets Manager speaking the awsJson1.1 protocol, with just
// enough behaviour for the driver: secrets by name, and deletion marks.
type fakeSM struct {
	mu      sync.Mutex
	secrets map[string]string
	deleted map[string]bool
	calls   []string
	fail    string // an operation that answers 500
}

func (f *fakeSM) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	op := strings.TrimPrefix(r.Header.Get("X-Amz-Target"), "secretsmanager.")
	body, _ := io.ReadAll(r.Body)
	var in map[string]any
	_ = json.Unmarshal(body, &in)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, op)
	reply := func(status int, v any) {
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(v)
	}
	fail := func(typ, msg string) { reply(400, map[string]string{"__type": typ, "message": msg}) }
	if op == f.fail {
		reply(500, map[string]string{"__type": "InternalServiceError", "message": "boom"})
		return
	}
	id, _ := in["SecretId"].(string)
	switch op {
	case "GetSecretValue":
		v, ok := f.secrets[id]
		if !ok || f.deleted[id] {
			fail("ResourceNotFoundException", "Secrets Manager can't find the specified secret.")
			return
		}
		reply(200, map[string]any{"ARN": "arn:aws:secretsmanager:us-east-1:111122223333:secret:" + id, "Name": id, "SecretString": v, "VersionId": "v1"})
	case "PutSecretValue":
		if _, ok := f.secrets[id]; !ok {
			fail("ResourceNotFoundException", "Secrets Manager can't find the specified secret.")
			return
		}
		if f.deleted[id] {
			fail("InvalidRequestException", "You can't perform this operation on the secret because it was marked for deletion.")
			return
		}
		f.secrets[id] = in["SecretString"].(string)
		reply(200, map[string]any{"Name": id, "VersionId": "v2"})
	case "CreateSecret":
		name := in["Name"].(string)
		if _, ok := f.secrets[name]; ok {
			fail("ResourceExistsException", "The operation failed because the secret already exists.")
			return
		}
		if tags, _ := in["Tags"].([]any); len(tags) != 1 {
			fail("InvalidParameterException", "want one tag")
			return
		}
		f.secrets[name] = in["SecretString"].(string)
		reply(200, map[string]any{"Name": name, "VersionId": "v1"})
	case "DeleteSecret":
		if _, ok := f.secrets[id]; !ok {
			fail("ResourceNotFoundException", "Secrets Manager can't find the specified secret.")
			return
		}
		if in["RecoveryWindowInDays"] != float64(7) {
			fail("InvalidParameterException", "want a recovery window")
			return
		}
		f.deleted[id] = true
		reply(200, map[string]any{"Name": id})
	default:
		fail("UnknownOperationException", op)
	}
}

func newSM(t *testing.T) (*Store, *fakeSM) {
	fake := &fakeSM{secrets: map[string]string{}, deleted: map[string]bool{}}
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	client := sm.New(sm.Options{
		Region:           "us-east-1",
		BaseEndpoint:     aws.String(srv.URL),
		Credentials:      credentials.NewStaticCredentialsProvider("AKIDTEST", rand.Text(), ""),
		RetryMaxAttempts: 1,
	})
	return &Store{Client: client, Prefix: "bulwark/"}, fake
}

func TestSecretsManager(t *testing.T) {
	ctx := context.Background()
	sm, fake := newSM(t)
	value := rand.Text()

	if err := sm.Put(ctx, "jira/t1/i1", []byte(value)); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(fake.calls, ","); got != "PutSecretValue,CreateSecret" {
		t.Errorf("first Put called %s, want PutSecretValue then CreateSecret", got)
	}
	if fake.secrets["bulwark/jira/t1/i1"] != value {
		t.Errorf("stored under the wrong name: %v", fake.secrets)
	}
	if err := sm.Put(ctx, "jira/t1/i1", []byte("rotated")); err != nil {
		t.Fatal(err)
	}
	got, err := sm.Get(ctx, "jira/t1/i1")
	if err != nil || string(got) != "rotated" {
		t.Fatalf("Get = %q, %v", got, err)
	}
	if err := sm.Delete(ctx, "jira/t1/i1"); err != nil {
		t.Fatal(err)
	}
	if err := sm.Delete(ctx, "jira/none"); err != nil {
		t.Errorf("Delete of a missing secret: %v", err)
	}

	tests := []struct {
		name string
		run  func() error
		kind errs.Kind
	}{
		{"get deleted", func() error { _, err := sm.Get(ctx, "jira/t1/i1"); return err }, errs.NotFound},
		{"put while scheduled for deletion", func() error { return sm.Put(ctx, "jira/t1/i1", []byte("x")) }, errs.Conflict},
		{"bad name", func() error { _, err := sm.Get(ctx, "a//b"); return err }, errs.Invalid},
		{"service error", func() error { fake.fail = "GetSecretValue"; _, err := sm.Get(ctx, "jira/x"); return err }, errs.Unavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.run(); !errs.Is(err, tt.kind) {
				t.Errorf("err = %v, want kind %v", err, tt.kind)
			}
		})
	}
}
