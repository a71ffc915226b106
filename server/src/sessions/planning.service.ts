import { randomBytes } from 'node:crypto';
import type { Db } from '../db/open';
import { EventsRepo, INSTITUTION_CHAIN, sessionChain } from '../audit/events.repo';
import { BankRepo } from '../bank/bank.repo';
import { BlueprintsRepo } from '../bank/blueprints.repo';
import { refuseWithdrawnItems } from '../bank/withdrawn-items';
import { maskIdNumber } from '../people/id-number';
import type { AdmissionTicket, PlanningOptions, SessionPlanInput } from '../protocol';
import { sha256Hex } from '../shared/canonical-json';
import type { Clock } from '../shared/clock';
import { AppError, notFound } from '../shared/errors';
import { seededRandom, shuffle } from '../shared/random';
import { defaultSessionSettings } from './session-settings';
import { SessionsRepo } from './sessions.repo';

const PLANNABLE = ['draft', 'scheduled'];

/**
 * Planning a session (issue 6): category, blueprint, bank version, room, date, start and duration; random
 * seat allocation; what the printed seat plan and admission tickets (准考证) show.
 */
export class PlanningService {
  private readonly repo: SessionsRepo;
  private readonly bank: BankRepo;
  private readonly blueprints: BlueprintsRepo;
  private readonly events: EventsRepo;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {
    this.repo = new SessionsRepo(db);
    this.bank = new BankRepo(db);
    this.blueprints = new BlueprintsRepo(db);
    this.events = new EventsRepo(db);
  }

  options(): PlanningOptions {
    const categories = this.db
      .prepare('SELECT code, name FROM categories ORDER BY code')
      .all() as PlanningOptions['categories'];
    const blueprints = this.db
      .prepare('SELECT id, category, name, body FROM blueprints ORDER BY id DESC')
      .all()
      .map((r) => {
        const row = r as { id: number; category: string; name: string; body: string };
        const body = JSON.parse(row.body) as { durationMinutes: number; passMark: number };
        return {
          id: row.id,
          category: row.category,
          name: row.name,
          durationMinutes: body.durationMinutes,
          passMark: body.passMark,
        };
      });
    const bankVersions = this.db
      .prepare(
        "SELECT id, category, fingerprint, item_count AS itemCount, created_at AS createdAt FROM bank_versions WHERE pool = 'exam' ORDER BY id DESC",
      )
      .all() as PlanningOptions['bankVersions'];
    return { categories, blueprints, bankVersions, rooms: this.repo.rooms() };
  }

  createRoom(name: string, seatCount: number, actor: string): number {
    return this.db.transaction(() => {
      const id = this.repo.insertRoom(name, seatCount);
      this.events.append({
        chain: INSTITUTION_CHAIN,
        at: this.clock.now(),
        actor,
        type: 'room.created',
        payload: { roomId: id, name, seatCount },
      });
      return id;
    })();
  }

  /** A new draft session; the blueprint and bank version must belong to its category, the bank to the exam pool. */
  createSession(input: SessionPlanInput, actor: string): number {
    const blueprint = this.blueprints.get(input.blueprintId);
    if (!blueprint || blueprint.body.category !== input.category)
      throw new AppError('invalid-plan', `组卷规则 ${input.blueprintId} 不属于作业项目 ${input.category}`, 400);
    const version = this.bank.version(input.bankVersionId);
    if (!version || version.category !== input.category || version.pool !== 'exam')
      throw new AppError('invalid-plan', `题库版本 ${input.bankVersionId} 不是 ${input.category} 的考试题库`, 400);
    refuseWithdrawnItems(this.bank, version.id);
    if (!this.repo.rooms().some((r) => r.id === input.roomId)) throw notFound('room', { roomId: input.roomId });
    const now = this.clock.now();
    return this.db.transaction(() => {
      const day = new Date(input.scheduledStart + 8 * 3600_000).toISOString().slice(0, 10).replaceAll('-', ''); // Beijing date
      const sameDay = this.db
        .prepare('SELECT count(*) FROM sessions WHERE code LIKE ?')
        .pluck()
        .get(`${input.category}-${day}-%`) as number;
      const code = `${input.category}-${day}-${String(sameDay + 1).padStart(2, '0')}`;
      const id = this.repo.insertSession(
        {
          code,
          name: input.name,
          category: input.category,
          blueprintId: input.blueprintId,
          bankVersionId: input.bankVersionId,
          roomId: input.roomId,
          scheduledStart: input.scheduledStart,
          durationMinutes: input.durationMinutes ?? blueprint.body.durationMinutes,
          state: 'draft',
          settings: { ...defaultSessionSettings(), ...input.settings },
        },
        now,
      );
      this.events.append({
        chain: sessionChain(id),
        at: now,
        actor,
        type: 'session.planned',
        payload: { code, ...input, blueprintFingerprint: blueprint.fingerprint, bankFingerprint: version.fingerprint },
      });
      return id;
    })();
  }

