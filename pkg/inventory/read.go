package inventory

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/bulwark-tm/bulwark/pkg/errs"
)

// The formats Parse recognizes, as FileResult.Format names them.
const (
	FormatSnapshot        = "ConfigSnapshot"
	FormatHistory         = "ConfigHistory"
	FormatSelect          = "select-resource-config"
	FormatBatchGet        = "batch-get-resource-config"
	FormatHistoryAPI      = "get-resource-config-history"
	FormatChange          = "ConfigurationItemChangeNotification"
	FormatOversized       = "OversizedConfigurationItemChangeNotification"
	FormatItem            = "configuration item"
	FormatItemList        = "configuration item list"
	FormatSNSPrefix       = "SNS "
	FormatEventBridgePfx  = "EventBridge "
	maxDepth              = 4
	eventDetailTypeChange = "Config Configuration Item Change"
)

// MaxFileSize bounds the bytes read from one file (after decompression).
const MaxFileSize = 1 << 30

// Fetcher returns the full configuration item that an
// OversizedConfigurationItemChangeNotification summarizes. An
// implementation may read the S3 object the notification names or call
// GetResourceConfigHistory; it returns JSON in any format Parse reads (a
// change notification, a bare configuration item in either dialect, or
// get-resource-config-history output).
type Fetcher interface {
	FetchItem(ctx context.Context, ref OversizedItem) ([]byte, error)
}

// OversizedItem is what an oversized change notification says about the
// item it could not carry.
type OversizedItem struct {
	Key
	ChangeType  string    // CREATE, UPDATE or DELETE
	Status      string    // configurationItemStatus
	CaptureTime time.Time // configurationItemCaptureTime
	S3Location  string    // s3DeliverySummary.s3BucketLocation, "bucket/key"
}

// Problem is an item or file that was skipped, with where and why.
type Problem struct {
	Position string `json:"position"` // "file:line:column" or "file"
	Message  string `json:"message"`
}

// String renders the problem as "position: message".
func (p Problem) String() string { return p.Position + ": " + p.Message }

// FileResult is what reading one file produced.
type FileResult struct {
	Name    string    `json:"name"`
	Format  string    `json:"format,omitempty"`
	Items   int       `json:"items"`   // configuration items added (including deletions)
	Deleted int       `json:"deleted"` // of which ResourceDeleted items
	Stale   int       `json:"stale"`   // items older than one already held
	Skipped []Problem `json:"skipped,omitempty"`
	// Warnings are items read but doubtful, e.g. with no account id: such
	// an item cannot be told apart from the same resource id in another
	// account.
	Warnings []Problem `json:"warnings,omitempty"`
	Err      error     `json:"-"` // the file could not be read or parsed at all
}

// Report sums up everything a Reader read.
type Report struct {
	Files   []FileResult `json:"files"`
	Ignored []string     `json:"ignored,omitempty"` // files in directories that are not .json or .json.gz
}

// Lost lists what the reader could not turn into resources: files that
// failed and items that were skipped. Resources behind them are missing
// from the inventory, so a comparison with it (drift, sync) would be wrong.
func (r *Report) Lost() []string {
	var out []string
	for _, f := range r.Files {
		if f.Err != nil {
			out = append(out, f.Err.Error())
		}
		for _, p := range f.Skipped {
			out = append(out, "skipped "+p.String())
		}
	}
	return out
}

// Sample joins the first n of items with "; " and counts the rest
// ("a; b; and 3 more"): how a message names what could not be read.
func Sample(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, "; ")
	}
	return strings.Join(items[:n], "; ") + fmt.Sprintf("; and %d more", len(items)-n)
}

// Totals returns the number of items read, items skipped and files that
// failed.
func (r *Report) Totals() (items, skipped, failed int) {
	for _, f := range r.Files {
		items += f.Items
		skipped += len(f.Skipped)
		if f.Err != nil {
			failed++
		}
	}
	return
}

