// Command bulwark-infra is Bulwark's CDK app: the platform stacks and the
// member-account stack. The CDK CLI runs it (see cdk.json at the repository
// root); it reads these context values (-c key=value):
//
//	bulwark:lambdaDir               Lambda zips (default <repo>/dist/lambda)
//	bulwark:webDir                  built web app (default <repo>/web/dist)
//	bulwark:alarmEmail              subscribe this address to the alarm topic
//	bulwark:webAclArn               attach this WAF web ACL to CloudFront
//	bulwark:cognitoThreatProtection "true" for Cognito's Plus plan
//	bulwark:platformAccountId       default PlatformAccountId of the member stack
//	bulwark:platformRegion          default PlatformRegion of the member stack (empty: the member's region)
//	bulwark:organizationId          default OrganizationId of the events stack (empty: no organization, no bus policy)
//	bulwark:stacks                  "all" (default), "platform" or "member"
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/bulwark-tm/bulwark/infra"
)

func main() {
	defer jsii.Close()
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bulwark-infra:", err)
		jsii.Close()
		os.Exit(1)
	}
}

func run() error {
	flags := infra.FeatureFlags
	app := awscdk.NewApp(&awscdk.AppProps{Context: &flags})
	ctx := func(key, def string) string {
		if v, ok := app.Node().TryGetContext(jsii.String(key)).(string); ok && v != "" {
			return v
		}
		return def
	}
	root, err := repoRoot()
	if err != nil {
		return err
	}
	var env *awscdk.Environment
	if acct, region := os.Getenv("CDK_DEFAULT_ACCOUNT"), os.Getenv("CDK_DEFAULT_REGION"); acct != "" && region != "" {
		env = &awscdk.Environment{Account: jsii.String(acct), Region: jsii.String(region)}
	}
	path := func(key string, def ...string) string {
		p := ctx(key, filepath.Join(def...))
		if !filepath.IsAbs(p) {
			p = filepath.Join(root, p) // relative to the repository root
		}
		return p
	}
	which := ctx("bulwark:stacks", "all")
	if which == "all" || which == "platform" {
		if _, err := infra.NewPlatform(app, infra.PlatformProps{
			Env:                env,
			LambdaDir:          path("bulwark:lambdaDir", "dist", "lambda"),
			WebDir:             path("bulwark:webDir", "web", "dist"),
			AlarmEmail:         ctx("bulwark:alarmEmail", ""),
			WebACLArn:          ctx("bulwark:webAclArn", ""),
			ThreatProtection:   ctx("bulwark:cognitoThreatProtection", "") == "true",
			OrganizationID:     ctx("bulwark:organizationId", ""),
			ConfigAggregator:   ctx("bulwark:configAggregator", ""),
			AggregatorAccounts: ctx("bulwark:aggregatorAccounts", ""),
		}); err != nil {
			return err
		}
	}
	if which == "all" || which == "member" {
		infra.NewMemberStack(app, "BulwarkMember", &infra.MemberStackProps{
			PlatformAccountID: ctx("bulwark:platformAccountId", ""),
			PlatformRegion:    ctx("bulwark:platformRegion", ""),
		})
	}
	infra.ApplyNag(app)
	app.Synth(nil)
	return nil
}

// repoRoot finds the repository root: the nearest directory, from the
// working directory up, holding cdk.json.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "cdk.json")); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no cdk.json in %s or any parent: run from the repository", dir)
		}
	}
}
