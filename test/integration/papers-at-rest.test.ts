import Database from 'better-sqlite3';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveDataKey, parseCustodianCode } from '../../server/src/papers/custodian-codes';
import type { Paper } from '../../server/src/papers/draw';
import { canonicalJson, sha256Hex } from '../../server/src/shared/canonical-json';
import { startTestServer, type TestServer } from '../support/test-server';

// Acceptance (issue 4): before opening, the data folder alone — database, WAL, key files — does not reveal
// which items any candidate's paper holds or in what order. We copy the folder while the server runs
// (WAL not checkpointed), then open the session, take every drawn paper and search the copy for it.

let server: TestServer;
let snapshot: string;
let papers: Paper[];
let secrets: { seed: Buffer; dataKey: Buffer };

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/** Every table of the copied database as one byte dump per table (rows in storage order). */
function tableDumps(dbFile: string): [string, Buffer][] {
  const db = new Database(dbFile, { readonly: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
    return tables.map(({ name }) => {
      const parts: Buffer[] = [];
      for (const row of db.prepare(`SELECT * FROM "${name}"`).raw().iterate() as Iterable<unknown[]>)
        for (const v of row) parts.push(Buffer.isBuffer(v) ? v : Buffer.from(String(v), 'utf8'), Buffer.from([1]));
      return [`table ${name}`, Buffer.concat(parts)];
    });
  } finally {
    db.close();
  }
}

/** Finds needles[0], then needles[1] within `window` bytes after it, and so on: a sequence in order. */
function hasSequence(hay: Buffer, needles: Buffer[], window: number): boolean {
  const [first, ...rest] = needles;
  for (let at = hay.indexOf(first!); at >= 0; at = hay.indexOf(first!, at + 1)) {
    let pos = at + first!.length;
    let ok = true;
    for (const n of rest) {
      const next = hay.indexOf(n, pos);
      if (next < 0 || next - pos > window) {
        ok = false;
        break;
      }
      pos = next + n.length;
    }
    if (ok) return true;
  }
  return false;
}

const b = (s: string) => Buffer.from(s, 'utf8');

// Five questions in a row, in paper order and close together: what any stored form of the paper (JSON, a
// list of hashes, a table in position order) would show, yet rare by chance in the bank's own order.
const RUN = 5;

/** What would give a paper away: whole or per-question JSON, its hash, a run of items or stems in paper order, shuffled options. */
function paperNeedles(p: Paper): { what: string; seq: Buffer[]; window: number }[] {
  const out: { what: string; seq: Buffer[]; window: number }[] = [];
  const canonical = canonicalJson(p);
  out.push({ what: 'paper JSON', seq: [b(canonical.slice(0, 300))], window: 0 });
  out.push({ what: 'paper hash', seq: [b(sha256Hex(canonical))], window: 0 });
  p.questions.forEach((q, i) => {
    out.push({ what: `question ${q.position} JSON`, seq: [b(canonicalJson(q))], window: 0 });
    const next = p.questions.slice(i, i + RUN);
    if (next.length === RUN) {
      out.push({ what: `item hashes from ${q.position} in order`, seq: next.map((x) => b(x.itemHash)), window: 1500 });
      out.push({ what: `stems from ${q.position} in order`, seq: next.map((x) => b(x.stem)), window: 1500 });
    }
    if (q.optionOrder.some((o, k) => o !== k)) out.push({ what: `question ${q.position} options in shown order`, seq: [b(JSON.stringify(q.options))], window: 0 });
  });
  return out;
}

beforeAll(async () => {
  server = await startTestServer({ keepData: true });
  const demo = server.demo!;
  snapshot = mkdtempSync(join(tmpdir(), 'exam-center-snapshot-'));
  cpSync(server.dataDir, snapshot, { recursive: true });

  const svc = server.app.services.papers;
  svc.openSession(demo.sessionId, { codes: demo.custodianCodes.map((c) => ({ username: c.username, code: c.code })) }, 'staff:test');
  const regs = server.db.prepare('SELECT id FROM registrations WHERE session_id = ?').all(demo.sessionId) as { id: number }[];
  papers = regs.map((r) => svc.paperFor(r.id).paper);
  const seal = server.db.prepare('SELECT seed, kdf_salt FROM seals WHERE session_id = ?').get(demo.sessionId) as { seed: string; kdf_salt: Buffer };
  const [a, bb] = demo.custodianCodes.map((c) => parseCustodianCode(c.code));
  if (!a?.ok || !bb?.ok) throw new Error('demo codes do not parse');
  secrets = { seed: Buffer.from(seal.seed, 'hex'), dataKey: deriveDataKey(a.share, bb.share, seal.kdf_salt) };
});

afterAll(async () => {
  await server?.stop();
  rmSync(server.dataDir, { recursive: true, force: true });
  rmSync(snapshot, { recursive: true, force: true });
});

describe('a copy of the data folder before opening', () => {
  it('holds the database, its WAL and the key files (what a staff member could copy)', () => {
    const names = filesUnder(snapshot).map((f) => f.slice(snapshot.length + 1));
    expect(names).toEqual(expect.arrayContaining(['exam-center.db', 'exam-center.db-wal', join('keys', 'institution-ed25519.key.pem')]));
  });

  it('contains no drawn paper, item order, option order, seed or data key in any file or table', () => {
    const haystacks: [string, Buffer][] = [
      ...filesUnder(snapshot).map((f): [string, Buffer] => [f, readFileSync(f)]),
      ...tableDumps(join(snapshot, 'exam-center.db')),
    ];
    const needles = papers.flatMap(paperNeedles);
    for (const s of [secrets.seed, secrets.dataKey])
      for (const form of [s, b(s.toString('hex')), b(s.toString('base64'))]) needles.push({ what: 'seed or data key', seq: [form], window: 0 });
    expect(needles.length).toBeGreaterThan(papers.length * 200);
    const found: string[] = [];
    for (const [where, hay] of haystacks)
      for (const n of needles) if (hasSequence(hay, n.seq, n.window)) found.push(`${n.what} in ${where}`);
    expect(found).toEqual([]);
  });

  it('the same search does find them where they are (the search itself works)', () => {
    const plain = Buffer.from(papers.map((p) => canonicalJson(p)).join('\n'), 'utf8');
    for (const n of paperNeedles(papers[0]!).filter((x) => x.what !== 'paper hash'))
      expect(hasSequence(plain, n.seq, n.window), n.what).toBe(true);
    // After opening the seed is disclosed in the database on purpose (auditors re-derive from it).
    const dumps = tableDumps(join(server.dataDir, 'exam-center.db'));
    expect(dumps.some(([, hay]) => hay.includes(b(secrets.seed.toString('hex'))))).toBe(true);
  });
});
