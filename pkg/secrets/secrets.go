// Package secrets keeps Bulwark's secrets (Jira API tokens, webhook
// secrets) out of the document store, the logs and the API: one small
// Store interface with two drivers.
//
//   - File: a JSON file with 0600 permissions, written atomically, each
//     value encrypted with AES-256-GCM under a key kept apart from it
//     (BULWARK_SECRETS_KEY, or a 0600 key file in the user's
//     configuration directory), for a laptop ("file://.data/secrets.json").
//   - pkg/secrets/secretsmanager: AWS Secrets Manager, one secret per name
//     under a prefix, in AWS ("secretsmanager://bulwark/").
//
// Names are slash-separated paths such as "jira/TENANT/INSTANCE"; values
// are opaque bytes. The composition root (pkg/app) picks a driver from a
// URL; pkg/secrets/secretstest is the conformance suite both drivers run.
package secrets

import (
	"context"
	"regexp"
	"slices"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/errs"
)

// Store keeps secret values by name.
//
// Every method is safe for concurrent use. Errors carry an errs.Kind:
// NotFound for a missing name, Invalid for a bad name or an empty value,
// Unavailable when the backend cannot be reached. Values never appear in
// error messages. A name deleted moments ago may refuse a Put with Conflict
// where the backend keeps deleted secrets for recovery (Secrets Manager's
// recovery window).
type Store interface {
	// Put creates or replaces the value of name.
	Put(ctx context.Context, name string, value []byte) error
	// Get returns the value of name.
	Get(ctx context.Context, name string) ([]byte, error)
	// Delete removes name; deleting a missing name is not an error.
	Delete(ctx context.Context, name string) error
}

// MaxValue is the largest value a Store accepts (Secrets Manager's limit).
const MaxValue = 64 << 10

var namePattern = regexp.MustCompile(`^[A-Za-z0-9_.@=+-]+(/[A-Za-z0-9_.@=+-]+)*$`)

// CheckName reports whether name is a valid secret name: 1 to 256
// characters of letters, digits and _ . @ = + -, in slash-separated segments
// other than "." and "..".
func CheckName(name string) error {
	if len(name) == 0 || len(name) > 256 || !namePattern.MatchString(name) || slices.Contains(strings.Split(name, "/"), "..") || slices.Contains(strings.Split(name, "/"), ".") {
		return errs.E(errs.Invalid, "secret name %q: use 1 to 256 letters, digits and _ . @ - in slash-separated segments", name)
	}
	return nil
}

// CheckValue reports whether value may be stored under name: Invalid when
// it is empty, TooLarge above MaxValue. The error names the secret, never
// the value.
func CheckValue(name string, value []byte) error {
	switch {
	case len(value) == 0:
		return errs.E(errs.Invalid, "secret %s: empty value", name)
	case len(value) > MaxValue:
		return errs.E(errs.TooLarge, "secret %s: value of %d bytes is larger than %d", name, len(value), MaxValue)
	}
	return nil
}
