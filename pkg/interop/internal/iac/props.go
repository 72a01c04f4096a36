package iac

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

// LitBool returns a literal boolean (CloudFormation also writes "true").
func LitBool(v any) (bool, bool) {
	switch x := v.(type) {
	case bool:
		return x, true
	case string:
		b, err := strconv.ParseBool(strings.ToLower(x))
		return b, err == nil
	}
	return false, false
}

// LitStr returns a literal string.
func LitStr(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case int, float64, bool:
		return Str(x), true
	}
	return "", false
}

// LitInt returns a literal number.
func LitInt(v any) (int, bool) {
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

// Props is a property set under construction.
type Props map[string]any

// BoolOr sets name from a literal boolean v, or to def when v is absent
// (nil); an expression leaves it unset.
func (p Props) BoolOr(name string, v any, def bool) {
	if v == nil {
		p[name] = def
		return
	}
	if b, ok := LitBool(v); ok {
		p[name] = b
	}
}

// StrIf sets name from a literal string.
func (p Props) StrIf(name string, v any) {
	if s, ok := LitStr(v); ok && s != "" {
		p[name] = s
	}
}

// DBEngine maps an RDS engine name to the catalog's engine enum.
func DBEngine(e string) string {
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

// Backups sets automatedBackups (retained at least 7 days) and
// backupRetentionDays from a retention period; absent, the service
// default (1 day) applies.
func (p Props) Backups(v any, def int) {
	if v == nil {
		v = def
	}
	if n, ok := LitInt(v); ok {
		p["backupRetentionDays"] = n
		p["automatedBackups"] = n >= 7
	}
}

// PublicPolicy reports whether a policy document allows everyone ("*"
// principal) without a condition.
func PublicPolicy(doc any) bool {
	for _, st := range Get(doc, "Statement", "*") {
		if Str(Get1(st, "Effect")) != "Allow" || Get1(st, "Condition") != nil {
			continue
		}
		for _, pr := range append(Get(st, "Principal"), Get(st, "Principal", "AWS", "*")...) {
			if s, ok := pr.(string); ok && s == "*" {
				return true
			}
		}
	}
	return false
}

// TLSHTTPS reports whether a listener protocol is encrypted.
func TLSHTTPS(p string) bool {
	switch strings.ToUpper(p) {
	case "HTTPS", "TLS", "SSL":
		return true
	}
	return false
}

// APIAuth is the weakest authorization among an API's methods.
func APIAuth(types []string) string {
	order := []string{"NONE", "AWS_IAM", "CUSTOM", "COGNITO_USER_POOLS", "JWT"}
	names := map[string]string{"NONE": "NONE", "AWS_IAM": "AWS_IAM", "CUSTOM": "LAMBDA", "COGNITO_USER_POOLS": "COGNITO", "JWT": "JWT"}
	for _, o := range order {
		for _, t := range types {
			if strings.EqualFold(t, o) {
				return names[o]
			}
		}
	}
	return "NONE"
}

// DataTypes are the resource types a function's environment variables
// or IAM policies point at to call them: flows are drawn to these only.
var DataTypes = map[string]bool{
	"AWS::DynamoDB::Table": true, "AWS::SQS::Queue": true, "AWS::S3::Bucket": true, "AWS::SNS::Topic": true,
	"AWS::Kinesis::Stream": true, "AWS::SecretsManager::Secret": true, "AWS::StepFunctions::StateMachine": true,
	"AWS::Events::EventBus": true, "AWS::RDS::DBInstance": true, "AWS::RDS::DBCluster": true, "AWS::ElastiCache::ReplicationGroup": true,
	"AWS::ElastiCache::CacheCluster": true, "AWS::OpenSearch::Domain": true, "AWS::Elasticsearch::Domain": true, "AWS::EFS::FileSystem": true,
	"AWS::KMS::Key": false, "AWS::Lambda::Function": true, "AWS::SSM::Parameter": true, "AWS::Kinesis::DeliveryStream": true,
}
