// Command jirawebhook is the Jira webhook Lambda: API Gateway (HTTP API,
// payload format 2.0) routes POST /api/v1/webhooks/jira/{tenant}/{instance}
// here. Deliveries are authenticated by their X-Hub-Signature (HMAC-SHA256
// under the instance's webhook secret, read from Secrets Manager), not by
// a user token; every other request gets 404. It is configured by the
// BULWARK_STORE and BULWARK_SECRETS environment variables (see README).
package main

import (
	"context"
	"errors"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"

	"github.com/bulwark-tm/bulwark/pkg/api"
	"github.com/bulwark-tm/bulwark/pkg/app"
)

func main() {
	ctx := context.Background()
	l := app.MustLambda(ctx)
	jsvc, on, err := l.Config.JiraService(ctx, l.Store, l.Catalog, l.Logger)
	if err == nil && !on {
		err = errors.New("no secret store configured (BULWARK_SECRETS)")
	}
	l.Must(err, "jira integration")
	h := api.NewJiraWebhook(api.Deps{Store: l.Store, Logger: l.Logger, Version: app.Version, Catalog: l.Catalog, Jira: jsvc})
	lambda.Start(httpadapter.NewV2(h).ProxyWithContext)
}
