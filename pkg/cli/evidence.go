package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/analysis"
	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/compliance"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// EvidenceFile is what `bulwark evidence` writes beside the model: the
// merged evidence of the findings and evaluation files, and the model's
// compliance view computed from it. `bulwark report` reads it back.
type EvidenceFile struct {
	Model    string                `json:"model"`
	Evidence []compliance.Evidence `json:"evidence"`
	View     *compliance.View      `json:"view"`
	// Unmapped lists the checks of the evidence that decide no requirement.
	Unmapped []compliance.UnmappedCheck `json:"unmapped"`
}

// evidencePath is the side file of a model file: model.json →
// model.evidence.json.
func evidencePath(modelPath string) string {
	return strings.TrimSuffix(modelPath, ".json") + ".evidence.json"
}

func evidenceCommand(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("evidence", `Usage: bulwark evidence --model model.json --findings FILE... [--config-compliance FILE...] --out model.json

Applies Security Hub findings (ASFF, EventBridge events, GetFindings answers)
and AWS Config rule evaluations to a model, offline. The model is written to
--out unchanged; the merged evidence and the model's compliance view are
written beside it, to OUT.evidence.json (model.json → model.evidence.json),
which "bulwark report" reads. Files after the flags are findings files too.

A file that cannot be read or parsed is skipped with its error and the
others are applied; the command then exits 1. The summary counts the files
read and skipped and lists the checks that decide no requirement
(unmapped).

`, stderr)
	modelPath := fs.String("model", "", "the model file (JSON)")
	var findings, config listFlag
	fs.Var(&findings, "findings", "a Security Hub findings file (repeatable, or comma-separated)")
	fs.Var(&config, "config-compliance", "an AWS Config rule evaluations file (repeatable, or comma-separated)")
	out := fs.String("out", "", "where to write the model; the evidence goes to OUT.evidence.json")
	account := fs.String("account", "", "account id for Config evaluations that do not name one (default: the model's only account)")
	region := fs.String("region", "", "region for Config evaluations that do not name one")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	findings = append(findings, pos...)
	if *modelPath == "" || *out == "" || len(findings)+len(config) == 0 {
		return usageError{"evidence needs --model, --out and at least one --findings or --config-compliance file"}
	}
	m, cat, err := loadModel(*modelPath)
	if err != nil {
		return err
	}
	opts := compliance.Options{Controls: cat.Controls, AccountID: *account, Region: *region}
	if accs := compliance.Accounts(m); opts.AccountID == "" && len(accs) == 1 {
		opts.AccountID = accs[0]
	}
	byID := map[string]compliance.Evidence{}
	skipped, read := 0, 0
	var failed []string
	for _, f := range slices.Concat([]string(findings), []string(config)) {
		// A file that cannot be read is reported and skipped; the rest is
		// still applied, and the command fails at the end.
		data, err := readInput(f, nil)
		if err == nil {
			var p *compliance.Parsed
			if p, err = compliance.Parse(data, opts); err == nil {
				read++
				skipped += p.Skipped
				for _, n := range p.Notes {
					fmt.Fprintf(stderr, "note: %s: %s\n", f, n)
				}
				for _, e := range p.Evidence {
					if cur, ok := byID[e.ID]; !ok || compliance.Newer(&cur, &e) {
						byID[e.ID] = e
					}
				}
				continue
			}
		}
		fmt.Fprintf(stderr, "skipped %s: %v\n", f, err)
		failed = append(failed, f)
	}
	if read == 0 {
		return fmt.Errorf("no findings or evaluations file could be read (%d skipped)", len(failed))
	}
	evs := make([]compliance.Evidence, 0, len(byID))
	for _, e := range byID {
		evs = append(evs, e)
	}
	slices.SortFunc(evs, func(a, b compliance.Evidence) int { return strings.Compare(a.ID, b.ID) })
	res := analysis.Analyze(cat, m, nil)
	view := compliance.Evaluate(cat, m, res, evs)

	modelBytes, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("encode model: %w", err)
	}
	side, err := json.MarshalIndent(EvidenceFile{Model: m.ID, Evidence: evs, View: view, Unmapped: compliance.Unmapped(cat, evs)}, "", "  ")
	if err != nil {
		return fmt.Errorf("encode evidence: %w", err)
	}
	if err := writeOutput(*out, append(modelBytes, '\n'), stdout); err != nil {
		return err
	}
	sidePath := evidencePath(*out)
	if *out == "-" {
		sidePath = evidencePath(*modelPath)
	}
	if err := os.WriteFile(sidePath, append(side, '\n'), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", sidePath, err)
	}
	unmapped := compliance.Unmapped(cat, evs)
	var b bytes.Buffer
	fmt.Fprintf(&b, "files: %d read, %d skipped; %d evidence records (%d entries not compliance results), %d checks unmapped → %s\n",
		read, len(failed), len(evs), skipped, len(unmapped), sidePath)
	for _, s := range compliance.Statuses {
		fmt.Fprintf(&b, "  %-14s %d requirements\n", s.Label(), view.Counts[s])
	}
	for _, c := range view.Contradictions {
		fmt.Fprintf(&b, "  contradiction: %s (%s): %s\n", c.ElementName, c.Property, c.Message)
	}
	for _, u := range unmapped {
		fmt.Fprintf(&b, "  unmapped: %s (%d observations) decides no requirement: %s\n", u.Check, u.Observations, u.Title)
	}
	_, err = (func() (int, error) {
		if *out == "-" {
			return stderr.Write(b.Bytes())
		}
		return stdout.Write(b.Bytes())
	})()
	if err == nil && len(failed) > 0 {
		err = fmt.Errorf("%d of %d files skipped: %s", len(failed), read+len(failed), strings.Join(failed, ", "))
	}
	return err
}

// loadModel reads and validates a model file and loads the catalog.
func loadModel(path string) (*model.ThreatModel, *catalog.Catalog, error) {
	data, err := readInput(path, nil)
	if err != nil {
		return nil, nil, err
	}
	m, err := model.Decode(data)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	if err := m.Validate(); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	cat, err := catalog.Default()
	if err != nil {
		return nil, nil, fmt.Errorf("load the catalog: %w", err)
	}
	return m, cat, nil
}
