// Package errs gives Bulwark's errors a kind that every layer understands.
//
// Domain packages and store drivers return errors made with E (or wrap them
// with fmt.Errorf and %w); the HTTP layer maps a Kind to a status in exactly
// one place (pkg/api). The Kind list is append-only.
package errs

import (
	"errors"
	"fmt"
	"strings"
)

// Kind classifies an error by what the caller can do about it.
type Kind int

// The kinds of error. Append new kinds at the end; never reorder.
const (
	Other        Kind = iota // an unexpected internal failure
	Invalid                  // the input is well-formed but breaks a rule
	NotFound                 // the item does not exist (or is not visible to the tenant)
	Conflict                 // the write was based on a stale revision or the item exists
	Forbidden                // the caller's role does not allow the action
	Unauthorized             // the caller is not authenticated
	TooLarge                 // the input exceeds a size limit
	Unavailable              // a dependency is down; retrying may succeed
	Malformed                // the input cannot be parsed (bad JSON, wrong types, unknown fields)
	Precondition             // a required precondition (such as If-Match) is missing
)

var kindNames = [...]string{"internal", "invalid", "not found", "conflict", "forbidden", "unauthorized", "too large", "unavailable", "malformed", "precondition required"}

// String returns the kind's name.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// Error is an error with a Kind, an optional field path naming the offending
// input (JSON Pointer style, "/diagram/components/3/parent"), and for
// conflicts the revision the store currently holds.
type Error struct {
	Kind     Kind
	Field    string // JSON Pointer to the offending input, if any
	Message  string
	Current  int64 // for Conflict: the current revision (0 if the item is gone)
	Err      error // the underlying cause, if any
	Problems []Problem

	formatted bool // Message already holds Err's text (E with %w)
}

// Problem is one of several validation failures reported together.
type Problem struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error returns a readable description including the field and cause.
func (e *Error) Error() string {
	msg := e.Message
	if e.Err != nil {
		switch {
		case msg == "":
			msg = e.Err.Error()
		case !e.formatted:
			msg += ": " + e.Err.Error()
		}
	}
	if msg == "" {
		msg = e.Kind.String()
	}
	if e.Field != "" {
		msg = e.Field + ": " + msg
	}
	return msg
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// E builds an Error of kind k with a message formatted like fmt.Errorf.
// A %w verb names the cause: it stays reachable through errors.Is and
// errors.As, and when it already carries a kind other than Other that kind
// is kept, so a Malformed body stays Malformed however often it is wrapped.
// Use E to classify errors from outside Bulwark (drivers, libraries) and to
// make new ones; to add context alone, use fmt.Errorf("…: %w", err).
//
// Like errors a function returns, a nil cause means no error: E(k, "…: %w",
// nil) is a programming mistake the caller avoids by checking err first.
func E(k Kind, format string, args ...any) *Error {
	if !strings.Contains(format, "%w") {
		return &Error{Kind: k, Message: fmt.Sprintf(format, args...)}
	}
	w := fmt.Errorf(format, args...)
	var cause error
	switch u := w.(type) {
	case interface{ Unwrap() error }:
		cause = u.Unwrap()
	case interface{ Unwrap() []error }:
		for _, c := range u.Unwrap() {
			if had := KindOf(c); had != Other {
				cause = c
				break
			}
		}
	}
	if had := KindOf(cause); had != Other {
		k = had
	}
	return &Error{Kind: k, Message: w.Error(), Err: w, formatted: true}
}

// Field builds an Invalid error naming the offending field.
func Field(field, format string, args ...any) *Error {
	return &Error{Kind: Invalid, Field: field, Message: fmt.Sprintf(format, args...)}
}

// At names the offending input of an error of any kind (JSON Pointer style)
// and returns it: errs.E(errs.Malformed, "…").At("/diagram/flows/2").
// For rule violations (Invalid), Field says the same in one call.
func (e *Error) At(field string) *Error {
	e.Field = field
	return e
}

// Problems reports several rule violations together: the error is Invalid,
// names the first problem's field and message, and carries them all.
func Problems(p []Problem) *Error {
	if len(p) == 0 {
		return E(Invalid, "invalid")
	}
	return &Error{Kind: Invalid, Field: p[0].Field, Message: p[0].Message, Problems: p}
}

// ConflictAt reports a stale write: the store holds revision current.
func ConflictAt(current int64, format string, args ...any) *Error {
	return &Error{Kind: Conflict, Current: current, Message: fmt.Sprintf(format, args...)}
}

// KindOf returns the kind of the outermost *Error in err's chain that has a
// kind other than Other, or Other when there is none.
func KindOf(err error) Kind {
	for err != nil {
		var e *Error
		if !errors.As(err, &e) {
			return Other
		}
		if e.Kind != Other {
			return e.Kind
		}
		err = e.Err
	}
	return Other
}

// Is reports whether err has kind k.
func Is(err error, k Kind) bool { return err != nil && KindOf(err) == k }

// As returns the first *Error in err's chain whose kind is not Other.
func As(err error) (*Error, bool) {
	for err != nil {
		var e *Error
		if !errors.As(err, &e) {
			return nil, false
		}
		if e.Kind != Other {
			return e, true
		}
		err = e.Err
	}
	return nil, false
}
