package infra

import (
	"testing"

	"github.com/aws/jsii-runtime-go"
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
