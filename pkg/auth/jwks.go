package auth

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/bulwark-tm/bulwark/pkg/errs"
)

// MinKeyRefresh is the least time between two fetches of the JWKS after a
// successful one: a token naming an unknown key id makes Bulwark fetch the
// key set again (the issuer may have rotated its keys) at most this often,
// so a flood of such tokens costs one fetch, not one per request.
const MinKeyRefresh = 5 * time.Minute

// retryKeyFetch is the least time between fetches after a failed one.
const retryKeyFetch = 10 * time.Second

// maxJWKS bounds a key set document.
const maxJWKS = 1 << 20

// keySet is an oidc.KeySet over a JWKS URL that caches the keys and
// rate-limits refreshes. It is safe for concurrent use: concurrent
// requests that need a refresh wait for one fetch.
type keySet struct {
	url    string
	client *http.Client
	now    func() time.Time
	algs   []jose.SignatureAlgorithm

	fetchMu sync.Mutex // held during a refresh, so fetches never overlap
	mu      sync.Mutex // guards keys
	keys    []jose.JSONWebKey
	fetched time.Time // last fetch attempt; guarded by fetchMu
	failed  bool      // whether it failed; guarded by fetchMu
	fetches int       // for tests; guarded by fetchMu
}

// VerifySignature implements oidc.KeySet: it verifies jwt with the cached
// key its header names, refreshing the cache first if no cached key
// verifies it and the last fetch is old enough.
func (k *keySet) VerifySignature(ctx context.Context, jwt string) ([]byte, error) {
	jws, err := jose.ParseSigned(jwt, k.algs)
	if err != nil {
		return nil, fmt.Errorf("malformed jwt: %w", err)
	}
	kid := ""
	if len(jws.Signatures) > 0 {
		kid = jws.Signatures[0].Header.KeyID
	}
	keys := k.cached()
	if payload, ok := verifyWith(jws, keys, kid); ok {
		return payload, nil
	}
	keys, err = k.refresh(ctx)
	if err != nil {
		return nil, err
	}
	if payload, ok := verifyWith(jws, keys, kid); ok {
		return payload, nil
	}
	return nil, fmt.Errorf("no key of the issuer verifies the token (key id %q)", kid)
}

func verifyWith(jws *jose.JSONWebSignature, keys []jose.JSONWebKey, kid string) ([]byte, bool) {
	for i := range keys {
		if kid != "" && keys[i].KeyID != kid {
			continue
		}
		if payload, err := jws.Verify(&keys[i]); err == nil {
			return payload, true
		}
	}
	return nil, false
}

// refresh fetches the key set unless the last fetch is too recent, and
// returns the keys it then has.
func (k *keySet) refresh(ctx context.Context) ([]jose.JSONWebKey, error) {
	k.fetchMu.Lock()
	defer k.fetchMu.Unlock()
	wait := MinKeyRefresh
	if k.failed {
		wait = retryKeyFetch
	}
	if !k.fetched.IsZero() && k.now().Sub(k.fetched) < wait {
		return k.cached(), nil
	}
	k.fetched, k.failed = k.now(), true
	k.fetches++
	keys, err := k.fetch(ctx)
	if err != nil {
		return nil, err
	}
	k.failed = false
	k.mu.Lock()
	k.keys = keys
	k.mu.Unlock()
	return keys, nil
}

func (k *keySet) cached() []jose.JSONWebKey {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.keys
}

func (k *keySet) fetch(ctx context.Context) ([]jose.JSONWebKey, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", k.url, nil)
	if err != nil {
		return nil, fmt.Errorf("jwks request: %w", err)
	}
	resp, err := k.client.Do(req)
	if err != nil {
		return nil, errs.E(errs.Unavailable, "fetch the issuer's keys: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, errs.E(errs.Unavailable, "fetch the issuer's keys: HTTP %d", resp.StatusCode)
	}
	var raw struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxJWKS)).Decode(&raw); err != nil {
		return nil, errs.E(errs.Unavailable, "the issuer's key set is not JSON: %w", err)
	}
	var keys []jose.JSONWebKey
	for _, r := range raw.Keys {
		var jk jose.JSONWebKey
		if json.Unmarshal(r, &jk) != nil || !jk.Valid() || !jk.IsPublic() {
			continue // an unsupported key type does not spoil the others
		}
		keys = append(keys, jk)
	}
	return keys, nil
}
