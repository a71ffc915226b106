-- Conduct supervision (行风监督, issue 10): candidates' satisfaction surveys and conduct reports, officials'
-- inspections and spot checks, and the rectification ledger (问题清单、举措清单、责任清单, 整改工作台账).

-- One survey per registration (满意度调查). Staff see only aggregates; officials see the rows.
CREATE TABLE conduct_surveys (
  id INTEGER PRIMARY KEY,
  registration_id INTEGER NOT NULL UNIQUE REFERENCES registrations(id),
  session_id INTEGER NOT NULL REFERENCES sessions(id),
  service INTEGER NOT NULL CHECK (service BETWEEN 1 AND 5),
  fairness INTEGER NOT NULL CHECK (fairness BETWEEN 1 AND 5),
  equipment INTEGER NOT NULL CHECK (equipment BETWEEN 1 AND 5),
  staff_conduct INTEGER NOT NULL CHECK (staff_conduct BETWEEN 1 AND 5),
  comment TEXT NOT NULL DEFAULT '',
  submitted_at INTEGER NOT NULL
);
CREATE INDEX conduct_surveys_session ON conduct_surveys (session_id);

-- Conduct reports (畅通反映渠道). Anonymous: registration_id is NULL, only the session is kept. Readable by
-- officials only. content_hash seals the text as filed; the case-opening event carries it.
CREATE TABLE conduct_reports (
  id INTEGER PRIMARY KEY,
  session_id INTEGER NOT NULL REFERENCES sessions(id),
  registration_id INTEGER REFERENCES registrations(id),
  anonymous INTEGER NOT NULL CHECK (anonymous IN (0, 1)),
  kind TEXT NOT NULL CHECK (kind IN ('money', 'coaching', 'recusal', 'other')),
  body TEXT NOT NULL,
  contact TEXT NOT NULL DEFAULT '',
  content_hash TEXT NOT NULL,
  filed_at INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'case', 'closed')),
  handled_by TEXT,
  handled_at INTEGER,
  outcome TEXT,
  CHECK (anonymous = 0 OR registration_id IS NULL)
);
CREATE INDEX conduct_reports_filed ON conduct_reports (filed_at);

-- Inspections of the institution and on-site spot checks of live sessions (现场监督抽查).
CREATE TABLE conduct_inspections (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('inspection', 'spot-check')),
  day TEXT NOT NULL,                       -- YYYY-MM-DD, Beijing time
  inspectors TEXT NOT NULL,
  areas TEXT NOT NULL,                     -- JSON array of checked areas
  session_id INTEGER REFERENCES sessions(id),
  session_event_seq INTEGER,               -- the session chain's head when the spot check was recorded
  notes TEXT NOT NULL DEFAULT '',
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  CHECK (kind = 'inspection' OR session_id IS NOT NULL)
);

-- The rectification ledger: one row per finding (problem, measure, responsible person, deadline).
CREATE TABLE conduct_ledger (
  id INTEGER PRIMARY KEY,
  inspection_id INTEGER REFERENCES conduct_inspections(id),
  report_id INTEGER REFERENCES conduct_reports(id),
  area TEXT NOT NULL,
  problem TEXT NOT NULL,
  measure TEXT NOT NULL,
  responsible TEXT NOT NULL,
  deadline TEXT NOT NULL,                  -- YYYY-MM-DD, Beijing time; overdue after that day ends
  status TEXT NOT NULL CHECK (status IN ('open', 'rectifying', 'rectified', 'verified')),
  created_by TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  verified_at INTEGER
);

CREATE TABLE conduct_ledger_steps (
  id INTEGER PRIMARY KEY,
  entry_id INTEGER NOT NULL REFERENCES conduct_ledger(id),
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  from_status TEXT,
  to_status TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX conduct_ledger_steps_entry ON conduct_ledger_steps (entry_id);

CREATE TABLE conduct_evidence (
  id INTEGER PRIMARY KEY,
  entry_id INTEGER NOT NULL REFERENCES conduct_ledger(id),
  filename TEXT NOT NULL,
  mime TEXT NOT NULL,
  size INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  content BLOB NOT NULL,
  uploaded_by TEXT NOT NULL,
  uploaded_at INTEGER NOT NULL
);

-- Officials' accounts exist only through grants signed by the regulator's key (README "Officials' accounts").
-- The newest grant per username decides; the server re-verifies it at every login.
CREATE TABLE official_grants (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL,
  issued_at INTEGER NOT NULL,
  grant_json TEXT NOT NULL,
  signature TEXT NOT NULL,
  installed_at INTEGER NOT NULL,
  UNIQUE (username, issued_at)
);
