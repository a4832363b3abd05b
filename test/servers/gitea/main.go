// Command gitea is Gitea itself, built from the Go module proxy for the forge integration
// tests. It is Gitea's own main package (gitea.dev, published as code.gitea.io/gitea) with
// nothing added: a program cannot be imported, so this copy stands in for it, and go.mod
// carries the replace lines that Gitea's own go.mod holds but a dependency's go.mod cannot
// pass on.
//
// Built without the bindata tag, Gitea reads its options (locales, .gitignore and license
// templates, the README template used by auto-init) and HTML templates from
// [server] STATIC_ROOT_PATH; the build copies both folders from the module next to the binary.
// SQLite is the pure-Go modernc driver, Gitea's default since 1.27, so CGO_ENABLED=0 works.
package main

import (
	"os"
	"runtime"
	"strings"
	"time"

	"gitea.dev/cmd"
	"gitea.dev/modules/log"
	"gitea.dev/modules/setting"

	// register supported doc types
	_ "gitea.dev/modules/markup/console"
	_ "gitea.dev/modules/markup/csv"
	_ "gitea.dev/modules/markup/jupyter"
	_ "gitea.dev/modules/markup/markdown"
	_ "gitea.dev/modules/markup/orgmode"

	"github.com/urfave/cli/v3"
)

// Set with -ldflags -X by scripts/test-servers.ts.
var (
	Version = "development"
	Tags    = ""
)

func init() {
	setting.AppVer = Version
	setting.AppBuiltWith = formatBuiltWith()
	setting.AppStartTime = time.Now().UTC()
}

func main() {
	cli.OsExiter = func(code int) {
		log.GetManager().Close()
		os.Exit(code)
	}
	app := cmd.NewMainApp(cmd.AppVersion{Version: Version, Extra: formatBuiltWith()})
	_ = cmd.RunMainApp(app, os.Args...) // RunMainApp reports its own errors
	log.GetManager().Close()
}

func formatBuiltWith() string {
	version := runtime.Version()
	if len(Tags) == 0 {
		return " built with " + version
	}
	return " built with " + version + " : " + strings.ReplaceAll(Tags, " ", ", ")
}
