-- Proctoring evidence, signed chain heads and archives (issue 7). Everything here is evidence:
-- rows are written once and never changed or removed by the application (triggers enforce it).

-- Ed25519 signature over "<chain>\n<seq>\n<hash>" by the institution key, at every session transition.
CREATE TABLE chain_heads_signed (
  id INTEGER PRIMARY KEY,
  chain TEXT NOT NULL,
  seq INTEGER NOT NULL,
  hash TEXT NOT NULL,
  signature TEXT NOT NULL,             -- base64
  key_fingerprint TEXT NOT NULL,
  reason TEXT NOT NULL,                -- e.g. 'session.transition:running'
  at INTEGER NOT NULL
);
CREATE INDEX chain_heads_signed_chain ON chain_heads_signed (chain, seq);
CREATE TRIGGER chain_heads_signed_no_update BEFORE UPDATE ON chain_heads_signed
BEGIN SELECT RAISE(ABORT, 'signed chain heads are append-only'); END;
CREATE TRIGGER chain_heads_signed_no_delete BEFORE DELETE ON chain_heads_signed
BEGIN SELECT RAISE(ABORT, 'signed chain heads are append-only'); END;

-- Files kept as evidence (webcam snapshots, incident photos), stored under <data>/evidence/.
CREATE TABLE evidence_files (
  id INTEGER PRIMARY KEY,
  session_id INTEGER NOT NULL REFERENCES sessions(id),
  registration_id INTEGER REFERENCES registrations(id),
  kind TEXT NOT NULL CHECK (kind IN ('login-snapshot', 'incident-photo')),
  camera TEXT NOT NULL CHECK (camera IN ('available', 'none')),  -- 'none': recorded that no camera existed
  file TEXT,                           -- path relative to the data folder; NULL when no image
  mime TEXT,
  sha256 TEXT,
  size INTEGER,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX evidence_files_registration ON evidence_files (registration_id, id);
CREATE TRIGGER evidence_files_no_update BEFORE UPDATE ON evidence_files
BEGIN SELECT RAISE(ABORT, 'evidence is append-only'); END;
CREATE TRIGGER evidence_files_no_delete BEFORE DELETE ON evidence_files
BEGIN SELECT RAISE(ABORT, 'evidence is append-only'); END;

-- 人证核验 outcomes; 'override' is the examiner's manual confirmation after the lock (domain.md).
CREATE TABLE identity_checks (
  id INTEGER PRIMARY KEY,
  session_id INTEGER NOT NULL REFERENCES sessions(id),
  registration_id INTEGER NOT NULL REFERENCES registrations(id),
  outcome TEXT NOT NULL CHECK (outcome IN ('pass', 'fail', 'override')),
  snapshot_id INTEGER REFERENCES evidence_files(id),
  note TEXT NOT NULL DEFAULT '',
  checked_by TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX identity_checks_registration ON identity_checks (registration_id, id);
CREATE INDEX identity_checks_session ON identity_checks (session_id);
CREATE TRIGGER identity_checks_no_update BEFORE UPDATE ON identity_checks
BEGIN SELECT RAISE(ABORT, 'identity checks are append-only'); END;
CREATE TRIGGER identity_checks_no_delete BEFORE DELETE ON identity_checks
BEGIN SELECT RAISE(ABORT, 'identity checks are append-only'); END;

-- 考场记录: incidents filed by proctors.
CREATE TABLE incidents (
  id INTEGER PRIMARY KEY,
  session_id INTEGER NOT NULL REFERENCES sessions(id),
  registration_id INTEGER REFERENCES registrations(id),
  seat_no INTEGER,
  type TEXT NOT NULL,
  note TEXT NOT NULL,
  photo_id INTEGER REFERENCES evidence_files(id),
  reported_by TEXT NOT NULL,
  at INTEGER NOT NULL
);
CREATE INDEX incidents_session ON incidents (session_id, id);
CREATE TRIGGER incidents_no_update BEFORE UPDATE ON incidents
BEGIN SELECT RAISE(ABORT, 'incidents are append-only'); END;
CREATE TRIGGER incidents_no_delete BEFORE DELETE ON incidents
BEGIN SELECT RAISE(ABORT, 'incidents are append-only'); END;

-- Room CCTV recordings attached to a session (档案含影像资料).
CREATE TABLE room_videos (
  id INTEGER PRIMARY KEY,
  session_id INTEGER NOT NULL REFERENCES sessions(id),
  name TEXT NOT NULL,
  path TEXT NOT NULL,                  -- absolute path of the recording as attached
  sha256 TEXT NOT NULL,
  size INTEGER NOT NULL,
  starts_at INTEGER NOT NULL,
  ends_at INTEGER NOT NULL,
  include_file INTEGER NOT NULL DEFAULT 0,  -- 1: copied into the archive; 0: referenced by path and hash
  attached_by TEXT NOT NULL,
  at INTEGER NOT NULL,
  CHECK (ends_at >= starts_at)
);
CREATE TRIGGER room_videos_no_update BEFORE UPDATE ON room_videos
BEGIN SELECT RAISE(ABORT, 'room videos are append-only'); END;
CREATE TRIGGER room_videos_no_delete BEFORE DELETE ON room_videos
BEGIN SELECT RAISE(ABORT, 'room videos are append-only'); END;

-- Signed session archives. Retention (domain.md: recordings and archives kept at least 3 years): a row
-- cannot be deleted before retain_until, and never changed.
CREATE TABLE archives (
  id INTEGER PRIMARY KEY,
  session_id INTEGER NOT NULL REFERENCES sessions(id),
  file TEXT NOT NULL,                  -- path relative to the data folder
  sha256 TEXT NOT NULL,
  size INTEGER NOT NULL,
  manifest_hash TEXT NOT NULL,
  key_fingerprint TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  retain_until INTEGER NOT NULL
);
CREATE INDEX archives_session ON archives (session_id, id);
CREATE TRIGGER archives_no_update BEFORE UPDATE ON archives
BEGIN SELECT RAISE(ABORT, 'archives are immutable'); END;
CREATE TRIGGER archives_retention BEFORE DELETE ON archives
WHEN OLD.retain_until > CAST(strftime('%s', 'now') AS INTEGER) * 1000
BEGIN SELECT RAISE(ABORT, 'archive is within its retention period'); END;

-- Filters on the event log for officials (type, actor, time) without scanning a whole chain.
CREATE INDEX events_chain_type ON events (chain, type, seq);
CREATE INDEX events_chain_at ON events (chain, at);
