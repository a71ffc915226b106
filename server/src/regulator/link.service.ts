import type { Db } from '../db/open';
import {
  CENTRE_TO_REGULATOR,
  LINK_MESSAGE_BODIES,
  REGULATOR_PARTY,
  signedLinkExchange,
  type LinkExchangeResponse,
  type LinkMessageBody,
  type LinkMessageType,
  type LinkOutcome,
  type SignedBanFreshness,
  type SignedLinkBundle,
  type SignedLinkMessage,
} from '../protocol/regulator';
import type { BundleImportResult } from '../protocol/regulator-admin';
import type { Clock } from '../shared/clock';
import { AppError } from '../shared/errors';
import {
  bundleSignatureValid,
  judgeLinkMessage,
  signBundle,
  signedPayloadValid,
  signFreshness,
  signLinkMessage,
  type Signer,
} from '../shared/link-signing';
import type { BansRepo } from './bans.repo';
import { ChannelRepo } from './channel.repo';
import { CentresRepo, type CentreRecord } from './centres.repo';
import { LinkHandlerRegistry } from './link-handlers';
import { LinkLogRepo } from './link-log.repo';

/** An exchange request signed more than this far from the regulator's clock is refused (a captured one goes stale). */
export const EXCHANGE_MAX_SKEW_MS = 10 * 60_000;

type Via = 'link' | 'bundle';
const WHOLE_REFUSAL_WINDOW_MS = 10 * 60_000;
const WHOLE_REFUSALS_LOGGED = 50;

/**
 * The regulator's end of the link (issue 14): numbered, signed messages to each centre (outbox), the centre's
 * messages judged by the one rule both ends follow (shared/link-signing.ts judgeLinkMessage) against the key
 * pinned for that centre, and every refused or duplicate message in the hash-chained link log.
 */
