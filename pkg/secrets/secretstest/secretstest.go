// Package secretstest is the conformance suite every secrets.Store driver
// runs, in the manner of pkg/store/storetest: one Run function that checks
// each guarantee stated on the secrets.Store interface, called from a
// driver's own tests with a small harness that makes a fresh, empty store.
//
//	func TestConformance(t *testing.T) {
//		secretstest.Run(t, func(t *testing.T) secrets.Store {
//			f, err := secrets.OpenFile(filepath.Join(t.TempDir(), "secrets.json"), key)
//			if err != nil {
//				t.Fatal(err)
//			}
//			return f
//		})
//	}
package secretstest

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/secrets"
)

// Run runs the conformance suite. newStore must return a new, empty store
// for each call (each subtest calls it once) and arrange any cleanup with
// t.Cleanup.
func Run(t *testing.T, newStore func(t *testing.T) secrets.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s secrets.Store)
	}{
		{"PutGet", testPutGet},
		{"BinaryValue", testBinaryValue},
		{"LargestValue", testLargestValue},
		{"Replace", testReplace},
		{"Missing", testMissing},
		{"Delete", testDelete},
		{"NamesAreIsolated", testIsolation},
		{"ValuesAreCopied", testCopied},
		{"InvalidNames", testInvalidNames},
		{"InvalidValues", testInvalidValues},
		{"ErrorsKeepValuesOut", testErrorsKeepValuesOut},
		{"Concurrent", testConcurrent},
		{"ContextCanceled", testContextCanceled},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.fn(t, newStore(t))
		})
	}
}

// wantKind fails t unless err has kind k.
func wantKind(t *testing.T, err error, k errs.Kind, what string) {
	t.Helper()
	if !errs.Is(err, k) {
		t.Errorf("%s: err = %v (kind %v), want kind %v", what, err, errs.KindOf(err), k)
	}
}

func mustPut(t *testing.T, s secrets.Store, name string, value []byte) {
	t.Helper()
	if err := s.Put(context.Background(), name, value); err != nil {
		t.Fatalf("Put %s: %v", name, err)
	}
}

