// Command sihub runs SIHub: the web server, and the operator's commands to
// import, export, migrate and back up its database, add users and API
// tokens, and check the audit trail.
//
// Data goes to stdout; logs and progress go to stderr; a failure exits
// non-zero.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/sihub-org/sihub/internal/match"
	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/store"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "sihub:", err)
		os.Exit(1)
	}
}

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *env, args []string) error
}

var commands = []command{
	{"serve", "run the web server", cmdServe},
	{"import", "import companies or demands from a CSV or XLSX file", cmdImport},
	{"match", "rank the suppliers for demands, with reasons and near misses", cmdMatch},
	{"export", "export the directory as CSV or XLSX", cmdExport},
	{"migrate", "create or upgrade the database schema", cmdMigrate},
	{"backup", "write a consistent copy of the database to a file", cmdBackup},
	{"copy", "copy a whole deployment to another database (SQLite → PostgreSQL)", cmdCopy},
	{"reindex", "recognize every company's capabilities again (after a taxonomy update)", cmdReindex},
	{"users", "add a user (the first administrator, say)", cmdUsers},
	{"tokens", "create an API token for a user", cmdTokens},
	{"audit", "print or verify the head of the audit trail", cmdAudit},
	{"version", "print the version", cmdVersion},
}

// env is what every command gets from its caller.
type env struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	log    *slog.Logger
}

func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	e := &env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	// The audit trail names the operator as the author of what commands
	// change.
	ctx = sihub.WithActor(ctx, sihub.Actor{Label: "cli"})
	level := slog.LevelInfo
	if getenv("SIHUB_DEBUG") != "" {
		level = slog.LevelDebug
	}
	e.log = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		if len(args) == 0 {
			return errors.New("no command given")
		}
		return nil
	}
	for _, c := range commands {
		if c.name == args[0] {
			return c.run(ctx, e, args[1:])
		}
	}
	usage(stderr)
	return fmt.Errorf("unknown command %q", args[0])
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "SIHub — supporting-industry supplier directory and matching.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage: sihub COMMAND [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'sihub COMMAND --help' for a command's flags. Every command takes --db PATH")
	fmt.Fprintln(w, "(or SIHUB_DB; default sihub.db) and creates and migrates an empty database on first use.")
}

// flags returns a FlagSet for a subcommand that prints its usage to stdout
// on --help and with the common --db flag already defined.
func (e *env) flags(name, args, summary string) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stdout, "Usage: sihub %s [flags] %s\n\n%s\n\nFlags:\n", name, args, summary)
		fs.SetOutput(e.stdout)
		fs.PrintDefaults()
		fs.SetOutput(e.stderr)
	}
	db := fs.String("db", e.defaultDB(), "database: a SQLite file path or a postgres:// URL (env SIHUB_DB)")
	return fs, db
}

func (e *env) defaultDB() string {
	if v := e.getenv("SIHUB_DB"); v != "" {
		return v
	}
	return "sihub.db"
}

// parse parses flags, allowing them after positional arguments too
// ("sihub import companies FILE --dry-run").
func parse(fs *flag.FlagSet, args []string) error {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	return fs.Parse(append([]string{"--"}, pos...))
}

func (e *env) open(ctx context.Context, dsn string) (*store.DB, error) {
	db, err := store.Open(ctx, dsn, store.Options{Index: match.IndexTokens, Logger: e.log})
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", dsn, err)
	}
	return db, nil
}

func cmdVersion(ctx context.Context, e *env, args []string) error {
	fs, _ := e.flags("version", "", "Print SIHub's version.")
	if err := parse(fs, args); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "sihub", version)
	return nil
}

func cmdMigrate(ctx context.Context, e *env, args []string) error {
	fs, dsn := e.flags("migrate", "", "Create the database if needed and apply every pending migration.")
	if err := parse(fs, args); err != nil {
		return err
	}
	db, err := e.open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	// Opening the database already applied what was pending (and logged
	// each migration); Migrate confirms nothing is left.
	if _, err := db.Migrate(ctx); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "database %s: schema up to date\n", *dsn)
	return nil
}

func cmdCopy(ctx context.Context, e *env, args []string) error {
	fs, _ := e.flags("copy", "",
		"Copy every company, contact, document and attachment from one database to another — typically a\n"+
			"SQLite file to PostgreSQL — keeping ids and timestamps, and check the row count of every table.\n"+
			"The target must be empty; running the same copy again finds it identical and changes nothing.")
	from := fs.String("from", "", "source database (SQLite file or postgres:// URL)")
	to := fs.String("to", "", "target database (created and migrated if needed)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *from == "" || *to == "" || fs.NArg() != 0 {
		fs.Usage()
		return errors.New("copy needs --from and --to")
	}
	src, err := e.open(ctx, *from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := e.open(ctx, *to)
	if err != nil {
		return err
	}
	defer dst.Close()
	rep, err := store.Copy(ctx, src, dst)
	if err != nil {
		return userError(err)
	}
	if rep.Identical {
		fmt.Fprintln(e.stdout, "the target is identical to the source: nothing was copied")
		return nil
	}
	for _, t := range rep.Tables {
		fmt.Fprintf(e.stdout, "%-20s %9d rows\n", t.Name, t.Rows)
	}
	return nil
}

func cmdBackup(ctx context.Context, e *env, args []string) error {
	fs, dsn := e.flags("backup", "FILE",
		"Write a consistent copy of the database to FILE while the server keeps running.\n"+
			"Restore by stopping the server and putting FILE in place of the database (see docs/OPERATIONS.md).")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("backup needs exactly one FILE")
	}
	db, err := e.open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(ctx, fs.Arg(0)); err != nil {
		return err
	}
	e.log.Info("backup written", "file", fs.Arg(0))
	return nil
}

// parseLang reads a --lang flag: vi or en, nothing else.
func parseLang(s string) (sihub.Lang, error) {
	switch s {
	case "vi", "en":
		return sihub.Lang(s), nil
	}
	return "", fmt.Errorf("unknown language %q: use vi or en", s)
}

// userError prints a SIHub error's message in English for the operator.
func userError(err error) error {
	var se *sihub.Error
	if errors.As(err, &se) && se.Code != sihub.ErrInternal {
		msg := se.Msg.EN
		for _, f := range se.Fields {
			msg += "\n  " + f.Field + ": " + f.Msg.EN
		}
		return errors.New(msg)
	}
	return err
}
