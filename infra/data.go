package infra

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// Key attribute names of the single table. The DynamoDB store driver
// (pkg/store/dynamo) must use the same.
const (
	TablePartitionKey = "PK"
	TableSortKey      = "SK"
)

// TableGrantSuppressions explain the cdk-nag findings of
// Table.GrantReadData and Table.GrantReadWriteData: CDK's grant of the
// table's customer-managed key.
var TableGrantSuppressions = []Suppression{{
	ID:        "AwsSolutions-IAM5",
	AppliesTo: []string{"Action::kms:ReEncrypt*", "Action::kms:GenerateDataKey*"},
	Reason:    "CDK's table grant for a customer-managed key: re-encrypt and data-key generation on the table's own key only",
}}

// BlobGrantSuppressions explain the cdk-nag finding of
// [DataStack.GrantBlobReadWrite]: object actions apply to the objects of
// the blob bucket, whose keys are chosen at run time.
var BlobGrantSuppressions = []Suppression{{
	ID:        "AwsSolutions-IAM5",
	AppliesTo: []string{`/^Resource::.*Blobs.*\/\*$/`},
	Reason:    "Get, put and delete apply to objects of the blob bucket only; object keys are chosen at run time",
}}

// DataStackProps configures [NewDataStack].
type DataStackProps struct {
	awscdk.StackProps
}

// DataStack holds Bulwark's data: the single DynamoDB table and the S3
// bucket for large diagram blobs and report files, both encrypted with the
// stack's customer-managed key and retained when the stack is deleted.
type DataStack struct {
	awscdk.Stack
	// Key is the customer-managed key encrypting the table and the blobs.
	Key awskms.Key
	// Table is the single table of the DynamoDB store.
	Table awsdynamodb.Table
	// Blobs holds large diagram blobs and report files.
	Blobs awss3.Bucket
	// AccessLogs receives the server access logs of Blobs.
	AccessLogs awss3.Bucket
}

// NewDataStack creates the data stack.
func NewDataStack(scope constructs.Construct, id string, props *DataStackProps) *DataStack {
	if props == nil {
		props = &DataStackProps{}
	}
	stack := awscdk.NewStack(scope, jsii.String(id), &props.StackProps)
	s := &DataStack{Stack: stack}

	s.Key = awskms.NewKey(stack, jsii.String("DataKey"), &awskms.KeyProps{
		Description:       jsii.String("Bulwark: encrypts the table and the blob bucket"),
		EnableKeyRotation: jsii.Bool(true),
		RemovalPolicy:     awscdk.RemovalPolicy_RETAIN,
	})

	s.Table = awsdynamodb.NewTable(stack, jsii.String("Table"), &awsdynamodb.TableProps{
		PartitionKey: &awsdynamodb.Attribute{Name: jsii.String(TablePartitionKey), Type: awsdynamodb.AttributeType_STRING},
		SortKey:      &awsdynamodb.Attribute{Name: jsii.String(TableSortKey), Type: awsdynamodb.AttributeType_STRING},
		BillingMode:  awsdynamodb.BillingMode_PAY_PER_REQUEST,
		PointInTimeRecoverySpecification: &awsdynamodb.PointInTimeRecoverySpecification{
			PointInTimeRecoveryEnabled: jsii.Bool(true),
		},
		Encryption:         awsdynamodb.TableEncryption_CUSTOMER_MANAGED,
		EncryptionKey:      s.Key,
		DeletionProtection: jsii.Bool(true),
		RemovalPolicy:      awscdk.RemovalPolicy_RETAIN,
	})

	s.AccessLogs = newLogBucket(stack, "AccessLogs", awss3.ObjectOwnership_BUCKET_OWNER_ENFORCED, "expire-access-logs")

	s.Blobs = awss3.NewBucket(stack, jsii.String("Blobs"), &awss3.BucketProps{
		Encryption:             awss3.BucketEncryption_KMS,
		EncryptionKey:          s.Key,
		BucketKeyEnabled:       jsii.Bool(true),
		BlockPublicAccess:      awss3.BlockPublicAccess_BLOCK_ALL(),
		EnforceSSL:             jsii.Bool(true),
		ObjectOwnership:        awss3.ObjectOwnership_BUCKET_OWNER_ENFORCED,
		Versioned:              jsii.Bool(true),
		ServerAccessLogsBucket: s.AccessLogs,
		ServerAccessLogsPrefix: jsii.String("blobs/"),
		RemovalPolicy:          awscdk.RemovalPolicy_RETAIN,
		LifecycleRules: &[]*awss3.LifecycleRule{
			{
				Id:                                  jsii.String("abort-incomplete-uploads"),
				AbortIncompleteMultipartUploadAfter: awscdk.Duration_Days(jsii.Number(7)),
			},
			{
				Id:                          jsii.String("expire-old-versions"),
				NoncurrentVersionExpiration: awscdk.Duration_Days(jsii.Number(90)),
			},
			{
				Id:     jsii.String("reports-to-infrequent-access"),
				Prefix: jsii.String("reports/"),
				Transitions: &[]*awss3.Transition{{
					StorageClass:    awss3.StorageClass_INFREQUENT_ACCESS(),
					TransitionAfter: awscdk.Duration_Days(jsii.Number(30)),
				}},
			},
		},
	})
	return s
}

// GrantBlobReadWrite lets grantee get, put and delete objects in the blob
// bucket and list it, and use the data key for those objects only: exactly
// the actions the store needs, no wildcard actions.
func (s *DataStack) GrantBlobReadWrite(grantee awsiam.IGrantable) {
	awsiam.Grant_AddToPrincipal(&awsiam.GrantOnPrincipalOptions{
		Grantee:      grantee,
		Actions:      jsii.Strings("s3:GetObject", "s3:PutObject", "s3:DeleteObject"),
		ResourceArns: jsii.Strings(*s.Blobs.ArnForObjects(jsii.String("*"))),
	})
	awsiam.Grant_AddToPrincipal(&awsiam.GrantOnPrincipalOptions{
		Grantee:      grantee,
		Actions:      jsii.Strings("s3:ListBucket"),
		ResourceArns: jsii.Strings(*s.Blobs.BucketArn()),
	})
	s.Key.Grant(grantee, jsii.String("kms:Decrypt"), jsii.String("kms:GenerateDataKey"))
}

// newLogBucket creates a bucket that receives logs: SSE-S3 (S3 server
// access logging delivers only to SSE-S3 buckets), private, TLS only,
// retained, its objects expired by the lifecycle rule ruleID after a
// year, and not logging its own access (that would recurse). ownership is
// what the log writer needs (CloudFront standard logging writes with
// ACLs).
func newLogBucket(stack awscdk.Stack, id string, ownership awss3.ObjectOwnership, ruleID string) awss3.Bucket {
	b := awss3.NewBucket(stack, jsii.String(id), &awss3.BucketProps{
		Encryption:        awss3.BucketEncryption_S3_MANAGED,
		BlockPublicAccess: awss3.BlockPublicAccess_BLOCK_ALL(),
		EnforceSSL:        jsii.Bool(true),
		ObjectOwnership:   ownership,
		RemovalPolicy:     awscdk.RemovalPolicy_RETAIN,
		LifecycleRules: &[]*awss3.LifecycleRule{{
			Id:         jsii.String(ruleID),
			Expiration: awscdk.Duration_Days(jsii.Number(365)),
		}},
	})
	Suppress(b, Suppression{ID: "AwsSolutions-S1",
		Reason: "This is the access-log bucket itself; logging its own access would recurse"})
	return b
}
