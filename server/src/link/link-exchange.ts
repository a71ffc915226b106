import type { LinkExchangeRequest, LinkExchangeResponse, LinkStatus } from '../protocol';
import type { Logger } from '../shared/logger';
import { signPayload } from '../shared/link-signing';
import type { InstitutionKey } from '../shared/institution-key';
import type { LinkService } from './link.service';

const SOON_MS = 300;
const TIMEOUT_MS = 120_000;
/** The exchange schema's cap (protocol/regulator.ts linkExchangeRequest). */
const MAX_MESSAGES = 500;
/** Archives travel whole: a backlog of them goes over several exchanges, well under the regulator's 200 MB. */
const MAX_REQUEST_BYTES = 64 * 1024 * 1024;

/** The oldest messages that fit one request (always at least one, so a big archive still goes). */
function withinBudget<T>(messages: T[]): T[] {
  let bytes = 0;
  const out: T[] = [];
  for (const m of messages) {
    bytes += JSON.stringify(m).length;
    if (out.length > 0 && bytes > MAX_REQUEST_BYTES) break;
    out.push(m);
  }
  return out;
}

/**
 * The exchange loop: every interval, and soon after something is queued, POST /api/link/exchange at the
 * regulator with our unacknowledged messages; apply what comes back. One exchange at a time. A centre cut off
 * from the network (exam days) simply records the error and keeps its outbox for the next try or a bundle.
 */
export class LinkExchanger {
  private timer: NodeJS.Timeout | null = null;
  private soon: NodeJS.Timeout | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly link: LinkService,
    private readonly key: InstitutionKey,
    private readonly logger: Logger,
    private readonly intervalS: number,
  ) {}

  start(): void {
    if (this.timer || this.closed) return;
    this.timer = setInterval(() => this.kick(), this.intervalS * 1000);
    this.timer.unref();
    this.kick();
  }

  /** After an enqueue: send soon (coalesced), if a regulator URL is configured. */
  kick(): void {
    if (this.closed || this.soon || !this.link.identity().regulatorUrl) return;
    this.soon = setTimeout(() => {
      this.soon = null;
      this.syncNow().catch(() => undefined);
    }, SOON_MS);
    this.soon.unref();
  }

  /** One exchange now (the console's "sync now"): exchanges run one after another, never two at once. */
  syncNow(): Promise<LinkStatus> {
    const run = this.chain.then(() => this.exchangeOnce());
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async exchangeOnce(): Promise<LinkStatus> {
    const { regulatorUrl, centreCode } = this.link.identity();
    const now = this.link.clock.now();
    try {
      if (!regulatorUrl) throw new Error('no regulator URL configured (EXAM_CENTER_REGULATOR_URL)');
      if (!centreCode) throw new Error('no centre code (EXAM_CENTER_CENTRE_CODE, or registration at the regulator)');
      const ackedBefore = this.link.repo.state().outAcked;
      const request: LinkExchangeRequest = {
        v: 1,
        kind: 'exam-center.link-exchange',
        centreCode,
        received: this.link.repo.lastInboxSeq(),
        at: now,
        messages: withinBudget(this.link.pendingSigned(MAX_MESSAGES) ?? []),
      };
      const res = await fetch(new URL('/api/link/exchange', regulatorUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ request, signature: signPayload(request, this.key) }),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`regulator answered ${res.status}: ${text.slice(0, 300)}`);
      const answer = JSON.parse(text) as Partial<LinkExchangeResponse>;
      const refused = this.link.acknowledge(Array.isArray(answer.outcomes) ? answer.outcomes : []);
      this.link.receive(Array.isArray(answer.messages) ? answer.messages : [], 'link');
      this.link.acceptFreshness(answer.freshness ?? null, 'link');
      this.link.repo.exchanged(now, null);
      if (refused) {
        this.link.repo.exchanged(now, refused);
        this.logger.error({ refused }, 'regulator refused messages from this centre');
      }
      // More queued than one exchange carries: keep going.
      if (!refused && this.link.repo.state().outAcked > ackedBefore && (this.link.pendingSigned(1)?.length ?? 0) > 0)
        this.kick();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.link.repo.exchanged(now, message);
      this.logger.info({ err: message }, 'regulator link exchange failed');
    }
    return this.link.status();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    if (this.soon) clearTimeout(this.soon);
    this.timer = this.soon = null;
    await this.chain;
  }
}