// Reader reads AWS Config data into an Inventory.
type Reader struct {
	Inventory *Inventory
	// Fetcher fetches the items of oversized notifications; without one
	// they are skipped with a problem.
	Fetcher Fetcher
	Report  Report
}

// NewReader returns a Reader filling a new Inventory.
func NewReader(f Fetcher) *Reader { return &Reader{Inventory: New(), Fetcher: f} }

// ReadPaths reads every path: a file is parsed whatever its name; a
// directory is walked for *.json and *.json.gz files (others are listed in
// Report.Ignored). A file that cannot be read or parsed does not stop the
// others: ReadPaths reads everything it can and returns the files' errors
// joined (each names the file and position), or nil. Afterwards it resolves
// relationships that carry only a resource name.
func (r *Reader) ReadPaths(ctx context.Context, paths ...string) error {
	var all []error
	for _, p := range paths {
		files, err := r.expand(p)
		if err != nil {
			r.Report.Files = append(r.Report.Files, FileResult{Name: p, Err: err})
			all = append(all, err)
			continue
		}
		for _, f := range files {
			if err := ctx.Err(); err != nil {
				return err
			}
			res := r.readFile(ctx, f)
			r.Report.Files = append(r.Report.Files, res)
			if res.Err != nil {
				all = append(all, res.Err)
			}
		}
	}
	r.Inventory.Resolve()
	return errors.Join(all...)
}

func (r *Reader) expand(p string) ([]string, error) {
	st, err := os.Stat(p)
	if err != nil {
		kind := errs.Other
		if errors.Is(err, fs.ErrNotExist) {
			kind = errs.NotFound
		}
		return nil, errs.E(kind, "read AWS Config data: %w", err)
	}
	if !st.IsDir() {
		return []string{p}, nil
	}
	var files []string
	err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != p && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(d.Name(), ".json") || strings.HasSuffix(d.Name(), ".json.gz") {
			files = append(files, path)
		} else {
			r.Report.Ignored = append(r.Report.Ignored, path)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("walk %s: %w", p, err)
	}
	slices.Sort(files)
	return files, nil
}

func (r *Reader) readFile(ctx context.Context, name string) FileResult {
	f, err := os.Open(name)
	if err != nil {
		return FileResult{Name: name, Err: fmt.Errorf("read AWS Config data: %w", err)}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return FileResult{Name: name, Err: fmt.Errorf("read %s: %w", name, err)}
	}
	return r.Parse(ctx, name, data)
}

// Parse reads one document in any supported format (gzip-compressed or
// not) into the inventory and returns what it found. name labels positions
// in problems and errors.
func (r *Reader) Parse(ctx context.Context, name string, data []byte) FileResult {
	res := FileResult{Name: name}
	if len(data) >= 2 && data[0] == 0x1f && data[1] == 0x8b {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			res.Err = errs.E(errs.Malformed, "%s: not a valid gzip file: %w", name, err)
			return res
		}
		data, err = io.ReadAll(io.LimitReader(zr, MaxFileSize+1))
		if err != nil {
			res.Err = errs.E(errs.Malformed, "%s: not a valid gzip file: %w", name, err)
			return res
		}
	}
	if len(data) > MaxFileSize {
		res.Err = errs.E(errs.TooLarge, "%s: larger than %d bytes", name, MaxFileSize)
		return res
	}
	p := &parser{r: r, ctx: ctx, name: name, res: &res}
	if err := p.document(data, 0, defaults{}, 0); err != nil {
		res.Err = err
	}
	return res
}

// parser reads one file.
type parser struct {
	r    *Reader
	ctx  context.Context
	name string
	res  *FileResult
	// lineOff and line cache the last position computed, so that the
	// positions of successive items cost only the bytes between them.
	lineOff   int64
	line      int
	lineStart int64 // offset of the first byte of line
	// data is the outermost document, for line and column numbers; inner
	// documents held in strings (an SNS Message, a fetched item) get their
	// own parser, named after the outer position.
	data []byte
}

