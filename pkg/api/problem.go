package api

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"os"

	"github.com/bulwark-tm/bulwark/pkg/errs"
)

// Problem is an RFC 9457 problem details document, with Bulwark's
// extensions: the offending field (a JSON Pointer into the request body or a
// query parameter name), every problem found, and for conflicts the current
// revision.
type Problem struct {
	Type            string         `json:"type"`
	Title           string         `json:"title"`
	Status          int            `json:"status"`
	Detail          string         `json:"detail,omitempty"`
	Instance        string         `json:"instance,omitempty"`
	Field           string         `json:"field,omitempty"`
	Problems        []errs.Problem `json:"problems,omitempty"`
	CurrentRevision *int64         `json:"currentRevision,omitempty"`
	RequestID       string         `json:"requestId,omitempty"`
}

// kinds maps each error kind to its HTTP status and problem type. It is the
// only place that does; a kind missing here is an internal error.
var kinds = map[errs.Kind]struct {
	status int
	slug   string
}{
	errs.Malformed:    {http.StatusBadRequest, "malformed"},
	errs.Invalid:      {http.StatusUnprocessableEntity, "invalid"},
	errs.NotFound:     {http.StatusNotFound, "not-found"},
	errs.Conflict:     {http.StatusConflict, "conflict"},
	errs.Forbidden:    {http.StatusForbidden, "forbidden"},
	errs.Unauthorized: {http.StatusUnauthorized, "unauthorized"},
	errs.TooLarge:     {http.StatusRequestEntityTooLarge, "too-large"},
	errs.Unavailable:  {http.StatusServiceUnavailable, "unavailable"},
	errs.Precondition: {http.StatusPreconditionRequired, "precondition-required"},
}

// writeError answers with the problem+json form of err. Internal errors are
// logged with the request id and answered without their details.
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		err = errs.E(errs.TooLarge, "request body larger than %d bytes", mbe.Limit)
	}
	var pe *problemError
	if errors.As(err, &pe) {
		writeProblem(w, r, pe.p)
		return
	}
	if p, ok := transportProblem(r, err); ok {
		writeProblem(w, r, p)
		return
	}
	kind := errs.KindOf(err)
	status, slug := http.StatusInternalServerError, "internal"
	if k, ok := kinds[kind]; ok {
		status, slug = k.status, k.slug
	}
	p := Problem{Type: problemType(slug), Status: status}
	if e, ok := errs.As(err); ok {
		p.Detail, p.Field, p.Problems = e.Error(), e.Field, e.Problems
		if e.Field != "" {
			// The field is already its own member; keep the detail readable.
			p.Detail = e.Message
			if e.Err != nil {
				p.Detail += ": " + e.Err.Error()
			}
		}
		if kind == errs.Conflict {
			cur := e.Current
			p.CurrentRevision = &cur
		}
	}
	if status >= 500 {
		logger(r.Context()).ErrorContext(r.Context(), "request failed", "request_id", requestID(r.Context()), "err", err.Error(), "status", status)
		if kind != errs.Unavailable {
			p.Detail = "internal error; quote the request id " + requestID(r.Context()) + " when reporting it"
		}
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="bulwark"`)
	}
	writeProblem(w, r, p)
}

// problemError is an error answered with its own problem: for the
// statuses no errs.Kind stands for (408, 415, 421).
type problemError struct{ p Problem }

func (e *problemError) Error() string { return e.p.Detail }

// transportProblem recognizes the failures of reading the request itself:
// a body that arrives slower than the server's read timeout is a 408, and
// a client that went away is logged at debug level (there is no one left
// to answer), not reported as an internal error.
func transportProblem(r *http.Request, err error) (Problem, bool) {
	var be *bodyError
	var ne net.Error
	gone := r.Context().Err() != nil && errors.Is(err, context.Canceled)
	switch {
	case errors.As(err, &be) && (errors.As(be.err, &ne) && ne.Timeout() || errors.Is(be.err, os.ErrDeadlineExceeded)):
		logger(r.Context()).DebugContext(r.Context(), "request body timed out", "request_id", requestID(r.Context()), "err", err.Error())
		return Problem{Status: http.StatusRequestTimeout, Type: problemType("request-timeout"),
			Detail: "the request body did not arrive in time; send it again"}, true
	case errors.As(err, &be) || gone:
		logger(r.Context()).DebugContext(r.Context(), "client disconnected", "request_id", requestID(r.Context()), "err", err.Error())
		return Problem{Status: http.StatusBadRequest, Type: problemType("incomplete-request"),
			Detail: "the connection ended before the request was complete"}, true
	}
	return Problem{}, false
}

// bodyError is a failure to read the request body from the client (not
// its size limit, which http.MaxBytesReader reports).
type bodyError struct{ err error }

func (e *bodyError) Error() string { return "read request body: " + e.err.Error() }
func (e *bodyError) Unwrap() error { return e.err }

// bodyReader marks the errors of reading a request body as bodyErrors.
type bodyReader struct{ io.ReadCloser }

func (b bodyReader) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil && err != io.EOF {
		err = &bodyError{err}
	}
	return n, err
}

// problemType returns the URI of a problem type.
func problemType(slug string) string { return "https://bulwark.dev/problems/" + slug }

// writeProblem completes p with the title, instance and request id, and
// sends it.
func writeProblem(w http.ResponseWriter, r *http.Request, p Problem) {
	p.Title = http.StatusText(p.Status)
	p.Instance = r.URL.Path
	p.RequestID = requestID(r.Context())
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}

// writeJSON answers with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
