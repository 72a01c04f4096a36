package store

import "context"

// As returns a History with h's settings (store, retention, summaries,
// logger, clock) that records every version as made by author: for the
// saves a workflow makes without a signed-in user, such as
// "accelerator sync" or "jira webhook".
func (h *History) As(author string) *History {
	return &History{Store: h.Store, Keep: h.Keep, Summarize: h.Summarize, Logger: h.Logger, Now: h.Now,
		Author: func(context.Context) string { return author }}
}
