import { describe, expect, it } from 'vitest';
import { migrate } from '../db/migrate';
import { openDatabase } from '../db/open';
import { canonicalJson } from '../shared/canonical-json';
import { ManualClock } from '../shared/clock';
import { ephemeralInstitutionKey } from '../shared/institution-key';
import type { Paper } from '../papers/draw';
import { anomalySettingsSchema, detectAnomalies, poissonUpperTail, type CandidateData } from './anomalies';
import { AuditService } from './audit.service';
import { canonicalFast, checkChain, eventHashFast } from './chain-verify';
import { EventsRepo, eventHash, type StoredEvent } from './events.repo';

const setup = () => {
  const db = openDatabase(':memory:');
  migrate(db);
  const clock = new ManualClock();
  return { db, clock, events: new EventsRepo(db), audit: new AuditService(db, clock, ephemeralInstitutionKey()) };
};

describe('chain verification', () => {
  it('canonicalFast writes the same bytes as canonicalJson', () => {
    const samples: unknown[] = [
      { b: 1, a: [3, { z: null, y: 'x' }], c: undefined, d: '引号"\\n' },
      [1, 'a', null, true, { k: [] }],
      { registrationId: 3, position: 7, seq: 9, choiceHash: 'ab' },
      { nested: { deeper: { x: 1.5, a: -0, e: 1e21 } } },
      {},
    ];
    for (const s of samples) expect(canonicalFast(s)).toBe(canonicalJson(s));
    const e = { chain: 'session:1', seq: 4, at: 17, actor: 'staff:1', type: 't', payload: { z: 1, a: 'b' } };
    expect(eventHashFast('f'.repeat(64), e)).toBe(eventHash('f'.repeat(64), e));
  });

  it('names a missing, reordered or altered event', () => {
    const { events } = setup();
    for (let i = 0; i < 5; i++) events.append({ chain: 'c', at: i, actor: 'x', type: 't', payload: { i } });
    const chain = events.list('c');
    expect(checkChain(chain, 'c').broken).toBeNull();
    expect(checkChain([chain[0]!, chain[2]!], 'c').broken?.reason).toMatch(/expected seq 2/);
    const altered = chain.map((e) => ({ ...e })) as StoredEvent[];
    altered[3]!.actor = 'y';
    expect(checkChain(altered, 'c').broken).toEqual({ seq: 4, reason: 'hash does not match the event content' });
  });
});

