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
	"github.com/bulwark-tm/bulwark/pkg/secrets"
	"github.com/bulwark-tm/bulwark/pkg/secrets/secretstest"
)

// fakeSM is a Secrets Manager speaking the awsJson1.1 protocol, with just
// enough behaviour for the driver: secrets by name, string or binary
// values, and deletion marks. A secret scheduled for deletion answers
// every operation with InvalidRequestException, as the service does.
type fakeSM struct {
	mu      sync.Mutex
	secrets map[string]*fakeSecret
	calls   []string
	fail    string // an operation that answers 500
}

type fakeSecret struct {
	str     *string // SecretString
	bin     []byte  // SecretBinary
	deleted bool
}

// fakeRequest is the part of the requests the driver sends that the fake
// reads; SecretBinary travels base64-encoded.
type fakeRequest struct {
	SecretId             string
	Name                 string
	SecretString         *string
	SecretBinary         []byte
	Tags                 []map[string]string
	RecoveryWindowInDays *int64
}

func (f *fakeSM) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	op := strings.TrimPrefix(r.Header.Get("X-Amz-Target"), "secretsmanager.")
	body, _ := io.ReadAll(r.Body)
	var in fakeRequest
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
	if (op == "PutSecretValue" || op == "CreateSecret") && (in.SecretString == nil) == (in.SecretBinary == nil) {
		fail("InvalidParameterException", "You must provide either SecretString or SecretBinary.")
		return
	}
	id := in.SecretId
	sec, ok := f.secrets[id]
	switch {
	case op == "CreateSecret":
	case !ok:
		fail("ResourceNotFoundException", "Secrets Manager can't find the specified secret.")
		return
	case sec.deleted:
		fail("InvalidRequestException", "You can't perform this operation on the secret because it was marked for deletion.")
		return
	}
	switch op {
	case "GetSecretValue":
		out := map[string]any{"ARN": "arn:aws:secretsmanager:us-east-1:111122223333:secret:" + id, "Name": id, "VersionId": "v1"}
		if sec.str != nil {
			out["SecretString"] = *sec.str
		} else {
			out["SecretBinary"] = sec.bin
		}
		reply(200, out)
	case "PutSecretValue":
		sec.str, sec.bin = in.SecretString, in.SecretBinary
		reply(200, map[string]any{"Name": id, "VersionId": "v2"})
	case "CreateSecret":
		existing, ok := f.secrets[in.Name]
		switch {
		case ok && existing.deleted:
			fail("InvalidRequestException", "You can't create this secret because a secret with this name is already scheduled for deletion.")
		case ok:
			fail("ResourceExistsException", "The operation failed because the secret already exists.")
		case len(in.Tags) != 1:
			fail("InvalidParameterException", "want one tag")
		default:
			f.secrets[in.Name] = &fakeSecret{str: in.SecretString, bin: in.SecretBinary}
			reply(200, map[string]any{"Name": in.Name, "VersionId": "v1"})
		}
	case "DeleteSecret":
		if in.RecoveryWindowInDays == nil || *in.RecoveryWindowInDays != 7 {
			fail("InvalidParameterException", "want a recovery window")
			return
		}
		sec.deleted = true
		reply(200, map[string]any{"Name": id})
	default:
		fail("UnknownOperationException", op)
	}
}

func newSM(t *testing.T) (*Store, *fakeSM) {
	fake := &fakeSM{secrets: map[string]*fakeSecret{}}
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
	if sec := fake.secrets["bulwark/jira/t1/i1"]; sec == nil || sec.str == nil || *sec.str != value {
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

// TestConformance runs the secrets.Store conformance suite on the driver,
// against the loopback Secrets Manager.
func TestConformance(t *testing.T) {
	secretstest.Run(t, func(t *testing.T) secrets.Store {
		s, _ := newSM(t)
		return s
	})
}
