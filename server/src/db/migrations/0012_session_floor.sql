-- Issue 13, "the session floor" (holes 10 and 15).

-- Extensions beyond the session's per-candidate cap wait here until a second assigned person confirms
-- (four-eyes rule: one proctor cannot keep adding time for a favoured candidate).
CREATE TABLE pending_extensions (
  id INTEGER PRIMARY KEY,
  session_id INTEGER NOT NULL REFERENCES sessions(id),
  registration_id INTEGER NOT NULL REFERENCES registrations(id),
  minutes INTEGER NOT NULL CHECK (minutes > 0),
  reason TEXT NOT NULL,
  requested_by TEXT NOT NULL,
  requested_at INTEGER NOT NULL,
  confirmed_by TEXT,
  confirmed_at INTEGER,
  CHECK (confirmed_by IS NULL OR confirmed_by <> requested_by)
);
CREATE INDEX pending_extensions_registration ON pending_extensions (registration_id);
CREATE TRIGGER pending_extensions_no_delete BEFORE DELETE ON pending_extensions
BEGIN SELECT RAISE(ABORT, 'extension requests are kept'); END;
CREATE TRIGGER pending_extensions_confirm_once BEFORE UPDATE ON pending_extensions
WHEN OLD.confirmed_by IS NOT NULL
  OR NEW.id <> OLD.id OR NEW.registration_id <> OLD.registration_id OR NEW.minutes <> OLD.minutes
  OR NEW.requested_by <> OLD.requested_by OR NEW.requested_at <> OLD.requested_at OR NEW.reason <> OLD.reason
BEGIN SELECT RAISE(ABORT, 'an extension request is confirmed once and never changed'); END;

-- 人证核验 without a registered photo: what the proctor checked instead (the ID card number read, matched
-- against the registration, and the card's photo compared with the person). 'photo' = against the registered
-- photo; NULL for failures and overrides. The number itself is not stored again (it is on the registration).
ALTER TABLE identity_checks ADD COLUMN basis TEXT CHECK (basis IN ('photo', 'id-card'));
ALTER TABLE identity_checks ADD COLUMN id_card_matched INTEGER CHECK (id_card_matched IN (0, 1));
ALTER TABLE identity_checks ADD COLUMN id_photo_compared INTEGER CHECK (id_photo_compared IN (0, 1));
