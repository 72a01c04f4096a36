package cloudformation

import (
	"fmt"
	"path"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/interop/internal/convert"
	"github.com/bulwark-tm/bulwark/pkg/interop/internal/iac"
)

// cfnNestedURL is the template location of a nested stack resource
// (AWS::CloudFormation::Stack TemplateURL, AWS::Serverless::Application
// Location), as text with the expressions in it left as ${...}; "" for
// other resources.
func cfnNestedURL(res map[string]any) string {
	var v any
	switch res["Type"] {
	case "AWS::CloudFormation::Stack":
		v = iac.Get1(res, "Properties", "TemplateURL")
	case "AWS::Serverless::Application":
		v = iac.Get1(res, "Properties", "Location")
		if _, isMap := v.(map[string]any); isMap && iac.Get1(v, "ApplicationId") != nil {
			return "" // a Serverless Application Repository application
		}
	default:
		return ""
	}
	return cfnText(v, 0)
}

// cfnText renders a value as text, expressions as ${...}.
func cfnText(v any, depth int) string {
	if depth > 10 {
		return "${}"
	}
	switch x := v.(type) {
	case string:
		return x
	case map[string]any:
		if s, ok := x["Fn::Sub"].(string); ok {
			return s
		}
		if l, ok := x["Fn::Sub"].([]any); ok && len(l) > 0 {
			return cfnText(l[0], depth+1)
		}
		if l, ok := x["Fn::Join"].([]any); ok && len(l) == 2 {
			sep, _ := l[0].(string)
			parts, _ := l[1].([]any)
			var out []string
			for _, p := range parts {
				out = append(out, cfnText(p, depth+1))
			}
			return strings.Join(out, sep)
		}
	}
	return "${}"
}

// matchTemplate finds the given file a nested stack of files[parent] names
// by url: a relative path is resolved against the parent's folder; an
// S3 or HTTPS address is matched by the longest trailing part of its path
// that is a given file's whole path, else by the most trailing folder
// names in common with a file's path. It returns -1 when no file matches,
// and the other files that match as well when the match is ambiguous.
func matchTemplate(files []convert.File, parent int, url string) (int, []int) {
	clean := func(name string) string {
		return path.Clean("/" + strings.ReplaceAll(name, `\`, "/"))[1:]
	}
	url, _, _ = strings.Cut(url, "?")
	if !strings.Contains(url, "://") {
		want := clean(path.Join(path.Dir(clean(files[parent].Name)), url))
		for i, f := range files {
			if i != parent && clean(f.Name) == want {
				return i, nil
			}
		}
	} else {
		_, rest, _ := strings.Cut(url, "://")
		_, url, _ = strings.Cut(rest, "/") // drop the host
	}
	parts := strings.Split(clean(url), "/")
	best, bestScore := -1, 0
	var ties []int
	for i, f := range files {
		if i == parent {
			continue
		}
		fp := strings.Split(clean(f.Name), "/")
		common := 0
		for common < len(fp) && common < len(parts) && fp[len(fp)-1-common] == parts[len(parts)-1-common] {
			common++
		}
		score := common
		if common == len(fp) {
			score += 1000 // the file's whole path ends the address
		}
		switch {
		case common == 0:
		case score > bestScore:
			best, bestScore, ties = i, score, nil
		case score == bestScore:
			ties = append(ties, i)
		}
	}
	return best, ties
}

// build reads the nested stacks of st, depth first, and records the
// stacks in reading order.
func (r *cfnReader) build(st *cfnStack, files []convert.File, temps []*cfnTemplate, idx int, used map[int]bool, depth int) {
	r.stacks = append(r.stacks, st)
	st.nested = map[string]*cfnStack{}
	for _, lid := range st.t.order {
		res := st.t.resources[lid]
		url := cfnNestedURL(res)
		if url == "" {
			continue
		}
		at := fmt.Sprintf("%s: resource %s", st.t.file, lid)
		j, ties := matchTemplate(files, idx, url)
		switch {
		case j < 0:
			r.w.Add("%s: nested stack template %q was not given; its resources are not imported (pass it as another file)", at, url)
			continue
		case len(ties) > 0:
			// Files of the same name given without their folders: each
			// nested stack takes the first one no other stack took yet.
			for _, k := range append([]int{j}, ties...) {
				if !used[k] {
					j = k
					break
				}
			}
			names := []string{}
			for _, k := range append([]int{j}, ties...) {
				names = append(names, files[k].Name)
			}
			r.w.Add("%s: nested stack template %q matches %d given files (%s); file %d of that name is used (pass files with their folders to tell them apart)", at, url, len(names), strings.Join(iac.Dedupe(names), ", "), j+1)
		}
		if depth >= 5 || len(r.stacks) >= maxStacks {
			r.w.Add("%s: nested stack %s is nested deeper than 5 levels or beyond %d stacks; not imported", at, files[j].Name, maxStacks)
			continue
		}
		used[j] = true
		params, _ := iac.Get1(res, "Properties", "Parameters").(map[string]any)
		key := st.prefix + lid
		child := &cfnStack{t: temps[j], prefix: key + "/", group: key, parent: st, params: params}
		st.nested[lid] = child
		r.g.Groups = append(r.g.Groups, iac.Group{Key: key, Name: lid, Parent: st.group})
		r.build(child, files, temps, j, used, depth+1)
	}
}
