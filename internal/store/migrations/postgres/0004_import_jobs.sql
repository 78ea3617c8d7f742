-- Import jobs started from the web page: the PostgreSQL version of
-- ../sqlite/0004_import_jobs.sql. Kept here rather than in one process's
-- memory so that any instance behind a load balancer can serve a job's
-- progress page and report.

CREATE TABLE import_jobs (
    id         TEXT PRIMARY KEY,
    file       TEXT NOT NULL,
    lang       TEXT NOT NULL,
    state      TEXT NOT NULL,
    phase      TEXT NOT NULL,
    rows       INTEGER NOT NULL,
    report     TEXT,
    failure    TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX import_jobs_created ON import_jobs (created_at);
