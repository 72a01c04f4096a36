package infra

import (
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"
)

// Suppression is one accepted cdk-nag finding. Reason says why the finding
// does not apply or is accepted; AppliesTo narrows an IAM5 or IAM4
// suppression to the named findings (e.g. "Resource::*"), or to those
// matching a regular expression written between slashes ("/^Resource::.*Blobs.*\/\*$/").
type Suppression struct {
	ID        string
	Reason    string
	AppliesTo []string
}

// Suppress records suppressions on c and its children. It panics when a
// suppression has no reason, so an unexplained suppression cannot be synthesized.
func Suppress(c constructs.IConstruct, sups ...Suppression) {
	var out []*cdknag.NagPackSuppression
	for _, s := range sups {
		if len(s.Reason) < 10 {
			panic("cdk-nag suppression " + s.ID + " on " + *c.Node().Path() + " needs a reason")
		}
		ns := &cdknag.NagPackSuppression{Id: jsii.String(s.ID), Reason: jsii.String(s.Reason)}
		if len(s.AppliesTo) > 0 {
			at := make([]interface{}, len(s.AppliesTo))
			for i, a := range s.AppliesTo {
				if len(a) > 2 && strings.HasPrefix(a, "/") && strings.HasSuffix(a, "/") {
					at[i] = &cdknag.RegexAppliesTo{Regex: jsii.String(a)}
				} else {
					at[i] = a
				}
			}
			ns.AppliesTo = &at
		}
		out = append(out, ns)
	}
	cdknag.NagSuppressions_AddResourceSuppressions(c, &out, jsii.Bool(true))
}

// ApplyNag adds the cdk-nag AwsSolutions checks to every stack of scope.
// Findings become error and warning annotations: an error makes `cdk synth`
// fail, and the tests read both with assertions.Annotations_FromStack.
func ApplyNag(scope constructs.IConstruct) {
	awscdk.Aspects_Of(scope).Add(cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{Verbose: jsii.Bool(true)}), nil)
}
