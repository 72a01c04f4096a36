package dynamo

import (
	"bytes"
	"encoding/base64"
	"strings"
	"unicode/utf8"

	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/store"
)

// Limits on keys (the same as the bolt driver's). Tenant and kind are short
// identifiers without '#', the key separator; ids are what callers choose.
// Both fit DynamoDB's 2048-byte partition and 1024-byte sort keys.
const (
	maxScopeLen = 128
	maxIDLen    = 512
)

func checkScope(tenant string, kind store.Kind) error {
	if err := checkName("tenant", tenant); err != nil {
		return err
	}
	return checkName("kind", string(kind))
}

// checkName accepts 1 to 128 letters, digits and . _ : @ -.
func checkName(what, s string) error {
	if s == "" {
		return errs.E(errs.Invalid, "%s is required", what)
	}
	if len(s) > maxScopeLen {
		return errs.E(errs.Invalid, "%s longer than %d bytes", what, maxScopeLen)
	}
	for _, c := range []byte(s) {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("._:@-", c) >= 0) {
			return errs.E(errs.Invalid, "%s %q may contain only letters, digits and . _ : @ -", what, s)
		}
	}
	return nil
}

func checkKey(tenant string, kind store.Kind, id string) error {
	if err := checkScope(tenant, kind); err != nil {
		return err
	}
	switch {
	case id == "":
		return errs.E(errs.Invalid, "id is required")
	case len(id) > maxIDLen:
		return errs.E(errs.Invalid, "id longer than %d bytes", maxIDLen)
	case !utf8.ValidString(id):
		return errs.E(errs.Invalid, "id is not valid UTF-8")
	case strings.ContainsFunc(id, func(r rune) bool { return r < 0x20 || r == 0x7f }):
		return errs.E(errs.Invalid, "id %q contains control characters", id)
	}
	return nil
}

func checkRecord(r *store.Record) error {
	if r == nil {
		return errs.E(errs.Invalid, "nil record")
	}
	if err := checkKey(r.Tenant, r.Kind, r.ID); err != nil {
		return err
	}
	if len(r.Body) > store.MaxBody {
		return errs.E(errs.TooLarge, "%s %s: body of %d bytes is larger than %d", r.Kind, r.ID, len(r.Body), store.MaxBody)
	}
	if len(r.Summary) > store.MaxSummary {
		return errs.E(errs.TooLarge, "%s %s: summary of %d bytes is larger than %d", r.Kind, r.ID, len(r.Summary), store.MaxSummary)
	}
	return nil
}

func checkLimit(n int) (int, error) {
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

// Cursors are "d1:" + the last id returned, base64url-encoded. The
// partition key is rebuilt from the caller's tenant, so a cursor can never
// lead into another tenant's items.
const cursorPrefix = "d1:"

func encodeCursor(id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(cursorPrefix + id))
}

func decodeCursor(c string) (string, error) {
	if c == "" {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || !bytes.HasPrefix(b, []byte(cursorPrefix)) || len(b) == len(cursorPrefix) {
		return "", errs.E(errs.Invalid, "malformed cursor %q", c)
	}
	id := string(b[len(cursorPrefix):])
	if err := checkKey("t", store.KindModel, id); err != nil {
		return "", errs.E(errs.Invalid, "malformed cursor %q", c)
	}
	return id, nil
}
