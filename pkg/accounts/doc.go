// Package accounts is the Accelerator's view of AWS: the member accounts a
// tenant registers (12-digit id, name, the read-only role Bulwark assumes
// with a per-account ExternalId), the AWS Organizations tree they belong
// to, and the sources an inventory of an account is collected from.
//
// The package does no AWS calls itself: Source and OrgReader are interfaces
// that pkg/awsclient implements with AWS Config, STS and Organizations, and
// that DirSource implements with AWS Config snapshot files on disk (the
// local demo). The composition root picks the implementations.
//
// Invariants: no AWS keys are ever stored; a registered account holds only
// its role ARN and the ExternalId Bulwark generated for it, and access
// through that role is read-only (the BulwarkMember stack in infra/).
package accounts
