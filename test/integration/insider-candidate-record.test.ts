import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CANDIDATES } from '../../server/src/demo/demo-people';
import { http, startTestServer, staffToken, type TestServer } from '../support/test-server';

type Profile = {
  id: number;
  name: string;
  idNumber: string;
  employerOrgId: number | null;
  trainingOrgId: number | null;
  courseFrom: string | null;
  courseTo: string | null;
  appliedCategory: string | null;
};
type ErrorBody = { error: { code: string; message: string } };

// Found while closing issue 13: an admin could swap a registered candidate's photo, name or ID number after
// sealing (a substitute sitter then passes 人证核验), or re-file their training organisation to dodge 考培分离.
describe('insider: a candidate record is fixed once their session is sealed', () => {
  let server: TestServer;
  let admin: string;
  const [first] = DEMO_CANDIDATES;
  const profileOf = async (idNumber: string) => {
    const id = server.db.prepare('SELECT id FROM candidates WHERE id_number = ?').pluck().get(idNumber) as number;
    return (await http<Profile>(server.url, `/api/people/candidates/${id}`, { token: admin })).body;
  };
  const put = (p: Profile, change: Partial<Profile> & { photo?: string | null }) => {
    const { id, ...rest } = p;
    const body = { ...rest, ...change } as Record<string, unknown>;
    delete body.employerName;
    delete body.trainingOrgName;
    delete body.hasPhoto;
    return http<ErrorBody>(server.url, `/api/people/candidates/${id}`, { method: 'PUT', token: admin, body });
  };

  beforeAll(async () => {
    server = await startTestServer();
    admin = await staffToken(server.url, 'admin', 'demo-admin-2026');
  });
  afterAll(async () => server?.stop());

  it('insider: a registered candidate’s photo, name or ID number cannot be changed after sealing', async () => {
    const p = await profileOf(first!.idNumber);
    const photo = await put(p, { photo: 'data:image/jpeg;base64,' + Buffer.from('substitute').toString('base64') });
    expect(photo.status).toBe(409);
    expect(photo.body.error.code).toBe('candidate-record-locked');
    expect(photo.body.error.message).toContain('照片');
    const name = await put(p, { name: '替考者' });
    expect(name.body.error.code).toBe('candidate-record-locked');
    expect((await profileOf(first!.idNumber)).name).toBe(p.name);
  });

  it('insider: re-filing a registered candidate’s training organisation after sealing is refused', async () => {
    const p = await profileOf(first!.idNumber);
    const res = await put(p, { trainingOrgId: null, courseFrom: null, courseTo: null });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain('培训机构');
    expect((await profileOf(first!.idNumber)).trainingOrgId).toBe(p.trainingOrgId);
  });

  it('insider: a bulk import cannot change a locked candidate either, and names the row', async () => {
    const p = await profileOf(first!.idNumber);
    const csv = `姓名,身份证号,工作单位,培训机构,培训开始日期,培训结束日期,申请项目\n${p.name},${p.idNumber},,,,,N1\n`;
    const res = await fetch(`${server.url}/api/people/import/candidates?format=csv`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'text/csv' },
      body: csv,
    });
    const body = (await res.json()) as { problems: { row: number; column: string; message: string }[] };
    expect(body.problems).toEqual([
      expect.objectContaining({ row: 2, message: expect.stringContaining('不得再修改') }),
    ]);
    expect((await profileOf(first!.idNumber)).trainingOrgId).toBe(p.trainingOrgId);
  });

  it('insider: the database itself refuses the change (trigger), not only the route', () => {
    expect(() =>
      server.db.prepare("UPDATE candidates SET photo = 'x' WHERE id_number = ?").run(first!.idNumber),
    ).toThrow(/candidate-record-locked/);
  });

  it('still lets a harmless field change, and a candidate in no sealed session be corrected', async () => {
    const p = await profileOf(first!.idNumber);
    const harmless = await put(p, { appliedCategory: 'G1' });
    expect(harmless.body).not.toHaveProperty('error');
    const created = await http<Profile>(server.url, '/api/people/candidates', {
      token: admin,
      body: {
        name: '王新',
        idNumber: '11010519491231002X',
        employerOrgId: null,
        trainingOrgId: null,
        courseFrom: null,
        courseTo: null,
        appliedCategory: null,
      },
    });
    expect(created.status).toBe(201);
    expect((await put(created.body, { name: '王欣' })).status).toBe(200);
  });
});
