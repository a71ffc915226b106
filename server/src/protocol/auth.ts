import { z } from 'zod';
import { roleSchema, type Role } from './common';

export const staffLoginRequest = z.object({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
});
export type StaffLoginRequest = z.infer<typeof staffLoginRequest>;

export type StaffUser = { id: number; username: string; name: string; roles: Role[]; mustChangePassword: boolean };
export type StaffLoginResponse = { token: string; expiresAt: number; user: StaffUser };

/** 准考证号 + 身份证号 (18 characters, last may be X). */
export const candidateLoginRequest = z.object({
  admissionNo: z
    .string()
    .trim()
    .min(4)
    .max(32)
    .regex(/^[A-Za-z0-9-]+$/, 'letters, digits and - only'),
  idNumber: z
    .string()
    .trim()
    .transform((s) => s.toUpperCase())
    .pipe(z.string().regex(/^\d{17}[\dX]$/, '18 characters: 17 digits then a digit or X')),
  // The seat's enrolled-workstation token, stored in that browser by the proctor (issue 6).
  workstationToken: z.string().max(2000).optional(),
});
export type CandidateLoginRequest = z.infer<typeof candidateLoginRequest>;
export type CandidateLoginResponse = { token: string; expiresAt: number; registrationId: number };

export const changePasswordRequest = z.object({
  currentPassword: z.string().min(1).max(256),
  newPassword: z.string().min(10, 'at least 10 characters').max(256),
});

export const staffTokenClaims = z.object({
  kind: z.literal('staff'),
  sub: z.string(),
  roles: z.array(roleSchema),
  name: z.string(),
  // Set while a one-time password is still in use: only the password change is allowed.
  mcp: z.boolean().optional(),
  // The account's token version at issue: a password, role or disabled change moves it on and ends the token.
  tv: z.number().int().min(0).optional(),
});
export type StaffTokenClaims = z.infer<typeof staffTokenClaims>;

export const candidateTokenClaims = z.object({
  kind: z.literal('candidate'),
  sub: z.string(), // registration id
  sessionId: z.number().int(),
  // The seat at login: after a seat move the old token no longer opens the exam.
  seatNo: z.number().int(),
  // The enrolled workstation the token was issued at (issue 13): where the session requires workstations, the
  // token opens the exam only from that workstation's browser, not from any device it is copied to.
  ws: z.number().int().positive().optional(),
});
export type CandidateTokenClaims = z.infer<typeof candidateTokenClaims>;
