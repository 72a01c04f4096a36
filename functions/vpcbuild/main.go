// Command vpcbuild is the task Lambda of the VPC build state machine
// (infra/workflow.go): each task invokes it with {"step": NAME, "state":
// STATE} and gets the step's new State back (workflow.Engine.Step). The
// state machine's Catch calls it with the step "fail", which records the
// failure in the run (workflow.Engine.Fail). Errors are reported with
// names such as "Bulwark.Unavailable" that the state machine retries or
// catches (workflow.ErrorName). The task is workflow.Engine.RunTask, wired
// by app.VPCBuildHandler. It is configured by BULWARK_STORE and
// BULWARK_ACCELERATOR_SOURCE (see README).
package main

import (
	"github.com/aws/aws-lambda-go/lambda"

	"github.com/bulwark-tm/bulwark/pkg/app"
)

func main() {
	lambda.Start(app.MustHandler(app.VPCBuildHandler))
}
