// Command drift is the Lambda of the EventBridge schedule (every 15
// minutes): it checks every linked Accelerator model of every tenant
// against its VPC (workflow.Engine.CheckAll) and, when the Jira
// integration is configured, pulls the status of linked Jira issues for
// those tenants (jira.Service.PullAll). It is configured by BULWARK_STORE,
// BULWARK_ACCELERATOR_SOURCE and BULWARK_SECRETS (see README).
package main

import (
	"context"

	"github.com/aws/aws-lambda-go/lambda"

	"github.com/bulwark-tm/bulwark/pkg/app"
)

func main() {
	ctx := context.Background()
	l := app.MustLambda(ctx)
	eng, err := l.Config.Engine(ctx, l.Store, l.Catalog, l.Logger)
	l.Must(err, "accelerator")
	h := handler{engine: eng, logger: l.Logger}
	jsvc, on, err := l.Config.JiraService(ctx, l.Store, l.Catalog, l.Logger)
	l.Must(err, "jira integration")
	if on {
		h.jira = jsvc
	}
	lambda.Start(h.handle)
}
