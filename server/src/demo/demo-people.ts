import { idNumberCheckDigit } from '../people/id-number';
import type { Role } from '../protocol';

export const DEMO_INSTITUTION = '济南市特种设备作业人员考试中心（演示）';

/** Demo staff: one account per role, passwords printed at start-up (demo installations only). */
export const DEMO_STAFF: { username: string; name: string; roles: Role[]; password: string }[] = [
  { username: 'admin', name: '王建国', roles: ['admin'], password: 'demo-admin-2026' },
  { username: 'bank', name: '李秀英', roles: ['bank_keeper'], password: 'demo-bank-2026' },
  { username: 'chief', name: '张志强', roles: ['chief_examiner'], password: 'demo-chief-2026' },
  { username: 'proctor1', name: '刘洋', roles: ['proctor'], password: 'demo-proctor-2026' },
  { username: 'proctor2', name: '陈静', roles: ['proctor'], password: 'demo-proctor-2026' },
  { username: 'official', name: '赵敏（市场监管局）', roles: ['official'], password: 'demo-official-2026' },
];

const withCheckDigit = (first17: string) => first17 + idNumberCheckDigit(first17);

/** Demo candidates with valid (fictitious) ID numbers: region 370102 (济南市历下区), realistic birth dates. */
export const DEMO_CANDIDATES = [
  {
    name: '孙立伟',
    idNumber: withCheckDigit('37010219850312451'),
    employer: '济南宏达物流有限公司',
    trainingOrg: '济南市特种设备培训中心',
  },
  {
    name: '周海燕',
    idNumber: withCheckDigit('37010219900726282'),
    employer: '山东鲁丰仓储有限公司',
    trainingOrg: '济南市特种设备培训中心',
  },
  {
    name: '吴国栋',
    idNumber: withCheckDigit('37010219781104133'),
    employer: '济南钢城机械厂',
    trainingOrg: '历城区职业技能培训学校',
  },
  {
    name: '郑晓明',
    idNumber: withCheckDigit('37010219951218571'),
    employer: '济南宏达物流有限公司',
    trainingOrg: '历城区职业技能培训学校',
  },
  {
    name: '马春花',
    idNumber: withCheckDigit('37010219880509346'),
    employer: '山东泉城食品有限公司',
    trainingOrg: '济南市特种设备培训中心',
  },
];
