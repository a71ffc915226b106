-- The regulator's one view over every centre (issue 14, H3): sessions known from notices and archives, the
-- people in them, the archives received with their verdicts, anomalies, cross-centre findings and cases.
-- Sittings are the big table (a few hundred thousand a year per province): every search path has an index.

CREATE TABLE reg_sessions (
  id INTEGER PRIMARY KEY,
  centre_id INTEGER NOT NULL REFERENCES reg_centres(id),
  session_code TEXT NOT NULL,
  name TEXT,
  category TEXT NOT NULL,
  state TEXT NOT NULL,
  scheduled_start INTEGER NOT NULL,
  scheduled_end INTEGER NOT NULL,
  -- YYYY-MM-DD of scheduled_start in China Standard Time: the exam day every date rule uses.
  exam_date TEXT NOT NULL,
  last_notice_at INTEGER,
  archive_id INTEGER,
  UNIQUE (centre_id, session_code)
);
CREATE INDEX reg_sessions_end ON reg_sessions(scheduled_end);

CREATE TABLE reg_sittings (
  id INTEGER PRIMARY KEY,
  session_id INTEGER NOT NULL REFERENCES reg_sessions(id),
  centre_id INTEGER NOT NULL,
  id_number TEXT NOT NULL,
  name TEXT NOT NULL,
  category TEXT NOT NULL,
  exam_date TEXT NOT NULL,
  training_org_name TEXT,
  training_org_credit TEXT,
  score REAL,
  max_score REAL,
  passed INTEGER,
  UNIQUE (session_id, id_number)
);
CREATE INDEX reg_sittings_id_number ON reg_sittings(id_number, exam_date);
CREATE INDEX reg_sittings_name ON reg_sittings(name, exam_date);
CREATE INDEX reg_sittings_centre ON reg_sittings(centre_id, exam_date);
CREATE INDEX reg_sittings_category ON reg_sittings(category, exam_date);
CREATE INDEX reg_sittings_date ON reg_sittings(exam_date);
CREATE INDEX reg_sittings_org ON reg_sittings(training_org_credit);

CREATE TABLE reg_staff_duties (
  session_id INTEGER NOT NULL REFERENCES reg_sessions(id),
  centre_id INTEGER NOT NULL,
  id_number TEXT NOT NULL,
  name TEXT NOT NULL,
  duty TEXT NOT NULL,
  exam_date TEXT NOT NULL,
  PRIMARY KEY (session_id, id_number, duty)
);
CREATE INDEX reg_staff_duties_id_number ON reg_staff_duties(id_number);

CREATE TABLE reg_anomalies (
  id INTEGER PRIMARY KEY,
  session_id INTEGER NOT NULL REFERENCES reg_sessions(id),
  source TEXT NOT NULL CHECK (source IN ('archive', 'notice')),
  kind TEXT NOT NULL,
  id_number TEXT,
  name TEXT,
  detail TEXT NOT NULL,
  at INTEGER
);
CREATE INDEX reg_anomalies_session ON reg_anomalies(session_id);

-- Every archive received, kept (the file under <regdata>/archives/<centre>/) with what verifying it said.
CREATE TABLE reg_archives (
  id INTEGER PRIMARY KEY,
  centre_id INTEGER NOT NULL REFERENCES reg_centres(id),
  session_id INTEGER REFERENCES reg_sessions(id),
  session_code TEXT NOT NULL,
  file_name TEXT NOT NULL,
  stored_path TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  sha256_matches_message INTEGER NOT NULL,
  size INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('VALID', 'INVALID', 'INCOMPLETE')),
  report_json TEXT NOT NULL,
  verified_fingerprint TEXT NOT NULL,
  embedded_fingerprint TEXT,
  embedded_matches_pin INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  via TEXT NOT NULL CHECK (via IN ('link', 'bundle')),
  seq INTEGER NOT NULL
);
CREATE INDEX reg_archives_session ON reg_archives(session_id);
CREATE TRIGGER reg_archives_no_delete BEFORE DELETE ON reg_archives
BEGIN SELECT RAISE(ABORT, 'a received archive is kept'); END;

-- Cross-centre findings: `key` names the pair of records, so a re-run finds nothing twice.
CREATE TABLE reg_findings (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  key TEXT NOT NULL UNIQUE,
  summary TEXT NOT NULL,
  a_json TEXT NOT NULL,
  b_json TEXT NOT NULL,
  found_at INTEGER NOT NULL
);

CREATE TABLE reg_cases (
  id INTEGER PRIMARY KEY,
  finding_id INTEGER NOT NULL UNIQUE REFERENCES reg_findings(id),
  measure TEXT NOT NULL,
  responsible TEXT NOT NULL,
  deadline TEXT NOT NULL,
  note TEXT,
  opened_by TEXT NOT NULL,
  opened_at INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'open'
);
CREATE TRIGGER reg_cases_no_delete BEFORE DELETE ON reg_cases
BEGIN SELECT RAISE(ABORT, 'a case is closed, never deleted'); END;
