// A command's arguments, checked before node:util's parseArgs reads them, so that every mistake
// is said in words (Chinese and English) and none is passed over: an unknown option gets the
// nearest known one ("did you mean --policy?"), an option given twice or together with its alias
// is refused (parseArgs would keep the last one silently), and an option missing its value is
// named. What passes these checks parseArgs then reads strictly.

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { suggest } from '../dsl/suggest.ts';
import { UsageError } from './io.ts';

export { UsageError } from './io.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/** What a command's arguments may be, and which of its options name the same thing. */
export interface CommandArgs<O extends Options> {
  readonly args: readonly string[];
  readonly options: O;
  /** Whether the command takes arguments that are not options (`guize test POLICY…`). */
  readonly allowPositionals?: boolean;
  /** Pairs of options that are one option under two names (`teachers`, `subjects`): at most one may be given. */
  readonly aliases?: readonly (readonly [string, string])[];
}

/** Options every command takes, answered by main.ts before the command runs. */
const ALWAYS = ['help'];

/** The "did you mean …?" of an unknown option, in both languages, or empty. */
function nearest(name: string, options: Options): { zh: string; en: string } {
  const s = suggest(name, [...Object.keys(options), ...ALWAYS]);
  return s === undefined ? { zh: '', en: '' } : { zh: `，是否想用 '--${s}'？`, en: `; did you mean '--${s}'?` };
}

/**
 * Checks `config.args` against its options, throwing a {@link UsageError} for the first mistake:
 * an unknown option (with the nearest known one), an option given twice, two aliases of one
 * option, a string option without its value, a boolean option given one, an argument where none
 * is taken.
 */
export function checkArgs<O extends Options>(config: CommandArgs<O>): void {
  const { args, options } = config;
  const { tokens } = parseArgs({ args: [...args], options, strict: false, allowPositionals: true, tokens: true });
  const seen = new Map<string, string>();
  for (const t of tokens) {
    if (t.kind === 'option-terminator') break;
    if (t.kind === 'positional') {
      if (!config.allowPositionals) throw new UsageError(`多余的参数 '${t.value}' / unexpected argument '${t.value}'`);
      continue;
    }
    const option = options[t.name];
    if (option === undefined) {
      if (ALWAYS.includes(t.name) || t.rawName === '-h') continue;
      // `-policy` is read by parseArgs as -p -o -l …: name what was written, and the long option meant.
      const raw = t.rawName.startsWith('--') ? t.rawName : args[t.index]!.split('=')[0]!;
      const hint = nearest(raw.replace(/^-+/, ''), options);
      throw new UsageError(`未知选项 '${raw}'${hint.zh} / unknown option '${raw}'${hint.en}`);
    }
    const earlier = seen.get(t.name);
    if (earlier !== undefined) {
      const both = earlier === t.rawName ? t.rawName : `${earlier} / ${t.rawName}`;
      throw new UsageError(`选项 ${both} 给了不止一次 / ${both} is given more than once`);
    }
    seen.set(t.name, t.rawName);
    if (option.type === 'string') {
      // A value that looks like an option is the next option, its own value forgotten: `--policy --records r.csv`.
      if (t.value === undefined || (!t.inlineValue && t.value.startsWith('-') && t.value !== '-')) {
        throw new UsageError(`选项 --${t.name} 需要一个值 / --${t.name} needs a value`);
      }
    } else if (t.value !== undefined) {
      throw new UsageError(`选项 --${t.name} 不带值 / --${t.name} takes no value (got '${t.value}')`);
    }
  }
  for (const [a, b] of config.aliases ?? []) {
    if (seen.has(a) && seen.has(b)) throw new UsageError(`--${a} 与 --${b} 是同一个选项，只能给一个 / --${a} and --${b} are the same option: give one of them`);
  }
}

/** {@link checkArgs}, then node:util's parseArgs, strictly, on what passed. */
export function parseCommandArgs<O extends Options, P extends boolean = false>(config: CommandArgs<O> & { readonly allowPositionals?: P }) {
  checkArgs(config);
  return parseArgs({ args: [...config.args], options: config.options, allowPositionals: config.allowPositionals, strict: true });
}
