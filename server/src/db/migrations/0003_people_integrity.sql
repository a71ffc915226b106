-- People and integrity rules (issue 5): organisations, staff profiles, declarations, disciplinary and
-- dishonesty records, session staff assignments, and the record of every integrity check.
-- Calendar dates are 'YYYY-MM-DD' in China Standard Time; instants are integer ms since the epoch (UTC).

CREATE TABLE organisations (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('exam_institution', 'training', 'employer')),
  credit_code TEXT,                    -- 统一社会信用代码, when known
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
-- The exam institution is this installation itself: there is at most one.
CREATE UNIQUE INDEX organisations_one_institution ON organisations (kind) WHERE kind = 'exam_institution';

-- Staff profile kept beside the login table of 0001 (which holds credentials only).
CREATE TABLE staff_profiles (
  staff_id INTEGER PRIMARY KEY REFERENCES staff(id),
  id_number TEXT UNIQUE,
  employer_org_id INTEGER REFERENCES organisations(id),
  cert_no TEXT,                        -- 考评人员 qualification certificate
  cert_valid_from TEXT,
  cert_valid_to TEXT,
  updated_at INTEGER NOT NULL,
  CHECK ((cert_no IS NULL) = (cert_valid_from IS NULL) AND (cert_no IS NULL) = (cert_valid_to IS NULL))
);

ALTER TABLE candidates ADD COLUMN employer_org_id INTEGER REFERENCES organisations(id);
ALTER TABLE candidates ADD COLUMN training_org_id INTEGER REFERENCES organisations(id);
ALTER TABLE candidates ADD COLUMN course_from TEXT;
ALTER TABLE candidates ADD COLUMN course_to TEXT;
ALTER TABLE candidates ADD COLUMN applied_category TEXT REFERENCES categories(code);
ALTER TABLE candidates ADD COLUMN updated_at INTEGER;
CREATE INDEX candidates_employer_org ON candidates (employer_org_id);
CREATE INDEX candidates_training_org ON candidates (training_org_id);

-- A staff member's declaration of interests (回避 / 考培分离). Each change is a new signed version;
-- the latest version is the one in force. Never updated, never deleted.
CREATE TABLE declarations (
  id INTEGER PRIMARY KEY,
  staff_id INTEGER NOT NULL REFERENCES staff(id),
  version INTEGER NOT NULL,
  statement TEXT NOT NULL,             -- the text the staff member signed off
  body_hash TEXT NOT NULL,             -- SHA-256 of the canonical JSON of the declared content
  signed_by INTEGER NOT NULL REFERENCES staff(id),
  signed_at INTEGER NOT NULL,
  recorded_by TEXT NOT NULL,
  UNIQUE (staff_id, version)
);

CREATE TABLE declaration_relationships (
  id INTEGER PRIMARY KEY,
  declaration_id INTEGER NOT NULL REFERENCES declarations(id),
  kind TEXT NOT NULL CHECK (kind IN ('relative', 'same_employer', 'trained', 'other_interest')),
  person_id_number TEXT,
  person_name TEXT,
  org_id INTEGER REFERENCES organisations(id),
  note TEXT,
  CHECK (person_id_number IS NOT NULL OR org_id IS NOT NULL)
);
CREATE INDEX declaration_relationships_decl ON declaration_relationships (declaration_id);

CREATE TABLE training_engagements (
  id INTEGER PRIMARY KEY,
  declaration_id INTEGER NOT NULL REFERENCES declarations(id),
  org_id INTEGER NOT NULL REFERENCES organisations(id),
  from_date TEXT NOT NULL,
  to_date TEXT,                        -- NULL: still teaching there
  note TEXT,
  CHECK (to_date IS NULL OR to_date >= from_date)
);
CREATE INDEX training_engagements_decl ON training_engagements (declaration_id);

