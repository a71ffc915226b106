import type { Db } from '../db/open';
import { cachedStatement } from '../db/statements';
import type { RosterRow, SessionSummary } from '../protocol';
import { sessionSettingsSchema, type SessionSettings } from './session-settings';
import type { SessionState } from './session-states';

export type SessionRecord = {
  id: number;
  code: string;
  name: string;
  category: string;
  categoryName: string;
  blueprintId: number;
  bankVersionId: number;
  roomId: number;
  roomName: string;
  scheduledStart: number;
  durationMinutes: number;
  state: SessionState;
  settings: SessionSettings;
};

type SessionRow = {
  id: number;
  code: string;
  name: string;
  category: string;
  category_name: string;
  blueprint_id: number;
  bank_version_id: number;
  room_id: number;
  room_name: string;
  scheduled_start: number;
  duration_minutes: number;
  state: SessionState;
  settings: string;
};

export type RegistrationRecord = {
  id: number;
  sessionId: number;
  candidateId: number;
  admissionNo: string;
  seatNo: number;
  name: string;
  idNumber: string;
  photo: string | null;
};

const SESSION_SELECT = `SELECT s.*, c.name AS category_name, r.name AS room_name FROM sessions s
  JOIN categories c ON c.code = s.category JOIN rooms r ON r.id = s.room_id`;

// Settings JSON changes rarely and is read on every answer save: parse each distinct text once.
const parsedSettings = new Map<string, SessionSettings>();
function parseSettings(json: string): SessionSettings {
  let settings = parsedSettings.get(json);
  if (!settings) {
    settings = sessionSettingsSchema.parse(JSON.parse(json));
    if (parsedSettings.size > 1000) parsedSettings.clear();
    parsedSettings.set(json, settings);
  }
  return settings;
}

const toSession = (r: SessionRow): SessionRecord => ({
  id: r.id,
  code: r.code,
  name: r.name,
  category: r.category,
  categoryName: r.category_name,
  blueprintId: r.blueprint_id,
  bankVersionId: r.bank_version_id,
  roomId: r.room_id,
  roomName: r.room_name,
  scheduledStart: r.scheduled_start,
  durationMinutes: r.duration_minutes,
  state: r.state,
  settings: parseSettings(r.settings),
});

export class SessionsRepo {
  constructor(private readonly db: Db) {}

  get(id: number): SessionRecord | undefined {
    const row = cachedStatement<[number], SessionRow>(this.db, `${SESSION_SELECT} WHERE s.id = ?`).get(id);
    return row && toSession(row);
  }

  list(): SessionSummary[] {
    const rows = this.db
      .prepare<[], SessionRow & { registered: number; submitted: number }>(
        `SELECT s.*, c.name AS category_name, r.name AS room_name,
           (SELECT count(*) FROM registrations g WHERE g.session_id = s.id) AS registered,
           (SELECT count(*) FROM registrations g JOIN attempts a ON a.registration_id = g.id
             WHERE g.session_id = s.id AND a.submitted_at IS NOT NULL) AS submitted
         FROM sessions s JOIN categories c ON c.code = s.category JOIN rooms r ON r.id = s.room_id
         ORDER BY s.scheduled_start DESC, s.id DESC`,
      )
      .all();
    return rows.map((r) => ({ ...summaryOf(toSession(r)), registered: r.registered, submitted: r.submitted }));
  }

  roster(sessionId: number, questionCount: number): RosterRow[] {
    const rows = this.db
      .prepare<
        [number],
        {
          id: number;
          name: string;
          admission_no: string;
          seat_no: number;
          started_at: number | null;
          submitted_at: number | null;
          logged_in: number;
          answered: number;
          score: number | null;
          passed: number | null;
        }
      >(
        `SELECT g.id, c.name, g.admission_no, g.seat_no, a.started_at, a.submitted_at,
           g.first_login_at IS NOT NULL AS logged_in,
           (SELECT count(*) FROM answers w WHERE w.registration_id = g.id AND w.choice <> '[]') AS answered,
           res.score, res.passed
         FROM registrations g JOIN candidates c ON c.id = g.candidate_id
         LEFT JOIN attempts a ON a.registration_id = g.id
         LEFT JOIN results res ON res.registration_id = g.id
         WHERE g.session_id = ? ORDER BY g.seat_no`,
      )
      .all(sessionId);
    return rows.map((r) => ({
      registrationId: r.id,
      name: r.name,
      admissionNo: r.admission_no,
      seatNo: r.seat_no,
      status: r.submitted_at ? 'submitted' : r.started_at ? 'answering' : r.logged_in ? 'not-started' : 'not-logged-in',
      answered: r.answered,
      questionCount,
      score: r.score,
      passed: r.passed === null ? null : r.passed === 1,
    }));
  }

