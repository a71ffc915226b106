import { addYears, yearOf, type Day } from '../dates';
import type { IntegritySettings } from '../integrity-settings';
import { finding, type BanSource, type DisciplinaryRecord, type Finding, type Rule } from './facts';

/**
 * 回避 rests on what staff declare (notice §二(三) 回避; 市监特设发〔2022〕91号 考评人员管理). Without a signed
 * declaration the recusal rule has nothing to check, so [default, setting requireDeclaration] such staff do no
 * exam work.
 */
export const declarationRule: Rule = (plan, settings) => {
  if (!settings.requireDeclaration) return [];
  return (
    plan.staff
      .filter((a) => a.staff.declaration === null)
      // A supervising official may hold a custodian code (papers/custodians.ts) but is read-only here and signs
      // nothing: the regulator answers for its own officials' interests.
      .filter((a) => !(a.duty === 'custodian' && a.staff.roles.includes('official')))
      .map((a) =>
        finding({
          rule: 'declaration',
          code: 'declaration-missing',
          reason: 'unsigned',
          message: `${a.staff.name} 尚未签署回避与考培分离声明，不得从事考试工作`,
          staffId: a.staff.id,
          records: [{ type: 'staff-profile', id: a.staff.id, summary: '无已签署的声明 no signed declaration' }],
        }),
      )
  );
};

/**
 * Staff bans. [notice §二(三)] 因行风问题受到纪律处分的考试工作人员不得再从事考试工作: permanent, no exception.
 * [analogy] leaking or changing exam data → permanent removal; skipping recusal → suspended for the decision
 * year and the next (recusalSkipSuspensionYears). A record dated after the exam date does not reach back.
 */
export const staffBanRule: Rule = (plan, settings) => {
  const out: Finding[] = [];
  for (const { staff } of plan.staff) {
    for (const r of staff.disciplinary) {
      const ban = staffBanOn(r, plan.examDate, settings);
      if (!ban.applies) continue;
      const until = ban.until;
      const what = KIND_TEXT[r.kind];
      out.push(
        finding({
          rule: 'staff-ban',
          code: 'staff-banned',
          reason: r.kind,
          message:
            `${staff.name} 因${what}受处理（${r.authority} ${r.documentNo}，${r.decisionDate}` +
            `${sourceText(r.source)}），` +
            (until ? `${until} 前不得从事考试工作` : '不得再从事考试工作'),
          staffId: staff.id,
          records: [{ type: 'disciplinary', id: r.id, summary: `${sourceRef(r.source)}${r.documentNo} ${r.summary}` }],
        }),
      );
    }
  }
  return out;
};

/** Whether a disciplinary record bars exam work on `day`, and until when (null: permanently). */
export function staffBanOn(
  r: Pick<DisciplinaryRecord, 'kind' | 'decisionDate'>,
  day: Day,
  settings: Pick<IntegritySettings, 'recusalSkipSuspensionYears'>,
): { applies: boolean; until: Day | null } {
  if (r.decisionDate > day) return { applies: false, until: null };
  if (r.kind !== 'recusal_skipped') return { applies: true, until: null };
  const until = `${yearOf(r.decisionDate) + settings.recusalSkipSuspensionYears}-12-31`;
  return { applies: day <= until, until };
}

/** The last day a dishonesty record bars its organisation (民法典 第二百零二条: the corresponding day). */
export const organisationBanLastDay = (
  decisionDate: Day,
  settings: Pick<IntegritySettings, 'organisationBanYears'>,
): Day => addYears(decisionDate, settings.organisationBanYears);

// A province record names the regulator's list, so nobody at the centre looks for it among the local records.
const sourceText = (source: BanSource | undefined): string =>
  source ? `；省级监管部门禁入名单第 ${source.listVersion} 版，本机构不能撤销` : '';
const sourceRef = (source: BanSource | undefined): string => (source ? `[省监管名单 v${source.listVersion}] ` : '');

const KIND_TEXT: Record<string, string> = {
  conduct: '行风问题',
  data_breach: '泄露或篡改考试数据',
  recusal_skipped: '应回避未回避',
};

