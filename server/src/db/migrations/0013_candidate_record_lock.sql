-- Insider: a candidate's identity and training record are what 人证核验 and 考培分离 were checked against.
-- Once a session that registers the candidate is sealed, changing them would let an admin swap in a
-- substitute sitter (代考: photo, name, ID number), move a pass to another person, or dodge a 考培分离
-- finding by re-filing the training organisation. The service refuses first with a clear message; this
-- trigger holds the same line for every other writer.
CREATE TRIGGER candidates_record_locked_after_seal
BEFORE UPDATE OF name, id_number, photo, employer_org_id, training_org_id, course_from, course_to ON candidates
WHEN (NEW.name IS NOT OLD.name OR NEW.id_number IS NOT OLD.id_number OR NEW.photo IS NOT OLD.photo
      OR NEW.employer_org_id IS NOT OLD.employer_org_id OR NEW.training_org_id IS NOT OLD.training_org_id
      OR NEW.course_from IS NOT OLD.course_from OR NEW.course_to IS NOT OLD.course_to)
  AND EXISTS (SELECT 1 FROM registrations r JOIN sessions s ON s.id = r.session_id
              WHERE r.candidate_id = OLD.id AND s.state NOT IN ('draft', 'scheduled'))
BEGIN
  SELECT RAISE(ABORT, 'candidate-record-locked: registered in a sealed or later session');
END;
