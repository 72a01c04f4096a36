package inventory

import (
	"context"
	"strings"
	"testing"
)

// TestWarnsWithoutAccount: an item read without an account id is kept but
// warned about, naming the resource (#16.5).
func TestWarnsWithoutAccount(t *testing.T) {
	const item = `{"configurationItemVersion":"1.3","configurationItemCaptureTime":"2024-01-01T00:00:00.000Z","configurationItemStatus":"OK",%s"awsRegion":"us-west-2","resourceType":"AWS::EC2::Instance","resourceId":"i-344c463d","configuration":{"instanceId":"i-344c463d","vpcId":"vpc-41b4cf2a"}}`
	tests := []struct {
		name, data string
		warn       bool
	}{
		{"account id", `{"configurationItems":[` + strings.Replace(item, "%s", `"awsAccountId":"111111111111",`, 1) + `]}`, false},
		{"empty account id", `{"configurationItems":[` + strings.Replace(item, "%s", `"awsAccountId":"",`, 1) + `]}`, true},
		{"no account id", `{"configurationItems":[` + strings.Replace(item, "%s", ``, 1) + `]}`, true},
		{"account from the EventBridge envelope", `{"version":"0","id":"1","detail-type":"Config Configuration Item Change","source":"aws.config","account":"111111111111","region":"us-west-2","time":"2024-01-01T00:00:00Z","resources":[],"detail":{"messageType":"ConfigurationItemChangeNotification","configurationItem":` + strings.Replace(item, "%s", ``, 1) + `}}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := NewReader(nil).Parse(context.Background(), "items.json", []byte(tt.data))
			if res.Err != nil || res.Items != 1 {
				t.Fatalf("res = %+v", res)
			}
			warned := len(res.Warnings) == 1 && strings.Contains(res.Warnings[0].Message, "AWS::EC2::Instance i-344c463d has no account id")
			if warned != tt.warn || (!tt.warn && len(res.Warnings) > 0) {
				t.Errorf("warnings = %v, want a warning: %v", res.Warnings, tt.warn)
			}
		})
	}
}
