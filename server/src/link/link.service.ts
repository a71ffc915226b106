import type { KeyObject } from 'node:crypto';
import { EventsRepo, sessionChain } from '../audit/events.repo';
import { OfficialsService } from '../conduct/officials.service';
import type { Db } from '../db/open';
import type { Principal } from '../auth/tokens';
import {
  LINK_MESSAGE_BODIES,
  REGULATOR_PARTY,
  REGULATOR_TO_CENTRE,
  signedBanFreshness,
  type LinkBundleImportResult,
  type LinkMessage,
  type LinkMessageType,
  type LinkOutcome,
  type LinkStatus,
  type SignedLinkBundle,
  type SignedLinkMessage,
  type StaleListExceptionInput,
  type StaleListExceptionView,
} from '../protocol';
import type { Clock } from '../shared/clock';
import { AppError, forbidden, notFound } from '../shared/errors';
import type { InstitutionKey } from '../shared/institution-key';
import {
  banListSha256,
  bodyOf,
  bundleSignatureValid,
  freshnessValid,
  judgeLinkMessage,
  signBundle,
  signLinkMessage,
} from '../shared/link-signing';
import { LinkRepo } from './link.repo';

type StaffPrincipal = Extract<Principal, { kind: 'staff' }>;
const DAY_MS = 24 * 3600_000;
/** A freshness statement dated further ahead than this is refused: the regulator's clock is not ours to trust. */
const FUTURE_TOLERANCE_MS = 10 * 60_000;
const MAX_PER_EXCHANGE = 500;

export type LinkDeps = {
  institutionKey: InstitutionKey;
  /** The regulator's Ed25519 public key (keys/regulator.pub), read at each use so one installed later counts. */
  regulatorKey: () => KeyObject | null;
  /** EXAM_CENTER_REGULATOR_URL / EXAM_CENTER_CENTRE_CODE: when set they win over the stored identity. */
  config: { regulatorUrl: string | null; centreCode: string | null };
  /** Called after something was queued, so the exchange loop can send it soon. */
  onEnqueue?: () => void;
};

/** For H1's demo wiring: the centre's code at the regulator and where the regulator listens. */
export function setLinkIdentity(
  db: Db,
  identity: { centreCode: string | null; regulatorUrl: string | null; centreName?: string | null },
  now = Date.now(),
): void {
  new LinkRepo(db).setIdentity(identity, now);
}

/**
 * The centre's side of the regulator link (issue 14): numbered, signed messages both ways, the province ban
 * list and its freshness, stale-list exceptions. Every incoming message is judged by the one shared rule
 * (shared/link-signing.ts judgeLinkMessage) and applied in the transaction that records its number.
 */
export class LinkService {
  readonly repo: LinkRepo;
  private readonly events: EventsRepo;

  constructor(
    private readonly db: Db,
    readonly clock: Clock,
    private readonly deps: LinkDeps,
  ) {
    this.repo = new LinkRepo(db);
    this.events = new EventsRepo(db);
  }

  identity(): { centreCode: string | null; regulatorUrl: string | null } {
    const s = this.repo.state();
    return {
      centreCode: this.deps.config.centreCode ?? s.centreCode,
      regulatorUrl: this.deps.config.regulatorUrl ?? s.regulatorUrl,
    };
  }

  regulatorKey(): KeyObject | null {
    return this.deps.regulatorKey();
  }

  status(): LinkStatus {
    const s = this.repo.state();
    const id = this.identity();
    const now = this.clock.now();
    const list = this.repo.newestBanList();
    const version = list?.version ?? 0;
    const linked = id.centreCode !== null && this.regulatorKey() !== null;
    // The regulator's signed word that our newest list is current; else the list's own issue time.
    let asOf: number | null = list?.issuedAt ?? null;
    const fresh = s.freshnessJson ? signedBanFreshness.safeParse(JSON.parse(s.freshnessJson)) : null;
    if (fresh?.success) {
      const st = fresh.data.statement;
      if (st.version === version && st.listSha256 === (list?.sha256 ?? null)) asOf = Math.max(asOf ?? 0, st.asOf);
    }
    const ageDays = asOf === null ? null : Math.max(0, (now - asOf) / DAY_MS);
    return {
      linked,
      regulatorUrl: id.regulatorUrl,
      centreCode: id.centreCode,
      lastExchangeAt: s.lastExchangeAt,
      lastError: s.lastError,
      pendingOut: this.repo.outboxCountAfter(s.outAcked),
      banList: {
        version,
        issuedAt: list?.issuedAt ?? null,
        asOf,
        ageDays: ageDays === null ? null : Math.round(ageDays * 10) / 10,
        // A centre with no regulator at all is treated as stale: a real centre must be linked (issue 14).
        stale: !linked || ageDays === null || ageDays > s.maxAgeDays,
        maxAgeDays: s.maxAgeDays,
      },
    };
  }

