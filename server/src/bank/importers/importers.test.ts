import { strToU8, zipSync } from 'fflate';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeGb18030, makeXlsx as xlsx } from '../../../../test/support/bank-files';
import { bufferInput, pathInputs, readImport, type ParsedImport } from '.';

const EXTERNAL = resolve(import.meta.dirname, '../../../../test/fixtures/external');
const read = (name: string, content: string | Uint8Array, category: string | null = 'N1', extra = {}) =>
  readImport([bufferInput(name, typeof content === 'string' ? strToU8(content) : content)], {
    defaults: { category, ...extra },
  });
const errorsOf = (p: ParsedImport) => p.problems.filter((x) => x.kind === 'error');

const HEADER = ['题型', '题干', '选项A', '选项B', '选项C', '选项D', '答案', '知识点', '难度'];

describe('external fixtures (test/fixtures/external)', () => {
  it('imports the QTI 2.1 samples: 3 single-response (one as 判断) and 2 multiple-response', async () => {
    const parsed = await readImport(await pathInputs(`${EXTERNAL}/qti21`), {
      defaults: { category: 'N1' },
    });
    expect(errorsOf(parsed)).toEqual([]);
    expect(parsed.items).toHaveLength(5);
    const byId = new Map(parsed.items.map((i) => [i.externalId, i]));
    expect(byId.get('Choicetruefalse_176040516')).toMatchObject({
      type: 'judge',
      answer: [0],
    });
    expect(byId.get('choice')).toMatchObject({
      type: 'single',
      answer: [0],
      image: 'images/sign.png',
    });
    expect(byId.get('choice')!.stem).toBe('Look at the text in the picture.\nWhat does it say?');
    expect(byId.get('Choicesingle_853928446')).toMatchObject({
      type: 'single',
      answer: [0],
    });
    expect(byId.get('choiceMultiple')).toMatchObject({
      type: 'multi',
      answer: [0, 3],
    });
    expect(byId.get('Choicemultiple_2014410822')).toMatchObject({
      type: 'multi',
      answer: [1, 3],
    });
    // mixed content keeps its order: "verfügen <b>nicht</b> über"
    expect(byId.get('Choicemultiple_2014410822')!.stem).toContain('verfügen nicht über');
    expect(parsed.problems.some((p) => p.kind === 'warning' && p.field === 'mapping')).toBe(true);
  });

  it('imports the Moodle samples: 1 multiple + 4 true/false, the essay reported as unsupported', async () => {
    const parsed = await readImport(await pathInputs(`${EXTERNAL}/moodle-xml`), { defaults: { category: 'N1' } });
    expect(errorsOf(parsed)).toEqual([]);
    expect(parsed.items.map((i) => i.type).sort()).toEqual(['judge', 'judge', 'judge', 'judge', 'multi']);
    const unsupported = parsed.problems.filter((p) => p.kind === 'unsupported');
    expect(unsupported).toHaveLength(1);
    expect(unsupported[0]!.message).toContain('essay');
    expect(unsupported[0]!.where).toMatch(/nested-categories-truefalse-essay\.xml 第 \d+ 行「Kappa Essay Question」/);
    expect(parsed.items.map((i) => i.knowledgePoint).sort()).toEqual([
      'Default for C1',
      'Iota',
      'Iota/Kappa',
      'Iota/Kappa/Lambda',
      'Iota/Mu',
    ]);
    const multi = parsed.items.find((i) => i.type === 'multi')!;
    expect(multi.options).toEqual(['Tokyo', 'Spain', 'London', 'Barcelona', 'Paris']);
    expect(multi.answer).toEqual([2, 4]);
    expect(parsed.items.find((i) => i.stem === 'Testing Iota Question')!.answer).toEqual([0]);
  });
});

