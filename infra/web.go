package infra

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudfront"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudfrontorigins"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3deployment"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// WebStackProps configures [NewWebStack].
type WebStackProps struct {
	awscdk.StackProps
	// AssetDir is the built web app (web/dist); it must hold index.html.
	AssetDir string
	// WebACLArn, when set, attaches an AWS WAF web ACL (made in us-east-1)
	// to the distribution.
	WebACLArn string
}

// WebStack serves the single-page app: a private S3 bucket read by
// CloudFront through origin access control, SPA routing (unknown paths
// serve index.html), and a response-headers policy with CSP, HSTS and
// frame-ancestors 'none'.
type WebStack struct {
	awscdk.Stack
	// Bucket holds the web app; only CloudFront can read it.
	Bucket awss3.Bucket
	// Logs receives the CloudFront and S3 access logs.
	Logs awss3.Bucket
	// Distribution serves the app.
	Distribution awscloudfront.Distribution
	// Headers is the security response-headers policy.
	Headers awscloudfront.ResponseHeadersPolicy
	// Origin is the app's origin, https://<distribution domain>.
	Origin *string
}

// ContentSecurityPolicy returns the CSP of the web app of account in
// region: scripts, styles and images from the app itself, API calls to the
// region's execute-api endpoints and to the Cognito hosted UI (the PKCE code
// exchange and token refresh POST to its /oauth2/token), and no framing.
func ContentSecurityPolicy(account, region string) string {
	return strings.Join([]string{
		"default-src 'self'",
		"script-src 'self'",
		"style-src 'self' 'unsafe-inline'", // React Flow sets inline styles
		"img-src 'self' data:",
		"font-src 'self'",
		fmt.Sprintf("connect-src 'self' https://*.execute-api.%s.amazonaws.com %s", region, HostedUIOrigin(account, region)),
		"worker-src 'self' blob:", // the layout Web Worker
		"object-src 'none'",
		"base-uri 'self'",
		"form-action 'self'",
		"frame-ancestors 'none'",
	}, "; ")
}

