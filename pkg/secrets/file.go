package secrets

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/bulwark-tm/bulwark/pkg/errs"
)

// File keeps secrets in one JSON file (name → base64 value) readable and
// writable by its owner only (0600), in a directory created with 0700.
// Every write replaces the file atomically (a temporary file in the same
// directory, synced, then renamed), so a crash leaves the old or the new
// contents, never a mix. File is for one process: it serializes its own
// writers but does not lock the file against other processes.
type File struct {
	path string
	mu   sync.Mutex
}

var _ Store = (*File)(nil)

// OpenFile returns the file store at path. The file is created on the first
// Put. An existing file readable by group or others is refused, so that a
// secret never stays in a world-readable file unnoticed.
func OpenFile(path string) (*File, error) {
	if path == "" {
		return nil, errs.E(errs.Invalid, "secrets file: empty path")
	}
	f := &File{path: path}
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return f, nil
	case err != nil:
		return nil, errs.Wrap(errs.Unavailable, err, "secrets file")
	case !fi.Mode().IsRegular():
		return nil, errs.E(errs.Invalid, "secrets file %s is not a regular file", path)
	case fi.Mode().Perm()&0o077 != 0:
		return nil, errs.E(errs.Invalid, "secrets file %s has permissions %v; it must be readable by its owner only (chmod 600)", path, fi.Mode().Perm())
	}
	if _, err := f.load(); err != nil {
		return nil, err
	}
	return f, nil
}

// Path returns the file's path.
func (f *File) Path() string { return f.path }

func (f *File) load() (map[string][]byte, error) {
	b, err := os.ReadFile(f.path)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string][]byte{}, nil
	}
	if err != nil {
		return nil, errs.Wrap(errs.Unavailable, err, "read secrets file")
	}
	m := map[string][]byte{}
	if err := json.Unmarshal(b, &m); err != nil {
		// The JSON error could quote a fragment of a secret: drop it.
		return nil, errs.E(errs.Other, "secrets file %s is not a JSON object of base64 values", f.path)
	}
	return m, nil
}

func (f *File) save(m map[string][]byte) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return errs.Wrap(errs.Other, err, "encode secrets file")
	}
	dir := filepath.Dir(f.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return errs.Wrap(errs.Unavailable, err, "create secrets directory")
	}
	tmp, err := os.CreateTemp(dir, ".secrets-*.tmp") // created with 0600
	if err != nil {
		return errs.Wrap(errs.Unavailable, err, "write secrets file")
	}
	defer os.Remove(tmp.Name()) // after a successful rename this fails harmlessly
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return errs.Wrap(errs.Unavailable, err, "write secrets file")
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return errs.Wrap(errs.Unavailable, err, "write secrets file")
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return errs.Wrap(errs.Unavailable, err, "write secrets file")
	}
	if err := tmp.Close(); err != nil {
		return errs.Wrap(errs.Unavailable, err, "write secrets file")
	}
	if err := os.Rename(tmp.Name(), f.path); err != nil {
		return errs.Wrap(errs.Unavailable, err, "replace secrets file")
	}
	return nil
}

// Put creates or replaces the value of name.
func (f *File) Put(ctx context.Context, name string, value []byte) error {
	if err := CheckName(name); err != nil {
		return err
	}
	if err := checkValue(name, value); err != nil {
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
