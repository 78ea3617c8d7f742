-- Import jobs started from the web page, kept here rather than in one
-- process's memory so that any instance behind a load balancer can serve a
-- job's progress page and report. Not company data: Copy skips the table and
-- writing it does not move data_version. Rows are deleted a day after their
-- job started.

CREATE TABLE import_jobs (
    id         TEXT PRIMARY KEY,                      -- random, unguessable
    file       TEXT NOT NULL,
    lang       TEXT NOT NULL,                         -- language of who started it
    state      TEXT NOT NULL,                         -- running, done or failed
    phase      TEXT NOT NULL,
    rows       INTEGER NOT NULL,
    report     TEXT,                                  -- JSON the web layer writes; the store does not read it
    failure    TEXT,                                  -- JSON of a sihub.Msg
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE INDEX import_jobs_created ON import_jobs (created_at);
