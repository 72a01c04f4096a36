package secrets

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/errs"
)

// KeySize is the length of the key that encrypts a secrets file
// (AES-256).
const KeySize = 32

// The environment variables LoadKey reads.
const (
	// KeyEnv holds the key itself, base64 (standard or URL alphabet).
	KeyEnv = "BULWARK_SECRETS_KEY"
	// KeyFileEnv names the key file to use instead of the default one.
	KeyFileEnv = "BULWARK_SECRETS_KEY_FILE"
)

// LoadKey returns the key of the secrets file: from KeyEnv when set, else
// from the key file KeyFileEnv names, else from DefaultKeyPath. A missing
// key file is created with a new random key, readable by its owner only;
// an existing one readable by anyone else is refused. The key is kept
// apart from the secrets file (the user's configuration directory, not
// the data directory), so a copy of the data directory alone does not
// reveal the secrets.
func LoadKey(getenv func(string) string) ([]byte, error) {
	if v := strings.TrimSpace(getenv(KeyEnv)); v != "" {
		return decodeKey(v, KeyEnv)
	}
	path := getenv(KeyFileEnv)
	if path == "" {
		var err error
		if path, err = DefaultKeyPath(); err != nil {
			return nil, err
		}
	}
	return LoadKeyFile(path)
}

// DefaultKeyPath is bulwark/secrets.key in the user's configuration
// directory (os.UserConfigDir: $XDG_CONFIG_HOME or ~/.config on Linux,
// ~/Library/Application Support on macOS).
func DefaultKeyPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", errs.E(errs.Invalid, "secrets key: no configuration directory; set %s or %s: %w", KeyEnv, KeyFileEnv, err)
	}
	return filepath.Join(dir, "bulwark", "secrets.key"), nil
}

// LoadKeyFile reads the base64 key at path, creating the file (0600, in a
// 0700 directory) with a new random key if it does not exist.
func LoadKeyFile(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		key := make([]byte, KeySize)
		if _, err := rand.Read(key); err != nil {
			return nil, fmt.Errorf("secrets key: generate: %w", err)
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, errs.E(errs.Unavailable, "secrets key: create directory: %w", err)
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			return LoadKeyFile(path) // created meanwhile by another process
		}
		if err != nil {
			return nil, errs.E(errs.Unavailable, "secrets key: create %s: %w", path, err)
		}
		_, werr := f.WriteString(base64.StdEncoding.EncodeToString(key) + "\n")
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			return nil, errs.E(errs.Unavailable, "secrets key: write %s: %w", path, werr)
		}
		return key, nil
	}
	if err != nil {
		return nil, errs.E(errs.Unavailable, "secrets key: read %s: %w", path, err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, errs.E(errs.Unavailable, "secrets key: %s: %w", path, err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return nil, errs.E(errs.Invalid, "secrets key file %s has permissions %v; it must be readable by its owner only (chmod 600)", path, fi.Mode().Perm())
	}
	return decodeKey(strings.TrimSpace(string(b)), path)
}

func decodeKey(v, from string) ([]byte, error) {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		if k, err := enc.DecodeString(v); err == nil {
			if len(k) != KeySize {
				return nil, errs.E(errs.Invalid, "secrets key from %s: %d bytes, want %d (e.g. `openssl rand -base64 32`)", from, len(k), KeySize)
			}
			return k, nil
		}
	}
	return nil, errs.E(errs.Invalid, "secrets key from %s is not base64 (e.g. `openssl rand -base64 32`)", from)
}
