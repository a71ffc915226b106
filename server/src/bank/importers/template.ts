import type { QuestionType } from '../../protocol';
import { MAX_OPTIONS } from '../bank-format';
import type { ImportProblem, ItemDraft } from './types';

/**
 * The common Chinese Excel/CSV template (question-bank/README.md): 题型, 题干, 选项A–F, 答案, 知识点, 难度,
 * and optionally 解析, 图片, 题号. Header names vary between institutions, so a few usual synonyms count.
 */
type Field = 'type' | 'stem' | 'answer' | 'kp' | 'difficulty' | 'explanation' | 'image' | 'id' | `opt${number}`;

const HEADER_NAMES: Record<string, Field> = {
  题型: 'type',
  题目类型: 'type',
  试题类型: 'type',
  类型: 'type',
  type: 'type',
  题干: 'stem',
  题目: 'stem',
  试题: 'stem',
  题目内容: 'stem',
  试题内容: 'stem',
  试题题干: 'stem',
  stem: 'stem',
  question: 'stem',
  答案: 'answer',
  正确答案: 'answer',
  标准答案: 'answer',
  参考答案: 'answer',
  answer: 'answer',
  知识点: 'kp',
  考点: 'kp',
  知识点分类: 'kp',
  knowledgepoint: 'kp',
  难度: 'difficulty',
  难度系数: 'difficulty',
  难易程度: 'difficulty',
  难易度: 'difficulty',
  difficulty: 'difficulty',
  解析: 'explanation',
  答案解析: 'explanation',
  试题解析: 'explanation',
  explanation: 'explanation',
  图片: 'image',
  图片文件: 'image',
  image: 'image',
  题号: 'id',
  编号: 'id',
  试题编号: 'id',
  id: 'id',
};

const TYPE_NAMES: Record<string, QuestionType> = {
  判断: 'judge',
  判断题: 'judge',
  是非: 'judge',
  是非题: 'judge',
  对错题: 'judge',
  judge: 'judge',
  truefalse: 'judge',
  tf: 'judge',
  单选: 'single',
  单选题: 'single',
  单项选择: 'single',
  单项选择题: 'single',
  单择题: 'single',
  single: 'single',
  多选: 'multi',
  多选题: 'multi',
  多项选择: 'multi',
  多项选择题: 'multi',
  multi: 'multi',
  multiple: 'multi',
};

const key = (s: string) =>
  s
    .normalize('NFKC')
    .replace(/[\s_\-()（）:：*]/g, '')
    .toLowerCase();

function headerField(cell: string): Field | null {
  const k = key(cell);
  const named = HEADER_NAMES[k];
  if (named) return named;
  const opt = /^(?:选项|option)?([a-j])$/.exec(k);
  if (opt) return `opt${opt[1]!.charCodeAt(0) - 97}`;
  return null;
}

export function typeFromName(name: string): QuestionType | null {
  const k = key(name);
  if (TYPE_NAMES[k]) return TYPE_NAMES[k];
  if (k.includes('判断')) return 'judge';
  if (k.includes('单选') || k.includes('单项')) return 'single';
  if (k.includes('多选') || k.includes('多项')) return 'multi';
  return null;
}

export type Columns = {
  fields: Map<Field, number>;
  sheetType: QuestionType | null;
  ignored: string[];
};

/** Recognises a header row; a sheet named 判断题/单选题/多选题 may leave out the 题型 column. */
export function readHeader(cells: string[], sheetName: string | null): Columns | null {
  const fields = new Map<Field, number>();
  const ignored: string[] = [];
  cells.forEach((c, i) => {
    if (!c.trim()) return;
    const f = headerField(c);
    if (f && !fields.has(f)) fields.set(f, i);
    else ignored.push(c.trim());
  });
  const sheetType = sheetName ? typeFromName(sheetName) : null;
  if (!fields.has('stem') || !fields.has('answer') || (!fields.has('type') && !sheetType)) return null;
  return { fields, sheetType, ignored };
}

/** One data row to a draft; an empty row gives null; a type the product cannot deliver gives a problem. */
export function rowToDraft(cols: Columns, cells: string[], where: string): ItemDraft | ImportProblem | null {
  const get = (f: Field) => {
    const i = cols.fields.get(f);
    return i === undefined ? '' : (cells[i] ?? '').trim();
  };
  if (cells.every((c) => !c.trim())) return null;
  const typeText = get('type');
  const type = typeText ? typeFromName(typeText) : cols.sheetType;
  if (!type) {
    if (!typeText)
      return {
        kind: 'error',
        where,
        field: '题型',
        message: '题型为空（应为 判断/单选/多选）',
      };
    return {
      kind: 'unsupported',
      where,
      field: '题型',
      message: `不支持的题型「${typeText}」，已跳过（机考只有 判断/单选/多选） unsupported question type, skipped`,
    };
  }
  const options: string[] = [];
  for (let i = 0; i < 10; i++) options.push(get(`opt${i}`));
  const extra = options.slice(MAX_OPTIONS).findIndex(Boolean);
  const difficulty = get('difficulty');
  return {
    where,
    externalId: get('id') || null,
    type,
    stem: get('stem'),
    // Letters beyond F would be lost silently: keep them so the checks can refuse the row.
    options: extra >= 0 ? options : options.slice(0, MAX_OPTIONS),
    answer: get('answer'),
    knowledgePoint: get('kp') || null,
    difficulty: difficulty === '' ? null : difficulty,
    explanation: get('explanation') || null,
    image: get('image') || null,
  };
}

/** The columns written by the exporter, in the template's order. */
export const TEMPLATE_HEADER = [
  '题号',
  '题型',
  '题干',
  '选项A',
  '选项B',
  '选项C',
  '选项D',
  '选项E',
  '选项F',
  '答案',
  '知识点',
  '难度',
  '解析',
  '图片',
];
export const TYPE_LABEL: Record<QuestionType, string> = {
  judge: '判断',
  single: '单选',
  multi: '多选',
};
