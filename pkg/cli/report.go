package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"

	"github.com/bulwark-tm/bulwark/pkg/analysis"
	"github.com/bulwark-tm/bulwark/pkg/compliance"
	"github.com/bulwark-tm/bulwark/pkg/report"
)

func reportCommand(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fset := newFlagSet("report", `Usage: bulwark report --model model.json --kind cis|executive|developer|compliance|custom --format html|pdf|csv|json --out FILE

Writes a report on a model file. Compliance comes from the evidence file
"bulwark evidence" wrote beside the model (model.evidence.json), or from
--evidence; without one every requirement is "Not available".

`, stderr)
	modelPath := fset.String("model", "", "the model file (JSON)")
	kindName := fset.String("kind", "executive", "cis, executive, developer, compliance (policy) or custom")
	formatName := fset.String("format", "html", "html, pdf, csv or json")
	out := fset.String("out", "", "the output file (default standard output)")
	evPath := fset.String("evidence", "", "the evidence file (default MODEL.evidence.json when it exists)")
	cisVersion := fset.String("cis", "", "CIS benchmark version (default "+report.DefaultCISVersion+")")
	sections := fset.String("sections", "", "custom report sections, comma-separated (default all)")
	at := fset.String("generated-at", "", "the report's time, RFC 3339 (default now; fix it for reproducible files)")
	if err := fset.Parse(args); err != nil {
		return flagError(err)
	}
	if fset.NArg() > 0 || *modelPath == "" {
		return usageError{"report needs --model and takes no arguments"}
	}
	kind, err := report.ParseKind(*kindName)
	if err != nil {
		return usageError{err.Error()}
	}
	format, err := report.ParseFormat(*formatName)
	if err != nil {
		return usageError{err.Error()}
	}
	var secs []string
	if kind == report.Custom {
		if secs, err = report.ParseSections(*sections); err != nil {
			return usageError{err.Error()}
		}
	}
	now := time.Now().UTC()
	if *at != "" {
		if now, err = time.Parse(time.RFC3339, *at); err != nil {
			return usageError{"--generated-at: " + err.Error()}
		}
	}
	m, cat, err := loadModel(*modelPath)
	if err != nil {
		return err
	}
	var evs []compliance.Evidence
	path, explicit := *evPath, *evPath != ""
	if !explicit {
		path = evidencePath(*modelPath)
	}
	data, err := os.ReadFile(path)
	switch {
	case err == nil:
		var ef EvidenceFile
		if err := json.Unmarshal(data, &ef); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if ef.Model != m.ID {
			fmt.Fprintf(stderr, "warning: %s was made for model %q, not %q\n", path, ef.Model, m.ID)
		}
		evs = ef.Evidence
	case explicit || !errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("read evidence: %w", err)
	}
	res := analysis.Analyze(cat, m, nil)
	rep, err := report.Build(kind, report.Input{Model: m, Analysis: res, Compliance: compliance.BuildView(m, res, evs, cat.Controls),
		Evidence: evs, Catalog: cat, CISVersion: *cisVersion, Sections: secs, GeneratedAt: now})
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := report.Render(&buf, rep, format); err != nil {
		return err
	}
	return writeOutput(*out, buf.Bytes(), stdout)
}
