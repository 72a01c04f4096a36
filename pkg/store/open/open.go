// Package open picks and opens a store.Store driver from a URL, so that the
// composition roots (functions/*) need one setting:
//
//	bolt://.data/bulwark.db          an embedded bbolt file (relative path)
//	bolt:///var/lib/bulwark.db       the same with an absolute path
//	dynamodb://TABLE                 a DynamoDB table, with the default AWS
//	                                 credential chain and region
//	dynamodb://TABLE?region=eu-west-1&endpoint=http://127.0.0.1:8000&create=true
//
// For dynamodb, endpoint points at another DynamoDB (DynamoDB Local, for
// tests and laptops) and then uses dummy static credentials and, unless
// region is given, us-east-1; create=true creates the table if missing
// (dynamo.EnsureTable).
package open

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/store"
	"github.com/bulwark-tm/bulwark/pkg/store/bolt"
	"github.com/bulwark-tm/bulwark/pkg/store/dynamo"
)

// DefaultURL is the store a laptop uses when none is configured.
const DefaultURL = "bolt://.data/bulwark.db"

// The URL schemes.
const (
	SchemeBolt     = "bolt"
	SchemeDynamoDB = "dynamodb"
)

// Target is a parsed store URL.
type Target struct {
	Scheme string // SchemeBolt or SchemeDynamoDB
	// Path is the bbolt file (bolt), relative to the working directory
	// unless absolute.
	Path string
	// Table, Endpoint, Region and Create are the DynamoDB settings.
	Table    string
	Endpoint string
	Region   string
	Create   bool
}

// localRegion is the region used with an endpoint when none is given.
const localRegion = "us-east-1"

var tablePattern = regexp.MustCompile(`^[A-Za-z0-9_.-]{3,255}$`)

// Parse reads a store URL (see the package doc) and reports what is wrong
// with it as an errs.Invalid error.
func Parse(rawURL string) (Target, error) {
	scheme, rest, ok := strings.Cut(rawURL, "://")
	if !ok {
		return Target{}, errs.E(errs.Invalid, "store URL %q: want bolt://PATH or dynamodb://TABLE", rawURL)
	}
	switch scheme {
	case SchemeBolt:
		// Not url.Parse: a file path is not a host and a path.
		switch {
		case rest == "":
			return Target{}, errs.E(errs.Invalid, "store URL %q: no file path (want e.g. %s)", rawURL, DefaultURL)
		case strings.ContainsAny(rest, "?#"):
			return Target{}, errs.E(errs.Invalid, "store URL %q: a bolt URL takes no query or fragment", rawURL)
		case strings.HasSuffix(rest, "/"):
			return Target{}, errs.E(errs.Invalid, "store URL %q: %q is a directory; name the database file", rawURL, rest)
		}
		return Target{Scheme: SchemeBolt, Path: rest}, nil
	case SchemeDynamoDB:
		return parseDynamoDB(rawURL)
	default:
		return Target{}, errs.E(errs.Invalid, "store URL %q: unknown scheme %q (want %s or %s)", rawURL, scheme, SchemeBolt, SchemeDynamoDB)
	}
}

func parseDynamoDB(rawURL string) (Target, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return Target{}, errs.Wrap(errs.Invalid, err, "store URL")
	}
	t := Target{Scheme: SchemeDynamoDB, Table: u.Host}
	switch {
	case u.Host == "":
		return Target{}, errs.E(errs.Invalid, "store URL %q: no table name (want dynamodb://TABLE)", rawURL)
	case !tablePattern.MatchString(u.Host):
		return Target{}, errs.E(errs.Invalid, "store URL %q: %q is not a DynamoDB table name (3 to 255 letters, digits, _ . -)", rawURL, u.Host)
	case u.User != nil:
		return Target{}, errs.E(errs.Invalid, "store URL %q: credentials do not belong in the URL; use the AWS credential chain", redact(u))
	case u.Path != "" && u.Path != "/":
		return Target{}, errs.E(errs.Invalid, "store URL %q: unexpected path %q after the table name", rawURL, u.Path)
	case u.Fragment != "":
		return Target{}, errs.E(errs.Invalid, "store URL %q: unexpected fragment", rawURL)
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return Target{}, errs.Wrap(errs.Invalid, err, "store URL %q: query", rawURL)
	}
	known := []string{"endpoint", "region", "create"}
	for k, v := range q {
		if !slices.Contains(known, k) {
			return Target{}, errs.E(errs.Invalid, "store URL %q: unknown parameter %q (known: %s)", rawURL, k, strings.Join(known, ", "))
		}
		if len(v) != 1 {
			return Target{}, errs.E(errs.Invalid, "store URL %q: parameter %q given %d times", rawURL, k, len(v))
		}
	}
	if ep := q.Get("endpoint"); ep != "" {
		e, err := url.Parse(ep)
		if err != nil || (e.Scheme != "http" && e.Scheme != "https") || e.Host == "" {
			return Target{}, errs.E(errs.Invalid, "store URL %q: endpoint %q is not an http(s) URL", rawURL, ep)
		}
		t.Endpoint = ep
	}
	t.Region = q.Get("region")
	if c := q.Get("create"); c != "" {
		if t.Create, err = strconv.ParseBool(c); err != nil {
			return Target{}, errs.E(errs.Invalid, "store URL %q: create=%q is not true or false", rawURL, c)
		}
	}
	return t, nil
}

func redact(u *url.URL) string {
	c := *u
	c.User = url.User("REDACTED")
	return c.String()
}

// Open opens the store rawURL names. A bolt store holds its file until
// Close; a dynamodb store with create=true creates its table first.
func Open(ctx context.Context, rawURL string) (store.Store, error) {
	t, err := Parse(rawURL)
	if err != nil {
		return nil, err
	}
	switch t.Scheme {
	case SchemeBolt:
		s, err := bolt.Open(t.Path)
		if err != nil {
			return nil, fmt.Errorf("open store: %w", err)
		}
		return s, nil
	default:
		return openDynamoDB(ctx, t)
	}
}

func openDynamoDB(ctx context.Context, t Target) (store.Store, error) {
	var opts []func(*config.LoadOptions) error
	region := t.Region
	if t.Endpoint != "" {
		if region == "" {
			region = localRegion
		}
		opts = append(opts, config.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("local", "local", "")))
	}
	if region != "" {
		opts = append(opts, config.WithRegion(region))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, errs.Wrap(errs.Invalid, err, "open store dynamodb://%s: load AWS configuration", t.Table)
	}
	if cfg.Region == "" {
		return nil, errs.E(errs.Invalid, "open store dynamodb://%s: no AWS region; set AWS_REGION or add ?region=", t.Table)
	}
	client := dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) {
		if t.Endpoint != "" {
			o.BaseEndpoint = aws.String(t.Endpoint)
		}
	})
	if t.Create {
		if err := dynamo.EnsureTable(ctx, client, t.Table); err != nil {
			return nil, fmt.Errorf("open store dynamodb://%s: %w", t.Table, err)
		}
	}
	return dynamo.New(client, t.Table), nil
}