func (p *parser) pos(off int64) string {
	if p.data == nil {
		return p.name
	}
	if off > int64(len(p.data)) {
		off = int64(len(p.data))
	}
	if off < p.lineOff || p.line == 0 {
		p.lineOff, p.line, p.lineStart = 0, 1, 0
	}
	seg := p.data[p.lineOff:off]
	if i := bytes.LastIndexByte(seg, '\n'); i >= 0 {
		p.line += bytes.Count(seg, []byte("\n"))
		p.lineStart = p.lineOff + int64(i) + 1
	}
	p.lineOff = off
	return fmt.Sprintf("%s:%d:%d", p.name, p.line, off-p.lineStart+1)
}

func (p *parser) malformed(off int64, format string, args ...any) error {
	return errs.E(errs.Malformed, "%s", p.pos(off)+": "+fmt.Sprintf(format, args...))
}

func (p *parser) skip(off int64, format string, args ...any) {
	p.res.Skipped = append(p.res.Skipped, Problem{Position: p.pos(off), Message: fmt.Sprintf(format, args...)})
}

func (p *parser) setFormat(f string) {
	if p.res.Format == "" {
		p.res.Format = f
	} else if !strings.HasSuffix(p.res.Format, f) {
		p.res.Format += " " + f
	}
}

// field is one member of a JSON object and where its value starts.
type field struct {
	off int64
	raw json.RawMessage
}

// syntaxError turns a decoder error into a Malformed error with the
// position in the parser's outermost data (decoders count offsets from the
// value they were reading, so the position is found by checking the whole
// document).
func (p *parser) syntaxError(err error, base int64) error {
	var v any
	var syn *json.SyntaxError
	if whole := json.Unmarshal(p.data, &v); errors.As(whole, &syn) {
		if strings.Contains(syn.Error(), "unexpected end of JSON input") {
			return p.malformed(int64(len(p.data)), "malformed JSON: the document ends too early")
		}
		return p.malformed(syn.Offset-1, "malformed JSON: %s", syn.Error())
	}
	return p.malformed(base, "malformed JSON: %v", err)
}

