package bolt

import (
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/errs"
)

// Scheme is the URL scheme of a bolt store.
const Scheme = "bolt"

// ParseURL returns the database file a bolt store URL names:
//
//	bolt://.data/bulwark.db          relative to the working directory
//	bolt:///var/lib/bulwark.db       an absolute path
//
// It reports what is wrong with the URL as an errs.Invalid error.
func ParseURL(rawURL string) (string, error) {
	scheme, path, ok := strings.Cut(rawURL, "://")
	// Not url.Parse: a file path is not a host and a path.
	switch {
	case !ok || scheme != Scheme:
		return "", errs.E(errs.Invalid, "store URL %q: want bolt://PATH", rawURL)
	case path == "":
		return "", errs.E(errs.Invalid, "store URL %q: no file path (want e.g. bolt://.data/bulwark.db)", rawURL)
	case strings.ContainsAny(path, "?#"):
		return "", errs.E(errs.Invalid, "store URL %q: a bolt URL takes no query or fragment", rawURL)
	case strings.HasSuffix(path, "/"):
		return "", errs.E(errs.Invalid, "store URL %q: %q is a directory; name the database file", rawURL, path)
	}
	return path, nil
}

// OpenURL opens the store a bolt URL names (see ParseURL); it holds the
// file until Close.
func OpenURL(rawURL string) (*Store, error) {
	path, err := ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	return Open(path) // its errors already say "open bolt store"
}
