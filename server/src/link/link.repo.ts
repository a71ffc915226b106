import type { Db } from '../db/open';
import type { BanListBody, LinkMessageType, ProvinceBanRecord } from '../protocol/regulator';

// The only SQL of the centre's side of the regulator link (issue 14; tables in migration 0016).

export type LinkStateRow = {
  centreCode: string | null;
  centreName: string | null;
  regulatorUrl: string | null;
  maxAgeDays: number;
  outAcked: number;
  freshnessJson: string | null;
  freshnessAsOf: number | null;
  lastExchangeAt: number | null;
  lastError: string | null;
};
export type OutboxRow = { seq: number; type: LinkMessageType; body: string; sentAt: number };
export type LinkLogRow = {
  id: number;
  at: number;
  via: 'link' | 'bundle';
  seq: number;
  type: string | null;
  status: 'refused' | 'duplicate' | 'problem';
  code: string;
  reason: string;
};
export type BanListRow = { version: number; issuedAt: number; body: BanListBody; sha256: string; receivedAt: number };
export type StaleExceptionRow = {
  id: number;
  sessionId: number;
  sessionCode: string;
  reason: string;
  recordedBy: string;
  recordedByName: string | null;
  recordedAt: number;
  listVersion: number;
  listAsOf: number;
};

const parsedLists = new WeakMap<Db, BanListRow>();

export class LinkRepo {
  constructor(private readonly db: Db) {}

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  state(): LinkStateRow {
    return this.db
      .prepare<[], LinkStateRow>(
        `SELECT centre_code AS centreCode, centre_name AS centreName, regulator_url AS regulatorUrl,
           ban_list_max_age_days AS maxAgeDays, out_acked AS outAcked, freshness_json AS freshnessJson,
           freshness_as_of AS freshnessAsOf, last_exchange_at AS lastExchangeAt, last_error AS lastError
         FROM link_state WHERE id = 1`,
      )
      .get()!;
  }

  setIdentity(
    p: { centreCode?: string | null; centreName?: string | null; regulatorUrl?: string | null },
    now: number,
  ) {
    const s = this.state();
    this.db
      .prepare('UPDATE link_state SET centre_code = ?, centre_name = ?, regulator_url = ?, updated_at = ? WHERE id = 1')
      .run(
        p.centreCode === undefined ? s.centreCode : p.centreCode,
        p.centreName === undefined ? s.centreName : p.centreName,
        p.regulatorUrl === undefined ? s.regulatorUrl : p.regulatorUrl,
        now,
      );
  }

  setMaxAgeDays(days: number, now: number): void {
    this.db.prepare('UPDATE link_state SET ban_list_max_age_days = ?, updated_at = ? WHERE id = 1').run(days, now);
  }

  setFreshness(json: string, asOf: number, now: number): void {
    this.db
      .prepare('UPDATE link_state SET freshness_json = ?, freshness_as_of = ?, updated_at = ? WHERE id = 1')
      .run(json, asOf, now);
  }

  /** Acks only move forward: an old bundle carried late must not make the centre resend what was applied. */
  ack(received: number, now: number): void {
    this.db
      .prepare('UPDATE link_state SET out_acked = MAX(out_acked, ?), updated_at = ? WHERE id = 1')
      .run(received, now);
  }

  exchanged(at: number, error: string | null): void {
    if (error === null)
      this.db.prepare('UPDATE link_state SET last_exchange_at = ?, last_error = NULL WHERE id = 1').run(at);
    else this.db.prepare('UPDATE link_state SET last_error = ? WHERE id = 1').run(error);
  }

  // ---- outbox ----
  enqueue(type: LinkMessageType, body: unknown, now: number): number {
    const next = this.db.prepare<[], { n: number }>('SELECT COALESCE(MAX(seq), 0) + 1 AS n FROM link_outbox').get()!.n;
    this.db
      .prepare('INSERT INTO link_outbox (seq, type, body, sent_at) VALUES (?, ?, ?, ?)')
      .run(next, type, JSON.stringify(body), now);
    return next;
  }

  outboxAfter(seq: number, limit: number): OutboxRow[] {
    return this.db
      .prepare<[number, number], OutboxRow>(
        'SELECT seq, type, body, sent_at AS sentAt FROM link_outbox WHERE seq > ? ORDER BY seq LIMIT ?',
      )
      .all(seq, limit);
  }

  outboxCountAfter(seq: number): number {
    return this.db.prepare<[number], { n: number }>('SELECT COUNT(*) AS n FROM link_outbox WHERE seq > ?').get(seq)!.n;
  }