export class RegulatorLink {
  readonly handlers = new LinkHandlerRegistry();
  private readonly centres: CentresRepo;
  private readonly channel: ChannelRepo;
  readonly log: LinkLogRepo;
  private readonly wholeRefusals = new Map<string, { since: number; count: number }>();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly signer: Signer,
    private readonly bans: BansRepo,
  ) {
    this.centres = new CentresRepo(db);
    this.channel = new ChannelRepo(db);
    this.log = new LinkLogRepo(db);
  }

  /** Queues one message to one centre, numbered after the last; call inside the caller's transaction. */
  queue<T extends LinkMessageType>(centre: CentreRecord, type: T, body: LinkMessageBody<T>): number {
    const seq = this.channel.lastOutSeq(centre.id) + 1;
    const now = this.clock.now();
    const signed = signLinkMessage(
      { v: 1, kind: 'exam-center.link-message', from: REGULATOR_PARTY, to: centre.code, seq, sentAt: now, type, body },
      this.signer,
    );
    this.channel.insertOut(centre.id, seq, type, signed, now);
    return seq;
  }

  /** Queues the same body to every registered centre; returns how many. */
  queueToAll<T extends LinkMessageType>(type: T, body: LinkMessageBody<T>): number {
    const all = this.centres.list();
    for (const c of all) this.queue(c, type, body);
    return all.length;
  }

  /** The regulator's signed word on how current the centre's list is: re-issued at every exchange and bundle. */
  freshnessFor(centreCode: string): SignedBanFreshness {
    const latest = this.bans.latestList();
    return signFreshness(
      {
        v: 1,
        kind: 'exam-center.bans-freshness',
        centreCode,
        version: latest?.version ?? 0,
        listSha256: latest?.sha256 ?? null,
        asOf: this.clock.now(),
      },
      this.signer,
    );
  }

  pendingFor(centre: CentreRecord): number {
    return this.channel.countOutAfter(centre.id, centre.ackedSeq);
  }
  receivedFrom(centre: CentreRecord): number {
    return this.channel.lastInSeq(centre.id);
  }

  /**
   * A whole request or bundle refused before any centre key vouched for it. Logged, but at most
   * WHOLE_REFUSALS_LOGGED per kind and claimed centre in a window: anybody can post to /api/link/exchange, and the
   * log is append-only, so unauthenticated noise must not grow it without bound. The refusal itself always stands.
   */
  private refuseWhole(via: Via, centreCode: string | null, code: string, reason: string, status: number): never {
    const now = this.clock.now();
    const key = `${via}|${code}|${centreCode ?? ''}`;
    const w = this.wholeRefusals.get(key);
    const window = w && now - w.since < WHOLE_REFUSAL_WINDOW_MS ? w : { since: now, count: 0 };
    window.count += 1;
    this.wholeRefusals.set(key, window);
    if (this.wholeRefusals.size > 10_000) this.wholeRefusals.clear();
    if (window.count <= WHOLE_REFUSALS_LOGGED)
      this.log.append({ at: now, via, centreCode, seq: 0, type: null, outcome: 'refused', code, reason });
    else if (window.count === WHOLE_REFUSALS_LOGGED + 1)
      this.log.append({
        at: now,
        via,
        centreCode,
        seq: 0,
        type: null,
        outcome: 'refused',
        code,
        reason: `more ${code} refusals in the next ${WHOLE_REFUSAL_WINDOW_MS / 60_000} min are refused without a log row`,
      });
    throw new AppError(code, reason, status);
  }

  /** POST /api/link/exchange: the request is signed by the centre's pinned key and fresh; then each message is judged. */
  exchange(raw: unknown): LinkExchangeResponse {
    const parsed = signedLinkExchange.safeParse(raw);
    if (!parsed.success)
      this.refuseWhole(
        'link',
        null,
        'malformed',
        parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
        400,
      );
    const { request, signature } = parsed.data;
    const centre = this.centres.byCode(request.centreCode);
    if (!centre)
      this.refuseWhole(
        'link',
        request.centreCode,
        'unknown-sender',
        `no centre ${request.centreCode} is registered`,
        403,
      );
    if (!signedPayloadValid(request, signature, centre.publicKeyPem))
      this.refuseWhole(
        'link',
        centre.code,
        'bad-signature',
        `exchange not signed by the key pinned for ${centre.code}`,
        401,
      );
    const skew = Math.abs(request.at - this.clock.now());
    if (skew > EXCHANGE_MAX_SKEW_MS)
      this.refuseWhole(
        'link',
        centre.code,
        'stale-request',
        `exchange signed ${Math.round(skew / 1000)} s away from the regulator's clock`,
        401,
      );
    const outcomes = this.receive(centre, request.messages, 'link');
    this.db.transaction(() => {
      this.centres.ack(centre.id, request.received);
      this.centres.touch(centre.id, this.clock.now(), 'link');
    })();
    return {
      outcomes,
      messages: this.channel.outAfter(centre.id, request.received),
      freshness: this.freshnessFor(centre.code),
    };
  }

  /** Judges and applies messages one by one; each applied one and its handler in one transaction with its seq. */
  receive(centre: CentreRecord, messages: unknown[], via: Via): LinkOutcome[] {
    const outcomes: LinkOutcome[] = [];
    for (const raw of messages) {
      const outcome = this.db.transaction((): LinkOutcome => {
        // Re-read inside the transaction: a key change applied just before repins for the next message.
        const pinned = this.centres.byCode(centre.code);
        const judged = judgeLinkMessage(raw, {
          me: REGULATOR_PARTY,
          expectedFrom: centre.code,
          senderKey: pinned?.publicKeyPem ?? null,
          allowedTypes: CENTRE_TO_REGULATOR,
          channel: {
            lastSeq: this.channel.lastInSeq(centre.id),
            hashAt: (seq) => this.channel.inHashAt(centre.id, seq),
          },
        });
        const o = judged.outcome;
        const now = this.clock.now();
        const type = judged.message?.type ?? typeOf(raw);
        if (o.status === 'applied' && judged.message && judged.hash) {
          this.channel.insertIn(centre.id, o.seq, judged.message.type, judged.hash, now, via);
          this.handlers.run({
            db: this.db,
            centre: { id: centre.id, code: centre.code, name: centre.name },
            type: judged.message.type,
            body: judged.message.body as LinkMessageBody<LinkMessageType>,
            receivedAt: now,
            via,
            seq: o.seq,
          });
        } else if (o.status === 'duplicate') {
          this.log.append({
            at: now,
            via,
            centreCode: centre.code,
            seq: o.seq,
            type,
            outcome: 'duplicate',
            code: null,
            reason: 'the same message again (ignored)',
          });
        } else if (o.status === 'refused') {
          this.log.append({
            at: now,
            via,
            centreCode: centre.code,
            seq: o.seq,
            type,
            outcome: 'refused',
            code: o.code,
            reason: o.reason,
          });
        }
        return o;
      })();
      outcomes.push(outcome);
    }
    return outcomes;
  }

  /** A bundle file for one centre: the messages it has not acknowledged, what we applied from it, freshness. */
  exportBundle(centreCode: string): SignedLinkBundle {
    const centre = this.centres.byCode(centreCode);
    if (!centre) throw new AppError('unknown-centre', `no centre ${centreCode} is registered`, 404);
    return signBundle(
      {
        v: 1,
        kind: 'exam-center.link-bundle',
        from: REGULATOR_PARTY,
        to: centre.code,
        createdAt: this.clock.now(),
        received: this.channel.lastInSeq(centre.id),
        messages: this.channel.outAfter(centre.id, centre.ackedSeq, 100_000),
        freshness: this.freshnessFor(centre.code),
      },
      this.signer,
    );
  }

  /** A bundle file carried from a centre: signed by its pinned key, each message judged as over the link. */
  importBundle(signed: SignedLinkBundle): BundleImportResult {
    const b = signed.bundle;
    if (b.to !== REGULATOR_PARTY)
      this.refuseWhole('bundle', b.from, 'wrong-recipient', `bundle addressed to ${b.to}, not the regulator`, 400);
    const centre = this.centres.byCode(b.from);
    if (!centre) this.refuseWhole('bundle', b.from, 'unknown-sender', `no centre ${b.from} is registered`, 403);
    if (!bundleSignatureValid(signed, centre.publicKeyPem))
      this.refuseWhole(
        'bundle',
        centre.code,
        'bad-signature',
        `bundle not signed by the key pinned for ${centre.code}`,
        400,
      );
    const outcomes = this.receive(centre, b.messages as SignedLinkMessage[], 'bundle');
    this.db.transaction(() => {
      this.centres.ack(centre.id, b.received);
      this.centres.touch(centre.id, this.clock.now(), 'bundle');
    })();
    return { from: centre.code, outcomes, acked: this.centres.byCode(centre.code)?.ackedSeq ?? 0 };
  }
}

function typeOf(raw: unknown): LinkMessageType | null {
  const t = (raw as { message?: { type?: unknown } } | null)?.message?.type;
  return typeof t === 'string' && Object.hasOwn(LINK_MESSAGE_BODIES, t) ? (t as LinkMessageType) : null;
}
