import type { Db } from '../db/open';
import { verifyInstitutionSignature, type InstitutionKey } from '../shared/institution-key';
import type { Clock } from '../shared/clock';
import { AuditQueryRepo, type EventFilter } from './audit-query.repo';
import { ChainHeadsRepo, headMessage, type SignedHead } from './chain-heads.repo';
import { checkChain, type ChainBreak } from './chain-verify';
import { EventsRepo, INSTITUTION_CHAIN, type StoredEvent } from './events.repo';

export type HeadCheck = {
  seq: number;
  hash: string;
  at: number;
  reason: string;
  signatureOk: boolean;
  inChain: boolean;
};

export type ChainVerification = {
  chain: string;
  ok: boolean;
  events: number;
  head: { seq: number; hash: string };
  broken: ChainBreak | null;
  signedHeads: HeadCheck[];
  problems: string[];
  keyFingerprint: string;
  verifiedAt: number;
};

/** Checks signed heads against the recomputed chain: each must sign the hash the chain had at that seq. */
export function checkHeads(
  events: StoredEvent[],
  heads: SignedHead[],
  verify: (msg: string, sig: Buffer) => boolean,
): HeadCheck[] {
  const bySeq = new Map<number, string>();
  for (const e of events) bySeq.set(e.seq, e.hash);
  return heads.map((h) => ({
    seq: h.seq,
    hash: h.hash,
    at: h.at,
    reason: h.reason,
    signatureOk: verify(headMessage(h.chain, h.seq, h.hash), Buffer.from(h.signature, 'base64')),
    inChain: h.seq === 0 || bySeq.get(h.seq) === h.hash,
  }));
}

/** Audit rules: chain-head signing, chain verification, the officials' event queries and view logging. */
export class AuditService {
  readonly query: AuditQueryRepo;
  readonly heads: ChainHeadsRepo;
  private readonly events: EventsRepo;
  // One 'official.viewed' per official, path and minute: live pages refetch on every change (issue 7).
  private readonly recentViews = new Map<string, number>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly key: InstitutionKey,
  ) {
    this.query = new AuditQueryRepo(db);
    this.heads = new ChainHeadsRepo(db);
    this.events = new EventsRepo(db);
  }

  get keyFingerprint(): string {
    return this.key.fingerprint;
  }

  /**
   * Signs the chain's current head with the institution key. Called inside the transition's transaction so
   * the signature covers the transition event itself (design.md: heads signed at each transition).
   */
  signHead(chain: string, reason: string): SignedHead {
    const { seq, hash } = this.events.chainHead(chain);
    const signature = this.key.sign(headMessage(chain, seq, hash)).toString('base64');
    return this.heads.insert({
      chain,
      seq,
      hash,
      signature,
      keyFingerprint: this.key.fingerprint,
      reason,
      at: this.clock.now(),
    });
  }

  verify(chain: string): ChainVerification {
    const events = this.query.all(chain);
    const result = checkChain(events, chain);
    const heads = checkHeads(events, this.heads.list(chain), (msg, sig) =>
      verifyInstitutionSignature(this.key.publicKey, msg, sig),
    );
    const problems: string[] = [];
    if (result.broken) problems.push(`event seq ${result.broken.seq}: ${result.broken.reason}`);
    for (const h of heads) {
      if (!h.signatureOk) problems.push(`signed head at seq ${h.seq}: signature invalid`);
      if (!h.inChain) problems.push(`signed head at seq ${h.seq}: hash differs from the chain (events rewritten)`);
    }
    return {
      chain,
      ok: problems.length === 0,
      events: result.events,
      head: result.head,
      broken: result.broken,
      signedHeads: heads,
      problems,
      keyFingerprint: this.key.fingerprint,
      verifiedAt: this.clock.now(),
    };
  }

  find(filter: EventFilter): StoredEvent[] {
    return this.query.find(filter);
  }

  /** 'Every page an official opens is logged' (issue 7), on the institution chain. */
  recordOfficialView(staffId: number, path: string, query: Record<string, unknown>): void {
    const now = this.clock.now();
    const key = `${staffId} ${path} ${JSON.stringify(query)}`;
    const last = this.recentViews.get(key);
    if (last !== undefined && now - last < 60_000) return;
    this.recentViews.set(key, now);
    if (this.recentViews.size > 5000) this.recentViews.clear();
    this.db.transaction(() => {
      this.events.append({
        chain: INSTITUTION_CHAIN,
        at: now,
        actor: `staff:${staffId}`,
        type: 'official.viewed',
        payload: { path, query },
      });
    })();
  }
}
