import { z } from 'zod';
import { isValidIdNumber } from '../people/id-number';
import { roleSchema, type Role } from './common';

// People registries, declarations and records (issue 5). Dates are 'YYYY-MM-DD' (China Standard Time).

const isRealDate = (s: string) => {
  const [y, m, d] = s.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
};
export const daySchema = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'date as YYYY-MM-DD')
  .refine(isRealDate, 'not a real date');

/** 居民身份证号码 with the GB 11643 check digit verified. */
export const idNumberSchema = z
  .string()
  .trim()
  .transform((s) => s.toUpperCase())
  .pipe(
    z
      .string()
      .regex(/^\d{17}[\dX]$/, '18 characters: 17 digits then a digit or X')
      .refine(isValidIdNumber, '身份证号校验位或出生日期不正确 (check digit or birth date wrong)'),
  );

export const ORG_KINDS = ['exam_institution', 'training', 'employer'] as const;
export const orgKindSchema = z.enum(ORG_KINDS);
export type OrgKind = z.infer<typeof orgKindSchema>;

const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((s) => (s ? s : null));

export const organisationInput = z
  .object({
    name: z.string().trim().min(2).max(100),
    kind: orgKindSchema,
    // 统一社会信用代码: 18 characters of digits and capitals (no I, O, S, V, Z).
    creditCode: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[0-9A-HJ-NPQRTUWXY]{18}$/, '统一社会信用代码 18 位')
      .nullish()
      .transform((s) => s ?? null),
  })
  .strict();
export type OrganisationInput = z.infer<typeof organisationInput>;

export const recordInput = z
  .object({
    decisionDate: daySchema,
    authority: text(100),
    documentNo: text(100),
    summary: text(1000),
  })
  .strict();
export const DISCIPLINE_KINDS = ['conduct', 'data_breach', 'recusal_skipped'] as const;
export const disciplinaryInput = recordInput.extend({ kind: z.enum(DISCIPLINE_KINDS) }).strict();
export type DisciplinaryInput = z.infer<typeof disciplinaryInput>;
export type DishonestyInput = z.infer<typeof recordInput>;
/**
 * Revoking a record (issue 13, hole 11): only the authority that decided it, or one above it, can revoke a
 * sanction, so the revocation names that authority and its document, not only a reason typed by an admin.
 */
export const revokeInput = z
  .object({ reason: z.string().trim().min(5).max(1000), authority: text(100), documentNo: text(100) })
  .strict();
export type RevokeInput = z.infer<typeof revokeInput>;

export const qualificationInput = z
  .object({ certNo: text(64), validFrom: daySchema, validTo: daySchema })
  .strict()
  .refine((q) => q.validTo >= q.validFrom, { message: 'validTo before validFrom', path: ['validTo'] });

export const staffProfileInput = z
  .object({
    idNumber: idNumberSchema.nullable(),
    employerOrgId: z.number().int().positive().nullable(),
    qualification: qualificationInput.nullable(),
  })
  .strict();
export type StaffProfileInput = z.infer<typeof staffProfileInput>;

/** An admin's change of a login's roles (never to or from official: those follow regulator grants). */
export const staffRolesInput = z.object({ roles: z.array(roleSchema).min(1).max(8) }).strict();

export const staffCreateInput = z
  .object({
    username: z
      .string()
      .trim()
      .min(2)
      .max(64)
      .regex(/^[a-z0-9_.-]+$/i, 'letters, digits, _ . - only'),
    name: text(50),
    roles: z.array(roleSchema).min(1),
  })
  .extend(staffProfileInput.shape)
  .strict();
export type StaffCreateInput = z.infer<typeof staffCreateInput>;

export const photoSchema = z
  .string()
  .max(300_000, 'photo too large (≤ 200 KB)')
  .regex(/^data:image\/(jpeg|png|webp);base64,[A-Za-z0-9+/=]+$/, 'photo must be a JPEG/PNG/WebP data URL');

export const candidateInput = z
  .object({
    name: text(50),
    idNumber: idNumberSchema,
    employerOrgId: z.number().int().positive().nullable(),
    trainingOrgId: z.number().int().positive().nullable(),
    courseFrom: daySchema.nullable(),
    courseTo: daySchema.nullable(),
    appliedCategory: z.string().trim().min(1).max(16).nullable(),
    photo: photoSchema.nullable().optional(),
  })
  .strict()
  .refine((c) => !c.courseFrom || !c.courseTo || c.courseTo >= c.courseFrom, {
    message: 'course end before course start',
    path: ['courseTo'],
  });
export type CandidateInput = z.infer<typeof candidateInput>;

export const RELATIONSHIP_KINDS = ['relative', 'same_employer', 'trained', 'other_interest'] as const;
export const relationshipInput = z
  .object({
    kind: z.enum(RELATIONSHIP_KINDS),
    personIdNumber: idNumberSchema.nullish().transform((s) => s ?? null),
    personName: optionalText(50),
    orgId: z
      .number()
      .int()
      .positive()
      .nullish()
      .transform((s) => s ?? null),
    note: optionalText(500),
  })
  .strict()
  .refine((r) => r.personIdNumber !== null || r.orgId !== null, {
    message: 'name a person (ID number) or an organisation',
  })
  // A relative is a person: 回避 matches candidates by ID number, never by name alone.
  .refine((r) => r.kind !== 'relative' || r.personIdNumber !== null, {
    message: '亲属须填写身份证号',
    path: ['personIdNumber'],
  });

