package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/sihub-org/sihub/internal/sihub"
)

func cmdTokens(ctx context.Context, e *env, args []string) error {
	_, args, err := e.subcommand("tokens", []string{"add"}, args)
	if err != nil {
		return err
	}
	fs, dsn := e.flags("tokens add", "",
		"Create an API token for a user and print its secret — only this once; SIHub keeps a hash. Programs send\n"+
			"it as 'Authorization: Bearer SECRET' and may do what the user may (--scope write) or only read (read).\n"+
			"Users revoke their tokens on their account page.\n\n"+
			"  TOKEN=$(sihub tokens add --email staff@center.example.vn --name 'nightly export')")
	email := fs.String("email", "", "the email address of the token's user (required)")
	name := fs.String("name", "", "what the token is for, to tell it apart (required)")
	scope := fs.String("scope", string(sihub.ScopeRead), "read (GET requests only) or write")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return fmt.Errorf("tokens add takes no arguments, only flags: %q", fs.Args())
	}
	sc := sihub.TokenScope(*scope)
	switch {
	case *email == "":
		return errors.New("tokens add needs --email")
	case *name == "":
		return errors.New("tokens add needs --name")
	case sc != sihub.ScopeRead && sc != sihub.ScopeWrite:
		return fmt.Errorf("unknown scope %q: use read or write", *scope)
	}
	db, err := e.open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	u, err := db.UserByEmail(ctx, *email)
	if sihub.ErrorCode(err) == sihub.ErrNotFound {
		return fmt.Errorf("no user with email %s", *email)
	} else if err != nil {
		return userError(err)
	}
	if !u.Active() {
		// The token is refused until the user is active.
		e.log.Warn("the user is not active (approved and email confirmed): the token will not work until they are",
			"email", u.Email, "status", u.Status)
	}
	secret, tok, err := db.CreateAPIToken(ctx, u.ID, *name, sc)
	if err != nil {
		return userError(err)
	}
	e.log.Info("API token created", "user", u.Email, "name", tok.Name, "scope", tok.Scope, "prefix", tok.Prefix, "id", tok.ID)
	fmt.Fprintln(e.stdout, secret)
	return nil
}
