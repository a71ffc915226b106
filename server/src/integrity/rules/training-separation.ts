import { addYears } from '../dates';
import { declaredIn, finding, orgName, type CandidateFacts, type Finding, type RecordRef, type Rule } from './facts';
import { indexCandidates } from './index-candidates';

/**
 * 考培分离 [notice §二(三) 严格考培分离; domain.md: trainers never proctor their own trainees]: a staff member who
 * trained a candidate, taught at the candidate's training organisation within the look-back before the exam
 * date ([default] trainingLookbackYears), or is employed by it, may not proctor or examine that candidate's
 * session. No exception: the notice says "strictly".
 */
export const trainingSeparationRule: Rule = (plan, settings) => {
  const index = indexCandidates(plan.candidates);
  const cutoff = addYears(plan.examDate, -settings.trainingLookbackYears);
  const out: Finding[] = [];
  for (const { staff } of plan.staff) {
    const seen = new Set<number>();
    const add = (c: CandidateFacts, reason: string, why: string, record: RecordRef) => {
      if (seen.has(c.id)) return; // one finding per pair is enough to refuse; the first names the record
      seen.add(c.id);
      out.push(
        finding({
          rule: 'training-separation',
          code: 'training-conflict',
          reason,
          message: `考培分离：${staff.name} ${why}，不得监考或考评考生 ${c.name}（${c.idNumber}）`,
          staffId: staff.id,
          candidateId: c.id,
          orgId: c.trainingOrgId,
          records: [record],
        }),
      );
    };
    for (const r of staff.relationships) {
      if (r.kind !== 'trained') continue;
      const rec: RecordRef = {
        type: 'relationship',
        id: r.id,
        summary: `${declaredIn(staff.declaration?.version, r.retracted)}：培训关系`,
      };
      const own = r.retracted ? '本人曾声明，撤回待审核' : '本人声明';
      const person = r.personIdNumber ? index.byIdNumber.get(r.personIdNumber.toUpperCase()) : undefined;
      if (person) add(person, 'trained-candidate', `曾培训该考生（${own}）`, rec);
      if (r.orgId !== null)
        for (const c of index.byTrainingOrg.get(r.orgId) ?? [])
          add(c, 'taught-at-training-org', `在其培训机构 ${orgName(plan, r.orgId)} 任教（${own}）`, rec);
    }
    for (const e of staff.engagements) {
      // The engagement overlaps [cutoff, exam date]: it started by the exam date and had not ended before cutoff.
      if (e.from > plan.examDate || (e.to !== null && e.to < cutoff)) continue;
      const rec: RecordRef = {
        type: 'engagement',
        id: e.id,
        summary:
          (e.retracted ? `${declaredIn(undefined, e.retracted)}：` : '') +
          `${orgName(plan, e.orgId)} ${e.from}—${e.to ?? '至今'}（回溯至 ${cutoff}）`,
      };
      for (const c of index.byTrainingOrg.get(e.orgId) ?? [])
        add(
          c,
          'taught-at-training-org',
          `${e.from}—${e.to ?? '至今'} 在其培训机构 ${orgName(plan, e.orgId)} 任教${e.retracted ? '（本人曾声明，撤回待审核）' : ''}`,
          rec,
        );
    }
    if (staff.employerOrgId !== null) {
      const rec: RecordRef = {
        type: 'staff-profile',
        id: staff.id,
        summary: `工作单位 ${orgName(plan, staff.employerOrgId)}`,
      };
      for (const c of index.byTrainingOrg.get(staff.employerOrgId) ?? [])
        add(c, 'employed-by-training-org', `受雇于其培训机构 ${orgName(plan, staff.employerOrgId)}`, rec);
    }
  }
  return out;
};

/**
 * 考培分离 at the level of the institution [notice §二(三)]: the exam institution must not be the candidate's
 * training organisation (the 2021 case: the exam site sat inside a training school). Without the institution
 * registered as an organisation the rule cannot be checked, and says so rather than passing.
 */
export const institutionSeparationRule: Rule = (plan) => {
  if (plan.institutionOrgId === null)
    return [
      finding({
        rule: 'institution-separation',
        code: 'institution-not-registered',
        reason: 'missing',
        message: '考试机构本身尚未登记为组织（类型：考试机构），无法核对考培分离',
        records: [{ type: 'organisation', id: null, summary: 'no exam_institution organisation' }],
      }),
    ];
  const trained = indexCandidates(plan.candidates).byTrainingOrg.get(plan.institutionOrgId) ?? [];
  return trained.map((c) =>
    finding({
      rule: 'institution-separation',
      code: 'institution-trains-candidate',
      reason: 'institution-is-training-org',
      message: `考培分离：考生 ${c.name}（${c.idNumber}）的培训机构是本考试机构 ${orgName(plan, plan.institutionOrgId)}`,
      candidateId: c.id,
      orgId: plan.institutionOrgId,
      records: [{ type: 'candidate', id: c.id, summary: `培训机构 ${orgName(plan, c.trainingOrgId)}` }],
    }),
  );
};

/**
 * 考培分离 on content [notice §二(三); design.md: bank versions are exam pool │ practice pool]: papers come from
 * an exam-pool version only, and no item of it may appear in any practice version of any category (practice
 * material goes to training organisations and candidates; where it is filed does not matter).
 */
export const poolSeparationRule: Rule = (plan) => {
  const bank = plan.bank;
  if (!bank) return [];
  const out: Finding[] = [];
  const versionRec: RecordRef = { type: 'bank-version', id: bank.versionId, summary: `${bank.category} ${bank.pool}` };
  if (bank.pool !== 'exam')
    out.push(
      finding({
        rule: 'pool-separation',
        code: 'not-exam-pool',
        reason: 'practice-version',
        message: `场次 ${plan.sessionCode} 使用的题库版本 #${bank.versionId} 属于练习题库，不能用于考试`,
        records: [versionRec],
      }),
    );
  const examItems = new Set(bank.itemHashes);
  for (const p of bank.practiceVersions) {
    const shared = p.itemHashes.filter((h) => examItems.has(h));
    if (shared.length === 0) continue;
    out.push(
      finding({
        rule: 'pool-separation',
        code: 'exam-pool-in-practice',
        reason: 'shared-items',
        message: `考试题库版本 #${bank.versionId} 有 ${shared.length} 道题出现在${p.category ? ` ${p.category} ` : ''}练习题库版本 #${p.id} 中`,
        records: [
          versionRec,
          {
            type: 'bank-version',
            id: p.id,
            summary: `practice; shared ${shared
              .slice(0, 5)
              .map((h) => h.slice(0, 12))
              .join(', ')}`,
          },
        ],
      }),
    );
  }
  return out;
};
