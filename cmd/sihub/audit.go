package main

import (
	"context"
	"fmt"

	"github.com/sihub-org/sihub/internal/sihub"
)

func cmdAudit(ctx context.Context, e *env, args []string) error {
	sub, args, err := e.subcommand("audit", []string{"head", "verify"}, args)
	if err != nil {
		return err
	}
	if sub == "head" {
		return auditHead(ctx, e, args)
	}
	return auditVerify(ctx, e, args)
}

func auditHead(ctx context.Context, e *env, args []string) error {
	fs, dsn := e.flags("audit head", "",
		"Print the head of the audit trail, SEQ:HASH: the newest record's number and hash. Keep it somewhere\n"+
			"SIHub's administrators cannot change (a ticket, a signed email, another machine): 'sihub audit verify\n"+
			"--head SEQ:HASH' then proves that no record up to it was changed or removed since.")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return fmt.Errorf("audit head takes no arguments: %q", fs.Args())
	}
	db, err := e.open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	h, err := db.AuditHead(ctx)
	if err != nil {
		return err
	}
	if h.Seq == 0 {
		e.log.Info("the audit trail is empty")
	}
	fmt.Fprintln(e.stdout, h)
	return nil
}

func auditVerify(ctx context.Context, e *env, args []string) error {
	fs, dsn := e.flags("audit verify", "",
		"Check the whole audit trail: every record's content against its digest and every link of the hash chain,\n"+
			"and with --head that the trail still holds the head published earlier (which detects removal of the\n"+
			"newest records). Prints a summary; exits non-zero with each problem on stderr when the check fails.")
	headFlag := fs.String("head", "", "a head printed earlier by 'sihub audit head' (SEQ:HASH)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		fs.Usage()
		return fmt.Errorf("audit verify takes no arguments: %q", fs.Args())
	}
	var want *sihub.AuditHead
	if *headFlag != "" {
		h, err := sihub.ParseAuditHead(*headFlag)
		if err != nil {
			return userError(err)
		}
		want = &h
	}
	db, err := e.open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	chk, head, err := db.VerifyAudit(ctx, want)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%d records checked (%d with personal data erased); head %s\n", chk.Records(), chk.RedactedRecords(), head)
	if len(chk.Problems) > 0 {
		for _, p := range chk.Problems {
			fmt.Fprintln(e.stderr, p)
		}
		n := fmt.Sprint(len(chk.Problems))
		if len(chk.Problems) >= 100 {
			n = "at least 100" // the checker lists no more
		}
		return fmt.Errorf("the audit trail does not verify: %s problems", n)
	}
	if want != nil {
		fmt.Fprintf(e.stdout, "the trail holds the published head %s\n", want)
	}
	return nil
}
