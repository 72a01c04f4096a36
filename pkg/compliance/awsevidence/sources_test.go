package awsevidence

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/bulwark-tm/bulwark/pkg/accounts"
	"github.com/bulwark-tm/bulwark/pkg/awsclient"
	"github.com/bulwark-tm/bulwark/pkg/compliance"
	"github.com/bulwark-tm/bulwark/pkg/errs"
)

const (
	platformKey = "AKIDPLATFORMTEST"
	sessionKey  = "ASIAMEMBERSESSION"
)

var member = &accounts.Account{ID: "111111111111", Name: "shop-prod", Access: accounts.AccessRole,
	RoleARN: accounts.RoleARNFor("111111111111"), ExternalID: "bulwark-testexternalid0000000000", Verified: true}

// signed is one request as the fake AWS saw it: the operation, and the
// access key and region of its SigV4 credential scope.
type signed struct{ op, key, region string }

// fakeAWS is one endpoint for every service the sources call: STS
// (query protocol) answers AssumeRole for the member role with its
// ExternalId; Security Hub (REST-JSON) and AWS Config (JSON 1.1) are the
// fakes of awsevidence_test.go. It records how each call was signed and
// the bodies of the calls that select.
func fakeAWS(t *testing.T) (*httptest.Server, func() ([]signed, map[string][]map[string]any)) {
	sh, _ := fakeSecurityHub(t)
	cfg, _ := fakeConfig(t)
	var mu sync.Mutex
	var seen []signed
	bodies := map[string][]map[string]any{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		scope := ""
		if a := r.Header.Get("Authorization"); strings.Contains(a, "Credential=") {
			scope = strings.SplitN(a[strings.Index(a, "Credential=")+len("Credential="):], ",", 2)[0]
		}
		parts := strings.Split(scope, "/") // KEY/DATE/REGION/SERVICE/aws4_request
		if len(parts) < 5 {
			t.Errorf("%s %s: unsigned (%q)", r.Method, r.URL.Path, scope)
			http.Error(w, "unsigned", http.StatusForbidden)
			return
		}
		op := ""
		switch {
		case r.Header.Get("X-Amz-Target") != "":
			op = strings.TrimPrefix(r.Header.Get("X-Amz-Target"), "StarlingDoveService.")
		case r.URL.Path == "/findings":
			op = "GetFindings"
		default:
			form, _ := url.ParseQuery(string(body))
			op = form.Get("Action")
		}
		mu.Lock()
		// Consecutive calls signed alike are one entry: pages, and the
		// SDK's retries (see appendAttempt).
		if n := len(seen); n == 0 || seen[n-1] != (signed{op, parts[0], parts[2]}) {
			seen = append(seen, signed{op, parts[0], parts[2]})
		}
		var in map[string]any
		if json.Unmarshal(body, &in) == nil {
			bodies[op] = append(bodies[op], in)
		}
		mu.Unlock()
		switch op {
		case "AssumeRole":
			form, _ := url.ParseQuery(string(body))
			w.Header().Set("Content-Type", "text/xml")
			if form.Get("RoleArn") != member.RoleARN || form.Get("ExternalId") != member.ExternalID {
				w.WriteHeader(http.StatusForbidden)
				io.WriteString(w, `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not authorized</Message></Error><RequestId>r</RequestId></ErrorResponse>`)
				return
			}
			exp := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
			fmt.Fprintf(w, `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>%s</AccessKeyId><SecretAccessKey>member-secret</SecretAccessKey><SessionToken>member-token</SessionToken><Expiration>%s</Expiration></Credentials><AssumedRoleUser><Arn>arn:aws:sts::111111111111:assumed-role/BulwarkReadOnly/%s</Arn><AssumedRoleId>AROATEST:%s</AssumedRoleId></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></AssumeRoleResponse>`,
				sessionKey, exp, awsclient.SessionName, awsclient.SessionName)
		case "GetFindings":
			sh.Config.Handler.ServeHTTP(w, r)
		default:
			cfg.Config.Handler.ServeHTTP(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, func() ([]signed, map[string][]map[string]any) {
		mu.Lock()
		defer mu.Unlock()
		return append([]signed(nil), seen...), bodies
	}
}

// platformConfig is the platform's configuration, in us-east-1, pointed at
// srv with static credentials.
func platformConfig(t *testing.T, srv *httptest.Server) *Sources {
	t.Setenv("AWS_CONFIG_FILE", os.DevNull)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", os.DevNull)
	t.Setenv("AWS_PROFILE", "")
	cfg, err := awsclient.Load(context.Background(), awsclient.Options{Region: "us-east-1", BaseEndpoint: srv.URL,
		Credentials: credentials.NewStaticCredentialsProvider(platformKey, "platform-secret", ""), MaxAttempts: 2, MaxBackoff: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return &Sources{Base: cfg, Roles: &awsclient.Roles{Base: cfg}}
}

// TestSourcesMemberRole: the sources of a member account in eu-west-2
// assume its role with its ExternalId (signed by the platform), then sign
// every Security Hub and AWS Config call with the session's key in
// eu-west-2, select the account's findings in that region, and page
// through everything.
func TestSourcesMemberRole(t *testing.T) {
	srv, calls := fakeAWS(t)
	s := platformConfig(t, srv)
	ctx := context.Background()
	findings, evaluations, err := s.Open(ctx, member, "eu-west-2")
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := calls(); len(c) != 0 {
		t.Errorf("Open called AWS: %+v", c)
	}
	got, err := compliance.PullAccount(ctx, repo(t), "acme", member.ID, controls(t), findings, evaluations)
	if err != nil {
		t.Fatal(err)
	}
	if got.Created != 7 || got.Foreign != 0 {
		t.Errorf("pulled %+v, want 4 findings and 3 evaluations created", got)
	}
	seen, bodies := calls()
	want := []signed{
		{"AssumeRole", platformKey, "us-east-1"},
		{"GetFindings", sessionKey, "eu-west-2"},
		{"DescribeConfigRules", sessionKey, "eu-west-2"},
		{"GetComplianceDetailsByConfigRule", sessionKey, "eu-west-2"},
	}
	if fmt.Sprint(seen) != fmt.Sprint(want) {
		t.Errorf("calls\n%v\nwant\n%v", seen, want)
	}
	tokens := map[any]bool{}
	for _, in := range bodies["GetFindings"] {
		tokens[in["NextToken"]] = true
		f, _ := json.Marshal(in["Filters"])
		for _, want := range []string{`"AwsAccountId":[{"Comparison":"EQUALS","Value":"111111111111"}]`, `"Region":[{"Comparison":"EQUALS","Value":"eu-west-2"}]`, `"ProductName"`} {
			if !strings.Contains(string(f), want) {
				t.Errorf("GetFindings filters %s lack %s", f, want)
			}
		}
	}
	if len(tokens) != 2 || !tokens[nil] || !tokens["page2"] {
		t.Errorf("GetFindings pages %v, want the first and page2", tokens)
	}

	// Another region reuses the cached session: no second AssumeRole.
	if _, evaluations, err = s.Open(ctx, member, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := compliance.PullAccount(ctx, repo(t), "acme", member.ID, controls(t), nil, evaluations); err != nil {
		t.Fatal(err)
	}
	seen, _ = calls()
	for _, c := range seen[len(want):] {
		if c.op == "AssumeRole" || c.key != sessionKey || c.region != "us-east-1" {
			t.Errorf("default region call %+v, want the session's key in us-east-1", c)
		}
	}
}

// TestSourcesRefused: a wrong ExternalId is refused by STS on the first
// read, as Forbidden; an account read from files has no role.
func TestSourcesRefused(t *testing.T) {
	srv, _ := fakeAWS(t)
	s := platformConfig(t, srv)
	ctx := context.Background()
	wrong := *member
	wrong.ExternalID = "bulwark-wrongexternalid000000000"
	findings, _, err := s.Open(ctx, &wrong, "eu-west-2")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := compliance.PullAccount(ctx, repo(t), "acme", member.ID, nil, findings, nil); err == nil || !strings.Contains(err.Error(), "AccessDenied") {
		t.Errorf("wrong ExternalId: %v", err)
	}
	files := &accounts.Account{ID: "111111111111", Access: accounts.AccessFiles}
	if _, _, err := s.Open(ctx, files, ""); !errs.Is(err, errs.Invalid) {
		t.Errorf("files account: %v", err)
	}
}

// TestSourcesAggregator: with an aggregator no role is assumed, no
// findings are read, and only the account's evaluations in the region are
// read, with the platform's credentials in its region.
func TestSourcesAggregator(t *testing.T) {
	srv, calls := fakeAWS(t)
	s := platformConfig(t, srv)
	s.Aggregator = "org"
	ctx := context.Background()
	findings, evaluations, err := s.Open(ctx, member, "us-east-1")
	if err != nil || findings != nil {
		t.Fatalf("findings %v, err %v; want none", findings, err)
	}
	got, err := compliance.PullAccount(ctx, repo(t), "acme", member.ID, nil, findings, evaluations)
	if err != nil || got.Created != 1 || got.Foreign != 0 {
		t.Errorf("pull %+v, %v; want the account's one evaluation", got, err)
	}
	seen, bodies := calls()
	want := []signed{{"DescribeAggregateComplianceByConfigRules", platformKey, "us-east-1"}, {"GetAggregateComplianceDetailsByConfigRule", platformKey, "us-east-1"}}
	if fmt.Sprint(seen) != fmt.Sprint(want) {
		t.Errorf("calls %v, want %v (the other account is never read)", seen, want)
	}
	if f, _ := json.Marshal(bodies["DescribeAggregateComplianceByConfigRules"][0]["Filters"]); string(f) != `{"AccountId":"111111111111","AwsRegion":"us-east-1"}` {
		t.Errorf("aggregator filters %s", f)
	}
}
