// Label placeholders: filled with the value in force, per loop key, in every message.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fillLabel, labelPlaceholders, loadPolicy } from '../dsl/index.ts';
import { compilePolicy } from '../engine/index.ts';
import { expectPathsAgree } from './support/fuzz.ts';

const valid = readFileSync(new URL('./cases/diagnostics/valid.yaml', import.meta.url), 'utf8');
const policy = valid
  .replace('  min_hours: { value: 72, unit: hour, cite: 办法 第九条 }\n', `  min_hours: { value: 72.50, unit: hour, cite: 办法 第九条 }

tables:
  floor:
    cite: 办法 第九条
    key: kind
    columns: { yearly: hour }
    rows:
      training: { yearly: 24 }
      teaching: { yearly: 12.5 }
`)
  .replace('require yearly_hours "每年学时 / hours a year"', 'require yearly_hours "每年学时不少于{min_hours} / at least {min_hours} hours a year"')
  .concat(`
  @cite("办法 第九条")
  measure hours_by_kind "按类型学时 / hours by kind" = sum(hours by kind)

  @cite("办法 第九条")
  require kind_hours "{k}类学时不少于{floor[k].yearly}（培训 {floor[training].yearly}） / at least {floor[k].yearly} hours"
    per period for k in floor: hours_by_kind[k] >= floor[k].yearly
`);

describe('label placeholders', () => {
  it('are found with their offsets, names and cells', () => {
    expect(labelPlaceholders('a {x} b {t[k].c}{t[ 甲 ].列}')).toEqual([
      { start: 2, end: 5, name: 'x', text: 'x', cell: undefined },
      { start: 8, end: 16, name: 't', text: 't[k].c', cell: { key: 'k', column: 'c' } },
      { start: 16, end: 26, name: 't', text: 't[ 甲 ].列', cell: { key: '甲', column: '列' } },
    ]);
  });

  it('are filled with numbers as the policy writes them, per loop key; the loop variable alone is the key', () => {
    const loaded = loadPolicy('p.yaml', policy);
    if (!loaded.ok) throw new Error(loaded.diagnostics.map((d) => d.message).join('\n'));
    const p = loaded.value.ast;
    expect(fillLabel('不少于{min_hours} / {floor[k].yearly}', p, { variable: 'k', key: 'teaching' })).toBe('不少于72.50 / 12.5');
    const csv = 'record_id,teacher_id,date,kind,hours\nA,T,2016-03-01,training,10\n';
    const json = JSON.parse(expectPathsAgree(compilePolicy(loaded.value), csv, undefined)) as { teachers: { violations: { rule: string; key?: string; year: number; message: string }[] }[] };
    const v2016 = json.teachers[0]!.violations.filter((v) => v.year === 2016);
    expect(v2016.map((v) => v.message)).toEqual([
      // 10 hours < 72.5; training 10 < 24; teaching 0 < 12.5.
      '每年学时不少于72.50：2016年实际 10.00学时，要求不少于 72.50学时 / at least 72.50 hours a year: 2016 has 10.00 hours, requires at least 72.50 hours',
      'training类学时不少于24（培训 24）（training）：2016年实际 10.00学时，要求不少于 24.00学时 / at least 24 hours (training): 2016 has 10.00 hours, requires at least 24.00 hours',
      'teaching类学时不少于12.5（培训 24）（teaching）：2016年实际 0.00学时，要求不少于 12.50学时 / at least 12.5 hours (teaching): 2016 has 0.00 hours, requires at least 12.50 hours',
    ]);
  });
});
