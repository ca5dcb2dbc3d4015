// Every diagnostic code guize reports, in one list: what each means, in both languages, and how
// bad it is. The codes are a stable interface (tests, the editor, `guize test`'s `error:` and
// tools reading the JSON output key on them), so this list is the place to look one up, and
// test/diagnostic-codes.test.ts holds the sources to it: a code emitted anywhere in dsl/,
// engine/ or cli/ must be here (with its severity), a code here must be emitted somewhere, and
// each has a golden case (or, for the codes only a policy test file or the command line can
// raise, a named test) that asserts exactly it.

import type { Severity } from './diagnostics.ts';

/** What the registry says of one code. */
export interface DiagnosticCodeInfo {
  /** Whether it stops the policy (error) or is advice (warning). */
  readonly severity: Severity;
  /** Where it can come from: one policy file, a policy's set of files (versions, forks), or only a policy test file or the command line (cli). */
  readonly from: 'policy' | 'policy-set' | 'cli';
  /** What it means, in English: one line. */
  readonly en: string;
  /** What it means, in Chinese: one line. */
  readonly zh: string;
}

const error = (from: DiagnosticCodeInfo['from'], en: string, zh: string): DiagnosticCodeInfo => ({ severity: 'error', from, en, zh });
const warning = (from: DiagnosticCodeInfo['from'], en: string, zh: string): DiagnosticCodeInfo => ({ severity: 'warning', from, en, zh });