/**
 * 失信单位 [notice §二(三)]: a unit whose dishonesty had serious social impact may not be entrusted with exam
 * work for 3 years (organisationBanYears). Units doing exam work here: the exam institution itself and the
 * employers through which assigned staff serve. The period runs from the decision date through the
 * corresponding day N years later (民法典 第二百零一条、第二百零二条); the next day the unit is free again.
 */
export const organisationBanRule: Rule = (plan, settings) => {
  const out: Finding[] = [];
  const check = (orgId: number | null, staffId: number | null, who: string) => {
    if (orgId === null) return;
    const org = plan.orgs.get(orgId);
    if (!org) return;
    for (const r of org.dishonesty) {
      const lastDay = r.barredUntil ?? organisationBanLastDay(r.decisionDate, settings);
      if (r.decisionDate > plan.examDate || plan.examDate > lastDay) continue;
      out.push(
        finding({
          rule: 'organisation-ban',
          code: 'organisation-banned',
          reason: staffId === null ? 'institution' : 'employer',
          message:
            `${who}${org.name} 有失信记录（${r.authority} ${r.documentNo}，${r.decisionDate}${sourceText(r.source)}），` +
            `至 ${lastDay} 不得承担考试工作`,
          staffId,
          orgId: org.id,
          records: [{ type: 'dishonesty', id: r.id, summary: `${sourceRef(r.source)}${r.documentNo} ${r.summary}` }],
        }),
      );
    }
  };
  check(plan.institutionOrgId, null, '考试机构 ');
  for (const { staff } of plan.staff) check(staff.employerOrgId, staff.id, `${staff.name} 的工作单位 `);
  return out;
};

/** 考评人员 must hold a certificate valid on the exam date (市监特设发〔2022〕91号 考评人员管理); both ends inclusive. */
export const qualificationRule: Rule = (plan, settings) => {
  const out: Finding[] = [];
  for (const { staff, duty } of plan.staff) {
    if (duty === 'custodian' || !settings.qualificationRequiredFor.includes(duty)) continue;
    const q = staff.qualification;
    const base = { rule: 'qualification' as const, staffId: staff.id };
    if (!q) {
      out.push(
        finding({
          ...base,
          code: 'qualification-missing',
          reason: 'missing',
          message: `${staff.name} 无考评人员资格证书记录，不能担任${DUTY_TEXT[duty]}`,
          records: [{ type: 'staff-profile', id: staff.id, summary: '无证书 no certificate' }],
        }),
      );
      continue;
    }
    const records = [
      { type: 'qualification' as const, id: staff.id, summary: `${q.certNo} ${q.validFrom}—${q.validTo}` },
    ];
    if (plan.examDate < q.validFrom)
      out.push(
        finding({
          ...base,
          code: 'qualification-not-yet-valid',
          reason: 'not-yet-valid',
          message: `${staff.name} 的考评人员证书 ${q.certNo} 自 ${q.validFrom} 起有效，考试日 ${plan.examDate} 尚未生效`,
          records,
        }),
      );
    else if (plan.examDate > q.validTo)
      out.push(
        finding({
          ...base,
          code: 'qualification-expired',
          reason: 'expired',
          message: `${staff.name} 的考评人员证书 ${q.certNo} 已于 ${q.validTo} 到期，考试日为 ${plan.examDate}`,
          records,
        }),
      );
  }
  return out;
};

export const DUTY_TEXT: Record<string, string> = { chief_examiner: '主考', proctor: '监考', examiner: '考评员' };

/** 每个考场 2 名监考 [analogy, exam centres' rules; setting proctorsPerRoom]. A session is one room. */
export const staffingRule: Rule = (plan, settings) => {
  const proctors = plan.staff.filter((a) => a.duty === 'proctor');
  if (proctors.length >= settings.proctorsPerRoom) return [];
  return [
    finding({
      rule: 'staffing',
      code: 'understaffed',
      reason: 'proctors',
      message: `场次 ${plan.sessionCode} 只安排了 ${proctors.length} 名监考，每个考场至少需要 ${settings.proctorsPerRoom} 名`,
      records: [{ type: 'settings', id: null, summary: `proctorsPerRoom=${settings.proctorsPerRoom}` }],
    }),
  ];
};
