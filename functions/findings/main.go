// Command findings is the EventBridge Lambda for compliance evidence: the
// platform bus's rules send "Security Hub Findings - Imported" (ASFF),
// "Findings Imported V2" (Security Hub's OCSF findings) and "Config Rules
// Compliance Change" events here (from the platform account and,
// through the member stacks' forwarding rules, from member accounts). Each
// finding or evaluation becomes evidence (compliance.Parse) stored for
// the tenant that registered and verified its account
// (compliance.Distributor); an older or repeated observation changes
// nothing; an unreadable event is dropped (compliance.EventHandler, wired
// by app.FindingsHandler). It is configured by BULWARK_STORE (see README).
package main

import (
	"context"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/bulwark-tm/bulwark/pkg/app"
)

func main() {
	lambda.Start(app.FindingsHandler(app.MustLambda(context.Background())))
}
