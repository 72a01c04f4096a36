package catalog

import "testing"

func TestPropertyLabel(t *testing.T) {
	tests := []struct{ name, want string }{
		{"publicIp", "Public IP"},
		{"imdsv2Required", "IMDSv2 required"},
		{"multiAZ", "Multi-AZ"},
		{"inVpc", "In VPC"},
		{"kmsEncrypted", "KMS encrypted"},
		{"tlsListeners", "TLS listeners"},
		{"publicUrl", "Public URL"},
		{"autoAssignPublicIp", "Auto assign public IP"},
		{"httpsOnly", "HTTPS only"},
		{"os", "OS"},
		{"cidr", "CIDR"},
		{"mfa", "MFA"},
		{"pointInTimeRecovery", "Point in time recovery"},
		{"engine", "Engine"},
		{"ARNValue", "ARN value"},
		{"s3_bucket", "S3 bucket"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PropertyLabel(tt.name); got != tt.want {
				t.Errorf("PropertyLabel(%q) = %q, want %q", tt.name, got, tt.want)
			}
		})
	}
}

// TestToolboxLabels: every property the editor shows has a label for
// people, never the raw key (#17.15), and a rule file's label wins.
func TestToolboxLabels(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, tt := range c.Toolbox().ComponentTypes {
		for _, p := range tt.Properties {
			n++
			if p.Label == "" || p.Label == p.Name && p.Name != PropertyLabel(p.Name) {
				t.Errorf("%s.%s: label %q", tt.ID, p.Name, p.Label)
			}
		}
	}
	if n == 0 {
		t.Fatal("no properties in the catalog")
	}
	p := Property{Name: "publicIp", Label: "Public IPv4 address"}
	if got := p.DisplayName(); got != "Public IPv4 address" {
		t.Errorf("DisplayName = %q, want the rule's label", got)
	}
}
