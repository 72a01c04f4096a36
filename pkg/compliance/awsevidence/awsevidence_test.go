package awsevidence

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/configservice"
	"github.com/aws/aws-sdk-go-v2/service/securityhub"

	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/compliance"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/store/bolt"
)

// findingsOf returns the ASFF findings of a sample event file.
func findingsOf(t *testing.T, name string) []json.RawMessage {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("../../../events/aws/securityhub", name))
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Detail struct {
			Findings []json.RawMessage `json:"findings"`
		} `json:"detail"`
		Findings []json.RawMessage `json:"Findings"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return append(v.Detail.Findings, v.Findings...)
}

// appendAttempt records a request unless it repeats the one before: the
// SDK retries a request whose response could not be read (on loopback, now
// and then "use of closed network connection" while decoding the body), and
// a retry is the SDK's business, not a second page.
func appendAttempt(seen []string, req string) []string {
	if len(seen) > 0 && seen[len(seen)-1] == req {
		return seen
	}
	return append(seen, req)
}

// fakeSecurityHub answers GetFindings (REST-JSON, POST /findings) in two
// pages chained by NextToken, from the sample events.
func fakeSecurityHub(t *testing.T) (*httptest.Server, *[]string) {
	pages := map[string][]json.RawMessage{
		"":      append(findingsOf(t, "consolidated-ec2-8-failed.json"), findingsOf(t, "per-standard-cis-1.2.0-1.12-failed.json")...),
		"page2": append(findingsOf(t, "get-findings-export.json"), findingsOf(t, "guardduty-not-evidence.json")...),
	}
	var mu sync.Mutex
	var tokens []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/findings" {
			http.Error(w, "unexpected "+r.Method+" "+r.URL.Path, http.StatusNotFound)
			return
		}
		var in struct {
			NextToken  string
			MaxResults int
			Filters    map[string]any
		}
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if in.Filters["ProductName"] == nil || in.MaxResults != 100 {
			t.Errorf("request without the default filter or page size: %+v", in)
		}
		mu.Lock()
		tokens = appendAttempt(tokens, in.NextToken)
		mu.Unlock()
		out := map[string]any{"Findings": pages[in.NextToken]}
		if in.NextToken == "" {
			out["NextToken"] = "page2"
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(out)
	}))
	t.Cleanup(srv.Close)
	return srv, &tokens
}

// fakeConfig answers the AWS Config JSON 1.1 protocol (X-Amz-Target),
// paging every list in two.
func fakeConfig(t *testing.T) (*httptest.Server, *[]string) {
	var mu sync.Mutex
	var calls []string
	result := func(rule, rtype, id, ct string, at float64, extra map[string]any) map[string]any {
		r := map[string]any{
			"EvaluationResultIdentifier": map[string]any{"EvaluationResultQualifier": map[string]any{"ConfigRuleName": rule, "ResourceType": rtype, "ResourceId": id}, "OrderingTimestamp": at - 60},
			"ComplianceType":             ct, "ResultRecordedTime": at, "ConfigRuleInvokedTime": at - 5,
		}
		for k, v := range extra {
			r[k] = v
		}
		return r
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		target := strings.TrimPrefix(r.Header.Get("X-Amz-Target"), "StarlingDoveService.")
		body, _ := io.ReadAll(r.Body)
		var in map[string]any
		json.Unmarshal(body, &in)
		token, _ := in["NextToken"].(string)
		rule, _ := in["ConfigRuleName"].(string)
		mu.Lock()
		calls = appendAttempt(calls, target+" "+rule+" "+token)
		mu.Unlock()
		var out map[string]any
		switch target {
		case "DescribeConfigRules":
			out = map[string]any{"ConfigRules": []any{map[string]any{"ConfigRuleName": "s3-bucket-ssl-requests-only"}}, "NextToken": "more"}
			if token == "more" {
				out = map[string]any{"ConfigRules": []any{map[string]any{"ConfigRuleName": "securityhub-iam-password-policy-ab12cd34"}}}
			}
		case "GetComplianceDetailsByConfigRule":
			switch {
			case rule == "s3-bucket-ssl-requests-only" && token == "":
				out = map[string]any{"EvaluationResults": []any{result(rule, "AWS::S3::Bucket", "example-shop-assets", "NON_COMPLIANT", 1793610000, nil)}, "NextToken": "r2"}
			case rule == "s3-bucket-ssl-requests-only":
				out = map[string]any{"EvaluationResults": []any{result(rule, "AWS::S3::Bucket", "example-logs", "COMPLIANT", 1793610000, nil)}}
			default:
				out = map[string]any{"EvaluationResults": []any{result(rule, "AWS::::Account", "111111111111", "NON_COMPLIANT", 1793611800, map[string]any{"Annotation": "no symbols"})}}
			}
		case "DescribeAggregateComplianceByConfigRules":
			out = map[string]any{"AggregateComplianceByConfigRules": []any{
				map[string]any{"ConfigRuleName": "multi-region-cloudtrail-enabled", "AccountId": "111111111111", "AwsRegion": "us-east-1", "Compliance": map[string]any{"ComplianceType": "COMPLIANT"}},
				map[string]any{"ConfigRuleName": "multi-region-cloudtrail-enabled", "AccountId": "222222222222", "AwsRegion": "eu-west-1", "Compliance": map[string]any{"ComplianceType": "NON_COMPLIANT"}}}}
		case "GetAggregateComplianceDetailsByConfigRule":
			acct, _ := in["AccountId"].(string)
			region, _ := in["AwsRegion"].(string)
			ct := "COMPLIANT"
			if acct == "222222222222" {
				ct = "NON_COMPLIANT"
			}
			out = map[string]any{"AggregateEvaluationResults": []any{result(rule, "AWS::::Account", acct, ct, 1793523610.5, map[string]any{"AccountId": acct, "AwsRegion": region})}}
		default:
			w.WriteHeader(http.StatusBadRequest)
			json.NewEncoder(w).Encode(map[string]string{"__type": "UnknownOperationException", "message": target})
			return
		}
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		json.NewEncoder(w).Encode(out)
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

func repo(t *testing.T) compliance.Repo {
	t.Helper()
	st, err := bolt.Open(filepath.Join(t.TempDir(), "ev.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return compliance.Repo{Store: st}
}

func controls(t *testing.T) *catalog.Controls {
	cat, err := catalog.Default()
	if err != nil {
		t.Fatal(err)
	}
	return cat.Controls
}

func TestPullFromSecurityHubAndConfig(t *testing.T) {
	sh, tokens := fakeSecurityHub(t)
	cfg, calls := fakeConfig(t)
	shc := securityhub.New(securityhub.Options{Region: "us-east-1", BaseEndpoint: aws.String(sh.URL), HTTPClient: sh.Client(), Credentials: aws.AnonymousCredentials{}})
	cc := configservice.New(configservice.Options{Region: "us-east-1", BaseEndpoint: aws.String(cfg.URL), HTTPClient: cfg.Client(), Credentials: aws.AnonymousCredentials{}})
	rp := repo(t)
	ctx := context.Background()
	tally, err := compliance.Pull(ctx, rp, "acme", controls(t), SecurityHub{Client: shc}, Config{Client: cc, AccountID: "111111111111", Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	// 4 compliance findings (the GuardDuty one is skipped) and 3 evaluations.
	if tally.Created != 7 || tally.Updated+tally.Unchanged != 0 {
		t.Errorf("first pull %+v", tally)
	}
	if strings.Join(*tokens, ",") != ",page2" {
		t.Errorf("GetFindings tokens %q, want both pages", *tokens)
	}
	wantCalls := []string{"DescribeConfigRules  ", "DescribeConfigRules  more",
		"GetComplianceDetailsByConfigRule s3-bucket-ssl-requests-only ", "GetComplianceDetailsByConfigRule s3-bucket-ssl-requests-only r2",
		"GetComplianceDetailsByConfigRule securityhub-iam-password-policy-ab12cd34 "}
	if strings.Join(*calls, "|") != strings.Join(wantCalls, "|") {
		t.Errorf("Config calls\n%q\nwant\n%q", *calls, wantCalls)
	}
	again, err := compliance.Pull(ctx, rp, "acme", controls(t), SecurityHub{Client: shc}, Config{Client: cc, AccountID: "111111111111", Region: "us-east-1"})
	if err != nil || again.Unchanged != 7 || again.Created+again.Updated != 0 {
		t.Errorf("second pull %+v, %v", again, err)
	}
	evs, err := rp.ForAccounts(ctx, "acme", []string{"111111111111"})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]compliance.Status{}
	for _, e := range evs {
		if e.Control == "EC2.8" && strings.Join(e.CISItems, ",") != "3.0.0/5.6,5.0.0/5.7" {
			t.Errorf("EC2.8 through the SDK: CIS items %v, want the related requirement 3.0.0/5.6", e.CISItems)
		}
		seen[e.Source+" "+e.Control+e.ConfigRule+" "+e.ResourceName()] = e.Status
	}
	for k, want := range map[string]compliance.Status{
		"securityhub EC2.8ec2-imdsv2-check i-0123456789abcdef0":           compliance.NonCompliant,
		"config s3-bucket-ssl-requests-only example-logs":                 compliance.Compliant,
		"config iam-password-policy account 111111111111":                 compliance.NonCompliant,
		"securityhub IAM.4iam-root-access-key-check account 111111111111": compliance.NonCompliant,
	} {
		if seen[k] != want {
			t.Errorf("%s: %q, want %s (have %v)", k, seen[k], want, seen)
		}
	}
}

func TestPullFromAggregator(t *testing.T) {
	cfg, calls := fakeConfig(t)
	cc := configservice.New(configservice.Options{Region: "us-east-1", BaseEndpoint: aws.String(cfg.URL), HTTPClient: cfg.Client(), Credentials: aws.AnonymousCredentials{}})
	rp := repo(t)
	tally, err := compliance.Pull(context.Background(), rp, "acme", controls(t), nil, Aggregator{Client: cc, Name: "org"})
	if err != nil || tally.Created != 2 {
		t.Fatalf("pull %+v, %v (calls %q)", tally, err, *calls)
	}
	evs, _ := rp.ForAccounts(context.Background(), "acme", []string{"111111111111", "222222222222"})
	if len(evs) != 2 || evs[0].AccountID != "111111111111" || evs[0].Status != compliance.Compliant ||
		evs[1].Region != "eu-west-1" || evs[1].Status != compliance.NonCompliant || !evs[1].AccountLevel {
		t.Errorf("aggregated evidence %+v", evs)
	}
	if _, err := compliance.Pull(context.Background(), rp, "acme", nil, nil, Aggregator{Client: cc}); !errs.Is(err, errs.Invalid) {
		t.Errorf("no aggregator name: %v", err)
	}
}

func TestPullServiceError(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Amzn-ErrorType", "AccessDeniedException")
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, `{"message":"not allowed"}`)
	}))
	t.Cleanup(srv.Close)
	shc := securityhub.New(securityhub.Options{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL), HTTPClient: srv.Client(), Credentials: aws.AnonymousCredentials{}, RetryMaxAttempts: 1})
	_, err := compliance.Pull(context.Background(), repo(t), "acme", nil, SecurityHub{Client: shc}, nil)
	if !errs.Is(err, errs.Unavailable) || !strings.Contains(err.Error(), "GetFindings") {
		t.Errorf("error %v", err)
	}
}
