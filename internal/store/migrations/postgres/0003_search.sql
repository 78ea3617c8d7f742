-- Full-text search over the tokens Options.Index produces (already folded,
-- lower-case, alphanumeric): the PostgreSQL counterpart of the FTS5 table of
-- ../sqlite/0003_search.sql, with the same name and its text in the same
-- column. The 'simple' configuration only lower-cases, so the tsvector holds
-- the tokens themselves (with positions, for the phrase queries FTS5 also
-- answers); the GIN index answers word and prefix (:*) queries.
CREATE TABLE companies_fts (
    company_id BIGINT PRIMARY KEY REFERENCES companies (id) ON DELETE CASCADE,
    tokens     TEXT NOT NULL,
    search     TSVECTOR GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, tokens)) STORED
);

CREATE INDEX companies_fts_search ON companies_fts USING GIN (search);
