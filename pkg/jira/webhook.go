package jira

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"time"

	"github.com/bulwark-tm/bulwark/pkg/errs"
)

// SignatureHeader is the header a Jira webhook with a secret signs its
// body in: "sha256=" and the hex HMAC-SHA256 of the raw body.
const SignatureHeader = "X-Hub-Signature"

// Sign returns the SignatureHeader value for body under secret.
func Sign(secret, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// VerifySignature checks a SignatureHeader value against the raw body in
// constant time. Every failure is an errs.Unauthorized error that says
// what is wrong without echoing the expected value.
func VerifySignature(secret, body []byte, header string) error {
	if len(secret) == 0 {
		return errs.E(errs.Unauthorized, "webhook: the instance has no webhook secret; set one in Settings → Integrations")
	}
	if header == "" {
		return errs.E(errs.Unauthorized, "webhook: missing %s header", SignatureHeader)
	}
	alg, sig, ok := strings.Cut(header, "=")
	if !ok || !strings.EqualFold(alg, "sha256") {
		return errs.E(errs.Unauthorized, "webhook: %s must be sha256=<hex HMAC of the body>", SignatureHeader)
	}
	got, err := hex.DecodeString(strings.TrimSpace(sig))
	if err != nil {
		return errs.E(errs.Unauthorized, "webhook: %s is not hex", SignatureHeader)
	}
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	if !hmac.Equal(got, m.Sum(nil)) {
		return errs.E(errs.Unauthorized, "webhook: signature does not match the body")
	}
	return nil
}

// The webhook events Bulwark handles.
const (
	EventIssueCreated = "jira:issue_created"
	EventIssueUpdated = "jira:issue_updated"
	EventIssueDeleted = "jira:issue_deleted"
)

// Event is a parsed Jira issue webhook.
type Event struct {
	Type      string    // webhookEvent
	Timestamp time.Time // the webhook's timestamp
	Issue     Issue
	// StatusChanged is true when the changelog changes the status or the
	// resolution.
	StatusChanged bool
}

// Time is when the event's change happened: the issue's updated time if
// the payload has one, else the webhook's timestamp.
func (e *Event) Time() time.Time {
	if !e.Issue.Updated.IsZero() {
		return e.Issue.Updated
	}
	return e.Timestamp
}

// MaxWebhookBody bounds a webhook body (Jira sends the whole issue).
const MaxWebhookBody = 1 << 20

// ParseEvent reads a Jira Cloud or Data Center issue webhook body. A body
// that is not JSON, or an issue event without an issue id, is an
// errs.Malformed error; other events parse with only Type and Timestamp.
func ParseEvent(body []byte) (*Event, error) {
	var raw struct {
		Timestamp    int64      `json:"timestamp"`
		WebhookEvent string     `json:"webhookEvent"`
		Issue        *RESTIssue `json:"issue"`
		Changelog    *struct {
			Items []struct {
				Field   string `json:"field"`
				FieldID string `json:"fieldId"`
			} `json:"items"`
		} `json:"changelog"`
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, errs.E(errs.Malformed, "webhook body: %w", err)
	}
	if raw.WebhookEvent == "" {
		return nil, errs.E(errs.Malformed, "is required").At("/webhookEvent")
	}
	ev := &Event{Type: raw.WebhookEvent, Timestamp: time.UnixMilli(raw.Timestamp).UTC()}
	if !strings.HasPrefix(raw.WebhookEvent, "jira:issue_") {
		return ev, nil
	}
	if raw.Issue == nil || raw.Issue.ID == "" {
		return nil, errs.E(errs.Malformed, "an issue event needs the issue's id").At("/issue/id")
	}
	ev.Issue = raw.Issue.Issue()
	if raw.Changelog != nil {
		for _, it := range raw.Changelog.Items {
			f := strings.ToLower(it.Field)
			if f == "status" || f == "resolution" || it.FieldID == "status" || it.FieldID == "resolution" {
				ev.StatusChanged = true
			}
		}
	}
	return ev, nil
}
