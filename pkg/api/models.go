package api

import (
	"crypto/rand"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/auth"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/internal/freelist"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

var modelRoutes = []route{
	{"GET", "/api/v1/models", auth.RoleViewer, (*server).listModels},
	{"POST", "/api/v1/models", auth.RoleEditor, (*server).createModel},
	{"GET", "/api/v1/models/{id}", auth.RoleViewer, (*server).getModel},
	{"PATCH", "/api/v1/models/{id}", auth.RoleEditor, (*server).patchModel},
	{"DELETE", "/api/v1/models/{id}", auth.RoleEditor, (*server).deleteModel},
	{"GET", "/api/v1/models/{id}/diagram", auth.RoleViewer, (*server).getDiagram},
	{"PUT", "/api/v1/models/{id}/diagram", auth.RoleEditor, (*server).putDiagram},
}

// maxBodyHint caps the buffer readBody sizes from a body's announced
// length before reading it, so that a request announcing a large body
// costs no more than this until its bytes arrive.
const maxBodyHint = 4 << 20

// readBody reads at most limit bytes of the request body into one buffer,
// sized from the announced length (up to maxBodyHint) and grown by
// doubling past it or when the length is unknown (e.g. a gzip body), so
// that a body over the limit costs about the limit.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	return readBodyInto(w, r, limit, nil)
}

// freeBodies holds large request bodies handed back by handlers done with
// them, for the next large body to be read into.
var freeBodies = freelist.New(4)

// readBodyInto is readBody reading into buf when its capacity fits the
// announced length (buf may be nil).
func readBodyInto(w http.ResponseWriter, r *http.Request, limit int64, buf []byte) ([]byte, error) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || !slices.Contains(jsonTypes, mt) {
			return nil, &problemError{*unsupported(r, fmt.Sprintf("the body must be application/json, got %q", ct))}
		}
	}
	if r.ContentLength > limit {
		return nil, errs.E(errs.TooLarge, "request body of %d bytes is larger than the limit of %d bytes", r.ContentLength, limit)
	}
	body := http.MaxBytesReader(w, r.Body, limit)
	hint := int64(512)
	if r.ContentLength > 0 {
		hint = min(r.ContentLength+1, maxBodyHint) // +1 to read io.EOF without growing
	}
	if int64(cap(buf)) < hint {
		buf = make([]byte, 0, hint)
	}
	buf = buf[:0]
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := body.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		switch {
		case err == io.EOF:
			return buf, nil
		case err != nil:
			return nil, err // MaxBytesError becomes 413 in writeError
		}
	}
}

// decodeSmallBody reads a JSON body of at most MaxSmallBody bytes into v,
// refusing unknown fields and duplicate keys (model.DecodeStrict).
func decodeSmallBody(w http.ResponseWriter, r *http.Request, v any) error {
	body, err := readBody(w, r, MaxSmallBody)
	if err != nil {
		return err
	}
	return model.DecodeStrict(body, v)
}

// etag formats a revision as a strong entity tag.
func etag(rev int64) string { return `"` + strconv.FormatInt(rev, 10) + `"` }

// ifMatch returns the revision named by the If-Match header. A missing
// header is an errs.Precondition error when required.
func ifMatch(r *http.Request, required bool) (int64, bool, error) {
	h := strings.TrimSpace(r.Header.Get("If-Match"))
	if h == "" {
		if required {
			return 0, false, errs.E(errs.Precondition, "this write needs an If-Match header with the revision you read (the ETag of your GET), e.g. If-Match: \"3\"").At("If-Match")
		}
		return 0, false, nil
	}
	rev, err := strconv.ParseInt(strings.TrimPrefix(strings.Trim(h, `"`), "W/"), 10, 64)
	if err != nil || rev < 1 {
		return 0, false, errs.E(errs.Malformed, "must be a revision in quotes such as \"3\", got %s", h).At("If-Match")
	}
	return rev, true, nil
}

// newID returns a random model id.
func newID() string { return "tm-" + strings.ToLower(rand.Text()[:20]) }

