import { describe, expect, it } from 'vitest';
import { migrate } from '../db/migrate';
import { openDatabase } from '../db/open';
import { EventsRepo, verifyChain } from './events.repo';

const setup = () => {
  const db = openDatabase(':memory:');
  migrate(db);
  return { db, events: new EventsRepo(db) };
};

describe('event log', () => {
  it('chains each event to the previous one of its chain', () => {
    const { events } = setup();
    events.append(
      { chain: 'session:1', at: 1, actor: 'system', type: 'a', payload: { n: 1 } },
      { chain: 'institution', at: 2, actor: 'system', type: 'b', payload: {} },
      { chain: 'session:1', at: 3, actor: 'system', type: 'c', payload: { n: 2 } },
    );
    const chain = events.list('session:1');
    expect(chain.map((e) => e.seq)).toEqual([1, 2]);
    expect(chain[1]?.prevHash).toBe(chain[0]?.hash);
    expect(verifyChain(chain)).toBeNull();
  });

  it('detects a changed payload', () => {
    const { events } = setup();
    events.append({ chain: 'c', at: 1, actor: 'x', type: 't', payload: { score: 60 } });
    events.append({ chain: 'c', at: 2, actor: 'x', type: 't', payload: { score: 61 } });
    const chain = events.list('c');
    chain[0]!.payload = { score: 99 };
    expect(verifyChain(chain)).toEqual({ seq: 1, reason: 'hash does not match the event content' });
  });

  it('refuses UPDATE and DELETE on the event table', () => {
    const { db, events } = setup();
    events.append({ chain: 'c', at: 1, actor: 'x', type: 't', payload: {} });
    expect(() => db.prepare("UPDATE events SET type = 'other'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM events').run()).toThrow(/append-only/);
  });
});
