// Package cloudformation reads AWS CloudFormation and SAM templates (JSON
// or YAML with the short-form intrinsic tags) into an iac.Graph, which
// iac.Assemble turns into a model. Nested stacks are matched to the given
// templates by their TemplateURL path, and their parameters and outputs
// are followed across stacks; Fn::ForEach (the AWS::LanguageExtensions
// transform) is expanded; other tools' tags, such as Rain's, become
// unresolved values with a warning. What stays unresolved is a warning,
// never an error.
package cloudformation

import (
	"path"
	"strings"

	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/interop/internal/convert"
	"github.com/bulwark-tm/bulwark/pkg/interop/internal/iac"
)

// cfnStack is one stack of the import: the root template or a nested
// stack, with the key prefix of its resources, its group, and the values
// its parent passes to its parameters.
type cfnStack struct {
	t      *cfnTemplate
	prefix string // key prefix of its resources ("" for the root)
	group  string // group key of its elements ("" for the root)
	parent *cfnStack
	params map[string]any       // parameter → expression in the parent
	nested map[string]*cfnStack // logical id of a nested stack resource → its stack
}

// cfnReader reads a root template and its nested stacks into an iac.Graph.
type cfnReader struct {
	g      *iac.Graph
	w      *convert.Warnings
	cat    *catalog.Catalog
	stacks []*cfnStack // in reading order
	// target groups (key) → protocol and port, read at the end
	tgs []cfnTG
	// resource key → the properties used for flows and security attributes
	byKey map[string]cfnRes
	steps int // resolve steps left for the value being resolved
}

type cfnRes struct {
	st    *cfnStack
	lid   string
	typ   string
	props map[string]any
}

type cfnTG struct {
	key, name, proto string
	port             int
}

// cfnSAM maps AWS SAM resource types to the CloudFormation resources they
// deploy as, for the catalog.
var cfnSAM = map[string]string{
	"AWS::Serverless::Function": "AWS::Lambda::Function", "AWS::Serverless::SimpleTable": "AWS::DynamoDB::Table",
	"AWS::Serverless::Api": "AWS::ApiGateway::RestApi", "AWS::Serverless::HttpApi": "AWS::ApiGatewayV2::Api",
	"AWS::Serverless::StateMachine": "AWS::StepFunctions::StateMachine",
}

// maxStacks bounds how many stacks (root and nested) one import reads.
const maxStacks = 100

// Name is the format's name.
const Name = "cloudformation"

// Format is CloudFormation for the registry of pkg/interop.
var Format = convert.Format{Name: Name, Description: "AWS CloudFormation or SAM template (JSON or YAML), with nested stack templates (matched by their TemplateURL path)", Import: importTemplates}

// importTemplates reads a root template and the templates of its nested
// stacks: the stacks, then their resources, then the relationships and
// attributes of the resources.
func importTemplates(files []convert.File, cat *catalog.Catalog) (*convert.Imported, error) {
	var w convert.Warnings
	temps := make([]*cfnTemplate, len(files))
	for i, f := range files {
		t, err := parseCFN(f, &w)
		if err != nil {
			return nil, err
		}
		temps[i] = t
	}
	rootIdx := rootTemplate(files, temps)
	r := &cfnReader{g: &iac.Graph{}, w: &w, cat: cat, byKey: map[string]cfnRes{}}
	used := map[int]bool{rootIdx: true}
	root := &cfnStack{t: temps[rootIdx]}
	r.build(root, files, temps, rootIdx, used, 0)
	for _, st := range r.stacks {
		r.read(st)
	}
	for _, st := range r.stacks {
		r.relate(st)
	}
	r.targetGroups()
	r.attributes()
	for i, f := range files {
		if !used[i] {
			w.Add("%s is not the template of any nested stack (AWS::CloudFormation::Stack TemplateURL); it is ignored", f.Name)
		}
	}
	name := strings.TrimSuffix(path.Base(files[rootIdx].Name), path.Ext(files[rootIdx].Name))
	m := iac.Assemble("Imported from "+name, root.t.description, r.g, cat, &w)
	return &convert.Imported{Model: m, Warnings: w.List()}, nil
}

// rootTemplate returns the index of the root: the first template that no
// other template names as a nested stack.
func rootTemplate(files []convert.File, temps []*cfnTemplate) int {
	referenced := map[int]bool{}
	for i, t := range temps {
		for _, lid := range t.order {
			if url := cfnNestedURL(t.resources[lid]); url != "" {
				if j, ties := matchTemplate(files, i, url); j >= 0 && j != i {
					referenced[j] = true
					for _, k := range ties {
						referenced[k] = true
					}
				}
			}
		}
	}
	for i := range temps {
		if !referenced[i] {
			return i
		}
	}
	return 0
}