func (s *server) createModel(w http.ResponseWriter, r *http.Request) error {
	body, err := readBody(w, r, MaxDocumentBody)
	if err != nil {
		return err
	}
	m, err := model.Decode(body)
	if err != nil {
		return err
	}
	return s.storeNewModel(w, r, m)
}

// storeNewModel completes a new model with the server's fields, checks its
// nesting, stores it (the store validates it) and answers 201.
func (s *server) storeNewModel(w http.ResponseWriter, r *http.Request, m *model.ThreatModel) error {
	p := principal(r)
	if m.ID == "" {
		m.ID = newID()
	}
	m.Tenant, m.Revision = p.Tenant, 0
	m.CreatedAt, m.UpdatedAt = s.Now().UTC(), s.Now().UTC()
	if m.Owner == "" {
		m.Owner = p.User
	}
	// The store validates the whole document; nesting needs other models.
	if err := s.checkNesting(r.Context(), p.Tenant, m); err != nil {
		return err
	}
	if err := s.models.Create(r.Context(), m); err != nil {
		if errs.Is(err, errs.Conflict) {
			return errs.E(errs.Conflict, "a model with id %q exists", m.ID).At("/id")
		}
		return err
	}
	w.Header().Set("Location", "/api/v1/models/"+m.ID)
	w.Header().Set("ETag", etag(m.Revision))
	writeJSON(w, http.StatusCreated, m)
	return nil
}

func (s *server) getModel(w http.ResponseWriter, r *http.Request) error {
	doc, rev, err := s.models.GetJSON(r.Context(), principal(r).Tenant, r.PathValue("id"))
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(rev))
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(doc)
	return err
}

// metadataPatch is the body of PATCH /models/{id}: the fields a client may
// change there. Absent fields stay as they are.
type metadataPatch struct {
	Name        *string           `json:"name"`
	Description *string           `json:"description"`
	Version     *string           `json:"version"`
	ProjectType *string           `json:"projectType"`
	Priority    *model.Priority   `json:"priority"`
	Facing      *model.Facing     `json:"facing"`
	Labels      *[]string         `json:"labels"`
	Owner       *string           `json:"owner"`
	Properties  map[string]string `json:"properties"`
}

func (s *server) patchModel(w http.ResponseWriter, r *http.Request) error {
	expected, _, err := ifMatch(r, true)
	if err != nil {
		return err
	}
	var patch metadataPatch
	if err := decodeSmallBody(w, r, &patch); err != nil {
		return err
	}
	m, err := s.models.Get(r.Context(), principal(r).Tenant, r.PathValue("id"))
	if err != nil {
		return err
	}
	if m.Revision != expected {
		return errs.ConflictAt(m.Revision, "model %s changed since revision %d; reload it and apply your change again", m.ID, expected)
	}
	set(&m.Name, patch.Name)
	set(&m.Description, patch.Description)
	set(&m.Version, patch.Version)
	set(&m.ProjectType, patch.ProjectType)
	set(&m.Priority, patch.Priority)
	set(&m.Facing, patch.Facing)
	set(&m.Labels, patch.Labels)
	set(&m.Owner, patch.Owner)
	if patch.Properties != nil {
		m.Properties = patch.Properties
	}
	if err := s.models.Update(r.Context(), m, expected); err != nil {
		return err
	}
	w.Header().Set("ETag", etag(m.Revision))
	writeJSON(w, http.StatusOK, m)
	return nil
}

func set[T any](dst *T, src *T) {
	if src != nil {
		*dst = *src
	}
}

