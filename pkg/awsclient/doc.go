// Package awsclient is Bulwark's AWS driver for the Accelerator: AWS SDK v2
// clients for STS (assume a member account's read-only role with its
// ExternalId), AWS Config (an organization aggregator's
// SelectAggregateResourceConfig, or per account SelectResourceConfig and
// ListDiscoveredResources + BatchGetResourceConfig) and AWS Organizations
// (the root, OU and account tree).
//
// It implements the interfaces of pkg/accounts (ConfigSource is an
// accounts.Source, OrgReader an accounts.OrgReader) and is injected at the
// composition root; no domain package imports it. Nothing here stores a
// credential: the platform's own credentials come from the default chain
// (the Lambda role, or the user's profile for `bulwark scan`) and member
// credentials are short-lived STS sessions held in memory.
//
// Every client retries throttling and transient errors with the SDK's
// standard retryer. Errors are wrapped with the operation and carry an
// errs.Kind: Forbidden for access denials, Unavailable for throttling that
// outlasted retries and other service failures, NotFound for a missing
// aggregator.
package awsclient
