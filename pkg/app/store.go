package app

import (
	"context"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/store"
	"github.com/bulwark-tm/bulwark/pkg/store/bolt"
	"github.com/bulwark-tm/bulwark/pkg/store/dynamo"
)

// openStore opens the store a URL names, with the driver of its scheme:
//
//	bolt://.data/bulwark.db          an embedded bbolt file (bolt.ParseURL)
//	dynamodb://TABLE[?region=R&endpoint=URL&create=true]
//	                                 a DynamoDB table (dynamo.URL)
func openStore(ctx context.Context, rawURL string) (store.Store, error) {
	scheme, _, ok := strings.Cut(rawURL, "://")
	if !ok {
		return nil, errs.E(errs.Invalid, "store URL %q: want bolt://PATH or dynamodb://TABLE", rawURL)
	}
	switch scheme {
	case bolt.Scheme:
		s, err := bolt.OpenURL(rawURL)
		if err != nil {
			return nil, err
		}
		return s, nil
	case dynamo.Scheme:
		s, err := dynamo.OpenURL(ctx, rawURL)
		if err != nil {
			return nil, err
		}
		return s, nil
	}
	return nil, errs.E(errs.Invalid, "store URL %q: unknown scheme %q (want %s or %s)", rawURL, scheme, bolt.Scheme, dynamo.Scheme)
}
