package store

import (
	"context"
	"testing"
	"time"
)

// TestHistoryAs: the copy keeps the settings and names its author, and
// leaves the original's author alone.
func TestHistoryAs(t *testing.T) {
	now := func() time.Time { return time.Unix(0, 0) }
	h := &History{Keep: 7, Now: now, Author: func(context.Context) string { return "ann" }}
	a := h.As("jira webhook")
	if a.Keep != 7 || a.Now == nil || a.Author(context.Background()) != "jira webhook" {
		t.Errorf("As: keep %d, author %q", a.Keep, a.Author(context.Background()))
	}
	if h.Author(context.Background()) != "ann" {
		t.Error("As changed the original's author")
	}
}
