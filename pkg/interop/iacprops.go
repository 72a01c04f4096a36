package interop

import (
	"strconv"
	"strings"
)

// This file maps the security-relevant attributes of infrastructure as
// code (public accessibility, encryption at rest, TLS, backups, versioning,
// public access blocks, logging, deletion protection, IMDSv2, public IP
// addresses...) to the catalog properties whose values decide threats and
// Assist tasks (rules/aws/*.yaml). A property is set only from a value the
// source states, or from the service's documented default when the source
// leaves the attribute out; a value known only at deploy time (a parameter,
// an unknown) leaves the property unset, so the catalog default applies.

// litBool returns a literal boolean (CloudFormation also writes "true").
func litBool(v any) (bool, bool) {
	switch x := v.(type) {
	case bool:
		return x, true
	case string:
		b, err := strconv.ParseBool(strings.ToLower(x))
		return b, err == nil
	}
	return false, false
}

// litStr returns a literal string.
func litStr(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case int, float64, bool:
		return str(x), true
	}
	return "", false
}

// litInt returns a literal number.
func litInt(v any) (int, bool) {
	switch x := v.(type) {
	case int:
		return x, true
	case float64:
		return int(x), true
	case string:
		n, err := strconv.Atoi(x)
		return n, err == nil
	}
	return 0, false
}

// props is a property set under construction.
type props map[string]any

// boolOr sets name from a literal boolean v, or to def when v is absent
// (nil); an expression leaves it unset.
func (p props) boolOr(name string, v any, def bool) {
	if v == nil {
		p[name] = def
		return
	}
	if b, ok := litBool(v); ok {
		p[name] = b
	}
}

// strIf sets name from a literal string.
func (p props) strIf(name string, v any) {
	if s, ok := litStr(v); ok && s != "" {
		p[name] = s
	}
}

// dbEngine maps an RDS engine name to the catalog's engine enum.
func dbEngine(e string) string {
	e = strings.ToLower(e)
	switch {
	case strings.Contains(e, "postgres"):
		return "postgres"
	case strings.Contains(e, "mariadb"):
		return "mariadb"
	case strings.Contains(e, "mysql"), e == "aurora":
		return "mysql"
	case strings.HasPrefix(e, "oracle"):
		return "oracle"
	case strings.HasPrefix(e, "sqlserver"):
		return "sqlserver"
	}
	return ""
}

// backups sets automatedBackups (retained at least 7 days) and
// backupRetentionDays from a retention period; absent, the service
// default (1 day) applies.
func (p props) backups(v any, def int) {
	if v == nil {
		v = def
	}
	if n, ok := litInt(v); ok {
		p["backupRetentionDays"] = n
		p["automatedBackups"] = n >= 7
	}
}

// publicPolicy reports whether a policy document allows everyone ("*"
// principal) without a condition.
func publicPolicy(doc any) bool {
	for _, st := range get(doc, "Statement", "*") {
		if str(get1(st, "Effect")) != "Allow" || get1(st, "Condition") != nil {
			continue
		}
		for _, pr := range append(get(st, "Principal"), get(st, "Principal", "AWS", "*")...) {
			if s, ok := pr.(string); ok && s == "*" {
				return true
			}
		}
	}
	return false
}

// tlsHTTPS reports whether a listener protocol is encrypted.
func tlsHTTPS(p string) bool {
	switch strings.ToUpper(p) {
	case "HTTPS", "TLS", "SSL":
		return true
	}
	return false
}
