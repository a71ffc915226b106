-- Question bank: immutable versions, per-version item metadata, retirements, the import log and
-- blueprint retirement. Times are integer milliseconds since the epoch (UTC).

-- Items are content-addressed and versions are immutable: a change is always a new version, so a
-- session can always show which version it drew from (design.md, data flow).
CREATE TRIGGER bank_items_no_update BEFORE UPDATE ON bank_items
BEGIN SELECT RAISE(ABORT, 'bank items are immutable (content-addressed)'); END;
CREATE TRIGGER bank_items_no_delete BEFORE DELETE ON bank_items
BEGIN SELECT RAISE(ABORT, 'bank items are immutable (content-addressed)'); END;
CREATE TRIGGER bank_versions_no_update BEFORE UPDATE ON bank_versions
BEGIN SELECT RAISE(ABORT, 'bank versions are immutable'); END;
CREATE TRIGGER bank_versions_no_delete BEFORE DELETE ON bank_versions
BEGIN SELECT RAISE(ABORT, 'bank versions are immutable'); END;
CREATE TRIGGER bank_version_items_no_update BEFORE UPDATE ON bank_version_items
BEGIN SELECT RAISE(ABORT, 'bank versions are immutable'); END;
CREATE TRIGGER bank_version_items_no_delete BEFORE DELETE ON bank_version_items
BEGIN SELECT RAISE(ABORT, 'bank versions are immutable'); END;

-- Knowledge point, difficulty and explanation are not part of an item's identity (its content hash),
-- so a corrected knowledge point must not create a "new" item; each version keeps its own copy.
ALTER TABLE bank_version_items ADD COLUMN knowledge_point TEXT;
ALTER TABLE bank_version_items ADD COLUMN difficulty INTEGER;
ALTER TABLE bank_version_items ADD COLUMN explanation TEXT;

-- Pool-clash checks (考培分离) and the practice filter look items up by hash across versions.
CREATE INDEX bank_version_items_hash ON bank_version_items (item_hash, version_id);

-- A retired item stays retired in its pool: re-importing an old file must not bring it back.
CREATE TABLE bank_retirements (
  id INTEGER PRIMARY KEY,
  category TEXT NOT NULL REFERENCES categories(code),
  pool TEXT NOT NULL CHECK (pool IN ('exam', 'practice')),
  item_hash TEXT NOT NULL REFERENCES bank_items(content_hash),
  version_id INTEGER NOT NULL REFERENCES bank_versions(id),   -- the version the retirement created
  reason TEXT NOT NULL,
  retired_by TEXT NOT NULL,
  retired_at INTEGER NOT NULL,
  UNIQUE (category, pool, item_hash)
);

-- Every import attempt, refused ones included (who, when, what file, what came of it).
CREATE TABLE bank_imports (
  id INTEGER PRIMARY KEY,
  file_name TEXT NOT NULL,
  file_sha256 TEXT NOT NULL,
  file_bytes INTEGER NOT NULL,
  format TEXT,
  category TEXT,
  pool TEXT,
  mode TEXT NOT NULL CHECK (mode IN ('append', 'replace')),
  outcome TEXT NOT NULL CHECK (outcome IN ('imported', 'unchanged', 'refused')),
  imported INTEGER NOT NULL,
  skipped INTEGER NOT NULL,
  problems TEXT NOT NULL,              -- JSON array, the first 200 problems
  version_id INTEGER REFERENCES bank_versions(id),
  actor TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  finished_at INTEGER NOT NULL
);
CREATE INDEX bank_imports_time ON bank_imports (finished_at);

-- Blueprints are immutable rows; retiring one only hides it from new sessions.
ALTER TABLE blueprints ADD COLUMN retired_at INTEGER;
ALTER TABLE blueprints ADD COLUMN retired_by TEXT;
