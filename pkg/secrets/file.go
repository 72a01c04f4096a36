package secrets

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/bulwark-tm/bulwark/pkg/errs"
)

// File keeps secrets in one JSON file readable and writable by its owner
// only (0600), in a directory created with 0700, each value encrypted with
// AES-256-GCM under a key kept elsewhere (see LoadKey), with the secret's
// name as additional data so that values cannot be swapped between names.
// A file of the first format (name → base64 plaintext) is encrypted when
// it is opened. Every write replaces the file atomically (a temporary file
// in the same directory, synced, then renamed), so a crash leaves the old
// or the new contents, never a mix. File is for one process: it serializes
// its own writers but does not lock the file against other processes.
type File struct {
	path  string
	keyFn func() ([]byte, error) // loads the key on first need
	aead  cipher.AEAD            // nil until the key is loaded
	keyID string
	mu    sync.Mutex // guards the file and the key
}

// fileFormat marks an encrypted secrets file.
const fileFormat = "bulwark-secrets/aes-256-gcm/v1"

// encryptedFile is the JSON of an encrypted secrets file: values are
// base64(nonce || ciphertext and tag).
type encryptedFile struct {
	Format  string            `json:"format"`
	KeyID   string            `json:"keyId"` // identifies the key, not secret
	Secrets map[string][]byte `json:"secrets"`
}

// keyID names a key without revealing it: the first 8 bytes of its
// SHA-256, in hex.
func keyID(key []byte) string {
	h := sha256.Sum256(append([]byte("bulwark secrets key id\x00"), key...))
	return hex.EncodeToString(h[:8])
}

var _ Store = (*File)(nil)

// OpenFile returns the file store at path, encrypted with key (KeySize
// bytes; see LoadKey). The file is created on the first Put; a file in the
// old unencrypted format is encrypted now. An existing file readable by
// group or others is refused, so that a secret never stays in a
// world-readable file unnoticed, as is a file encrypted with another key.
func OpenFile(path string, key []byte) (*File, error) {
	if len(key) != KeySize {
		return nil, errs.E(errs.Invalid, "secrets file: the key must have %d bytes, got %d", KeySize, len(key))
	}
	return openFile(path, func() ([]byte, error) { return key, nil })
}

// OpenDefaultFile returns the file store at path, encrypted with the key
// LoadKey finds in the environment or the user's configuration directory,
// loaded when first needed.
func OpenDefaultFile(path string) (*File, error) {
	return openFile(path, func() ([]byte, error) { return LoadKey(os.Getenv) })
}

// openFile is OpenFile with a key loaded by keyFn when first needed: when
// the file exists, or at the first Put. A server that never stores a
// secret never creates a key.
func openFile(path string, keyFn func() ([]byte, error)) (*File, error) {
	if path == "" {
		return nil, errs.E(errs.Invalid, "secrets file: empty path")
	}
	f := &File{path: path, keyFn: keyFn}
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return f, nil
	case err != nil:
		return nil, errs.E(errs.Unavailable, "secrets file: %w", err)
	case !fi.Mode().IsRegular():
		return nil, errs.E(errs.Invalid, "secrets file %s is not a regular file", path)
	case fi.Mode().Perm()&0o077 != 0:
		return nil, errs.E(errs.Invalid, "secrets file %s has permissions %v; it must be readable by its owner only (chmod 600)", path, fi.Mode().Perm())
	}
	if err := f.ensureKey(); err != nil {
		return nil, err
	}
	m, plain, err := f.read()
	if err != nil {
		return nil, err
	}
	if plain {
		if err := f.save(m); err != nil {
			return nil, fmt.Errorf("encrypt the secrets file: %w", err)
		}
	}
	return f, nil
}

