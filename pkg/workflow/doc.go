// Package workflow runs the Accelerator: the VPC build as steps, the link
// between a threat model and the VPC it was built from, drift checks (on a
// schedule and on AWS Config change events), one-way sync, and the
// scheduled evidence pull.
//
// # The build
//
// A build is five steps, in the order of Steps: collect (the VPC resource
// types, accounts.VPCTypes, of the account and region from an
// accounts.Source) → build (pkg/builder draws the VPC) → analyze
// (pkg/analysis, counts only) → evaluate (the model's requirements against
// the evidence stored for its accounts, pkg/compliance: compliant,
// non-compliant, not available) → persist (create the model, or sync it
// when it exists, and record the link). Every read goes through
// accounts.Registry.Usable: the tenant's own, verified accounts only. Each step takes a State and returns one;
// a State holds only references (run id, blob ids) and counts, so it stays
// far below the 256 KiB a Step Functions state may carry. Bulky
// intermediate results (the inventory, the built model) are blobs in the
// store, keyed by run and step.
//
// Every step is idempotent: Engine.Step records each step's output State in
// the run, and a step that already succeeded returns its recorded output
// without running again, so Step Functions retries and replays change
// nothing. The same Engine.Step runs in-process (Local, used by `bulwark
// serve`) and in the functions/vpcbuild Lambda, one task per step, in the
// state machine infra/ generates from Steps (see Definition).
//
// # Links, drift and sync
//
// A Link (one per Accelerator model, store kind "accelerator-link") records
// the model's account, region and VPC, its sync status (in sync, out of
// sync, or unknown until the first check), the last drift report and the
// change events seen since. Check rebuilds the VPC's diagram and compares
// (pkg/drift); HandleEvent marks the links of the VPC an AWS Config change
// touched out of sync within seconds, without a rebuild; Sync applies the
// VPC to the model one way. The link also keeps what current evidence
// contradicts in the model (ContradictionLog), computed by the build, the
// check and the sync with the model revision and evidence marks it was
// computed from; DriftLog reads it and computes it again only when either
// changed since. The models the build and the sync save are versions in
// their history, by AuthorBuild and AuthorSync.
//
// # The dashboard
//
// The dashboard (Summarize, VPCRows) only reads the store: each account's
// VPCList is listed in AWS Config when the account is verified
// (VerifyAccount) or registered from files (RegisterDir), again by the
// handler of a change event about a VPC, and by every scheduled check
// (CheckAll). An account not listed yet is shown as such.
//
// A check or a sync the user asks for reads the VPC's inventory, which can
// outlast API Gateway's 29 s: like a build it is a run (NewCheck, NewSync;
// modes ModeCheck and ModeSync with CheckSteps and SyncSteps) that the
// Starter runs in-process or on the state machine, whose first state
// chooses the steps by the State's Mode. Starting one reads only the
// store.
//
// # The schedule and the evidence pull
//
// RunScheduled is the periodic job (functions/drift every 15 minutes,
// Schedule in `bulwark serve`): CheckAll, then the evidence pull, then the
// Jira pull. Evidence reaches the store from events (Security Hub and
// AWS Config rule compliance changes) and file imports, which say only
// what changed; the pull (PullEvidence, on when Engine.Evidence is set,
// in aws mode) reads the current findings and rule evaluations of every
// account a tenant registered and proved it owns, through
// EvidenceSources (awsevidence.Sources: the member role in each of the
// account's regions, or the aggregator), when the account was never
// pulled, was verified again since, failed last time, or was last pulled
// more than EvidencePull.Every ago (a day), within a time budget per run.
// Each pull is recorded (EvidencePullRecord, store kind "evidence-pull").
// compliance.PullAccount stores only the evidence about the pulled
// account, idempotently. No request calls AWS for evidence.
package workflow
