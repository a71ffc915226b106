import { bankFileHeaderSchema, fileItemSchema } from '../bank-format';
import { decodeUtf8, FileRefused } from './decode';
import type { ImportProblem, ItemDraft, ReadResult } from './types';

/** The product's own `exam-center-bank/1` JSON (question-bank/README.md). */
export function readBankJson(bytes: Uint8Array, fileName: string): ReadResult {
  const text = decodeUtf8(bytes, fileName);
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    const pos = /position (\d+)/.exec(msg)?.[1];
    const line = pos ? text.slice(0, Number(pos)).split('\n').length : null;
    throw new FileRefused({
      where: line ? `${fileName} 第 ${line} 行` : fileName,
      field: 'JSON',
      message: `不是有效的 JSON (not valid JSON): ${msg.replace(/^.*?:\s*/, '').slice(0, 160)}`,
    });
  }
  const header = bankFileHeaderSchema.safeParse(json);
  if (!header.success) {
    const issue = header.error.issues[0];
    throw new FileRefused({
      where: fileName,
      field: issue?.path.join('.') || '(file)',
      message: `题库文件头不符合 exam-center-bank/1: ${issue?.message ?? 'invalid'}`,
    });
  }
  const problems: ImportProblem[] = [];
  const drafts: ItemDraft[] = [];
  header.data.items.forEach((raw, i) => {
    const id = typeof raw === 'object' && raw && 'id' in raw ? String((raw as { id: unknown }).id) : '?';
    const where = `${fileName} items[${i}] (${id})`;
    const parsed = fileItemSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        problems.push({
          kind: 'error',
          where,
          field: issue.path.join('.') || '(item)',
          message: issue.message,
        });
      return;
    }
    const it = parsed.data;
    if (it.type === 'judge' && it.options)
      problems.push({
        kind: 'warning',
        where,
        field: 'options',
        message: '判断题的 options 被忽略（固定为 正确/错误）',
      });
    drafts.push({
      where,
      externalId: it.id,
      type: it.type,
      stem: it.stem,
      options: it.options ?? [],
      answer: it.answer,
      knowledgePoint: it.knowledgePoint,
      difficulty: it.difficulty,
      explanation: it.explanation ?? null,
      image: it.image ?? null,
    });
  });
  const { category, categoryName, pool } = header.data;
  return {
    format: 'bank-json',
    drafts,
    problems,
    header: { category, categoryName, pool },
  };
}
