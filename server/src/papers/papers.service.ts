import { CodeHandover } from './code-handover';
import { OpeningCodes } from './opening-codes';
import { setImmediate as nextTick } from 'node:timers/promises';
import type { Db } from '../db/open';
import { BankRepo } from '../bank/bank.repo';
import { BlueprintsRepo } from '../bank/blueprints.repo';
import { refuseWithdrawnItems } from '../bank/withdrawn-items';
import { EventsRepo, sessionChain } from '../audit/events.repo';
import { StaffRepo, type StaffRecord } from '../people/staff.repo';
import type {
  CandidateQuestion,
  CustodianOption,
  InstitutionKeyInfo,
  OpenRequest,
  OpenResult,
  SealProgress,
  SealResult,
  SealStatus,
} from '../protocol';
import { SessionsService } from '../sessions/sessions.service';
import { sha256Hex } from '../shared/canonical-json';
import type { Clock } from '../shared/clock';
import { AppError, notFound } from '../shared/errors';
import type { InstitutionKey } from '../shared/institution-key';
import {
  basicCustodianCheck,
  combineChecks,
  independenceViolations,
  isCustodianEligible,
  type CustodianCheck,
} from './custodians';
import type { Paper } from './draw';
import { openingWindow, unlockSeal, type CustodianEntry } from './opening';
import { PapersRepo, type SealRecord } from './papers.repo';
import { packBox, paperAad, seal, unpackBox, unseal, wrapAad } from './seal-crypto';
import { groupHex, sealManifestSchema } from './seal-manifest';
import { buildSeal, type SealBundle, type SealInputs } from './sealing';

/** Strips everything a candidate must not see (answers, item hashes, knowledge points). */
export function toCandidateQuestions(paper: Paper): CandidateQuestion[] {
  return paper.questions.map((q) => ({ position: q.position, type: q.type, stem: q.stem, options: q.options }));
}

export type PapersDeps = {
  institutionKey: InstitutionKey;
  /** Server key that wraps a data key after opening, so a restart mid-exam can resume (design.md, Durability). */
  wrapKey: Buffer;
  /** Extra custodian rules (the integrity module's); always combined with the basic check. */
  custodianCheck?: CustodianCheck;
};

type OpenedPapers = { sealId: number; key: Buffer; papers: Map<number, { paper: Paper; hash: string }> };

