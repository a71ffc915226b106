import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { AppError } from '../shared/errors';
import { idFrom, peopleFixture } from './test-fixture';

const csv = (rows: string[][]) => Buffer.from(rows.map((r) => r.join(',')).join('\n'), 'utf8');

describe('declarations', () => {
  it('are versioned, signed with the password, and never updated or deleted', () => {
    const f = peopleFixture();
    const id = f.staff('p1', { declare: null });
    expect(() =>
      f.people.declarations.declare(id, { relationships: [], engagements: [], confirm: true, password: 'wrong' }),
    ).toThrow(/密码不正确/);
    const v1 = f.people.declarations.declare(id, {
      relationships: [],
      engagements: [],
      confirm: true,
      password: 'password-1234',
    });
    const training = f.org('某培训学校', 'training');
    const v2 = f.people.declarations.declare(id, {
      relationships: [
        {
          kind: 'relative',
          personIdNumber: idFrom('37010219850312451'),
          personName: '孙立伟',
          orgId: null,
          note: '兄弟',
        },
      ],
      engagements: [{ orgId: training, from: '2024-01-01', to: null, note: null }],
      confirm: true,
      password: 'password-1234',
    });
    expect([v1.version, v2.version]).toEqual([1, 2]);
    expect(f.people.declarations.history(id).map((d) => d.version)).toEqual([2, 1]);
    expect(v2.engagements[0]).toMatchObject({ orgName: '某培训学校', to: null });
    expect(v2.bodyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(() => f.db.prepare('DELETE FROM declarations').run()).toThrow(/append-only/);
    expect(() => f.db.prepare('UPDATE declaration_relationships SET note = NULL').run()).toThrow(/append-only/);
    expect(() => f.db.prepare('DELETE FROM training_engagements').run()).toThrow(/append-only/);
  });
});

describe('records', () => {
  it('bans staff permanently for conduct and may only be revoked once, never deleted', () => {
    const f = peopleFixture();
    const id = f.staff('p1');
    const r = f.people.records.recordDisciplinary(
      id,
      { kind: 'conduct', decisionDate: '2025-01-02', authority: '市局', documentNo: '1号', summary: '行风' },
      'staff:1',
    );
    expect(f.people.registry.staffList().find((s) => s.id === id)?.bans).toEqual([
      { recordId: r.id, kind: 'conduct', decisionDate: '2025-01-02', documentNo: '1号', until: null },
    ]);
    expect(() => f.db.prepare('DELETE FROM disciplinary_records').run()).toThrow(/never deleted/);
    expect(() => f.db.prepare("UPDATE disciplinary_records SET summary = 'x'").run()).toThrow(/revoked/);
    const byDocument = { authority: '山东省市场监督管理局', documentNo: '鲁市监复〔2026〕1号' };
    f.people.records.revokeDisciplinary(r.id, { reason: '上级机关撤销原处分决定', ...byDocument }, 'staff:1');
    expect(() =>
      f.people.records.revokeDisciplinary(r.id, { reason: '再次撤销一次', ...byDocument }, 'staff:1'),
    ).toThrow(AppError);
    expect(f.people.registry.staffList().find((s) => s.id === id)?.bans).toEqual([]);
  });

  it('shows an organisation barred through the last day of its 3 years', () => {
    const f = peopleFixture(Date.UTC(2026, 4, 10, 1));
    const org = f.org('失信培训学校', 'training');
    f.people.records.recordDishonesty(
      org,
      { decisionDate: '2023-05-10', authority: '省局', documentNo: '5号', summary: '失信' },
      'staff:1',
    );
    expect(f.people.registry.organisations().find((o) => o.id === org)?.barredUntil).toBe('2026-05-10');
    f.clock.advance(24 * 3600_000);
    expect(f.people.registry.organisations().find((o) => o.id === org)?.barredUntil).toBeNull();
  });
});

describe('candidate import', () => {
  it('reports every problem with its row and column and imports nothing', async () => {
    const f = peopleFixture();
    f.org('济南市特种设备培训中心', 'training');
    const good = idFrom('37010219850312451');
    const res = await f.people.imports.importCandidates(
      csv([
        ['姓名', '身份证号', '工作单位', '培训机构', '培训开始日期', '培训结束日期', '申请项目'],
        ['孙立伟', good, '济南宏达物流有限公司', '济南市特种设备培训中心', '2026-01-05', '2026-02-05', 'N1'],
        ['周海燕', '370102199007262820', '山东鲁丰仓储', '不存在的学校', '2026-13-01', '', 'N1'],
        ['', good, '', '', '', '', 'Z9'],
      ]),
      'csv',
      false,
      'staff:1',
    );
    expect(res.imported).toBe(0);
    expect(res.problems).toEqual([
      { row: 3, column: '身份证号', message: expect.stringContaining('校验位') },
      { row: 3, column: '培训机构', message: expect.stringContaining('不存在的学校') },
      { row: 3, column: '培训开始日期', message: expect.stringContaining('YYYY-MM-DD') },
      { row: 4, column: '姓名', message: expect.stringContaining('必填') },
      { row: 4, column: '申请项目', message: expect.stringContaining('Z9') },
      { row: 4, column: '身份证号', message: '与第 2 行重复' },
    ]);
    expect(f.people.registry.candidateList('', 10, 0).total).toBe(0);
  });

  it('imports a clean file (GB18030 CSV from Excel) and creates the employers', async () => {
    const f = peopleFixture();
    const text = [
      '姓名,身份证号,工作单位,申请项目',
      `孙立伟,${idFrom('37010219850312451')},济南宏达物流有限公司,N1`,
    ].join('\r\n');
    const bytes = encodeGb18030(text);
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
    const dry = await f.people.imports.importCandidates(bytes, 'csv', true, 'staff:1');
    expect(dry).toMatchObject({ dryRun: true, problems: [], created: 1 });
    expect(f.people.registry.candidateList('', 10, 0).total).toBe(0);
    const res = await f.people.imports.importCandidates(bytes, 'csv', false, 'staff:1');
    expect(res).toMatchObject({ imported: 1, created: 1, problems: [] });
    const [c] = f.people.registry.candidateList('孙', 10, 0).candidates;
    expect(c).toMatchObject({ name: '孙立伟', employerName: '济南宏达物流有限公司', appliedCategory: 'N1' });
  });

  it('reads Excel, and refuses an ID number stored as a number', async () => {
    const f = peopleFixture();
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('考生');
    ws.addRow(['姓名', '身份证号', '培训开始日期']);
    ws.addRow(['孙立伟', idFrom('37010219850312451'), new Date(Date.UTC(2026, 0, 5))]);
    ws.addRow(['周海燕', 370102199007262800, null]);
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const res = await f.people.imports.importCandidates(bytes, 'xlsx', true, 'staff:1');
    expect(res.problems).toEqual([{ row: 3, column: '身份证号', message: expect.stringContaining('文本格式') }]);
  });
});

describe('staff import', () => {
  it('creates accounts with one-time passwords and profiles', async () => {
    const f = peopleFixture();
    const res = await f.people.imports.importStaff(
      csv([
        ['用户名', '姓名', '身份证号', '工作单位', '角色', '考评人员证书编号', '证书有效期起', '证书有效期止'],
        ['zhang', '张三', idFrom('37010219800101301'), '测试考试中心', '监考', 'KP-1', '2025-01-01', '2028-12-31'],
      ]),
      'csv',
      false,
      'staff:1',
    );
    expect(res).toMatchObject({ imported: 1, created: 1, problems: [] });
    expect(res.oneTimePasswords?.[0]?.username).toBe('zhang');
    const s = f.people.registry.staffList().find((x) => x.username === 'zhang');
    expect(s).toMatchObject({ roles: ['proctor'], employerOrgId: f.institution, qualification: { certNo: 'KP-1' } });
    const bad = await f.people.imports.importStaff(
      csv([
        ['用户名', '姓名', '角色', '考评人员证书编号'],
        ['li', '李四', '厨师', 'KP-2'],
      ]),
      'csv',
      false,
      'staff:1',
    );
    expect(bad.problems.map((p) => [p.row, p.column])).toEqual([
      [2, '角色'],
      [2, '证书有效期'],
    ]);
  });
});

describe('registrations', () => {
  it('allocates seats and admission numbers, and refuses duplicates, category mismatch and a sealed roster', () => {
    const f = peopleFixture();
    const sessionId = f.newSession();
    const a = f.candidate('甲');
    const b = f.candidate('乙');
    const first = f.people.registrations.register(sessionId, { candidateId: a.id, seatNo: 1 }, 't');
    const second = f.people.registrations.register(sessionId, { idNumber: b.idNumber }, 't');
    expect([first.seatNo, second.seatNo]).toEqual([1, 2]);
    expect(second.admissionNo).toBe('N1-TEST-1-002');
    expect(() => f.people.registrations.register(sessionId, { candidateId: a.id }, 't')).toThrow(/已在本场次/);
    const q2 = f.people.registry.updateCandidate(b.id, { ...b, appliedCategory: 'Q2' }, 't');
    const other = f.newSession();
    expect(() => f.people.registrations.register(other, { candidateId: q2.id }, 't')).toThrow(/作业项目/);
    const sealed = f.newSession('sealed');
    expect(() => f.people.registrations.register(sealed, { candidateId: a.id }, 't')).toThrow(/封卷后/);
    f.people.registrations.unregister(sessionId, second.registrationId, 't');
    expect(f.db.prepare('SELECT count(*) FROM registrations WHERE session_id = ?').pluck().get(sessionId)).toBe(1);
  });

  it('imports a roster all or nothing, naming the row a rule refuses', async () => {
    const f = peopleFixture();
    const sessionId = f.newSession();
    const school = f.org('某培训学校', 'training');
    const a = f.candidate('甲');
    const b = f.candidate('乙', { trainingOrgId: school });
    f.people.assignments.assign(
      sessionId,
      f.staff('teacher', {
        declare: { relationships: [], engagements: [{ orgId: school, from: '2025-01-01', to: null, note: null }] },
      }),
      'proctor',
      't',
    );
    const res = await f.people.imports.importRoster(
      sessionId,
      csv([
        ['身份证号', '座位号'],
        [a.idNumber, '5'],
        [b.idNumber, ''],
      ]),
      'csv',
      false,
      't',
    );
    expect(res.imported).toBe(0);
    expect(res.problems).toEqual([
      { row: 3, column: 'training-separation', message: expect.stringContaining('考培分离') },
    ]);
    expect(f.db.prepare('SELECT count(*) FROM registrations').pluck().get()).toBe(0);
  });
});

/** Encodes text as GB18030 the way Chinese Excel saves "CSV"; Node has no encoder, so a tiny table for the test. */
function encodeGb18030(text: string): Buffer {
  const decoder = new TextDecoder('gb18030');
  const map = new Map<string, number[]>();
  for (let hi = 0x81; hi <= 0xfe; hi++)
    for (let lo = 0x40; lo <= 0xfe; lo++) {
      if (lo === 0x7f) continue;
      const ch = decoder.decode(new Uint8Array([hi, lo]));
      if (ch.length === 1 && !map.has(ch)) map.set(ch, [hi, lo]);
    }
  const out: number[] = [];
  for (const ch of text) {
    if (ch.charCodeAt(0) < 0x80) out.push(ch.charCodeAt(0));
    else {
      const bytes = map.get(ch);
      if (!bytes) throw new Error(`no GB18030 code for ${ch}`);
      out.push(...bytes);
    }
  }
  return Buffer.from(out);
}
