package dynamo

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
)

// Scheme is the URL scheme of a DynamoDB store.
const Scheme = "dynamodb"

// URL is a parsed DynamoDB store URL:
//
//	dynamodb://TABLE                 a table, with the default AWS
//	                                 credential chain and region
//	dynamodb://TABLE?region=eu-west-1&endpoint=http://127.0.0.1:8000&create=true
//
// Endpoint points at another DynamoDB (DynamoDB Local, for tests and
// laptops), which is then called with dummy static credentials and, unless
// Region is given, in us-east-1; Create creates the table if it is missing
// (EnsureTable).
type URL struct {
	Table    string
	Endpoint string
	Region   string
	Create   bool
}

// localRegion is the region used with an endpoint when none is given.
const localRegion = "us-east-1"

var tablePattern = regexp.MustCompile(`^[A-Za-z0-9_.-]{3,255}$`)

// ParseURL reads a DynamoDB store URL (see URL) and reports what is wrong
// with it as an errs.Invalid error.
func ParseURL(rawURL string) (URL, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return URL{}, errs.E(errs.Invalid, "store URL: %w", err)
	}
	t := URL{Table: u.Host}
	switch {
	case u.Scheme != Scheme:
		return URL{}, errs.E(errs.Invalid, "store URL %q: want dynamodb://TABLE", redact(u))
	case u.Host == "":
		return URL{}, errs.E(errs.Invalid, "store URL %q: no table name (want dynamodb://TABLE)", rawURL)
	case !tablePattern.MatchString(u.Host):
		return URL{}, errs.E(errs.Invalid, "store URL %q: %q is not a DynamoDB table name (3 to 255 letters, digits, _ . -)", rawURL, u.Host)
	case u.User != nil:
		return URL{}, errs.E(errs.Invalid, "store URL %q: credentials do not belong in the URL; use the AWS credential chain", redact(u))
	case u.Path != "" && u.Path != "/":
		return URL{}, errs.E(errs.Invalid, "store URL %q: unexpected path %q after the table name", rawURL, u.Path)
	case u.Fragment != "":
		return URL{}, errs.E(errs.Invalid, "store URL %q: unexpected fragment", rawURL)
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return URL{}, errs.E(errs.Invalid, "store URL %q: query: %w", rawURL, err)
	}
	known := []string{"endpoint", "region", "create"}
	for k, v := range q {
		if !slices.Contains(known, k) {
			return URL{}, errs.E(errs.Invalid, "store URL %q: unknown parameter %q (known: %s)", rawURL, k, strings.Join(known, ", "))
		}
		if len(v) != 1 {
			return URL{}, errs.E(errs.Invalid, "store URL %q: parameter %q given %d times", rawURL, k, len(v))
		}
	}
	if ep := q.Get("endpoint"); ep != "" {
		e, err := url.Parse(ep)
		if err != nil || (e.Scheme != "http" && e.Scheme != "https") || e.Host == "" {
			return URL{}, errs.E(errs.Invalid, "store URL %q: endpoint %q is not an http(s) URL", rawURL, ep)
		}
		t.Endpoint = ep
	}
	t.Region = q.Get("region")
	if c := q.Get("create"); c != "" {
		if t.Create, err = strconv.ParseBool(c); err != nil {
			return URL{}, errs.E(errs.Invalid, "store URL %q: create=%q is not true or false", rawURL, c)
		}
	}
	return t, nil
}

func redact(u *url.URL) string {
	c := *u
	if c.User != nil {
		c.User = url.User("REDACTED")
	}
	return c.String()
}

// OpenURL opens the store a DynamoDB URL names (see URL); with create=true
// it creates the table first.
func OpenURL(ctx context.Context, rawURL string) (*Store, error) {
	t, err := ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
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
		return nil, errs.E(errs.Invalid, "open store dynamodb://%s: load AWS configuration: %w", t.Table, err)
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
		if err := EnsureTable(ctx, client, t.Table); err != nil {
			return nil, fmt.Errorf("open store dynamodb://%s: %w", t.Table, err)
		}
	}
	return New(client, t.Table), nil
}