export class PapersService {
  readonly repo: PapersRepo;
  private readonly bank: BankRepo;
  private readonly blueprints: BlueprintsRepo;
  private readonly events: EventsRepo;
  private readonly staff: StaffRepo;
  private readonly sessions: SessionsService;
  private readonly check: CustodianCheck;
  private readonly opened = new Map<number, OpenedPapers>();
  private readonly progress = new Map<number, SealProgress>();
  private readonly inFlight = new Set<number>();
  /** The fresh seals' codes waiting for their custodians (two-person rule, code-handover.ts). */
  readonly handover: CodeHandover;
  /** The custodians' codes at opening, each entered on its holder's own login (two-person rule, opening-codes.ts). */
  readonly openingCodes: OpeningCodes;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly deps: PapersDeps,
  ) {
    this.repo = new PapersRepo(db);
    this.bank = new BankRepo(db);
    this.blueprints = new BlueprintsRepo(db);
    this.events = new EventsRepo(db);
    this.handover = new CodeHandover(db, clock);
    this.openingCodes = new OpeningCodes(db, clock, this);
    this.staff = new StaffRepo(db);
    this.sessions = new SessionsService(db, clock);
    const basic = basicCustodianCheck(db);
    const combined = deps.custodianCheck ? combineChecks(basic, deps.custodianCheck) : basic;
    // The caller may already include the basic check in its own: report each violation once.
    this.check = (sessionId, staffIds, at) => {
      const seen = new Set<string>();
      return combined(sessionId, staffIds, at).filter((v) => {
        const key = `${v.staffId}|${v.code}|${v.message}`;
        return !seen.has(key) && seen.add(key);
      });
    };
  }

  institutionKeyInfo(): InstitutionKeyInfo {
    const k = this.deps.institutionKey;
    return { algorithm: 'Ed25519', fingerprint: k.fingerprint, publicKeyPem: k.publicKeyPem };
  }

  custodianOptions(): CustodianOption[] {
    return this.staff
      .list()
      .filter(isCustodianEligible)
      .map((s) => ({ id: s.id, username: s.username, name: s.name, roles: s.roles }));
  }

  /** Two custodians the rules can tell apart (custodians.ts independenceViolations), else refused with each reason. */
  private checkIndependence(a: number, b: number, operator: string, requireOutside: boolean): void {
    const [sa, sb] = [this.staff.byId(a), this.staff.byId(b)];
    if (!sa || !sb) return; // unknown staff are reported by the basic check
    const violations = independenceViolations([sa, sb], operator, requireOutside);
    if (violations.length)
      throw new AppError('custodians-not-independent', violations.map((v) => v.message).join('；'), 409, {
        violations,
      });
  }

  /** Everything a seal needs, checked before the (possibly long) draw starts. */
  private sealInputs(
    sessionId: number,
    custodianIds: number[],
    expectState: 'scheduled' | 'sealed',
    actor: string,
  ): SealInputs {
    const session = this.sessions.get(sessionId);
    if (session.state !== expectState)
      throw new AppError(
        'session-not-' + expectState,
        `场次状态为 ${session.state}，不能${expectState === 'scheduled' ? '封卷' : '重新封卷'}`,
        409,
        {
          state: session.state,
        },
      );
    const live = this.repo.liveSeal(sessionId);
    // A 'sealed' seal on a scheduled session was left behind by a move back to scheduled: superseded at commit.
    if (expectState === 'scheduled' && live?.state === 'opened')
      throw new AppError('already-opened', '本场次试卷已启封', 409);
    if (expectState === 'sealed' && live?.state !== 'sealed')
      throw new AppError('not-resealable', '只有未启封的封卷可以重新封卷', 409);
    const [a, b] = custodianIds;
    if (custodianIds.length !== 2 || a === undefined || b === undefined || a === b)
      throw new AppError('custodians-not-distinct', '开卷码须由两位不同的人员分别保管', 400);
    // Custodians act at the opening, on the exam day: judge them as of the scheduled start (and again at opening).
    const violations = this.check(sessionId, [a, b], Math.max(this.clock.now(), session.scheduledStart));
    if (violations.length)
      throw new AppError('custodian-not-eligible', violations.map((v) => v.message).join('；'), 409, { violations });
    this.checkIndependence(a, b, actor, session.settings.custodianFromOutside);
    const blueprint = this.blueprints.get(session.blueprintId);
    if (!blueprint) throw notFound('blueprint');
    const version = this.bank.version(session.bankVersionId);
    if (version?.pool !== 'exam')
      throw new AppError('not-exam-pool', 'papers may only be drawn from an exam-pool version', 409);
    refuseWithdrawnItems(this.bank, version.id);
    const seats = this.repo.seatPlan(sessionId);
    if (seats.length === 0) throw new AppError('no-registrations', '本场次没有报名考生，无需封卷', 409);
    const staffOf = (id: number) => this.staff.byId(id) as StaffRecord;
    return {
      session: {
        id: session.id,
        code: session.code,
        category: session.category,
        scheduledStart: session.scheduledStart,
      },
      bankVersion: { id: version.id, fingerprint: version.fingerprint, itemCount: version.itemCount },
      items: this.bank.itemsOfVersion(version.id),
      blueprint,
      seats,
      custodians: [
        { staffId: a, name: staffOf(a).name },
        { staffId: b, name: staffOf(b).name },
      ],
      institutionKey: this.deps.institutionKey,
      sealedAt: this.clock.now(),
      sealedBy: actor,
    };
  }

  /** Stores the bundle and moves the session to 'sealed', all in one transaction with its events. */
  private commit(bundle: SealBundle, actor: string, reseal: { reason: string } | null): SealResult {
    const sessionId = bundle.manifest.session.id;
    this.db.transaction(() => {
      const now = this.clock.now();
      const chain = sessionChain(sessionId);
      // The draw ran outside this transaction: a registration added or moved meanwhile would lack a paper.
      const plan = this.repo.seatPlan(sessionId).map((s) => `${s.registrationId}@${s.seatNo}`);
      if (plan.join() !== bundle.manifest.papers.map((p) => `${p.registrationId}@${p.seatNo}`).join())
        throw new AppError('seat-plan-changed', '封卷期间考生名单或座位有变动，请重新封卷', 409);
      const old = this.repo.liveSeal(sessionId);
      if (reseal && old?.state !== 'sealed') throw new AppError('not-resealable', '只有未启封的封卷可以重新封卷', 409);
      if (old?.state === 'opened') throw new AppError('already-opened', '本场次试卷已启封', 409);
      if (old) {
        const reason = reseal?.reason ?? 'superseded: the session went back to scheduled';
        this.repo.markVoided(old.id, now, reason);
        this.events.append({
          chain,
          at: now,
          actor,
          type: 'papers.seal-voided',
          payload: { sealUid: old.uid, manifestHash: old.manifestHash, reason },
        });
      }
      if (reseal) this.sessions.transition(sessionId, 'scheduled', actor, `reseal: ${reseal.reason}`);
      this.repo.insertSeal(bundle.seal, bundle.papers);
      const m = bundle.manifest;
      this.events.append({
        chain,
        at: now,
        actor,
        type: 'papers.sealed',
        payload: {
          sealUid: m.sealUid,
          manifestHash: bundle.seal.manifestHash,
          paperCount: m.papers.length,
          bankVersionId: m.bankVersion.id,
          bankVersionFingerprint: m.bankVersion.fingerprint,
          blueprintId: m.blueprint.id,
          blueprintFingerprint: m.blueprint.fingerprint,
          seedHash: m.seedHash,
          institutionKey: m.institutionKey,
          custodians: m.custodians.map((c) => ({ slot: c.slot, staffId: c.staffId })),
          neighbours: m.stats.neighbours,
          ...(reseal ? { reseal: true } : {}),
        },
      });
      this.sessions.transition(sessionId, 'sealed', actor);
    })();
    const session = this.sessions.get(sessionId);
    return {
      sessionId,
      sessionCode: session.code,
      sessionName: session.name,
      scheduledStart: session.scheduledStart,
      sealUid: bundle.manifest.sealUid,
      manifestHash: bundle.seal.manifestHash,
      manifestFingerprint: groupHex(bundle.seal.manifestHash),
      institutionKey: bundle.manifest.institutionKey,
      sealedAt: bundle.manifest.sealedAt,
      paperCount: bundle.papers.length,
      neighbours: bundle.stats,
      codes: bundle.codes.map((c) => {
        const s = this.staff.byId(c.staffId) as StaffRecord;
        return { slot: c.slot, staffId: c.staffId, name: s.name, username: s.username, code: c.code };
      }),
    };
  }

  /** Draw + encrypt + sign, then scheduled → sealed, in one go (blocks the event loop: demo seed and tests). */
  sealSession(sessionId: number, custodians: number[], actor: string): SealResult {
    const gen = buildSeal(this.sealInputs(sessionId, custodians, 'scheduled', actor));
    for (;;) {
      const step = gen.next();
      if (step.done) return this.commit(step.value, actor, null);
    }
  }

  /**
   * The same, yielding to the event loop between chunks of 50 papers so answers in other sessions keep
   * being acknowledged, and publishing progress for the sealing page. `reseal` (lost code) voids the
   * current seal and draws anew in the same commit (sealed → scheduled → sealed).
   */
  async sealSessionAsync(
    sessionId: number,
    custodians: number[],
    actor: string,
    reseal: { reason: string } | null = null,
  ): Promise<SealResult> {
    if (this.inFlight.has(sessionId)) throw new AppError('seal-in-progress', '本场次正在封卷', 409);
    this.inFlight.add(sessionId);
    try {
      const inputs = this.sealInputs(sessionId, custodians, reseal ? 'sealed' : 'scheduled', actor);
      const total = inputs.seats.length;
      this.progress.set(sessionId, { phase: 'sealing', done: 0, total });
      const gen = buildSeal(inputs);
      for (;;) {
        const step = gen.next();
        if (step.done) {
          this.progress.set(sessionId, { phase: 'committing', done: total, total });
          await nextTick();
          const result = this.commit(step.value, actor, reseal);
          this.progress.set(sessionId, { phase: 'done', done: total, total });
          return result;
        }
        this.progress.set(sessionId, step.value);
        await nextTick();
      }
    } catch (err) {
      const last = this.progress.get(sessionId);
      if (last) this.progress.set(sessionId, { ...last, phase: 'failed' });
      throw err;
    } finally {
      this.inFlight.delete(sessionId);
    }
  }

  resealSession(sessionId: number, custodians: number[], reason: string, actor: string): Promise<SealResult> {
    return this.sealSessionAsync(sessionId, custodians, actor, { reason });
  }

  /**
   * Two-person opening: both custodians' codes, inside the opening window, custodians re-checked; then
   * the seed is disclosed (event + seal row), the data key is kept wrapped by the server key, and the
   * session goes sealed → open. Every attempt, refused or not, is an event on the session's chain.
   */
  openSession(sessionId: number, req: OpenRequest, actor: string): OpenResult {
    try {
      return this.tryOpen(sessionId, req, actor);
    } catch (err) {
      if (err instanceof AppError && this.sessions.repo.get(sessionId)) {
        this.db.transaction(() =>
          this.events.append({
            chain: sessionChain(sessionId),
            at: this.clock.now(),
            actor,
            type: 'papers.open-refused',
            payload: {
              reason: err.code,
              message: err.message,
              custodians: req.codes.map((c) => ({ staffId: c.staffId ?? null, username: c.username ?? null })),
            },
          }),
        )();
      }
      throw err;
    }
  }

  private tryOpen(sessionId: number, req: OpenRequest, actor: string): OpenResult {
    const session = this.sessions.get(sessionId);
    if (session.state !== 'sealed')
      throw new AppError('session-not-sealed', `场次状态为 ${session.state}，无需启封`, 409);
    const sealRec = this.repo.liveSeal(sessionId);
    if (sealRec?.state !== 'sealed') throw new AppError('no-seal', '本场次没有待启封的封卷', 409);
    const now = this.clock.now();
    const window = openingWindow(session);
    if (now < window.from || now > window.to)
      throw new AppError('outside-opening-window', '不在启封时间窗口内（开考前规定时间至迟到截止时间）', 409, window);
    if (req.codes.length !== 2) throw new AppError('two-codes-required', '启封需要两位保管人各自输入开卷码', 400);
    const entries = req.codes.map((c) => {
      const s = c.staffId !== undefined ? this.staff.byId(c.staffId) : this.staff.byUsername(c.username ?? '');
      if (!s) throw new AppError('custodian-unknown', `保管人 ${c.staffId ?? c.username} 不存在`, 400);
      return { staffId: s.id, name: s.name, code: c.code };
    });
    const [first, second] = entries as [CustodianEntry, CustodianEntry];
    if (first.staffId === second.staffId)
      throw new AppError('custodians-not-distinct', '两组开卷码必须由两位不同的保管人输入', 409);
    const bySlot = {
      A: entries.find((e) => e.staffId === sealRec.custodianA),
      B: entries.find((e) => e.staffId === sealRec.custodianB),
    };
    if (!bySlot.A || !bySlot.B)
      throw new AppError('not-the-custodians', '输入开卷码的人员不是本场封卷登记的保管人', 403, {
        custodians: [sealRec.custodianA, sealRec.custodianB],
      });
    const violations = this.check(sessionId, [sealRec.custodianA, sealRec.custodianB], now);
    if (violations.length)
      throw new AppError('custodian-not-eligible', violations.map((v) => v.message).join('；'), 403, { violations });
    // Passwords may have been reset since sealing: the two must still be two people the rules can tell apart.
    this.checkIndependence(
      sealRec.custodianA,
      sealRec.custodianB,
      sealRec.sealedBy,
      session.settings.custodianFromOutside,
    );

    const unlocked = unlockSeal(
      sealRec,
      { A: bySlot.A, B: bySlot.B },
      this.repo.papersOf(sealRec.id),
      this.deps.institutionKey,
    );
    const wrapped = packBox(seal(this.deps.wrapKey, unlocked.dataKey, wrapAad(sealRec.uid)));
    const seedHex = unlocked.seed.toString('hex');
    this.db.transaction(() => {
      this.repo.markOpened(sealRec.id, seedHex, wrapped, now, actor);
      this.events.append({
        chain: sessionChain(sessionId),
        at: now,
        actor,
        type: 'papers.opened',
        payload: {
          sealUid: sealRec.uid,
          manifestHash: sealRec.manifestHash,
          custodians: [
            { slot: 'A', staffId: bySlot.A!.staffId },
            { slot: 'B', staffId: bySlot.B!.staffId },
          ],
          // Disclosed now, so anybody can re-derive every paper from the seed and the bank version.
          seed: seedHex,
        },
      });
      this.sessions.transition(sessionId, 'open', actor);
    })();
    this.opened.set(sessionId, { sealId: sealRec.id, key: unlocked.dataKey, papers: new Map() });
    unlocked.seed.fill(0);
    return { sessionId, state: 'open', openedAt: now, paperCount: unlocked.paperCount };
  }

  /** open → running: the chief examiner starts the exam once the papers are open (design.md, Session states). */
  startSession(sessionId: number, actor: string): { sessionId: number; state: 'running' } {
    const session = this.sessions.get(sessionId);
    if (session.state !== 'open') throw new AppError('session-not-open', `场次状态为 ${session.state}，须先启封`, 409);
    this.sessions.transition(sessionId, 'running', actor);
    return { sessionId, state: 'running' };
  }

  /**
   * The one way delivery and grading read a paper (answer key included: only grading uses it, and
   * toCandidateQuestions strips it before anything is sent). Before opening there is no key: refused.
   */
  paperFor(registrationId: number): { paper: Paper; hash: string } {
    const sessionId = this.repo.sessionOfRegistration(registrationId);
    if (sessionId === undefined) throw notFound('registration');
    const cached = this.opened.get(sessionId);
    const hit = cached?.papers.get(registrationId);
    if (hit) return hit;
    const sealRec = this.repo.liveSeal(sessionId);
    if (!sealRec) throw new AppError('paper-not-available', 'no paper for this registration', 409);
    if (sealRec.state !== 'opened' || !sealRec.wrappedKey)
      throw new AppError('papers-sealed', '试卷尚未启封，请等待主考和保管人启封', 409);
    const opened = cached?.sealId === sealRec.id ? cached : this.unwrap(sessionId, sealRec);
    const row = this.repo.paperOf(sealRec.id, registrationId);
    if (!row) throw new AppError('paper-not-available', 'no paper for this registration', 409);
    const plaintext = unseal(opened.key, row.box, paperAad(sealRec.uid, registrationId));
    const found = { paper: JSON.parse(plaintext.toString('utf8')) as Paper, hash: sha256Hex(plaintext) };
    opened.papers.set(registrationId, found);
    return found;
  }

  /** After a restart: the data key comes back from its wrapped copy (server key in the data folder). */
  private unwrap(sessionId: number, sealRec: SealRecord): OpenedPapers {
    let key: Buffer;
    try {
      key = unseal(this.deps.wrapKey, unpackBox(sealRec.wrappedKey!), wrapAad(sealRec.uid));
    } catch {
      throw new AppError(
        'paper-key-unavailable',
        'the wrapped paper key cannot be unwrapped with this server key',
        500,
      );
    }
    const opened: OpenedPapers = { sealId: sealRec.id, key, papers: new Map() };
    this.opened.set(sessionId, opened);
    return opened;
  }

  status(sessionId: number): SealStatus {
    const session = this.sessions.get(sessionId);
    const s = this.repo.liveSeal(sessionId);
    let seal: SealStatus['seal'] = null;
    if (s && s.state !== 'voided') {
      const m = sealManifestSchema.parse(JSON.parse(s.manifest));
      seal = {
        sealUid: s.uid,
        state: s.state,
        manifestHash: s.manifestHash,
        manifestFingerprint: groupHex(s.manifestHash),
        institutionKey: s.keyFingerprint,
        sealedAt: s.sealedAt,
        sealedBy: s.sealedBy,
        openedAt: s.openedAt,
        custodians: m.custodians,
        paperCount: m.papers.length,
        neighbours: m.stats.neighbours,
      };
    }
    return {
      sessionId,
      sessionState: session.state,
      seal,
      openWindow: openingWindow(session),
      progress: this.progress.get(sessionId) ?? null,
    };
  }

  /** Drops decrypted papers from memory (e.g. once a session is graded); they come back on demand. */
  forget(sessionId: number): void {
    this.opened.delete(sessionId);
  }
}
