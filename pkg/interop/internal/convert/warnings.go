package convert

import "fmt"

// Warnings collects messages, once each, in order. The zero value is an
// empty list.
type Warnings struct {
	list []string
	seen map[string]bool
}

// Add adds the message format makes of args, unless it is there already.
func (w *Warnings) Add(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if w.seen == nil {
		w.seen = map[string]bool{}
	}
	if !w.seen[msg] {
		w.seen[msg] = true
		w.list = append(w.list, msg)
	}
}

// List returns the messages in the order they were first added.
func (w *Warnings) List() []string { return w.list }
