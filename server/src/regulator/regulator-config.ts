import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../config';

const envSchema = z.object({
  EXAM_CENTER_REGULATOR_DATA: z.string().min(1).default('./regulator-data'),
  REGULATOR_PORT: z.coerce.number().int().min(0).max(65535).default(8090),
  REGULATOR_HOST: z.string().min(1).default('0.0.0.0'),
  EXAM_CENTER_LOG: z.enum(['silent', 'error', 'info', 'debug']).default('info'),
  // A session the regulator knows of whose archive has not arrived this many days after its end is "missing".
  REGULATOR_MISSING_ARCHIVE_DAYS: z.coerce.number().int().min(1).max(365).default(3),
  REGULATOR_TOKEN_MINUTES: z.coerce
    .number()
    .int()
    .min(5)
    .max(24 * 60)
    .default(8 * 60),
});

/** The regulator server's own configuration: nothing here is shared with any exam centre. */
export type RegulatorConfig = {
  dataDir: string;
  port: number;
  host: string;
  logLevel: 'silent' | 'error' | 'info' | 'debug';
  missingArchiveDays: number;
  tokenMinutes: number;
};

export function loadRegulatorConfig(env: NodeJS.ProcessEnv = process.env): RegulatorConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid regulator configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    dataDir: resolve(e.EXAM_CENTER_REGULATOR_DATA),
    port: e.REGULATOR_PORT,
    host: e.REGULATOR_HOST,
    logLevel: e.EXAM_CENTER_LOG,
    missingArchiveDays: e.REGULATOR_MISSING_ARCHIVE_DAYS,
    tokenMinutes: e.REGULATOR_TOKEN_MINUTES,
  };
}
