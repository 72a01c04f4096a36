package secrets

import (
	"context"
	"os"
	"path/filepath"
	"strings"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/bulwark-tm/bulwark/pkg/errs"
)

// Open returns the secret store a URL names:
//
//	file://.data/secrets.json     a 0600 JSON file (relative or absolute path),
//	                              encrypted with the key LoadKey finds
//	secretsmanager://bulwark/     AWS Secrets Manager, secrets named with the
//	                              prefix, with the default credential chain;
//	                              ?kms=KEY sets a customer managed key
//
// An empty URL means the file secrets.json beside the bolt store file
// named by storeURL ("bolt://.data/bulwark.db" → .data/secrets.json), and
// is an error for any other store.
func Open(ctx context.Context, rawURL, storeURL string) (Store, error) {
	if rawURL == "" {
		p, ok := strings.CutPrefix(storeURL, "bolt://")
		if !ok || p == "" {
			return nil, errs.E(errs.Invalid, "secrets: no secret store configured; use file://PATH or secretsmanager://PREFIX (only a bolt store has a default)")
		}
		return openDefault(filepath.Join(filepath.Dir(p), "secrets.json"))
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
		return openDefault(rest)
	case "secretsmanager":
		prefix, query, _ := strings.Cut(rest, "?")
		sm := &SecretsManager{Prefix: prefix}
		for _, kv := range strings.Split(query, "&") {
			if kv == "" {
				continue
			}
			k, v, _ := strings.Cut(kv, "=")
			if k != "kms" || v == "" {
				return nil, errs.E(errs.Invalid, "secrets URL %q: unknown parameter %q (only kms=KEY)", rawURL, k)
			}
			sm.KMSKeyID = v
		}
		if prefix != "" {
			if err := CheckName(strings.TrimSuffix(prefix, "/")); err != nil {
				return nil, errs.E(errs.Invalid, "secrets URL %q: bad prefix", rawURL)
			}
		}
		cfg, err := config.LoadDefaultConfig(ctx)
		if err != nil {
			return nil, errs.Wrap(errs.Unavailable, err, "secrets: load AWS configuration")
		}
		sm.Client = secretsmanager.NewFromConfig(cfg)
		return sm, nil
	}
	return nil, errs.E(errs.Invalid, "secrets URL %q: unknown scheme %q; use file or secretsmanager", rawURL, scheme)
}

// openDefault opens the file store at path with the key LoadKey finds in
// the environment or the user's configuration directory, loaded when first
// needed.
func openDefault(path string) (Store, error) {
	f, err := openFile(path, func() ([]byte, error) { return LoadKey(os.Getenv) })
	if err != nil {
		return nil, err
	}
	return f, nil
}
