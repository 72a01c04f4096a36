package infra

import (
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
	"github.com/google/go-cmp/cmp"
)

func TestAPIStackAuth(t *testing.T) {
	f := getFixture(t)
	tp := f.template(f.platform.API.Stack)

	tp.HasResource(jsii.String("AWS::Cognito::UserPool"), obj(map[string]interface{}{
		"DeletionPolicy": "Retain",
		"Properties": obj(map[string]interface{}{
			"AdminCreateUserConfig": obj(map[string]interface{}{"AllowAdminCreateUserOnly": true}),
			"MfaConfiguration":      "ON",
			"EnabledMfas":           []interface{}{"SOFTWARE_TOKEN_MFA"},
			"DeletionProtection":    "ACTIVE",
			"Policies": obj(map[string]interface{}{"PasswordPolicy": obj(map[string]interface{}{
				"MinimumLength": 12, "RequireLowercase": true, "RequireUppercase": true,
				"RequireNumbers": true, "RequireSymbols": true,
			})}),
			"Schema": arr(obj(map[string]interface{}{
				"Name": TenantAttribute, "AttributeDataType": "String", "Mutable": true,
			})),
			"UserPoolName": assertions.Match_Absent(),
		}),
	}))
	for _, role := range []string{"admin", "editor", "reviewer", "viewer"} {
		tp.HasResourceProperties(jsii.String("AWS::Cognito::UserPoolGroup"), obj(map[string]interface{}{"GroupName": role}))
	}
	tp.ResourceCountIs(jsii.String("AWS::Cognito::UserPoolGroup"), jsii.Number(4))

	// The web client has no secret, and users cannot write their tenant.
	clients := resources(tp, "AWS::Cognito::UserPoolClient")
	if len(clients) != 1 {
		t.Fatalf("want 1 user pool client, got %d", len(clients))
	}
	for id, c := range clients {
		p := props(c)
		if p["GenerateSecret"] != false {
			t.Errorf("client %s: GenerateSecret = %v, want false", id, p["GenerateSecret"])
		}
		if w := strs(p["WriteAttributes"]); strings.Contains(strings.Join(w, ","), "custom:"+TenantAttribute) {
			t.Errorf("client %s may write custom:%s: %v", id, TenantAttribute, w)
		}
		if r := strs(p["ReadAttributes"]); !strings.Contains(strings.Join(r, ","), "custom:"+TenantAttribute) {
			t.Errorf("client %s cannot read custom:%s: %v", id, TenantAttribute, r)
		}
		// The hosted UI with the authorization-code flow (PKCE, no secret)
		// and nothing else; back to the web app's origin.
		if f := strs(p["AllowedOAuthFlows"]); len(f) != 1 || f[0] != "code" || p["AllowedOAuthFlowsUserPoolClient"] != true {
			t.Errorf("client %s: OAuth flows %v (enabled %v), want only code", id, f, p["AllowedOAuthFlowsUserPoolClient"])
		}
		if cb := strings.Join(strs(p["CallbackURLs"]), ","); !strings.Contains(cb, "Distribution") && !strings.Contains(cb, "https://") {
			t.Errorf("client %s: callback URLs %s do not point at the web app", id, cb)
		}
	}
	domains := resources(tp, "AWS::Cognito::UserPoolDomain")
	if len(domains) != 1 {
		t.Fatalf("want 1 hosted UI domain, got %d", len(domains))
	}
}

