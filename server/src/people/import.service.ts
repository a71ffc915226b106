import type { Db } from '../db/open';
import { EventsRepo, INSTITUTION_CHAIN } from '../audit/events.repo';
import type { AuthService } from '../auth/auth.service';
import { generateOneTimePassword } from '../auth/passwords';
import { daySchema, idNumberSchema, ROLES, type ImportProblem, type ImportResult, type Role } from '../protocol';
import { sha256Hex } from '../shared/canonical-json';
import type { Clock } from '../shared/clock';
import { AppError } from '../shared/errors';
import { CandidateProfilesRepo } from './candidates.repo';
import { lockedFieldChanges } from './candidate-lock';
import { normaliseOrgName } from './names';
import { OrganisationsRepo } from './organisations.repo';
import type { RegistrationsService, RosterEntry } from './registrations.service';
import { StaffProfilesRepo } from './staff-profiles.repo';
import { StaffRepo } from './staff.repo';
import {
  CANDIDATE_COLUMNS,
  readTable,
  ROSTER_COLUMNS,
  STAFF_COLUMNS,
  type TableFormat,
  type TableRow,
} from './table-file';

const ROLE_NAMES: Record<string, Role> = {
  管理员: 'admin',
  题库管理员: 'bank_keeper',
  主考: 'chief_examiner',
  监考: 'proctor',
  考评员: 'proctor',
  监管人员: 'official',
};

/** Checks one row's cells, collecting problems with the row and column the user sees. */
class RowChecker {
  constructor(
    private readonly row: TableRow,
    private readonly problems: ImportProblem[],
  ) {}
  problem(column: string, message: string): void {
    this.problems.push({ row: this.row.row, column, message });
  }
  idNumber(key: string, column: string, required: boolean): string | null {
    const text = this.row.cells[key] ?? '';
    if (!text) {
      if (required) this.problem(column, '必填 (required)');
      return null;
    }
    if (typeof this.row.raw[key] === 'number') {
      this.problem(column, '身份证号须设为文本格式：Excel 把 18 位数字存成数值会丢失末位 (store as text)');
      return null;
    }
    const r = idNumberSchema.safeParse(text);
    if (!r.success) this.problem(column, r.error.issues[0]?.message ?? 'invalid');
    return r.success ? r.data : null;
  }
  day(key: string, column: string): string | null {
    const text = this.row.cells[key] ?? '';
    if (!text) return null;
    const r = daySchema.safeParse(text.replace(/[./]/g, '-'));
    if (!r.success) this.problem(column, `日期格式应为 YYYY-MM-DD：「${text}」`);
    return r.success ? r.data : null;
  }
  text(key: string, column: string, max: number, required: boolean): string | null {
    const text = this.row.cells[key] ?? '';
    if (!text && required) this.problem(column, '必填 (required)');
    if (text.length > max) this.problem(column, `最多 ${max} 个字符`);
    return text || null;
  }
}

const result = (dryRun: boolean, problems: ImportProblem[], created = 0, updated = 0): ImportResult => ({
  dryRun,
  imported: problems.length ? 0 : created + updated,
  created: problems.length ? 0 : created,
  updated: problems.length ? 0 : updated,
  problems: problems.sort((a, b) => a.row - b.row),
});

/**
 * Imports of candidates, staff and session rosters from CSV or Excel. All or nothing: every problem is reported
 * with its row and column, and nothing is stored unless the whole file is clean (a dry run only reports).
 */
