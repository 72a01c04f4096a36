package dynamo_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/store"
	"github.com/bulwark-tm/bulwark/pkg/store/dynamo"
	"github.com/bulwark-tm/bulwark/pkg/store/dynamo/dynamotest"
)

func TestParseURL(t *testing.T) {
	tests := []struct {
		url     string
		want    dynamo.URL
		wantErr string // part of the error message; empty for success
	}{
		{url: "dynamodb://bulwark-prod", want: dynamo.URL{Table: "bulwark-prod"}},
		{url: "dynamodb://Bulwark_Table.v2/", want: dynamo.URL{Table: "Bulwark_Table.v2"}},
		{url: "dynamodb://bulwark?region=eu-west-1", want: dynamo.URL{Table: "bulwark", Region: "eu-west-1"}},
		{
			url:  "dynamodb://bulwark?endpoint=http://127.0.0.1:8000&region=us-east-1&create=true",
			want: dynamo.URL{Table: "bulwark", Endpoint: "http://127.0.0.1:8000", Region: "us-east-1", Create: true},
		},
		{url: "dynamodb://bulwark?create=false", want: dynamo.URL{Table: "bulwark"}},

		{url: "bolt://x.db", wantErr: "want dynamodb://TABLE"},
		{url: "dynamodb://", wantErr: "no table name"},
		{url: "dynamodb://?region=eu-west-1", wantErr: "no table name"},
		{url: "dynamodb://ab", wantErr: "not a DynamoDB table name"},
		{url: "dynamodb://table:8000", wantErr: "not a DynamoDB table name"},
		{url: "dynamodb://bulwark/extra", wantErr: `unexpected path "/extra"`},
		{url: "dynamodb://key:secret@bulwark", wantErr: "credentials do not belong"},
		{url: "dynamodb://bulwark?endpoint=127.0.0.1:8000", wantErr: "is not an http(s) URL"},
		{url: "dynamodb://bulwark?create=yes", wantErr: `create="yes"`},
		{url: "dynamodb://bulwark?tabel=x", wantErr: `unknown parameter "tabel"`},
		{url: "dynamodb://bulwark?region=a&region=b", wantErr: "given 2 times"},
	}
	for _, tc := range tests {
		t.Run(tc.url, func(t *testing.T) {
			got, err := dynamo.ParseURL(tc.url)
			if tc.wantErr != "" {
				if err == nil || !errs.Is(err, errs.Invalid) || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("got %+v, %v; want an invalid error containing %q", got, err, tc.wantErr)
				}
				if strings.Contains(err.Error(), "secret") {
					t.Fatalf("error %q repeats the credentials", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Fatalf("(-want +got):\n%s", diff)
			}
		})
	}
}

// roundTrip writes and reads a record through s.
func roundTrip(t *testing.T, s store.Store) {
	t.Helper()
	ctx := context.Background()
	r := &store.Record{Tenant: "t", Kind: store.KindModel, ID: "m", Body: []byte("body")}
	if err := s.Create(ctx, r); err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(ctx, "t", store.KindModel, "m")
	if err != nil || string(got.Body) != "body" {
		t.Fatalf("get: %v, %v", got, err)
	}
}

func TestOpenURL(t *testing.T) {
	ctx := context.Background()
	client := dynamotest.Client(t, endpoint)
	table := dynamotest.NewTable(t, client)

	t.Run("existing table", func(t *testing.T) {
		s, err := dynamo.OpenURL(ctx, "dynamodb://"+table+"?endpoint="+endpoint)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		roundTrip(t, s)
	})
	t.Run("create=true creates the table", func(t *testing.T) {
		name := table + "-created"
		s, err := dynamo.OpenURL(ctx, "dynamodb://"+name+"?create=true&region=us-east-1&endpoint="+endpoint)
		if err != nil {
			t.Fatal(err)
		}
		defer func() {
			if err := dynamotest.DeleteTable(ctx, client, name); err != nil {
				t.Error(err)
			}
		}()
		roundTrip(t, s)
	})
	t.Run("missing table without create", func(t *testing.T) {
		s, err := dynamo.OpenURL(ctx, "dynamodb://"+table+"-missing?endpoint="+endpoint)
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.Get(ctx, "t", store.KindModel, "m")
		if !errs.Is(err, errs.Unavailable) || !strings.Contains(err.Error(), "does not exist") {
			t.Fatalf("got %v, want unavailable: table does not exist", err)
		}
	})
	t.Run("no region", func(t *testing.T) {
		t.Setenv("AWS_REGION", "")
		t.Setenv("AWS_DEFAULT_REGION", "")
		t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
		t.Setenv("AWS_PROFILE", "")
		_, err := dynamo.OpenURL(ctx, "dynamodb://"+table)
		if !errs.Is(err, errs.Invalid) || !strings.Contains(err.Error(), "no AWS region") {
			t.Fatalf("got %v, want an invalid error naming the missing region", err)
		}
	})
}
