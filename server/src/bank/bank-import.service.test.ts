import { resolve } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { migrate, readMigrations } from '../db/migrate';
import { openDatabase, type Db } from '../db/open';
import { EventsRepo, INSTITUTION_CHAIN, verifyChain } from '../audit/events.repo';
import { ManualClock } from '../shared/clock';
import { BankImportService } from './bank-import.service';
import { itemContentHash } from './bank-format';
import { bufferInput, pathInputs, readImport, type ParsedImport } from './importers';
import type { ImportMode } from '../protocol';

const BANKS = resolve(import.meta.dirname, '../../../question-bank/banks');

function freshDb(): Db {
  const db = openDatabase(':memory:');
  migrate(db);
  return db;
}

const json = (pool: 'exam' | 'practice', items: object[], category = 'N1') =>
  JSON.stringify({
    format: 'exam-center-bank/1',
    category,
    categoryName: '叉车司机',
    pool,
    items,
  });
const judge = (id: string, stem: string, answer = '对', kp = '安全操作') => ({
  id,
  type: 'judge',
  stem,
  answer,
  knowledgePoint: kp,
  difficulty: 2,
});
const single = (id: string, stem: string) => ({
  id,
  type: 'single',
  stem,
  options: ['甲', '乙', '丙', '丁'],
  answer: 'B',
  knowledgePoint: '基础知识',
  difficulty: 3,
});

async function parse(name: string, text: string | Uint8Array, category: string | null = null): Promise<ParsedImport> {
  return readImport([bufferInput(name, typeof text === 'string' ? new TextEncoder().encode(text) : text)], {
    defaults: { category },
  });
}

