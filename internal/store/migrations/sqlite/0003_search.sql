-- Full-text search over the tokens Options.Index produces (already folded,
-- lower-case, alphanumeric), one row per company with rowid = companies.id.
-- The prefix indexes make "word"* queries cheap.
-- PG: a companies.search TSVECTOR column filled with to_tsvector('simple', …)
-- and a GIN index on it.
CREATE VIRTUAL TABLE companies_fts USING fts5(
    tokens,
    tokenize = 'unicode61 remove_diacritics 0',
    prefix = '2 3 4'
);
