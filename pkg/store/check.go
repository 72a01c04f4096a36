package store

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/bulwark-tm/bulwark/pkg/errs"
)

// Limits on keys every driver accepts. Tenant and kind are short
// identifiers (1 to 128 letters, digits and . _ : @ -, so a driver may use
// other characters as separators); ids are what callers choose: 1 to 512
// bytes of UTF-8 without control characters. Both fit DynamoDB's key
// limits.
const (
	MaxScopeLen = 128
	MaxIDLen    = 512
)

// CheckKey validates a (tenant, kind, id) key, with an errs.Invalid error
// naming what is wrong.
func CheckKey(tenant string, kind Kind, id string) error {
	if err := checkName("tenant", tenant); err != nil {
		return err
	}
	if err := checkName("kind", string(kind)); err != nil {
		return err
	}
	return checkID(id)
}

// CheckScope validates the tenant and kind of a listing.
func CheckScope(tenant string, kind Kind) error {
	if err := checkName("tenant", tenant); err != nil {
		return err
	}
	return checkName("kind", string(kind))
}

func checkName(what, s string) error {
	if s == "" {
		return errs.E(errs.Invalid, "%s is required", what)
	}
	if len(s) > MaxScopeLen {
		return errs.E(errs.Invalid, "%s longer than %d bytes", what, MaxScopeLen)
	}
	for _, c := range []byte(s) {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("._:@-", c) >= 0) {
			return errs.E(errs.Invalid, "%s %q may contain only letters, digits and . _ : @ -", what, s)
		}
	}
	return nil
}

func checkID(id string) error {
	switch {
	case id == "":
		return errs.E(errs.Invalid, "id is required")
	case len(id) > MaxIDLen:
		return errs.E(errs.Invalid, "id longer than %d bytes", MaxIDLen)
	case !utf8.ValidString(id):
		return errs.E(errs.Invalid, "id is not valid UTF-8")
	case strings.ContainsFunc(id, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		return errs.E(errs.Invalid, "id %q contains control characters", id)
	}
	return nil
}

// CheckRecord validates a record's key and sizes (TooLarge past MaxBody or
// MaxSummary).
func CheckRecord(r *Record) error {
	if r == nil {
		return errs.E(errs.Invalid, "nil record")
	}
	if err := CheckKey(r.Tenant, r.Kind, r.ID); err != nil {
		return err
	}
	if len(r.Body) > MaxBody {
		return errs.E(errs.TooLarge, "%s %s: body of %d bytes is larger than %d", r.Kind, r.ID, len(r.Body), MaxBody)
	}
	if len(r.Summary) > MaxSummary {
		return errs.E(errs.TooLarge, "%s %s: summary of %d bytes is larger than %d", r.Kind, r.ID, len(r.Summary), MaxSummary)
	}
	return nil
}

// ListLimit applies ListOptions.Limit's rules: 0 means 100, more than 1000
// means 1000, negative is invalid.
func ListLimit(n int) (int, error) {
	switch {
	case n < 0:
		return 0, errs.E(errs.Invalid, "limit must not be negative, got %d", n)
	case n == 0:
		return 100, nil
	case n > 1000:
		return 1000, nil
	}
	return n, nil
}

// Cursor encodes list positions as prefix + the last id returned,
// base64url-encoded. Each driver has its own prefix, so a cursor of one
// driver is refused by another.
type Cursor string

// Encode returns the cursor after id.
func (p Cursor) Encode(id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(string(p) + id))
}

// Decode returns the id a cursor names ("" for the empty cursor), or an
// errs.Invalid error for anything Encode did not make.
func (p Cursor) Decode(c string) (string, error) {
	if c == "" {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || !bytes.HasPrefix(b, []byte(p)) || len(b) == len(p) || checkID(string(b[len(p):])) != nil {
		return "", errs.E(errs.Invalid, "malformed cursor %q", c)
	}
	return string(b[len(p):]), nil
}

// StartList checks a List call as every driver must (scope, limit, this
// driver's cursor, a live context) and returns the page size and the id to
// list after ("" from the start).
func (p Cursor) StartList(ctx context.Context, tenant string, kind Kind, opts ListOptions) (limit int, after string, err error) {
	if err := CheckScope(tenant, kind); err != nil {
		return 0, "", fmt.Errorf("list: %w", err)
	}
	if limit, err = ListLimit(opts.Limit); err != nil {
		return 0, "", fmt.Errorf("list %s: %w", kind, err)
	}
	if after, err = p.Decode(opts.Cursor); err != nil {
		return 0, "", fmt.Errorf("list %s: %w", kind, err)
	}
	if after != "" && !strings.HasPrefix(after, opts.Prefix) {
		return 0, "", errs.E(errs.Invalid, "list %s: the cursor does not belong to prefix %q", kind, opts.Prefix)
	}
	if opts.Prefix != "" {
		if err := checkID(opts.Prefix); err != nil {
			return 0, "", fmt.Errorf("list %s: prefix: %w", kind, err)
		}
	}
	if err := ctx.Err(); err != nil {
		return 0, "", fmt.Errorf("list %s: %w", kind, err)
	}
	return limit, after, nil
}