// ensureKey loads the key if it is not loaded yet.
func (f *File) ensureKey() error {
	if f.aead != nil {
		return nil
	}
	key, err := f.keyFn()
	if err != nil {
		return err
	}
	if len(key) != KeySize {
		return errs.E(errs.Invalid, "secrets file: the key must have %d bytes, got %d", KeySize, len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return fmt.Errorf("secrets file: key: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return fmt.Errorf("secrets file: key: %w", err)
	}
	f.aead, f.keyID = aead, keyID(key)
	return nil
}

// Path returns the file's path.
func (f *File) Path() string { return f.path }

func (f *File) load() (map[string][]byte, error) {
	m, _, err := f.read()
	return m, err
}

// read returns the decrypted secrets, and whether the file was in the
// old plaintext format.
func (f *File) read() (map[string][]byte, bool, error) {
	b, err := os.ReadFile(f.path)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string][]byte{}, false, nil
	}
	if err != nil {
		return nil, false, errs.E(errs.Unavailable, "read secrets file: %w", err)
	}
	var probe struct {
		Format json.RawMessage `json:"format"`
	}
	// JSON errors could quote a fragment of a secret: they are dropped.
	if err := json.Unmarshal(b, &probe); err != nil {
		return nil, false, errs.E(errs.Other, "secrets file %s is not a JSON object", f.path)
	}
	var format string
	if len(probe.Format) > 0 && json.Unmarshal(probe.Format, &format) == nil && format == fileFormat {
		if err := f.ensureKey(); err != nil {
			return nil, false, err
		}
		var ef encryptedFile
		if err := json.Unmarshal(b, &ef); err != nil {
			return nil, false, errs.E(errs.Other, "secrets file %s is not readable", f.path)
		}
		if ef.KeyID != f.keyID {
			return nil, false, errs.E(errs.Invalid, "secrets file %s is encrypted with key %s, not with the configured key %s (%s or the key file)", f.path, ef.KeyID, f.keyID, KeyEnv)
		}
		m := make(map[string][]byte, len(ef.Secrets))
		for name, sealed := range ef.Secrets {
			ns := f.aead.NonceSize()
			if len(sealed) < ns {
				return nil, false, errs.E(errs.Other, "secrets file %s: the value of %s is damaged", f.path, name)
			}
			v, err := f.aead.Open(nil, sealed[:ns], sealed[ns:], []byte(name))
			if err != nil {
				return nil, false, errs.E(errs.Other, "secrets file %s: the value of %s does not decrypt (damaged or moved)", f.path, name)
			}
			m[name] = v
		}
		return m, false, nil
	}
	m := map[string][]byte{}
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, false, errs.E(errs.Other, "secrets file %s is not a JSON object of base64 values", f.path)
	}
	return m, true, nil
}

func (f *File) save(m map[string][]byte) error {
	if err := f.ensureKey(); err != nil {
		return err
	}
	ef := encryptedFile{Format: fileFormat, KeyID: f.keyID, Secrets: make(map[string][]byte, len(m))}
	for name, v := range m {
		nonce := make([]byte, f.aead.NonceSize())
		if _, err := rand.Read(nonce); err != nil {
			return fmt.Errorf("encrypt secret %s: %w", name, err)
		}
		ef.Secrets[name] = f.aead.Seal(nonce, nonce, v, []byte(name))
	}
	b, err := json.MarshalIndent(ef, "", "  ")
	if err != nil {
		return fmt.Errorf("encode secrets file: %w", err)
	}
	dir := filepath.Dir(f.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return errs.E(errs.Unavailable, "create secrets directory: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".secrets-*.tmp") // created with 0600
	if err != nil {
		return errs.E(errs.Unavailable, "write secrets file: %w", err)
	}
	defer os.Remove(tmp.Name()) // after a successful rename this fails harmlessly
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return errs.E(errs.Unavailable, "write secrets file: %w", err)
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return errs.E(errs.Unavailable, "write secrets file: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return errs.E(errs.Unavailable, "write secrets file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return errs.E(errs.Unavailable, "write secrets file: %w", err)
	}
	if err := os.Rename(tmp.Name(), f.path); err != nil {
		return errs.E(errs.Unavailable, "replace secrets file: %w", err)
	}
	return nil
}

// Put creates or replaces the value of name.
func (f *File) Put(ctx context.Context, name string, value []byte) error {
	if err := CheckName(name); err != nil {
		return err
	}
	if err := CheckValue(name, value); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("put secret %s: %w", name, err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	m, err := f.load()
	if err != nil {
		return err
	}
	m[name] = append([]byte(nil), value...)
	return f.save(m)
}

// Get returns the value of name.
func (f *File) Get(ctx context.Context, name string) ([]byte, error) {
	if err := CheckName(name); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("get secret %s: %w", name, err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	m, err := f.load()
	if err != nil {
		return nil, err
	}
	v, ok := m[name]
	if !ok {
		return nil, errs.E(errs.NotFound, "no secret %s", name)
	}
	return v, nil
}

// Delete removes name.
func (f *File) Delete(ctx context.Context, name string) error {
	if err := CheckName(name); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("delete secret %s: %w", name, err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	m, err := f.load()
	if err != nil {
		return err
	}
	if _, ok := m[name]; !ok {
		return nil
	}
	delete(m, name)
	return f.save(m)
}
