import express, { Router, type Request } from 'express';
import { z } from 'zod';
import { actorOf, idParam, parse, requireStaff, staffOf } from '../http/middleware';
import {
  candidateInput,
  declarationInput,
  declarationRemovalReviewInput,
  disciplinaryInput,
  organisationInput,
  recordInput,
  revokeInput,
  staffCreateInput,
  staffProfileInput,
  staffRolesInput,
} from '../protocol';
import { AppError } from '../shared/errors';
import { DECLARATION_STATEMENT, type DeclarationsService } from './declarations.service';
import type { ImportService } from './import.service';
import type { RecordsService } from './records.service';
import type { RegistryService } from './registry.service';
import type { StaffAccountsService } from './staff-accounts.service';
import { CANDIDATE_COLUMNS, ROSTER_COLUMNS, STAFF_COLUMNS, type TableFormat } from './table-file';

export type PeopleServices = {
  registry: RegistryService;
  records: RecordsService;
  declarations: DeclarationsService;
  imports: ImportService;
  accounts: StaffAccountsService;
};

/** Uploaded CSV/Excel bodies arrive raw (the JSON parser ignores them); 10 MB is ~50,000 rows. */
export const rawUpload = express.raw({ type: () => true, limit: '10mb' });

export function uploadOf(req: Request): { bytes: Buffer; format: TableFormat; dryRun: boolean } {
  const q = parse(
    z.object({ format: z.enum(['csv', 'xlsx']).optional(), dryRun: z.enum(['0', '1', 'true', 'false']).optional() }),
    req.query,
  );
  const type = String(req.headers['content-type'] ?? '');
  const format = q.format ?? (type.includes('spreadsheetml') ? 'xlsx' : 'csv');
  if (!Buffer.isBuffer(req.body) || req.body.length === 0)
    throw new AppError('import-empty', '没有上传文件内容 (empty upload)', 400);
  return { bytes: req.body, format, dryRun: q.dryRun === '1' || q.dryRun === 'true' };
}

