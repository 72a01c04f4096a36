package awsclient

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// Static test credentials: the platform's, and the session the fake STS
// hands out for a member role.
const (
	platformKey = "AKIDPLATFORMTEST"
	sessionKey  = "ASIAMEMBERSESSION"
	memberRole  = "arn:aws:iam::222222222222:role/bulwark/BulwarkReadOnly"
	externalID  = "bulwark-testexternalid0000000000"
)

// fakeAWS speaks the real wire protocols of the services Bulwark calls:
// AWS JSON 1.1 (X-Amz-Target) for AWS Config and Organizations, and the
// query protocol with XML answers for STS. Handlers return a JSON-able
// answer or an apiError.
type fakeAWS struct {
	t  *testing.T
	mu sync.Mutex
	// throttle makes the first n calls of an operation fail with
	// ThrottlingException, which the SDK retries.
	throttle map[string]int
	// calls counts calls per operation (including throttled ones).
	calls map[string]int
	// keys records the access key that signed each operation's calls.
	keys    map[string][]string
	targets map[string]func(in map[string]any) (any, *apiError)
	// stsExternalID is the ExternalId the fake role trusts.
	stsExternalID string
}

type apiError struct {
	status    int
	code, msg string
}

func newFake(t *testing.T) (*fakeAWS, *httptest.Server) {
	f := &fakeAWS{t: t, throttle: map[string]int{}, calls: map[string]int{}, keys: map[string][]string{},
		targets: map[string]func(map[string]any) (any, *apiError){}, stsExternalID: externalID}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

func accessKey(r *http.Request) string {
	a := r.Header.Get("Authorization")
	i := strings.Index(a, "Credential=")
	if i < 0 {
		return ""
	}
	return strings.SplitN(a[i+len("Credential="):], "/", 2)[0]
}

func (f *fakeAWS) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if target := r.Header.Get("X-Amz-Target"); target != "" {
		f.json11(w, r, target, body)
		return
	}
	f.query(w, r, body)
}

func (f *fakeAWS) count(op string, r *http.Request) (throttled bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls[op]++
	f.keys[op] = append(f.keys[op], accessKey(r))
	if f.throttle[op] > 0 {
		f.throttle[op]--
		return true
	}
	return false
}

func (f *fakeAWS) json11(w http.ResponseWriter, r *http.Request, target string, body []byte) {
	if ct := r.Header.Get("Content-Type"); ct != "application/x-amz-json-1.1" {
		f.t.Errorf("%s: Content-Type %q", target, ct)
	}
	op := target[strings.LastIndex(target, ".")+1:]
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	writeErr := func(e *apiError) {
		w.WriteHeader(e.status)
		fmt.Fprintf(w, `{"__type":%q,"message":%q}`, e.code, e.msg)
	}
	if f.count(op, r) {
		writeErr(&apiError{400, "ThrottlingException", "Rate exceeded"})
		return
	}
	h, ok := f.targets[target]
	if !ok {
		writeErr(&apiError{400, "UnknownOperationException", "no fake for " + target})
		return
	}
	var in map[string]any
	if err := json.Unmarshal(body, &in); err != nil {
		writeErr(&apiError{400, "SerializationException", err.Error()})
		return
	}
	out, e := h(in)
	if e != nil {
		writeErr(e)
		return
	}
	json.NewEncoder(w).Encode(out)
}

func (f *fakeAWS) query(w http.ResponseWriter, r *http.Request, body []byte) {
	form, err := url.ParseQuery(string(body))
	if err != nil {
		f.t.Errorf("STS body: %v", err)
	}
	op := form.Get("Action")
	w.Header().Set("Content-Type", "text/xml")
	stsErr := func(status int, code, msg string) {
		w.WriteHeader(status)
		fmt.Fprintf(w, `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>req-1</RequestId></ErrorResponse>`, code, msg)
	}
	if f.count(op, r) {
		stsErr(400, "Throttling", "Rate exceeded")
		return
	}
	switch op {
	case "AssumeRole":
		if form.Get("Version") != "2011-06-15" {
			f.t.Errorf("AssumeRole Version %q", form.Get("Version"))
		}
		if form.Get("RoleArn") != memberRole || form.Get("ExternalId") != f.stsExternalID {
			stsErr(403, "AccessDenied", "User is not authorized to perform: sts:AssumeRole on resource: "+form.Get("RoleArn"))
			return
		}
		if form.Get("RoleSessionName") != SessionName || form.Get("DurationSeconds") != strconv.Itoa(int(SessionDuration.Seconds())) {
			f.t.Errorf("AssumeRole session %q %q", form.Get("RoleSessionName"), form.Get("DurationSeconds"))
		}
		exp := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
		fmt.Fprintf(w, `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>%s</AccessKeyId><SecretAccessKey>member-secret</SecretAccessKey><SessionToken>member-token</SessionToken><Expiration>%s</Expiration></Credentials><AssumedRoleUser><Arn>arn:aws:sts::222222222222:assumed-role/BulwarkReadOnly/%s</Arn><AssumedRoleId>AROATESTROLEID:%s</AssumedRoleId></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>req-2</RequestId></ResponseMetadata></AssumeRoleResponse>`, sessionKey, exp, SessionName, SessionName)
	case "GetCallerIdentity":
		fmt.Fprintf(w, `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:sts::222222222222:assumed-role/BulwarkReadOnly/%s</Arn><UserId>AROATESTROLEID:%s</UserId><Account>222222222222</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>req-3</RequestId></ResponseMetadata></GetCallerIdentityResponse>`, SessionName, SessionName)
	default:
		stsErr(400, "InvalidAction", "no fake for "+op)
	}
}

// testConfig returns a platform configuration pointed at srv, with static
// test credentials and a retryer that does not wait.
func testConfig(t *testing.T, srv *httptest.Server) aws.Config {
	t.Helper()
	t.Setenv("AWS_CONFIG_FILE", os.DevNull)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", os.DevNull)
	t.Setenv("AWS_PROFILE", "")
	cfg, err := Load(context.Background(), Options{
		Region: "us-east-1", BaseEndpoint: srv.URL,
		Credentials: credentials.NewStaticCredentialsProvider(platformKey, "platform-secret", ""),
		MaxAttempts: 4, MaxBackoff: time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// pages splits items into pages of size n with NextToken "page-N".
func pages[T any](items []T, n int, in map[string]any) (page []T, next string) {
	start := 0
	if tok, _ := in["NextToken"].(string); tok != "" {
		start, _ = strconv.Atoi(strings.TrimPrefix(tok, "page-"))
	}
	end := min(start+n, len(items))
	if end < len(items) {
		next = "page-" + strconv.Itoa(end)
	}
	return items[start:end], next
}

func readTestdata(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}
