-- Issue 13 holes 4, 11, 12: who set each password, token versions, revocations by document, settings floors.

-- Every change that must end a person's tokens (password, roles, disabled) bumps token_version; a staff token
-- carries the version it was issued under and is refused once the row moved on (auth/staff-tokens.ts).
ALTER TABLE staff ADD COLUMN token_version INTEGER NOT NULL DEFAULT 0;
-- Who chose the current password: 'self' once the person set it themselves, otherwise the actor that set it
-- ('staff:N', 'system:…'). The record holds only for the hash it was written with (password_set_for): a hash
-- changed by any path that did not say who set it (a hand edit, an older build) is of unknown origin, and the
-- custodian rules treat an unknown hand as one that may know the password. Accounts older than this
-- migration start unknown.
ALTER TABLE staff ADD COLUMN password_set_by TEXT;
ALTER TABLE staff ADD COLUMN password_set_for TEXT;
ALTER TABLE staff ADD COLUMN password_set_at INTEGER;

-- The trigger, not each code path, ends the tokens: a CLI, a future route or a hand edit of the row all count.
CREATE TRIGGER staff_token_version_bump AFTER UPDATE OF password_hash, password_salt, roles, disabled ON staff
WHEN NEW.password_hash IS NOT OLD.password_hash OR NEW.password_salt IS NOT OLD.password_salt
  OR NEW.roles IS NOT OLD.roles OR NEW.disabled IS NOT OLD.disabled
BEGIN
  UPDATE staff SET token_version = OLD.token_version + 1 WHERE id = NEW.id;
END;

-- Revoking a disciplinary or dishonesty record names the authority and the document that revoke it.
ALTER TABLE disciplinary_records ADD COLUMN revoke_authority TEXT;
ALTER TABLE disciplinary_records ADD COLUMN revoke_document_no TEXT;
ALTER TABLE dishonesty_records ADD COLUMN revoke_authority TEXT;
ALTER TABLE dishonesty_records ADD COLUMN revoke_document_no TEXT;
CREATE TRIGGER disciplinary_records_revoke_by_document BEFORE UPDATE ON disciplinary_records
WHEN NEW.revoked_at IS NOT NULL AND OLD.revoked_at IS NULL
  AND (NEW.revoke_authority IS NULL OR NEW.revoke_document_no IS NULL)
BEGIN SELECT RAISE(ABORT, 'a revocation names the revoking authority and document'); END;
CREATE TRIGGER dishonesty_records_revoke_by_document BEFORE UPDATE ON dishonesty_records
WHEN NEW.revoked_at IS NOT NULL AND OLD.revoked_at IS NULL
  AND (NEW.revoke_authority IS NULL OR NEW.revoke_document_no IS NULL)
BEGIN SELECT RAISE(ABORT, 'a revocation names the revoking authority and document'); END;

-- Settings saved below the floors (integrity-settings.ts) before the floors existed are raised to them.
UPDATE integrity_settings SET body = json_set(body,
  '$.organisationBanYears', max(3, coalesce(json_extract(body, '$.organisationBanYears'), 3)),
  '$.requireDeclaration', json('true'),
  '$.qualificationRequiredFor', json('["chief_examiner","proctor","examiner"]'));