describe('QTI', () => {
  const qti3 = (cardinality: string, correct: string[], extra = '') => `<?xml version="1.0" encoding="UTF-8"?>
<qti-assessment-item xmlns="http://www.imsglobal.org/xsd/imsqtiasi_v3p0" identifier="q3-${cardinality}" title="t" adaptive="false" time-dependent="false">
  <qti-response-declaration identifier="RESPONSE" cardinality="${cardinality}" base-type="identifier">
    <qti-correct-response>${correct.map((c) => `<qti-value>${c}</qti-value>`).join('')}</qti-correct-response>
  </qti-response-declaration>
  <qti-item-body>
    <p>叉车起步前应当做什么？${extra}</p>
    <qti-choice-interaction response-identifier="RESPONSE" max-choices="${cardinality === 'single' ? 1 : 0}">
      <qti-simple-choice identifier="A">鸣笛并观察四周</qti-simple-choice>
      <qti-simple-choice identifier="B">直接起步</qti-simple-choice>
      <qti-simple-choice identifier="C">松开驻车制动</qti-simple-choice>
    </qti-choice-interaction>
  </qti-item-body>
</qti-assessment-item>`;

  it('reads QTI 3.0 qti- elements, single and multiple response', async () => {
    const single = await read('single.xml', qti3('single', ['A']));
    expect(single.items[0]).toMatchObject({
      type: 'single',
      answer: [0],
      options: ['鸣笛并观察四周', '直接起步', '松开驻车制动'],
    });
    expect(single.items[0]!.stem).toBe('叉车起步前应当做什么？');
    const multi = await read('multi.xml', qti3('multiple', ['A', 'C']));
    expect(multi.items[0]).toMatchObject({ type: 'multi', answer: [0, 2] });
  });

  it('reads QTI 2.2 items', async () => {
    const xml = `<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p2" identifier="q22" title="t" adaptive="false" timeDependent="false">
      <responseDeclaration identifier="R" cardinality="single" baseType="identifier"><correctResponse><value>b</value></correctResponse></responseDeclaration>
      <itemBody><choiceInteraction responseIdentifier="R" maxChoices="1"><prompt>锅炉水位表应 &amp; 如何？</prompt>
      <simpleChoice identifier="a">不需冲洗</simpleChoice><simpleChoice identifier="b">定期冲洗</simpleChoice></choiceInteraction></itemBody></assessmentItem>`;
    const parsed = await read('q22.xml', xml, 'G1');
    expect(parsed.items[0]).toMatchObject({
      type: 'single',
      answer: [1],
      stem: '锅炉水位表应 & 如何？',
      category: 'G1',
    });
  });

  it('reports per item the unsupported interactions of a content package and imports the rest', async () => {
    const textEntry = `<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="fill" title="t" adaptive="false" timeDependent="false">
      <responseDeclaration identifier="R" cardinality="single" baseType="string"/><itemBody><p>安全阀 <textEntryInteraction responseIdentifier="R"/></p></itemBody></assessmentItem>`;
    const manifest = `<?xml version="1.0" encoding="UTF-8"?><manifest xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" identifier="m"><resources>
      <resource identifier="r1" type="imsqti_item_xmlv3p0" href="items/single.xml"><file href="items/single.xml"/></resource>
      <resource identifier="r2" type="imsqti_item_xmlv3p0" href="items/multi.xml"/>
      <resource identifier="r3" type="imsqti_item_xmlv2p1" href="items/fill.xml"/>
      <resource identifier="t" type="imsqti_test_xmlv3p0" href="test.xml"/>
      <resource identifier="img" type="webcontent" href="images/a.png"/></resources></manifest>`;
    const zip = zipSync({
      'imsmanifest.xml': strToU8(manifest),
      'items/single.xml': strToU8(qti3('single', ['B'])),
      'items/multi.xml': strToU8(qti3('multiple', ['A', 'B'])),
      'items/fill.xml': strToU8(textEntry),
      'test.xml': strToU8('<qti-assessment-test/>'),
    });
    const parsed = await read('pkg.zip', zip);
    expect(errorsOf(parsed)).toEqual([]);
    expect(parsed.formats).toEqual(['qti-package']);
    expect(parsed.items.map((i) => i.type)).toEqual(['single', 'multi']);
    const unsupported = parsed.problems.filter((p) => p.kind === 'unsupported');
    expect(unsupported).toHaveLength(1);
    expect(unsupported[0]).toMatchObject({
      where: 'pkg.zip › items/fill.xml「fill」',
      field: 'interaction',
    });
    expect(unsupported[0]!.message).toContain('textEntryInteraction');
  });

  it('refuses a package without imsmanifest.xml', async () => {
    const parsed = await read('x.zip', zipSync({ 'a.xml': strToU8(qti3('single', ['A'])) }));
    expect(errorsOf(parsed)[0]!.message).toContain('imsmanifest.xml');
  });
});

