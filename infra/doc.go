// Package infra is Bulwark's AWS deployment, written with the AWS CDK v2.
//
// It has one stack per concern, each built by a NewXStack(scope, id, props)
// function:
//
//   - [NewMonitoringStack]: the encrypted SNS topic every alarm notifies.
//   - [NewDataStack]: the DynamoDB table (on-demand, point-in-time recovery,
//     customer-managed KMS key, deletion protection) and the S3 bucket for
//     large blobs and report files.
//   - [NewWebStack]: the S3 bucket and CloudFront distribution (origin access
//     control, SPA routing, security headers) serving web/dist.
//   - [NewAPIStack]: the Cognito user pool (groups admin, editor, viewer and
//     the custom:tenant attribute), the HTTP API with its JWT authorizer,
//     access logs and throttling, and the functions whose trigger is HTTP.
//   - [NewWebConfigStack]: the generated config.json that tells the web app
//     where the API and the user pool are.
//   - [NewMemberStack]: deployed in every member account: the read-only role
//     the platform assumes with an ExternalId, and the EventBridge rule that
//     forwards AWS Config and Security Hub events to the platform's bus.
//
// Every Lambda function is one entry of the [Functions] registry (name,
// handler directory, trigger, environment, grants) and is built by
// [NewGoFunction] from the zip that infra/build-lambdas.sh makes from
// functions/<name>. [NewPlatform] wires the platform stacks together and
// [ApplyNag] runs the cdk-nag AwsSolutions checks over an app; every
// suppression is made with [Suppress] and carries its reason in the code.
package infra
