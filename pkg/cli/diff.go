package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/bulwark-tm/bulwark/pkg/analysis"
	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/diff"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// exitError gives an error its own exit code.
type exitError struct {
	err  error
	code int
}

func (e exitError) Error() string { return e.err.Error() }
func (e exitError) Unwrap() error { return e.err }

// ExitCode returns the exit code the error stands for.
func (e exitError) ExitCode() int { return e.code }

// inputError marks a file that could not be read or understood (exit 2).
func inputError(err error) error { return exitError{err, 2} }

// readModel reads and validates a model document file (- for stdin).
func readModel(name string) (*model.ThreatModel, error) {
	b, err := readInput(name, os.Stdin)
	if err != nil {
		return nil, inputError(err)
	}
	m, err := model.Decode(b)
	if err != nil {
		return nil, inputError(fmt.Errorf("%s: %w", name, err))
	}
	if err := m.Validate(); err != nil {
		return nil, inputError(fmt.Errorf("%s: %w", name, err))
	}
	return m, nil
}

func diffCommand(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("diff", "Usage: bulwark diff A.json B.json [--format text|json]\n\nShows what changed from model A to model B: components, flows and groups\nadded, removed or changed; threats and requirements that appear, disappear or\nchange status. Exit 0 when compared, 2 when a file cannot be read.\n\n", stderr)
	format := fs.String("format", "text", "output format: text or json")
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(files) != 2 {
		return usageError{fmt.Sprintf("diff needs two model files, got %d", len(files))}
	}
	if *format != "text" && *format != "json" {
		return usageError{fmt.Sprintf("unknown format %q; use text or json", *format)}
	}
	a, err := readModel(files[0])
	if err != nil {
		return err
	}
	b, err := readModel(files[1])
	if err != nil {
		return err
	}
	cat, err := catalog.Default()
	if err != nil {
		return fmt.Errorf("load catalog: %w", err)
	}
	d := diff.Compare(diff.Side{Model: a, Analysis: analysis.Analyze(cat, a, nil)}, diff.Side{Model: b, Analysis: analysis.Analyze(cat, b, nil)})
	if *format == "json" {
		out, err := json.MarshalIndent(d, "", "  ")
		if err != nil {
			return err
		}
		_, err = stdout.Write(append(out, '\n'))
		return err
	}
	return d.WriteText(stdout)
}
