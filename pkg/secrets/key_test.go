package secrets

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/errs"
)

// testKey encrypts the files of these tests.
var testKey = bytes.Repeat([]byte{7}, KeySize)

// TestFileEncrypted: the file on disk holds neither the value nor its
// base64, only ciphertext bound to the secret's name and the key.
func TestFileEncrypted(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "secrets.json")
	f, err := OpenFile(path, testKey)
	if err != nil {
		t.Fatal(err)
	}
	value := []byte("jira-token-" + rand.Text())
	if err := f.Put(ctx, "jira/acme/ji-1", value); err != nil {
		t.Fatal(err)
	}
	if err := f.Put(ctx, "jira/acme/ji-2", []byte("other-"+rand.Text())); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, leak := range []string{string(value), base64.StdEncoding.EncodeToString(value), base64.StdEncoding.EncodeToString(testKey)} {
		if strings.Contains(string(raw), leak) {
			t.Fatalf("the file holds a secret in the clear: %s", raw)
		}
	}
	var ef encryptedFile
	if err := json.Unmarshal(raw, &ef); err != nil || ef.Format != fileFormat || len(ef.Secrets) != 2 {
		t.Fatalf("file format: %+v, %v", ef, err)
	}

	// Another key cannot open it, and says so.
	other := bytes.Repeat([]byte{9}, KeySize)
	if _, err := OpenFile(path, other); !errs.Is(err, errs.Invalid) || !strings.Contains(err.Error(), "encrypted with key") {
		t.Errorf("open with another key: %v", err)
	}

	// A value moved to another name does not decrypt.
	ef.Secrets["jira/acme/ji-2"] = ef.Secrets["jira/acme/ji-1"]
	b, _ := json.Marshal(ef)
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Get(ctx, "jira/acme/ji-1"); !errs.Is(err, errs.Other) {
		t.Errorf("a swapped value was accepted: %v", err)
	}
}

// TestFileMigration: a file of the old format (base64 values) is
// encrypted when opened, and its values stay readable.
func TestFileMigration(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "secrets.json")
	value := []byte(`{"token":"` + rand.Text() + `"}`)
	old, _ := json.Marshal(map[string][]byte{"jira/local/ji-1": value})
	if err := os.WriteFile(path, old, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := OpenFile(path, testKey)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(path)
	if strings.Contains(string(raw), base64.StdEncoding.EncodeToString(value)) || !strings.Contains(string(raw), fileFormat) {
		t.Fatalf("the old file was not encrypted: %s", raw)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("permissions after migration %v", fi.Mode().Perm())
	}
	got, err := f.Get(ctx, "jira/local/ji-1")
	if err != nil || !bytes.Equal(got, value) {
		t.Errorf("value after migration = %q, %v", got, err)
	}
}

func TestLoadKey(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }

	// A key file is created, 0600, and read back the same.
	env[KeyFileEnv] = filepath.Join(dir, "conf", "bulwark", "secrets.key")
	k1, err := LoadKey(getenv)
	if err != nil || len(k1) != KeySize {
		t.Fatalf("LoadKey = %d bytes, %v", len(k1), err)
	}
	if fi, _ := os.Stat(env[KeyFileEnv]); fi.Mode().Perm() != 0o600 {
		t.Errorf("key file permissions %v", fi.Mode().Perm())
	}
	k2, err := LoadKey(getenv)
	if err != nil || !bytes.Equal(k1, k2) {
		t.Errorf("second LoadKey differs: %v", err)
	}
	if err := os.Chmod(env[KeyFileEnv], 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadKey(getenv); !errs.Is(err, errs.Invalid) {
		t.Errorf("a world-readable key file: %v", err)
	}

	// The environment variable wins.
	env[KeyEnv] = base64.StdEncoding.EncodeToString(testKey)
	if k, err := LoadKey(getenv); err != nil || !bytes.Equal(k, testKey) {
		t.Errorf("key from %s = %v", KeyEnv, err)
	}
	for _, bad := range []string{"short", base64.StdEncoding.EncodeToString([]byte("sixteen bytes!!!"))} {
		env[KeyEnv] = bad
		if _, err := LoadKey(getenv); !errs.Is(err, errs.Invalid) {
			t.Errorf("key %q: %v", bad, err)
		}
	}

	// OpenDefaultFile uses it: the file is encrypted with the env key.
	t.Setenv(KeyEnv, base64.StdEncoding.EncodeToString(testKey))
	st, err := OpenDefaultFile(filepath.Join(dir, "s.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Put(context.Background(), "a", []byte("v")); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenFile(filepath.Join(dir, "s.json"), testKey); err != nil {
		t.Errorf("the file OpenDefaultFile wrote does not open with the env key: %v", err)
	}
}

// TestKeyCreatedOnFirstPut: a server that never stores a secret never
// creates a key file; the first Put does.
func TestKeyCreatedOnFirstPut(t *testing.T) {
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "conf", "secrets.key")
	t.Setenv(KeyEnv, "")
	t.Setenv(KeyFileEnv, keyFile)
	st, err := OpenDefaultFile(filepath.Join(dir, "data", "secrets.json"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Get(context.Background(), "jira/local/x"); !errs.Is(err, errs.NotFound) {
		t.Errorf("Get on an empty store: %v", err)
	}
	if _, err := os.Stat(keyFile); !os.IsNotExist(err) {
		t.Fatalf("a key file was created before any secret was stored: %v", err)
	}
	if err := st.Put(context.Background(), "jira/local/x", []byte("v")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(keyFile); err != nil {
		t.Errorf("no key file after the first Put: %v", err)
	}
	// Reopened, the store finds the key and the value.
	st2, err := OpenDefaultFile(filepath.Join(dir, "data", "secrets.json"))
	if err != nil {
		t.Fatal(err)
	}
	if v, err := st2.Get(context.Background(), "jira/local/x"); err != nil || string(v) != "v" {
		t.Errorf("after reopening: %q, %v", v, err)
	}
}
