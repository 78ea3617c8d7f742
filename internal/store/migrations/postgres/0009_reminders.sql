-- Reminders of the RFQ work: the PostgreSQL version of
-- ../sqlite/0009_reminders.sql, which describes the table.
CREATE TABLE reminders (
    kind      TEXT NOT NULL,
    object_id BIGINT NOT NULL,
    due       TIMESTAMPTZ NOT NULL,
    sent_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (kind, object_id, due)
);
