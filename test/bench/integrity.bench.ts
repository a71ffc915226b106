import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { migrate } from '../../server/src/db/migrate';
import { openDatabase } from '../../server/src/db/open';
import { defaultIntegritySettings } from '../../server/src/integrity/integrity-settings';
import { IntegrityService } from '../../server/src/integrity/integrity.service';
import {
  evaluate,
  RULES_FOR,
  type CandidateFacts,
  type OrgFacts,
  type PlanFacts,
  type StaffFacts,
} from '../../server/src/integrity/rules';
import { idNumberCheckDigit } from '../../server/src/people/id-number';
import { ManualClock } from '../../server/src/shared/clock';
import type { Figure } from './figure';

const CANDIDATES = 2000;
const STAFF = 50;
const EMPLOYERS = 300;
const TRAINING = 20;
const idOf = (i: number) => {
  const first17 = `3701021990${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}${String(i % 1000).padStart(3, '0')}`;
  return first17 + idNumberCheckDigit(first17);
};

/** A session plan of 2,000 candidates and 50 staff with realistic declarations (a few real conflicts). */
function syntheticPlan(): PlanFacts {
  const orgs = new Map<number, OrgFacts>();
  orgs.set(1, { id: 1, name: '考试中心', kind: 'exam_institution', dishonesty: [] });
  for (let i = 0; i < TRAINING; i++)
    orgs.set(100 + i, {
      id: 100 + i,
      name: `培训机构${i}`,
      kind: 'training',
      dishonesty:
        i === 3 ? [{ id: 1, decisionDate: '2025-01-01', authority: '省局', documentNo: '1号', summary: '失信' }] : [],
    });
  for (let i = 0; i < EMPLOYERS; i++)
    orgs.set(1000 + i, { id: 1000 + i, name: `用人单位${i}`, kind: 'employer', dishonesty: [] });
  const candidates: CandidateFacts[] = Array.from({ length: CANDIDATES }, (_, i) => ({
    id: i + 1,
    name: `考生${i}`,
    idNumber: `${String(i).padStart(6, '0')}${idOf(i).slice(6)}`,
    employerOrgId: 1000 + (i % EMPLOYERS),
    trainingOrgId: 100 + (i % TRAINING),
  }));
  const staff = Array.from({ length: STAFF }, (_, s): { staff: StaffFacts; duty: 'proctor' | 'examiner' } => ({
    duty: s < 40 ? 'proctor' : 'examiner',
    staff: {
      id: s + 1,
      name: `工作人员${s}`,
      roles: ['proctor'],
      employerOrgId: s === 7 ? 1000 + 7 : 1,
      qualification: { certNo: `K${s}`, validFrom: '2024-01-01', validTo: '2028-12-31' },
      declaration: { id: s + 1, version: 1, signedAt: 0 },
      relationships: Array.from({ length: 5 }, (_, k) => ({
        id: s * 10 + k,
        kind: k === 4 ? 'other_interest' : 'relative',
        // Most declared relatives sit no exam here; staff 3 and 11 have one among the candidates.
        personIdNumber:
          (s === 3 || s === 11) && k === 0
            ? (candidates[s * 37]?.idNumber ?? null)
            : `99${String(s * 10 + k).padStart(4, '0')}${idOf(s * 10 + k).slice(6)}`,
        personName: null,
        orgId: null,
        note: null,
      })),
      // Old engagements, outside the look-back; staff 20 still teaches at a training organisation (100 conflicts).
      engagements: [
        {
          id: s,
          orgId: 100 + ((s + 5) % TRAINING),
          from: '2015-01-01',
          to: s === 20 ? null : '2019-12-31',
          note: null,
        },
      ],
      disciplinary: [],
    },
  }));
  return {
    sessionId: 1,
    sessionCode: 'BENCH',
    examDate: '2026-05-10',
    institutionOrgId: 1,
    staff,
    candidates,
    orgs,
    bank: null,
  };
}

