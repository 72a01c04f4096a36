package app

import (
	"context"
	"path/filepath"
	"strings"

	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/secrets"
	"github.com/bulwark-tm/bulwark/pkg/secrets/secretsmanager"
)

// openSecrets returns the secret store a URL names:
//
//	file://.data/secrets.json     a 0600 JSON file (relative or absolute path),
//	                              encrypted with the key secrets.LoadKey finds
//	secretsmanager://bulwark/     AWS Secrets Manager, secrets named with the
//	                              prefix, with the default credential chain;
//	                              ?kms=KEY sets a customer managed key
//
// An empty URL means the file secrets.json beside the bolt store file
// named by storeURL ("bolt://.data/bulwark.db" → .data/secrets.json), and
// is an error for any other store.
func openSecrets(ctx context.Context, rawURL, storeURL string) (secrets.Store, error) {
	if rawURL == "" {
		p, ok := strings.CutPrefix(storeURL, "bolt://")
		if !ok || p == "" {
			return nil, errs.E(errs.Invalid, "secrets: no secret store configured; use file://PATH or secretsmanager://PREFIX (only a bolt store has a default)")
		}
		return secrets.OpenDefaultFile(filepath.Join(filepath.Dir(p), "secrets.json"))
	}
	scheme, rest, ok := strings.Cut(rawURL, "://")
	if !ok {
		return nil, errs.E(errs.Invalid, "secrets URL %q: want file://PATH or secretsmanager://PREFIX", rawURL)
	}
	switch scheme {
	case "file":
		if rest == "" || strings.ContainsAny(rest, "?#") {
			return nil, errs.E(errs.Invalid, "secrets URL %q: want file://PATH with no query", rawURL)
		}
		return secrets.OpenDefaultFile(rest)
	case "secretsmanager":
		prefix, query, _ := strings.Cut(rest, "?")
		var kmsKeyID string
		for _, kv := range strings.Split(query, "&") {
			if kv == "" {
				continue
			}
			k, v, _ := strings.Cut(kv, "=")
			if k != "kms" || v == "" {
				return nil, errs.E(errs.Invalid, "secrets URL %q: unknown parameter %q (only kms=KEY)", rawURL, k)
			}
			kmsKeyID = v
		}
		if prefix != "" {
			if err := secrets.CheckName(strings.TrimSuffix(prefix, "/")); err != nil {
				return nil, errs.E(errs.Invalid, "secrets URL %q: bad prefix", rawURL)
			}
		}
		cfg, err := config.LoadDefaultConfig(ctx)
		if err != nil {
			return nil, errs.E(errs.Unavailable, "secrets: load AWS configuration: %w", err)
		}
		return secretsmanager.New(cfg, prefix, kmsKeyID), nil
	}
	return nil, errs.E(errs.Invalid, "secrets URL %q: unknown scheme %q; use file or secretsmanager", rawURL, scheme)
}
