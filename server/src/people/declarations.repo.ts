import type { Db } from '../db/open';
import type { DeclarationView } from '../protocol';

type DeclRow = {
  id: number;
  staff_id: number;
  version: number;
  statement: string;
  body_hash: string;
  signed_at: number;
};
type RelRow = {
  id: number;
  declaration_id: number;
  kind: DeclarationView['relationships'][number]['kind'];
  person_id_number: string | null;
  person_name: string | null;
  org_id: number | null;
  org_name: string | null;
  note: string | null;
};
type EngRow = {
  id: number;
  declaration_id: number;
  org_id: number;
  org_name: string;
  from_date: string;
  to_date: string | null;
  note: string | null;
};

export type NewDeclaration = {
  staffId: number;
  statement: string;
  bodyHash: string;
  signedBy: number;
  signedAt: number;
  recordedBy: string;
  relationships: {
    kind: string;
    personIdNumber: string | null;
    personName: string | null;
    orgId: number | null;
    note: string | null;
  }[];
  engagements: { orgId: number; from: string; to: string | null; note: string | null }[];
};

/** An admin's review of a relationship or engagement dropped from a later version (0010). */
export type NewRemovalReview = {
  staffId: number;
  part: 'relationship' | 'engagement';
  itemKey: string;
  itemId: number;
  removedInDeclarationId: number;
  reason: string;
  reviewedBy: string;
  reviewedAt: number;
};

/** Declarations are append-only (triggers in 0003): a change is a new version, the latest is in force. */
export class DeclarationsRepo {
  constructor(private readonly db: Db) {}

  insert(d: NewDeclaration): { id: number; version: number } {
    const last = this.db
      .prepare<[number], { v: number | null }>('SELECT max(version) AS v FROM declarations WHERE staff_id = ?')
      .get(d.staffId);
    const version = (last?.v ?? 0) + 1;
    const id = Number(
      this.db
        .prepare(
          `INSERT INTO declarations (staff_id, version, statement, body_hash, signed_by, signed_at, recorded_by)
           VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(d.staffId, version, d.statement, d.bodyHash, d.signedBy, d.signedAt, d.recordedBy).lastInsertRowid,
    );
    const rel = this.db.prepare(
      `INSERT INTO declaration_relationships (declaration_id, kind, person_id_number, person_name, org_id, note)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    for (const r of d.relationships) rel.run(id, r.kind, r.personIdNumber, r.personName, r.orgId, r.note);
    const eng = this.db.prepare(
      'INSERT INTO training_engagements (declaration_id, org_id, from_date, to_date, note) VALUES (?, ?, ?, ?, ?)',
    );
    for (const e of d.engagements) eng.run(id, e.orgId, e.from, e.to, e.note);
    return { id, version };
  }

  history(staffId: number): DeclarationView[] {
    const rows = this.db
      .prepare<[number], DeclRow>('SELECT * FROM declarations WHERE staff_id = ? ORDER BY version DESC')
      .all(staffId);
    return this.withParts(rows);
  }

  /** The declaration in force (latest version) of each given staff member. */
  latestFor(staffIds: readonly number[]): Map<number, DeclarationView> {
    const rows = this.db
      .prepare<[string], DeclRow>(
        `SELECT d.* FROM declarations d
         JOIN (SELECT staff_id, max(version) AS v FROM declarations
               WHERE staff_id IN (SELECT value FROM json_each(?)) GROUP BY staff_id) m
           ON m.staff_id = d.staff_id AND m.v = d.version`,
      )
      .all(JSON.stringify(staffIds));
    return new Map(this.withParts(rows).map((d) => [d.staffId, d]));
  }

  /** Every version of each given staff member's declaration, oldest first (retractions are read across them). */
  allVersionsFor(staffIds: readonly number[]): Map<number, DeclarationView[]> {
    const rows = this.db
      .prepare<[string], DeclRow>(
        `SELECT * FROM declarations WHERE staff_id IN (SELECT value FROM json_each(?)) ORDER BY staff_id, version`,
      )
      .all(JSON.stringify(staffIds));
    const out = new Map<number, DeclarationView[]>();
    for (const d of this.withParts(rows)) out.set(d.staffId, [...(out.get(d.staffId) ?? []), d]);
    return out;
  }

  /** Everyone who ever signed a declaration (whose removals there may be to review). */
  declaredStaffIds(): number[] {
    return this.db.prepare<[], number>('SELECT DISTINCT staff_id FROM declarations ORDER BY staff_id').pluck().all();
  }

  insertRemovalReview(r: NewRemovalReview): void {
    this.db
      .prepare(
        `INSERT INTO declaration_removal_reviews
           (staff_id, part, item_key, item_id, removed_in_declaration_id, reason, reviewed_by, reviewed_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(r.staffId, r.part, r.itemKey, r.itemId, r.removedInDeclarationId, r.reason, r.reviewedBy, r.reviewedAt);
  }

  removalReviewsFor(staffIds: readonly number[]): NewRemovalReview[] {
    return this.db
      .prepare<[string], NewRemovalReview>(
        `SELECT staff_id AS staffId, part, item_key AS itemKey, item_id AS itemId,
                removed_in_declaration_id AS removedInDeclarationId, reason, reviewed_by AS reviewedBy,
                reviewed_at AS reviewedAt
         FROM declaration_removal_reviews WHERE staff_id IN (SELECT value FROM json_each(?)) ORDER BY id`,
      )
      .all(JSON.stringify(staffIds));
  }

  private withParts(rows: DeclRow[]): DeclarationView[] {
    if (rows.length === 0) return [];
    const ids = JSON.stringify(rows.map((r) => r.id));
    const rels = this.db
      .prepare<[string], RelRow>(
        `SELECT r.*, o.name AS org_name FROM declaration_relationships r LEFT JOIN organisations o ON o.id = r.org_id
         WHERE r.declaration_id IN (SELECT value FROM json_each(?)) ORDER BY r.id`,
      )
      .all(ids);
    const engs = this.db
      .prepare<[string], EngRow>(
        `SELECT e.*, o.name AS org_name FROM training_engagements e JOIN organisations o ON o.id = e.org_id
         WHERE e.declaration_id IN (SELECT value FROM json_each(?)) ORDER BY e.id`,
      )
      .all(ids);
    return rows.map((r) => ({
      id: r.id,
      staffId: r.staff_id,
      version: r.version,
      statement: r.statement,
      bodyHash: r.body_hash,
      signedAt: r.signed_at,
      relationships: rels
        .filter((x) => x.declaration_id === r.id)
        .map((x) => ({
          id: x.id,
          kind: x.kind,
          personIdNumber: x.person_id_number,
          personName: x.person_name,
          orgId: x.org_id,
          orgName: x.org_name,
          note: x.note,
        })),
      engagements: engs
        .filter((x) => x.declaration_id === r.id)
        .map((x) => ({
          id: x.id,
          orgId: x.org_id,
          orgName: x.org_name,
          from: x.from_date,
          to: x.to_date,
          note: x.note,
        })),
    }));
  }
}
