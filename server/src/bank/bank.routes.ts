import express, { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { Principal } from '../auth/tokens';
import type { Db } from '../db/open';
import { actorOf, idParam, parse, requireStaff } from '../http/middleware';
import {
  bankUploadQuery,
  retireRequest,
  type BankItemView,
  type BankVersionView,
  type PracticeItemsResponse,
  type VersionItemsResponse,
} from '../protocol';
import type { Clock } from '../shared/clock';
import { AppError, notFound, unauthorized } from '../shared/errors';
import type { Logger } from '../shared/logger';
import { categoryCodeSchema, type HashedItem } from './bank-format';
import { BankImportService, validationSummary } from './bank-import.service';
import type { BankVersion } from './bank.repo';
import { blueprintView, BlueprintsService } from './blueprints.service';
import { ImportJobs } from './import-jobs';
import { bufferInput, DEFAULT_LIMITS, FileRefused, readImport } from './importers';

const itemView = (i: HashedItem): BankItemView => ({
  contentHash: i.contentHash,
  externalId: i.externalId,
  type: i.type,
  stem: i.stem,
  options: i.options,
  answer: i.answer,
  knowledgePoint: i.knowledgePoint,
  difficulty: i.difficulty,
  explanation: i.explanation,
  image: i.image,
});

/**
 * Uploads arrive as the raw request body (application/octet-stream), so the 256 KB JSON limit of the
 * rest of the API stays as it is; only these routes take up to the importers' file limit, and only after
 * the role check, so nobody else can make the server buffer 30 MB.
 */
const rawUpload: RequestHandler[] = [
  (req, _res, next) => {
    const length = Number(req.headers['content-length'] ?? 0);
    if (length > DEFAULT_LIMITS.fileBytes)
      throw new AppError(
        'file-too-large',
        `文件过大：${(length / 1048576).toFixed(1)} MB，上限 ${DEFAULT_LIMITS.fileBytes / 1048576} MB`,
        413,
      );
    next();
  },
  express.raw({ type: () => true, limit: DEFAULT_LIMITS.fileBytes }),
];

const bodyBytes = (body: unknown): Uint8Array => {
  if (!Buffer.isBuffer(body) || body.length === 0)
    throw new AppError('empty-upload', '请求体中没有文件 (send the file as the raw body)');
  return new Uint8Array(body.buffer, body.byteOffset, body.length);
};

const versionQuery = z
  .object({
    category: categoryCodeSchema.optional(),
    pool: z.enum(['exam', 'practice']).optional(),
  })
  .strict();
const exportQuery = z.object({ format: z.enum(['json', 'xlsx']).default('json') }).strict();
const checkQuery = z
  .object({
    versionId: z.coerce.number().int().positive(),
    papers: z.coerce.number().int().min(1).max(10).default(1),
  })
  .strict();

/** /api/bank/…: bank keepers and admins only (design.md: exam-pool content before opening). */
export function bankRoutes(db: Db, clock: Clock, logger: Logger): Router {
  const r = Router();
  const service = new BankImportService(db, clock);
  const bank = service.bank;
  const blueprints = new BlueprintsService(db, clock);
  const jobs = new ImportJobs(db, clock, logger);
  const keepers = requireStaff('bank_keeper', 'admin');

  const versionView = (v: BankVersion): BankVersionView => ({
    ...v,
    categoryName: bank.repo.categoryName(v.category) ?? v.category,
    latest: bank.repo.latestVersion(v.category, v.pool)?.id === v.id,
  });

  r.use('/bank', keepers);

  r.get('/bank/categories', (_req, res) => {
    res.json({
      categories: bank.repo.categories().map((c) => ({
        ...c,
        exam: (() => {
          const v = bank.repo.latestVersion(c.code, 'exam');
          return v ? versionView(v) : null;
        })(),
        practice: (() => {
          const v = bank.repo.latestVersion(c.code, 'practice');
          return v ? versionView(v) : null;
        })(),
        blueprint: (() => {
          const b = blueprints.repo.current(c.code);
          return b ? blueprintView(b) : null;
        })(),
      })),
    });
  });

  r.post('/bank/validate', ...rawUpload, async (req, res) => {
    const q = parse(bankUploadQuery, req.query);
    try {
      const parsed = await readImport([bufferInput(q.fileName, bodyBytes(req.body))], {
        defaults: {
          category: q.category ?? null,
          ...(q.encoding ? { encoding: q.encoding } : {}),
        },
        categoryOptional: true,
      });
      res.json(validationSummary(parsed, q.mode));
    } catch (err) {
      if (!(err instanceof FileRefused)) throw err;
      res.json({
        ...validationSummary({
          formats: [],
          fileNames: [q.fileName],
          category: q.category ?? '?',
          categoryName: null,
          pool: null,
          items: [],
          problems: [err.problem],
          seen: 0,
        }),
        outcome: 'invalid',
      });
    }
  });

  r.post('/bank/imports', ...rawUpload, (req, res) => {
    const q = parse(bankUploadQuery, req.query);
    res.status(202).json({ job: jobs.start(bodyBytes(req.body), q, actorOf(res)) });
  });

  r.get('/bank/imports/:jobId', (req, res) => {
    const job = jobs.get(String(req.params.jobId));
    if (!job) throw notFound('import job');
    res.json({ job });
  });

  r.get('/bank/imports', (_req, res) => {
    res.json({ imports: bank.repo.importLog(100) });
  });

  r.get('/bank/versions', (req, res) => {
    const q = parse(versionQuery, req.query);
    res.json({ versions: bank.repo.versions(q).map(versionView) });
  });

  r.get('/bank/versions/:id/items', (req, res) => {
    const v = bank.version(idParam(req));
    const items = bank.repo.itemsOfVersion(v.id);
    if (v.pool === 'exam')
      bank.recordAccess(actorOf(res), 'bank.items-viewed', {
        versionId: v.id,
        category: v.category,
        pool: v.pool,
      });
    const body: VersionItemsResponse = {
      version: versionView(v),
      items: items.map(itemView),
    };
    res.json(body);
  });

  r.post('/bank/versions/:id/retire', (req, res) => {
    const v = bank.version(idParam(req));
    const body = parse(retireRequest, req.body);
    if (bank.repo.latestVersion(v.category, v.pool)?.id !== v.id)
      throw new AppError('not-latest-version', `版本 #${v.id} 不是当前版本，请在最新版本上停用题目`, 409);
    const created = bank.retire({
      category: v.category,
      pool: v.pool,
      itemHashes: body.itemHashes,
      reason: body.reason,
      actor: actorOf(res),
    });
    res.status(201).json({ version: versionView(created) });
  });

  r.get('/bank/versions/:id/export', async (req, res) => {
    const q = parse(exportQuery, req.query);
    const out = await service.export(idParam(req), q.format, actorOf(res));
    res.setHeader('content-type', out.contentType);
    res.setHeader(
      'content-disposition',
      `attachment; filename="${out.fileName}"; filename*=UTF-8''${encodeURIComponent(out.fileName)}`,
    );
    res.setHeader('cache-control', 'no-store');
    res.send(out.body);
  });

  r.get('/bank/blueprints', (req, res) => {
    const q = parse(z.object({ category: categoryCodeSchema.optional() }).strict(), req.query);
    res.json({
      blueprints: blueprints.repo.list(q.category).map(blueprintView),
    });
  });

  r.post('/bank/blueprints', (req, res) => {
    res.status(201).json({
      blueprint: blueprintView(blueprints.create(req.body, actorOf(res))),
    });
  });

  r.post('/bank/blueprints/:id/retire', (req, res) => {
    blueprints.retire(idParam(req), actorOf(res));
    res.json({ ok: true });
  });

  r.get('/bank/blueprints/:id/check', (req, res) => {
    const q = parse(checkQuery, req.query);
    res.json(blueprints.check(idParam(req), q.versionId, q.papers));
  });

  return r;
}

/**
 * /api/practice/…: familiarisation (熟悉机考) for anyone logged in. Reads the practice pool only, through
 * a query that also drops any item ever in an exam pool (考培分离): it has no way to reach exam content.
 */
export function practiceRoutes(db: Db, clock: Clock): Router {
  const r = Router();
  const bank = new BankImportService(db, clock).bank;
  const loggedIn: RequestHandler = (_req, res, next) => {
    if (!(res.locals.principal as Principal | undefined)) throw unauthorized();
    next();
  };
  r.get('/practice/:category/items', loggedIn, (req, res) => {
    const category = parse(categoryCodeSchema, req.params.category);
    const found = bank.repo.practiceItems(category);
    if (!found) throw notFound('practice pool', { category });
    const body: PracticeItemsResponse = {
      category,
      categoryName: bank.repo.categoryName(category) ?? category,
      versionId: found.version.id,
      items: found.items.map((i) => ({
        id: i.externalId,
        type: i.type,
        stem: i.stem,
        options: i.options,
        answer: i.answer,
        explanation: i.explanation,
        knowledgePoint: i.knowledgePoint,
      })),
    };
    res.json(body);
  });
  return r;
}
