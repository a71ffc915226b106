-- Insider: 0009 stops an answer being changed or removed after submission, but a row for a question the
-- candidate left blank could still be inserted afterwards (a blank filled in for them). Nothing legitimate
-- writes a save once the attempt is submitted: the save path refuses it first and keeps it as a late answer.
CREATE TRIGGER answers_no_insert_after_submit BEFORE INSERT ON answers
WHEN EXISTS (SELECT 1 FROM attempts WHERE registration_id = NEW.registration_id AND submitted_at IS NOT NULL)
BEGIN SELECT RAISE(ABORT, 'answers are closed: the attempt is submitted'); END;
CREATE TRIGGER answer_history_no_insert_after_submit BEFORE INSERT ON answer_history
WHEN EXISTS (SELECT 1 FROM attempts WHERE registration_id = NEW.registration_id AND submitted_at IS NOT NULL)
BEGIN SELECT RAISE(ABORT, 'answer_history is closed: the attempt is submitted'); END;