-- Records the institution keeps from regulators' notices. Never deleted; a record found wrong is revoked
-- (revoked_* set once, with the document that revokes it) and stays visible.
CREATE TABLE disciplinary_records (
  id INTEGER PRIMARY KEY,
  staff_id INTEGER NOT NULL REFERENCES staff(id),
  kind TEXT NOT NULL CHECK (kind IN ('conduct', 'data_breach', 'recusal_skipped')),
  decision_date TEXT NOT NULL,
  authority TEXT NOT NULL,
  document_no TEXT NOT NULL,
  summary TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  recorded_at INTEGER NOT NULL,
  revoked_at INTEGER,
  revoked_by TEXT,
  revoke_reason TEXT
);
CREATE INDEX disciplinary_records_staff ON disciplinary_records (staff_id);

CREATE TABLE dishonesty_records (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organisations(id),
  decision_date TEXT NOT NULL,
  authority TEXT NOT NULL,
  document_no TEXT NOT NULL,
  summary TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  recorded_at INTEGER NOT NULL,
  revoked_at INTEGER,
  revoked_by TEXT,
  revoke_reason TEXT
);
CREATE INDEX dishonesty_records_org ON dishonesty_records (org_id);

CREATE TABLE session_staff (
  session_id INTEGER NOT NULL REFERENCES sessions(id),
  staff_id INTEGER NOT NULL REFERENCES staff(id),
  duty TEXT NOT NULL CHECK (duty IN ('chief_examiner', 'proctor', 'examiner')),
  assigned_at INTEGER NOT NULL,
  assigned_by TEXT NOT NULL,
  check_run_id INTEGER,                -- the integrity run that allowed it
  PRIMARY KEY (session_id, staff_id)
);
CREATE INDEX session_staff_staff ON session_staff (staff_id);

-- One row per run of the rules at an enforcement point, one row per rule checked in that run.
CREATE TABLE integrity_runs (
  id INTEGER PRIMARY KEY,
  session_id INTEGER NOT NULL REFERENCES sessions(id),
  purpose TEXT NOT NULL CHECK (purpose IN ('assign', 'register', 'open', 'custodians')),
  exam_date TEXT NOT NULL,
  subjects TEXT NOT NULL,              -- JSON: { staffIds, candidateIds, action }
  settings TEXT NOT NULL,              -- JSON: the integrity settings in force
  outcome TEXT NOT NULL CHECK (outcome IN ('pass', 'violation', 'exception')),
  at INTEGER NOT NULL,
  actor TEXT NOT NULL
);
CREATE INDEX integrity_runs_session ON integrity_runs (session_id, id);

CREATE TABLE integrity_checks (
  id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES integrity_runs(id),
  session_id INTEGER NOT NULL REFERENCES sessions(id),
  rule TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('pass', 'violation', 'exception')),
  inputs TEXT NOT NULL,                -- JSON: the facts and settings the rule looked at
  findings TEXT NOT NULL,              -- JSON array: violations (with the records behind them)
  at INTEGER NOT NULL,
  actor TEXT NOT NULL
);
CREATE INDEX integrity_checks_run ON integrity_checks (run_id);

-- A documented exception to a rule that allows one (never to a ban). candidate_id NULL: every candidate.
CREATE TABLE integrity_exceptions (
  id INTEGER PRIMARY KEY,
  session_id INTEGER NOT NULL REFERENCES sessions(id),
  code TEXT NOT NULL,
  reason TEXT NOT NULL,
  staff_id INTEGER NOT NULL REFERENCES staff(id),
  candidate_id INTEGER REFERENCES candidates(id),
  justification TEXT NOT NULL,
  approver TEXT NOT NULL,
  document_ref TEXT,
  recorded_by TEXT NOT NULL,
  recorded_at INTEGER NOT NULL
);
CREATE INDEX integrity_exceptions_session ON integrity_exceptions (session_id);

-- Editable integrity settings (one JSON document, validated by integrity/integrity-settings.ts).
CREATE TABLE integrity_settings (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  body TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);