/** Every diagnostic code, by name (kebab-case), in alphabetical order. */
export const DIAGNOSTIC_CODES = {
  'aggregate-per-record': error('policy', 'a total (sum, count, …) is used where one record is worked out', '在逐条记录计算处使用了汇总（sum、count 等）'),
  'bad-cycle': error('policy', 'the cycle does not run forwards over calendar years, or is too long', '周期不是按公历年份向后，或过长'),
  'bad-cycle-field': error('policy', "a cycle per subject is counted from something that is not a date field of the subject", '按主体计的周期所依据的不是主体的日期字段'),
  'bad-cycle-length': error('policy', "a cycle per subject has no length, or one that is not a whole number of periods", '按主体计的周期没有长度，或长度不是整数个期间'),
  'bad-date': error('policy', 'a date (effective date, date parameter, date literal) is not a real date', '日期（生效日期、日期参数、日期字面量）不是有效日期'),
  'bad-format': error('policy', 'a text is not in the form its key needs (a version, an id, …)', '文字不符合该键要求的格式（版本号、标识等）'),
  'bad-line-ending': error('policy', 'a lone carriage return (an old Mac line end) is in the file', '文件中有单独的回车符（旧式 Mac 换行）'),
  'bad-name': error('policy', 'a name in the YAML part is not a valid identifier', 'YAML 部分中的名称不是合规的标识符'),
  'bad-period-field': error('policy', "the period's field is not a required date field of the record", '期间字段不是记录中必填的日期字段'),
  'bad-places': error('policy', 'the places of round/floor/ceil are not a whole number in range', 'round/floor/ceil 的小数位数不是范围内的整数'),
  'band-duplicate-label': error('policy', 'two bands of a banded table have the same label', '等级表中有两个等级同名'),
  'band-gap': error('policy', 'a banded table leaves a gap between two bands', '等级表的两个等级之间有空隙'),
  'band-order': error('policy', "a banded table's bands are not in order, or a band ends below its start", '等级表的等级未按顺序排列，或某等级的上限低于下限'),
  'band-overlap': error('policy', "a banded table's bands overlap", '等级表的等级相互重叠'),
  'band-without-from': error('policy-set', "a version or fork adds a band without its 'from'", "版本或分支新增的等级没有 'from'"),
  'count-with-value': error('policy', 'count(…) is given a value to count: it counts records (count(where …))', 'count(…) 被给了值：它统计记录条数（count(where …)）'),
  'cyclic-definition': error('policy', 'a let or measure is defined in terms of itself', 'let 或指标的定义直接或间接引用了自身'),
  'data-file': error('cli', "a test case's records or subjects file cannot be read", '测试用例的记录或人员数据文件无法读取'),
  'distinct-in-sum': error('policy', "'distinct' is used in a sum, or in a grouped count", "'distinct' 用在了 sum 或分组计数中"),
  'distinct-not-a-field': error('policy', "'count(distinct x …)' names something that is not a field of the record", "'count(distinct x …)' 所指的不是记录中的字段"),
  'duplicate-id': error('policy', 'two declarations or rules use the same id', '两个声明或规则使用了同一标识'),
  'duplicate-item': error('policy', 'a list in the YAML part holds the same value twice', 'YAML 部分的列表中有重复的值'),
  'duplicate-key': error('policy', 'a YAML mapping has the same key twice', 'YAML 映射中有重复的键'),
  'duplicate-version': error('policy-set', "two files of a policy's versions have the same version", '策略的两个版本文件版本号相同'),
  'empty': error('policy', 'a text or list that must hold something is empty', '必须有内容的文字或列表为空'),
  'enum-mismatch': error('policy', 'values of two different enums are compared', '比较了两个不同枚举的取值'),
  'enum-without-values': error('policy', 'an enum field lists no values', '枚举字段没有列出取值'),
  'export-unsupported': error('cli', 'a construct of the rules has no faithful JSON Logic form (guize export)', '规则中的某个写法无法如实导出为 JSON Logic（guize export）'),
  'field-in-both': error('policy', 'a name is both a record field and a subject field', '同一名称既是记录字段又是主体字段'),
  'file-not-found': error('policy-set', 'a policy file (or the parent a fork names) cannot be read', '无法读取策略文件（或分支所指的上级策略）'),
  'fork-cycle': error('policy-set', 'a fork extends itself through its parents, or forks nest too deep', '分支经由上级策略继承了自身，或分支嵌套过深'),
  'fork-in-versions': error('policy-set', "a file in versions/ says 'extends:' (a fork) instead of 'revises:'", "versions/ 中的文件写了 'extends:'（分支）而不是 'revises:'"),
  'fork-out-of-range': error('policy-set', 'a fork sets a value outside the range its parent lets it choose within', '分支设定的值超出上级策略允许的范围'),
  'fork-range-invalid': error('policy', "a parameter's fork range is not two numbers, low to high", '参数的分支范围不是由低到高的两个数'),
  'group-by-not-enum': error('policy', "'by' groups by a field that is not an enum field of the record", "'by' 分组所用的不是记录的枚举字段"),
  'group-not-top': error('policy', "a total grouped with 'by' is used other than as the whole value of a measure", "用 'by' 分组的汇总没有作为指标的整个取值"),
  'key-not-required': error('policy', 'the subject or record key field is not required', '主体或记录的主键字段不是必填'),
  'key-not-text': error('policy', 'the subject or record key field is not of type text', '主体或记录的主键字段类型不是 text'),
  'label-literal-number': warning('policy', 'a label writes a number that a parameter holds: name the parameter instead', '标签中直接写了参数的数值：请改用参数名'),
  'let-hides-field': error('policy', 'a let has the name of a field', 'let 与字段同名'),
  'line-too-long': error('cli', 'a line of a policy test file is too long', '策略测试文件中有一行过长'),
  'list-too-long': error('policy', 'a list in the rules holds more items than a rule may', '规则中的列表项数超过上限'),
  'loop-not-over-table': error('policy', "'for … in' names something that is not a keyed table", "'for … in' 所指的不是按键查找的表"),
  'mapping-bad-date-format': error('policy-set', "an input mapping's date form lacks its year, month or day", '输入映射的日期格式缺少年、月或日'),
  'mapping-duplicate-field': error('policy-set', 'two columns of an input mapping map to one field', '输入映射中有两列映射到同一字段'),
  'mapping-unknown-field': error('policy-set', 'an input mapping names a field the policy does not declare (or maps the values of a field that has none to map)', '输入映射所指的字段策略中没有声明（或映射了无取值可映射的字段）'),
  'mapping-unknown-value': error('policy-set', "an input mapping maps a value to one its field does not allow", '输入映射把某值映射为该字段不允许的取值'),
  'measure-not-a-number': error('policy', 'a measure is not a number', '指标不是数字'),
  'missing-cite': warning('policy', 'a rule or declaration cites no article', '规则或声明没有注明条款'),
  'missing-key': error('policy', 'a mapping in the YAML part lacks a key it needs', 'YAML 部分的映射缺少必需的键'),
  'no-columns': error('policy', 'a column is read from something that has no columns', '从没有列的值中读取列'),
  'no-version-in-force': error('cli', 'no version of the policy is in force on the date chosen (--as-of, as_of)', '所选日期（--as-of、as_of）没有生效的版本'),
  'not-a-change': error('policy-set', "a file in versions/ is a whole policy, not a change ('revises:')", "versions/ 中的文件是完整的策略，而不是修订（'revises:'）"),
  'not-a-number': error('policy', 'a parameter or band bound is not a plain decimal number', '参数或等级界限不是普通的十进制数'),
  'not-allowed': error('policy', 'a value in the YAML part is not one of those its key allows', 'YAML 部分的值不在该键允许的取值之内'),
  'not-an-expression': error('policy-set', "a change's condition (a fork's subjects: …) is not one expression", '修订中的条件（如分支的 subjects）不是单个表达式'),
  'not-callable': error('policy', 'a keyed table is called like a banded one: write table[key]', '按键查找的表被当作等级表调用：请写 表[键]'),
  'not-indexable': error('policy', 'something other than a keyed table or grouped measure is looked up with [ ]', '对非按键查找的表或分组指标使用了 [ ]'),
  'number-options-on-non-number': error('policy', "'unit', 'min' or 'max' is given to a field that is not a number", "非数字字段写了 unit、min 或 max"),
  'output-name-clash': error('policy', "a name would overwrite one of the report's own keys", '某名称会覆盖报告自身的键'),
  'override-unchanged': warning('policy-set', 'a version or fork changes something to what it already is', '版本或分支的修改与原值相同'),
  'override-unknown': error('policy-set', 'a version or fork changes something its base does not have', '版本或分支修改了其基础中不存在的项'),
  'override-without-cite': warning('policy-set', 'a version or fork changes a value without citing an article of its own', '版本或分支修改取值时没有注明自己的条款'),
  'override-wrong-kind': error('policy-set', 'a change gives a keyed table bands, or a banded table rows', '修订给按键查找的表写了等级，或给等级表写了行'),
  'parent-drift': warning('policy-set', "a fork's parent changed, since the version the fork was written for, something the fork overrides", '分支所依据的版本之后，上级策略修改了分支所覆盖的内容'),
  'parent-removed': warning('policy-set', "a fork's parent no longer has something the fork changes", '上级策略已不再有分支所修改的项'),
  'period-outside-period-scope': error('policy', "something that depends on the period is used in a rule for the whole cycle", '整个周期的规则中使用了依赖年度的值'),
  'period-sum-filter': error('policy', "a sum over the periods (of a value that reads totals) has a 'where' or 'by'", "按期间求和（其值读取合计）带有 'where' 或 'by'"),
  'placeholder-not-a-value': error('policy', "a reason's {placeholder} names something that cannot be shown as a value", '理由中的 {占位符} 所指的内容不能显示为值'),
  'record-value-outside-sum': error('policy', 'a per-record value is used outside a total', '逐条记录的值在汇总之外使用'),
  'requirement-not-comparison': error('policy', 'the body of a requirement is neither a comparison of numbers nor a yes/no condition', '要求的主体既不是数字比较，也不是是/否条件'),
  'reserved-word': error('policy', 'a name declared in the YAML part is a reserved word of the rule language', 'YAML 部分声明的名称是规则语言的保留字'),
  'revision-as-policy': error('policy-set', "a folder's policy.yaml is a revision ('revises:') rather than a whole policy or a fork", "文件夹中的 policy.yaml 是修订（'revises:'），而不是完整策略或分支"),
  'revision-chain': error('policy-set', 'a version revises one other than the version before it by effective date', '某版本修订的不是按生效日期排在它之前的版本'),
  'revision-date': error('policy-set', 'a version takes effect no later than the version it revises', '某版本的生效日期不晚于它所修订的版本'),
  'rules-not-literal': error('policy', 'rules (or a condition) are not written as a literal block (|) or one line', '规则（或条件）没有写成字面块（|）或单行'),
  'schema': error('policy', 'the YAML part does not match the policy schema (in a way no other code says)', 'YAML 部分不符合策略格式（其他代码未涵盖的情形）'),
  'scope-not-subject': error('policy', "a fork's subjects condition reads something other than the subject's fields", '分支的 subjects 条件读取了主体字段以外的内容'),
  'setting-not-a-choice': error('policy', "a setting's value is not one of its choices (in the policy or a test case)", '设置的取值不在其可选项之内（策略或测试用例中）'),
  'setting-without-choices': error('policy', 'a setting whose value is a text lists no choices', '取值为文字的设置没有列出可选项'),
  'sum-without-value': error('policy', 'sum(…) is given no value to add up', 'sum(…) 没有求和的值'),
  'syntax-error': error('policy', 'the rules do not parse', '规则无法解析'),
  'table-cell-missing': error('policy', 'a row or band of a table lacks one of its columns', '表的某行或某等级缺少一列'),
  'table-cell-type': error('policy', "a table cell's value is not of its column's type", '表格单元的值与其列的类型不符'),
  'table-cell-unknown': error('policy', 'a row or band of a table has a cell for no column', '表的某行或某等级有不属于任何列的单元'),
  'table-key-not-enum': error('policy', 'a keyed table is keyed by a field that is not an enum field', '按键查找的表的键不是枚举字段'),
  'test-file': error('cli', 'a policy test file cannot be read (too large, not UTF-8)', '策略测试文件无法读取（过大或不是 UTF-8）'),
  'too-deep': error('policy', 'a rule, or a chain of definitions, nests too deeply to check safely', '规则或定义链嵌套过深，无法安全检查'),
  'too-many-versions': error('policy-set', "a policy folder's versions/ holds more than 200 files", '策略文件夹的 versions/ 中文件超过 200 个'),
  'type-mismatch': error('policy', 'a value is not of the type its place needs', '值的类型与所在位置的要求不符'),
  'unexpected-character': error('policy', 'the rules hold a character the rule language does not use', '规则中有规则语言不使用的字符'),
  'unit-mismatch': error('policy', 'values in different units are combined or compared', '不同单位的值被混合运算或比较'),
  'unknown-annotation': error('policy', 'an annotation other than @cite or @note', '除 @cite、@note 以外的注解'),
  'unknown-column': error('policy', 'a table has no column of that name', '表中没有该名称的列'),
  'unknown-enum-value': error('policy', 'a name is not one of the values of the enum it is compared with', '名称不是所比较枚举的取值'),
  'unknown-expectation': error('cli', "a test case expects a name the report does not have", '测试用例期望的名称在报告中不存在'),
  'unknown-field': error('policy', "the record's key or subject field is not a record field", '记录的主键或主体字段不是记录字段'),
  'unknown-function': error('policy', 'a call to a function the rule language does not have', '调用了规则语言中没有的函数'),
  'unknown-key': error('policy', 'a key the YAML part does not have', 'YAML 部分中没有的键'),
  'unknown-name': error('policy', 'a name in the rules that nothing declares', '规则中的名称没有声明'),
  'unknown-parameter': error('cli', 'a test case overrides a parameter the policy does not have', '测试用例覆盖了策略中没有的参数'),
  'unknown-placeholder': error('policy', "a label's {placeholder} names no parameter, setting or keyed table", '标签中的 {占位符} 不是参数、设置或按键查找的表'),
  'unknown-scope': error('policy', "a requirement is checked 'per' something other than period or cycle", "要求的 'per' 既不是 period 也不是 cycle"),
  'unknown-setting': error('cli', 'a test case overrides a setting the policy does not have', '测试用例覆盖了策略中没有的设置'),
  'unknown-table-key': error('policy', "a keyed table's row is not a value of its key", '按键查找的表的某行不是其键的取值'),
  'unknown-unit': error('policy', 'a unit that the units section does not declare', 'units 中未声明的单位'),
  'unknown-version': error('policy-set', 'no such version (a fork\'s pinned parent version, DIR@VERSION, a test case\'s version)', '没有该版本（分支所依据的上级版本、DIR@VERSION、测试用例的 version）'),
  'until-before-effective': error('policy-set', 'a version ends before it takes effect', '某版本的失效日期早于生效日期'),
  'until-not-last': error('policy-set', 'a version other than the last has an end date (until)', '最后一个版本以外的版本写有失效日期（until）'),
  'unused': warning('policy', 'a declaration that no rule uses', '没有规则使用的声明'),
  'unused-column': warning('policy', 'a table column that no rule or label reads', '没有规则或标签读取的表列'),
  'values-on-non-enum': error('policy', "'values' is given to a field that is not an enum", '非枚举字段写了 values'),
  'version-adds-fields': error('policy-set', 'a later version adds record or subject fields', '后续版本增加了记录或人员字段'),
  'version-and-as-of': error('cli', 'a test case chooses its version both by version and by as_of', '测试用例同时用 version 和 as_of 选择版本'),
  'version-changes-measure-form': error('policy-set', 'versions make a measure up differently (another sum/count form or by), so they cannot be combined', '各版本中指标的构成方式不同（合计形式或 by 不同），无法合并'),
  'wrong-arity': error('policy', 'a function or banded table is called with the wrong number of arguments', '函数或等级表调用时参数个数不对'),
  'wrong-type': error('policy', 'a value in the YAML part is not of the type its key needs', 'YAML 部分的值类型与该键的要求不符'),
  'yaml-aliases': error('policy', 'the YAML\'s aliases (*name) expand too far (an alias bomb) or cannot be resolved', 'YAML 别名（*name）展开过多（别名炸弹）或无法解析'),
  'yaml-syntax': error('policy', 'the file is not valid YAML', '文件不是有效的 YAML'),
  'yaml-too-deep': error('policy', 'the YAML nests too deeply', 'YAML 嵌套过深'),
} as const satisfies Readonly<Record<string, DiagnosticCodeInfo>>;

/** A diagnostic code guize reports. */
export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;
