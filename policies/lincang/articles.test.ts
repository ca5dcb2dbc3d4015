// Worked examples for every encoded article of 临教发〔2017〕105号 (管理办法), through the policy
// file and the engine. Each example gives the arithmetic in a comment; the "good cycle" baseline
// (test/support/lincang.ts) meets every floor, so each test changes one thing and expects
// exactly the consequence the article gives.

import { describe, expect, it } from 'vitest';
import { goodCycle, goodYear, lincang, report, training, violationIds } from '../../test/support/lincang.ts';

const T = 'T1';

function only(records: Parameters<typeof report>[0], teachers?: Parameters<typeof report>[1]) {
  const r = report(records, teachers);
  const t = r.teachers.find((x) => x.teacher_id === T);
  if (!t) throw new Error('teacher missing from report');
  return { r, t };
}

describe('the baseline', () => {
  it('a teacher with five good years meets every floor', () => {
    // 5 × 72 h = 360 h (5 × 48 = 240 county, 5 × 24 = 120 school); 5 × 101.25 = 506.25 credits.
    const { t } = only(goodCycle(T));
    expect(violationIds(t)).toEqual([]);
    expect(t.compliant).toBe(true);
    expect([t.hours, t.county_hours, t.school_hours, t.credits]).toEqual([360, 240, 120, 506.25]);
    expect(t.modules).toEqual({ ethics: 75, knowledge: 75, ability: 168.75, class_management: 37.5, mental_health: 0, school_based: 150 });
    expect(t.elective_share).toBe(1);
    expect(t.years['2018']!.hours).toBe(72);
  });
});

