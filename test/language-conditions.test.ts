// Requirements over yes/no conditions (issue 12, part 1): a declaration made, evidence present,
// `a or b` — each met or not, its violation naming the parts that did not hold.

import { describe, expect, it } from 'vitest';
import { Evaluation } from '../engine/index.ts';
import { codesOf, compileText, languagePolicy, run } from './support/language.ts';
import { expectPathsAgree } from './support/fuzz.ts';
import { guize } from './support/cli.ts';

const rules = `
@cite("第一条")
measure feedback "反馈 / feedback" = count(where kind == feedback)

@cite("第二条")
require declaration "健康声明 / health declaration" per cycle: declared == true

@cite("第三条")
require cover "执业保险 / indemnity" per cycle: indemnity == own or indemnity == employer

@cite("第四条")
require evidence "反馈与声明 / feedback and declaration" per cycle: feedback >= 1 and declared == true and indemnity is present

@cite("第五条")
require yearly_feedback "每年反馈 / feedback each year" per period: feedback > 0 or period == cycle_from
`;

describe('requirements over yes/no conditions', () => {
  const program = compileText(languagePolicy(rules));
  const records = [
    'R1,P1,2020-03-01,feedback,,,',
    'R2,P1,2021-03-01,feedback,,,',
    'R3,P1,2022-03-01,feedback,,,',
    'R4,P2,2021-05-01,cpd,3,true,',
  ];
  const people = ['P1,2019-06-01,true,own', 'P2,2019-06-01,,'];

  it('a subject meeting every condition has no violation', () => {
    const r = run(program, records, people);
    expect(r.people[0]).toMatchObject({ person_id: 'P1', compliant: true, violations: [] });
  });

  it('a violation says false against true, and names the parts that did not hold', () => {
    const r = run(program, records, people);
    const p2 = r.people[1];
    expect(p2.compliant).toBe(false);
    // P2: declared empty (== true fails), no indemnity (both sides of `or` fail), no feedback:
    // evidence fails in all three of its conjuncts; yearly feedback fails in 2021 and 2022
    // (2020 is the cycle's first year, where `period == cycle_from` holds).
    expect(p2.violations.map((v: { rule: string; year: number | null }) => `${v.rule}@${v.year ?? 'cycle'}`))
      .toEqual(['yearly_feedback@2021', 'yearly_feedback@2022', 'declaration@cycle', 'cover@cycle', 'evidence@cycle']);
    const [, , declaration, cover, evidence] = p2.violations;
    expect(declaration).toEqual({
      rule: 'declaration', article: '第二条', year: null, actual: false, required: true, unmet: ['declared == true'],
      message: '健康声明：本周期未满足：declared == true / health declaration: cycle not met: declared == true',
    });
    // Parts are printed as the rule language prints them: each operand of an operator in brackets.
    expect(cover.unmet).toEqual(['(indemnity == own) or (indemnity == employer)']);
    expect(evidence.unmet).toEqual(['feedback >= 1', 'declared == true', 'indemnity is present']);
    expect(p2.violations[0].unmet).toEqual(['(feedback > 0) or (period == cycle_from)']);
  });

  it('only the parts that fail are named', () => {
    const r = run(program, [...records, 'R5,P2,2021-06-01,feedback,,,'], ['P1,2019-06-01,true,own', 'P2,2019-06-01,true,']);
    const evidence = r.people[1].violations.find((v: { rule: string }) => v.rule === 'evidence');
    expect(evidence.unmet).toEqual(['indemnity is present']);
  });

  it('is compiled, and the report is the same on every path', () => {
    expect(new Evaluation(program).compiled).toBe(true);
    const csv = (rows: string[], head: string) => [head, ...rows].join('\n') + '\n';
    expectPathsAgree(program, csv(records, 'record_id,person_id,date,kind,hours,participatory,source'), csv(people, 'person_id,registered_on,declared,indemnity'), 7);
  });

  it('a body that is neither a comparison nor yes/no is refused', () => {
    expect(codesOf(languagePolicy(`@cite("x")\nmeasure h "h / h" = sum(hours)\n@cite("x")\nrequire a "a / a" per cycle: h + h`))).toEqual(['requirement-not-comparison']);
  });
});

describe('a yes/no requirement through the command line', () => {
  const dir = 'policies/nmc-revalidation';
  const args = ['--policy', dir, '--records', `${dir}/sample/records.csv`, '--subjects', `${dir}/sample/registrants.csv`];

  it('guize eval reports it with false, true and the unmet parts', async () => {
    const r = await guize('eval', ...args);
    expect(r.code).toBe(0);
    const n2 = JSON.parse(r.out).registrants[1];
    expect(n2.violations.find((v: { rule: string }) => v.rule === 'confirmation')).toMatchObject({
      actual: false, required: true, unmet: ['confirmed == true', 'discussions > 0'],
    });
  });

  it('guize explain says the condition did not hold, rather than failing', async () => {
    const r = await guize('explain', ...args, '--subject', 'N2');
    expect(r.err).toBe('');
    expect(r.out).toContain('本周期 确认：条件不成立');
  });
});
