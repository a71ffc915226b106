-- The regulator's own database (issue 14): accounts, officials' grants, the registry of centres with their
-- pinned keys, the numbered link channels, the hash-chained link log, and the province-wide ban list.

CREATE TABLE reg_accounts (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('regulator_admin', 'official')),
  password_hash TEXT NOT NULL,
  password_salt TEXT NOT NULL,
  must_change_password INTEGER NOT NULL DEFAULT 0,
  disabled INTEGER NOT NULL DEFAULT 0,
  -- Bumped at every password change or disable: tokens carry it, so an older token stops working.
  token_version INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL
);

-- Every signed grant the regulator issued for an official (create, new password, disable), newest last.
CREATE TABLE reg_grants (
  id INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES reg_accounts(id),
  action TEXT NOT NULL CHECK (action IN ('create', 'update', 'disable')),
  signed_grant_json TEXT NOT NULL,
  issued_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  issued_by TEXT NOT NULL
);
CREATE INDEX reg_grants_account ON reg_grants(account_id, id);

CREATE TABLE reg_centres (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  credit_code TEXT,
  -- The pinned key: everything from this centre is verified against it, never a key carried in a message.
  public_key_pem TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  registered_at INTEGER NOT NULL,
  registered_by TEXT NOT NULL,
  last_contact_at INTEGER,
  last_contact_via TEXT CHECK (last_contact_via IN ('link', 'bundle')),
  -- Highest regulator→centre seq the centre acknowledged (`received` in an exchange or a bundle).
  acked_seq INTEGER NOT NULL DEFAULT 0
);

-- Every key ever pinned for a centre; replaced_at is set when a signed key change repins.
CREATE TABLE reg_centre_keys (
  id INTEGER PRIMARY KEY,
  centre_id INTEGER NOT NULL REFERENCES reg_centres(id),
  public_key_pem TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  pinned_at INTEGER NOT NULL,
  replaced_at INTEGER,
  pinned_by TEXT NOT NULL
);
CREATE TRIGGER reg_centre_keys_no_delete BEFORE DELETE ON reg_centre_keys
BEGIN SELECT RAISE(ABORT, 'reg_centre_keys is append-only'); END;

-- Regulator → centre messages, numbered per centre from 1 with no gaps, kept signed as sent.
CREATE TABLE reg_outbox (
  centre_id INTEGER NOT NULL REFERENCES reg_centres(id),
  seq INTEGER NOT NULL,
  type TEXT NOT NULL,
  signed_json TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (centre_id, seq)
);

-- Centre → regulator messages applied: (seq, hash) so a resend is recognised and a replay refused.
CREATE TABLE reg_inbox (
  centre_id INTEGER NOT NULL REFERENCES reg_centres(id),
  seq INTEGER NOT NULL,
  type TEXT NOT NULL,
  hash TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  via TEXT NOT NULL CHECK (via IN ('link', 'bundle')),
  PRIMARY KEY (centre_id, seq)
);

-- Every refused or duplicate message, append-only and hash-chained (each row's hash covers the previous one).
CREATE TABLE reg_link_log (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  via TEXT NOT NULL CHECK (via IN ('link', 'bundle')),
  centre_code TEXT,
  seq INTEGER NOT NULL,
  type TEXT,
  outcome TEXT NOT NULL CHECK (outcome IN ('refused', 'duplicate')),
  code TEXT,
  reason TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE TRIGGER reg_link_log_no_update BEFORE UPDATE ON reg_link_log
BEGIN SELECT RAISE(ABORT, 'reg_link_log is append-only'); END;
CREATE TRIGGER reg_link_log_no_delete BEFORE DELETE ON reg_link_log
BEGIN SELECT RAISE(ABORT, 'reg_link_log is append-only'); END;

-- Province-wide bans: disciplinary records (people, permanent) and dishonest organisations (3 years).
CREATE TABLE reg_bans (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('person', 'organisation')),
  subject TEXT NOT NULL,
  name TEXT NOT NULL,
  reason TEXT,
  decision_date TEXT NOT NULL,
  barred_until TEXT,
  authority TEXT NOT NULL,
  document_no TEXT NOT NULL,
  summary TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  lifted_at INTEGER,
  lifted_by TEXT,
  lift_authority TEXT,
  lift_document_no TEXT,
  lift_reason TEXT
);
CREATE INDEX reg_bans_subject ON reg_bans(subject);
CREATE TRIGGER reg_bans_no_delete BEFORE DELETE ON reg_bans
BEGIN SELECT RAISE(ABORT, 'a ban is lifted, never deleted'); END;

-- Every published version of the list (the body exactly as signed into bans.list messages).
CREATE TABLE reg_ban_lists (
  version INTEGER PRIMARY KEY,
  issued_at INTEGER NOT NULL,
  body_json TEXT NOT NULL,
  sha256 TEXT NOT NULL
);

-- A centre opened a session on a stale list: kept for officials (H3's intake may show more).
CREATE TABLE reg_stale_exceptions (
  id INTEGER PRIMARY KEY,
  centre_id INTEGER NOT NULL REFERENCES reg_centres(id),
  session_code TEXT NOT NULL,
  reason TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  list_version INTEGER NOT NULL,
  list_as_of INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  via TEXT NOT NULL
);