export class ImportService {
  private readonly orgs: OrganisationsRepo;
  private readonly candidates: CandidateProfilesRepo;
  private readonly staff: StaffRepo;
  private readonly profiles: StaffProfilesRepo;
  private readonly events: EventsRepo;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly auth: AuthService,
    private readonly registrations: RegistrationsService,
  ) {
    this.orgs = new OrganisationsRepo(db);
    this.candidates = new CandidateProfilesRepo(db);
    this.staff = new StaffRepo(db);
    this.profiles = new StaffProfilesRepo(db);
    this.events = new EventsRepo(db);
  }

  private orgFor(name: string | null, created: Map<string, number>): number | null {
    if (!name) return null;
    const n = normaliseOrgName(name);
    const existing = this.orgs.byName(n)?.id ?? created.get(n);
    if (existing !== undefined) return existing;
    const id = this.orgs.insert({ name: n, kind: 'employer', creditCode: null }, this.clock.now());
    created.set(n, id);
    return id;
  }

  async importCandidates(bytes: Buffer, format: TableFormat, dryRun: boolean, actor: string): Promise<ImportResult> {
    const { rows, problems } = await readTable(bytes, format, CANDIDATE_COLUMNS);
    const seen = new Map<string, number>();
    const planned = rows.map((row) => {
      const c = new RowChecker(row, problems);
      const name = c.text('name', '姓名', 50, true);
      const idNumber = c.idNumber('idNumber', '身份证号', true);
      const employer = c.text('employer', '工作单位', 100, false);
      const trainingName = c.text('trainingOrg', '培训机构', 100, false);
      let trainingOrgId: number | null = null;
      if (trainingName) {
        const org = this.orgs.byName(normaliseOrgName(trainingName));
        // 考培分离 depends on knowing the training organisation: it must be registered, not guessed.
        if (!org) c.problem('培训机构', `未登记的培训机构「${trainingName}」，请先在「组织」页登记`);
        else if (org.kind !== 'training') c.problem('培训机构', `「${org.name}」登记的类型不是培训机构`);
        else trainingOrgId = org.id;
      }
      const courseFrom = c.day('courseFrom', '培训开始日期');
      const courseTo = c.day('courseTo', '培训结束日期');
      if (courseFrom && courseTo && courseTo < courseFrom) c.problem('培训结束日期', '早于培训开始日期');
      const category = c.text('appliedCategory', '申请项目', 16, false)?.toUpperCase() ?? null;
      if (category && !this.db.prepare('SELECT 1 FROM categories WHERE code = ?').get(category))
        c.problem('申请项目', `未知作业项目「${category}」`);
      let existingId: number | null = null;
      if (idNumber) {
        const earlier = seen.get(idNumber);
        if (earlier) c.problem('身份证号', `与第 ${earlier} 行重复`);
        seen.set(idNumber, row.row);
        const existing = this.candidates.byIdNumber(idNumber);
        if (existing && name && existing.name !== name)
          c.problem('姓名', `身份证号已登记为考生「${existing.name}」，姓名不一致`);
        existingId = existing?.id ?? null;
        const locking = existing ? this.candidates.lockingSessions(existing.id) : [];
        if (existing && locking.length) {
          const employerOrgId = employer ? (this.orgs.byName(normaliseOrgName(employer))?.id ?? null) : null;
          const changed = lockedFieldChanges(existing, {
            ...existing,
            employerOrgId,
            trainingOrgId,
            courseFrom,
            courseTo,
          });
          if (changed.length)
            c.problem(
              '身份证号',
              `考生「${existing.name}」已在场次 ${locking.map((l) => l.code).join('、')} 封卷或考试，${changed.join('、')}不得再修改`,
            );
        }
      }
      return { name, idNumber, employer, trainingOrgId, courseFrom, courseTo, category, existingId };
    });
    const created = planned.filter((p) => p.existingId === null).length;
    if (problems.length || dryRun) return result(dryRun, problems, created, planned.length - created);
    this.db.transaction(() => {
      const now = this.clock.now();
      const newOrgs = new Map<string, number>();
      const ids = planned.map((p) => {
        const existing = p.existingId !== null ? this.candidates.get(p.existingId) : undefined;
        const input = {
          name: p.name as string,
          idNumber: p.idNumber as string,
          employerOrgId: this.orgFor(p.employer, newOrgs),
          trainingOrgId: p.trainingOrgId,
          courseFrom: p.courseFrom,
          courseTo: p.courseTo,
          appliedCategory: p.category,
          photo: existing?.photo ?? null,
        };
        if (existing) {
          this.candidates.update(existing.id, input, now);
          return existing.id;
        }
        return this.candidates.insert(input, now);
      });
      this.events.append({
        chain: INSTITUTION_CHAIN,
        at: now,
        actor,
        type: 'people.candidates-imported',
        payload: {
          fileSha256: sha256Hex(bytes),
          format,
          candidateIds: ids,
          created,
          newEmployers: [...newOrgs.entries()],
        },
      });
    })();
    return result(false, problems, created, planned.length - created);
  }

  async importStaff(bytes: Buffer, format: TableFormat, dryRun: boolean, actor: string): Promise<ImportResult> {
    const { rows, problems } = await readTable(bytes, format, STAFF_COLUMNS);
    const seenUser = new Map<string, number>();
    const seenId = new Map<string, number>();
    const planned = rows.map((row) => {
      const c = new RowChecker(row, problems);
      const username = c.text('username', '用户名', 64, true);
      if (username && !/^[a-z0-9_.-]{2,64}$/i.test(username)) c.problem('用户名', '只能用字母、数字和 _ . -');
      const name = c.text('name', '姓名', 50, true);
      const idNumber = c.idNumber('idNumber', '身份证号', false);
      const employer = c.text('employer', '工作单位', 100, false);
      const roles = (row.cells.roles ?? '')
        .split(/[、,，;；/\s]+/)
        .filter(Boolean)
        .map((r) => ROLE_NAMES[r] ?? ((ROLES as readonly string[]).includes(r) ? (r as Role) : null));
      if (roles.length === 0 || roles.includes(null))
        c.problem('角色', `角色应为：${Object.keys(ROLE_NAMES).join('、')}`);
      const certNo = c.text('certNo', '考评人员证书编号', 64, false);
      const validFrom = c.day('validFrom', '证书有效期起');
      const validTo = c.day('validTo', '证书有效期止');
      if (certNo && (!validFrom || !validTo)) c.problem('证书有效期', '有证书编号时须填写有效期起止');
      if (!certNo && (validFrom || validTo)) c.problem('考评人员证书编号', '填写了有效期但没有证书编号');
      if (validFrom && validTo && validTo < validFrom) c.problem('证书有效期止', '早于有效期起');
      const existing = username ? this.staff.byUsername(username) : undefined;
      if (existing && name && existing.name !== name) c.problem('姓名', `用户名已属于「${existing.name}」，姓名不一致`);
      if (username) {
        const earlier = seenUser.get(username);
        if (earlier) c.problem('用户名', `与第 ${earlier} 行重复`);
        seenUser.set(username, row.row);
      }
      if (idNumber) {
        const earlier = seenId.get(idNumber);
        if (earlier) c.problem('身份证号', `与第 ${earlier} 行重复`);
        seenId.set(idNumber, row.row);
        const holder = this.profiles.byIdNumber(idNumber);
        if (holder && holder.staffId !== existing?.id) c.problem('身份证号', '已登记给另一位工作人员');
      }
      const qualification = certNo && validFrom && validTo ? { certNo, validFrom, validTo } : null;
      return {
        username,
        name,
        idNumber,
        employer,
        roles: roles.filter((r): r is Role => r !== null),
        qualification,
        existing,
      };
    });
    const created = planned.filter((p) => !p.existing).length;
    if (problems.length || dryRun) return result(dryRun, problems, created, planned.length - created);
    const passwords: { username: string; password: string }[] = [];
    this.db.transaction(() => {
      const newOrgs = new Map<string, number>();
      const ids = planned.map((p) => {
        let staffId = p.existing?.id;
        if (staffId === undefined) {
          const password = generateOneTimePassword();
          staffId = this.auth.createStaff(
            {
              username: p.username as string,
              name: p.name as string,
              roles: p.roles,
              password,
              mustChangePassword: true,
            },
            actor,
          );
          passwords.push({ username: p.username as string, password });
        }
        this.profiles.upsert(
          {
            staffId,
            idNumber: p.idNumber,
            employerOrgId: this.orgFor(p.employer, newOrgs),
            qualification: p.qualification,
          },
          this.clock.now(),
        );
        return staffId;
      });
      this.events.append({
        chain: INSTITUTION_CHAIN,
        at: this.clock.now(),
        actor,
        type: 'people.staff-imported',
        payload: { fileSha256: sha256Hex(bytes), format, staffIds: ids, created, newEmployers: [...newOrgs.entries()] },
      });
    })();
    return { ...result(false, problems, created, planned.length - created), oneTimePasswords: passwords };
  }

  /** A session roster: candidates already in the registry, by ID number; seats and admission numbers optional. */
  async importRoster(
    sessionId: number,
    bytes: Buffer,
    format: TableFormat,
    dryRun: boolean,
    actor: string,
  ): Promise<ImportResult> {
    const { rows, problems } = await readTable(bytes, format, ROSTER_COLUMNS);
    const rowOfCandidate = new Map<number, number>();
    const entries: RosterEntry[] = [];
    for (const row of rows) {
      const c = new RowChecker(row, problems);
      const idNumber = c.idNumber('idNumber', '身份证号', true);
      const seatText = row.cells.seatNo ?? '';
      const seatNo = seatText ? Number(seatText) : undefined;
      if (seatNo !== undefined && (!Number.isInteger(seatNo) || seatNo < 1))
        c.problem('座位号', `「${seatText}」不是座位号`);
      const admissionNo = row.cells.admissionNo || undefined;
      if (admissionNo && !/^[A-Za-z0-9-]{4,32}$/.test(admissionNo)) c.problem('准考证号', '4–32 位字母、数字或 -');
      if (!idNumber) continue;
      const candidate = this.candidates.byIdNumber(idNumber);
      if (!candidate) {
        c.problem('身份证号', '考生未登记，请先导入考生信息');
        continue;
      }
      if (rowOfCandidate.has(candidate.id)) c.problem('身份证号', `与第 ${rowOfCandidate.get(candidate.id)} 行重复`);
      rowOfCandidate.set(candidate.id, row.row);
      entries.push({ candidateId: candidate.id, seatNo, admissionNo });
    }
    if (problems.length) return result(dryRun, problems, entries.length);
    const rowOf = (details: unknown): number => {
      const d = details as { candidateId?: number } | undefined;
      return (d?.candidateId !== undefined ? rowOfCandidate.get(d.candidateId) : undefined) ?? 0;
    };
    try {
      if (dryRun) {
        const run = this.registrations.dryRun(sessionId, entries);
        for (const f of run.blocking)
          problems.push({
            row: f.candidateId !== null ? (rowOfCandidate.get(f.candidateId) ?? 0) : 0,
            column: f.rule,
            message: f.message,
          });
      } else this.registrations.registerMany(sessionId, entries, actor);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      const findings = (
        err.details as { findings?: { candidateId: number | null; rule: string; message: string }[] } | undefined
      )?.findings;
      if (findings)
        for (const f of findings)
          problems.push({
            row: f.candidateId !== null ? (rowOfCandidate.get(f.candidateId) ?? 0) : 0,
            column: f.rule,
            message: f.message,
          });
      else problems.push({ row: rowOf(err.details), column: err.code, message: err.message });
    }
    return result(dryRun, problems, entries.length);
  }
}
