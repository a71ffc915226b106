import ExcelJS from 'exceljs';
import { answerText, MAX_OPTIONS, type BankFile, type HashedItem } from './bank-format';
import type { BankVersion } from './bank.repo';
import { TEMPLATE_HEADER, TYPE_LABEL } from './importers/template';

/** Ids must be unique in a file; items gathered from several imports may share one. */
function uniqueIds(items: HashedItem[]): string[] {
  const seen = new Set<string>();
  return items.map((i) => {
    let id = i.externalId;
    if (seen.has(id)) id = `${id.slice(0, 53)}-${i.contentHash.slice(0, 10)}`;
    seen.add(id);
    return id;
  });
}

/** A version as an `exam-center-bank/1` file: re-importing it gives the same fingerprint. */
export function versionToBankFile(version: BankVersion, categoryName: string, items: HashedItem[]): BankFile {
  const ids = uniqueIds(items);
  return {
    format: 'exam-center-bank/1',
    category: version.category,
    categoryName,
    pool: version.pool,
    title: `${version.category} ${categoryName} ${version.pool === 'exam' ? '考试池' : '练习池'} 版本 #${version.id} (${version.fingerprint.slice(0, 12)})`,
    items: items.map((it, n) => ({
      id: ids[n] as string,
      type: it.type,
      stem: it.stem,
      ...(it.type === 'judge' ? {} : { options: it.options }),
      answer: answerText(it),
      knowledgePoint: it.knowledgePoint,
      difficulty: it.difficulty,
      ...(it.explanation ? { explanation: it.explanation } : {}),
      ...(it.image ? { image: it.image } : {}),
    })),
  };
}

/** The same version in the Excel template (question-bank/README.md), for review or editing. */
export async function versionToXlsx(version: BankVersion, categoryName: string, items: HashedItem[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'exam-center';
  wb.title = `${version.category} ${categoryName}`;
  wb.subject = `${version.pool} version #${version.id}`;
  wb.description = `fingerprint ${version.fingerprint}`;
  const ws = wb.addWorksheet('题库');
  ws.addRow(TEMPLATE_HEADER);
  ws.getRow(1).font = { bold: true };
  const ids = uniqueIds(items);
  items.forEach((it, n) => {
    const options = it.type === 'judge' ? [] : it.options;
    ws.addRow([
      ids[n],
      TYPE_LABEL[it.type],
      it.stem,
      ...Array.from({ length: MAX_OPTIONS }, (_, i) => options[i] ?? ''),
      answerText(it),
      it.knowledgePoint,
      it.difficulty,
      it.explanation ?? '',
      it.image ?? '',
    ]);
  });
  ws.columns.forEach((c, i) => (c.width = i === 2 ? 60 : i >= 3 && i <= 8 ? 24 : 10));
  return Buffer.from(await wb.xlsx.writeBuffer());
}
