package store

import "strings"

// Every collection Bulwark keeps, in one list, so that two packages can
// never pick the same name. Names are stored in every deployment's data:
// append new kinds at the end; never rename, reuse or remove one.
const (
	// KindModel holds threat models.
	KindModel Kind = "model"
	// KindVersion holds the saved versions of models (see History).
	KindVersion Kind = "version"
	// KindTemplate holds templates (pkg/template).
	KindTemplate Kind = "template"
	// KindTemplateVersion holds every saved version of a template, id
	// "<template id>@<version>".
	KindTemplateVersion Kind = "template-version"
	// KindAccount holds registered member accounts (pkg/accounts).
	KindAccount Kind = "accelerator-account"
	// KindAccountIndex maps an account id to the tenants that registered
	// it; it is kept under the system tenant (accounts.SystemTenant).
	KindAccountIndex Kind = "accelerator-account-index"
	// KindWorkflowRun holds Accelerator runs: builds, checks, syncs
	// (pkg/workflow).
	KindWorkflowRun Kind = "workflow-run"
	// KindWorkflowBlob holds the large intermediate results of a run's
	// steps.
	KindWorkflowBlob Kind = "workflow-blob"
	// KindVPCLink links a model to the VPC it was built from, with its
	// drift log.
	KindVPCLink Kind = "accelerator-link"
	// KindVPCList holds an account's VPCs as AWS Config last listed them.
	KindVPCList Kind = "accelerator-vpcs"
	// KindJiraInstance holds Jira instances (pkg/jira); never a secret.
	KindJiraInstance Kind = "jira-instance"
	// KindJiraLink links a model to a Jira project, by model id.
	KindJiraLink Kind = "jira-link"
	// KindJiraIssue maps a Jira issue ("instance/issue id") to the item it
	// was created for.
	KindJiraIssue Kind = "jira-issue"
	// KindJiraIntent records an issue being created ("model/item"), so
	// that concurrent requests create one issue.
	KindJiraIntent Kind = "jira-intent"
	// KindEvidenceMark holds, per AWS account (by account id), a record
	// whose revision grows whenever the account's evidence changes, so
	// that what was computed from it is known to be current without
	// reading the evidence (pkg/compliance).
	KindEvidenceMark Kind = "evidence-mark"
	// KindEvidencePull holds, per tenant and AWS account (by account id),
	// the account's last evidence pull by the scheduled run: when, what it
	// stored, and why it failed (pkg/workflow).
	KindEvidencePull Kind = "evidence-pull"
)

// KindEvidencePrefix starts the kinds of compliance evidence: one kind per
// AWS account ("evidence@111111111111", see EvidenceKind).
const KindEvidencePrefix = "evidence@"

// Kinds lists every fixed kind, oldest first. Append only.
var Kinds = []Kind{
	KindModel, KindVersion, KindTemplate, KindTemplateVersion,
	KindAccount, KindAccountIndex, KindWorkflowRun, KindWorkflowBlob, KindVPCLink, KindVPCList,
	KindJiraInstance, KindJiraLink, KindJiraIssue, KindJiraIntent,
	KindEvidenceMark, KindEvidencePull,
}

// EvidenceKind is the kind holding the compliance evidence of an AWS
// account.
func EvidenceKind(account string) Kind { return Kind(KindEvidencePrefix + account) }

// IsEvidenceKind tells whether k holds compliance evidence.
func IsEvidenceKind(k Kind) bool { return strings.HasPrefix(string(k), KindEvidencePrefix) }