const listQuery = z.object({
  q: z.string().max(50).default(''),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

export function peopleRoutes(s: PeopleServices): Router {
  const r = Router();
  const admin = requireStaff('admin');
  const viewers = requireStaff('admin', 'chief_examiner', 'official');
  const anyStaff = requireStaff();
  // Officials are read-only: they hold no declarations and sign nothing.
  const examStaff = requireStaff('admin', 'bank_keeper', 'chief_examiner', 'proctor');

  // Organisations: everyone declaring engagements needs the list.
  r.get('/people/organisations', anyStaff, (_req, res) => {
    res.json({ organisations: s.registry.organisations() });
  });
  r.post('/people/organisations', admin, (req, res) => {
    res.status(201).json(s.registry.createOrganisation(parse(organisationInput, req.body), actorOf(res)));
  });
  r.put('/people/organisations/:id', admin, (req, res) => {
    res.json(s.registry.updateOrganisation(idParam(req), parse(organisationInput, req.body), actorOf(res)));
  });
  r.post('/people/organisations/:id/dishonesty', admin, (req, res) => {
    res.status(201).json(s.records.recordDishonesty(idParam(req), parse(recordInput, req.body), actorOf(res)));
  });
  r.post('/people/dishonesty/:id/revoke', admin, (req, res) => {
    res.json(s.records.revokeDishonesty(idParam(req), parse(revokeInput, req.body), actorOf(res)));
  });

  // Staff registry
  r.get('/people/staff', viewers, (_req, res) => {
    res.json({ staff: s.registry.staffList() });
  });
  r.post('/people/staff', admin, (req, res) => {
    res.status(201).json(s.registry.createStaff(parse(staffCreateInput, req.body), actorOf(res)));
  });
  r.put('/people/staff/:id/profile', admin, (req, res) => {
    res.json(s.registry.updateStaffProfile(idParam(req), parse(staffProfileInput, req.body), actorOf(res)));
  });
  // Account changes end the person's tokens at once (issue 13, hole 12).
  r.post('/people/staff/:id/reset-password', admin, (req, res) => {
    res.set('cache-control', 'no-store');
    res.json(s.accounts.resetPassword(idParam(req), actorOf(res)));
  });
  r.post('/people/staff/:id/disable', admin, (req, res) => {
    res.json(s.accounts.setDisabled(idParam(req), true, actorOf(res)));
  });
  r.post('/people/staff/:id/enable', admin, (req, res) => {
    res.json(s.accounts.setDisabled(idParam(req), false, actorOf(res)));
  });
  r.put('/people/staff/:id/roles', admin, (req, res) => {
    res.json(s.accounts.setRoles(idParam(req), parse(staffRolesInput, req.body).roles, actorOf(res)));
  });
  r.post('/people/staff/:id/disciplinary', admin, (req, res) => {
    res.status(201).json(s.records.recordDisciplinary(idParam(req), parse(disciplinaryInput, req.body), actorOf(res)));
  });
  r.post('/people/disciplinary/:id/revoke', admin, (req, res) => {
    res.json(s.records.revokeDisciplinary(idParam(req), parse(revokeInput, req.body), actorOf(res)));
  });
  r.get('/people/staff/:id/declarations', viewers, (req, res) => {
    res.json({ declarations: s.declarations.history(idParam(req)) });
  });
  // A relationship dropped from a declaration keeps counting until an admin reviews the removal (issue 13).
  r.get('/people/declaration-removals', viewers, (_req, res) => {
    res.json({ removals: s.declarations.allRemovals() });
  });
  r.get('/people/staff/:id/declaration-removals', viewers, (req, res) => {
    res.json({ removals: s.declarations.removals(idParam(req)) });
  });
  r.post('/people/staff/:id/declaration-removals/review', admin, (req, res) => {
    const input = parse(declarationRemovalReviewInput, req.body);
    res.status(201).json({
      removal: s.declarations.reviewRemoval(idParam(req), input, {
        staffId: staffOf(res).staffId,
        actor: actorOf(res),
      }),
    });
  });
  r.get('/people/records', viewers, (_req, res) => {
    res.json({ disciplinary: s.records.disciplinary(), dishonesty: s.records.dishonesty() });
  });

  // Declarations: each staff member declares and signs their own.
  r.get('/people/declarations/me', anyStaff, (_req, res) => {
    res.json({ declarations: s.declarations.history(staffOf(res).staffId), statement: DECLARATION_STATEMENT });
  });
  r.post('/people/declarations/me', examStaff, (req, res) => {
    res.status(201).json(s.declarations.declare(staffOf(res).staffId, parse(declarationInput, req.body)));
  });

  // Candidates
  r.get('/people/candidates', viewers, (req, res) => {
    const q = parse(listQuery, req.query);
    res.json(s.registry.candidateList(q.q, q.limit, q.offset));
  });
  r.get('/people/candidates/:id', viewers, (req, res) => {
    res.json(s.registry.candidate(idParam(req)));
  });
  r.post('/people/candidates', admin, (req, res) => {
    res.status(201).json(s.registry.createCandidate(parse(candidateInput, req.body), actorOf(res)));
  });
  r.put('/people/candidates/:id', admin, (req, res) => {
    res.json(s.registry.updateCandidate(idParam(req), parse(candidateInput, req.body), actorOf(res)));
  });

  // Imports (CSV or Excel, raw body; ?format=csv|xlsx&dryRun=1)
  r.post('/people/import/candidates', admin, rawUpload, async (req, res) => {
    const u = uploadOf(req);
    res.json(await s.imports.importCandidates(u.bytes, u.format, u.dryRun, actorOf(res)));
  });
  r.post('/people/import/staff', admin, rawUpload, async (req, res) => {
    const u = uploadOf(req);
    res.json(await s.imports.importStaff(u.bytes, u.format, u.dryRun, actorOf(res)));
  });
  r.get('/people/import/template/:kind', anyStaff, (req, res) => {
    const columns = { candidates: CANDIDATE_COLUMNS, staff: STAFF_COLUMNS, roster: ROSTER_COLUMNS }[
      String(req.params.kind)
    ];
    if (!columns) throw new AppError('not-found', 'no such template', 404);
    res.type('text/csv; charset=utf-8').send('\uFEFF' + columns.map((c) => c.headers[0]).join(',') + '\n');
  });
  return r;
}
