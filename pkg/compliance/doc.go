// Package compliance turns AWS Security Hub findings and AWS Config rule
// evaluations into evidence, keeps that evidence, and joins it with a threat
// model's security requirements to say whether each requirement is really
// implemented in the account: COMPLIANT, NON_COMPLIANT or NOT_AVAILABLE (no
// evidence).
//
// Inputs (Parse detects the shape):
//   - Security Hub findings in ASFF, both the per-standard form (GeneratorId
//     "arn:aws:securityhub:::ruleset/cis-aws-foundations-benchmark/v/1.2.0/rule/1.1"
//     or "aws-foundational-security-best-practices/v/1.0.0/EC2.2", with
//     ProductFields.ControlId / RuleId and StandardsArn) and the consolidated
//     form (Compliance.SecurityControlId, GeneratorId "security-control/EC2.2"),
//     inside EventBridge "Security Hub Findings - Imported" events, a
//     GetFindings answer ({"Findings": [...]}) or an exported array
//     (per-standard PCI DSS control ids such as PCI.CW.1 are read as
//     their consolidated controls);
//   - Security Hub findings in OCSF (class Compliance Finding, 2003) inside
//     EventBridge "Findings Imported V2" events, or bare; the same check
//     on the same resource gets the same evidence id as its ASFF form;
//   - AWS Config rule evaluations inside EventBridge "Config Rules Compliance
//     Change" events, ComplianceChangeNotification messages (also wrapped in
//     an SNS envelope), GetComplianceDetailsByConfigRule answers
//     ({"EvaluationResults": [...]}) and the aggregator's
//     GetAggregateComplianceDetailsByConfigRule answers.
//
// A file may hold one JSON value or a stream of them (JSON Lines).
//
// Evidence about one check on one resource has one deterministic id (account,
// region, resource, check), so every delivery of it lands on the same record.
// Merge keeps the newest observation; between two different observations with
// the same time it keeps the one with the greater content fingerprint, so the
// result does not depend on the order in which events arrive, and replaying an
// event changes nothing. Repo stores evidence this way in a store.Store, one
// collection per AWS account; the Lambda that receives EventBridge events and
// the laptop's file import share it. Each write that changes an account's
// evidence raises the account's mark (Repo.Marks), so that results computed
// from the evidence (a model's contradictions, kept by package workflow)
// are known current without reading it again.
//
// View joins a model's requirement items (from package analysis) with the
// evidence about its components' resources, matched by ARN, then by
// (account, region, type, id), never by a bare name; with evidence about
// the resources an element depends on (its security groups, the subnet or
// VPC it is drawn in; Observation.Via names them); and with account-level
// evidence (IAM, CloudTrail, ...) of the element's own account, and for a
// regional check of its own region. Evaluate also finds the properties the
// evidence contradicts (Contradictions: "Security Hub says public, the
// model says private") and evaluates the requirements only the evidence
// raises. Unmapped lists the checks of some evidence that decide no
// requirement. CIS evaluates the CIS AWS Foundations Benchmark items of
// the catalog against the same evidence.
//
// The AWS APIs themselves (Security Hub GetFindings, Config
// GetComplianceDetailsByConfigRule and the aggregator) are reached through
// the FindingsSource and EvaluationsSource interfaces; package
// compliance/awsevidence implements them with aws-sdk-go-v2. PullAccount
// stores what the sources of one account return, only about that account;
// the scheduled run (package workflow, PullEvidence) calls it for each
// verified account, so that an account has evidence before any of its
// findings changes.
package compliance
