package infra

import (
	"sort"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"
	"github.com/google/go-cmp/cmp"
)

func TestDataStack(t *testing.T) {
	f := getFixture(t)
	tp := f.template(f.platform.Data.Stack)

	tp.HasResourceProperties(jsii.String("AWS::KMS::Key"), obj(map[string]interface{}{"EnableKeyRotation": true}))
	tp.HasResource(jsii.String("AWS::DynamoDB::Table"), obj(map[string]interface{}{
		"DeletionPolicy": "Retain",
		"Properties": obj(map[string]interface{}{
			"BillingMode":                      "PAY_PER_REQUEST",
			"DeletionProtectionEnabled":        true,
			"PointInTimeRecoverySpecification": obj(map[string]interface{}{"PointInTimeRecoveryEnabled": true}),
			"SSESpecification": obj(map[string]interface{}{
				"SSEEnabled":     true,
				"SSEType":        "KMS",
				"KMSMasterKeyId": obj(map[string]interface{}{"Fn::GetAtt": arr(f.logicalID(f.platform.Data.Key.Node().DefaultChild()))}),
			}),
			"KeySchema": arr(
				obj(map[string]interface{}{"AttributeName": TablePartitionKey, "KeyType": "HASH"}),
				obj(map[string]interface{}{"AttributeName": TableSortKey, "KeyType": "RANGE"}),
			),
		}),
	}))

	blobs := f.logicalID(f.platform.Data.Blobs.Node().DefaultChild())
	tp.HasResourceProperties(jsii.String("AWS::S3::Bucket"), obj(map[string]interface{}{
		"PublicAccessBlockConfiguration": map[string]interface{}{
			"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true,
		},
		"BucketEncryption": obj(map[string]interface{}{
			"ServerSideEncryptionConfiguration": arr(obj(map[string]interface{}{
				"BucketKeyEnabled": true,
				"ServerSideEncryptionByDefault": obj(map[string]interface{}{
					"SSEAlgorithm": "aws:kms",
				}),
			})),
		}),
		"VersioningConfiguration": map[string]interface{}{"Status": "Enabled"},
		"LifecycleConfiguration": obj(map[string]interface{}{"Rules": arr(
			obj(map[string]interface{}{"AbortIncompleteMultipartUpload": map[string]interface{}{"DaysAfterInitiation": 7}}),
			obj(map[string]interface{}{"NoncurrentVersionExpiration": obj(map[string]interface{}{"NoncurrentDays": 90})}),
		)}),
		"LoggingConfiguration": obj(map[string]interface{}{"LogFilePrefix": "blobs/"}),
	}))
	// TLS only: the bucket policy denies every request without aws:SecureTransport.
	tp.HasResourceProperties(jsii.String("AWS::S3::BucketPolicy"), obj(map[string]interface{}{
		"Bucket": map[string]interface{}{"Ref": blobs},
		"PolicyDocument": obj(map[string]interface{}{"Statement": arr(obj(map[string]interface{}{
			"Effect":    "Deny",
			"Action":    "s3:*",
			"Condition": map[string]interface{}{"Bool": map[string]interface{}{"aws:SecureTransport": "false"}},
		}))}),
	}))
	// Every bucket of the stack blocks public access and is encrypted.
	for id, r := range resources(tp, "AWS::S3::Bucket") {
		p := props(r)
		if p["PublicAccessBlockConfiguration"] == nil || p["BucketEncryption"] == nil {
			t.Errorf("bucket %s: public access block or encryption missing: %v", id, p)
		}
	}
}

// TestGrantBlobReadWrite: object actions on the bucket's objects, listing on
// the bucket, and the data key for SSE-KMS; no wildcard action.
func TestGrantBlobReadWrite(t *testing.T) {
	app := newTestApp()
	data := NewDataStack(app, "D", nil)
	stack := awscdk.NewStack(app, jsii.String("G"), nil)
	role := awsiam.NewRole(stack, jsii.String("R"), &awsiam.RoleProps{
		AssumedBy: awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil),
	})
	data.GrantBlobReadWrite(role)
	Suppress(role, BlobGrantSuppressions...)
	ApplyNag(app)
	tp := assertions.Template_FromStack(stack, nil)
	got := roleActions(t, tp, *stack.GetLogicalId(role.Node().DefaultChild().(awscdk.CfnElement)))
	want := []string{"kms:Decrypt", "kms:GenerateDataKey", "s3:DeleteObject", "s3:GetObject", "s3:ListBucket", "s3:PutObject"}
	var names []string
	for a, res := range got {
		names = append(names, a)
		for _, r := range res {
			if r == "*" {
				t.Errorf("%s granted on every resource", a)
			}
		}
	}
	sort.Strings(names)
	if d := cmp.Diff(want, names); d != "" {
		t.Errorf("blob grant actions (-want +got):\n%s", d)
	}
	an := assertions.Annotations_FromStack(stack)
	for _, m := range *an.FindError(jsii.String("*"), assertions.Match_StringLikeRegexp(jsii.String("AwsSolutions-.*"))) {
		t.Errorf("cdk-nag error at %s: %v", *m.Id, m.Entry.Data)
	}
}
