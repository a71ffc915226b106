import type { Db } from '../db/open';
import { canonicalJson, sha256Hex } from '../shared/canonical-json';
import type { Paper } from './draw';

export class PapersRepo {
  constructor(private readonly db: Db) {}

  save(registrationId: number, paper: Paper, now: number): string {
    const content = canonicalJson(paper);
    const hash = sha256Hex(content);
    this.db
      .prepare('INSERT INTO papers (registration_id, content, content_hash, created_at) VALUES (?, ?, ?, ?)')
      .run(registrationId, content, hash, now);
    return hash;
  }

  get(registrationId: number): { paper: Paper; hash: string } | undefined {
    const row = this.db
      .prepare<[number], { content: string; content_hash: string }>(
        'SELECT content, content_hash FROM papers WHERE registration_id = ?',
      )
      .get(registrationId);
    return row && { paper: JSON.parse(row.content) as Paper, hash: row.content_hash };
  }

  countForSession(sessionId: number): number {
    return (
      this.db
        .prepare(
          'SELECT count(*) AS n FROM papers p JOIN registrations r ON r.id = p.registration_id WHERE r.session_id = ?',
        )
        .get(sessionId) as { n: number }
    ).n;
  }
}