  setMaxAgeDays(days: number): LinkStatus {
    this.repo.setMaxAgeDays(days, this.clock.now());
    return this.status();
  }

  // ---- outgoing ----

  /** Queues a message for the regulator; its number and time are fixed now, so every resend is identical. */
  enqueue<T extends LinkMessageType>(type: T, body: unknown): number {
    const parsed = LINK_MESSAGE_BODIES[type].parse(body);
    const seq = this.repo.enqueue(type, parsed, this.clock.now());
    this.deps.onEnqueue?.();
    return seq;
  }

  /** The signed messages the regulator has not acknowledged yet (null: no centre code to send them as). */
  pendingSigned(limit = MAX_PER_EXCHANGE): SignedLinkMessage[] | null {
    const code = this.identity().centreCode;
    if (!code) return null;
    return this.repo.outboxAfter(this.repo.state().outAcked, limit).map((row) => {
      const message: LinkMessage = {
        v: 1,
        kind: 'exam-center.link-message',
        from: code,
        to: REGULATOR_PARTY,
        seq: row.seq,
        sentAt: row.sentAt,
        type: row.type,
        body: JSON.parse(row.body) as unknown,
      };
      return signLinkMessage(message, this.deps.institutionKey);
    });
  }

  /** The regulator's answer for our messages: acknowledged up to the last one it applied without a gap. */
  acknowledge(outcomes: readonly LinkOutcome[]): string | null {
    let acked = this.repo.state().outAcked;
    const refused: string[] = [];
    for (const o of [...outcomes].sort((a, b) => a.seq - b.seq)) {
      if (o.status !== 'refused' && o.seq === acked + 1) acked = o.seq;
      else if (o.status === 'refused') refused.push(`#${o.seq} ${o.code}: ${o.reason}`);
    }
    this.repo.ack(acked, this.clock.now());
    return refused.length ? `regulator refused ${refused.join('; ')}` : null;
  }

  // ---- incoming ----

  /** Judges and applies the regulator's messages in order; every refusal and duplicate is logged. */
  receive(messages: readonly unknown[], via: 'link' | 'bundle'): LinkOutcome[] {
    const sorted = [...messages].sort((a, b) => seqOf(a) - seqOf(b));
    return sorted.map((raw) => this.receiveOne(raw, via));
  }

  private receiveOne(raw: unknown, via: 'link' | 'bundle'): LinkOutcome {
    const now = this.clock.now();
    const code = this.identity().centreCode;
    // Before registration the centre does not know its code: only centre.registered may name it, and its
    // handler then checks the key the regulator pinned is ours.
    const me = code ?? (typeOf(raw) === 'centre.registered' ? toOf(raw) : null) ?? '(unregistered centre)';
    return this.repo.transaction(() => {
      const judged = judgeLinkMessage(raw, {
        me,
        expectedFrom: REGULATOR_PARTY,
        senderKey: this.regulatorKey(),
        allowedTypes: REGULATOR_TO_CENTRE,
        channel: { lastSeq: this.repo.lastInboxSeq(), hashAt: (seq) => this.repo.inboxHashAt(seq) },
      });
      const o = judged.outcome;
      if (o.status === 'refused') {
        this.repo.log({
          at: now,
          via,
          seq: o.seq,
          type: typeOf(raw),
          status: 'refused',
          code: o.code,
          reason: o.reason,
        });
        return o;
      }
      const m = judged.message!;
      if (o.status === 'duplicate') {
        this.repo.log({
          at: now,
          via,
          seq: o.seq,
          type: m.type,
          status: 'duplicate',
          code: 'duplicate',
          reason: 'already applied',
        });
        return o;
      }
      // A handler that finds the content bad still consumes the message (the channel must not jam) and the
      // problem is recorded; anything but an AppError is a bug and rolls the whole message back.
      let problem: string | null = null;
      try {
        this.db.transaction(() => this.apply(m, me))();
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        problem = `${err.code}: ${err.message}`;
      }
      this.repo.recordInbox({ seq: m.seq, type: m.type, hash: judged.hash!, via, at: now, problem });
      if (problem)
        this.repo.log({ at: now, via, seq: m.seq, type: m.type, status: 'problem', code: 'rejected', reason: problem });
      return o;
    });
  }

