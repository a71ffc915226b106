import { z } from 'zod';

/**
 * An official's account state (create, new password, disable), signed by the regulator (README "Officials'
 * accounts"). Wire type: it crosses the regulator link and bundle files (protocol/regulator.ts).
 */
export const grantBody = z
  .object({
    v: z.literal(1),
    kind: z.literal('exam-center.official-grant'),
    action: z.enum(['create', 'update', 'disable']),
    username: z.string().regex(/^[a-z0-9_.-]{2,64}$/i),
    name: z.string().trim().min(1).max(50),
    passwordHash: z.string().regex(/^[0-9a-f]{64}$/),
    passwordSalt: z.string().regex(/^[0-9a-f]{32}$/),
    issuedAt: z.number().int().positive(),
    expiresAt: z.number().int().positive(),
  })
  .strict();
export type GrantBody = z.infer<typeof grantBody>;
export const signedGrant = z
  .object({ grant: grantBody, signature: z.string().regex(/^[A-Za-z0-9+/=]{80,100}$/) })
  .strict();
export type SignedGrant = z.infer<typeof signedGrant>;
