import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QUESTION_BANK_DIR } from '../server/src/demo/seed';
import { blueprintSchema, type Blueprint } from '../server/src/bank/blueprint';
import { blueprintShortfalls } from '../server/src/bank/blueprint-check';
import { fileInput, readImport, type ParsedImport } from '../server/src/bank/importers';

// Every file shipped in question-bank/ must import cleanly (style.md: a test that checks every data file).
const banksDir = join(QUESTION_BANK_DIR, 'banks');
const blueprintsDir = join(QUESTION_BANK_DIR, 'blueprints');
const bankFiles = readdirSync(banksDir)
  .filter((f) => f.endsWith('.json'))
  .sort();
const blueprintFiles = readdirSync(blueprintsDir)
  .filter((f) => f.endsWith('.json'))
  .sort();
const REQUIRED = ['N1', 'G1', 'R1'];

async function load(file: string): Promise<ParsedImport> {
  return readImport([await fileInput(join(banksDir, file))]);
}

describe('question-bank/', () => {
  it('ships an exam and a practice bank and a blueprint for N1, G1 and R1', () => {
    for (const c of REQUIRED) {
      expect(bankFiles, `banks/${c}-exam.json`).toContain(`${c}-exam.json`);
      expect(bankFiles, `banks/${c}-practice.json`).toContain(`${c}-practice.json`);
      expect(blueprintFiles, `blueprints/${c}.json`).toContain(`${c}.json`);
    }
  });

  it.each(bankFiles)('banks/%s imports with no problem at all', async (file) => {
    const parsed = await load(file);
    expect(parsed.problems).toEqual([]);
    const [category, pool] = file.replace('.json', '').split('-');
    expect(parsed.category).toBe(category);
    expect(parsed.pool).toBe(pool);
    expect(parsed.items.length).toBeGreaterThan(0);
  });

  it('uses every item id once across the repository and keeps exam and practice pools apart (考培分离)', async () => {
    const ids = new Map<string, string>();
    const pools = new Map<string, string>();
    for (const file of bankFiles) {
      const parsed = await load(file);
      for (const item of parsed.items) {
        expect(ids.get(item.externalId), `${file}: id ${item.externalId}`).toBeUndefined();
        ids.set(item.externalId, file);
        const other = pools.get(item.contentHash);
        expect(other, `${file} ${item.externalId} repeats an item of ${other}`).toBeUndefined();
        pools.set(item.contentHash, `${file} ${item.externalId}`);
      }
    }
  });

  it.each(blueprintFiles)('blueprints/%s is valid and its exam pool gives two disjoint full papers', async (file) => {
    const body: Blueprint = blueprintSchema.parse(JSON.parse(readFileSync(join(blueprintsDir, file), 'utf8')));
    expect(file).toBe(`${body.category}.json`);
    const exam = await load(`${body.category}-exam.json`);
    expect(blueprintShortfalls(body, exam.items, 2)).toEqual([]);
    for (const s of body.sections)
      for (const kp of Object.keys(s.quotas))
        expect(
          exam.items.some((i) => i.knowledgePoint === kp),
          `${file}: quota for unknown knowledge point ${kp}`,
        ).toBe(true);
  });

  it('documents the format in question-bank/README.md', () => {
    const readme = readFileSync(resolve(QUESTION_BANK_DIR, 'README.md'), 'utf8');
    for (const heading of ['exam-center-bank/1', 'exam-center-blueprint/1', 'Excel', 'Moodle', 'QTI'])
      expect(readme).toContain(heading);
  });
});
