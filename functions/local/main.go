// Command bulwark runs Bulwark on a laptop: the API, the web app and the
// background workers in one process on an embedded store, plus CLI
// subcommands. See `bulwark help`.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/bulwark-tm/bulwark/pkg/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := cli.Run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "bulwark:", err)
		os.Exit(cli.ExitCode(err))
	}
}
