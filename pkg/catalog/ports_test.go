package catalog

import "testing"

func TestListenerProtocol(t *testing.T) {
	tests := []struct {
		name  string
		proto string
		port  int
		want  string
	}{
		{"https", "HTTPS", 443, "HTTPS"},
		{"https on any port", "HTTPS", 8080, "HTTPS"},
		{"lower case", "https", 443, "HTTPS"},
		{"classic ssl", "SSL", 443, "HTTPS"},
		{"http", "HTTP", 80, "HTTP"},
		{"http on a database port", "HTTP", 5432, "HTTP"},
		{"tls", "TLS", 5432, "TLS"},
		{"udp", "UDP", 53, "UDP"},
		{"geneve", "GENEVE", 6081, "UDP"},
		{"tcp on a well-known port", "TCP", 5432, "PostgreSQL"},
		{"tcp on 443", "TCP", 443, "HTTPS"},
		{"tcp_udp on a well-known port", "TCP_UDP", 53, "DNS"},
		{"tcp on another port", "TCP", 7000, "TCP"},
		{"none, well-known port", "", 3306, "MySQL"},
		{"none, other port", "", 7000, "TCP"},
		{"none, no port", "", 0, "TCP"},
		{"unknown protocol", "QUIC", 8443, "HTTPS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ListenerProtocol(tt.proto, tt.port); got != tt.want {
				t.Errorf("ListenerProtocol(%q, %d) = %q, want %q", tt.proto, tt.port, got, tt.want)
			}
		})
	}
}

// TestPortProtocolsAreListed: every protocol a well-known port names is one
// the knowledge base lists, so a flow drawn with it is valid.
func TestPortProtocolsAreListed(t *testing.T) {
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for port, id := range portProtocols {
		if p := c.Protocol(id); p == nil || p.ID != id {
			t.Errorf("port %d names protocol %q, which rules/protocols.yaml does not list as an id", port, id)
		}
	}
}
