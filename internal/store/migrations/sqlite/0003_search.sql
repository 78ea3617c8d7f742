-- Full-text search over the tokens Options.Index produces (already folded,
-- lower-case, alphanumeric), one row per company with rowid = companies.id.
-- The prefix indexes make "word"* queries cheap. The table keeps its text
-- (a contentless table was tried: replacing entries in bulk, as a changed
-- import does, was slower with its delete markers).
-- PG: a companies.search TSVECTOR column filled with to_tsvector('simple', …)
-- and a GIN index on it.
CREATE VIRTUAL TABLE companies_fts USING fts5(
    tokens,
    tokenize = 'unicode61 remove_diacritics 0',
    prefix = '2 3 4'
);