  private apply(m: LinkMessage, me: string): void {
    const now = this.clock.now();
    switch (m.type) {
      case 'centre.registered': {
        const b = bodyOf(m, 'centre.registered');
        if (b.pinnedFingerprint !== this.deps.institutionKey.fingerprint)
          throw new AppError(
            'pinned-key-mismatch',
            `监管部门登记的机构公钥指纹 ${b.pinnedFingerprint} 与本机构 ${this.deps.institutionKey.fingerprint} 不符`,
          );
        if (b.centreCode !== me)
          throw new AppError('centre-code-mismatch', `登记消息的机构代码 ${b.centreCode} 与收件人 ${me} 不符`);
        this.repo.setIdentity({ centreCode: b.centreCode, centreName: b.name }, now);
        return;
      }
      case 'official.grant': {
        // Verified against the regulator key read now (the message itself was), not one cached at start-up.
        new OfficialsService(this.db, this.clock, this.regulatorKey()).install(
          bodyOf(m, 'official.grant').grant,
          'regulator:link',
        );
        return;
      }
      case 'bans.list': {
        const b = bodyOf(m, 'bans.list');
        const newest = this.repo.newestBanList();
        if (newest && b.version <= newest.version)
          throw new AppError('ban-list-not-newer', `禁入名单第 ${b.version} 版不新于已有的第 ${newest.version} 版`);
        this.repo.insertBanList(b, banListSha256(b), now);
        return;
      }
      default:
        throw new AppError('wrong-direction', `${m.type} is not for a centre`);
    }
  }

  /** Keeps the newest valid freshness statement about this centre; refuses (and logs) any other. */
  acceptFreshness(raw: unknown, via: 'link' | 'bundle'): boolean {
    if (raw === null || raw === undefined) return false;
    const now = this.clock.now();
    const f = signedBanFreshness.safeParse(raw);
    const key = this.regulatorKey();
    const code = this.identity().centreCode;
    let reason: string | null = null;
    if (!f.success) reason = 'malformed freshness statement';
    else if (!key || !freshnessValid(f.data, key)) reason = 'freshness not signed by the regulator key';
    else if (f.data.statement.centreCode !== code) reason = `freshness for ${f.data.statement.centreCode}, not ${code}`;
    else if (f.data.statement.asOf > now + FUTURE_TOLERANCE_MS) reason = 'freshness dated in the future';
    if (reason !== null || !f.success) {
      this.repo.log({
        at: now,
        via,
        seq: 0,
        type: 'bans.freshness',
        status: 'refused',
        code: 'bad-freshness',
        reason: reason ?? '',
      });
      return false;
    }
    const current = this.repo.state().freshnessAsOf ?? 0;
    // An older statement (a bundle carried late) never replaces a newer one.
    if (f.data.statement.asOf < current) return false;
    this.repo.setFreshness(JSON.stringify(f.data), f.data.statement.asOf, now);
    return true;
  }

  // ---- bundles (USB stick) ----

  exportBundle(): SignedLinkBundle {
    const code = this.identity().centreCode;
    if (!code) throw new AppError('centre-not-registered', '本机构尚未在监管部门登记（无机构代码）', 409);
    return signBundle(
      {
        v: 1,
        kind: 'exam-center.link-bundle',
        from: code,
        to: REGULATOR_PARTY,
        createdAt: this.clock.now(),
        received: this.repo.lastInboxSeq(),
        messages: this.pendingSigned(100_000) ?? [],
        freshness: null,
      },
      this.deps.institutionKey,
    );
  }

