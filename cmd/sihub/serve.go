package main

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/sihub-org/sihub/internal/sheet"
	"github.com/sihub-org/sihub/internal/sihub"
	"github.com/sihub-org/sihub/internal/store"
	"github.com/sihub-org/sihub/internal/web"
)

//go:embed demo/companies.csv
var demoCompanies []byte

func cmdServe(ctx context.Context, e *env, args []string) error {
	fs, dsn := e.flags("serve", "", "Serve SIHub over HTTP until interrupted (SIGINT or SIGTERM shut it down gracefully).")
	addr := fs.String("addr", envOr(e.getenv, "SIHUB_ADDR", "localhost:8080"), "listen address (env SIHUB_ADDR)")
	demo := fs.Bool("demo", false, "load the demo data set when the database is empty")
	if err := parse(fs, args); err != nil {
		return err
	}
	db, err := e.open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if *demo {
		if err := loadDemo(ctx, e, db); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	h := web.NewServer(web.Config{DB: db, Logger: e.log, Version: version})
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       10 * time.Minute, // imports upload large files
		WriteTimeout:      10 * time.Minute, // exports stream large files
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          nil,
	}
	e.log.Info("SIHub is serving", "url", "http://"+displayAddr(ln.Addr()), "db", *dsn, "version", version)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	e.log.Info("shutting down")
	shutCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	err = srv.Shutdown(shutCtx)
	h.Close() // cancel background imports (they roll back) before the database closes
	if err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// loadDemo imports the shipped demo companies, but only into an empty
// database: demo data must never mix with real data.
func loadDemo(ctx context.Context, e *env, db *store.DB) error {
	st, err := db.Stats(ctx)
	if err != nil {
		return err
	}
	if st.Companies+st.Archived > 0 {
		e.log.Info("the database already holds companies; demo data not loaded", "companies", st.Companies)
		return nil
	}
	dir, err := os.MkdirTemp("", "sihub-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "companies.csv")
	if err := os.WriteFile(path, demoCompanies, 0o600); err != nil {
		return err
	}
	rep, err := sheet.ImportCompanies(ctx, path, sheet.Options{}, db)
	if err != nil {
		return userError(err)
	}
	if !rep.Committed {
		_ = rep.WriteText(e.stderr, sihub.EN)
		return fmt.Errorf("the demo data did not import cleanly")
	}
	verified, err := verifyDemo(ctx, db)
	if err != nil {
		return err
	}
	e.log.Info("demo data loaded", "companies", rep.Created, "verified", verified)
	return nil
}

// verifyDemo marks part of the demo directory as verified by the center, as
// a real directory would be, so that a visitor sees verified badges and can
// filter on them: the certified companies with at least 50 employees.
func verifyDemo(ctx context.Context, db *store.DB) (int, error) {
	var ids []int64
	for c, err := range db.EachCompany(ctx, sihub.CompanyFilter{}) {
		if err != nil {
			return 0, err
		}
		if len(c.Certifications) > 0 && c.Employees >= 50 {
			ids = append(ids, c.ID)
		}
	}
	for _, id := range ids {
		if err := db.SetVerified(ctx, id, true, "SIHub demo"); err != nil {
			return 0, err
		}
	}
	return len(ids), nil
}

func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}

// displayAddr turns a listen address into something a browser opens.
func displayAddr(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	if host == "" || host == "::" || host == "0.0.0.0" || host == "127.0.0.1" || host == "::1" {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}
