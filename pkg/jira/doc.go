// Package jira connects Bulwark to Jira (Cloud and Data Center): it keeps
// the tenant's Jira instances (their tokens and webhook secrets in a
// secrets.Store, never in the document store), the per-model link
// (instance, project, issue types and status mapping), creates issues for
// threats and security requirements idempotently, and follows their status
// back through signed webhooks and a periodic pull.
//
// The Service reaches a Jira instance through the IssueTracker interface,
// opened by its Connect function; pkg/jira/gojira implements it on
// github.com/andygrunwald/go-jira, and the composition root (pkg/app)
// wires the two together.
//
// Creating an issue is idempotent across retries and crashes: before it
// calls Jira, Service records an intent in the store (one per model and
// item, so two concurrent attempts cannot both proceed) and labels the
// issue with a label derived from tenant, model and item; a retry searches
// for that label before it creates anything. The issue key is then stored
// in ThreatModel.States[item].Issue by a model update conditional on the
// revision read, retried on conflict.
//
// Status updates (webhooks and pulls) are idempotent and tolerate
// reordering: each carries the "updated" time (or the webhook's
// timestamp), and an update no newer than the one last applied to the item
// changes nothing.
//
// Calls to Jira go through a guarded client (package outbound): addresses
// are checked when dialled (public ones only, plus loopback in local mode
// and ranges an operator allows), redirects stay within the base URL's
// origin and never carry the credentials, and answers are size-bounded.
// The address of an item's issue is always derived from the instance's
// base URL and the issue key (IssueURL), never taken from elsewhere.
package jira
