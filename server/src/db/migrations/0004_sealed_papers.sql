-- Sealed papers (保密管理): papers are stored only as AES-256-GCM ciphertext under a per-session data key
-- that is never stored; it is re-created from the two custodians' codes at opening.

-- One row per sealing of a session; a reseal voids the previous row and adds a new one.
CREATE TABLE seals (
  id INTEGER PRIMARY KEY,
  uid TEXT NOT NULL UNIQUE,              -- random, bound into every ciphertext's additional data
  session_id INTEGER NOT NULL REFERENCES sessions(id),
  state TEXT NOT NULL CHECK (state IN ('sealed', 'opened', 'voided')),
  manifest TEXT NOT NULL,                -- canonical JSON, exactly the signed bytes
  manifest_hash TEXT NOT NULL,           -- SHA-256 of manifest, hex
  signature TEXT NOT NULL,               -- Ed25519 over manifest, base64
  key_fingerprint TEXT NOT NULL,         -- institution public key that signed
  seed_hash TEXT NOT NULL,               -- SHA-256 of the draw seed (also in the manifest)
  sealed_seed BLOB NOT NULL,             -- iv ‖ tag ‖ ciphertext of the seed under the data key
  kdf_salt BLOB NOT NULL,                -- scrypt salt for deriving the data key from the two codes
  custodian_a INTEGER NOT NULL REFERENCES staff(id),
  custodian_b INTEGER NOT NULL REFERENCES staff(id),
  sealed_at INTEGER NOT NULL,
  sealed_by TEXT NOT NULL,
  seed TEXT,                             -- disclosed at opening (hex), so anyone can re-derive the papers
  wrapped_key BLOB,                      -- after opening: data key under the server key, to survive a restart
  opened_at INTEGER,
  opened_by TEXT,
  voided_at INTEGER,
  void_reason TEXT,
  CHECK (custodian_a <> custodian_b)
);
-- At most one live (sealed or opened) seal per session.
CREATE UNIQUE INDEX seals_live_per_session ON seals (session_id) WHERE state <> 'voided';

CREATE TABLE sealed_papers (
  seal_id INTEGER NOT NULL REFERENCES seals(id),
  registration_id INTEGER NOT NULL REFERENCES registrations(id),
  iv BLOB NOT NULL,
  tag BLOB NOT NULL,
  ciphertext BLOB NOT NULL,
  ciphertext_hash TEXT NOT NULL,         -- SHA-256 over iv ‖ tag ‖ ciphertext, listed in the signed manifest
  PRIMARY KEY (seal_id, registration_id)
);
CREATE INDEX sealed_papers_registration ON sealed_papers (registration_id);

-- The skeleton's plaintext papers table must not exist: a copy of the database before opening reveals no
-- paper (design.md, Trust boundaries).
DROP TABLE papers;
