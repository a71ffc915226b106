import type { SessionDuty } from '../sessions/session-duty';
import { Router, type Response } from 'express';
import { z } from 'zod';
import { actorOf, idParam, parse, requireStaff } from '../http/middleware';
import {
  dateRangeQuerySchema,
  exportFormatSchema,
  itemAnalysisQuerySchema,
  reExamQuerySchema,
  resultCorrectionSchema,
} from '../protocol/grading';
import { gradingSettingsSchema } from './grading-settings';
import type { GradingService } from './grading.service';
import type { AnalysisService } from './analysis.service';
import { toCsv, toXlsx, type ReportsService, type Table } from './reports.service';
import type { ReExamService } from './reexam.service';

async function sendTable(res: Response, table: Table, format: 'csv' | 'xlsx', name: string): Promise<void> {
  const file = `${name}.${format}`;
  res.setHeader(
    'content-disposition',
    `attachment; filename="${encodeURIComponent(file)}"; filename*=UTF-8''${encodeURIComponent(file)}`,
  );
  if (format === 'csv') {
    res.type('text/csv; charset=utf-8').send(toCsv(table));
  } else {
    res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(await toXlsx(table));
  }
}

/** Grading, release, corrections, score sheets, exports and item analysis. Officials read and export only. */
export function gradingRoutes(
  grading: GradingService,
  reports: ReportsService,
  analysis: AnalysisService,
  reExam: ReExamService,
  duty: SessionDuty,
): Router {
  const r = Router();
  const examiners = requireStaff('admin', 'chief_examiner');
  const readers = requireStaff('admin', 'chief_examiner', 'proctor', 'official');
  const exporters = requireStaff('admin', 'chief_examiner', 'official');
  const bankKeepers = requireStaff('admin', 'bank_keeper');

  // Grading, release and corrections belong to the session's own chief examiner (issue 13): a chief examiner
  // of another session, or the admin, cannot change results here; a correction also re-runs 回避 against the
  // candidate whose result changes.
  r.post('/sessions/:id/grade', examiners, duty.onSession('chief'), (req, res) => {
    res.json(grading.gradeSession(idParam(req), actorOf(res)));
  });
  r.post('/sessions/:id/release', examiners, duty.onSession('chief'), (req, res) => {
    res.json(grading.release(idParam(req), actorOf(res)));
  });
  r.post(
    '/results/:registrationId/correction',
    examiners,
    duty.onRegistration('chief', 'registrationId'),
    (req, res) => {
      const body = parse(resultCorrectionSchema, req.body);
      res.json(grading.correct(idParam(req, 'registrationId'), body, actorOf(res)));
    },
  );

  // Scores and slips are read by the session's own staff, the admin and officials (SessionDuty.requireReader,
  // issue 13), not by a proctor of another room.
  r.get('/sessions/:id/score-sheet', readers, duty.readsSession(), async (req, res) => {
    const sessionId = idParam(req);
    const { format } = parse(z.object({ format: exportFormatSchema }), req.query);
    if (format === 'json') {
      res.json(reports.scoreSheet(sessionId));
      return;
    }
    const table = reports.scoreSheetTable(sessionId);
    reports.recordExport({ kind: 'score-sheet', sessionId, format, rows: table.rows.length }, actorOf(res));
    await sendTable(res, table, format, table.title.replace(/\s+/g, '-'));
  });
  r.get('/results/:registrationId/slip', readers, duty.readsRegistration('registrationId'), (req, res) => {
    res.json(reports.slip(idParam(req, 'registrationId')));
  });
  r.get('/reports/results', exporters, async (req, res) => {
    const q = parse(dateRangeQuerySchema, req.query);
    const table = reports.regulatorTable(q.from, q.to);
    reports.recordExport(
      { kind: 'regulator-results', from: q.from, to: q.to, format: q.format, rows: table.rows.length },
      actorOf(res),
    );
    if (q.format === 'json') {
      res.json(table);
      return;
    }
    await sendTable(res, table, q.format, `results-${q.from}-${q.to}`);
  });

  r.get('/analysis/items', bankKeepers, (req, res) => {
    const q = parse(itemAnalysisQuerySchema, req.query);
    res.json(analysis.itemAnalysis(q.category, q.from, q.to));
  });
  r.get('/analysis/pass-rates', requireStaff('admin', 'chief_examiner', 'bank_keeper', 'official'), (req, res) => {
    const q = parse(dateRangeQuerySchema, req.query);
    res.json(analysis.passRates(q.from, q.to, q.category));
  });

  r.get('/grading/settings', requireStaff(), (_req, res) => {
    res.json(grading.settings());
  });
  r.put('/grading/settings', requireStaff('admin'), (req, res) => {
    res.json(grading.updateSettings(parse(gradingSettingsSchema, req.body), actorOf(res)));
  });
  r.get('/candidates/:id/reexam-eligibility', requireStaff('admin', 'chief_examiner', 'official'), (req, res) => {
    const q = parse(reExamQuerySchema, req.query);
    const start = Date.parse(`${q.date}T09:00:00+08:00`);
    res.json({ violations: reExam.check(idParam(req), q.category, start) });
  });
  return r;
}
