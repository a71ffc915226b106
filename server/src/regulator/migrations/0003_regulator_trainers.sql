-- Where people declared teaching, as each centre told it in its session notices (issue 14, 考培分离 across
-- institutions). One set per centre and person: the declaration in force at that centre's latest notice naming
-- them (a later notice replaces the set). A finding already made from an earlier set is kept in reg_findings.

CREATE TABLE reg_training_engagements (
  id INTEGER PRIMARY KEY,
  centre_id INTEGER NOT NULL REFERENCES reg_centres(id),
  id_number TEXT NOT NULL,
  name TEXT NOT NULL,
  org_name TEXT NOT NULL,
  org_credit TEXT,
  from_date TEXT NOT NULL,
  to_date TEXT,                        -- NULL: still teaching there
  told_at INTEGER NOT NULL
);
CREATE INDEX reg_training_engagements_person ON reg_training_engagements(id_number, centre_id);