describe('管理办法 第九条 — hours', () => {
  it('short-term training counts 6 hours a day; online counts actual hours', () => {
    // 2.5 days × 6 h/day = 15 h; online 7.5 h = 7.5 h; together 22.5 extra hours in 2016.
    const extra = [
      training({ teacher_id: T, date: '2016-03-01', level: 'city', format: 'short_term', module: 'mental_health', days: 2.5, rate: 1, score: 95 }),
      training({ teacher_id: T, date: '2016-03-02', level: 'city', format: 'online', module: 'mental_health', hours: 7.5, rate: 1, score: 95 }),
    ];
    const { t } = only([...goodCycle(T), ...extra]);
    expect(t.years['2016']!.hours).toBe(72 + 15 + 7.5);
    expect(t.years['2016']!.county_hours).toBe(48 + 22.5);
  });

  it('a year under 72 hours, 48 county-level or 24 school-based hours is a violation', () => {
    // Drop 2017's class-management day (6 county hours): 72 − 6 = 66 < 72 and 48 − 6 = 42 < 48.
    // Its 7.5 credits go too: 101.25 − 7.5 = 93.75 ≥ 72, but class management 0 < 6 in 2017.
    // Cycle: 360 − 6 = 354 < 360 h; 240 − 6 = 234 < 240 county h; class management 30 ≥ 30.
    const records = goodCycle(T).filter((r) => !(r.date === '2017-06-01' && r.module === 'class_management'));
    const { t } = only(records);
    expect(violationIds(t)).toEqual([
      'yearly_hours@2017', 'yearly_county_hours@2017', 'yearly_module_credits[class_management]@2017',
      'cycle_hours@cycle', 'cycle_county_hours@cycle',
    ]);
    const yearly = t.violations[0]!;
    expect(yearly).toMatchObject({ rule: 'yearly_hours', article: '管理办法 第九条', year: 2017, actual: 66, required: 72 });
    expect(yearly.message).toContain('2017年实际 66.00学时，要求不少于 72.00学时');
    expect(t.violations[3]).toMatchObject({ year: null, actual: 354, required: 360 });
  });

  it('school-based hours: 24 a year, 120 a cycle', () => {
    // 2019's school-based research 24 h → 20 h: 20 < 24 h; credits 20 × 1.25 = 25 ≥ 24.
    // Cycle: 120 − 4 = 116 < 120 school h; 360 − 4 = 356 < 360 h.
    const records = goodCycle(T).map((r) => (r.date === '2019-06-01' && r.module === 'school_based' ? { ...r, hours: 20 } : r));
    const { t } = only(records);
    expect(violationIds(t)).toEqual(['yearly_hours@2019', 'yearly_school_hours@2019', 'cycle_hours@cycle', 'cycle_school_hours@cycle']);
    expect(t.years['2019']!.modules.school_based).toBe(25);
  });

  it('online research counts with the level of its project (setting online_hours_bucket)', () => {
    // A county-level online record of 10 h is county-level-and-above by default …
    const online = training({ teacher_id: T, date: '2016-09-01', level: 'county', format: 'online', module: 'ability', hours: 10, rate: 1, score: 95 });
    expect(only([...goodCycle(T), online]).t.years['2016']!.county_hours).toBe(58);
    // … and school-based when the setting says so: 24 + 10 = 34 school-based hours.
    const edited = lincang([['    value: by_level\n', '    value: school_based\n']]);
    const t = report([...goodCycle(T), online], undefined, edited).teachers[0]!;
    expect([t.years['2016']!.county_hours, t.years['2016']!.school_hours]).toEqual([48, 34]);
  });

  it('a new teacher must have 120 induction hours, 60 of them practical, in the first year of service', () => {
    // Hired 2016-09-01. Induction 2016-10-01 (80 h, 40 practical) and 2017-08-31 (30 h, 15
    // practical) are inside the first year: 110 < 120 and 55 < 60. A third on 2017-09-01, the
    // anniversary, is outside it and does not count.
    const induction = (date: string, hours: number, practical: number) =>
      training({ teacher_id: T, date, kind: 'induction', hours, practical_hours: practical, elective: false });
    const records = [
      ...[2017, 2018, 2019, 2020].flatMap((y) => goodYear(T, y)),
      induction('2016-10-01', 80, 40), induction('2017-08-31', 30, 15), induction('2017-09-01', 40, 40),
    ];
    const { t } = only(records, [{ teacher_id: T, hired_on: '2016-09-01' }]);
    expect([t.induction_hours, t.induction_practical]).toEqual([110, 55]);
    expect(violationIds(t)).toEqual(['induction_total@cycle', 'induction_practice@cycle']);
    // Induction hours are not full-staff hours: 4 good years = 288 h.
    expect(t.hours).toBe(288);
  });

  it("a new teacher's floors start the year after hire and scale with the years left", () => {
    // Hired 2018-03-01: yearly floors apply to 2019 and 2020 only (setting first_year_counts);
    // cycle floors scale by n/5 with n = 2020 − 2018 = 2: 360 × 2/5 = 144 h, 240 × 2/5 = 96,
    // 120 × 2/5 = 48, credits 360 × 2/5 = 144, ethics 30 × 2/5 = 12 …
    // Two good years give 144 h and 202.5 credits: every floor is met, none is checked in 2016–2018.
    const induction = training({ teacher_id: T, date: '2018-05-01', kind: 'induction', hours: 120, practical_hours: 60, elective: false });
    const { t } = only([...goodYear(T, 2019), ...goodYear(T, 2020), induction], [{ teacher_id: T, hired_on: '2018-03-01' }]);
    expect(violationIds(t)).toEqual([]);
    // One good year only: 72 < 144 h, 48 < 96 county h, 24 < 48 school h, 101.25 < 144 credits …
    const one = only([...goodYear(T, 2020), induction], [{ teacher_id: T, hired_on: '2018-03-01' }]).t;
    expect(violationIds(one)).toEqual([
      'yearly_hours@2019', 'yearly_county_hours@2019', 'yearly_school_hours@2019', 'yearly_credits@2019',
      'yearly_module_credits[ethics]@2019', 'yearly_module_credits[knowledge]@2019', 'yearly_module_credits[ability]@2019',
      'yearly_module_credits[class_management]@2019', 'yearly_module_credits[school_based]@2019',
      'cycle_hours@cycle', 'cycle_county_hours@cycle', 'cycle_school_hours@cycle', 'cycle_credits@cycle',
      // ethics 15 ≥ 12, knowledge 15 < 24, ability 33.75 < 48, class management 7.5 < 12, school-based 30 < 48
      'cycle_module_credits[knowledge]@cycle', 'cycle_module_credits[ability]@cycle',
      'cycle_module_credits[class_management]@cycle', 'cycle_module_credits[school_based]@cycle',
    ]);
    expect(one.violations.find((v) => v.rule === 'cycle_hours')).toMatchObject({ actual: 72, required: 144 });
  });

  it('induction in the first year of service counts even after the cycle; other induction outside it is out of scope', () => {
    // Hired 2020-09-01: induction on 2021-03-01 (120 h, 60 practical) is inside the first year,
    // so it is kept though 2021 is outside 2016–2020, and the induction floors are met.
    // T2, hired 2010-09-01: an induction record from 2012, past T2's first year, is simply
    // outside the cycle.
    const ind = (teacher: string, date: string) =>
      training({ teacher_id: teacher, date, kind: 'induction', hours: 120, practical_hours: 60, elective: false });
    const { r, t } = only([ind(T, '2021-03-01'), ind('T2', '2012-10-01')], [{ teacher_id: T, hired_on: '2020-09-01' }, { teacher_id: 'T2', hired_on: '2010-09-01' }]);
    expect([t.induction_hours, t.induction_practical]).toEqual([120, 60]);
    expect(violationIds(t)).toEqual([]);
    expect(r.summary).toMatchObject({ rows_read: 2, evaluated: 1, out_of_scope: 1 });
  });

  it('a teacher hired in the last year of the cycle has only the induction checks', () => {
    // Hired 2020-02-01: n = 2020 − 2020 = 0 counted years, so no yearly or cycle floor applies.
    const induction = training({ teacher_id: T, date: '2020-05-01', kind: 'induction', hours: 120, practical_hours: 60, elective: false });
    const { t } = only([induction], [{ teacher_id: T, hired_on: '2020-02-01' }]);
    expect(violationIds(t)).toEqual([]);
  });
});

