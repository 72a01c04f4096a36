// Command jirawebhook is the Jira webhook Lambda: API Gateway (HTTP API,
// payload format 2.0) routes POST /api/v1/webhooks/jira/{tenant}/{instance}
// here. Deliveries are authenticated by their X-Hub-Signature (HMAC-SHA256
// under the instance's webhook secret, read from Secrets Manager), not by
// a user token; every other request gets 404 (app.JiraWebhookHandler). It
// is configured by the BULWARK_STORE and BULWARK_SECRETS environment
// variables (see README).
package main

import (
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/bulwark-tm/bulwark/pkg/app"
)

func main() {
	lambda.Start(app.MustHandler(app.JiraWebhookHandler))
}
