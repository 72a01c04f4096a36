// Package errs gives Bulwark's errors a kind that every layer understands.
//
// Domain packages and store drivers return errors made with E (or wrap them
// with fmt.Errorf and %w); the HTTP layer maps a Kind to a status in exactly
// one place (pkg/api). The Kind list is append-only.
package errs

import (
	"errors"
	"fmt"
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
}

// Problem is one of several validation failures reported together.
type Problem struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error returns a readable description including the field and cause.
func (e *Error) Error() string {
	msg := e.Message
	if msg == "" && e.Err == nil {
		msg = e.Kind.String()
	}
	if e.Field != "" {
		msg = e.Field + ": " + msg
	}
	if e.Err != nil {
		if msg == "" {
			return e.Err.Error()
		}
		return msg + ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// E builds an Error of kind k with a formatted message.
func E(k Kind, format string, args ...any) *Error {
	return &Error{Kind: k, Message: fmt.Sprintf(format, args...)}
}

// Field builds an Invalid error naming the offending field.
func Field(field, format string, args ...any) *Error {
	return &Error{Kind: Invalid, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Wrap adds context to err and gives it the kind k unless err already
// carries a kind other than Other, which it keeps: a Malformed body stays
// Malformed, a NotFound stays NotFound, however often it is wrapped. Use it
// to classify errors from outside Bulwark (drivers, libraries); within
// Bulwark, fmt.Errorf("…: %w", err) adds context alone.
func Wrap(k Kind, err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	if had := KindOf(err); had != Other {
		k = had
	}
	return &Error{Kind: k, Message: fmt.Sprintf(format, args...), Err: err}
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