describe('管理办法 第十条 — credits', () => {
  it('credits = rate × hours × (1 + coefficient of the grade)', () => {
    // Province, rate 2, 2 days = 12 h, score 85 (良, 0.2): basic 2 × 12 = 24, performance 24 × 0.2 = 4.8 → 28.8.
    const r = training({ teacher_id: T, date: '2016-04-01', level: 'province', format: 'short_term', module: 'knowledge', days: 2, rate: 2, score: 85 });
    const { t } = only([...goodCycle(T), r]);
    expect(t.years['2016']!.modules.knowledge).toBe(15 + 28.8);
  });

  it.each([
    // score, coefficient: bands by lower bound, so 89.5 is 良 (RULES.md choice 2)
    [100, 0.25], [90, 0.25], [89.5, 0.2], [80, 0.2], [79.9, 0.15], [70, 0.15], [69.5, 0.1], [60, 0.1],
  ])('score %s earns coefficient %s', (score, coefficient) => {
    // City, rate 1, online 10 h: 10 × 1 × (1 + coefficient).
    const r = training({ teacher_id: T, date: '2016-04-01', level: 'city', format: 'online', module: 'mental_health', hours: 10, rate: 1, score });
    expect(only([r]).t.credits).toBe(10 * (1 + coefficient));
  });

  it('rates outside the range of their level are rejected with the article', () => {
    // county 1–1.5: 1.6 is out; online 0.5–1 whatever the level: 1.2 is out; national 3 is in.
    const rows = [
      training({ record_id: 'bad-county', teacher_id: T, date: '2016-04-01', level: 'county', format: 'short_term', module: 'ethics', days: 1, rate: 1.6, score: 90 }),
      training({ record_id: 'bad-online', teacher_id: T, date: '2016-04-01', level: 'national', format: 'online', module: 'ethics', hours: 2, rate: 1.2, score: 90 }),
      training({ record_id: 'ok-national', teacher_id: T, date: '2016-04-01', level: 'national', format: 'short_term', module: 'ethics', days: 1, rate: 3, score: 90 }),
    ];
    const { r, t } = only(rows);
    expect(r.rejected.map((x) => [x.record_id, x.line, x.rule, x.article])).toEqual([
      ['bad-county', 2, 'rate_out_of_range', '管理办法 第十条'],
      ['bad-online', 3, 'rate_out_of_range', '管理办法 第十条'],
    ]);
    expect(t.credits).toBe(6 * 3 * 1.25); // 22.5, from the national record alone
  });
});

