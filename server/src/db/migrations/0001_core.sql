-- Core schema of the walking skeleton. Times are integer milliseconds since the epoch (UTC).

CREATE TABLE institution (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE staff (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  roles TEXT NOT NULL,                 -- JSON array of role names
  password_hash TEXT NOT NULL,         -- scrypt, hex
  password_salt TEXT NOT NULL,         -- per user, hex
  must_change_password INTEGER NOT NULL DEFAULT 0,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);

CREATE TABLE categories (
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  theory_only INTEGER NOT NULL DEFAULT 0
);

-- Items are content-addressed: the hash of their normalised content identifies them across imports.
CREATE TABLE bank_items (
  content_hash TEXT PRIMARY KEY,
  category TEXT NOT NULL REFERENCES categories(code),
  type TEXT NOT NULL CHECK (type IN ('judge', 'single', 'multi')),
  stem TEXT NOT NULL,
  options TEXT NOT NULL,               -- JSON array of option texts
  answer TEXT NOT NULL,                -- JSON array of correct option indexes
  knowledge_point TEXT NOT NULL,
  difficulty INTEGER NOT NULL CHECK (difficulty BETWEEN 1 AND 5),
  explanation TEXT,
  image TEXT
);

-- Each import creates an immutable version of one category's pool.
CREATE TABLE bank_versions (
  id INTEGER PRIMARY KEY,
  category TEXT NOT NULL REFERENCES categories(code),
  pool TEXT NOT NULL CHECK (pool IN ('exam', 'practice')),
  fingerprint TEXT NOT NULL,
  item_count INTEGER NOT NULL,
  parent_id INTEGER REFERENCES bank_versions(id),
  source TEXT NOT NULL,
  note TEXT,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX bank_versions_category_pool ON bank_versions (category, pool, id);

CREATE TABLE bank_version_items (
  version_id INTEGER NOT NULL REFERENCES bank_versions(id),
  item_hash TEXT NOT NULL REFERENCES bank_items(content_hash),
  external_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  PRIMARY KEY (version_id, item_hash)
);

CREATE TABLE blueprints (
  id INTEGER PRIMARY KEY,
  category TEXT NOT NULL REFERENCES categories(code),
  name TEXT NOT NULL,
  body TEXT NOT NULL,                  -- JSON, validated by the blueprint schema
  fingerprint TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE rooms (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  seat_count INTEGER NOT NULL CHECK (seat_count > 0)
);

CREATE TABLE sessions (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  category TEXT NOT NULL REFERENCES categories(code),
  blueprint_id INTEGER NOT NULL REFERENCES blueprints(id),
  bank_version_id INTEGER NOT NULL REFERENCES bank_versions(id),
  room_id INTEGER NOT NULL REFERENCES rooms(id),
  scheduled_start INTEGER NOT NULL,
  duration_minutes INTEGER NOT NULL CHECK (duration_minutes > 0),
  state TEXT NOT NULL CHECK (state IN
    ('draft', 'scheduled', 'sealed', 'open', 'running', 'paused', 'closed', 'graded', 'archived')),
  settings TEXT NOT NULL,              -- JSON: admission and submission rules, score display
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE candidates (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  id_number TEXT NOT NULL UNIQUE,
  employer TEXT,
  training_org TEXT,
  photo TEXT,
  created_at INTEGER NOT NULL
);

CREATE TABLE registrations (
  id INTEGER PRIMARY KEY,
  session_id INTEGER NOT NULL REFERENCES sessions(id),
  candidate_id INTEGER NOT NULL REFERENCES candidates(id),
  admission_no TEXT NOT NULL UNIQUE,
  seat_no INTEGER NOT NULL,
  first_login_at INTEGER,
  created_at INTEGER NOT NULL,
  UNIQUE (session_id, candidate_id),
  UNIQUE (session_id, seat_no)
);

-- One paper per registration. The skeleton keeps the drawn paper as canonical JSON; sealing
-- (encryption, two-person opening) replaces this storage in its own migration.
CREATE TABLE papers (
  registration_id INTEGER PRIMARY KEY REFERENCES registrations(id),
  content TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE attempts (
  registration_id INTEGER PRIMARY KEY REFERENCES registrations(id),
  started_at INTEGER NOT NULL,
  extension_ms INTEGER NOT NULL DEFAULT 0,
  submitted_at INTEGER,
  submit_reason TEXT CHECK (submit_reason IN ('candidate', 'time-up', 'proctor'))
);

-- Latest answer per question; a save applies only if its sequence number is newer.
CREATE TABLE answers (
  registration_id INTEGER NOT NULL REFERENCES registrations(id),
  position INTEGER NOT NULL,
  choice TEXT NOT NULL,                -- JSON array of chosen option indexes (as displayed)
  seq INTEGER NOT NULL,
  saved_at INTEGER NOT NULL,
  PRIMARY KEY (registration_id, position)
);

-- Every accepted save, for the archive's answer history.
CREATE TABLE answer_history (
  registration_id INTEGER NOT NULL REFERENCES registrations(id),
  seq INTEGER NOT NULL,
  position INTEGER NOT NULL,
  choice TEXT NOT NULL,
  saved_at INTEGER NOT NULL,
  PRIMARY KEY (registration_id, seq)
);

CREATE TABLE results (
  registration_id INTEGER PRIMARY KEY REFERENCES registrations(id),
  score REAL NOT NULL,
  max_score REAL NOT NULL,
  passed INTEGER NOT NULL,
  correct_count INTEGER NOT NULL,
  paper_hash TEXT NOT NULL,
  answers_hash TEXT NOT NULL,
  grader_version TEXT NOT NULL,
  graded_at INTEGER NOT NULL
);

-- Append-only, hash-chained event log: chain 'institution' or 'session:<id>'.
-- hash = SHA-256(prev_hash || canonical JSON of {chain, seq, at, actor, type, payload}).
CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  chain TEXT NOT NULL,
  seq INTEGER NOT NULL,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  type TEXT NOT NULL,
  payload TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  UNIQUE (chain, seq)
);

CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
