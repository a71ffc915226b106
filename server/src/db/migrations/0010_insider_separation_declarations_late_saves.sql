-- Issue 13, holes 3, 8 and 9 (insider-proof): 考培分离 across categories, retracted declarations,
-- late answers kept as evidence. Times are integer milliseconds since the epoch (UTC).

-- Hole 3. What a candidate sees and the key, wherever the item is filed (bank-format.ts itemClashHash).
-- The content hash stays the item's identity (papers and archives re-derive from it); this side table is
-- what the exam/practice clash check and the practice filter compare, across every category. SQL cannot
-- compute the hash, so rows for items stored before this migration are filled in at start-up by
-- BankRepo.backfillClashHashes (BankService's constructor), and the practice filter leaves out any
-- item that has no row (fail closed).
CREATE TABLE bank_item_clash (
  content_hash TEXT PRIMARY KEY REFERENCES bank_items(content_hash),
  clash_hash TEXT NOT NULL
);
CREATE INDEX bank_item_clash_hash ON bank_item_clash (clash_hash);
CREATE TRIGGER bank_item_clash_no_update BEFORE UPDATE ON bank_item_clash
BEGIN SELECT RAISE(ABORT, 'bank items are immutable (content-addressed)'); END;
CREATE TRIGGER bank_item_clash_no_delete BEFORE DELETE ON bank_item_clash
BEGIN SELECT RAISE(ABORT, 'bank items are immutable (content-addressed)'); END;

-- Hole 9. A relationship or training engagement dropped from a later declaration version keeps counting
-- for 回避 / 考培分离 until an admin reviews its removal (declarations.service.ts reviewRemoval). One row
-- per reviewed removal: the item as last declared, and the version that dropped it. Evidence: append-only.
CREATE TABLE declaration_removal_reviews (
  id INTEGER PRIMARY KEY,
  staff_id INTEGER NOT NULL REFERENCES staff(id),
  part TEXT NOT NULL CHECK (part IN ('relationship', 'engagement')),
  item_key TEXT NOT NULL,                -- what identifies the item across versions (kind, person, org, dates)
  item_id INTEGER NOT NULL,              -- the relationship or engagement row of the last version declaring it
  removed_in_declaration_id INTEGER NOT NULL REFERENCES declarations(id),
  reason TEXT NOT NULL,
  reviewed_by TEXT NOT NULL,
  reviewed_at INTEGER NOT NULL,
  UNIQUE (staff_id, part, item_key, removed_in_declaration_id)
);
CREATE TRIGGER declaration_removal_reviews_no_update BEFORE UPDATE ON declaration_removal_reviews
BEGIN SELECT RAISE(ABORT, 'declarations are append-only'); END;
CREATE TRIGGER declaration_removal_reviews_no_delete BEFORE DELETE ON declaration_removal_reviews
BEGIN SELECT RAISE(ABORT, 'declarations are append-only'); END;

-- Hole 8. Saves refused because the time was up or the paper already submitted (a browser offline at zero
-- replaying its queue after the sweep): never graded, but kept as evidence for the proctor and logged on
-- the session chain with their content hash. One row per distinct save; a replayed duplicate adds nothing.
CREATE TABLE late_answers (
  id INTEGER PRIMARY KEY,
  registration_id INTEGER NOT NULL REFERENCES registrations(id),
  session_id INTEGER NOT NULL REFERENCES sessions(id),
  position INTEGER NOT NULL,
  choice TEXT NOT NULL,                  -- JSON array of option indexes, as sent
  seq INTEGER NOT NULL,
  choice_hash TEXT NOT NULL,             -- SHA-256 of the choice JSON, as in answer.saved events
  reason TEXT NOT NULL CHECK (reason IN ('time-up', 'already-submitted')),
  received_at INTEGER NOT NULL,
  UNIQUE (registration_id, position, seq, choice_hash)
);
CREATE INDEX late_answers_session ON late_answers (session_id, id);
CREATE TRIGGER late_answers_no_update BEFORE UPDATE ON late_answers
BEGIN SELECT RAISE(ABORT, 'late answers are evidence (append-only)'); END;
CREATE TRIGGER late_answers_no_delete BEFORE DELETE ON late_answers
BEGIN SELECT RAISE(ABORT, 'late answers are evidence (append-only)'); END;