describe('BankImportService', () => {
  let db: Db;
  let clock: ManualClock;
  let service: BankImportService;
  const store = (parsed: ParsedImport, pool: 'exam' | 'practice' | null = null, mode: ImportMode = 'append') =>
    service.store(parsed, {
      pool,
      mode,
      actor: 'staff:2',
      files: [{ name: parsed.fileNames[0]!, bytes: 1, sha256: 'x' }],
      startedAt: clock.now(),
    });
  const counts = () => ({
    versions: (
      db.prepare('SELECT count(*) AS n FROM bank_versions').get() as {
        n: number;
      }
    ).n,
    items: (db.prepare('SELECT count(*) AS n FROM bank_items').get() as { n: number }).n,
  });

  beforeEach(() => {
    db = freshDb();
    clock = new ManualClock();
    service = new BankImportService(db, clock);
  });

  it('creates a version per import; append keeps earlier items, replace makes the file the whole pool', async () => {
    const a = store(
      await parse('a.json', json('exam', [judge('J1', '叉车起步前应鸣笛。'), single('S1', '叉车的额定起重量是指？')])),
    );
    expect(a).toMatchObject({
      outcome: 'imported',
      imported: 2,
      skipped: 0,
      added: 2,
      version: { itemCount: 2, parentId: null },
    });
    const b = store(await parse('b.json', json('exam', [judge('J2', '叉车可以载人。', '错')])));
    expect(b).toMatchObject({
      outcome: 'imported',
      added: 1,
      version: { itemCount: 3, parentId: a.version!.id },
    });
    const c = store(await parse('c.json', json('exam', [judge('J2', '叉车可以载人。', '错')])), null, 'replace');
    expect(c).toMatchObject({
      outcome: 'imported',
      removed: 2,
      version: { itemCount: 1, parentId: b.version!.id },
    });
    expect(service.bank.repo.itemsOfVersion(a.version!.id).map((i) => i.externalId)).toEqual(['J1', 'S1']);
  });

  it('answers unchanged, without a new version, when a re-import changes nothing', async () => {
    const file = json('exam', [judge('J1', '叉车起步前应鸣笛。')]);
    store(await parse('a.json', file));
    const again = store(await parse('a.json', file));
    expect(again.outcome).toBe('unchanged');
    expect(counts().versions).toBe(1);
  });

  it('keeps a corrected knowledge point as a new version of the same item (same hash, new fingerprint)', async () => {
    const first = store(await parse('a.json', json('exam', [judge('J1', '叉车起步前应鸣笛。', '对', '安全操作')])));
    const second = store(await parse('a.json', json('exam', [judge('J1', '叉车起步前应鸣笛。', '对', '基础知识')])));
    expect(second).toMatchObject({ outcome: 'imported', added: 0, updated: 1 });
    expect(second.version!.fingerprint).not.toBe(first.version!.fingerprint);
    expect(service.bank.repo.itemsOfVersion(first.version!.id)[0]!.knowledgePoint).toBe('安全操作');
    expect(service.bank.repo.itemsOfVersion(second.version!.id)[0]!.knowledgePoint).toBe('基础知识');
    expect(counts().items).toBe(1);
  });

  it('refuses an import that would put an exam item into the practice pool, listing the clashing items (考培分离)', async () => {
    store(
      await parse('exam.json', json('exam', [judge('E1', '叉车起步前应鸣笛。'), judge('E2', '叉车可以载人。', '错')])),
    );
    const before = counts();
    const clash = store(
      await parse(
        'practice.json',
        json('practice', [
          judge('P1', '叉车起步前应鸣笛。'),
          judge('P2', '作业时应系好安全带。'),
          judge('P3', '叉车  可以载人。', '错'),
        ]),
      ),
    );
    expect(clash.outcome).toBe('refused');
    expect(clash.errors.map((e) => e.where).sort()).toEqual(['P1', 'P3']);
    expect(clash.errors[0]!.message).toContain('考培分离');
    expect(counts()).toEqual(before);
    // and the other way round
    store(await parse('practice.json', json('practice', [judge('P2', '作业时应系好安全带。')])));
    const back = store(await parse('exam2.json', json('exam', [judge('E3', '作业时应系好安全带。')])));
    expect(back).toMatchObject({
      outcome: 'refused',
      errors: [expect.objectContaining({ where: 'E3' })],
    });
  });

  it('retires an item into a new version; a later import does not bring it back', async () => {
    const v1 = store(
      await parse('a.json', json('exam', [judge('J1', '叉车起步前应鸣笛。'), judge('J2', '叉车可以载人。', '错')])),
    );
    const items = service.bank.repo.itemsOfVersion(v1.version!.id);
    const v2 = service.bank.retire({
      category: 'N1',
      pool: 'exam',
      itemHashes: [items[1]!.contentHash],
      reason: '题目泄露',
      actor: 'staff:2',
    });
    expect(v2).toMatchObject({
      parentId: v1.version!.id,
      itemCount: 1,
      note: '题目泄露',
    });
    const again = store(
      await parse('a.json', json('exam', [judge('J1', '叉车起步前应鸣笛。'), judge('J2', '叉车可以载人。', '错')])),
    );
    expect(again.outcome).toBe('unchanged');
    expect(again.warnings.some((w) => w.message.includes('停用'))).toBe(true);
    const types = new EventsRepo(db).list(INSTITUTION_CHAIN).map((e) => e.type);
    expect(types).toContain('bank.items-retired');
  });

  it('keeps versions and items immutable in the database', async () => {
    const v = store(await parse('a.json', json('exam', [judge('J1', '叉车起步前应鸣笛。')])));
    expect(() => db.prepare('UPDATE bank_versions SET fingerprint = ? WHERE id = ?').run('x', v.version!.id)).toThrow(
      /immutable/,
    );
    expect(() => db.prepare("UPDATE bank_items SET stem = 'x'").run()).toThrow(/immutable/);
    expect(() => db.prepare('DELETE FROM bank_version_items').run()).toThrow(/immutable/);
  });

  it('round-trips: export a version (JSON and Excel), re-import into a fresh database, same fingerprint', async () => {
    const original = store(
      await parse('N1-exam.json', new Uint8Array(await (await pathInputs(`${BANKS}/N1-exam.json`))[0]!.bytes())),
    );
    expect(original.outcome).toBe('imported');
    for (const format of ['json', 'xlsx'] as const) {
      const file = await service.export(original.version!.id, format, 'staff:2');
      const other = new BankImportService(freshDb(), clock);
      const parsed = await readImport([bufferInput(file.fileName, new Uint8Array(file.body))], {
        defaults: { category: format === 'xlsx' ? 'N1' : null },
      });
      const again = other.store(parsed, {
        pool: 'exam',
        mode: 'append',
        actor: 'staff:2',
        files: [],
        startedAt: 0,
      });
      expect(again.warnings).toEqual([]);
      expect(again.version!.fingerprint).toBe(original.version!.fingerprint);
    }
  });

  it('logs every import, refused ones too, with who and when, in the hash-chained event log', async () => {
    store(await parse('a.json', json('exam', [judge('J1', '叉车起步前应鸣笛。')])));
    store(await parse('b.json', json('exam', [judge('J1', '叉车起步前应鸣笛。', 'Q')])));
    const log = service.bank.repo.importLog();
    expect(log.map((l) => [l.outcome, l.actor, l.fileName])).toEqual([
      ['refused', 'staff:2', 'b.json'],
      ['imported', 'staff:2', 'a.json'],
    ]);
    const events = new EventsRepo(db).list(INSTITUTION_CHAIN);
    expect(events.map((e) => e.type)).toEqual(['bank.version-created', 'bank.imported', 'bank.import-refused']);
    expect(verifyChain(events)).toBeNull();
  });

  it('needs a category for foreign formats and a name for a category it does not know', async () => {
    const xml = `<quiz><question type="truefalse"><name><text>q</text></name><questiontext format="html"><text>叉车可以载人。</text></questiontext>
      <answer fraction="0"><text>true</text></answer><answer fraction="100"><text>false</text></answer></question></quiz>`;
    const noCategory = store(await parse('q.xml', xml), 'practice');
    expect(noCategory).toMatchObject({
      outcome: 'refused',
      errors: [expect.objectContaining({ field: 'category' })],
    });
    const unknown = store(await parse('q.xml', xml, 'Z9'), 'practice');
    expect(unknown.errors[0]!.message).toContain('--category-name');
    expect(store(await parse('q.xml', xml, 'N2'), 'practice')).toMatchObject({
      outcome: 'imported',
      byType: { judge: 1 },
    });
    expect(service.bank.repo.categoryName('N2')).toBe('观光车和观光列车司机');
  });

  it('never returns an exam item from the practice read, even from a practice version written around the service', async () => {
    store(await parse('exam.json', json('exam', [judge('E1', '叉车起步前应鸣笛。')])));
    store(await parse('practice.json', json('practice', [judge('P1', '作业时应系好安全带。')])));
    const examItem = service.bank.repo.itemsOfVersion(service.bank.repo.latestVersion('N1', 'exam')!.id)[0]!;
    const practiceItem = service.bank.repo.itemsOfVersion(service.bank.repo.latestVersion('N1', 'practice')!.id)[0]!;
    // A forged practice version holding the exam item (bypassing createVersion's clash check).
    service.bank.repo.insertVersion(
      {
        category: 'N1',
        pool: 'practice',
        fingerprint: 'forged',
        parentId: null,
        source: 'forged',
        note: null,
        createdBy: 'x',
        createdAt: 0,
      },
      [practiceItem, examItem],
    );
    const read = service.bank.repo.practiceItems('N1')!;
    expect(read.version.fingerprint).toBe('forged');
    expect(read.items.map((i) => i.contentHash)).toEqual([practiceItem.contentHash]);
  });
});

