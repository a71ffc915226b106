-- Issue 14: the centre's side of the link to its regulator (监管端).
--
-- Every message on the link is numbered per channel from 1 with no gaps (protocol/regulator.ts). The centre
-- keeps what it sent (link_outbox, signed when sent, so a resend is byte-identical) and what it applied
-- (link_inbox: seq and hash, so a resend is a harmless duplicate and a different message under a used number
-- is a replay). Both, and the log of every refused or duplicate message, are append-only.

-- One row: who this centre is at the regulator and where the regulator is (env vars override).
CREATE TABLE link_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  centre_code TEXT,                    -- from EXAM_CENTER_CENTRE_CODE, setLinkIdentity or centre.registered
  centre_name TEXT,
  regulator_url TEXT,
  ban_list_max_age_days INTEGER NOT NULL DEFAULT 7 CHECK (ban_list_max_age_days BETWEEN 1 AND 365),
  out_acked INTEGER NOT NULL DEFAULT 0, -- highest seq the regulator says it has applied from us
  freshness_json TEXT,                 -- newest signed ban-list freshness statement from the regulator
  freshness_as_of INTEGER,
  last_exchange_at INTEGER,
  last_error TEXT,
  updated_at INTEGER NOT NULL
);
INSERT INTO link_state (id, updated_at) VALUES (1, 0);

CREATE TABLE link_outbox (
  seq INTEGER PRIMARY KEY,             -- channel centre → regulator, from 1, no gaps
  type TEXT NOT NULL,
  body TEXT NOT NULL,                  -- JSON
  sent_at INTEGER NOT NULL             -- the message's sentAt (fixed at enqueue, so every resend is identical)
);
CREATE TRIGGER link_outbox_no_update BEFORE UPDATE ON link_outbox
BEGIN SELECT RAISE(ABORT, 'link_outbox is append-only'); END;
CREATE TRIGGER link_outbox_no_delete BEFORE DELETE ON link_outbox
BEGIN SELECT RAISE(ABORT, 'link_outbox is append-only'); END;

CREATE TABLE link_inbox (
  seq INTEGER PRIMARY KEY,             -- channel regulator → centre
  type TEXT NOT NULL,
  hash TEXT NOT NULL,
  via TEXT NOT NULL CHECK (via IN ('link', 'bundle')),
  received_at INTEGER NOT NULL,
  problem TEXT                         -- the handler found the content bad: consumed, not applied
);
CREATE TRIGGER link_inbox_no_update BEFORE UPDATE ON link_inbox
BEGIN SELECT RAISE(ABORT, 'link_inbox is append-only'); END;
CREATE TRIGGER link_inbox_no_delete BEFORE DELETE ON link_inbox
BEGIN SELECT RAISE(ABORT, 'link_inbox is append-only'); END;

-- Every refused or duplicate (replayed) message, every rejected bundle or freshness statement.
CREATE TABLE link_log (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  via TEXT NOT NULL CHECK (via IN ('link', 'bundle')),
  seq INTEGER NOT NULL,
  type TEXT,
  status TEXT NOT NULL CHECK (status IN ('refused', 'duplicate', 'problem')),
  code TEXT NOT NULL,
  reason TEXT NOT NULL
);
CREATE TRIGGER link_log_no_update BEFORE UPDATE ON link_log
BEGIN SELECT RAISE(ABORT, 'link_log is append-only'); END;
CREATE TRIGGER link_log_no_delete BEFORE DELETE ON link_log
BEGIN SELECT RAISE(ABORT, 'link_log is append-only'); END;

-- The province ban lists received (bans.list). The newest version is binding; a centre cannot edit it.
CREATE TABLE province_ban_lists (
  version INTEGER PRIMARY KEY,
  issued_at INTEGER NOT NULL,
  body TEXT NOT NULL,                  -- banListBody JSON
  sha256 TEXT NOT NULL,
  received_at INTEGER NOT NULL
);
CREATE TRIGGER province_ban_lists_no_update BEFORE UPDATE ON province_ban_lists
BEGIN SELECT RAISE(ABORT, 'province ban lists are the regulator''s: they cannot be changed at the centre'); END;
CREATE TRIGGER province_ban_lists_no_delete BEFORE DELETE ON province_ban_lists
BEGIN SELECT RAISE(ABORT, 'province ban lists are the regulator''s: they cannot be changed at the centre'); END;

-- A session opened on a stale (or never received) ban list: the exception officials must see.
CREATE TABLE stale_list_exceptions (
  id INTEGER PRIMARY KEY,
  session_id INTEGER NOT NULL REFERENCES sessions(id),
  reason TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  recorded_at INTEGER NOT NULL,
  list_version INTEGER NOT NULL,
  list_as_of INTEGER NOT NULL
);
CREATE INDEX stale_list_exceptions_session ON stale_list_exceptions (session_id);
CREATE TRIGGER stale_list_exceptions_no_update BEFORE UPDATE ON stale_list_exceptions
BEGIN SELECT RAISE(ABORT, 'stale_list_exceptions is append-only'); END;
CREATE TRIGGER stale_list_exceptions_no_delete BEFORE DELETE ON stale_list_exceptions
BEGIN SELECT RAISE(ABORT, 'stale_list_exceptions is append-only'); END;
