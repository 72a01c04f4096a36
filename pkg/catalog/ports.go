package catalog

import (
	"cmp"
	"strings"
)

// portProtocols names the protocol usually spoken on a well-known TCP port.
// Every name is the id of a protocol in rules/protocols.yaml (see
// TestPortProtocolsAreListed).
var portProtocols = map[int]string{
	21: "FTP", 22: "SSH", 25: "SMTP", 53: "DNS", 80: "HTTP", 389: "LDAP", 443: "HTTPS", 465: "SMTPS", 636: "LDAPS",
	1433: "MSSQL", 1521: "Oracle", 1883: "MQTT", 2049: "NFS", 3000: "HTTP", 3306: "MySQL", 3389: "RDP",
	5432: "PostgreSQL", 5671: "AMQPS", 5672: "AMQP", 6379: "Redis", 8000: "HTTP", 8080: "HTTP", 8443: "HTTPS",
	8883: "MQTTS", 9092: "Kafka", 9094: "Kafka-TLS", 9200: "HTTPS", 11211: "Memcached", 27017: "MongoDB",
}

// PortProtocol returns the id of the protocol usually spoken on TCP port
// (5432 → "PostgreSQL"), or "" for a port that is not a well-known one.
func PortProtocol(port int) string { return portProtocols[port] }

// ListenerProtocol maps the protocol of a load balancer listener or target
// group (ELBv2 HTTP, HTTPS, TCP, TLS, UDP, TCP_UDP, GENEVE; classic ELB
// HTTP, HTTPS, SSL, TCP; any case) on port to the id of a flow protocol.
// TCP, TCP_UDP, an unknown or an empty protocol is named after a
// well-known port (PortProtocol), else "TCP".
func ListenerProtocol(p string, port int) string {
	switch strings.ToUpper(p) {
	case "HTTPS", "SSL":
		return "HTTPS"
	case "HTTP":
		return "HTTP"
	case "TLS":
		return "TLS"
	case "UDP", "GENEVE":
		return "UDP"
	}
	return cmp.Or(PortProtocol(port), "TCP")
}