  registration(id: number): RegistrationRecord | undefined {
    return cachedStatement<[number], RegistrationRecord>(
      this.db,
      `SELECT g.id, g.session_id AS sessionId, g.candidate_id AS candidateId, g.admission_no AS admissionNo,
           g.seat_no AS seatNo, c.name, c.id_number AS idNumber, c.photo
         FROM registrations g JOIN candidates c ON c.id = g.candidate_id WHERE g.id = ?`,
    ).get(id);
  }

  registrationByLogin(admissionNo: string, idNumber: string): RegistrationRecord | undefined {
    return this.db
      .prepare<[string, string], RegistrationRecord>(
        `SELECT g.id, g.session_id AS sessionId, g.candidate_id AS candidateId, g.admission_no AS admissionNo,
           g.seat_no AS seatNo, c.name, c.id_number AS idNumber, c.photo
         FROM registrations g JOIN candidates c ON c.id = g.candidate_id
         WHERE g.admission_no = ? AND c.id_number = ?`,
      )
      .get(admissionNo, idNumber);
  }

  rooms(): { id: number; name: string; seatCount: number }[] {
    return this.db
      .prepare<[], { id: number; name: string; seatCount: number }>(
        'SELECT id, name, seat_count AS seatCount FROM rooms ORDER BY id',
      )
      .all();
  }

  insertRoom(name: string, seatCount: number): number {
    return Number(
      this.db.prepare('INSERT INTO rooms (name, seat_count) VALUES (?, ?)').run(name, seatCount).lastInsertRowid,
    );
  }

  insertSession(
    s: Omit<SessionRecord, 'id' | 'categoryName' | 'roomName' | 'state'> & { state: SessionState },
    now: number,
  ): number {
    const info = this.db
      .prepare(
        `INSERT INTO sessions (code, name, category, blueprint_id, bank_version_id, room_id, scheduled_start,
           duration_minutes, state, settings, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        s.code,
        s.name,
        s.category,
        s.blueprintId,
        s.bankVersionId,
        s.roomId,
        s.scheduledStart,
        s.durationMinutes,
        s.state,
        JSON.stringify(s.settings),
        now,
        now,
      );
    return Number(info.lastInsertRowid);
  }

  insertRegistration(sessionId: number, candidateId: number, admissionNo: string, seatNo: number, now: number): number {
    return Number(
      this.db
        .prepare(
          'INSERT INTO registrations (session_id, candidate_id, admission_no, seat_no, created_at) VALUES (?, ?, ?, ?, ?)',
        )
        .run(sessionId, candidateId, admissionNo, seatNo, now).lastInsertRowid,
    );
  }

  markLoggedIn(registrationId: number, now: number): void {
    this.db
      .prepare('UPDATE registrations SET first_login_at = coalesce(first_login_at, ?) WHERE id = ?')
      .run(now, registrationId);
  }

  setState(id: number, state: SessionState, now: number): void {
    this.db.prepare('UPDATE sessions SET state = ?, updated_at = ? WHERE id = ?').run(state, now, id);
  }
}

export function summaryOf(s: SessionRecord): Omit<SessionSummary, 'registered' | 'submitted'> {
  return {
    id: s.id,
    code: s.code,
    name: s.name,
    category: s.category,
    categoryName: s.categoryName,
    roomName: s.roomName,
    scheduledStart: s.scheduledStart,
    durationMinutes: s.durationMinutes,
    state: s.state,
  };
}
