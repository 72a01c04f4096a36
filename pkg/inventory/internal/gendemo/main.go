// Command gendemo writes the demo organization's AWS Config snapshots
// (synth.Demo: three accounts, seven VPCs) under events/demo/aws, in the layout
// AWS Config delivers to S3. The output is deterministic.
//
//	go run ./pkg/inventory/internal/gendemo [-out events/demo/aws]
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/bulwark-tm/bulwark/pkg/inventory/synth"
)

func main() {
	out := flag.String("out", "events/demo/aws", "directory to write the snapshots to")
	flag.Parse()
	if err := os.RemoveAll(*out + "/AWSLogs"); err != nil {
		fmt.Fprintln(os.Stderr, "gendemo:", err)
		os.Exit(1)
	}
	files, err := synth.Write(*out, synth.Demo())
	if err != nil {
		fmt.Fprintln(os.Stderr, "gendemo:", err)
		os.Exit(1)
	}
	for _, f := range files {
		fmt.Println(f)
	}
}
