// Command configevents is the EventBridge Lambda for AWS Config
// configuration item changes: the platform bus's rule sends every "Config
// Configuration Item Change" event (from the platform account and, through
// the member stacks' forwarding rules, from member accounts) here, and the
// models built from the changed resource's VPC are marked out of sync
// (workflow.Engine.HandleBusEvent, wired by app.ConfigEventsHandler) for
// every tenant that registered the account. An oversized change
// notification (an item over EventBridge's 256 KB) carries no item: it is
// read from AWS Config (awsclient.ConfigFetcher: GetResourceConfigHistory
// through the owner's member role, or GetAggregateResourceConfig on the
// aggregator). Handling is idempotent. It is configured by BULWARK_STORE
// and BULWARK_ACCELERATOR_SOURCE (see README).
package main

import (
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/bulwark-tm/bulwark/pkg/app"
)

func main() {
	lambda.Start(app.MustHandler(app.ConfigEventsHandler))
}