/** The same plan through the database: load every fact, evaluate, record the run (what opening does). */
function dbOpenCheck(dir: string): number {
  const db = openDatabase(join(dir, 'bench.db'));
  migrate(db);
  const clock = new ManualClock(Date.parse('2026-05-10T08:00:00+08:00'));
  const now = clock.now();
  db.transaction(() => {
    db.exec(`INSERT INTO categories (code, name) VALUES ('N1', '叉车司机');
      INSERT INTO bank_versions (id, category, pool, fingerprint, item_count, source, created_by, created_at) VALUES (1, 'N1', 'exam', 'f', 0, 'b', 'b', 0);
      INSERT INTO blueprints (id, category, name, body, fingerprint, created_by, created_at) VALUES (1, 'N1', 'N1', '{}', 'b', 'b', 0);
      INSERT INTO rooms (id, name, seat_count) VALUES (1, '大厅', ${CANDIDATES});
      INSERT INTO sessions (id, code, name, category, blueprint_id, bank_version_id, room_id, scheduled_start, duration_minutes, state, settings, created_at, updated_at)
        VALUES (1, 'BENCH', 'bench', 'N1', 1, 1, 1, ${now}, 60, 'sealed', '{}', 0, 0);
      INSERT INTO organisations (id, name, kind, created_at, updated_at) VALUES (1, '考试中心', 'exam_institution', 0, 0);`);
    const org = db.prepare('INSERT INTO organisations (id, name, kind, created_at, updated_at) VALUES (?, ?, ?, 0, 0)');
    for (let i = 0; i < TRAINING; i++) org.run(100 + i, `培训机构${i}`, 'training');
    for (let i = 0; i < EMPLOYERS; i++) org.run(1000 + i, `用人单位${i}`, 'employer');
    const cand = db.prepare(
      'INSERT INTO candidates (id, name, id_number, employer_org_id, training_org_id, created_at) VALUES (?, ?, ?, ?, ?, 0)',
    );
    const reg = db.prepare(
      'INSERT INTO registrations (session_id, candidate_id, admission_no, seat_no, created_at) VALUES (1, ?, ?, ?, 0)',
    );
    for (let i = 0; i < CANDIDATES; i++) {
      cand.run(
        i + 1,
        `考生${i}`,
        `${String(i).padStart(6, '0')}${idOf(i).slice(6)}`,
        1000 + (i % EMPLOYERS),
        100 + (i % TRAINING),
      );
      reg.run(i + 1, `B${i}`, i + 1);
    }
    const st = db.prepare(
      "INSERT INTO staff (id, username, name, roles, password_hash, password_salt, created_at) VALUES (?, ?, ?, '[\"proctor\"]', 'x', 'x', 0)",
    );
    const prof = db.prepare(
      "INSERT INTO staff_profiles (staff_id, employer_org_id, cert_no, cert_valid_from, cert_valid_to, updated_at) VALUES (?, 1, ?, '2024-01-01', '2028-12-31', 0)",
    );
    const decl = db.prepare(
      "INSERT INTO declarations (id, staff_id, version, statement, body_hash, signed_by, signed_at, recorded_by) VALUES (?, ?, 1, 's', 'h', ?, 0, 'b')",
    );
    const rel = db.prepare(
      "INSERT INTO declaration_relationships (declaration_id, kind, person_id_number) VALUES (?, 'relative', ?)",
    );
    const eng = db.prepare(
      "INSERT INTO training_engagements (declaration_id, org_id, from_date, to_date) VALUES (?, ?, '2015-01-01', '2019-12-31')",
    );
    const assign = db.prepare(
      "INSERT INTO session_staff (session_id, staff_id, duty, assigned_at, assigned_by) VALUES (1, ?, 'proctor', 0, 'b')",
    );
    for (let s = 1; s <= STAFF; s++) {
      st.run(s, `s${s}`, `工作人员${s}`);
      prof.run(s, `K${s}`);
      decl.run(s, s, s);
      for (let k = 0; k < 5; k++) rel.run(s, `99${String(s * 10 + k).padStart(4, '0')}${idOf(s * 10 + k).slice(6)}`);
      eng.run(s, 100 + (s % TRAINING));
      assign.run(s);
    }
  })();
  const integrity = new IntegrityService(db, clock);
  const t0 = performance.now();
  integrity.checkOpening(1, 'bench');
  const ms = performance.now() - t0;
  db.close();
  return ms;
}

/**
 * integrity-check-2000x50-ms (the headline, issue 17): what opening a session runs over a 2,000-candidate ×
 * 50-staff plan through the database — load the facts, evaluate every opening rule, record the run and its
 * event. Target < 1 s. integrity-rules-2000x50-ms: the same rules over facts already in memory (median of 5
 * after a warm-up), the part of the headline that is pure computation.
 */
export async function run(): Promise<Figure[]> {
  const sizes = { candidates: CANDIDATES, staff: STAFF, employers: EMPLOYERS, trainingOrgs: TRAINING };
  const plan = syntheticPlan();
  const settings = defaultIntegritySettings();
  const found = evaluate(plan, settings, RULES_FOR.open).flatMap((r) => r.findings);
  if (!found.some((f) => f.code === 'recusal-conflict') || !found.some((f) => f.code === 'training-conflict'))
    throw new Error('bench: the synthetic plan should contain conflicts');
  const times: number[] = [];
  for (let i = 0; i < 6; i++) {
    // A fresh candidates array each time, so the candidate index is built inside the measurement.
    const fresh = { ...plan, candidates: plan.candidates.slice() };
    const t0 = performance.now();
    evaluate(fresh, settings, RULES_FOR.open);
    if (i > 0) times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const dir = mkdtempSync(join(tmpdir(), 'exam-center-bench-'));
  try {
    const openMs = dbOpenCheck(dir);
    const rulesMs = Math.round((times[2] as number) * 10) / 10;
    return [
      {
        name: 'integrity-check-2000x50-ms',
        value: Math.round(openMs),
        unit: 'ms',
        target: 1000,
        extra: { path: 'IntegrityService.checkOpening over a file database', rulesInMemoryMs: rulesMs, ...sizes },
      },
      {
        name: 'integrity-rules-2000x50-ms',
        value: rulesMs,
        unit: 'ms',
        extra: { path: 'evaluate(RULES_FOR.open) over facts in memory, median of 5', ...sizes },
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