  importBundle(signed: SignedLinkBundle): LinkBundleImportResult {
    const now = this.clock.now();
    const b = signed.bundle;
    const key = this.regulatorKey();
    const code = this.identity().centreCode;
    const refuse = (c: string, reason: string): never => {
      this.repo.log({ at: now, via: 'bundle', seq: 0, type: 'bundle', status: 'refused', code: c, reason });
      throw new AppError(c, reason, 400);
    };
    if (b.from !== REGULATOR_PARTY) refuse('wrong-sender', `bundle from ${b.from}, not the regulator`);
    if (code !== null && b.to !== code) refuse('wrong-recipient', `bundle for ${b.to}, not ${code}`);
    if (!key) refuse('no-regulator-key', 'no regulator public key installed (keys/regulator.pub)');
    if (!bundleSignatureValid(signed, key!)) refuse('bad-signature', 'bundle not signed by the regulator key');
    const outcomes = this.receive(b.messages, 'bundle');
    // `received` acknowledges our messages the regulator applied (never moves the ack back).
    this.repo.ack(Math.min(b.received, this.repo.outboxCountAfter(0)), now);
    const freshnessAccepted = this.acceptFreshness(b.freshness, 'bundle');
    return {
      outcomes: outcomes.map((o) => (o.status === 'refused' ? { ...o } : { seq: o.seq, status: o.status })),
      freshnessAccepted,
      status: this.status(),
    };
  }

  log(limit?: number) {
    return this.repo.logRows(limit);
  }

  // ---- stale list: the opening guard and its exception ----

  /** Opening on a stale list needs a fresh one or an exception for that session (issue 14). */
  checkOpening(sessionId: number): void {
    const st = this.status();
    if (!st.banList.stale || this.repo.hasStaleException(sessionId)) return;
    throw new AppError(
      'ban-list-stale',
      st.linked
        ? `禁入名单已 ${st.banList.ageDays ?? '∞'} 天未更新（上限 ${st.banList.maxAgeDays} 天）：请与监管部门同步，或由管理员/本场主考记录例外后启封`
        : '本机构未连接监管部门，没有有效的禁入名单：请连接监管部门，或由管理员/本场主考记录例外后启封',
      409,
      { banList: st.banList },
    );
  }

  /** The same service on another clock (the demo's past session runs on yesterday's). */
  withClock(clock: Clock): LinkService {
    return new LinkService(this.db, clock, this.deps);
  }

  recordStaleException(
    input: StaleListExceptionInput,
    who: Pick<StaffPrincipal, 'staffId' | 'roles'>,
  ): StaleListExceptionView {
    const code = this.repo.sessionCode(input.sessionId);
    if (!code) throw notFound('session', { id: input.sessionId });
    if (!who.roles.includes('admin') && !this.repo.isChiefOf(input.sessionId, who.staffId))
      throw forbidden('只有管理员或本场主考可以记录名单过期例外');
    const st = this.status();
    if (!st.banList.stale) throw new AppError('ban-list-fresh', '禁入名单是最新的，不需要例外', 409);
    const now = this.clock.now();
    const actor = `staff:${who.staffId}`;
    const listAsOf = st.banList.asOf ?? 0;
    const id = this.repo.transaction(() => {
      const xid = this.repo.insertStaleException({
        sessionId: input.sessionId,
        reason: input.reason,
        recordedBy: actor,
        recordedAt: now,
        listVersion: st.banList.version,
        listAsOf,
      });
      this.events.append({
        chain: sessionChain(input.sessionId),
        at: now,
        actor,
        type: 'link.stale-list-exception',
        payload: { exceptionId: xid, reason: input.reason, listVersion: st.banList.version, listAsOf },
      });
      this.enqueue('stale-list.exception', {
        sessionCode: code,
        reason: input.reason,
        recordedBy: actor,
        listVersion: st.banList.version,
        listAsOf,
      });
      return xid;
    });
    return this.repo.staleExceptions(input.sessionId).find((x) => x.id === id)!;
  }

  staleExceptions(sessionId?: number): StaleListExceptionView[] {
    return this.repo.staleExceptions(sessionId);
  }
}

const peek = (raw: unknown): Record<string, unknown> => {
  const m = (raw as { message?: unknown } | null)?.message;
  return m && typeof m === 'object' ? (m as Record<string, unknown>) : {};
};
const seqOf = (raw: unknown): number => (typeof peek(raw).seq === 'number' ? (peek(raw).seq as number) : 0);
const typeOf = (raw: unknown): string | null =>
  typeof peek(raw).type === 'string' ? (peek(raw).type as string) : null;
const toOf = (raw: unknown): string | null => (typeof peek(raw).to === 'string' ? (peek(raw).to as string) : null);
