package app

import (
	"context"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/secrets"
	"github.com/bulwark-tm/bulwark/pkg/secrets/secretsmanager"
)

func TestOpenSecrets(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	tests := []struct {
		url, store string
		wantPath   string // for file stores
		wantErr    bool
	}{
		{"", "bolt://" + dir + "/bulwark.db", dir + "/secrets.json", false},
		{"file://" + dir + "/s.json", "dynamodb://t", dir + "/s.json", false},
		{"", "dynamodb://table", "", true},
		{"file://", "", "", true},
		{"file://" + dir + "/s.json?x=1", "", "", true},
		{"vault://x", "", "", true},
		{"secretsmanager://bulwark/?color=red", "", "", true},
		{"secretsmanager://bad prefix/", "", "", true},
		{"nonsense", "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.url+"|"+tt.store, func(t *testing.T) {
			s, err := openSecrets(ctx, tt.url, tt.store)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("openSecrets succeeded, want an error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if f, ok := s.(*secrets.File); !ok || f.Path() != tt.wantPath {
				t.Errorf("openSecrets = %#v, want the file %s", s, tt.wantPath)
			}
		})
	}
}

// TestOpenSecretsManager: a secretsmanager:// URL gives the Secrets
// Manager driver with its prefix and key (no call is made until used).
func TestOpenSecretsManager(t *testing.T) {
	t.Setenv("AWS_REGION", "eu-west-1")
	s, err := openSecrets(context.Background(), "secretsmanager://bulwark/?kms=alias/bulwark", "")
	if err != nil {
		t.Fatal(err)
	}
	sm, ok := s.(*secretsmanager.Store)
	if !ok || sm.Prefix != "bulwark/" || sm.KMSKeyID != "alias/bulwark" || sm.Client == nil {
		t.Errorf("openSecrets = %#v, want Secrets Manager under bulwark/ with the kms key", s)
	}
}
