-- Grading (issue 8): results stay written once; corrections are appended beside them; release of a
-- session's results; editable grading settings (re-exam policy, item-analysis thresholds); per-question
-- graded responses for item analysis.

-- A result row is written once per attempt (0001). From here on it can be neither changed nor deleted:
-- a change is a correction row with its reason, and the current result is the latest correction, if any.
CREATE TRIGGER results_no_update BEFORE UPDATE ON results
BEGIN SELECT RAISE(ABORT, 'results are written once; record a correction'); END;
CREATE TRIGGER results_no_delete BEFORE DELETE ON results
BEGIN SELECT RAISE(ABORT, 'results are written once; record a correction'); END;

CREATE TABLE result_corrections (
  id INTEGER PRIMARY KEY,
  registration_id INTEGER NOT NULL REFERENCES results(registration_id),
  kind TEXT NOT NULL CHECK (kind IN ('regrade', 'cancel')),
  old_score REAL NOT NULL,
  old_passed INTEGER NOT NULL,
  new_score REAL NOT NULL,
  new_max_score REAL NOT NULL,
  new_passed INTEGER NOT NULL,
  new_correct_count INTEGER NOT NULL,
  paper_hash TEXT NOT NULL,
  answers_hash TEXT NOT NULL,
  grader_version TEXT NOT NULL,
  reason TEXT NOT NULL CHECK (length(trim(reason)) >= 4),
  corrected_by TEXT NOT NULL,
  corrected_at INTEGER NOT NULL
);
CREATE INDEX result_corrections_registration ON result_corrections (registration_id, id);
CREATE TRIGGER result_corrections_no_update BEFORE UPDATE ON result_corrections
BEGIN SELECT RAISE(ABORT, 'result corrections are append-only'); END;
CREATE TRIGGER result_corrections_no_delete BEFORE DELETE ON result_corrections
BEGIN SELECT RAISE(ABORT, 'result corrections are append-only'); END;

-- The result in force: the latest correction when there is one, else the original result.
CREATE VIEW current_results AS
SELECT r.registration_id,
  coalesce(c.new_score, r.score) AS score,
  coalesce(c.new_max_score, r.max_score) AS max_score,
  coalesce(c.new_passed, r.passed) AS passed,
  coalesce(c.new_correct_count, r.correct_count) AS correct_count,
  coalesce(c.paper_hash, r.paper_hash) AS paper_hash,
  coalesce(c.answers_hash, r.answers_hash) AS answers_hash,
  coalesce(c.grader_version, r.grader_version) AS grader_version,
  r.graded_at,
  c.id AS correction_id,
  c.kind AS correction_kind
FROM results r
LEFT JOIN result_corrections c ON c.id =
  (SELECT max(x.id) FROM result_corrections x WHERE x.registration_id = r.registration_id);

-- Release of a session's results to candidates (when the score is not shown at submission). Once only.
CREATE TABLE result_releases (
  session_id INTEGER PRIMARY KEY REFERENCES sessions(id),
  released_at INTEGER NOT NULL,
  released_by TEXT NOT NULL
);
CREATE TRIGGER result_releases_no_update BEFORE UPDATE ON result_releases
BEGIN SELECT RAISE(ABORT, 'a release is final'); END;
CREATE TRIGGER result_releases_no_delete BEFORE DELETE ON result_releases
BEGIN SELECT RAISE(ABORT, 'a release is final'); END;

-- The per-question outcome of a graded paper, written with the result: item analysis reads these instead of
-- decrypting every paper again. One row per registration (a JSON array, one tuple per question: [position,
-- item hash, type, option count, chosen options as bank-item indexes, correct 0/1, points, max points]) because
-- grading a 1,000-candidate session writes 1,000 rows, not 100,000. Derived data, re-computable from the
-- archive; replaced when a regrade is recorded.
CREATE TABLE graded_responses (
  registration_id INTEGER PRIMARY KEY REFERENCES registrations(id),
  responses TEXT NOT NULL
);

-- Editable grading settings (one JSON document, validated by grading/grading-settings.ts).
CREATE TABLE grading_settings (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  body TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);

-- Re-exam eligibility looks up a candidate's earlier registrations; reports select sessions by date.
CREATE INDEX registrations_candidate ON registrations (candidate_id);
CREATE INDEX sessions_scheduled_start ON sessions (scheduled_start);
