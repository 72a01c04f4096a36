package infra

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatchactions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// GoFunctionProps configures a [GoFunction].
type GoFunctionProps struct {
	// Spec is the registry entry the function is built from.
	Spec Function
	// Deps are what Spec.Env and Spec.Grant refer to.
	Deps Deps
	// LambdaDir holds <name>.zip for every function (infra/build-lambdas.sh).
	LambdaDir string
	// AlarmTopic is notified by the function's alarms.
	AlarmTopic awssns.ITopic
}

// GoFunction is a Go Lambda function as Bulwark deploys every one: the
// provided.al2023 runtime on arm64, a role of its own holding only the
// grants of its registry entry (no managed policies), a log group with a
// retention, X-Ray tracing, alarms on errors and throttles, and for an
// asynchronous function a dead-letter queue with an alarm on its depth.
type GoFunction struct {
	constructs.Construct
	// Function is the Lambda function.
	Function awslambda.Function
	// Role is the function's execution role.
	Role awsiam.Role
	// LogGroup receives the function's logs.
	LogGroup awslogs.LogGroup
	// DeadLetterQueue holds failed asynchronous invocations; nil for a
	// synchronous function.
	DeadLetterQueue awssqs.Queue
	// Alarms are the function's alarms (errors, throttles, dead letters).
	Alarms []awscloudwatch.Alarm
}

// LambdaZip returns the path of the zip of the named function in dir, or an
// error telling how to build it when it is missing.
func LambdaZip(dir, name string) (string, error) {
	p := filepath.Join(dir, name+".zip")
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("lambda zip for functions/%s: %w (run infra/build-lambdas.sh %s first)", name, err, dir)
	}
	return p, nil
}

// NewGoFunction builds the function described by props.Spec.
func NewGoFunction(scope constructs.Construct, id string, props GoFunctionProps) (*GoFunction, error) {
	spec := props.Spec
	zip, err := LambdaZip(props.LambdaDir, spec.Name)
	if err != nil {
		return nil, err
	}
	c := constructs.NewConstruct(scope, jsii.String(id))
	g := &GoFunction{Construct: c}

	g.LogGroup = awslogs.NewLogGroup(c, jsii.String("Logs"), &awslogs.LogGroupProps{
		Retention:     awslogs.RetentionDays_THREE_MONTHS,
		RemovalPolicy: awscdk.RemovalPolicy_RETAIN,
	})
	g.Role = awsiam.NewRole(c, jsii.String("Role"), &awsiam.RoleProps{
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil),
		Description: jsii.String("Execution role of the " + spec.Name + " function"),
	})
	// Instead of AWSLambdaBasicExecutionRole: write to its own log group only.
	g.LogGroup.GrantWrite(g.Role)

	env := map[string]*string{}
	if spec.Env != nil {
		for k, v := range spec.Env(props.Deps) {
			env[k] = jsii.String(v)
		}
	}
	fp := &awslambda.FunctionProps{
		Description:   jsii.String(spec.Description),
		Runtime:       awslambda.Runtime_PROVIDED_AL2023(),
		Architecture:  awslambda.Architecture_ARM_64(),
		Handler:       jsii.String("bootstrap"),
		Code:          awslambda.Code_FromAsset(jsii.String(zip), nil),
		MemorySize:    jsii.Number(spec.MemoryMB),
		Timeout:       awscdk.Duration_Seconds(jsii.Number(spec.Timeout.Seconds())),
		Role:          g.Role,
		LogGroup:      g.LogGroup,
		LoggingFormat: awslambda.LoggingFormat_JSON,
		Tracing:       awslambda.Tracing_ACTIVE,
		Environment:   &env,
	}
	if spec.Trigger.Async() {
		g.DeadLetterQueue = awssqs.NewQueue(c, jsii.String("DeadLetters"), &awssqs.QueueProps{
			Encryption:      awssqs.QueueEncryption_SQS_MANAGED,
			EnforceSSL:      jsii.Bool(true),
			RetentionPeriod: awscdk.Duration_Days(jsii.Number(14)),
		})
		fp.DeadLetterQueue = g.DeadLetterQueue
		fp.RetryAttempts = jsii.Number(2)
		fp.MaxEventAge = awscdk.Duration_Hours(jsii.Number(6))
	}
	g.Function = awslambda.NewFunction(c, jsii.String("Function"), fp)
	if spec.Grant != nil {
		spec.Grant(props.Deps, g.Function)
	}
	Suppress(g.Role, append([]Suppression{
		{ID: "AwsSolutions-IAM5", AppliesTo: []string{"Resource::*"},
			Reason: "X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions"},
	}, spec.Suppressions...)...)

	period := awscdk.Duration_Minutes(jsii.Number(5))
	g.alarm(props.AlarmTopic, "Errors", "invocations of "+spec.Name+" failed",
		g.Function.MetricErrors(&awscloudwatch.MetricOptions{Period: period, Statistic: jsii.String("Sum")}))
	g.alarm(props.AlarmTopic, "Throttles", "invocations of "+spec.Name+" were throttled",
		g.Function.MetricThrottles(&awscloudwatch.MetricOptions{Period: period, Statistic: jsii.String("Sum")}))
	if g.DeadLetterQueue != nil {
		g.alarm(props.AlarmTopic, "DeadLetterDepth", "events for "+spec.Name+" are waiting in its dead-letter queue",
			g.DeadLetterQueue.MetricApproximateNumberOfMessagesVisible(&awscloudwatch.MetricOptions{Period: period, Statistic: jsii.String("Maximum")}))
	}
	return g, nil
}

// alarm adds an alarm that fires when metric is at least 1 in a period.
func (g *GoFunction) alarm(topic awssns.ITopic, id, what string, metric awscloudwatch.Metric) {
	a := awscloudwatch.NewAlarm(g.Construct, jsii.String(id+"Alarm"), &awscloudwatch.AlarmProps{
		AlarmDescription:   jsii.String("Bulwark: " + what),
		Metric:             metric,
		Threshold:          jsii.Number(1),
		EvaluationPeriods:  jsii.Number(1),
		ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
		TreatMissingData:   awscloudwatch.TreatMissingData_NOT_BREACHING,
	})
	if topic != nil {
		a.AddAlarmAction(awscloudwatchactions.NewSnsAction(topic))
	}
	g.Alarms = append(g.Alarms, a)
}