  outboxTypes(): { seq: number; type: string; body: string }[] {
    return this.db
      .prepare<[], { seq: number; type: string; body: string }>('SELECT seq, type, body FROM link_outbox ORDER BY seq')
      .all();
  }

  // ---- inbox ----
  lastInboxSeq(): number {
    return this.db.prepare<[], { n: number }>('SELECT COALESCE(MAX(seq), 0) AS n FROM link_inbox').get()!.n;
  }

  inboxHashAt(seq: number): string | null {
    return (
      this.db.prepare<[number], { hash: string }>('SELECT hash FROM link_inbox WHERE seq = ?').get(seq)?.hash ?? null
    );
  }

  recordInbox(r: {
    seq: number;
    type: string;
    hash: string;
    via: 'link' | 'bundle';
    at: number;
    problem: string | null;
  }) {
    this.db
      .prepare('INSERT INTO link_inbox (seq, type, hash, via, received_at, problem) VALUES (?, ?, ?, ?, ?, ?)')
      .run(r.seq, r.type, r.hash, r.via, r.at, r.problem);
  }

  // ---- log ----
  log(r: Omit<LinkLogRow, 'id'>): void {
    this.db
      .prepare('INSERT INTO link_log (at, via, seq, type, status, code, reason) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(r.at, r.via, r.seq, r.type, r.status, r.code, r.reason);
  }

  logRows(limit = 200): LinkLogRow[] {
    return this.db
      .prepare<[number], LinkLogRow>(
        'SELECT id, at, via, seq, type, status, code, reason FROM link_log ORDER BY id DESC LIMIT ?',
      )
      .all(limit);
  }

  // ---- province ban lists ----
  newestBanList(): BanListRow | null {
    const row = this.db
      .prepare<[], { version: number; issuedAt: number; body: string; sha256: string; receivedAt: number }>(
        `SELECT version, issued_at AS issuedAt, body, sha256, received_at AS receivedAt
         FROM province_ban_lists ORDER BY version DESC LIMIT 1`,
      )
      .get();
    return row ? { ...row, body: JSON.parse(row.body) as BanListBody } : null;
  }

  /** Cheap (one indexed lookup): whether any province list was ever received, for the per-request login check. */
  hasBanList(): boolean {
    return !!this.db.prepare('SELECT 1 FROM province_ban_lists LIMIT 1').get();
  }

  /** The integrity rules read the list at every check: parse a province-sized list once per version. */
  private newestBanListCached(): BanListRow | null {
    const version = this.db.prepare<[], { v: number }>('SELECT MAX(version) AS v FROM province_ban_lists').get()?.v;
    if (version === null || version === undefined) return null;
    const cached = parsedLists.get(this.db);
    if (cached?.version === version) return cached;
    const list = this.newestBanList();
    if (list) parsedLists.set(this.db, list);
    return list;
  }

  insertBanList(body: BanListBody, sha256: string, now: number): void {
    this.db
      .prepare('INSERT INTO province_ban_lists (version, issued_at, body, sha256, received_at) VALUES (?, ?, ?, ?, ?)')
      .run(body.version, body.issuedAt, JSON.stringify(body), sha256, now);
  }

  /**
   * The newest list's records for these ID numbers (staff_profiles.id_number) and credit codes
   * (organisations.credit_code). Read at every check, so a new list binds from the moment it is applied.
   */
  provinceBans(q: { idNumbers?: readonly string[]; creditCodes?: readonly string[] }): {
    version: number;
    persons: Extract<ProvinceBanRecord, { kind: 'person' }>[];
    organisations: Extract<ProvinceBanRecord, { kind: 'organisation' }>[];
  } {
    const list = this.newestBanListCached();
    if (!list) return { version: 0, persons: [], organisations: [] };
    const ids = new Set(q.idNumbers ?? []);
    const codes = new Set(q.creditCodes ?? []);
    return {
      version: list.version,
      persons: list.body.records.flatMap((r) => (r.kind === 'person' && ids.has(r.idNumber) ? [r] : [])),
      organisations: list.body.records.flatMap((r) =>
        r.kind === 'organisation' && codes.has(r.creditCode) ? [r] : [],
      ),
    };
  }

  // ---- stale-list exceptions ----
  insertStaleException(r: Omit<StaleExceptionRow, 'id' | 'sessionCode' | 'recordedByName'>): number {
    return Number(
      this.db
        .prepare(
          `INSERT INTO stale_list_exceptions (session_id, reason, recorded_by, recorded_at, list_version, list_as_of)
           VALUES (?, ?, ?, ?, ?, ?)`,
        )
        .run(r.sessionId, r.reason, r.recordedBy, r.recordedAt, r.listVersion, r.listAsOf).lastInsertRowid,
    );
  }

  hasStaleException(sessionId: number): boolean {
    return !!this.db.prepare('SELECT 1 FROM stale_list_exceptions WHERE session_id = ? LIMIT 1').get(sessionId);
  }

  staleExceptions(sessionId?: number): StaleExceptionRow[] {
    return this.db
      .prepare<[number | null, number | null], StaleExceptionRow>(
        `SELECT x.id, x.session_id AS sessionId, s.code AS sessionCode, x.reason, x.recorded_by AS recordedBy,
           p.name AS recordedByName, x.recorded_at AS recordedAt, x.list_version AS listVersion,
           x.list_as_of AS listAsOf
         FROM stale_list_exceptions x JOIN sessions s ON s.id = x.session_id
           LEFT JOIN staff p ON x.recorded_by = 'staff:' || p.id
         WHERE ? IS NULL OR x.session_id = ? ORDER BY x.id DESC LIMIT 500`,
      )
      .all(sessionId ?? null, sessionId ?? null);
  }

  // ---- what the outgoing messages carry ----
  sessionForNotice(
    sessionId: number,
  ): { code: string; category: string; state: string; scheduledStart: number; scheduledEnd: number } | undefined {
    return this.db
      .prepare<
        [number],
        { code: string; category: string; state: string; scheduledStart: number; scheduledEnd: number }
      >(
        `SELECT code, category, state, scheduled_start AS scheduledStart,
           scheduled_start + duration_minutes * 60000 AS scheduledEnd
         FROM sessions WHERE id = ?`,
      )
      .get(sessionId);
  }

  noticeCandidates(sessionId: number) {
    return this.db
      .prepare<[number], { idNumber: string; name: string; orgName: string | null; orgCreditCode: string | null }>(
        `SELECT c.id_number AS idNumber, c.name, o.name AS orgName, o.credit_code AS orgCreditCode
         FROM registrations g JOIN candidates c ON c.id = g.candidate_id
           LEFT JOIN organisations o ON o.id = c.training_org_id
         WHERE g.session_id = ? ORDER BY g.id`,
      )
      .all(sessionId);
  }

  /** Staff on duty with an ID number on file (the regulator matches people by ID number only). */
  noticeStaff(sessionId: number) {
    return this.db
      .prepare<[number], { idNumber: string; name: string; duty: 'chief_examiner' | 'proctor' | 'examiner' }>(
        `SELECT p.id_number AS idNumber, s.name, x.duty FROM session_staff x JOIN staff s ON s.id = x.staff_id
           JOIN staff_profiles p ON p.staff_id = s.id
         WHERE x.session_id = ? AND p.id_number IS NOT NULL ORDER BY x.staff_id`,
      )
      .all(sessionId);
  }

  /**
   * Where each staff member on duty declared teaching: the training engagements of their declaration in force
   * (latest version, as the centre's own 考培分离 rule reads it), for the regulator's checks across centres.
   */
  noticeEngagements(sessionId: number) {
    return this.db
      .prepare<
        [number],
        { idNumber: string; orgName: string; orgCreditCode: string | null; from: string; to: string | null }
      >(
        `SELECT p.id_number AS idNumber, o.name AS orgName, o.credit_code AS orgCreditCode, e.from_date AS "from",
           e.to_date AS "to"
         FROM session_staff x JOIN staff_profiles p ON p.staff_id = x.staff_id
           JOIN declarations d ON d.staff_id = x.staff_id
             AND d.version = (SELECT max(version) FROM declarations WHERE staff_id = x.staff_id)
           JOIN training_engagements e ON e.declaration_id = d.id JOIN organisations o ON o.id = e.org_id
         WHERE x.session_id = ? AND p.id_number IS NOT NULL ORDER BY x.staff_id, e.id`,
      )
      .all(sessionId);
  }

  latestArchive(sessionId: number): { file: string; sha256: string } | undefined {
    return this.db
      .prepare<[number], { file: string; sha256: string }>(
        'SELECT file, sha256 FROM archives WHERE session_id = ? ORDER BY id DESC LIMIT 1',
      )
      .get(sessionId);
  }

  isChiefOf(sessionId: number, staffId: number): boolean {
    return !!this.db
      .prepare("SELECT 1 FROM session_staff WHERE session_id = ? AND staff_id = ? AND duty = 'chief_examiner'")
      .get(sessionId, staffId);
  }

  sessionCode(sessionId: number): string | undefined {
    return this.db.prepare<[number], { code: string }>('SELECT code FROM sessions WHERE id = ?').get(sessionId)?.code;
  }
}
