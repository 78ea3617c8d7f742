-- Reminders of the RFQ work (web/reminders.go): each is sent once, ever,
-- even with several server instances. A reminder is known by its kind, its
-- object (an invitation, a quote, a round or a case, by kind) and the
-- instant it is about (the deadline, the submission, the next-step date),
-- so that a deadline extended or a step rescheduled is reminded afresh.
-- Only the writer whose insert made the row queues the emails, in the same
-- transaction. The PostgreSQL version lives in ../postgres with the same
-- name.
CREATE TABLE reminders (
    kind      TEXT NOT NULL,
    object_id INTEGER NOT NULL,
    due       TIMESTAMP NOT NULL,                    -- PG: TIMESTAMPTZ (likewise below)
    sent_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (kind, object_id, due)
);
