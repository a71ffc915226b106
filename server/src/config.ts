import { resolve } from 'node:path';
import { z } from 'zod';

const boolFlag = z
  .enum(['0', '1', 'true', 'false', 'yes', 'no'])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  EXAM_CENTER_DATA: z.string().min(1).default('./data'),
  // Where the room-video recorder writes; room video is attached only from here (issue 13, hole 1).
  EXAM_CENTER_RECORDINGS: z.string().min(1).optional(),
  EXAM_CENTER_DEMO: boolFlag.default(true),
  EXAM_CENTER_LOG: z.enum(['silent', 'error', 'info', 'debug']).default('info'),
  // Every date and time on every screen is shown in the exam centre's zone, whatever the PC's clock says.
  EXAM_CENTER_TIMEZONE: z
    .string()
    .default(DEFAULT_TIME_ZONE)
    .refine(isTimeZone, 'not an IANA time zone (e.g. Asia/Shanghai)'),
  // The regulator link (issue 14): where the regulator is, this centre's code there, how often to exchange.
  EXAM_CENTER_REGULATOR_URL: z.string().url().optional(),
  EXAM_CENTER_CENTRE_CODE: z
    .string()
    .regex(/^[A-Z0-9][A-Z0-9-]{1,31}$/, 'centre code: 2–32 of A–Z, 0–9, -')
    .optional(),
  EXAM_CENTER_LINK_INTERVAL_S: z.coerce.number().int().min(1).max(86_400).default(30),
  EXAM_CENTER_STAFF_TOKEN_MINUTES: z.coerce
    .number()
    .int()
    .min(5)
    .max(24 * 60)
    .default(240),
});

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  /** Room recordings (考场录像) may be attached only from this folder; never the data folder (keys live there). */
  recordingsDir: string;
  demo: boolean;
  logLevel: 'silent' | 'error' | 'info' | 'debug';
  staffTokenMinutes: number;
  /** IANA zone the screens show dates and times in (EXAM_CENTER_TIMEZONE). */
  timeZone: string;
  /** The regulator link (issue 14); null values fall back to what the link_state table holds. */
  link: { regulatorUrl: string | null; centreCode: string | null; intervalS: number };
};

export class ConfigError extends Error {}

/** Parses the environment into a typed config; names the variable and the problem on bad input. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map(
      (issue) => `  ${issue.path.join('.')}=${JSON.stringify(env[String(issue.path[0])])}: ${issue.message}`,
    );
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: resolve(e.EXAM_CENTER_DATA),
    // Default: a sibling of the data folder, so that archives can never reach into <data>/keys.
    recordingsDir: resolve(e.EXAM_CENTER_RECORDINGS ?? resolve(e.EXAM_CENTER_DATA, '..', 'recordings')),
    demo: e.EXAM_CENTER_DEMO,
    logLevel: e.EXAM_CENTER_LOG,
    staffTokenMinutes: e.EXAM_CENTER_STAFF_TOKEN_MINUTES,
    timeZone: e.EXAM_CENTER_TIMEZONE,
    link: {
      regulatorUrl: e.EXAM_CENTER_REGULATOR_URL ?? null,
      centreCode: e.EXAM_CENTER_CENTRE_CODE ?? null,
      intervalS: e.EXAM_CENTER_LINK_INTERVAL_S,
    },
  };
}