describe('signed chain heads', () => {
  it('signs the head at a transition and verifies it against the chain', () => {
    const { events, audit } = setup();
    events.append({ chain: 'session:1', at: 1, actor: 'x', type: 'session.transition', payload: { to: 'scheduled' } });
    audit.signHead('session:1', 'session.transition:scheduled');
    events.append({ chain: 'session:1', at: 2, actor: 'x', type: 'answer.saved', payload: {} });
    const v = audit.verify('session:1');
    expect(v.ok).toBe(true);
    expect(v.signedHeads).toHaveLength(1);
    expect(v.signedHeads[0]).toMatchObject({ seq: 1, signatureOk: true, inChain: true });
  });

  it('refuses UPDATE and DELETE on the event table and on every evidence table', () => {
    const { db, events, audit } = setup();
    events.append({ chain: 'c', at: 1, actor: 'x', type: 't', payload: {} });
    audit.signHead('c', 'test');
    expect(() => db.prepare("UPDATE events SET type = 'other'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM events').run()).toThrow(/append-only/);
    expect(() => db.prepare("UPDATE chain_heads_signed SET hash = 'x'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM chain_heads_signed').run()).toThrow(/append-only/);
    for (const table of ['evidence_files', 'identity_checks', 'incidents', 'room_videos']) {
      expect(() => db.prepare(`UPDATE ${table} SET id = id`).run()).not.toThrow(); // no rows: triggers fire per row
      expect(() => db.prepare(`DELETE FROM ${table}`).run()).not.toThrow();
    }
    const triggers = db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").pluck().all() as string[];
    for (const table of ['evidence_files', 'identity_checks', 'incidents', 'room_videos', 'chain_heads_signed'])
      expect(triggers).toEqual(expect.arrayContaining([`${table}_no_update`, `${table}_no_delete`]));
  });

  it('logs an official view once per page and minute', () => {
    const { audit, clock, events } = setup();
    audit.recordOfficialView(6, '/sessions/1', {});
    audit.recordOfficialView(6, '/sessions/1', {});
    clock.advance(61_000);
    audit.recordOfficialView(6, '/sessions/1', {});
    expect(events.list('institution').filter((e) => e.type === 'official.viewed')).toHaveLength(2);
  });
});

describe('anomalies', () => {
  it('computes the Poisson upper tail', () => {
    expect(poissonUpperTail(0, 3)).toBe(1);
    expect(poissonUpperTail(1, 2)).toBeCloseTo(1 - Math.exp(-2), 12);
    expect(poissonUpperTail(20, 2)).toBeLessThan(1e-10);
  });

  const paper = (n: number): Paper => ({
    questions: Array.from({ length: n }, (_, i) => ({
      position: i + 1,
      itemHash: `item${i}`,
      type: 'single' as const,
      stem: '',
      options: ['a', 'b', 'c', 'd'],
      optionOrder: [0, 1, 2, 3],
      answer: [0],
      points: 1,
      knowledgePoint: 'k',
    })),
  });

  it('flags neighbours sharing improbable identical wrong answers, fast runs and focus losses', () => {
    const p = paper(40);
    const people: CandidateData[] = Array.from({ length: 10 }, (_, k) => ({
      registrationId: k + 1,
      seatNo: k + 1,
      name: `c${k}`,
      paper: p,
      // everyone answers right except a rotating wrong option on a few items
      answers: new Map(
        p.questions.map((q) => [q.position, (q.position + k) % 7 === 0 ? [1 + ((q.position + k) % 3)] : [0]]),
      ),
      saves: Array.from({ length: 40 }, (_, i) => ({ at: i * 20_000, position: i + 1 })),
      signals: 0,
    }));
    // seat 5 copies seat 4's answers and adds 12 shared wrong answers; seat 9 answers every 1 s; seat 2 leaves the window
    const wrong = new Map(p.questions.map((q) => [q.position, q.position <= 12 ? [3] : [0]]));
    people[3]!.answers = new Map(wrong);
    people[4]!.answers = new Map(wrong);
    people[8]!.saves = Array.from({ length: 40 }, (_, i) => ({ at: i * 1000, position: i + 1 }));
    people[1]!.signals = 9;
    const found = detectAnomalies(people, anomalySettingsSchema.parse({}));
    expect(found.find((a) => a.kind === 'focus-loss')).toMatchObject({ seatNo: 2, count: 9 });
    expect(found.find((a) => a.kind === 'fast-answers')).toMatchObject({ seatNo: 9, run: 40 });
    const pair = found.find((a) => a.kind === 'identical-wrong');
    expect(pair).toMatchObject({ a: { seatNo: 4 }, b: { seatNo: 5 }, neighbours: true, identicalWrong: 12 });
    expect(found.filter((a) => a.kind === 'identical-wrong')).toHaveLength(1);
  });
});

describe('archived chain format', () => {
  it('verifies lines by their stored bytes and names a changed, missing, reordered or foreign line', async () => {
    const { checkChainLines, formatChainLine, parseChainLines } = await import('./chain-verify');
    const { events } = setup();
    for (let i = 0; i < 6; i++)
      events.append({ chain: 'session:9', at: i, actor: 'x', type: 't', payload: { i, s: '引号"' } });
    const lines = events.list('session:9').map(formatChainLine);
    expect(checkChainLines(lines, 'session:9').broken).toBeNull();
    expect(parseChainLines(lines).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    const changed = [...lines];
    changed[2] = changed[2]!.replace('"i":2', '"i":7');
    expect(checkChainLines(changed, 'session:9').broken).toEqual({
      seq: 3,
      reason: 'hash does not match the event content',
    });
    expect(checkChainLines([lines[0]!, lines[2]!], 'session:9').broken?.seq).toBe(2);
    expect(checkChainLines([lines[1]!, lines[0]!], 'session:9').broken?.seq).toBe(1);
    expect(checkChainLines(lines, 'session:8').broken?.reason).toBe('event belongs to another chain');
  });
});
