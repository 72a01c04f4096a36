package report

import (
	"embed"
	"encoding/csv"
	"fmt"
	"html/template"
	"io"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/bulwark-tm/bulwark/pkg/errs"
)

//go:embed templates/*.html
var templateFS embed.FS

var funcs = template.FuncMap{
	"time": formatTime,
	// class turns a status into a CSS class name.
	"class": func(s string) string {
		return strings.ToLower(strings.NewReplacer(" ", "-", "_", "-").Replace(s))
	},
	"join": func(sep string, s []string) string { return strings.Join(s, sep) },
	"add1": func(i int) int { return i + 1 },
}

// templates holds one parsed template per report kind: the shared layout
// with every kind's section template (the custom report uses the others)
// and a body that calls the kind's own.
var templates = func() map[Kind]*template.Template {
	base := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/*.html"))
	out := map[Kind]*template.Template{}
	for _, k := range Kinds {
		out[k] = template.Must(template.Must(base.Clone()).Parse(`{{define "body"}}{{template "` + string(k) + `" .}}{{end}}`))
	}
	return out
}()

func renderHTML(w io.Writer, r Report) error {
	t := templates[r.Head().Kind]
	if t == nil {
		return errs.E(errs.Other, "no HTML template for report %q", r.Head().Kind)
	}
	if err := t.ExecuteTemplate(w, "layout.html", r); err != nil {
		return fmt.Errorf("render %s report as HTML: %w", r.Head().Kind, err)
	}
	return nil
}

func renderCSV(w io.Writer, r Report) error {
	cw := csv.NewWriter(w)
	for _, row := range r.rows() {
		for i := range row {
			row[i] = safeCell(row[i])
		}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("render %s report as CSV: %w", r.Head().Kind, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("render %s report as CSV: %w", r.Head().Kind, err)
	}
	return nil
}

// safeCell keeps a spreadsheet from running a cell as a formula (CSV
// injection): text starting with = + - @ (or their full-width forms), a
// tab or a carriage return gets a leading apostrophe, unless the whole
// cell is a plain decimal number such as -5 or +1.5e3. A prefix that
// parses as a number is not enough: -1+cmd|'/C calc'!A0 is a formula.
func safeCell(s string) string {
	if s == "" {
		return s
	}
	r, _ := utf8.DecodeRuneInString(s)
	switch r {
	case '=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠':
		if plainNumber.MatchString(s) {
			return s
		}
		return "'" + s
	}
	return s
}

// plainNumber is a whole cell that is a decimal number and nothing else.
var plainNumber = regexp.MustCompile(`^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$`)