// wantValue fails t unless name holds want.
func wantValue(t *testing.T, s secrets.Store, name string, want []byte) {
	t.Helper()
	got, err := s.Get(context.Background(), name)
	if err != nil {
		t.Fatalf("Get %s: %v", name, err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("Get %s = %d bytes %.40q, want %d bytes %.40q", name, len(got), got, len(want), want)
	}
}

func testPutGet(t *testing.T, s secrets.Store) {
	value := []byte(rand.Text())
	mustPut(t, s, "jira/tenant-a/inst-1", value)
	wantValue(t, s, "jira/tenant-a/inst-1", value)
	// Names of one segment and with every allowed punctuation work too.
	mustPut(t, s, "webhook", []byte("w"))
	wantValue(t, s, "webhook", []byte("w"))
	mustPut(t, s, "a_b.c@d=e+f-g/h", []byte("p"))
	wantValue(t, s, "a_b.c@d=e+f-g/h", []byte("p"))
}

// testBinaryValue: values are opaque bytes, not text.
func testBinaryValue(t *testing.T, s secrets.Store) {
	value := make([]byte, 256)
	for i := range value {
		value[i] = byte(i)
	}
	mustPut(t, s, "binary", value)
	wantValue(t, s, "binary", value)
	invalidUTF8 := []byte{0xff, 0xfe, 'x', 0}
	mustPut(t, s, "not-utf8", invalidUTF8)
	wantValue(t, s, "not-utf8", invalidUTF8)
}

func testLargestValue(t *testing.T, s secrets.Store) {
	value := bytes.Repeat([]byte("k"), secrets.MaxValue)
	mustPut(t, s, "large", value)
	wantValue(t, s, "large", value)
}

func testReplace(t *testing.T, s secrets.Store) {
	mustPut(t, s, "jira/t/i", []byte("first"))
	mustPut(t, s, "jira/t/i", []byte("second, longer than the first"))
	wantValue(t, s, "jira/t/i", []byte("second, longer than the first"))
	mustPut(t, s, "jira/t/i", []byte("3"))
	wantValue(t, s, "jira/t/i", []byte("3"))
}

func testMissing(t *testing.T, s secrets.Store) {
	_, err := s.Get(context.Background(), "jira/t/never-stored")
	wantKind(t, err, errs.NotFound, "Get of a name never stored")
}

func testDelete(t *testing.T, s secrets.Store) {
	ctx := context.Background()
	mustPut(t, s, "jira/t/gone", []byte("v"))
	mustPut(t, s, "jira/t/kept", []byte("k"))
	if err := s.Delete(ctx, "jira/t/gone"); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	_, err := s.Get(ctx, "jira/t/gone")
	wantKind(t, err, errs.NotFound, "Get after Delete")
	wantValue(t, s, "jira/t/kept", []byte("k"))
	// Deleting again, or a name never stored, is not an error.
	if err := s.Delete(ctx, "jira/t/gone"); err != nil {
		t.Errorf("second Delete: %v", err)
	}
	if err := s.Delete(ctx, "jira/t/never-stored"); err != nil {
		t.Errorf("Delete of a name never stored: %v", err)
	}
}

// testIsolation: names that share a prefix or a segment (another tenant,
// another instance) are different secrets; a name is not a directory of
// the names below it.
func testIsolation(t *testing.T, s secrets.Store) {
	ctx := context.Background()
	names := []string{"jira/tenant-a/inst", "jira/tenant-b/inst", "jira/tenant-a/inst-2", "jira/tenant-a", "webhook/tenant-a/inst"}
	for i, n := range names {
		mustPut(t, s, n, fmt.Appendf(nil, "value %d", i))
	}
	for i, n := range names {
		wantValue(t, s, n, fmt.Appendf(nil, "value %d", i))
	}
	if err := s.Delete(ctx, "jira/tenant-a"); err != nil {
		t.Fatal(err)
	}
	for i, n := range names {
		if n != "jira/tenant-a" {
			wantValue(t, s, n, fmt.Appendf(nil, "value %d", i))
		}
	}
	_, err := s.Get(ctx, "jira")
	wantKind(t, err, errs.NotFound, "Get of a parent of stored names")
}

// testCopied: changing a slice after Put, or the slice Get returned, does
// not change the stored value.
func testCopied(t *testing.T, s secrets.Store) {
	ctx := context.Background()
	value := []byte("original")
	mustPut(t, s, "copied", value)
	copy(value, "XXXXXXXX")
	wantValue(t, s, "copied", []byte("original"))
	got, err := s.Get(ctx, "copied")
	if err != nil {
		t.Fatal(err)
	}
	copy(got, "YYYYYYYY")
	wantValue(t, s, "copied", []byte("original"))
}

func testInvalidNames(t *testing.T, s secrets.Store) {
	ctx := context.Background()
	bad := []string{"", "/lead", "trail/", "a//b", "../etc/passwd", "a/../b", "a/./b", ".", "..", "a b", "tab\tx", "new\nline", "semi;colon", "star*", "q?x", "ünï", strings.Repeat("a", 257)}
	for _, name := range bad {
		wantKind(t, s.Put(ctx, name, []byte("v")), errs.Invalid, fmt.Sprintf("Put %q", name))
		_, err := s.Get(ctx, name)
		wantKind(t, err, errs.Invalid, fmt.Sprintf("Get %q", name))
		wantKind(t, s.Delete(ctx, name), errs.Invalid, fmt.Sprintf("Delete %q", name))
	}
	// The longest name is allowed.
	longest := strings.Repeat("a", 256)
	mustPut(t, s, longest, []byte("v"))
	wantValue(t, s, longest, []byte("v"))
}

func testInvalidValues(t *testing.T, s secrets.Store) {
	ctx := context.Background()
	wantKind(t, s.Put(ctx, "empty", nil), errs.Invalid, "Put of a nil value")
	wantKind(t, s.Put(ctx, "empty", []byte{}), errs.Invalid, "Put of an empty value")
	wantKind(t, s.Put(ctx, "large", make([]byte, secrets.MaxValue+1)), errs.TooLarge, "Put of a value above MaxValue")
	for _, n := range []string{"empty", "large"} {
		_, err := s.Get(ctx, n)
		wantKind(t, err, errs.NotFound, "Get after a refused Put of "+n)
	}
	// A refused replacement keeps the old value.
	mustPut(t, s, "kept", []byte("old"))
	wantKind(t, s.Put(ctx, "kept", nil), errs.Invalid, "Put of an empty replacement")
	wantValue(t, s, "kept", []byte("old"))
}

// testErrorsKeepValuesOut: no error message quotes a value.
func testErrorsKeepValuesOut(t *testing.T, s secrets.Store) {
	ctx := context.Background()
	secret := rand.Text()
	big := []byte(strings.Repeat(secret, secrets.MaxValue/len(secret)+1))
	for what, err := range map[string]error{
		"bad name":  s.Put(ctx, "bad name", []byte(secret)),
		"too large": s.Put(ctx, "big", big),
	} {
		if err == nil {
			t.Errorf("%s: Put succeeded", what)
		} else if strings.Contains(err.Error(), secret) {
			t.Errorf("%s: the error quotes the value: %v", what, err)
		}
	}
}

// testConcurrent: the store is safe for concurrent use; concurrent writers
// of different names all land, and concurrent writers of one name leave
// one of their values.
func testConcurrent(t *testing.T, s secrets.Store) {
	ctx := context.Background()
	const n = 8
	var wg sync.WaitGroup
	errc := make(chan error, 3*n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := fmt.Sprintf("jira/t/inst-%d", i)
			if err := s.Put(ctx, name, fmt.Appendf(nil, "value %d", i)); err != nil {
				errc <- err
				return
			}
			if err := s.Put(ctx, "jira/t/shared", fmt.Appendf(nil, "value %d", i)); err != nil {
				errc <- err
			}
			if _, err := s.Get(ctx, name); err != nil {
				errc <- err
			}
		}()
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Errorf("concurrent call: %v", err)
	}
	for i := range n {
		wantValue(t, s, fmt.Sprintf("jira/t/inst-%d", i), fmt.Appendf(nil, "value %d", i))
	}
	got, err := s.Get(ctx, "jira/t/shared")
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for i := range n {
		found = found || string(got) == fmt.Sprintf("value %d", i)
	}
	if !found {
		t.Errorf("shared name holds %q, not one of the values written", got)
	}
}

// testContextCanceled: a call with a canceled context fails with
// context.Canceled and changes nothing.
func testContextCanceled(t *testing.T, s secrets.Store) {
	mustPut(t, s, "kept", []byte("v"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.Put(ctx, "new", []byte("v")); !errors.Is(err, context.Canceled) {
		t.Errorf("Put: err = %v, want context.Canceled", err)
	}
	if _, err := s.Get(ctx, "kept"); !errors.Is(err, context.Canceled) {
		t.Errorf("Get: err = %v, want context.Canceled", err)
	}
	if err := s.Delete(ctx, "kept"); !errors.Is(err, context.Canceled) {
		t.Errorf("Delete: err = %v, want context.Canceled", err)
	}
	_, err := s.Get(context.Background(), "new")
	wantKind(t, err, errs.NotFound, "Get of a name a canceled Put stored")
	wantValue(t, s, "kept", []byte("v"))
}
