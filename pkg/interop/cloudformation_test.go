package interop

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/bulwark-tm/bulwark/pkg/catalog"
	"github.com/bulwark-tm/bulwark/pkg/model"
)

// maxSeed bounds the size of a fuzz seed. Go's fuzzing engine minimizes
// every input that finds new coverage (up to -fuzzminimizetime, a minute by
// default), and minimizing inputs grown from the 20-180 KB real files
// takes the whole minute each time: a run then executes a few dozen inputs
// instead of tens of thousands. The larger real files are imported by
// TestCorpus.
const maxSeed = 24 << 10

// realSeeds lists the files of the real-file corpus folder dir
// (testdata/real/dir), at any depth, sorted.
func realSeeds(f *testing.F, dir string) []string {
	f.Helper()
	var out []string
	err := filepath.WalkDir(filepath.Join("testdata", "real", dir), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, p)
		}
		return err
	})
	if err != nil {
		f.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// FuzzCloudFormationImport checks that no template, however odd, crashes
// the importer or yields an invalid model: it returns a model or an error.
// An input holds up to three documents separated by NUL bytes (which YAML
// text cannot hold): the root template and the templates of nested stacks,
// named by their first line's comment ("# path"), else nested-N.yaml. The
// real templates of the corpus (up to maxSeed bytes) are the seeds, each a
// root with the next one as a possible nested template.
func FuzzCloudFormationImport(f *testing.F) {
	seeds := realSeeds(f, "cloudformation")
	for _, n := range []string{"web-app.yaml", "monitoring.yaml", "queue.json", "bad-tag.yaml"} {
		seeds = append(seeds, filepath.Join("testdata", "cloudformation", n))
	}
	read := func(p string) []byte {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		return b
	}
	var small []string
	for _, p := range seeds {
		if len(read(p)) <= maxSeed/2 {
			small = append(small, p)
		}
	}
	for i, p := range small {
		next := small[(i+1)%len(small)]
		rel, _ := filepath.Rel(filepath.Dir(p), next)
		f.Add(append(append(read(p), "\x00# "+filepath.ToSlash(rel)+"\n"...), read(next)...))
	}
	f.Add([]byte("Resources:\n  S:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: ./c.yaml\n      Parameters: {P: !GetAtt S.Outputs.X}\nOutputs:\n  X: {Value: !Ref S}\n" +
		"\x00# c.yaml\nParameters: {P: {Type: String}}\nResources:\n  Q: {Type: AWS::SQS::Queue, Properties: {QueueName: !Ref P}}\nOutputs:\n  X: {Value: !GetAtt Q.Arn}\n"))
	cat, err := catalog.Default()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var files []File
		for i, doc := range bytes.SplitN(data, []byte{0}, 3) {
			name := fmt.Sprintf("nested-%d.yaml", i)
			if i == 0 {
				name = "root.yaml"
			} else if first, _, _ := bytes.Cut(doc, []byte("\n")); bytes.HasPrefix(first, []byte("# ")) {
				name = string(first[2:])
			}
			files = append(files, File{Name: name, Data: doc})
		}
		res, err := Import(CloudFormation, files, cat)
		if err != nil {
			if strings.Contains(err.Error(), "the imported model is not valid") {
				t.Fatalf("the importer built an invalid model: %v", err)
			}
			return
		}
		if err := res.Model.Validate(); err != nil {
			t.Fatalf("imported model is invalid: %v", err)
		}
	})
}

// TestCloudFormationBounds: YAML aliases that expand to billions of values
// are refused quickly, and parameters and outputs that refer to each other
// in a cycle resolve to nothing with a warning instead of looping.
func TestCloudFormationBounds(t *testing.T) {
	bomb := "a: &a [x, x, x, x, x, x, x, x, x]\n"
	for i, n := range "bcdefgh" {
		prev := string("abcdefg"[i])
		bomb += string(n) + ": &" + string(n) + " [*" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + "]\n"
	}
	bomb += "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      Tags: *h\n"
	_, err := Import(CloudFormation, []File{{Name: "bomb.yaml", Data: []byte(bomb)}}, testCatalog(t))
	if err == nil || !strings.Contains(err.Error(), "YAML aliases expand to too much") {
		t.Errorf("alias bomb: err = %v", err)
	}

	root := "Resources:\n  S:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: ./c.yaml\n      Parameters: {P: !GetAtt S.Outputs.X}\n"
	child := "Parameters: {P: {Type: String}}\nResources:\n  Fn: {Type: AWS::Lambda::Function, Properties: {VpcConfig: {SubnetIds: [!Ref P]}}}\nOutputs:\n  X: {Value: !Ref P}\n"
	res, err := Import(CloudFormation, []File{{Name: "root.yaml", Data: []byte(root)}, {Name: "c.yaml", Data: []byte(child)}}, testCatalog(t))
	if err != nil {
		t.Fatal(err)
	}
	if !hasWarning(res.Warnings, "S/Fn", "not resolved") && !hasWarning(res.Warnings, "resource Fn", "not resolved") {
		t.Errorf("the cycle is not reported: %q", res.Warnings)
	}

	// A logical id of 250 characters (CloudFormation allows 255) and a port
	// out of range: imported, the name cut to the model's limit.
	long := strings.Repeat("Q", 250)
	res, err = Import(CloudFormation, []File{{Name: "long.yaml", Data: []byte("Resources:\n  " + long + ": {Type: AWS::SQS::Queue}\n")}}, testCatalog(t))
	if err != nil {
		t.Fatalf("long logical id: %v", err)
	}
	if n := len([]rune(res.Model.Diagram.Components[0].Name)); n != model.MaxNameLen {
		t.Errorf("long logical id: name of %d characters", n)
	}

	// Subnets placed in each other: imported, one drawn outside the other.
	loop := "Resources:\n  A: {Type: AWS::EC2::Subnet, Properties: {SubnetId: !Ref B}}\n  B: {Type: AWS::EC2::Subnet, Properties: {SubnetId: !Ref A}}\n"
	res, err = Import(CloudFormation, []File{{Name: "loop.yaml", Data: []byte(loop)}}, testCatalog(t))
	if err != nil {
		t.Fatal(err)
	}
	if !hasWarning(res.Warnings, "is placed inside itself") {
		t.Errorf("the placement cycle is not reported: %q", res.Warnings)
	}
}