// NewWebStack creates the web stack and uploads props.AssetDir, except
// config.json, which [NewWebConfigStack] writes.
func NewWebStack(scope constructs.Construct, id string, props *WebStackProps) (*WebStack, error) {
	if _, err := os.Stat(filepath.Join(props.AssetDir, "index.html")); err != nil {
		return nil, fmt.Errorf("web app: %w (build it with `npm run build` in web/)", err)
	}
	stack := awscdk.NewStack(scope, jsii.String(id), &props.StackProps)
	s := &WebStack{Stack: stack}

	// CloudFront standard logging writes with ACLs.
	s.Logs = newLogBucket(stack, "Logs", awss3.ObjectOwnership_BUCKET_OWNER_PREFERRED, "expire-logs")

	s.Bucket = awss3.NewBucket(stack, jsii.String("Site"), &awss3.BucketProps{
		Encryption:             awss3.BucketEncryption_S3_MANAGED,
		BlockPublicAccess:      awss3.BlockPublicAccess_BLOCK_ALL(),
		EnforceSSL:             jsii.Bool(true),
		ObjectOwnership:        awss3.ObjectOwnership_BUCKET_OWNER_ENFORCED,
		ServerAccessLogsBucket: s.Logs,
		ServerAccessLogsPrefix: jsii.String("site/"),
		RemovalPolicy:          awscdk.RemovalPolicy_RETAIN,
		LifecycleRules: &[]*awss3.LifecycleRule{{
			Id:                                  jsii.String("abort-incomplete-uploads"),
			AbortIncompleteMultipartUploadAfter: awscdk.Duration_Days(jsii.Number(7)),
		}},
	})

	s.Headers = awscloudfront.NewResponseHeadersPolicy(stack, jsii.String("SecurityHeaders"), &awscloudfront.ResponseHeadersPolicyProps{
		Comment: jsii.String("Bulwark web app security headers"),
		SecurityHeadersBehavior: &awscloudfront.ResponseSecurityHeadersBehavior{
			ContentSecurityPolicy: &awscloudfront.ResponseHeadersContentSecurityPolicy{
				ContentSecurityPolicy: jsii.String(ContentSecurityPolicy(*stack.Account(), *stack.Region())),
				Override:              jsii.Bool(true),
			},
			StrictTransportSecurity: &awscloudfront.ResponseHeadersStrictTransportSecurity{
				AccessControlMaxAge: awscdk.Duration_Days(jsii.Number(730)),
				IncludeSubdomains:   jsii.Bool(true),
				Preload:             jsii.Bool(true),
				Override:            jsii.Bool(true),
			},
			FrameOptions: &awscloudfront.ResponseHeadersFrameOptions{
				FrameOption: awscloudfront.HeadersFrameOption_DENY,
				Override:    jsii.Bool(true),
			},
			ContentTypeOptions: &awscloudfront.ResponseHeadersContentTypeOptions{Override: jsii.Bool(true)},
			ReferrerPolicy: &awscloudfront.ResponseHeadersReferrerPolicy{
				ReferrerPolicy: awscloudfront.HeadersReferrerPolicy_STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
				Override:       jsii.Bool(true),
			},
		},
	})

	spa := func(status float64) *awscloudfront.ErrorResponse {
		return &awscloudfront.ErrorResponse{
			HttpStatus:         jsii.Number(status),
			ResponseHttpStatus: jsii.Number(200),
			ResponsePagePath:   jsii.String("/index.html"),
			Ttl:                awscdk.Duration_Seconds(jsii.Number(0)),
		}
	}
	dp := &awscloudfront.DistributionProps{
		Comment: jsii.String("Bulwark web app"),
		DefaultBehavior: &awscloudfront.BehaviorOptions{
			Origin:                awscloudfrontorigins.S3BucketOrigin_WithOriginAccessControl(s.Bucket, nil),
			ViewerProtocolPolicy:  awscloudfront.ViewerProtocolPolicy_REDIRECT_TO_HTTPS,
			CachePolicy:           awscloudfront.CachePolicy_CACHING_OPTIMIZED(),
			ResponseHeadersPolicy: s.Headers,
			Compress:              jsii.Bool(true),
		},
		DefaultRootObject: jsii.String("index.html"),
		// SPA routing: a path that is no object (403 without s3:ListBucket,
		// or 404) serves the app, whose router handles it.
		ErrorResponses: &[]*awscloudfront.ErrorResponse{spa(403), spa(404)},
		EnableLogging:  jsii.Bool(true),
		LogBucket:      s.Logs,
		LogFilePrefix:  jsii.String("cloudfront/"),
		HttpVersion:    awscloudfront.HttpVersion_HTTP2_AND_3,
		PriceClass:     awscloudfront.PriceClass_PRICE_CLASS_100,
	}
	if props.WebACLArn != "" {
		dp.WebAclId = jsii.String(props.WebACLArn)
	}
	s.Distribution = awscloudfront.NewDistribution(stack, jsii.String("Distribution"), dp)
	sups := []Suppression{
		{ID: "AwsSolutions-CFR1", Reason: "Bulwark's users may work from any country; no geo restriction is wanted"},
		{ID: "AwsSolutions-CFR4", Reason: "The default *.cloudfront.net certificate has a fixed security policy; a minimum of TLSv1.2_2021 needs a custom domain and certificate, which an operator adds"},
	}
	if props.WebACLArn == "" {
		sups = append(sups, Suppression{ID: "AwsSolutions-CFR2",
			Reason: "A WAF web ACL must live in us-east-1 and is billed; attach one with the bulwark:webAclArn context value. The app is static and the API authenticates every call"})
	}
	Suppress(s.Distribution, sups...)
	s.Origin = jsii.String("https://" + *s.Distribution.DistributionDomainName())

	awss3deployment.NewBucketDeployment(stack, jsii.String("DeployApp"), &awss3deployment.BucketDeploymentProps{
		DestinationBucket: s.Bucket,
		Sources:           &[]awss3deployment.ISource{awss3deployment.Source_Asset(jsii.String(props.AssetDir), nil)},
		// config.json is written by the WebConfig stack; excluded files are
		// also kept when pruning.
		Exclude:           jsii.Strings("config.json"),
		Prune:             jsii.Bool(true),
		Distribution:      s.Distribution,
		DistributionPaths: jsii.Strings("/*"),
		MemoryLimit:       jsii.Number(512),
	})
	suppressBucketDeployment(stack)

	awscdk.NewCfnOutput(stack, jsii.String("WebUrl"), &awscdk.CfnOutputProps{Value: s.Origin, Description: jsii.String("URL of the Bulwark web app")})
	return s, nil
}

