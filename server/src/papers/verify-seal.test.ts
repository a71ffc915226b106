import { describe, expect, it } from 'vitest';
import { ephemeralInstitutionKey } from '../shared/institution-key';
import { AppError } from '../shared/errors';
import { createFixture } from './papers.fixture';
import { PapersRepo } from './papers.repo';
import { verifySeal, type SealVerification } from './verify-seal';

function setup(open: boolean) {
  const f = createFixture();
  const seal = f.papers.sealSession(f.sessionId, [f.staff.chief, f.staff.official], 'staff:1');
  if (open)
    f.papers.openSession(
      f.sessionId,
      { codes: seal.codes.map((c) => ({ staffId: c.staffId, code: c.code })) },
      'staff:1',
    );
  const sealId = new PapersRepo(f.db).latestSeal(f.sessionId)!.id;
  const verify = (wrapKey?: Buffer) =>
    verifySeal(f.db, f.sessionId, { publicKey: f.key.publicKeyPem, ...(wrapKey ? { wrapKey } : {}) });
  return { ...f, seal, sealId, verify };
}

const failed = (v: SealVerification) => v.checks.filter((c) => !c.ok).map((c) => c.name);

describe('verifySeal', () => {
  it('passes a fresh seal, with re-derivation pending until the seed is disclosed', () => {
    const f = setup(false);
    const v = f.verify();
    expect(v.ok).toBe(true);
    expect(v.checks.find((c) => c.name === 'rederive')).toMatchObject({ ok: true, skipped: true });
  });

  it('re-derives every paper after opening and matches the decrypted ones', () => {
    const f = setup(true);
    const v = f.verify(f.wrapKey);
    expect(failed(v)).toEqual([]);
    expect(v.checks.find((c) => c.name === 'rederive')!.detail).toContain('equal to the decrypted ciphertexts');
  });

  it('detects and names a tampered ciphertext', () => {
    const f = setup(false);
    const reg = f.registrations[3]!;
    const row = f.db.prepare('SELECT ciphertext FROM sealed_papers WHERE registration_id = ?').get(reg) as {
      ciphertext: Buffer;
    };
    row.ciphertext[10]! ^= 1;
    f.db.prepare('UPDATE sealed_papers SET ciphertext = ? WHERE registration_id = ?').run(row.ciphertext, reg);
    const v = f.verify();
    expect(failed(v)).toEqual(['ciphertexts']);
    expect(v.checks.find((c) => c.name === 'ciphertexts')!.detail).toContain(`registration ${reg}`);
  });

  it('detects and names a tampered manifest', () => {
    const f = setup(false);
    const { manifest } = f.db.prepare('SELECT manifest FROM seals WHERE id = ?').get(f.sealId) as { manifest: string };
    f.db
      .prepare('UPDATE seals SET manifest = ? WHERE id = ?')
      .run(manifest.replace('"seatNo":1', '"seatNo":9'), f.sealId);
    expect(failed(f.verify())).toEqual(expect.arrayContaining(['manifest', 'signature']));
  });

  it('detects and names a tampered signature (and a signature by another key)', () => {
    const f = setup(false);
    const forged = ephemeralInstitutionKey();
    const { manifest } = f.db.prepare('SELECT manifest FROM seals WHERE id = ?').get(f.sealId) as { manifest: string };
    f.db.prepare('UPDATE seals SET signature = ? WHERE id = ?').run(forged.sign(manifest).toString('base64'), f.sealId);
    expect(failed(f.verify())).toEqual(['signature']);
  });

  it('detects and names a tampered seed after opening', () => {
    const f = setup(true);
    f.db.prepare('UPDATE seals SET seed = ? WHERE id = ?').run('00'.repeat(32), f.sealId);
    const v = f.verify(f.wrapKey);
    expect(failed(v)).toEqual(expect.arrayContaining(['seed', 'rederive']));
    expect(v.checks.find((c) => c.name === 'seed')!.detail).toContain("seed's hash differs");
  });

  it('refuses to open a seal whose sealed seed was altered, naming the seed', () => {
    const f = setup(false);
    const { sealed_seed } = f.db.prepare('SELECT sealed_seed FROM seals WHERE id = ?').get(f.sealId) as {
      sealed_seed: Buffer;
    };
    sealed_seed[40]! ^= 1;
    f.db.prepare('UPDATE seals SET sealed_seed = ? WHERE id = ?').run(sealed_seed, f.sealId);
    let err: unknown;
    try {
      f.papers.openSession(
        f.sessionId,
        { codes: f.seal.codes.map((c) => ({ staffId: c.staffId, code: c.code })) },
        'staff:1',
      );
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'seal-tampered', details: { what: 'seed' } });
  });

  it('detects a bank item changed after sealing', () => {
    const f = setup(true);
    const item = f.items.find((i) => i.type === 'single')!;
    // Someone with the database file can drop the immutability trigger; the verifier must still notice.
    const triggers = f.db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'bank_items'")
      .all() as { name: string }[];
    for (const t of triggers) f.db.exec(`DROP TRIGGER ${t.name}`);
    f.db.prepare('UPDATE bank_items SET stem = ? WHERE content_hash = ?').run(item.stem + '（改）', item.contentHash);
    expect(failed(f.verify())).toContain('bank-version');
  });

  it('detects a changed seat plan', () => {
    const f = setup(false);
    f.db.prepare('UPDATE registrations SET seat_no = 99 WHERE id = ?').run(f.registrations[0]);
    expect(failed(f.verify())).toEqual(['seat-plan']);
  });
});
