// Command drift is the Lambda of the EventBridge schedule (every 15
// minutes): it checks every linked Accelerator model of every tenant
// against its VPC (workflow.Engine.CheckAll), pulls the current Security
// Hub findings and AWS Config rule evaluations of each verified member
// account that is new or not pulled for BULWARK_EVIDENCE_EVERY (a day;
// workflow.Engine.PullEvidence) and, when the Jira integration is
// configured, pulls the status of linked Jira issues for those tenants
// (jira.Service.PullAll); workflow.Engine.RunScheduled, wired by
// app.DriftHandler. It is configured by BULWARK_STORE,
// BULWARK_ACCELERATOR_SOURCE, BULWARK_EVIDENCE_EVERY and BULWARK_SECRETS
// (see README).
package main

import (
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/bulwark-tm/bulwark/pkg/app"
)

func main() {
	lambda.Start(app.MustHandler(app.DriftHandler))
}