export const engagementInput = z
  .object({
    orgId: z.number().int().positive(),
    from: daySchema,
    to: daySchema.nullish().transform((s) => s ?? null),
    note: optionalText(500),
  })
  .strict()
  .refine((e) => e.to === null || e.to >= e.from, { message: 'end before start', path: ['to'] });

/** The staff member signs their own declaration by re-entering their password. */
export const declarationInput = z
  .object({
    relationships: z.array(relationshipInput).max(200),
    engagements: z.array(engagementInput).max(200),
    confirm: z.literal(true),
    password: z.string().min(1).max(256),
  })
  .strict();
export type DeclarationInput = z.infer<typeof declarationInput>;

export const assignmentInput = z
  .object({ staffId: z.number().int().positive(), duty: z.enum(['chief_examiner', 'proctor', 'examiner']) })
  .strict();

export const registrationInput = z
  .object({
    candidateId: z.number().int().positive().optional(),
    idNumber: idNumberSchema.optional(),
    seatNo: z.number().int().positive().max(10_000).optional(),
    admissionNo: z
      .string()
      .trim()
      .min(4)
      .max(32)
      .regex(/^[A-Za-z0-9-]+$/)
      .optional(),
  })
  .strict()
  .refine((r) => (r.candidateId === undefined) !== (r.idNumber === undefined), {
    message: 'give exactly one of candidateId or idNumber',
  });
export type RegistrationInput = z.infer<typeof registrationInput>;

// ---- views the server answers with ----

export type RecordView = {
  id: number;
  decisionDate: string;
  authority: string;
  documentNo: string;
  summary: string;
  recordedBy: string;
  recordedAt: number;
  revokedAt: number | null;
  revokeReason: string | null;
  revokeAuthority: string | null;
  revokeDocumentNo: string | null;
  /** A revoked sanction is an exception to the rules: officials' views flag it (issue 13, hole 11). */
  exception: boolean;
};
export type DisciplinaryView = RecordView & {
  staffId: number;
  staffName: string;
  kind: (typeof DISCIPLINE_KINDS)[number];
};
export type DishonestyView = RecordView & { orgId: number; orgName: string; barredUntil: string };

export type OrganisationView = {
  id: number;
  name: string;
  kind: OrgKind;
  creditCode: string | null;
  barredUntil: string | null; // last day of a ban in force today
};

export type QualificationView = { certNo: string; validFrom: string; validTo: string };

export type StaffView = {
  id: number;
  username: string;
  name: string;
  roles: Role[];
  disabled: boolean;
  idNumber: string | null;
  employerOrgId: number | null;
  employerName: string | null;
  employerBarredUntil: string | null; // the employer's dishonesty ban in force today
  qualification: QualificationView | null;
  declaration: { version: number; signedAt: number } | null;
  bans: { recordId: number; kind: string; decisionDate: string; documentNo: string; until: string | null }[];
};

export type CandidateView = {
  id: number;
  name: string;
  idNumber: string;
  employerOrgId: number | null;
  employerName: string | null;
  trainingOrgId: number | null;
  trainingOrgName: string | null;
  courseFrom: string | null;
  courseTo: string | null;
  appliedCategory: string | null;
  hasPhoto: boolean;
};

export type DeclarationView = {
  id: number;
  staffId: number;
  version: number;
  statement: string;
  bodyHash: string;
  signedAt: number;
  relationships: {
    id: number;
    kind: (typeof RELATIONSHIP_KINDS)[number];
    personIdNumber: string | null;
    personName: string | null;
    orgId: number | null;
    orgName: string | null;
    note: string | null;
  }[];
  engagements: { id: number; orgId: number; orgName: string; from: string; to: string | null; note: string | null }[];
};

/**
 * A relationship or training engagement dropped from a later declaration version (issue 13 hole 9): it keeps
 * counting for 回避 / 考培分离 until an admin reviews the removal; officials read the list and the review.
 */
export type DeclarationRemovalView = {
  staffId: number;
  part: 'relationship' | 'engagement';
  /** The relationship or engagement row of the last version that declared it. */
  itemId: number;
  summary: string;
  declaredInVersion: number;
  removedInVersion: number;
  removedAt: number;
  review: { reason: string; reviewedBy: string; reviewedAt: number } | null;
};

export const declarationRemovalReviewInput = z
  .object({
    part: z.enum(['relationship', 'engagement']),
    itemId: z.number().int().positive(),
    // What the admin checked (a document, a conversation): the reason is on the chain officials read.
    reason: z.string().trim().min(10, '请写明核实的依据（至少 10 字）').max(500),
  })
  .strict();
export type DeclarationRemovalReviewInput = z.infer<typeof declarationRemovalReviewInput>;

/** A row-exact import problem: the row as numbered in the file (header = row 1). */
export type ImportProblem = { row: number; column: string; message: string };
export type ImportResult = {
  dryRun: boolean;
  imported: number;
  created: number;
  updated: number;
  problems: ImportProblem[];
  oneTimePasswords?: { username: string; password: string }[];
};
