package infra

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
)

func TestWebStack(t *testing.T) {
	f := getFixture(t)
	tp := f.template(f.platform.Web.Stack)
	site := f.logicalID(f.platform.Web.Bucket.Node().DefaultChild())

	tp.HasResourceProperties(jsii.String("AWS::CloudFront::OriginAccessControl"), obj(map[string]interface{}{
		"OriginAccessControlConfig": obj(map[string]interface{}{
			"OriginAccessControlOriginType": "s3", "SigningBehavior": "always", "SigningProtocol": "sigv4",
		}),
	}))
	tp.HasResourceProperties(jsii.String("AWS::CloudFront::Distribution"), obj(map[string]interface{}{
		"DistributionConfig": obj(map[string]interface{}{
			"DefaultRootObject": "index.html",
			"Origins": arr(obj(map[string]interface{}{
				"OriginAccessControlId": obj(map[string]interface{}{"Fn::GetAtt": assertions.Match_AnyValue()}),
				"S3OriginConfig":        obj(map[string]interface{}{"OriginAccessIdentity": ""}),
			})),
			"DefaultCacheBehavior": obj(map[string]interface{}{
				"ViewerProtocolPolicy":    "redirect-to-https",
				"ResponseHeadersPolicyId": obj(map[string]interface{}{"Ref": assertions.Match_AnyValue()}),
			}),
			"CustomErrorResponses": []interface{}{
				map[string]interface{}{"ErrorCode": 403, "ResponseCode": 200, "ResponsePagePath": "/index.html", "ErrorCachingMinTTL": 0},
				map[string]interface{}{"ErrorCode": 404, "ResponseCode": 200, "ResponsePagePath": "/index.html", "ErrorCachingMinTTL": 0},
			},
			"Logging": obj(map[string]interface{}{"Prefix": "cloudfront/"}),
		}),
	}))
	// Only CloudFront (through OAC) may read the private site bucket.
	tp.HasResourceProperties(jsii.String("AWS::S3::BucketPolicy"), obj(map[string]interface{}{
		"Bucket": map[string]interface{}{"Ref": site},
		"PolicyDocument": obj(map[string]interface{}{"Statement": arr(obj(map[string]interface{}{
			"Effect":    "Allow",
			"Action":    "s3:GetObject",
			"Principal": map[string]interface{}{"Service": "cloudfront.amazonaws.com"},
		}))}),
	}))
	tp.HasResourceProperties(jsii.String("AWS::S3::Bucket"), obj(map[string]interface{}{
		"PublicAccessBlockConfiguration": obj(map[string]interface{}{"BlockPublicPolicy": true, "RestrictPublicBuckets": true}),
		"LoggingConfiguration":           obj(map[string]interface{}{"LogFilePrefix": "site/"}),
	}))

	// Security headers: CSP with frame-ancestors 'none', HSTS, no framing.
	pols := resources(tp, "AWS::CloudFront::ResponseHeadersPolicy")
	if len(pols) != 1 {
		t.Fatalf("want 1 response headers policy, got %d", len(pols))
	}
	for _, p := range pols {
		b, _ := json.Marshal(props(p))
		sh := string(b)
		mustContain(t, "security headers", sh,
			`"Override":true`,
			`frame-ancestors 'none'`, `default-src 'self'`, `object-src 'none'`,
			`"AccessControlMaxAgeSec":63072000`, `"IncludeSubdomains":true`, `"Preload":true`,
			`"FrameOption":"DENY"`, `"ReferrerPolicy":"strict-origin-when-cross-origin"`,
		)
	}

	// The app is uploaded without config.json, which the WebConfig stack owns.
	tp.HasResourceProperties(jsii.String("Custom::CDKBucketDeployment"), obj(map[string]interface{}{
		"DestinationBucketName": map[string]interface{}{"Ref": site},
		"Exclude":               []interface{}{"config.json"},
		"Prune":                 true,
		"DistributionPaths":     []interface{}{"/*"},
	}))
}

func TestContentSecurityPolicy(t *testing.T) {
	csp := ContentSecurityPolicy("111111111111", "eu-west-1")
	mustContain(t, "CSP", csp,
		// The API, and the hosted UI whose /oauth2/token the PKCE code
		// exchange and the refresh POST to.
		"connect-src 'self' https://*.execute-api.eu-west-1.amazonaws.com https://bulwark-111111111111.auth.eu-west-1.amazoncognito.com;",
		"frame-ancestors 'none'", "script-src 'self'")
	if strings.Contains(csp, "unsafe-eval") || strings.Contains(csp, "script-src 'self' 'unsafe-inline'") {
		t.Errorf("CSP allows inline or eval scripts: %s", csp)
	}
	if !cspAllows(csp, "connect-src", "https://d111111abcdef8.cloudfront.net", HostedUIOrigin("111111111111", "eu-west-1")+"/oauth2/token") {
		t.Errorf("CSP %q blocks the hosted UI's token endpoint", csp)
	}
}

func TestWebConfigStack(t *testing.T) {
	f := getFixture(t)
	tp := f.template(f.platform.WebConfig)
	tp.HasResourceProperties(jsii.String("Custom::CDKBucketDeployment"), obj(map[string]interface{}{
		"DestinationBucketName": obj(map[string]interface{}{"Fn::ImportValue": assertions.Match_StringLikeRegexp(jsii.String("^BulwarkWeb:.*Site"))}),
		"Prune":                 false,
		"DistributionPaths":     []interface{}{"/config.json"},
		// config.json's values are filled in at deploy time from the Api stack.
		"SourceMarkers": arr(obj(map[string]interface{}{})),
	}))
	b, _ := json.Marshal(tp.ToJSON())
	mustContain(t, "WebConfig template", string(b), "BulwarkApi:ExportsOutput", "UserPool", "WebClient")
}

func TestWebStackNeedsIndexHTML(t *testing.T) {
	_, err := NewWebStack(newTestApp(), "Web", &WebStackProps{AssetDir: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "index.html") {
		t.Errorf("NewWebStack with an empty dir: err = %v, want one naming index.html", err)
	}
}
