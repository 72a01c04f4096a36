package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/errs"
	"github.com/bulwark-tm/bulwark/pkg/interop"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// parseInterspersed parses flags that may come before, between or after
// the positional arguments, and returns the positional arguments; a bad
// flag is a usage error.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, flagError(err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// readInput reads a file (or stdin for "-"), refusing files larger than
// interop.MaxFileSize.
func readInput(name string, stdin io.Reader) ([]byte, error) {
	r := stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, interop.MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(b) > interop.MaxFileSize {
		return nil, errs.E(errs.TooLarge, "%s is larger than %d bytes", name, interop.MaxFileSize)
	}
	return b, nil
}

// writeOutput writes data to the file out, or to stdout for "" and "-".
func writeOutput(out string, data []byte, stdout io.Writer) error {
	if out == "" || out == "-" {
		_, err := stdout.Write(data)
		return err
	}
	if err := os.WriteFile(out, data, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", out, err)
	}
	return nil
}

// writeModel writes m as indented JSON to the file out, or to stdout for
// "" and "-".
func writeModel(out string, m *model.ThreatModel, stdout io.Writer) error {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("encode model: %w", err)
	}
	return writeOutput(out, append(data, '\n'), stdout)
}

func printWarnings(stderr io.Writer, ws []string) {
	for _, w := range ws {
		fmt.Fprintln(stderr, "warning:", w)
	}
}

func importCommand(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("import", "Usage: bulwark import --from FORMAT FILE... [--out model.json]\n\nThe first FILE is the document to import; for cloudformation, further files are\nnested stack templates (matched by the file name at the end of TemplateURL).\nFor terraform, FILE is the output of terraform show -json PLANFILE.\nWarnings go to stderr.\n\n", stderr)
	from := fs.String("from", "", "source format: "+strings.Join(interop.ImportFormats(), "|"))
	out := fs.String("out", "-", "file to write the model JSON to (- for stdout)")
	name := fs.String("name", "", "name of the imported model (default: from the source)")
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if *from == "" {
		return usageError{"import needs --from (" + strings.Join(interop.ImportFormats(), ", ") + ")"}
	}
	if !slices.Contains(interop.ImportFormats(), *from) {
		return usageError{fmt.Sprintf("unknown import format %q; want one of %s", *from, strings.Join(interop.ImportFormats(), ", "))}
	}
	if len(files) == 0 {
		return usageError{"import needs at least one FILE"}
	}
	var in []interop.File
	for _, f := range files {
		b, err := readInput(f, os.Stdin)
		if err != nil {
			return err
		}
		in = append(in, interop.File{Name: f, Data: b})
	}
	cat, err := catalog.Default()
	if err != nil {
		return fmt.Errorf("load catalog: %w", err)
	}
	res, err := interop.Import(*from, in, cat)
	if err != nil {
		return err
	}
	if *name != "" {
		res.Model.Name = *name
	}
	printWarnings(stderr, res.Warnings)
	if err := writeModel(*out, res.Model, stdout); err != nil {
		return err
	}
	if *out != "-" && *out != "" {
		fmt.Fprintf(stderr, "imported %d components, %d groups, %d flows into %s (%d warnings)\n",
			len(res.Model.Diagram.Components), len(res.Model.Diagram.Groups), len(res.Model.Diagram.Flows), *out, len(res.Warnings))
	}
	return nil
}

func exportCommand(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("export", "Usage: bulwark export --to FORMAT --model model.json [--out FILE]\n\nWarnings (what the format cannot hold) go to stderr.\n\n", stderr)
	to := fs.String("to", "", "target format: "+strings.Join(interop.ExportFormats(), "|"))
	in := fs.String("model", "", "the Bulwark model JSON to export (- for stdin)")
	out := fs.String("out", "-", "file to write to (- for stdout)")
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(rest) > 0:
		return usageError{fmt.Sprintf("export takes no arguments, got %q; name the model with --model", rest)}
	case *to == "":
		return usageError{"export needs --to (" + strings.Join(interop.ExportFormats(), ", ") + ")"}
	case !slices.Contains(interop.ExportFormats(), *to):
		return usageError{fmt.Sprintf("unknown export format %q; want one of %s", *to, strings.Join(interop.ExportFormats(), ", "))}
	case *in == "":
		return usageError{"export needs --model FILE"}
	}
	b, err := readInput(*in, os.Stdin)
	if err != nil {
		return err
	}
	m, err := model.Decode(b)
	if err != nil {
		return fmt.Errorf("%s: %w", *in, err)
	}
	if err := m.Validate(); err != nil {
		return fmt.Errorf("%s: %w", *in, err)
	}
	cat, err := catalog.Default()
	if err != nil {
		return fmt.Errorf("load catalog: %w", err)
	}
	res, err := interop.Export(*to, m, cat)
	if err != nil {
		return err
	}
	printWarnings(stderr, res.Warnings)
	return writeOutput(*out, res.Data, stdout)
}
