import { FileRefused } from './decode';
import { childNodes, descendants, firstChild, textOf, type XNode } from './safe-xml';
import type { ImportProblem, ItemDraft } from './types';

const TRUE_WORDS = ['true', 'richtig', 'wahr', 'vrai', 'yes', 'ja', '正确', '对', '是', '√'];
const FALSE_WORDS = ['false', 'falsch', 'faux', 'no', 'nein', '错误', '错', '否', '×'];

/** Is the element a QTI interaction (QTI 2.x `choiceInteraction`, QTI 3 `qti-choice-interaction` renamed)? */
const isInteraction = (n: XNode) => /Interaction$/.test(n.name) && n.name !== 'endAttemptInteraction';

/**
 * One QTI 2.1/2.2/3.0 assessmentItem with a single choiceInteraction. Anything else (text entry, order,
 * hotspot, several interactions in one item …) is reported as unsupported for that item.
 */
export function readQtiItem(
  root: XNode,
  where: string,
  knowledgePoint: string | null,
): { draft: ItemDraft | null; problems: ImportProblem[] } {
  const problems: ImportProblem[] = [];
  if (root.name !== 'assessmentItem')
    throw new FileRefused({
      where,
      field: 'XML',
      message: `根元素应为 assessmentItem，实为 <${root.name}>`,
    });
  const id = root.attrs.identifier ?? null;
  const label = `${where}${id ? `「${id}」` : ''}`;
  const body = firstChild(root, 'itemBody');
  if (!body)
    return {
      draft: null,
      problems: [
        {
          kind: 'error',
          where: label,
          field: 'itemBody',
          message: '缺少 itemBody',
        },
      ],
    };
  const interactions = descendants(body).filter(isInteraction);
  const kinds = [...new Set(interactions.map((i) => i.name))];
  if (interactions.length !== 1 || interactions[0]!.name !== 'choiceInteraction') {
    const message =
      interactions.length === 0
        ? '没有交互（interaction），不是题目，已跳过'
        : interactions.length > 1
          ? `含 ${interactions.length} 个交互（${kinds.join('、')}），机考只支持单个 choiceInteraction，已跳过`
          : `不支持的交互类型 ${kinds[0]}，机考只支持 choiceInteraction（判断/单选/多选），已跳过`;
    return {
      draft: null,
      problems: [{ kind: 'unsupported', where: label, field: 'interaction', message }],
    };
  }
  const interaction = interactions[0] as XNode;
  const responseId = interaction.attrs.responseIdentifier;
  const decl = childNodes(root, 'responseDeclaration').find((d) => d.attrs.identifier === responseId);
  if (!decl)
    return {
      draft: null,
      problems: [
        {
          kind: 'error',
          where: label,
          field: 'responseDeclaration',
          message: `找不到 responseIdentifier="${responseId ?? ''}" 的 responseDeclaration`,
        },
      ],
    };

  const choices = childNodes(interaction, 'simpleChoice');
  const options = choices.map((c) => {
    const text = textOf(c, (x) => x.name === 'feedbackInline');
    if (text) return text;
    // A picture-only option: keep a readable reference so the option stays distinct and reviewable.
    const img = descendants(c).find((x) => x.name === 'img');
    return img ? `[图片] ${img.attrs.src ?? ''}${img.attrs.alt ? ` (${img.attrs.alt})` : ''}` : '';
  });
  if (choices.some((c) => descendants(c).some((x) => x.name === 'img')))
    problems.push({
      kind: 'warning',
      where: label,
      field: 'simpleChoice',
      message: '选项含图片，以「[图片] 路径」文字保存；图片文件本身未导入',
    });

  const correctIds = new Set(childNodes(firstChild(decl, 'correctResponse') ?? decl, 'value').map((v) => textOf(v)));
  const mapping = firstChild(decl, 'mapping');
  if (correctIds.size === 0 && mapping) {
    // No correctResponse: the options with a positive mapped value are the key.
    for (const e of childNodes(mapping, 'mapEntry'))
      if (Number(e.attrs.mappedValue) > 0) correctIds.add(e.attrs.mapKey ?? '');
  }
  if (mapping && childNodes(mapping, 'mapEntry').some((e) => Number(e.attrs.mappedValue) < 0))
    problems.push({
      kind: 'warning',
      where: label,
      field: 'mapping',
      message: 'QTI 评分映射（含负分）不导入：多选题按组卷规则计分（通常全对才得分）',
    });
  const known = new Set(choices.map((c) => c.attrs.identifier));
  const unknown = [...correctIds].filter((v) => !known.has(v));
  if (unknown.length)
    return {
      draft: null,
      problems: [
        ...problems,
        {
          kind: 'error',
          where: label,
          field: 'correctResponse',
          message: `正确答案 ${unknown.join('、')} 不是本题的选项`,
        },
      ],
    };
  const answer = choices.flatMap((c, i) => (correctIds.has(c.attrs.identifier ?? '') ? [i] : []));

  const multiple = decl.attrs.cardinality === 'multiple' || Number(interaction.attrs.maxChoices ?? '1') !== 1;
  const prompt = firstChild(interaction, 'prompt');
  const stemParts = [textOf(body, (x) => isInteraction(x) || x.name === 'feedbackBlock' || x.name === 'rubricBlock')];
  if (prompt) stemParts.push(textOf(prompt));
  const stem = stemParts.filter(Boolean).join('\n');
  const stemImage = descendants(body).find((x) => x.name === 'img' && !descendants(interaction).includes(x));
  const feedback =
    childNodes(root, 'modalFeedback')
      .map((f) => textOf(f))
      .find(Boolean) ?? null;

  const draft: ItemDraft = {
    where: label,
    externalId: id,
    type: multiple ? 'multi' : 'single',
    stem,
    options,
    answer,
    knowledgePoint,
    difficulty: null,
    explanation: feedback,
    image: stemImage?.attrs.src ?? null,
  };
  // A two-option true/false (Richtig/Falsch, 正确/错误 …) becomes 判断, the form candidates know.
  if (!multiple && options.length === 2 && answer.length === 1) {
    const [a, b] = options.map((o) => o.toLowerCase().replace(/[.!。！]$/, ''));
    const trueFirst = TRUE_WORDS.includes(a!) && FALSE_WORDS.includes(b!);
    const falseFirst = FALSE_WORDS.includes(a!) && TRUE_WORDS.includes(b!);
    if (trueFirst || falseFirst) {
      const saysTrue = trueFirst ? answer[0] === 0 : answer[0] === 1;
      return {
        draft: {
          ...draft,
          type: 'judge',
          options: [],
          answer: [saysTrue ? 0 : 1],
        },
        problems,
      };
    }
  }
  return { draft, problems };
}