describe('clash hashes of items stored before 0010', () => {
  it('insider: an exam item stored before the clash hash existed is backfilled at start-up and still refused as G1 practice', async () => {
    const db = openDatabase(':memory:');
    const all = readMigrations();
    migrate(
      db,
      all.filter((m) => m.id < 10),
    );
    // An N1 exam item as an older build stored it: no clash hash anywhere.
    const item = {
      category: 'N1',
      type: 'single' as const,
      stem: '叉车的额定起重量是指？',
      options: ['甲', '乙', '丙', '丁'],
      answer: [1],
    };
    const hash = itemContentHash(item);
    db.prepare("INSERT INTO categories (code, name, theory_only) VALUES ('N1', '叉车司机', 0)").run();
    db.prepare(
      `INSERT INTO bank_items (content_hash, category, type, stem, options, answer, knowledge_point, difficulty)
       VALUES (?, 'N1', 'single', ?, ?, '[1]', '基础知识', 3)`,
    ).run(hash, item.stem, JSON.stringify(item.options));
    db.prepare(
      `INSERT INTO bank_versions (id, category, pool, fingerprint, item_count, source, created_by, created_at)
       VALUES (1, 'N1', 'exam', 'old', 1, 'old build', 'x', 0)`,
    ).run();
    db.prepare(
      "INSERT INTO bank_version_items (version_id, item_hash, external_id, position) VALUES (1, ?, 'S1', 0)",
    ).run(hash);
    migrate(db, all);
    const service = new BankImportService(db, new ManualClock());
    expect(db.prepare('SELECT count(*) FROM bank_item_clash').pluck().get()).toBe(1);
    const g1 = JSON.stringify({
      format: 'exam-center-bank/1',
      category: 'G1',
      categoryName: '工业锅炉司炉',
      pool: 'practice',
      items: [{ ...single('G1-1', item.stem), options: ['丁', '丙', '乙', '甲'], answer: 'C' }],
    });
    const parsed = await parse('g1.json', g1);
    const summary = service.store(parsed, {
      pool: 'practice',
      mode: 'append',
      actor: 'staff:2',
      files: [{ name: 'g1.json', bytes: 1, sha256: 'x' }],
      startedAt: 0,
    });
    expect(summary.outcome).toBe('refused');
    expect(summary.errors[0]!.message).toContain('N1 考试池 版本 #1 的 S1');
  });
});
