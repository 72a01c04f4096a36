// Package accounts is the Accelerator's view of AWS: the member accounts a
// tenant registers (12-digit id, name, the read-only role Bulwark assumes
// with a per-account ExternalId), the AWS Organizations tree they belong
// to, and the sources an inventory of an account is collected from.
//
// # Ownership
//
// An account id belongs to one tenant: Registry.Register refuses an id
// another tenant holds with the same Conflict the owner gets for
// registering it twice, so the answer tells nothing about the other
// tenant. A registration is unverified until Registry.Verify succeeds with
// a Verifier: awsclient.RoleVerifier assumes the member role (fixed name
// MemberRole, so the ARN follows from the id) with the account's
// ExternalId; with a Config aggregator, where no role is assumed, the
// operator's AllowList decides. Registry.Usable is the check every
// Accelerator read makes (VPCs, builds, drift, organization tree, events,
// findings); accounts read from snapshot files (the local demo) need no
// verification. An unverified registration lapses after PendingClaim when
// another tenant registers the id.
//
// The package does no AWS calls itself: Source, OrgReader and Verifier are
// interfaces that pkg/awsclient implements with AWS Config, STS and
// Organizations, and that DirSource implements with AWS Config snapshot
// files on disk (the local demo). The composition root picks the
// implementations.
//
// Invariants: no AWS keys are ever stored; a registered account holds only
// its role ARN and the ExternalId Bulwark generated for it, and access
// through that role is read-only (the BulwarkMember stack in infra/).
package accounts
