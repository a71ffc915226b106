import type { Db } from '../db/open';
import type {
  EvidenceView,
  InspectionArea,
  InspectionView,
  LedgerStatus,
  LedgerStep,
  ReportView,
  SurveyInput,
  SurveyRow,
} from '../protocol';

type ReportRow = {
  id: number;
  session_id: number;
  session_code: string;
  registration_id: number | null;
  admission_no: string | null;
  name: string | null;
  kind: ReportView['kind'];
  body: string;
  contact: string;
  content_hash: string;
  filed_at: number;
  status: ReportView['status'];
  outcome: string | null;
  ledger_id: number | null;
};
export type LedgerRow = {
  id: number;
  inspection_id: number | null;
  report_id: number | null;
  area: string;
  problem: string;
  measure: string;
  responsible: string;
  deadline: string;
  status: LedgerStatus;
  created_by: string;
  created_at: number;
  updated_at: number;
  verified_at: number | null;
};
type InspectionRow = {
  id: number;
  kind: InspectionView['kind'];
  day: string;
  inspectors: string;
  areas: string;
  session_id: number | null;
  session_code: string | null;
  session_event_seq: number | null;
  notes: string;
  created_by: string;
  created_at: number;
  findings: number;
};

/** The only SQL of conduct supervision (issue 10). */
export class ConductRepo {
  constructor(private readonly db: Db) {}