func (s *server) deleteModel(w http.ResponseWriter, r *http.Request) error {
	tenant, id := principal(r).Tenant, r.PathValue("id")
	expected, given, err := ifMatch(r, false)
	if err != nil {
		return err
	}
	if !given {
		m, err := s.models.Get(r.Context(), tenant, id)
		if err != nil {
			return err
		}
		expected = m.Revision
	}
	if err := s.models.Delete(r.Context(), tenant, id, expected); err != nil {
		return err
	}
	// What hangs off the model goes with it. The model is gone either way:
	// a failure here is logged, and the leftovers are unreachable and
	// ignored by the features that own them.
	if s.Accelerator != nil && s.Accelerator.Engine != nil {
		if err := s.Accelerator.Engine.Unlink(r.Context(), tenant, id); err != nil {
			s.Logger.WarnContext(r.Context(), "unlink accelerator model", "model", id, "err", err)
		}
	}
	if s.Jira != nil {
		if err := s.Jira.ForgetModel(r.Context(), tenant, id); err != nil {
			s.Logger.WarnContext(r.Context(), "forget jira link", "model", id, "err", err)
		}
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *server) getDiagram(w http.ResponseWriter, r *http.Request) error {
	m, err := s.models.GetRaw(r.Context(), principal(r).Tenant, r.PathValue("id"))
	if err != nil {
		return err
	}
	w.Header().Set("ETag", etag(m.Revision))
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_, err = w.Write(m.Diagram)
	return err
}

// diagramResult is the answer to a diagram write.
type diagramResult struct {
	Revision int64          `json:"revision"`
	Diagram  *model.Diagram `json:"diagram,omitempty"`
}

func (s *server) putDiagram(w http.ResponseWriter, r *http.Request) error {
	expected, _, err := ifMatch(r, true)
	if err != nil {
		return err
	}
	// The body is handed back when the handler is done: decoding copies
	// what it keeps, and so does the store of a kept canonical diagram.
	body, err := readBodyInto(w, r, MaxDocumentBody, freeBodies.Get(0))
	if err != nil {
		return err
	}
	defer freeBodies.Put(body) // nothing kept from the PUT refers to it
	// The model's metadata is read while the body decodes; a body that
	// does not decode is reported first, as when one followed the other.
	type metadata struct {
		m   *model.ThreatModel
		err error
	}
	read := make(chan metadata, 1)
	go func() {
		m, err := s.models.GetMetadata(r.Context(), principal(r).Tenant, r.PathValue("id"))
		read <- metadata{m, err}
	}()
	d, canonical, err := model.DecodeDiagramCanonical(body)
	meta := <-read
	if err != nil {
		return prefixField(err, "/diagram")
	}
	m, err := meta.m, meta.err
	if err != nil {
		return err
	}
	if m.Revision != expected {
		return errs.ConflictAt(m.Revision, "model %s changed since revision %d (now %d); reload it or keep your version and retry", m.ID, expected, m.Revision)
	}
	m.Diagram = *d
	// The store validates the whole document; nesting needs other models.
	if err := s.checkNesting(r.Context(), principal(r).Tenant, m); err != nil {
		return err
	}
	// The body is kept as the stored diagram when it is spelled exactly as
	// the store would encode it.
	if err := s.models.UpdateDiagram(r.Context(), m, canonical, expected); err != nil {
		return err
	}
	w.Header().Set("ETag", etag(m.Revision))
	if preferMinimal(r) {
		// The client keeps what it sent (RFC 7240); skip echoing a large
		// diagram back.
		w.Header().Set("Preference-Applied", "return=minimal")
		writeJSON(w, http.StatusOK, diagramResult{Revision: m.Revision})
		return nil
	}
	writeJSON(w, http.StatusOK, diagramResult{Revision: m.Revision, Diagram: &m.Diagram})
	return nil
}

// preferMinimal reports whether the request asks for "Prefer: return=minimal".
func preferMinimal(r *http.Request) bool {
	for _, v := range r.Header.Values("Prefer") {
		for _, p := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(p), "return=minimal") {
				return true
			}
		}
	}
	return false
}

// prefixField makes a field pointer relative to the request body into one
// relative to the whole document, so clients see one naming scheme.
func prefixField(err error, prefix string) error {
	if e, ok := errs.As(err); ok && e.Field != "" {
		c := *e
		c.Field = prefix + e.Field
		return &c
	}
	return err
}
