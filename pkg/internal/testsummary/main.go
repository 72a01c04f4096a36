// Command testsummary reads `go test -json` output on stdin, prints each
// package's result and the output of every failed test, and ends with the
// plain line "go: N passed, N failed, N skipped" that CI reads. It exits 1
// when anything failed (including a package that did not build).
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

type event struct {
	Action  string
	Package string
	Test    string
	Output  string
	Elapsed float64
}

func main() {
	label := "go"
	if len(os.Args) > 1 {
		label = os.Args[1]
	}
	var passed, failed, skipped, pkgFailed int
	output := map[string][]string{} // package/test → output lines
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		line := sc.Bytes()
		var e event
		if json.Unmarshal(line, &e) != nil {
			fmt.Println(string(line)) // build errors arrive as plain text
			continue
		}
		key := e.Package + "/" + e.Test
		switch e.Action {
		case "output":
			output[key] = append(output[key], e.Output)
		case "pass":
			if e.Test != "" {
				passed++
			} else {
				fmt.Printf("ok   %s %.1fs\n", e.Package, e.Elapsed)
			}
			delete(output, key)
		case "skip":
			if e.Test != "" {
				skipped++
				// A skip must say why: show its reason.
				for _, o := range output[key] {
					if strings.Contains(o, "SKIP") || !strings.HasPrefix(strings.TrimSpace(o), "=== ") {
						fmt.Print("skip ", e.Test, ": ", strings.TrimSpace(o), "\n")
					}
				}
			}
			delete(output, key)
		case "fail":
			if e.Test != "" {
				failed++
			} else {
				pkgFailed++
			}
			fmt.Printf("FAIL %s %s\n", e.Package, e.Test)
			for _, o := range output[key] {
				fmt.Print("     ", o)
			}
			delete(output, key)
		}
	}
	if pkgFailed > 0 && failed == 0 {
		failed = pkgFailed // a package that failed to build or panicked
	}
	fmt.Printf("%s: %d passed, %d failed, %d skipped\n", label, passed, failed, skipped)
	if failed > 0 || pkgFailed > 0 {
		os.Exit(1)
	}
}
