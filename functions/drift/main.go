// Command drift is the Lambda of the EventBridge schedule (every 15
// minutes): it checks every linked Accelerator model of every tenant
// against its VPC (workflow.Engine.CheckAll) and, when the Jira
// integration is configured, pulls the status of linked Jira issues for
// those tenants (jira.Service.PullAll); workflow.Engine.RunScheduled, wired
// by app.DriftHandler. It is configured by BULWARK_STORE,
// BULWARK_ACCELERATOR_SOURCE and BULWARK_SECRETS (see README).
package main

import (
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/bulwark-tm/bulwark/pkg/app"
)

func main() {
	lambda.Start(app.MustHandler(app.DriftHandler))
}