// document reads a JSON document starting at offset base of the outermost
// data (data is the outermost data when depth is 0).
func (p *parser) document(data []byte, base int64, d defaults, depth int) error {
	if p.data == nil {
		p.data = data
	}
	if depth > maxDepth {
		return p.malformed(base, "envelopes nested deeper than %d levels", maxDepth)
	}
	trim := bytes.TrimLeft(data, " \t\r\n\ufeff")
	if len(trim) == 0 {
		return p.malformed(base, "empty file; expected AWS Config JSON")
	}
	lead := int64(len(data) - len(trim))
	switch trim[0] {
	case '[':
		if !json.Valid(trim) {
			return p.syntaxError(errors.New("invalid JSON"), base+lead)
		}
		p.setFormat(FormatItemList)
		return p.items(trim, base+lead, d, depth)
	case '{':
	default:
		if !json.Valid(trim) {
			return p.syntaxError(errors.New("invalid JSON"), base+lead)
		}
		return p.malformed(base+lead, "expected a JSON object or array of AWS Config data")
	}
	fields, err := p.object(trim, base+lead)
	if err != nil {
		return err
	}
	str := func(k string) string {
		f, ok := fields[k]
		if !ok {
			return ""
		}
		var s string
		_ = json.Unmarshal(f.raw, &s)
		return s
	}
	switch {
	case fields["configurationItems"].raw != nil && fields["fileVersion"].raw != nil:
		if fields["configSnapshotId"].raw != nil {
			p.setFormat(FormatSnapshot)
		} else {
			p.setFormat(FormatHistory)
		}
		f := fields["configurationItems"]
		return p.items(f.raw, f.off, d, depth)
	case fields["configurationItems"].raw != nil:
		p.setFormat(FormatHistoryAPI)
		f := fields["configurationItems"]
		return p.items(f.raw, f.off, d, depth)
	case fields["baseConfigurationItems"].raw != nil:
		p.setFormat(FormatBatchGet)
		f := fields["baseConfigurationItems"]
		return p.items(f.raw, f.off, d, depth)
	case fields["Results"].raw != nil:
		p.setFormat(FormatSelect)
		f := fields["Results"]
		return p.items(f.raw, f.off, d, depth)
	case str("Type") == "Notification" && fields["Message"].raw != nil:
		p.setFormat(strings.TrimSpace(FormatSNSPrefix))
		f := fields["Message"]
		msg, err := objectOrString(f.raw)
		if err != nil || msg == nil {
			return p.malformed(f.off, "SNS Message does not hold JSON")
		}
		if !bytes.Equal(msg, bytes.TrimSpace(f.raw)) {
			// The message was a string: positions inside it are not
			// positions in the file; report the Message field's position.
			sub := &parser{r: p.r, ctx: p.ctx, name: p.pos(f.off) + " (SNS Message)", res: p.res}
			return sub.document(msg, 0, d, depth+1)
		}
		return p.document(msg, f.off, d, depth+1)
	case fields["detail-type"].raw != nil && fields["detail"].raw != nil:
		dt := str("detail-type")
		p.setFormat(strings.TrimSpace(FormatEventBridgePfx))
		if dt != eventDetailTypeChange {
			p.skip(base+lead, "EventBridge event of detail-type %q carries no configuration item", dt)
			return nil
		}
		f := fields["detail"]
		nd := defaults{account: firstNonEmpty(str("account"), d.account), region: firstNonEmpty(str("region"), d.region)}
		return p.document(f.raw, f.off, nd, depth+1)
	case fields["messageType"].raw != nil:
		mt := str("messageType")
		switch mt {
		case FormatChange:
			p.setFormat(FormatChange)
			f, ok := fields["configurationItem"]
			if !ok || string(f.raw) == "null" {
				return p.malformed(base+lead, "%s without a configurationItem", mt)
			}
			p.item(f.raw, f.off, d)
			return nil
		case FormatOversized:
			p.setFormat(FormatOversized)
			return p.oversized(fields, base+lead, d, depth)
		default:
			p.setFormat(mt)
			p.skip(base+lead, "message of type %q carries no configuration item", mt)
			return nil
		}
	case fields["resourceType"].raw != nil && fields["resourceId"].raw != nil:
		p.setFormat(FormatItem)
		p.item(trim, base+lead, d)
		return nil
	}
	return p.malformed(base+lead, "not AWS Config data: expected configurationItems, baseConfigurationItems, Results, an SNS or EventBridge envelope, a messageType or a configuration item")
}

// object splits a JSON object into its members, with the offset of each
// value.
func (p *parser) object(data []byte, base int64) (map[string]field, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if _, err := dec.Token(); err != nil {
		return nil, p.syntaxError(err, base)
	}
	fields := map[string]field{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, p.syntaxError(err, base)
		}
		key, _ := tok.(string)
		off := valueStart(data, dec.InputOffset())
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, p.syntaxError(err, base)
		}
		fields[key] = field{off: base + off, raw: raw}
	}
	if _, err := dec.Token(); err != nil {
		return nil, p.syntaxError(err, base)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, p.malformed(base+dec.InputOffset(), "unexpected data after the JSON document")
	}
	return fields, nil
}

// valueStart skips separators and white space from off to the next value.
func valueStart(data []byte, off int64) int64 {
	for off < int64(len(data)) {
		switch data[off] {
		case ' ', '\t', '\r', '\n', ':', ',':
			off++
		default:
			return off
		}
	}
	return off
}

