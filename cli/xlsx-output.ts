// `guize eval --format xlsx --out FILE.xlsx`: the results as a workbook officers can send on — a
// summary sheet, a sheet of subjects (id, compliant, cycle totals), a violations sheet and a
// rejected-rows sheet, each with a frozen header row, labelled in Chinese (or English with
// --lang en). Numbers are numbers (rounded to 2 places, as in the JSON report), so they sum and
// sort in a spreadsheet. Written with exceljs's streaming writer.

import {
  disregardedCount, fixedText, splitLabel, violationMessage, type Decimal, type Quotient, type ResultStream,
} from '../engine/index.ts';

/** The language of the workbook's labels. */
export type Lang = 'zh' | 'en';

/** The sheets' names, by language. */
export const SHEETS = {
  zh: { summary: '汇总', subjects: '达标情况', violations: '未达标明细', rejected: '拒收记录' },
  en: { summary: 'Summary', subjects: 'Subjects', violations: 'Violations', rejected: 'Rejected' },
} as const;

/** A label in the language chosen. */
const pick = (lang: Lang, zh: string, en: string) => (lang === 'zh' ? zh : en);

/** A measure's or a requirement's number as the report rounds it, as a spreadsheet number. */
function num(v: Decimal | Quotient | undefined): number | null {
  return v === undefined ? null : Number(fixedText(v));
}

/** Writes the workbook of `r` to `file`. */
export async function writeXlsx(r: ResultStream, file: string, lang: Lang): Promise<void> {
  const { default: ExcelJS } = await import('exceljs');
  const p = r.program.policy;
  const names = SHEETS[lang];
  const scalar = r.program.measures.map((m, i) => ({ m, i })).filter(({ m }) => !m.grouped);

  // One pass over the subjects: their rows, and the violations (written on their own sheet after).
  const subjectRows: (string | number | null)[][] = [];
  const violationRows: (string | number | null)[][] = [];
  let compliant = 0;
  for (const s of r.subjects()) {
    if (s.compliant) compliant++;
    // In a repeating cycle the subject is named with the cycle (`P1001 2021-2022`), as in the table.
    const who = s.cycleName === undefined ? s.id : `${s.id} ${s.cycleName}`;
    subjectRows.push([who, pick(lang, s.compliant ? '是' : '否', s.compliant ? 'yes' : 'no'), ...scalar.map(({ i }) => num(s.cycle[i] as Decimal | Quotient | undefined)), s.violations.length]);
    for (const v of s.violations) {
      const message = splitLabel(violationMessage(p, v));
      violationRows.push([
        who, v.rule, v.key ?? null, v.window ?? v.periodName ?? v.period ?? pick(lang, '周期', 'cycle'),
        num(v.actual), num(v.required), v.cites.join('; '), lang === 'zh' ? message.zh : message.en,
      ]);
    }
  }

  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true, useStyles: true });
  const sheet = (name: string, header: readonly string[], rows: readonly (readonly (string | number | null)[])[], widths: readonly number[]) => {
    const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = header.map((h, k) => ({ header: h, width: widths[k] ?? 12 }));
    ws.getRow(1).font = { bold: true };
    ws.getRow(1).commit();
    for (const row of rows) ws.addRow([...row]).commit();
    ws.commit();
  };

  const c = r.records;
  const summary: [string, string, number][] = [
    ['读入记录', 'rows read', c.read],
    ['已评估', 'evaluated', c.evaluated],
    ['其中不计', 'of which count for nothing', disregardedCount(c)],
    ['拒收', 'rejected', c.rejected],
    ['周期外', 'out of scope', c.outOfScope],
    ['人数', p.subject.collection, r.subjectCount],
    ['达标', 'compliant', compliant],
    ['未达标', 'non-compliant', r.subjectCount - compliant],
  ];
  sheet(names.summary, [pick(lang, '项目', 'item'), pick(lang, '数量', 'count')], [
    [pick(lang, '策略', 'policy'), `${p.id} ${p.version}`],
    [pick(lang, '文件', 'document'), p.document],
    ...summary.map(([zh, en, n]) => [pick(lang, zh, en), n]),
  ], [28, 40]);

  sheet(names.subjects, [
    pick(lang, '编号', p.subject.key), pick(lang, '达标', 'compliant'),
    ...scalar.map(({ m }) => (lang === 'zh' ? splitLabel(m.label ?? m.id).zh : m.id)),
    pick(lang, '未达标项数', 'violations'),
  ], subjectRows, [14, 8]);

  sheet(names.violations, [
    pick(lang, '编号', p.subject.key), pick(lang, '要求', 'requirement'), pick(lang, '键', 'key'), pick(lang, '期间', 'period'),
    pick(lang, '实际', 'actual'), pick(lang, '要求值', 'required'), pick(lang, '条款', 'article'), pick(lang, '说明', 'message'),
  ], violationRows, [14, 24, 16, 8, 10, 10, 22, 60]);

  sheet(names.rejected, [
    pick(lang, '文件', 'file'), pick(lang, '行', 'line'), pick(lang, '记录编号', 'key'), pick(lang, '原因', 'reason'), pick(lang, '规则', 'rule'),
  ], r.rejected.map((x) => {
    const reason = splitLabel(x.reason);
    return [x.source === 'records' ? pick(lang, '记录', 'records') : p.subject.collection, x.line, x.key ?? null, lang === 'zh' ? reason.zh : reason.en, x.rule ?? null];
  }), [10, 8, 14, 70, 20]);

  await wb.commit();
}
