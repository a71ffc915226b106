import { FileRefused } from './decode';
import { childNodes, firstChild, htmlToText, textOf, tidy, type XNode } from './safe-xml';
import type { ImportOptions, ImportProblem, ItemDraft, ReadResult } from './types';

/** Moodle types with a Chinese name, for the "unsupported" report. */
const MOODLE_TYPE_NAMES: Record<string, string> = {
  essay: '问答题',
  shortanswer: '简答/填空题',
  numerical: '数值题',
  matching: '配对题',
  multianswer: '完形（Cloze）题',
  calculated: '计算题',
  calculatedsimple: '计算题',
  calculatedmulti: '计算选择题',
  description: '说明（不是题目）',
  ddwtos: '拖放填空题',
  gapselect: '选词填空题',
  ddmarker: '拖放标记题',
  ddimageortext: '拖放图片题',
  randomsamatch: '随机配对题',
  ordering: '排序题',
};

const textChild = (n: XNode | undefined) => (n ? textOf(firstChild(n, 'text') ?? n) : '');

/** Text of a Moodle `<questiontext format="…">`: HTML formats become plain text, images are collected. */
function formatted(n: XNode | undefined): { text: string; images: string[] } {
  if (!n) return { text: '', images: [] };
  const raw = firstChild(n, 'text');
  const content = raw ? raw.children.filter((c): c is string => typeof c === 'string').join('') : '';
  const format = n.attrs.format ?? 'html';
  if (format === 'html' || format === 'moodle_auto_format' || format === 'markdown') return htmlToText(content);
  return { text: tidy(content), images: [] };
}

/** `$course$/Iota/Kappa` → `Iota/Kappa`: Moodle category paths become knowledge points. */
export function moodleCategoryPath(path: string): string {
  return path
    .replace(/^\$(course|system|module|cat\d*)\$\/?/, '')
    .split('/')
    .map((p) => p.trim())
    .filter(Boolean)
    .join('/');
}

const TRUE_WORDS = new Set(['true', '正确', '对', '是', 'wahr', 'richtig', 'vrai', 'yes']);
const FALSE_WORDS = new Set(['false', '错误', '错', '否', 'falsch', 'faux', 'no']);

/** Moodle XML (question/format/xml): `truefalse` and `multichoice` (single and multiple answer). */
export function readMoodleXml(root: XNode, opts: ImportOptions): ReadResult {
  if (root.name !== 'quiz')
    throw new FileRefused({
      where: opts.fileName,
      field: 'XML',
      message: `根元素应为 <quiz>，实为 <${root.name}>`,
    });
  const drafts: ItemDraft[] = [];
  const problems: ImportProblem[] = [];
  let category: string | null = null;
  for (const q of childNodes(root, 'question')) {
    const type = q.attrs.type ?? '';
    if (type === 'category') {
      category = moodleCategoryPath(textChild(firstChild(q, 'category'))) || null;
      continue;
    }
    const name = textChild(firstChild(q, 'name'));
    const where = `${opts.fileName} 第 ${q.line} 行「${name || type}」`;
    if (drafts.length + problems.length >= opts.limits.items)
      throw new FileRefused({
        where,
        message: `超过 ${opts.limits.items} 题的上限 (too many questions)`,
      });
    if (type !== 'truefalse' && type !== 'multichoice') {
      problems.push({
        kind: 'unsupported',
        where,
        field: 'type',
        message: `不支持的题型 ${type}${MOODLE_TYPE_NAMES[type] ? `（${MOODLE_TYPE_NAMES[type]}）` : ''}，已跳过；机考只有 判断/单选/多选 (unsupported question type, skipped)`,
      });
      continue;
    }
    const stem = formatted(firstChild(q, 'questiontext'));
    const feedback = formatted(firstChild(q, 'generalfeedback')).text;
    const idnumber = textChild(firstChild(q, 'idnumber'));
    const answers = childNodes(q, 'answer').map((a) => ({
      text: formatted(a).text,
      fraction: Number(a.attrs.fraction ?? '0'),
    }));
    const base = {
      where,
      externalId: idnumber || name || null,
      stem: stem.text,
      knowledgePoint: category,
      difficulty: null,
      explanation: feedback || null,
      image: stem.images[0]?.replace(/^@@PLUGINFILE@@\//, '') ?? null,
    };
    if (stem.images.length > 1)
      problems.push({
        kind: 'warning',
        where,
        field: 'questiontext',
        message: `题干含 ${stem.images.length} 张图片，只保留第一张`,
      });
    if (type === 'truefalse') {
      const right = answers.find((a) => a.fraction > 0);
      if (!right) {
        problems.push({
          kind: 'error',
          where,
          field: 'answer',
          message: '判断题没有得分的答案 (no answer with a positive fraction)',
        });
        continue;
      }
      const word = right.text.toLowerCase();
      const isTrue = TRUE_WORDS.has(word) ? true : FALSE_WORDS.has(word) ? false : answers.indexOf(right) === 0;
      drafts.push({
        ...base,
        type: 'judge',
        options: [],
        answer: [isTrue ? 0 : 1],
      });
      continue;
    }
    // multichoice: <single>true</single> is one right answer; otherwise every positive fraction is part
    // of the key (the product scores 多选 per the blueprint, so partial fractions are not carried over).
    const single = textChild(firstChild(q, 'single')).toLowerCase() !== 'false';
    const correct = answers.flatMap((a, i) => (a.fraction > 0 ? [i] : []));
    const partial = answers.some((a) => a.fraction > 0 && a.fraction < 100);
    if (!single && partial)
      problems.push({
        kind: 'warning',
        where,
        field: 'answer fraction',
        message: 'Moodle 的部分得分比例不导入：多选题按组卷规则计分（通常全对才得分）',
      });
    drafts.push({
      ...base,
      type: single ? 'single' : 'multi',
      options: answers.map((a) => a.text),
      answer: single ? answers.flatMap((a, i) => (a.fraction >= 100 ? [i] : [])) : correct,
    });
  }
  return { format: 'moodle-xml', drafts, problems };
}
