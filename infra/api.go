package infra

import (
	"fmt"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2authorizers"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2integrations"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatchactions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsstepfunctions"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// APIStackProps configures [NewAPIStack].
type APIStackProps struct {
	awscdk.StackProps
	// Data is the table and blob bucket the API functions use.
	Data *DataStack
	// StateMachine is the VPC build state machine the api function starts.
	StateMachine awsstepfunctions.IStateMachine
	// ConfigAggregator is passed to the Accelerator (see PlatformProps).
	ConfigAggregator string
	// AggregatorAccounts is the aggregator's tenant allow list (see Deps).
	AggregatorAccounts string
	// AlarmTopic is notified by the stack's alarms.
	AlarmTopic awssns.ITopic
	// LambdaDir holds the functions' zips.
	LambdaDir string
	// AllowedOrigins are the web origins allowed by CORS, e.g. the
	// CloudFront distribution's https://xxxx.cloudfront.net.
	AllowedOrigins []string
	// Auth configures the user pool.
	Auth AuthProps
	// RateLimit and BurstLimit throttle the whole API (requests per second);
	// defaults 50 and 100.
	RateLimit, BurstLimit float64
}

// APIStack is the HTTP side of the platform: the user pool, the HTTP API
// with its JWT authorizer, access logs and throttling, and every function
// of the registry whose trigger is [TriggerHTTP].
type APIStack struct {
	awscdk.Stack
	// Auth is the user pool and the web client.
	Auth *Auth
	// API is the HTTP API.
	API awsapigatewayv2.HttpApi
	// Stage is the $default stage.
	Stage awsapigatewayv2.HttpStage
	// AccessLogs receives the stage's access logs.
	AccessLogs awslogs.LogGroup
	// Functions are the stack's functions, by registry name.
	Functions map[string]*GoFunction
	// URL is the API's base URL (ending in "/").
	URL *string
}

// CORSAllowHeaders are the request headers the web app may send to the
// API: the bearer token, JSON and gzip bodies, If-Match on saves, and the
// client marker X-Bulwark-Client.
var CORSAllowHeaders = []string{"Authorization", "Content-Type", "Content-Encoding", "If-Match", "X-Bulwark-Client"}

// CORSExposeHeaders are the response headers the web app may read: the
// version for the next If-Match, where a created resource is, and the
// request id shown with errors.
var CORSExposeHeaders = []string{"ETag", "Location", "X-Request-Id"}

// PreflightRoutePath is the path of the unauthenticated OPTIONS route that
// keeps CORS preflights away from the JWT authorizer of $default.
const PreflightRoutePath = "/{proxy+}"

// accessLogFormat is one JSON line per request.
const accessLogFormat = `{"requestId":"$context.requestId","ip":"$context.identity.sourceIp",` +
	`"requestTime":"$context.requestTime","httpMethod":"$context.httpMethod","routeKey":"$context.routeKey",` +
	`"path":"$context.path","status":"$context.status","protocol":"$context.protocol",` +
	`"responseLength":"$context.responseLength","latency":"$context.responseLatency",` +
	`"integrationError":"$context.integrationErrorMessage","authorizerError":"$context.authorizer.error",` +
	`"sub":"$context.authorizer.claims.sub"}`

// NewAPIStack creates the API stack.
func NewAPIStack(scope constructs.Construct, id string, props *APIStackProps) (*APIStack, error) {
	stack := awscdk.NewStack(scope, jsii.String(id), &props.StackProps)
	s := &APIStack{Stack: stack, Functions: map[string]*GoFunction{}}
	s.Auth = NewAuth(stack, "Auth", props.Auth)
	deps := Deps{Data: props.Data, Auth: s.Auth, StateMachine: props.StateMachine, ConfigAggregator: props.ConfigAggregator, AggregatorAccounts: props.AggregatorAccounts}

	httpFns := FunctionsFor(TriggerHTTP)
	if len(httpFns) != 1 {
		return nil, fmt.Errorf("the HTTP API's default route needs exactly one TriggerHTTP function in the registry, found %d", len(httpFns))
	}
	var api *GoFunction
	for _, spec := range httpFns {
		fn, err := NewGoFunction(stack, "Fn-"+spec.Name, GoFunctionProps{
			Spec: spec, Deps: deps, LambdaDir: props.LambdaDir, AlarmTopic: props.AlarmTopic,
		})
		if err != nil {
			return nil, err
		}
		s.Functions[spec.Name] = fn
		api = fn
	}

	authorizer := awsapigatewayv2authorizers.NewHttpJwtAuthorizer(jsii.String("CognitoJwt"),
		s.Auth.Issuer(),
		&awsapigatewayv2authorizers.HttpJwtAuthorizerProps{
			JwtAudience:    jsii.Strings(*s.Auth.Client.UserPoolClientId()),
			IdentitySource: jsii.Strings("$request.header.Authorization"),
		})
	hp := &awsapigatewayv2.HttpApiProps{
		Description:        jsii.String("Bulwark API"),
		CreateDefaultStage: jsii.Bool(false),
		DefaultIntegration: awsapigatewayv2integrations.NewHttpLambdaIntegration(jsii.String("Api"), api.Function, nil),
		DefaultAuthorizer:  authorizer,
	}
	if len(props.AllowedOrigins) > 0 {
		// With a CORS configuration API Gateway answers preflight OPTIONS
		// requests itself and adds these headers to the integration's
		// responses, ignoring CORS headers the function sets ("Configure
		// CORS for HTTP APIs", API Gateway developer guide). The origin is
		// the web app's only.
		hp.CorsPreflight = &awsapigatewayv2.CorsPreflightOptions{
			AllowOrigins:  jsii.Strings(props.AllowedOrigins...),
			AllowHeaders:  jsii.Strings(CORSAllowHeaders...),
			AllowMethods:  &[]awsapigatewayv2.CorsHttpMethod{awsapigatewayv2.CorsHttpMethod_GET, awsapigatewayv2.CorsHttpMethod_POST, awsapigatewayv2.CorsHttpMethod_PUT, awsapigatewayv2.CorsHttpMethod_PATCH, awsapigatewayv2.CorsHttpMethod_DELETE},
			ExposeHeaders: jsii.Strings(CORSExposeHeaders...),
			MaxAge:        awscdk.Duration_Hours(jsii.Number(1)),
		}
	}
	s.API = awsapigatewayv2.NewHttpApi(stack, jsii.String("HttpApi"), hp)
	if hp.CorsPreflight != nil {
		// The $default route catches every method and path, OPTIONS
		// included, so a preflight (which carries no Authorization header)
		// would meet the JWT authorizer and get 401. AWS documents the fix
		// for a $default route with an authorizer: an OPTIONS /{proxy+}
		// route without authorization and with an integration; it has
		// priority over $default, and API Gateway answers the preflight from
		// the CORS configuration ("Configuring CORS for an HTTP API with a
		// $default route and an authorizer",
		// https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html).
		routes := s.API.AddRoutes(&awsapigatewayv2.AddRoutesOptions{
			Path:        jsii.String(PreflightRoutePath),
			Methods:     &[]awsapigatewayv2.HttpMethod{awsapigatewayv2.HttpMethod_OPTIONS},
			Integration: awsapigatewayv2integrations.NewHttpLambdaIntegration(jsii.String("Preflight"), api.Function, nil),
			Authorizer:  awsapigatewayv2.NewHttpNoneAuthorizer(),
		})
		for _, r := range *routes {
			Suppress(r, Suppression{ID: "AwsSolutions-APIG4",
				Reason: "CORS preflight requests carry no credentials by definition (Fetch standard); API Gateway answers them from the CORS configuration, and every other method stays behind the JWT authorizer"})
		}
	}

	// Webhooks: one route each, without the JWT authorizer; the function
	// authenticates every delivery by its signature.
	for _, spec := range FunctionsFor(TriggerWebhook) {
		method, path, ok := strings.Cut(spec.Trigger.Route, " ")
		if !ok {
			return nil, fmt.Errorf("webhook function %s: route %q is not \"METHOD /path\"", spec.Name, spec.Trigger.Route)
		}
		fn, err := NewGoFunction(stack, "Fn-"+spec.Name, GoFunctionProps{
			Spec: spec, Deps: deps, LambdaDir: props.LambdaDir, AlarmTopic: props.AlarmTopic,
		})
		if err != nil {
			return nil, err
		}
		s.Functions[spec.Name] = fn
		routes := s.API.AddRoutes(&awsapigatewayv2.AddRoutesOptions{
			Path:        jsii.String(path),
			Methods:     &[]awsapigatewayv2.HttpMethod{awsapigatewayv2.HttpMethod(method)},
			Integration: awsapigatewayv2integrations.NewHttpLambdaIntegration(jsii.String("Webhook-"+spec.Name), fn.Function, nil),
			Authorizer:  awsapigatewayv2.NewHttpNoneAuthorizer(),
		})
		for _, r := range *routes {
			Suppress(r, Suppression{ID: "AwsSolutions-APIG4",
				Reason: "A webhook from an external system (Jira) cannot carry a Cognito token; the function verifies each delivery's HMAC-SHA256 signature in constant time"})
		}
	}

	rate, burst := props.RateLimit, props.BurstLimit
	if rate == 0 {
		rate = 50
	}
	if burst == 0 {
		burst = 100
	}
	s.Stage = s.API.AddStage(jsii.String("DefaultStage"), &awsapigatewayv2.HttpStageOptions{
		StageName:  jsii.String("$default"),
		AutoDeploy: jsii.Bool(true),
		Throttle:   &awsapigatewayv2.ThrottleSettings{RateLimit: jsii.Number(rate), BurstLimit: jsii.Number(burst)},
	})
	s.AccessLogs = awslogs.NewLogGroup(stack, jsii.String("AccessLogs"), &awslogs.LogGroupProps{
		Retention:     awslogs.RetentionDays_ONE_YEAR,
		RemovalPolicy: awscdk.RemovalPolicy_RETAIN,
	})
	cfnStage := s.Stage.Node().DefaultChild().(awsapigatewayv2.CfnStage)
	cfnStage.SetAccessLogSettings(&awsapigatewayv2.CfnStage_AccessLogSettingsProperty{
		DestinationArn: s.AccessLogs.LogGroupArn(),
		Format:         jsii.String(accessLogFormat),
	})
	s.URL = s.Stage.Url()

	serverErrors := awscloudwatch.NewAlarm(stack, jsii.String("Api5xxAlarm"), &awscloudwatch.AlarmProps{
		AlarmDescription: jsii.String("Bulwark: the HTTP API answered with 5xx errors"),
		Metric: s.API.MetricServerError(&awscloudwatch.MetricOptions{
			Period: awscdk.Duration_Minutes(jsii.Number(5)), Statistic: jsii.String("Sum"),
		}),
		Threshold:          jsii.Number(5),
		EvaluationPeriods:  jsii.Number(1),
		ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
		TreatMissingData:   awscloudwatch.TreatMissingData_NOT_BREACHING,
	})
	if props.AlarmTopic != nil {
		serverErrors.AddAlarmAction(awscloudwatchactions.NewSnsAction(props.AlarmTopic))
	}

	awscdk.NewCfnOutput(stack, jsii.String("ApiUrl"), &awscdk.CfnOutputProps{Value: s.URL, Description: jsii.String("Base URL of the Bulwark API")})
	awscdk.NewCfnOutput(stack, jsii.String("UserPoolId"), &awscdk.CfnOutputProps{Value: s.Auth.UserPool.UserPoolId()})
	awscdk.NewCfnOutput(stack, jsii.String("UserPoolClientId"), &awscdk.CfnOutputProps{Value: s.Auth.Client.UserPoolClientId()})
	return s, nil
}