describe('管理办法 第十一条 — credit floors by module', () => {
  it('a module short in one year is one violation for that module and year', () => {
    // 2018 ethics: score 95 → 59 (fail) gives 0 < 6 credits; hours still count (第十三条).
    // Cycle ethics: 75 − 15 = 60 ≥ 30; credits 506.25 − 15 = 491.25 ≥ 360.
    const records = goodCycle(T).map((r) => (r.date === '2018-06-01' && r.module === 'ethics' ? { ...r, score: 59 } : r));
    const { t } = only(records);
    expect(violationIds(t)).toEqual(['yearly_module_credits[ethics]@2018']);
    expect(t.violations[0]).toMatchObject({ article: '管理办法 第十一条', actual: 0, required: 6, key: 'ethics' });
    expect(t.years['2018']!.hours).toBe(72);
  });

  it('mental health credits count towards the total only', () => {
    // 8 h online at rate 1, score 95: 10 credits to mental_health; no floor for that module.
    const r = training({ teacher_id: T, date: '2016-04-01', level: 'county', format: 'online', module: 'mental_health', hours: 8, rate: 1, score: 95 });
    const { t } = only([...goodCycle(T), r]);
    expect([t.modules.mental_health, t.credits]).toEqual([10, 516.25]);
    expect(violationIds(t)).toEqual([]);
  });

  it('exact decimals: 3.375 + 2.625 ethics credits meet the 6-credit floor that floats miss', () => {
    // 2016 ethics from two online county records instead of the 2-day course:
    //   0.6 × 4.5 h × 1.25 = 3.375;  0.7 × 3 h × 1.25 = 2.625;  3.375 + 2.625 = 6 ≥ 6.
    // County hours stay 48: the 12 ethics hours become 4.5 + 3 + a 4.5 h knowledge course.
    const floatSum = 0.6 * 4.5 * (1 + 0.25) + 0.7 * 3 * (1 + 0.25);
    expect(floatSum).toBeLessThan(6); // 5.999999999999999: binary floats would fail this teacher
    const base = { teacher_id: T, date: '2016-06-01', level: 'county', score: 95 } as const;
    const records = [
      ...goodCycle(T).filter((r) => !(r.date === '2016-06-01' && r.module === 'ethics')),
      training({ ...base, format: 'online', module: 'ethics', hours: 4.5, rate: 0.6 }),
      training({ ...base, format: 'online', module: 'ethics', hours: 3, rate: 0.7 }),
      training({ ...base, format: 'short_term', module: 'knowledge', days: 0.75, rate: 1 }),
    ];
    const { t } = only(records);
    expect(t.years['2016']!.modules.ethics).toBe(6);
    expect(t.years['2016']!.county_hours).toBe(48);
    expect(violationIds(t)).toEqual([]);
  });
});

describe('管理办法 第七条 — elective share', () => {
  it('elective credits below 60 % of the cycle\'s credits is a violation', () => {
    // Make 2016–2018 mandatory: elective 2 × 101.25 = 202.5 of 506.25 = 40 % < 60 %;
    // required 0.6 × 506.25 = 303.75.
    const records = goodCycle(T).map((r) => (['2016', '2017', '2018'].includes(String(r.date).slice(0, 4)) ? { ...r, elective: false } : r));
    const { t } = only(records);
    expect(violationIds(t)).toEqual(['elective_minimum@cycle']);
    expect(t.violations[0]).toMatchObject({ article: '管理办法 第七条', actual: 202.5, required: 303.75 });
    expect(t.elective_share).toBe(0.4);
  });
});

describe('管理办法 第十二条 — teaching converts to credits', () => {
  it('hours taught × 10 / 8 / 6 / 4 by level, elective, to the module given, no hours', () => {
    // national 3 h × 10 = 30; province 2 h × 8 = 16; city 1.5 h × 6 = 9; county 4 h × 4 = 16;
    // school 5 h × 0 = 0. Total 71 credits, all elective; ability gets 30 + 16 = 46.
    const teach = (level: string, hours: number, module?: string) =>
      training({ teacher_id: T, date: '2017-05-01', kind: 'teaching', level, hours, module, elective: undefined });
    const records = [
      ...goodCycle(T),
      teach('national', 3, 'ability'), teach('province', 2, 'ability'), teach('city', 1.5), teach('county', 4), teach('school', 5),
    ];
    const { t } = only(records);
    expect(t.years['2017']!.credits).toBe(101.25 + 71);
    expect(t.years['2017']!.modules.ability).toBe(33.75 + 46);
    expect(t.years['2017']!.hours).toBe(72);
    expect(t.elective_credits).toBe(506.25 + 71);
  });
});

