import { randomUUID } from 'node:crypto';
import type { Db } from '../db/open';
import type { BankUploadQuery, ImportJobView } from '../protocol';
import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/logger';
import { BankImportService, fileDigest, validationSummary } from './bank-import.service';
import { bufferInput, FileRefused, readImport, type ImportProgress } from './importers';

const KEEP_MS = 60 * 60 * 1000;

/**
 * Imports started from the staff page run in the background; the page polls their progress. Jobs live in
 * memory only: what lasts is the import log and the version (bank_imports, bank_versions).
 */
export class ImportJobs {
  private readonly jobs = new Map<string, ImportJobView>();
  private readonly service: BankImportService;

  constructor(
    db: Db,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.service = new BankImportService(db, clock);
  }

  start(bytes: Uint8Array, query: BankUploadQuery, actor: string): ImportJobView {
    this.sweep();
    const job: ImportJobView = {
      id: randomUUID(),
      fileName: query.fileName,
      status: 'running',
      progress: { phase: 'read', done: 0, total: bytes.length },
      summary: null,
      startedAt: this.clock.now(),
    };
    this.jobs.set(job.id, job);
    void this.run(job, bytes, query, actor);
    return { ...job };
  }

  get(id: string): ImportJobView | undefined {
    const job = this.jobs.get(id);
    return job && { ...job, progress: { ...job.progress } };
  }

  /** Runs one job to its end; whatever happens, the job ends as done or failed, never stuck as running. */
  async run(job: ImportJobView, bytes: Uint8Array, query: BankUploadQuery, actor: string): Promise<void> {
    const onProgress = (p: ImportProgress) => {
      job.progress = p;
    };
    try {
      const input = bufferInput(query.fileName, bytes);
      const parsed = await readImport([input], {
        defaults: {
          category: query.category ?? null,
          ...(query.knowledgePoint ? { knowledgePoint: query.knowledgePoint } : {}),
          ...(query.difficulty ? { difficulty: query.difficulty } : {}),
          ...(query.encoding ? { encoding: query.encoding } : {}),
        },
        onProgress,
      });
      job.summary = this.service.store(parsed, {
        pool: query.pool ?? null,
        mode: query.mode,
        actor,
        categoryName: query.categoryName,
        files: [await fileDigest(input)],
        startedAt: job.startedAt,
        onStore: () => onProgress({ phase: 'store', done: 0, total: parsed.items.length }),
      });
      job.progress = { phase: 'store', done: 1, total: 1 };
      job.status = job.summary.outcome === 'refused' ? 'failed' : 'done';
    } catch (err) {
      job.status = 'failed';
      if (err instanceof FileRefused) {
        job.summary = {
          ...validationSummary(
            {
              formats: [],
              fileNames: [query.fileName],
              category: query.category ?? '?',
              categoryName: null,
              pool: query.pool ?? null,
              items: [],
              problems: [err.problem],
              seen: 0,
            },
            query.mode,
          ),
          outcome: 'refused',
        };
      } else {
        this.logger.error({ err, file: query.fileName }, 'bank import failed');
        job.summary = {
          ...validationSummary(
            {
              formats: [],
              fileNames: [query.fileName],
              category: query.category ?? '?',
              categoryName: null,
              pool: query.pool ?? null,
              items: [],
              problems: [
                {
                  kind: 'error',
                  where: query.fileName,
                  message: '导入时发生内部错误，题库未改变 (internal error; the bank is unchanged)',
                },
              ],
              seen: 0,
            },
            query.mode,
          ),
          outcome: 'refused',
        };
      }
    }
  }

  private sweep(): void {
    const now = this.clock.now();
    for (const [id, job] of this.jobs)
      if (job.status !== 'running' && now - job.startedAt > KEEP_MS) this.jobs.delete(id);
  }
}
