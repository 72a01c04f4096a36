package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/auth"
	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/interop"
)

// MaxImportBody bounds an import upload (all files together).
const MaxImportBody = 32 << 20

var interopRoutes = []route{
	{"GET", "/api/v1/interop/formats", auth.RoleViewer, (*server).interopFormats},
	{"POST", "/api/v1/import", auth.RoleEditor, (*server).importPreview},
	{"GET", "/api/v1/models/{id}/export", auth.RoleViewer, (*server).exportModel},
}

// formatInfo describes one import or export format to clients.
type formatInfo struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Import      bool   `json:"import"`
	Export      bool   `json:"export"`
}

func (s *server) interopFormats(w http.ResponseWriter, r *http.Request) error {
	var out []formatInfo
	for _, f := range interop.Formats() {
		out = append(out, formatInfo{Name: f.Name, Description: f.Description, Import: f.Import != nil, Export: f.Export != nil})
	}
	writeJSON(w, http.StatusOK, map[string]any{"formats": out})
	return nil
}

// importPreview converts uploaded files into a model and answers it with
// the import's warnings, without storing anything. The body is either one
// file (any content type; ?name= names it) or multipart/form-data with one
// part per file (a root template and its nested stack templates).
func (s *server) importPreview(w http.ResponseWriter, r *http.Request) error {
	from := r.URL.Query().Get("from")
	if from == "" {
		return errs.Field("from", "%s", "query parameter from is required; one of "+strings.Join(interop.ImportFormats(), ", "))
	}
	if r.ContentLength > MaxImportBody {
		return errs.E(errs.TooLarge, "request body of %d bytes is larger than the limit of %d bytes", r.ContentLength, MaxImportBody)
	}
	body := http.MaxBytesReader(w, r.Body, MaxImportBody)
	files, err := importFiles(r, body)
	if err != nil {
		return err
	}
	cat, err := catalog.Default()
	if err != nil {
		return fmt.Errorf("load catalog: %w", err)
	}
	res, err := interop.Import(from, files, cat)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, res)
	return nil
}

// importFiles reads the uploaded files from the body.
func importFiles(r *http.Request, body io.Reader) ([]interop.File, error) {
	mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		b, err := io.ReadAll(body)
		if err != nil {
			return nil, err
		}
		if len(b) == 0 {
			return nil, errs.E(errs.Malformed, "the body is empty; send the file to import")
		}
		name := r.URL.Query().Get("name")
		if name == "" {
			name = "upload"
		}
		return []interop.File{{Name: name, Data: b}}, nil
	}
	if params["boundary"] == "" {
		return nil, errs.E(errs.Malformed, "multipart/form-data needs a boundary parameter").At("Content-Type")
	}
	mr := multipart.NewReader(body, params["boundary"])
	var files []interop.File
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return nil, err
			}
			return nil, errs.E(errs.Malformed, "read multipart body: %w", err)
		}
		if len(files) == interop.MaxFiles {
			return nil, errs.E(errs.TooLarge, "more than %d files in one import", interop.MaxFiles)
		}
		b, err := io.ReadAll(p)
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				return nil, err
			}
			return nil, errs.E(errs.Malformed, "read part %q: %w", p.FileName(), err)
		}
		name := p.FileName()
		if name == "" {
			name = p.FormName()
		}
		if name == "" {
			name = "part-" + strconv.Itoa(len(files)+1)
		}
		files = append(files, interop.File{Name: name, Data: b})
	}
	if len(files) == 0 {
		return nil, errs.E(errs.Malformed, "the multipart body holds no file")
	}
	return files, nil
}

// exportEnvelope is the answer to an export with ?envelope=true: the
// document with its warnings, for clients that show them before saving.
type exportEnvelope struct {
	Format    string          `json:"format"`
	FileName  string          `json:"fileName"`
	MediaType string          `json:"mediaType"`
	Warnings  []string        `json:"warnings"`
	Document  json.RawMessage `json:"document"`
}

func (s *server) exportModel(w http.ResponseWriter, r *http.Request) error {
	to := r.URL.Query().Get("to")
	if to == "" {
		return errs.Field("to", "%s", "query parameter to is required; one of "+strings.Join(interop.ExportFormats(), ", "))
	}
	envelope := false
	if v := r.URL.Query().Get("envelope"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return errs.E(errs.Malformed, "must be true or false, got %q", v).At("envelope")
		}
		envelope = b
	}
	m, err := s.models.Get(r.Context(), principal(r).Tenant, r.PathValue("id"))
	if err != nil {
		return err
	}
	cat, err := catalog.Default()
	if err != nil {
		return fmt.Errorf("load catalog: %w", err)
	}
	out, err := interop.Export(to, m, cat)
	if err != nil {
		return err
	}
	fileName := m.ID + out.Extension
	if envelope {
		writeJSON(w, http.StatusOK, exportEnvelope{Format: strings.ToLower(to), FileName: fileName, MediaType: out.MediaType, Warnings: out.Warnings, Document: out.Data})
		return nil
	}
	w.Header().Set("Content-Type", out.MediaType)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": fileName}))
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Bulwark-Export-Warnings", strconv.Itoa(len(out.Warnings)))
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(out.Data)
	return err
}
