import jwt from 'jsonwebtoken';
import type { Db } from '../db/open';
import { EventsRepo, INSTITUTION_CHAIN } from '../audit/events.repo';
import type { SessionRecord } from '../sessions/sessions.repo';
import type { Clock } from '../shared/clock';
import { AppError } from '../shared/errors';

const ISSUER = 'exam-center/workstation';
// A workstation stays enrolled for a term; a proctor re-enrols or revokes it at any time.
const WORKSTATION_TOKEN_SECONDS = 180 * 24 * 3600;

type WorkstationClaims = { sub: string; roomId: number; seatNo: number };

/**
 * Seat binding (issue 6): a proctor enrols the browser at each seat; its token names room and seat, and a
 * candidate may log in only from the workstation at their assigned seat.
 */
export class Workstations {
  private readonly events: EventsRepo;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly secret: Buffer,
  ) {
    this.events = new EventsRepo(db);
  }

  enrol(roomId: number, seatNo: number, label: string | null, actor: string): { token: string; workstationId: number } {
    const room = this.db.prepare('SELECT seat_count FROM rooms WHERE id = ?').get(roomId) as
      { seat_count: number } | undefined;
    if (!room) throw new AppError('not-found', 'room not found', 404);
    if (seatNo < 1 || seatNo > room.seat_count)
      throw new AppError('no-such-seat', `座位号 ${seatNo} 不存在（本考场共 ${room.seat_count} 个座位）`, 400);
    const now = this.clock.now();
    const id = this.db.transaction(() => {
      // Re-enrolling a seat (e.g. a replaced PC) revokes the previous browser's token.
      this.db
        .prepare('UPDATE workstations SET revoked_at = ? WHERE room_id = ? AND seat_no = ? AND revoked_at IS NULL')
        .run(now, roomId, seatNo);
      const wsId = Number(
        this.db
          .prepare(
            'INSERT INTO workstations (room_id, seat_no, label, enrolled_by, enrolled_at) VALUES (?, ?, ?, ?, ?)',
          )
          .run(roomId, seatNo, label, actor, now).lastInsertRowid,
      );
      this.events.append({
        chain: INSTITUTION_CHAIN,
        at: now,
        actor,
        type: 'workstation.enrolled',
        payload: { workstationId: wsId, roomId, seatNo, label },
      });
      return wsId;
    })();
    const token = jwt.sign({ roomId, seatNo } satisfies Omit<WorkstationClaims, 'sub'>, this.secret, {
      algorithm: 'HS256',
      issuer: ISSUER,
      subject: String(id),
      expiresIn: WORKSTATION_TOKEN_SECONDS,
    });
    return { token, workstationId: id };
  }

  /**
   * The session of this room whose exam is on (open for admission, running or paused), with the candidate
   * seated at this seat if any, or null. A seat enrolled then mints a browser that can log in as that candidate
   * — or as any candidate moved to it.
   */
  liveSeat(roomId: number, seatNo: number): { sessionId: number; registrationId: number | undefined } | null {
    const row = this.db
      .prepare(
        `SELECT s.id AS session_id,
           (SELECT g.id FROM registrations g WHERE g.session_id = s.id AND g.seat_no = ?) AS registration_id
         FROM sessions s WHERE s.room_id = ? AND s.state IN ('open', 'running', 'paused') ORDER BY s.id LIMIT 1`,
      )
      .get(seatNo, roomId) as { session_id: number; registration_id: number | null } | undefined;
    return row ? { sessionId: row.session_id, registrationId: row.registration_id ?? undefined } : null;
  }

  /** Returns the seat a valid, unrevoked workstation token stands for, or null. */
  seatOf(token: string | undefined): { workstationId: number; roomId: number; seatNo: number } | null {
    if (!token) return null;
    let claims: WorkstationClaims;
    try {
      claims = jwt.verify(token, this.secret, { algorithms: ['HS256'], issuer: ISSUER }) as WorkstationClaims;
    } catch {
      return null;
    }
    const row = this.db
      .prepare('SELECT room_id, seat_no FROM workstations WHERE id = ? AND revoked_at IS NULL')
      .get(Number(claims.sub)) as { room_id: number; seat_no: number } | undefined;
    if (!row || row.room_id !== claims.roomId || row.seat_no !== claims.seatNo) return null;
    return { workstationId: Number(claims.sub), roomId: row.room_id, seatNo: row.seat_no };
  }

  /**
   * Refuses a candidate login from anywhere but their own seat, when the session requires it. Returns the
   * workstation the candidate's token is then bound to (null when the session does not require one).
   */
  checkSeat(
    session: SessionRecord,
    seatNo: number,
    workstationToken: string | undefined,
  ): { workstationId: number } | null {
    if (!session.settings.requireWorkstation) return null;
    const seat = this.seatOf(workstationToken);
    if (!seat) throw new AppError('workstation-required', '此电脑未登记为考位，请联系监考老师', 403);
    if (seat.roomId !== session.roomId || seat.seatNo !== seatNo)
      throw new AppError('wrong-seat', `请到您的座位（${seatNo} 号）登录`, 403, {
        assignedSeat: seatNo,
        thisSeat: seat.seatNo,
      });
    return { workstationId: seat.workstationId };
  }

  /**
   * Seat binding after login (issue 13, hole 13): a candidate token alone opens nothing where the session
   * requires workstations — the browser must also present the workstation token the candidate token was
   * issued at, still enrolled (a re-enrolled seat retires it) and still at the candidate's seat. Checked on
   * the socket handshake, at exam start and on the candidate's REST routes. The demo (requireWorkstation
   * false) is not bound.
   */
  checkDevice(
    session: SessionRecord,
    seatNo: number,
    boundWorkstationId: number | undefined,
    workstationToken: string | undefined,
  ): void {
    if (!session.settings.requireWorkstation) return;
    const seat = this.seatOf(workstationToken);
    if (!seat) throw new AppError('workstation-required', '此电脑未登记为考位，请联系监考老师', 403);
    if (boundWorkstationId === undefined || seat.workstationId !== boundWorkstationId)
      throw new AppError('wrong-workstation', '请在您登录的考位电脑上作答 / use the workstation you logged in at', 403);
    if (seat.roomId !== session.roomId || seat.seatNo !== seatNo)
      throw new AppError('wrong-seat', `请到您的座位（${seatNo} 号）登录`, 403);
  }
}
