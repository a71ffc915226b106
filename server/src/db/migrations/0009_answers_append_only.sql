-- Issue 13 (holes 5 and 2): answers can no longer be rewritten unseen.
--
-- answer_history holds every accepted save once (INSERT OR IGNORE on (registration_id, seq)): nothing in the
-- code updates or deletes it, so both are refused outright, like the event table (0001).
--
-- answers holds the latest save per question, written by one upsert (delivery/delivery.repo.ts saveAnswer):
-- "INSERT … ON CONFLICT DO UPDATE … WHERE excluded.seq > answers.seq". That UPDATE is the only legitimate
-- change, so rather than turn answers into one row per version (answer_history already is that, and grading,
-- reports and the archive read the latest row), the trigger allows exactly it: the same registration and
-- question, a strictly newer sequence number, and an attempt not yet submitted. A rollback to an older save,
-- a change after submission (what grading read) and any DELETE are refused. The verifier (audit/archive-checks.ts)
-- still checks the archive against the chain both ways, for an insider who drops these triggers.
CREATE TRIGGER answer_history_no_update BEFORE UPDATE ON answer_history
BEGIN SELECT RAISE(ABORT, 'answer_history is append-only'); END;
CREATE TRIGGER answer_history_no_delete BEFORE DELETE ON answer_history
BEGIN SELECT RAISE(ABORT, 'answer_history is append-only'); END;

CREATE TRIGGER answers_no_delete BEFORE DELETE ON answers
BEGIN SELECT RAISE(ABORT, 'answers are append-only: a save is never removed'); END;
CREATE TRIGGER answers_no_update BEFORE UPDATE ON answers
WHEN NEW.registration_id IS NOT OLD.registration_id
  OR NEW.position IS NOT OLD.position
  OR NEW.seq <= OLD.seq
  OR EXISTS (SELECT 1 FROM attempts WHERE registration_id = OLD.registration_id AND submitted_at IS NOT NULL)
BEGIN SELECT RAISE(ABORT, 'answers are append-only: only a newer save of an unsubmitted attempt replaces an answer'); END;
