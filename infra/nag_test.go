package infra

import (
	"fmt"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
)

// TestNag: the cdk-nag AwsSolutions checks report no unsuppressed error or
// warning on any stack.
func TestNag(t *testing.T) {
	f := getFixture(t)
	for _, s := range f.stacks() {
		t.Run(*s.StackName(), func(t *testing.T) {
			a := assertions.Annotations_FromStack(s)
			match := assertions.Match_StringLikeRegexp(jsii.String("AwsSolutions-.*"))
			for _, m := range *a.FindError(jsii.String("*"), match) {
				t.Errorf("error at %s: %v", *m.Id, fmt.Sprint(m.Entry.Data))
			}
			for _, m := range *a.FindWarning(jsii.String("*"), match) {
				t.Errorf("warning at %s: %v", *m.Id, fmt.Sprint(m.Entry.Data))
			}
		})
	}
}
