package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBuildWithoutVPCItem: items whose VPC item is absent make build say
// which VPCs they refer to and how to get the VPC's item; an item without
// an account id is warned about (#16.5). The items follow the AWS Config
// developer guide's example snapshot (an instance in vpc-41b4cf2a).
func TestBuildWithoutVPCItem(t *testing.T) {
	dir := t.TempDir()
	snap := filepath.Join(dir, "snapshot.json")
	const items = `{"fileVersion":"1.0","configurationItems":[
{"configurationItemVersion":"1.0","resourceId":"i-344c463d","accountId":"111111111111","awsRegion":"us-west-2","configurationItemCaptureTime":"2014-03-07T23:47:09.523Z","configurationItemStatus":"OK","resourceType":"AWS::EC2::Instance",
 "relationships":[{"resourceId":"subnet-47b4cf2c","resourceType":"AWS::EC2::Subnet","name":"Is contained in Subnet"}],
 "configuration":{"instanceId":"i-344c463d","subnetId":"subnet-47b4cf2c","vpcId":"vpc-41b4cf2a"}},
{"configurationItemVersion":"1.0","resourceId":"vol-ce676ccc","accountId":"","awsRegion":"us-west-2","configurationItemCaptureTime":"2014-03-07T23:47:08.918Z","configurationItemStatus":"OK","resourceType":"AWS::EC2::Volume",
 "configuration":{"volumeId":"vol-ce676ccc"}}]}`
	if err := os.WriteFile(snap, []byte(items), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "model.json")
	how := "aws configservice get-resource-config-history --resource-type AWS::EC2::VPC --resource-id vpc-41b4cf2a --region us-west-2"
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"without --vpc", []string{"build", "--config", snap, "--out", out},
			[]string{"no VPC configuration item", "vpc-41b4cf2a (account 111111111111, us-west-2; 1 items)", how, "AWS::EC2::Volume vol-ce676ccc has no account id"}},
		{"with --vpc", []string{"build", "--config", snap, "--vpc", "vpc-41b4cf2a", "--out", out},
			[]string{"no configuration item of this VPC, though 1 items refer to it", how}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := Run(context.Background(), tt.args, &stdout, &stderr)
			if err == nil {
				t.Fatalf("build succeeded:\n%s", stdout.String())
			}
			msg := stderr.String() + err.Error()
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("output lacks %q:\n%s", w, msg)
				}
			}
		})
	}
}