-- Append-only, like events: declarations and check records are evidence.
CREATE TRIGGER declarations_no_update BEFORE UPDATE ON declarations
BEGIN SELECT RAISE(ABORT, 'declarations are append-only'); END;
CREATE TRIGGER declarations_no_delete BEFORE DELETE ON declarations
BEGIN SELECT RAISE(ABORT, 'declarations are append-only'); END;
CREATE TRIGGER declaration_relationships_no_update BEFORE UPDATE ON declaration_relationships
BEGIN SELECT RAISE(ABORT, 'declarations are append-only'); END;
CREATE TRIGGER declaration_relationships_no_delete BEFORE DELETE ON declaration_relationships
BEGIN SELECT RAISE(ABORT, 'declarations are append-only'); END;
CREATE TRIGGER training_engagements_no_update BEFORE UPDATE ON training_engagements
BEGIN SELECT RAISE(ABORT, 'declarations are append-only'); END;
CREATE TRIGGER training_engagements_no_delete BEFORE DELETE ON training_engagements
BEGIN SELECT RAISE(ABORT, 'declarations are append-only'); END;
CREATE TRIGGER integrity_runs_no_update BEFORE UPDATE ON integrity_runs
BEGIN SELECT RAISE(ABORT, 'integrity records are append-only'); END;
CREATE TRIGGER integrity_runs_no_delete BEFORE DELETE ON integrity_runs
BEGIN SELECT RAISE(ABORT, 'integrity records are append-only'); END;
CREATE TRIGGER integrity_checks_no_update BEFORE UPDATE ON integrity_checks
BEGIN SELECT RAISE(ABORT, 'integrity records are append-only'); END;
CREATE TRIGGER integrity_checks_no_delete BEFORE DELETE ON integrity_checks
BEGIN SELECT RAISE(ABORT, 'integrity records are append-only'); END;
CREATE TRIGGER integrity_exceptions_no_update BEFORE UPDATE ON integrity_exceptions
BEGIN SELECT RAISE(ABORT, 'integrity exceptions are append-only'); END;
CREATE TRIGGER integrity_exceptions_no_delete BEFORE DELETE ON integrity_exceptions
BEGIN SELECT RAISE(ABORT, 'integrity exceptions are append-only'); END;

-- Records are never deleted; the only change allowed is revoking once, leaving the record itself intact.
CREATE TRIGGER disciplinary_records_no_delete BEFORE DELETE ON disciplinary_records
BEGIN SELECT RAISE(ABORT, 'disciplinary records are never deleted'); END;
CREATE TRIGGER disciplinary_records_revoke_only BEFORE UPDATE ON disciplinary_records
WHEN OLD.revoked_at IS NOT NULL OR NEW.revoked_at IS NULL OR NEW.revoke_reason IS NULL
  OR NEW.staff_id IS NOT OLD.staff_id OR NEW.kind IS NOT OLD.kind OR NEW.decision_date IS NOT OLD.decision_date
  OR NEW.authority IS NOT OLD.authority OR NEW.document_no IS NOT OLD.document_no OR NEW.summary IS NOT OLD.summary
  OR NEW.recorded_by IS NOT OLD.recorded_by OR NEW.recorded_at IS NOT OLD.recorded_at
BEGIN SELECT RAISE(ABORT, 'disciplinary records may only be revoked, once'); END;
CREATE TRIGGER dishonesty_records_no_delete BEFORE DELETE ON dishonesty_records
BEGIN SELECT RAISE(ABORT, 'dishonesty records are never deleted'); END;
CREATE TRIGGER dishonesty_records_revoke_only BEFORE UPDATE ON dishonesty_records
WHEN OLD.revoked_at IS NOT NULL OR NEW.revoked_at IS NULL OR NEW.revoke_reason IS NULL
  OR NEW.org_id IS NOT OLD.org_id OR NEW.decision_date IS NOT OLD.decision_date
  OR NEW.authority IS NOT OLD.authority OR NEW.document_no IS NOT OLD.document_no OR NEW.summary IS NOT OLD.summary
  OR NEW.recorded_by IS NOT OLD.recorded_by OR NEW.recorded_at IS NOT OLD.recorded_at
BEGIN SELECT RAISE(ABORT, 'dishonesty records may only be revoked, once'); END;
