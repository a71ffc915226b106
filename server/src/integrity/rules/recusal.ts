import { declaredIn, finding, orgName, type CandidateFacts, type Finding, type RecordRef, type Rule } from './facts';
import { indexCandidates } from './index-candidates';

/**
 * 回避 [notice §二(三); 市监特设发〔2022〕91号]: an examiner or proctor may not serve in a session where a
 * candidate is a relative (亲属), works for the same employer (同单位), or is otherwise declared an interest
 * (其他利害关系). Same employer is also found without a declaration, from the staff profile. Only same-employer
 * allows a documented exception (e.g. a small town where the one large employer employs everyone);
 * relatives and declared interests never do.
 */
const KIND_ZH: Record<string, string> = {
  relative: '亲属',
  same_employer: '同单位',
  trained: '培训',
  other_interest: '其他利害关系',
};

export const recusalRule: Rule = (plan) => {
  const index = indexCandidates(plan.candidates);
  const out: Finding[] = [];
  for (const { staff } of plan.staff) {
    const seen = new Set<string>();
    const add = (c: CandidateFacts, reason: string, why: string, record: RecordRef, exceptionAllowed: boolean) => {
      const key = `${c.id}:${reason}`;
      if (seen.has(key)) return;
      seen.add(key);
      out.push(
        finding({
          rule: 'recusal',
          code: 'recusal-conflict',
          reason,
          message: `回避：${staff.name} 与考生 ${c.name}（${c.idNumber}）${why}`,
          staffId: staff.id,
          candidateId: c.id,
          records: [record],
          exceptionAllowed,
        }),
      );
    };
    for (const r of staff.relationships) {
      const rec: RecordRef = {
        type: 'relationship',
        id: r.id,
        summary: `${declaredIn(staff.declaration?.version, r.retracted)}：${KIND_ZH[r.kind]} ${r.personName ?? ''}${r.orgId !== null ? orgName(plan, r.orgId) : ''}`,
      };
      // A retraction nobody has reviewed does not end the conflict (issue 13 hole 9): say so in the refusal.
      const own = r.retracted ? '本人曾声明，撤回待审核' : '本人声明';
      const person = r.personIdNumber ? index.byIdNumber.get(r.personIdNumber.toUpperCase()) : undefined;
      if (r.kind === 'relative' && person) add(person, 'relative', `为亲属关系（${own}）`, rec, false);
      if (r.kind === 'same_employer') {
        if (person) add(person, 'same-employer', `为同单位（${own}）`, rec, true);
        if (r.orgId !== null)
          for (const c of index.byEmployer.get(r.orgId) ?? [])
            add(c, 'same-employer', `同在 ${orgName(plan, r.orgId)}（${own}）`, rec, true);
      }
      if (r.kind === 'other_interest') {
        if (person) add(person, 'declared-interest', `有其他利害关系（${own}）`, rec, false);
        if (r.orgId !== null)
          for (const c of [...(index.byEmployer.get(r.orgId) ?? []), ...(index.byTrainingOrg.get(r.orgId) ?? [])])
            add(c, 'declared-interest', `与 ${orgName(plan, r.orgId)} 有其他利害关系（${own}）`, rec, false);
      }
    }
    if (staff.employerOrgId !== null) {
      const rec: RecordRef = {
        type: 'staff-profile',
        id: staff.id,
        summary: `工作单位 ${orgName(plan, staff.employerOrgId)}`,
      };
      for (const c of index.byEmployer.get(staff.employerOrgId) ?? [])
        add(c, 'same-employer', `同在 ${orgName(plan, staff.employerOrgId)} 工作`, rec, true);
    }
  }
  return out;
};