func TestAPIStackHTTPAPI(t *testing.T) {
	f := getFixture(t)
	tp := f.template(f.platform.API.Stack)
	pool := f.logicalID(f.platform.API.Auth.UserPool.Node().DefaultChild())
	client := f.logicalID(f.platform.API.Auth.Client.Node().DefaultChild())

	tp.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Api"), obj(map[string]interface{}{
		"ProtocolType": "HTTP",
		"CorsConfiguration": obj(map[string]interface{}{
			"AllowOrigins":  []interface{}{map[string]interface{}{"Fn::Join": []interface{}{"", []interface{}{"https://", obj(map[string]interface{}{"Fn::ImportValue": assertions.Match_StringLikeRegexp(jsii.String("^BulwarkWeb:.*Distribution.*DomainName"))})}}}},
			"AllowHeaders":  []interface{}{"Authorization", "Content-Type", "Content-Encoding", "If-Match", "X-Bulwark-Client"},
			"ExposeHeaders": []interface{}{"ETag", "Location", "X-Request-Id"},
		}),
	}))
	// The JWT authorizer trusts the user pool as issuer and the web client as audience.
	tp.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Authorizer"), obj(map[string]interface{}{
		"AuthorizerType": "JWT",
		"IdentitySource": []interface{}{"$request.header.Authorization"},
		"JwtConfiguration": obj(map[string]interface{}{
			"Audience": []interface{}{map[string]interface{}{"Ref": client}},
			"Issuer": obj(map[string]interface{}{"Fn::Join": arr(arr(
				"https://cognito-idp.", map[string]interface{}{"Ref": pool},
			))}),
		}),
	}))
	// Every route is behind the JWT authorizer, except the registered
	// webhooks (authenticated by their signatures, see TestJiraWebhookRoute)
	// and exactly one for CORS preflights, OPTIONS /{proxy+}: preflights
	// carry no Authorization header, and AWS documents this route as the way
	// to keep them from a JWT-protected $default (see TestDeployedCORS).
	routes := resources(tp, "AWS::ApiGatewayV2::Route")
	if len(routes) == 0 {
		t.Fatal("no routes")
	}
	open := map[string]bool{"OPTIONS /{proxy+}": true}
	for _, f := range FunctionsFor(TriggerWebhook) {
		open[f.Trigger.Route] = true
	}
	for id, r := range routes {
		p := props(r)
		key := p["RouteKey"].(string)
		if want := map[bool]string{true: "NONE", false: "JWT"}[open[key]]; p["AuthorizationType"] != want {
			t.Errorf("route %s (%v): AuthorizationType = %v, want %s", id, key, p["AuthorizationType"], want)
		}
		delete(open, key)
	}
	if len(open) != 0 {
		t.Errorf("missing routes: %v", open)
	}
	tp.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Route"), obj(map[string]interface{}{"RouteKey": "$default"}))

	// Access logs and throttling on the $default stage.
	logs := f.logicalID(f.platform.API.AccessLogs.Node().DefaultChild())
	tp.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Stage"), obj(map[string]interface{}{
		"StageName":  "$default",
		"AutoDeploy": true,
		"AccessLogSettings": obj(map[string]interface{}{
			"DestinationArn": map[string]interface{}{"Fn::GetAtt": []interface{}{logs, "Arn"}},
			"Format":         assertions.Match_StringLikeRegexp(jsii.String(`\$context\.requestId`)),
		}),
		"DefaultRouteSettings": obj(map[string]interface{}{"ThrottlingRateLimit": 50, "ThrottlingBurstLimit": 100}),
	}))
	tp.HasResourceProperties(jsii.String("AWS::Logs::LogGroup"), obj(map[string]interface{}{"RetentionInDays": 365}))
	tp.HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), obj(map[string]interface{}{
		"MetricName": "5xx", "Namespace": "AWS/ApiGateway",
	}))
}