  /**
   * Random seats (随机排座): a fresh random permutation of the room's seats, so nobody can arrange to sit next
   * to a friend. Only before sealing, since papers are drawn per seat plan.
   */
  allocateSeats(sessionId: number, actor: string): { seats: { registrationId: number; seatNo: number }[] } {
    const session = this.repo.get(sessionId);
    if (!session) throw notFound('session', { sessionId });
    if (!PLANNABLE.includes(session.state))
      throw new AppError('roster-locked', `场次状态为 ${session.state}：封卷后不能再调整座位`, 409);
    const capacity = this.repo.rooms().find((r) => r.id === session.roomId)!.seatCount;
    const registrations = this.db
      .prepare('SELECT id FROM registrations WHERE session_id = ? ORDER BY id')
      .pluck()
      .all(sessionId) as number[];
    if (registrations.length > capacity) throw new AppError('room-full', `考场只有 ${capacity} 个座位`, 409);
    const seed = randomBytes(16).toString('hex');
    const seats = shuffle(
      Array.from({ length: capacity }, (_, i) => i + 1),
      seededRandom(seed),
    ).slice(0, registrations.length);
    const plan = registrations.map((registrationId, i) => ({ registrationId, seatNo: seats[i] as number }));
    this.db.transaction(() => {
      // Two steps: UNIQUE(session_id, seat_no) would refuse a swap done in place.
      const park = this.db.prepare('UPDATE registrations SET seat_no = -id WHERE session_id = ?');
      const set = this.db.prepare('UPDATE registrations SET seat_no = ? WHERE id = ?');
      park.run(sessionId);
      for (const p of plan) set.run(p.seatNo, p.registrationId);
      this.events.append({
        chain: sessionChain(sessionId),
        at: this.clock.now(),
        actor,
        type: 'session.seats-allocated',
        payload: { count: plan.length, planHash: sha256Hex(JSON.stringify(plan)) },
      });
    })();
    return { seats: plan };
  }

  tickets(sessionId: number): AdmissionTicket[] {
    const session = this.repo.get(sessionId);
    if (!session) throw notFound('session', { sessionId });
    const rows = this.db
      .prepare(
        `SELECT g.id, g.admission_no, g.seat_no, c.name, c.id_number, c.employer, c.photo
         FROM registrations g JOIN candidates c ON c.id = g.candidate_id WHERE g.session_id = ? ORDER BY g.seat_no`,
      )
      .all(sessionId) as {
      id: number;
      admission_no: string;
      seat_no: number;
      name: string;
      id_number: string;
      employer: string | null;
      photo: string | null;
    }[];
    return rows.map((r) => ({
      registrationId: r.id,
      name: r.name,
      idNumberMasked: maskIdNumber(r.id_number),
      employer: r.employer,
      photo: r.photo,
      admissionNo: r.admission_no,
      seatNo: r.seat_no,
      sessionCode: session.code,
      sessionName: session.name,
      category: `${session.category} ${session.categoryName}`,
      roomName: session.roomName,
      scheduledStart: session.scheduledStart,
      durationMinutes: session.durationMinutes,
      lateAdmissionMinutes: session.settings.lateAdmissionMinutes,
    }));
  }
}