describe('管理办法 第十三条 — a fail earns no credits', () => {
  it('a score below 60 gives 0 credits but its hours count', () => {
    // Online city 10 h at rate 1, score 59.9: 0 credits; 10 hours attended.
    const r = training({ teacher_id: T, date: '2016-04-01', level: 'city', format: 'online', module: 'ability', hours: 10, rate: 1, score: 59.9 });
    const { t } = only([r]);
    expect([t.credits, t.hours]).toEqual([0, 10]);
  });

  it('with failed_hours_count off, a fail earns no hours either', () => {
    const program = lincang([['  failed_hours_count:\n    value: true', '  failed_hours_count:\n    value: false']]);
    const r = training({ teacher_id: T, date: '2016-04-01', level: 'city', format: 'online', module: 'ability', hours: 10, rate: 1, score: 59.9 });
    expect(report([r], undefined, program).teachers[0]!.hours).toBe(0);
  });
});

describe('管理办法 第十五条, 第二十条, 第二十一条 — records that count for nothing', () => {
  it.each([
    ['not entered in the information system', { in_system: false }, 'not_in_system'],
    ['void (forged or altered)', { status: 'void' }, 'void'],
    ['ineffective school-based research', { status: 'ineffective' }, 'ineffective'],
  ])('%s: evaluated, but no hours and no credits', (_, change, rule) => {
    // 2020's school-based research counts for nothing: 0 < 24 school hours and credits in 2020.
    const records = goodCycle(T).map((r) => (r.date === '2020-06-01' && r.module === 'school_based' ? { ...r, ...change } : r));
    const { r, t } = only(records);
    expect(t.years['2020']!.school_hours).toBe(0);
    expect(violationIds(t)).toContain('yearly_school_hours@2020');
    expect(r.summary.evaluated).toBe(25);
    expect(r.summary.disregarded).toBe(1);
    expect(r.summary.disregarded_by_rule).toEqual({ [rule]: 1 });
  });
});

describe('records and the cycle', () => {
  it('records outside the cycle are counted apart; duplicates are rejected, the first counts', () => {
    const outside = training({ teacher_id: T, date: '2015-12-31', level: 'county', format: 'online', module: 'ethics', hours: 10, rate: 1, score: 95 });
    const first = goodCycle(T);
    const duplicate = { ...first[0]!, hours: 999 };
    const { r, t } = only([...first, outside, duplicate]);
    expect(r.summary).toMatchObject({ rows_read: 27, evaluated: 25, out_of_scope: 1, rejected: 1 });
    expect(r.rejected[0]).toMatchObject({ record_id: first[0]!.record_id, line: 28, rule: 'record_id' });
    expect(r.rejected[0]!.reason).toContain('first on line 2');
    expect(t.hours).toBe(360);
  });

  it('absurd magnitudes from broken exports are rejected, not summed into the totals', () => {
    const huge = training({ record_id: 'huge', teacher_id: T, date: '2016-04-01', level: 'county', format: 'online', module: 'ethics', hours: '1e999', rate: 1, score: 95 });
    const { r, t } = only([...goodCycle(T), huge]);
    expect(r.rejected).toMatchObject([{ record_id: 'huge', rule: 'hours' }]);
    expect(r.rejected[0]!.reason).toContain('too large');
    expect(t.hours).toBe(360);
  });

  it('an induction record needs no elective flag: it earns no credits', () => {
    const induction = training({ teacher_id: T, date: '2016-10-01', kind: 'induction', hours: 80, practical_hours: 40, elective: undefined });
    const { r, t } = only([induction], [{ teacher_id: T, hired_on: '2016-09-01' }]);
    expect(r.rejected).toEqual([]);
    expect(t.induction_hours).toBe(80);
  });

  it('a teacher in the teachers file with no records fails every floor', () => {
    const r = report([], [{ teacher_id: 'T9' }]);
    const t = r.teachers[0]!;
    expect(t.compliant).toBe(false);
    // 5 years × (4 totals + 5 modules) + (4 totals + 5 modules + elective share) for the cycle,
    // but 0 ≥ 0.6 × 0 holds, so the elective share is met: 45 + 9 = 54.
    expect(t.violations).toHaveLength(54);
  });
});