  // ---- surveys ----
  surveyOf(registrationId: number): { id: number } | undefined {
    return this.db
      .prepare<[number], { id: number }>('SELECT id FROM conduct_surveys WHERE registration_id = ?')
      .get(registrationId);
  }
  insertSurvey(registrationId: number, sessionId: number, s: SurveyInput, at: number): number {
    return Number(
      this.db
        .prepare(
          `INSERT INTO conduct_surveys (registration_id, session_id, service, fairness, equipment, staff_conduct, comment, submitted_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(registrationId, sessionId, s.service, s.fairness, s.equipment, s.staffConduct, s.comment, at)
        .lastInsertRowid,
    );
  }
  surveys(from: number, to: number): (SurveyRow & { sessionCode: string })[] {
    return this.db
      .prepare<[number, number], SurveyRow & { sessionCode: string }>(
        `SELECT v.id, v.session_id AS sessionId, s.code AS sessionCode, v.service, v.fairness, v.equipment,
                v.staff_conduct AS staffConduct, v.comment, v.submitted_at AS submittedAt
         FROM conduct_surveys v JOIN sessions s ON s.id = v.session_id
         WHERE v.submitted_at >= ? AND v.submitted_at < ? ORDER BY v.submitted_at`,
      )
      .all(from, to);
  }

  // ---- reports ----
  reportsFiledBy(registrationId: number): number {
    return this.db
      .prepare<[number], { n: number }>('SELECT count(*) AS n FROM conduct_reports WHERE registration_id = ?')
      .get(registrationId)!.n;
  }
  insertReport(r: {
    sessionId: number;
    registrationId: number | null;
    kind: string;
    body: string;
    contact: string;
    contentHash: string;
    at: number;
  }): number {
    return Number(
      this.db
        .prepare(
          `INSERT INTO conduct_reports (session_id, registration_id, anonymous, kind, body, contact, content_hash, filed_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          r.sessionId,
          r.registrationId,
          r.registrationId === null ? 1 : 0,
          r.kind,
          r.body,
          r.contact,
          r.contentHash,
          r.at,
        ).lastInsertRowid,
    );
  }
  private readonly reportSelect = `SELECT r.id, r.session_id, s.code AS session_code, r.registration_id, g.admission_no, c.name, r.kind, r.body,
      r.contact, r.content_hash, r.filed_at, r.status, r.outcome, (SELECT l.id FROM conduct_ledger l WHERE l.report_id = r.id) AS ledger_id
    FROM conduct_reports r JOIN sessions s ON s.id = r.session_id
    LEFT JOIN registrations g ON g.id = r.registration_id LEFT JOIN candidates c ON c.id = g.candidate_id`;
  reports(): ReportView[] {
    return this.db.prepare<[], ReportRow>(`${this.reportSelect} ORDER BY r.filed_at DESC`).all().map(toReport);
  }
  report(id: number): ReportView | undefined {
    const row = this.db.prepare<[number], ReportRow>(`${this.reportSelect} WHERE r.id = ?`).get(id);
    return row && toReport(row);
  }
  setReportStatus(id: number, status: 'case' | 'closed', by: string, at: number, outcome: string | null): void {
    this.db
      .prepare('UPDATE conduct_reports SET status = ?, handled_by = ?, handled_at = ?, outcome = ? WHERE id = ?')
      .run(status, by, at, outcome, id);
  }
  reportsFiled(from: number, to: number): { anonymous: number; kind: string; status: string }[] {
    return this.db
      .prepare<[number, number], { anonymous: number; kind: string; status: string }>(
        'SELECT anonymous, kind, status FROM conduct_reports WHERE filed_at >= ? AND filed_at < ?',
      )
      .all(from, to);
  }

  // ---- inspections ----
  insertInspection(i: {
    kind: string;
    day: string;
    inspectors: string;
    areas: InspectionArea[];
    sessionId: number | null;
    sessionEventSeq: number | null;
    notes: string;
    by: string;
    at: number;
  }): number {
    return Number(
      this.db
        .prepare(
          `INSERT INTO conduct_inspections (kind, day, inspectors, areas, session_id, session_event_seq, notes, created_by, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(i.kind, i.day, i.inspectors, JSON.stringify(i.areas), i.sessionId, i.sessionEventSeq, i.notes, i.by, i.at)
        .lastInsertRowid,
    );
  }
  inspections(fromDay = '0000-00-00', toDay = '9999-99-99'): InspectionView[] {
    return this.db
      .prepare<[string, string], InspectionRow>(
        `SELECT i.*, s.code AS session_code, (SELECT count(*) FROM conduct_ledger l WHERE l.inspection_id = i.id) AS findings
         FROM conduct_inspections i LEFT JOIN sessions s ON s.id = i.session_id WHERE i.day >= ? AND i.day <= ? ORDER BY i.day DESC, i.id DESC`,
      )
      .all(fromDay, toDay)
      .map((r) => ({
        id: r.id,
        kind: r.kind,
        day: r.day,
        inspectors: r.inspectors,
        areas: JSON.parse(r.areas) as InspectionArea[],
        sessionId: r.session_id,
        sessionCode: r.session_code,
        sessionEventSeq: r.session_event_seq,
        notes: r.notes,
        createdBy: r.created_by,
        createdAt: r.created_at,
        findings: r.findings,
      }));
  }

  // ---- ledger ----
  insertEntry(e: {
    inspectionId: number | null;
    reportId: number | null;
    area: string;
    problem: string;
    measure: string;
    responsible: string;
    deadline: string;
    by: string;
    at: number;
  }): number {
    return Number(
      this.db
        .prepare(
          `INSERT INTO conduct_ledger (inspection_id, report_id, area, problem, measure, responsible, deadline, status, created_by, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?)`,
        )
        .run(e.inspectionId, e.reportId, e.area, e.problem, e.measure, e.responsible, e.deadline, e.by, e.at, e.at)
        .lastInsertRowid,
    );
  }
  entry(id: number): LedgerRow | undefined {
    return this.db.prepare<[number], LedgerRow>('SELECT * FROM conduct_ledger WHERE id = ?').get(id);
  }
  entries(): LedgerRow[] {
    return this.db.prepare<[], LedgerRow>('SELECT * FROM conduct_ledger ORDER BY id DESC').all();
  }
  setStatus(id: number, status: LedgerStatus, at: number): void {
    this.db
      .prepare(
        `UPDATE conduct_ledger SET status = ?, updated_at = ?, verified_at = CASE WHEN ? = 'verified' THEN ? ELSE verified_at END WHERE id = ?`,
      )
      .run(status, at, status, at, id);
  }
  insertStep(entryId: number, s: Omit<LedgerStep, 'actorName'>): void {
    this.db
      .prepare(
        'INSERT INTO conduct_ledger_steps (entry_id, at, actor, from_status, to_status, note) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(entryId, s.at, s.actor, s.from, s.to, s.note);
  }
  steps(entryId: number): LedgerStep[] {
    return this.db
      .prepare<[number], LedgerStep>(
        // The person's name beside the actor id: the ledger is read by people (issue 16), not by `staff:6`.
        `SELECT s.at, s.actor, coalesce(st.name, s.actor) AS actorName, s.from_status AS "from", s.to_status AS "to", s.note
           FROM conduct_ledger_steps s LEFT JOIN staff st ON s.actor = 'staff:' || st.id
          WHERE s.entry_id = ? ORDER BY s.id`,
      )
      .all(entryId);
  }
  insertEvidence(e: {
    entryId: number;
    filename: string;
    mime: string;
    content: Buffer;
    sha256: string;
    by: string;
    at: number;
  }): number {
    return Number(
      this.db
        .prepare(
          'INSERT INTO conduct_evidence (entry_id, filename, mime, size, sha256, content, uploaded_by, uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(e.entryId, e.filename, e.mime, e.content.length, e.sha256, e.content, e.by, e.at).lastInsertRowid,
    );
  }
  evidence(entryId: number): EvidenceView[] {
    return this.db
      .prepare<[number], EvidenceView>(
        `SELECT id, filename, mime, size, sha256, uploaded_by AS uploadedBy, uploaded_at AS uploadedAt FROM conduct_evidence WHERE entry_id = ? ORDER BY id`,
      )
      .all(entryId);
  }
  evidenceFile(entryId: number, id: number): { filename: string; mime: string; content: Buffer } | undefined {
    return this.db
      .prepare<[number, number], { filename: string; mime: string; content: Buffer }>(
        'SELECT filename, mime, content FROM conduct_evidence WHERE entry_id = ? AND id = ?',
      )
      .get(entryId, id);
  }
  evidenceCount(entryId: number): number {
    return this.db
      .prepare<[number], { n: number }>('SELECT count(*) AS n FROM conduct_evidence WHERE entry_id = ?')
      .get(entryId)!.n;
  }

  // ---- exam data for the yearly summary ----
  sessionsBetween(from: number, to: number): { id: number; state: string }[] {
    return this.db
      .prepare<[number, number], { id: number; state: string }>(
        'SELECT id, state FROM sessions WHERE scheduled_start >= ? AND scheduled_start < ?',
      )
      .all(from, to);
  }
  resultsBetween(from: number, to: number): { graded: number; passed: number } {
    return this.db
      .prepare<[number, number], { graded: number; passed: number }>(
        `SELECT count(*) AS graded, coalesce(sum(r.passed), 0) AS passed FROM results r JOIN registrations g ON g.id = r.registration_id
         JOIN sessions s ON s.id = g.session_id WHERE s.scheduled_start >= ? AND s.scheduled_start < ?`,
      )
      .get(from, to)!;
  }
}

function toReport(r: ReportRow): ReportView {
  return {
    id: r.id,
    sessionId: r.session_id,
    sessionCode: r.session_code,
    reporter:
      r.registration_id === null
        ? null
        : { registrationId: r.registration_id, admissionNo: r.admission_no ?? '', name: r.name ?? '' },
    kind: r.kind,
    body: r.body,
    contact: r.contact,
    contentHash: r.content_hash,
    filedAt: r.filed_at,
    status: r.status,
    outcome: r.outcome,
    ledgerId: r.ledger_id,
  };
}

/** Whether the registration's attempt was submitted (surveys and reports come after the exam only). */
export function submittedSession(
  db: Db,
  registrationId: number,
): { sessionId: number; submittedAt: number } | undefined {
  return db
    .prepare<[number], { sessionId: number; submittedAt: number }>(
      `SELECT g.session_id AS sessionId, a.submitted_at AS submittedAt FROM registrations g JOIN attempts a ON a.registration_id = g.id
       WHERE g.id = ? AND a.submitted_at IS NOT NULL`,
    )
    .get(registrationId);
}