func TestAPIFunction(t *testing.T) {
	f := getFixture(t)
	tp := f.template(f.platform.API.Stack)
	api := f.platform.API.Functions["api"]
	if api == nil {
		t.Fatal("no api function")
	}
	fn := f.logicalID(api.Function.Node().DefaultChild())
	table := "BulwarkData:ExportsOutputRef" // cross-stack reference to the table name
	tp.HasResource(jsii.String("AWS::Lambda::Function"), obj(map[string]interface{}{
		"Properties": obj(map[string]interface{}{
			"Runtime":       "provided.al2023",
			"Architectures": []interface{}{"arm64"},
			"Handler":       "bootstrap",
			"MemorySize":    512,
			"Timeout":       29,
			"TracingConfig": map[string]interface{}{"Mode": "Active"},
			"FunctionName":  assertions.Match_Absent(),
			"Environment": obj(map[string]interface{}{"Variables": obj(map[string]interface{}{
				"BULWARK_AUTH": "jwt",
				// The account the member stacks' roles trust: this one.
				"BULWARK_PLATFORM_ACCOUNT_ID": map[string]interface{}{"Ref": "AWS::AccountId"},
				"BULWARK_JWT_AUDIENCE":        map[string]interface{}{"Ref": f.logicalID(f.platform.API.Auth.Client.Node().DefaultChild())},
				"BULWARK_JWT_ISSUER":          obj(map[string]interface{}{"Fn::Join": assertions.Match_AnyValue()}),
				"BULWARK_STORE": obj(map[string]interface{}{"Fn::Join": arr(arr(
					"dynamodb://", obj(map[string]interface{}{"Fn::ImportValue": assertions.Match_StringLikeRegexp(jsii.String("^" + table + "Table"))}),
				))}),
			})}),
		}),
	}))
	// Alarms on errors and throttles notify the alarm topic.
	for _, metric := range []string{"Errors", "Throttles"} {
		tp.HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), obj(map[string]interface{}{
			"MetricName":   metric,
			"Namespace":    "AWS/Lambda",
			"Dimensions":   []interface{}{map[string]interface{}{"Name": "FunctionName", "Value": map[string]interface{}{"Ref": fn}}},
			"AlarmActions": arr(obj(map[string]interface{}{"Fn::ImportValue": assertions.Match_StringLikeRegexp(jsii.String("^BulwarkMonitoring:.*AlarmTopic"))})),
		}))
	}
	// The role is the function's own, with no managed policies.
	tp.HasResourceProperties(jsii.String("AWS::IAM::Role"), obj(map[string]interface{}{
		"AssumeRolePolicyDocument": obj(map[string]interface{}{"Statement": arr(obj(map[string]interface{}{
			"Principal": map[string]interface{}{"Service": "lambda.amazonaws.com"},
		}))}),
		"ManagedPolicyArns": assertions.Match_Absent(),
	}))
}

// TestAPIFunctionPolicy: the api function may do exactly what the store
// needs on the table, the blob bucket and the data key, manage integration
// secrets, assume member roles, start builds, and write its logs and
// traces; no wildcard action anywhere.
func TestAPIFunctionPolicy(t *testing.T) {
	f := getFixture(t)
	tp := f.template(f.platform.API.Stack)
	role := f.logicalID(f.platform.API.Functions["api"].Role.Node().DefaultChild())
	got := roleActions(t, tp, role)
	want := map[string]string{
		"logs:CreateLogStream":                           "log group",
		"logs:PutLogEvents":                              "log group",
		"xray:PutTraceSegments":                          "*",
		"xray:PutTelemetryRecords":                       "*",
		"dynamodb:BatchGetItem":                          "table",
		"dynamodb:BatchWriteItem":                        "table",
		"dynamodb:ConditionCheckItem":                    "table",
		"dynamodb:DeleteItem":                            "table",
		"dynamodb:DescribeTable":                         "table",
		"dynamodb:GetItem":                               "table",
		"dynamodb:GetRecords":                            "table",
		"dynamodb:GetShardIterator":                      "table",
		"dynamodb:PutItem":                               "table",
		"dynamodb:Query":                                 "table",
		"dynamodb:Scan":                                  "table",
		"dynamodb:UpdateItem":                            "table",
		"kms:Decrypt":                                    "key",
		"kms:DescribeKey":                                "key",
		"kms:Encrypt":                                    "key",
		"kms:GenerateDataKey*":                           "key",
		"kms:ReEncrypt*":                                 "key",
		"organizations:DescribeOrganization":             "*",
		"organizations:ListRoots":                        "*",
		"organizations:ListOrganizationalUnitsForParent": "*",
		"organizations:ListAccountsForParent":            "*",
		"organizations:ListAccounts":                     "*",
		"cognito-idp:ListUsers":                          "pool",
		"cognito-idp:AdminGetUser":                       "pool",
		"cognito-idp:AdminCreateUser":                    "pool",
		"cognito-idp:AdminDisableUser":                   "pool",
		"cognito-idp:AdminAddUserToGroup":                "pool",
		"cognito-idp:AdminRemoveUserFromGroup":           "pool",
		"cognito-idp:AdminListGroupsForUser":             "pool",
		"secretsmanager:CreateSecret":                    "secrets",
		"secretsmanager:DeleteSecret":                    "secrets",
		"secretsmanager:GetSecretValue":                  "secrets",
		"secretsmanager:PutSecretValue":                  "secrets",
		"secretsmanager:TagResource":                     "secrets",
		"sts:AssumeRole":                                 "member roles",
		"states:StartExecution":                          "state machine",
		// The test platform names a Config aggregator (TestAggregator).
		"config:SelectAggregateResourceConfig":             "aggregators",
		"config:DescribeAggregateComplianceByConfigRules":  "aggregators",
		"config:GetAggregateComplianceDetailsByConfigRule": "aggregators",
		"config:GetAggregateResourceConfig":                "aggregators",
	}
	var gotNames, wantNames []string
	for a := range got {
		gotNames = append(gotNames, a)
	}
	for a := range want {
		wantNames = append(wantNames, a)
	}
	sort.Strings(gotNames)
	sort.Strings(wantNames)
	if d := cmp.Diff(wantNames, gotNames); d != "" {
		t.Errorf("actions of the api role (-want +got):\n%s", d)
	}
	for a, res := range got {
		if want[a] == "*" {
			continue
		}
		for _, r := range res {
			if r == "*" {
				t.Errorf("%s is granted on every resource", a)
			}
		}
	}
}

