package infra

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssnssubscriptions"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// MonitoringStackProps configures [NewMonitoringStack].
type MonitoringStackProps struct {
	awscdk.StackProps
	// AlarmEmail, when set, is subscribed to the alarm topic.
	AlarmEmail string
}

// MonitoringStack holds what the platform's alarms notify.
type MonitoringStack struct {
	awscdk.Stack
	// AlarmTopic receives every alarm of the platform.
	AlarmTopic awssns.Topic
	// Key encrypts the alarm topic.
	Key awskms.Key
}

// NewMonitoringStack creates the alarm topic, encrypted with a
// customer-managed key that CloudWatch alarms may use, and publishable over
// TLS only.
func NewMonitoringStack(scope constructs.Construct, id string, props *MonitoringStackProps) *MonitoringStack {
	if props == nil {
		props = &MonitoringStackProps{}
	}
	stack := awscdk.NewStack(scope, jsii.String(id), &props.StackProps)
	s := &MonitoringStack{Stack: stack}
	s.Key = awskms.NewKey(stack, jsii.String("AlarmTopicKey"), &awskms.KeyProps{
		Description:       jsii.String("Bulwark: encrypts the alarm topic"),
		EnableKeyRotation: jsii.Bool(true),
		RemovalPolicy:     awscdk.RemovalPolicy_RETAIN,
	})
	// CloudWatch alarms publish to an encrypted topic only if they may use its key.
	s.Key.GrantEncryptDecrypt(awsiam.NewServicePrincipal(jsii.String("cloudwatch.amazonaws.com"), nil))
	s.AlarmTopic = awssns.NewTopic(stack, jsii.String("AlarmTopic"), &awssns.TopicProps{
		DisplayName: jsii.String("Bulwark alarms"),
		MasterKey:   s.Key,
		EnforceSSL:  jsii.Bool(true),
	})
	if props.AlarmEmail != "" {
		s.AlarmTopic.AddSubscription(awssnssubscriptions.NewEmailSubscription(jsii.String(props.AlarmEmail), nil))
	}
	return s
}