describe('Excel and CSV template', () => {
  it('reads answers written as A, ABD, 对/错 and √/×, with defaults for missing knowledge point and difficulty', async () => {
    const bytes = await xlsx({
      题库: [
        ['N1 叉车司机 题库'],
        HEADER,
        ['判断', '叉车可以载人。', '', '', '', '', '错', '安全操作', 2],
        ['判断题', '起步前应鸣笛。', '', '', '', '', '√', '安全操作', '易'],
        ['判断', '作业时应系安全带。', '', '', '', '', '×', '', ''],
        ['单选', '叉车司机证件由谁颁发？', '市场监管部门', '公安部门', '交通部门', '劳动部门', 'A', '法律法规', 3],
        ['多选题', '起步前应检查哪些？', '制动', '转向', '轮胎', '收音机', 'ABC', '维护保养', '较难'],
        ['填空', '叉车额定起重量的单位是____。', '', '', '', '', 't', '', ''],
      ],
    });
    const parsed = await read('n1.xlsx', bytes);
    expect(errorsOf(parsed)).toEqual([]);
    expect(parsed.items.map((i) => [i.type, i.answer, i.knowledgePoint, i.difficulty])).toEqual([
      ['judge', [1], '安全操作', 2],
      ['judge', [0], '安全操作', 1],
      ['judge', [1], '未分类', 3],
      ['single', [0], '法律法规', 3],
      ['multi', [0, 1, 2], '维护保养', 4],
    ]);
    const unsupported = parsed.problems.filter((p) => p.kind === 'unsupported');
    expect(unsupported).toEqual([
      expect.objectContaining({
        where: 'n1.xlsx 工作表「题库」第 8 行',
        field: '题型',
      }),
    ]);
  });

  it('takes the type from sheet names (判断题/单选题) when the 题型 column is missing', async () => {
    const bytes = await xlsx({
      判断题: [
        ['题干', '答案'],
        ['叉车可以载人。', '错'],
      ],
      单选题: [
        ['题干', '选项A', '选项B', '答案'],
        ['叉车的动力来自？', '内燃机或电动机', '人力', 'A'],
      ],
      填写说明: [['请按模板填写']],
    });
    const parsed = await read('types.xlsx', bytes);
    expect(parsed.items.map((i) => i.type)).toEqual(['judge', 'single']);
    expect(parsed.problems).toContainEqual(
      expect.objectContaining({
        kind: 'warning',
        where: 'types.xlsx 工作表「填写说明」',
      }),
    );
  });

  it('names file, sheet, row and field for a bad answer letter and a missing option', async () => {
    const bytes = await xlsx({
      Sheet1: [
        HEADER,
        ['单选', '叉车最大起升高度指什么？', '货叉升到最高', '门架高度', '', '', 'E', '基础知识', 3],
        ['多选', '起步前检查？', '制动', '', '轮胎', '', 'AC', '', 3],
      ],
    });
    const parsed = await read('bad.xlsx', bytes);
    expect(errorsOf(parsed)).toEqual([
      expect.objectContaining({
        where: 'bad.xlsx 工作表「Sheet1」第 2 行',
        field: '答案 answer',
        message: expect.stringContaining('"E"'),
      }),
      expect.objectContaining({
        where: 'bad.xlsx 工作表「Sheet1」第 3 行',
        field: '选项B options',
      }),
    ]);
  });

  it('reads a UTF-8 CSV (with BOM, quoted new lines) and reports its line numbers', async () => {
    const csv =
      '\uFEFF题型,题干,选项A,选项B,选项C,答案,知识点,难度\n判断,"叉车可以\n载人。",,,,错,安全操作,2\n单选,叉车的额定起重量指？,最大载荷,自重,总重,Z,基础知识,3\n';
    const parsed = await read('n1.csv', csv);
    expect(parsed.items).toHaveLength(1);
    expect(parsed.items[0]!.stem).toBe('叉车可以\n载人。');
    expect(errorsOf(parsed)).toEqual([
      expect.objectContaining({
        where: 'n1.csv 第 4 行',
        field: '答案 answer',
      }),
    ]);
  });

  it('refuses a GBK CSV with a clear message, and reads it when told gb18030', async () => {
    const text = '题型,题干,选项A,选项B,答案,知识点,难度\n判断,叉车可以载人。,,,错,安全操作,2\n';
    const bytes = encodeGb18030(text);
    const refused = await read('gbk.csv', bytes);
    expect(refused.items).toEqual([]);
    expect(errorsOf(refused)[0]).toMatchObject({
      field: '编码 encoding',
      message: expect.stringContaining('GBK'),
    });
    const decoded = await read('gbk.csv', bytes, 'N1', { encoding: 'gb18030' });
    expect(errorsOf(decoded)).toEqual([]);
    expect(decoded.items[0]!.stem).toBe('叉车可以载人。');
  });
});
