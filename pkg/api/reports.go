package api

import (
	"bytes"
	"mime"
	"net/http"
	"strconv"

	"github.com/bulwark-tm/bulwark/pkg/auth"
	"github.com/bulwark-tm/bulwark/pkg/compliance"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/report"
)

var reportRoutes = []route{
	{"GET", "/api/v1/reports", auth.RoleViewer, (*server).listReports},
	{"GET", "/api/v1/models/{id}/reports/{kind}", auth.RoleViewer, (*server).getReport},
}

// reportKind describes one report to clients.
type reportKind struct {
	Kind    report.Kind     `json:"kind"`
	Title   string          `json:"title"`
	Formats []report.Format `json:"formats"`
}

func (s *server) listReports(w http.ResponseWriter, r *http.Request) error {
	titles := map[report.Kind]string{
		report.Executive: "Executive summary: risk rollup, top threats, progress",
		report.Developer: "Developer report: requirements per component with implementation guidance",
		report.Policy:    "Policy compliance: requirements with compliance status and evidence",
		report.CIS:       "CIS AWS Foundations Benchmark: items with pass, fail or not available",
		report.Custom:    "Custom: the sections you pick (summary, threats, requirements, compliance, cis)",
	}
	out := make([]reportKind, 0, len(report.Kinds))
	for _, k := range report.Kinds {
		out = append(out, reportKind{Kind: k, Title: titles[k], Formats: report.Formats})
	}
	writeJSON(w, http.StatusOK, map[string]any{"reports": out, "cisVersions": compliance.CISVersions(s.Catalog.Controls), "defaultCisVersion": report.DefaultCISVersion, "sections": report.Sections})
	return nil
}

func (s *server) getReport(w http.ResponseWriter, r *http.Request) error {
	kind, err := report.ParseKind(r.PathValue("kind"))
	if err != nil {
		return err
	}
	q := r.URL.Query()
	format, err := report.ParseFormat(q.Get("format"))
	if err != nil {
		return err
	}
	download := false
	if v := q.Get("download"); v != "" {
		if download, err = strconv.ParseBool(v); err != nil {
			return errs.E(errs.Malformed, "must be true or false, got %q", v).At("download")
		}
	}
	var sections []string
	if kind == report.Custom {
		if sections, err = report.ParseSections(q.Get("sections")); err != nil {
			return err
		}
	}
	mc, err := s.compliance(r.Context(), principal(r).Tenant, r.PathValue("id"))
	if err != nil {
		return err
	}
	rep, err := report.Build(kind, report.Input{Model: mc.model, Analysis: mc.analysis, Compliance: mc.view, Evidence: mc.evidence,
		Catalog: s.Catalog, CISVersion: q.Get("cis"), Sections: sections, GeneratedAt: s.Now()})
	if err != nil {
		return err
	}
	// Render fully before answering, so a failure is a clean problem+json.
	var buf bytes.Buffer
	if err := report.Render(&buf, rep, format); err != nil {
		return err
	}
	disposition := "inline"
	if download || format == report.CSV {
		disposition = "attachment"
	}
	w.Header().Set("Content-Type", format.MediaType())
	w.Header().Set("Content-Disposition", mime.FormatMediaType(disposition, map[string]string{"filename": report.FileName(rep, format)}))
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("ETag", etag(mc.model.Revision))
	if format == report.HTML {
		// The page is self-contained: no scripts, only inline styles.
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'")
	}
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(buf.Bytes())
	return err
}
