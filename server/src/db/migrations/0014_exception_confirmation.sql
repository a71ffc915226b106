-- Insider: an integrity exception (today only same-employer 回避) was recorded and "approved" by one admin, the
-- approver being free text. It now waives a finding only once a supervising official, a second person outside
-- the institution, confirms it. Confirmations are append-only like the exceptions themselves (0003), and
-- recording and confirming are both chained events.
CREATE TABLE integrity_exception_confirmations (
  exception_id INTEGER PRIMARY KEY REFERENCES integrity_exceptions(id),
  confirmed_by TEXT NOT NULL,
  confirmed_at INTEGER NOT NULL
);
CREATE TRIGGER integrity_exception_confirmations_no_update BEFORE UPDATE ON integrity_exception_confirmations
BEGIN SELECT RAISE(ABORT, 'integrity exception confirmations are append-only'); END;
CREATE TRIGGER integrity_exception_confirmations_no_delete BEFORE DELETE ON integrity_exception_confirmations
BEGIN SELECT RAISE(ABORT, 'integrity exception confirmations are append-only'); END;
