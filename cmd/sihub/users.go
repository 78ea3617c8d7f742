package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"

	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/store"
)

func cmdUsers(ctx context.Context, e *env, args []string) error {
	_, args, err := e.subcommand("users", []string{"add"}, args)
	if err != nil {
		return err
	}
	return usersAdd(ctx, e, args)
}

func usersAdd(ctx context.Context, e *env, args []string) error {
	fs, dsn := e.flags("users add", "",
		"Create a user who can sign in at once: active, with the email address counted as confirmed. The\n"+
			"password is read from the first line of standard input (prompted for on a terminal), so that it\n"+
			"stays out of the shell history and the process list:\n\n"+
			"  sihub users add --email admin@center.example.vn --role center_admin\n"+
			"  printf '%s\\n' \"$PASSWORD\" | sihub users add --email an@company.vn --role company_admin --company 0312345678")
	email := fs.String("email", "", "the user's email address (required)")
	role := fs.String("role", "", "one of "+roleList()+" (required)")
	company := fs.String("company", "", "tax code of the user's company, which must be in the directory (company roles only)")
	name := fs.String("name", "", "the user's name")
	langFlag := fs.String("lang", "vi", "language of the emails SIHub sends the user: vi or en")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return fmt.Errorf("users add takes no arguments, only flags: %q", fs.Args())
	}
	lang, err := parseLang(*langFlag)
	if err != nil {
		return err
	}
	r := sihub.Role(*role)
	switch {
	case *email == "":
		return errors.New("users add needs --email")
	case !r.Valid():
		return fmt.Errorf("unknown role %q: use one of %s", *role, roleList())
	case r.OfCompany() && *company == "":
		return fmt.Errorf("a %s belongs to a company: give its tax code with --company", r)
	case !r.OfCompany() && *company != "":
		return fmt.Errorf("a %s belongs to the %s, not to a company: leave out --company", r, r.Org())
	}
	password, err := e.readPassword(ctx)
	if err != nil {
		return err
	}
	db, err := e.open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	nu := store.NewUser{Email: *email, Name: *name, Password: password, Role: r,
		Status: sihub.StatusActive, EmailConfirmed: true, Lang: lang}
	if r.OfCompany() {
		tc, err := sihub.ParseTaxCode(*company)
		if err != nil {
			return userError(err)
		}
		c, err := db.CompanyByTaxCode(ctx, tc)
		if sihub.ErrorCode(err) == sihub.ErrNotFound {
			return fmt.Errorf("no company with tax code %s in the directory: import or create it first", tc)
		} else if err != nil {
			return err
		}
		nu.CompanyID = c.ID
	}
	u, err := db.CreateUser(ctx, nu)
	if err != nil {
		return userError(err)
	}
	of := ""
	if u.CompanyName != "" {
		of = " of " + u.CompanyName + " (" + u.CompanyTaxCode + ")"
	}
	fmt.Fprintf(e.stdout, "created user %d: %s, %s%s\n", u.ID, u.Email, u.Role, of)
	return nil
}

func roleList() string {
	names := make([]string, len(sihub.Roles))
	for i, r := range sihub.Roles {
		names[i] = string(r)
	}
	return strings.Join(names, ", ")
}

// subcommand splits "sihub NAME SUB [flags]" into SUB, one of subs, and
// the rest; --help prints the choices.
func (e *env) subcommand(name string, subs []string, args []string) (string, []string, error) {
	choice := strings.Join(subs, "|")
	usage := fmt.Sprintf("Usage: sihub %s %s [flags]\n\nRun 'sihub %s %s --help' for the flags.", name, choice, name, choice)
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
		fmt.Fprintln(e.stdout, usage)
		return "", nil, flag.ErrHelp
	}
	if len(args) == 0 || !slices.Contains(subs, args[0]) {
		fmt.Fprintln(e.stderr, usage)
		return "", nil, fmt.Errorf("%s: say what to do: %s", name, strings.Join(subs, " or "))
	}
	return args[0], args[1:], nil
}

// readPassword reads a password from the first line of standard input,
// prompting for it on stderr and turning off the echo when stdin is a
// terminal.
func (e *env) readPassword(ctx context.Context) (string, error) {
	if isTerminal(e.stdin) {
		fmt.Fprint(e.stderr, "Password: ")
		if restore := noEcho(e.stdin.(*os.File)); restore != nil {
			defer fmt.Fprintln(e.stderr) // the Enter the user typed was not echoed
			defer restore()
		}
	}
	type result struct {
		line string
		err  error
	}
	// Read aside, so that Ctrl-C (which cancels ctx) ends the wait and the
	// echo is restored.
	got := make(chan result, 1)
	go func() {
		line, err := bufio.NewReader(e.stdin).ReadString('\n')
		got <- result{line, err}
	}()
	var r result
	select {
	case <-ctx.Done():
		return "", ctx.Err()
	case r = <-got:
	}
	if r.err != nil && !errors.Is(r.err, io.EOF) {
		return "", fmt.Errorf("reading the password from standard input: %w", r.err)
	}
	password := strings.TrimRight(r.line, "\r\n")
	if password == "" {
		return "", errors.New("no password: give it on the first line of standard input")
	}
	return password, nil
}

// noEcho turns off the terminal's echo with stty(1), which every Unix has,
// rather than a terminal library; it returns the function that turns it
// back on, or nil where stty is missing (the password then shows).
func noEcho(tty *os.File) func() {
	stty := func(arg string) error {
		cmd := exec.Command("stty", arg)
		cmd.Stdin = tty
		return cmd.Run()
	}
	if stty("-echo") != nil {
		return nil
	}
	return func() { stty("echo") }
}