// WebConfigStackProps configures [NewWebConfigStack].
type WebConfigStackProps struct {
	awscdk.StackProps
	// Web is where config.json goes.
	Web *WebStack
	// API is what config.json points at.
	API *APIStack
}

// NewWebConfigStack writes config.json to the web bucket: apiUrl, region,
// userPoolId, userPoolClientId, tenantClaim and cognitoDomain (the hosted
// UI), read by the web app at start. It is its own
// stack so that the API can allow the web origin by CORS (the API depends
// on the web stack) while the web app learns the API's URL (this stack
// depends on both).
func NewWebConfigStack(scope constructs.Construct, id string, props *WebConfigStackProps) *awscdk.Stack {
	stack := awscdk.NewStack(scope, jsii.String(id), &props.StackProps)
	cfg := map[string]interface{}{
		"apiUrl":           props.API.URL,
		"region":           props.API.Region(),
		"userPoolId":       props.API.Auth.UserPool.UserPoolId(),
		"userPoolClientId": props.API.Auth.Client.UserPoolClientId(),
		"tenantClaim":      "custom:" + TenantAttribute,
	}
	if d := props.API.Auth.Domain; d != nil {
		cfg["cognitoDomain"] = d.BaseUrl(nil) // the hosted UI, for sign-in with PKCE
	}
	awss3deployment.NewBucketDeployment(stack, jsii.String("DeployConfig"), &awss3deployment.BucketDeploymentProps{
		DestinationBucket: props.Web.Bucket,
		Sources:           &[]awss3deployment.ISource{awss3deployment.Source_JsonData(jsii.String("config.json"), cfg, nil)},
		Prune:             jsii.Bool(false),
		CacheControl:      &[]awss3deployment.CacheControl{awss3deployment.CacheControl_NoCache()},
		Distribution:      props.Web.Distribution,
		DistributionPaths: jsii.Strings("/config.json"),
	})
	suppressBucketDeployment(stack)
	return &stack
}

// suppressBucketDeployment explains the findings on the CDK-provided
// BucketDeployment custom resource of stack, whose code and role CDK owns.
func suppressBucketDeployment(stack awscdk.Stack) {
	for _, c := range *stack.Node().Children() {
		if strings.HasPrefix(*c.Node().Id(), "Custom::CDKBucketDeployment") {
			Suppress(c,
				Suppression{ID: "AwsSolutions-IAM4", AppliesTo: []string{"Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"},
					Reason: "CDK's BucketDeployment custom resource (deploy-time only) logs with the basic execution role"},
				Suppression{ID: "AwsSolutions-IAM5",
					Reason: "CDK's BucketDeployment custom resource copies the asset objects into the web bucket and invalidates the distribution; CDK scopes it to those buckets"},
				Suppression{ID: "AwsSolutions-L1",
					Reason: "CDK's BucketDeployment custom resource pins its own Python runtime, updated with CDK"},
			)
		}
	}
}