// roleActions returns the actions the IAM policies attached to role allow,
// with their resources.
func roleActions(t *testing.T, tp assertions.Template, role string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, p := range resources(tp, "AWS::IAM::Policy") {
		pp := props(p)
		attached := false
		for _, r := range pp["Roles"].([]interface{}) {
			if ref, ok := r.(map[string]interface{}); ok && ref["Ref"] == role {
				attached = true
			}
		}
		if !attached {
			continue
		}
		for _, s := range pp["PolicyDocument"].(map[string]interface{})["Statement"].([]interface{}) {
			st := s.(map[string]interface{})
			if st["Effect"] != "Allow" {
				continue
			}
			for _, a := range strs(st["Action"]) {
				out[a] = append(out[a], strs(st["Resource"])...)
			}
		}
	}
	return out
}

// TestJiraWebhookRoute: the webhook has its own route without the JWT
// authorizer, its own function, and that function may only read secrets.
func TestJiraWebhookRoute(t *testing.T) {
	f := getFixture(t)
	tp := f.template(f.platform.API.Stack)
	tp.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Route"), &map[string]interface{}{
		"RouteKey":          "POST /api/v1/webhooks/jira/{tenant}/{instance}",
		"AuthorizationType": "NONE",
	})
	fn := f.platform.API.Functions["jirawebhook"]
	if fn == nil {
		t.Fatal("no jirawebhook function in the API stack")
	}
	got := roleActions(t, tp, f.logicalID(fn.Role.Node().DefaultChild()))
	for a, res := range got {
		if strings.HasPrefix(a, "secretsmanager:") && a != "secretsmanager:GetSecretValue" {
			t.Errorf("the webhook may only read secrets, but has %s", a)
		}
		if strings.HasPrefix(a, "secretsmanager:") {
			for _, r := range res {
				if !strings.Contains(r, "secret:bulwark/jira/*") {
					t.Errorf("%s on %s, want only bulwark/jira/ secrets", a, r)
				}
			}
		}
	}
	if _, ok := got["secretsmanager:GetSecretValue"]; !ok {
		t.Error("the webhook cannot read its webhook secret")
	}
	if _, ok := got["dynamodb:PutItem"]; !ok {
		t.Error("the webhook cannot write item statuses")
	}
}