// items reads an array of configuration items (objects, or strings holding
// objects as select-resource-config writes them).
func (p *parser) items(data []byte, base int64, d defaults, depth int) error {
	trim := bytes.TrimSpace(data)
	if len(trim) == 0 || trim[0] != '[' {
		return p.malformed(base, "expected an array of configuration items")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if _, err := dec.Token(); err != nil {
		return p.syntaxError(err, base)
	}
	for dec.More() {
		if err := p.ctx.Err(); err != nil {
			return err
		}
		off := base + valueStart(data, dec.InputOffset())
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return p.syntaxError(err, base)
		}
		if len(raw) > 0 && raw[0] == '"' {
			inner, err := objectOrString(raw)
			if err != nil || inner == nil || inner[0] != '{' {
				p.skip(off, "result is a string that does not hold a JSON object")
				continue
			}
			raw = inner
		}
		p.item(raw, off, d)
	}
	return nil
}

// item reads one configuration item; a bad item is skipped with a problem.
func (p *parser) item(raw json.RawMessage, off int64, d defaults) {
	var it rawItem
	if err := json.Unmarshal(raw, &it); err != nil {
		var typ *json.UnmarshalTypeError
		if errors.As(err, &typ) {
			p.skip(off, "configuration item: %s must not be JSON %s", typ.Field, typ.Value)
		} else {
			p.skip(off, "configuration item: %v", err)
		}
		return
	}
	res, err := it.resource(d)
	if err != nil {
		p.skip(off, "configuration item: %v", err)
		return
	}
	res.Source = p.pos(off)
	p.add(res)
}

func (p *parser) add(res *Resource) {
	if res.AccountID == "" {
		pos := res.Source
		if pos == "" {
			pos = p.name
		}
		p.res.Warnings = append(p.res.Warnings, Problem{Position: pos, Message: fmt.Sprintf("%s %s has no account id (awsAccountId/accountId): read as account \"\"; it cannot be matched to a VPC, a model or findings of a real account", res.Type, res.ID)})
	}
	if !p.r.Inventory.Add(res) {
		p.res.Stale++
		return
	}
	p.res.Items++
	if res.Deleted() {
		p.res.Deleted++
	}
}

// oversized handles an OversizedConfigurationItemChangeNotification: it
// asks the Fetcher for the full item.
func (p *parser) oversized(fields map[string]field, off int64, d defaults, depth int) error {
	f, ok := fields["configurationItemSummary"]
	if !ok {
		return p.malformed(off, "%s without a configurationItemSummary", FormatOversized)
	}
	var sum struct {
		rawItem
		ChangeType string `json:"changeType"`
	}
	if err := json.Unmarshal(f.raw, &sum); err != nil {
		return p.malformed(f.off, "configurationItemSummary: %v", err)
	}
	var s3 struct {
		Location string `json:"s3BucketLocation"`
	}
	if sf, ok := fields["s3DeliverySummary"]; ok {
		_ = json.Unmarshal(sf.raw, &s3)
	}
	res, err := sum.resource(d)
	if err != nil {
		p.skip(f.off, "configurationItemSummary: %v", err)
		return nil
	}
	ref := OversizedItem{Key: res.Key(), ChangeType: sum.ChangeType, Status: res.Status, CaptureTime: res.CaptureTime, S3Location: s3.Location}
	if res.Deleted() {
		// A deletion needs no configuration: the summary is the item.
		res.Source = p.pos(f.off)
		p.add(res)
		return nil
	}
	if p.r.Fetcher == nil {
		p.skip(f.off, "oversized item %s %s needs a fetcher to read the full item (from %s)", res.Type, res.ID, firstNonEmpty(s3.Location, "AWS Config"))
		return nil
	}
	data, err := p.r.Fetcher.FetchItem(p.ctx, ref)
	if err != nil {
		p.skip(f.off, "fetch oversized item %s %s: %v", res.Type, res.ID, err)
		return nil
	}
	sub := &parser{r: p.r, ctx: p.ctx, name: p.pos(f.off) + " (fetched " + res.ID + ")", res: p.res}
	format := p.res.Format
	defer func() { p.res.Format = format }()
	return sub.document(data, 0, d, depth+1)
}
