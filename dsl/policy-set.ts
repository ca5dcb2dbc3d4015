// A policy's folder → its versions → one checked program. The folder holds `policy.yaml` (the
// first version, a whole policy) and, in `versions/`, later versions, each a change on the one
// before it (change-file.ts). Each version is resolved (apply-change.ts) and checked on its own,
// so a diagnostic points into the file that says the offending thing; then the versions are
// combined into one program that applies each where it is in force (combine-versions.ts), or
// one version is chosen for everything (`DIR@VERSION`, `--as-of DATE`).
//
// No file system here: the caller lends a `PolicyFiles` (Node's fs in the CLI, a map of texts in
// the browser editor and the tests).

import { applyChange } from './apply-change.ts';
import { isChangeText, parseChangeFile, type ChangeFile } from './change-file.ts';
import type { CheckedPolicy } from './checked.ts';
import { checkPolicy } from './check.ts';
import { combineVersions } from './combine-versions.ts';
import { checkDrift } from './fork-drift.ts';
import { provenanceOf, type FileOwner, type PolicyOrigins } from './provenance.ts';
import { DiagnosticBag, MAX_DIAGNOSTICS, type Diagnostic, type StageResult } from './diagnostics.ts';
import type { PolicyAst, RuleSource } from './policy.ts';
import { parsePolicy } from './policy-file.ts';
import type { SourceFile, Span } from './source.ts';

/** The policy files, by `/`-separated path (relative to whatever root the lender chooses). */
export interface PolicyFiles {
  /** A file's text, or undefined when there is no such file. */
  read(path: string): string | undefined;
  /** The names of the `.yaml` files directly in a folder, in any order (none when no folder). */
  list(dir: string): readonly string[];
}

/** Which version to run: all, each where it is in force (the default), or one for everything. */
export interface VersionChoice {
  /** A version by its name (`DIR@VERSION` on the command line). */
  readonly version?: string;
  /** The version in force on a date, YYYY-MM-DD (`--as-of`). */
  readonly asOf?: string;
}

/**
 * Values put in place of a policy's own, in every version, before anything is checked: a policy
 * test exercising another reading of the text (`first_year_counts: true`). Ids the policy does
 * not declare are ignored here (the caller says so, where it has them written).
 */
export interface ValueOverrides {
  /** A setting's value: yes/no, or one of its choices. */
  readonly settings?: Readonly<Record<string, boolean | string>>;
  /** A parameter's value, as decimal text. */
  readonly parameters?: Readonly<Record<string, string>>;
}

/** A version with `o`'s values in place of its own. */
function overridden(p: PolicyAst, o: ValueOverrides): PolicyAst {
  const settings = o.settings ?? {};
  const parameters = o.parameters ?? {};
  return {
    ...p,
    settings: p.settings.map((d) => (Object.hasOwn(settings, d.id) ? { ...d, value: settings[d.id]! } : d)),
    parameters: p.parameters.map((d) => (Object.hasOwn(parameters, d.id) ? { ...d, value: parameters[d.id]! } : d)),
  };
}

/** A policy ready to compile, and what it was made of. */
export interface PolicySet {
  /** The program: the versions combined, or the one chosen. */
  readonly checked: CheckedPolicy;
  /** Every version, resolved and checked on its own, by effective date. */
  readonly versions: readonly CheckedPolicy[];
  /** The version chosen for everything, if one was. */
  readonly chosen: string | undefined;
  /** Who wrote each file, and a fork's parents: for provenance. */
  readonly origins: PolicyOrigins;
}

/** The result of loading, with every file read (for rendering diagnostics). */
export interface LoadedPolicySet {
  readonly result: StageResult<PolicySet>;
  readonly sources: ReadonlyMap<string, SourceFile>;
}

/** `p` with the provenance of each of its rules, for its results. */
function withRuleSources(p: PolicyAst, origins: PolicyOrigins, sources: ReadonlyMap<string, SourceFile>): PolicyAst {
  const ruleSources = new Map<string, RuleSource>();
  for (const e of provenanceOf(p, origins, sources)) {
    if (e.kind === 'rule') ruleSources.set(e.item, { origin: e.origin, policy: e.policy, version: e.version, file: e.file, line: e.line });
  }
  return { ...p, ruleSources };
}

/** How deep forks may nest (a county of a city of a province is three). */
const MAX_FORK_DEPTH = 8;
/** Most versions one folder may hold. */
const MAX_VERSIONS = 200;

/** Normalises a `/`-separated path: no `.`, `..` resolved where it can be, no doubled `/`. */
export function normalizePath(path: string): string {
  const absolute = path.startsWith('/');
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else if (part !== '..' || !absolute) out.push(part);
  }
  return `${absolute ? '/' : ''}${out.join('/')}` || '.';
}

const dirOf = (path: string): string => {
  const i = path.lastIndexOf('/');
  return i < 0 ? '.' : i === 0 ? '/' : path.slice(0, i);
};

/**
 * Loads the policy at `path` — a folder holding `policy.yaml`, or a YAML file — with its versions.
 * A file other than a folder's `policy.yaml` is one version on its own.
 */
export function loadPolicySet(files: PolicyFiles, path: string, choice: VersionChoice = {}, overrides?: ValueOverrides): LoadedPolicySet {
  const loader = new Loader(files);
  const result = loader.load(path, choice, overrides);
  return { result, sources: loader.sources };
}

/** Where a policy file is: its folder and the file itself. */
function locate(files: PolicyFiles, path: string): { dir: string; file: string; folder: boolean } {
  const p = normalizePath(path);
  if (/\.ya?ml$/i.test(p)) return { dir: dirOf(p), file: p, folder: /(^|\/)policy\.ya?ml$/i.test(p) };
  // policy.yml only when that is the one there: a folder with neither is missing its policy.yaml.
  const file = files.read(`${p}/policy.yaml`) === undefined && files.read(`${p}/policy.yml`) !== undefined ? `${p}/policy.yml` : `${p}/policy.yaml`;
  return { dir: p, file, folder: true };
}

class Loader {
  readonly sources = new Map<string, SourceFile>();
  private readonly owners = new Map<string, FileOwner>();
  private readonly parentOf = new Map<string, PolicyAst>();
  /** Each version of a fork (at any depth): the parent version it applies to. */
  private readonly forkParent = new WeakMap<PolicyAst, PolicyAst>();
  private readonly diagnostics: Diagnostic[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly files: PolicyFiles) {}

  private keep(ds: readonly Diagnostic[]): void {
    for (const d of ds) {
      if (this.diagnostics.length >= MAX_DIAGNOSTICS) return;
      // Versions share most of their declarations: a warning about one is said once.
      if (this.diagnostics.some((x) => x.code === d.code && x.span.file === d.span.file && x.span.start === d.span.start && x.message === d.message)) continue;
      this.diagnostics.push(d);
    }
  }

  private read(file: string, span?: Span): string | undefined {
    const text = this.files.read(file);
    if (text === undefined) {
      const bag = new DiagnosticBag();
      const at = span ?? { file, start: 0, end: 0 };
      bag.error('file-not-found', at, `cannot read '${file}'`, `无法读取 '${file}'`, 'check the path: it is relative to the file that names it');
      this.keep(bag.items);
      return undefined;
    }
    this.sources.set(file, { name: file, text });
    return text;
  }

  load(path: string, choice: VersionChoice, overrides: ValueOverrides | undefined): StageResult<PolicySet> {
    const resolved = this.versions(path, 0, undefined);
    const given = overrides && resolved ? resolved.map((p) => overridden(p, overrides)) : resolved;
    if (!given) return { ok: false, diagnostics: this.diagnostics };
    // A fork's results say where each rule comes from: the fork's own files or its parent's.
    const forked = [...this.owners.values()].some((o) => o.depth > 0);
    const asts = forked ? given.map((p) => withRuleSources(p, this.origins(), this.sources)) : given;
    const versions: CheckedPolicy[] = [];
    for (const p of asts) {
      const checked = checkPolicy(p);
      this.keep(checked.diagnostics);
      if (checked.ok) versions.push(checked.value);
    }
    if (versions.length < asts.length) return { ok: false, diagnostics: this.diagnostics };
    const picked = this.choose(versions, choice);
    if (!picked) return { ok: false, diagnostics: this.diagnostics };
    const first = versions[0]!.ast;
    const last = versions[versions.length - 1]!.ast;
    // One version with nothing outside it to exclude runs as checked; otherwise the versions
    // (or the one chosen, within the whole policy's time) are combined.
    if (picked.length === 1 && picked[0]!.ast.beforeEffective?.value === 'evaluate' && last.until === undefined && versions.length === 1) {
      return { ok: true, value: { checked: picked[0]!, versions, chosen: choice.version ?? choice.asOf, origins: this.origins() }, diagnostics: this.diagnostics };
    }
    const bag = new DiagnosticBag();
    const combined = combineVersions(picked, bag, { first, last });
    this.keep(bag.items);
    if (bag.hasErrors) return { ok: false, diagnostics: this.diagnostics };
    const checked = checkPolicy(combined, { combined: true });
    // What the combination adds was checked in each version: only an error is news.
    this.keep(checked.diagnostics.filter((d) => d.severity === 'error'));
    if (!checked.ok) return { ok: false, diagnostics: this.diagnostics };
    const chosen = choice.version ?? (choice.asOf === undefined ? undefined : picked[0]!.ast.version);
    return { ok: true, value: { checked: checked.value, versions, chosen, origins: this.origins() }, diagnostics: this.diagnostics };
  }

  private origins(): PolicyOrigins {
    return { files: this.owners, parentOf: this.parentOf };
  }

  /** The versions to combine: all of them, or the one the choice names. */
  private choose(versions: readonly CheckedPolicy[], choice: VersionChoice): CheckedPolicy[] | undefined {
    const where: Span = { file: versions[0]!.ast.file, start: 0, end: 0 };
    const names = versions.map((v) => v.ast.version);
    if (choice.version !== undefined) {
      const v = versions.find((x) => x.ast.version === choice.version);
      if (!v) {
        const bag = new DiagnosticBag();
        bag.error('unknown-version', where, `the policy has no version '${choice.version}'`, `该策略没有版本 '${choice.version}'`, `versions: ${names.join(', ')}`);
        this.keep(bag.items);
        return undefined;
      }
      return [v];
    }
    if (choice.asOf !== undefined) {
      const inForce = [...versions].reverse().find((x) => x.ast.effective <= choice.asOf!);
      const v = inForce ?? versions[0]!;
      if (!inForce && v.ast.beforeEffective?.value !== 'evaluate') {
        const bag = new DiagnosticBag();
        bag.error('no-version-in-force', where, `no version is in force on ${choice.asOf}: the first took effect on ${v.ast.effective}`,
          `${choice.asOf} 时没有生效的版本：最早的版本自 ${v.ast.effective} 起生效`);
        this.keep(bag.items);
        return undefined;
      }
      return [v];
    }
    return [...versions];
  }

  /** The resolved versions of the policy at `path`, by effective date; undefined after an error. */
  private versions(path: string, depth: number, from: Span | undefined): PolicyAst[] | undefined {
    const { dir, file, folder } = locate(this.files, path);
    if (this.seen.has(file) || depth > MAX_FORK_DEPTH) {
      const bag = new DiagnosticBag();
      bag.error('fork-cycle', from ?? { file, start: 0, end: 0 }, `'${file}' extends itself, through its parents (or forks nest deeper than ${MAX_FORK_DEPTH})`,
        `'${file}' 经由上级策略继承了自身（或分支嵌套超过 ${MAX_FORK_DEPTH} 层）`);
      this.keep(bag.items);
      return undefined;
    }
    this.seen.add(file);
    const text = this.read(file, from);
    if (text === undefined) return undefined;
    const first = this.firstVersion(dir, file, text, depth);
    if (!first) return undefined;
    this.owners.set(file, { policy: first[0]!.id, version: first.length === 1 ? first[0]!.version : first[0]!.version.replace(/\+.*$/, ''), depth });
    if (!folder) return first;
    return this.revisions(dir, first, depth);
  }

  /** The first version: a whole policy, or a fork applied to each of its parent's versions. */
  private firstVersion(dir: string, file: string, text: string, depth: number): PolicyAst[] | undefined {
    if (!isChangeText(text)) {
      const parsed = parsePolicy(file, text);
      this.keep(parsed.diagnostics);
      return parsed.ok ? [parsed.value] : undefined;
    }
    const change = parseChangeFile(file, text);
    this.keep(change.diagnostics);
    if (!change.ok) return undefined;
    const c = change.value;
    if (c.base.kind !== 'extends') {
      const bag = new DiagnosticBag();
      bag.error('revision-as-policy', c.base.span, "a folder's policy.yaml is its first version: a whole policy, or a fork ('extends:'); a later version belongs in versions/",
        "文件夹中的 policy.yaml 是第一个版本：应为完整的策略或分支（extends:）；后续版本应放在 versions/ 中");
      this.keep(bag.items);
      return undefined;
    }
    const parents = this.versions(normalizePath(`${dir}/${c.base.policy}`), depth + 1, c.base.policySpan);
    if (!parents) return undefined;
    return this.forkOf(parents, c, depth);
  }

  /**
   * A fork over its parent's versions: the fork's change applied to each parent version in force
   * on or after the fork took effect (the first of them from the fork's own date).
   */
  private forkOf(parents: readonly PolicyAst[], c: ChangeFile, depth: number): PolicyAst[] | undefined {
    const bag = new DiagnosticBag();
    const pinnedVersion = (c.base as Extract<ChangeFile['base'], { kind: 'extends' }>).version;
    const pinned = parents.find((p) => p.version === pinnedVersion);
    if (!pinned) {
      bag.error('unknown-version', c.base.span, `the parent has no version '${pinnedVersion}'`,
        `上级策略没有版本 '${pinnedVersion}'`, `versions: ${parents.map((p) => p.version).join(', ')}`);
    }
    const live = parents.filter((p, k) => k === parents.length - 1 || parents[k + 1]!.effective > c.effective);
    const strict = pinned && live.includes(pinned) ? pinned : live[0];
    const out = live.map((parent, k) => {
      // The change is checked in full against the version it was written for; against the
      // others only what they break is news (and drift, for the later ones).
      const own = parent === strict ? bag : new DiagnosticBag();
      const forked = applyChange(parent, c, own, { lenient: parent !== strict });
      if (own !== bag) {
        const said = (d: Diagnostic) => bag.items.some((x) => (x.code === d.code || x.code === 'override-unknown') && x.span.file === d.span.file && x.span.start === d.span.start);
        for (const d of own.items) if ((d.severity === 'error' || d.code === 'parent-removed') && !said(d)) bag.add(d);
      }
      if (pinned && parent.effective > pinned.effective) checkDrift(pinned, parent, c, bag);
      const effective = k === 0 || parent.effective < c.effective ? c.effective : parent.effective;
      const version = live.length === 1 && parents.length === 1 ? c.version : `${c.version}+${parent.version}`;
      if (depth === 0) this.parentOf.set(version, parent);
      const v: PolicyAst = {
        ...forked,
        version,
        effective,
        effectiveSpan: k === 0 ? c.effectiveSpan : parent.effectiveSpan,
      };
      this.forkParent.set(v, parent);
      return v;
    });
    this.keep(bag.items);
    return bag.hasErrors ? undefined : out;
  }

  /** The first version followed by the later ones in `dir/versions/`, each applied to the one before. */
  private revisions(dir: string, first: PolicyAst[], depth: number): PolicyAst[] | undefined {
    const names = this.files.list(`${dir}/versions`).filter((n) => /\.ya?ml$/i.test(n)).sort();
    if (names.length === 0) return first;
    const bag = new DiagnosticBag();
    if (names.length > MAX_VERSIONS) {
      // Refused rather than cut: versions past the limit left unread would silently change which
      // version is in force. Said at the first line of the first file past it (by name).
      const file = `${dir}/versions/${names[MAX_VERSIONS]!}`;
      const text = this.read(file);
      if (text === undefined) return undefined;
      const lineEnd = text.search(/\r?\n|$/);
      bag.error('too-many-versions', { file, start: 0, end: Math.min(Math.max(lineEnd, 1), text.length) },
        `${dir}/versions/ holds ${names.length} version files, more than the ${MAX_VERSIONS} a policy may have; this is the ${MAX_VERSIONS + 1}st by name`,
        `${dir}/versions/ 中有 ${names.length} 个版本文件，超过策略允许的 ${MAX_VERSIONS} 个；此文件按名称排第 ${MAX_VERSIONS + 1} 个`,
        'merge old versions into the policy, or split the policy');
      this.keep(bag.items);
      return undefined;
    }
    const changes: ChangeFile[] = [];
    for (const name of names) {
      const file = `${dir}/versions/${name}`;
      const text = this.read(file);
      if (text === undefined) return undefined;
      const c = parseChangeFile(file, text);
      this.keep(c.diagnostics);
      if (!c.ok) return undefined;
      this.owners.set(file, { policy: first[0]!.id, version: c.value.version, depth });
      if (c.value.base.kind !== 'revises') {
        bag.error('fork-in-versions', c.value.base.span, "a file in versions/ is a later version: it says 'revises:', not 'extends:'",
          "versions/ 中的文件是后续版本：应写 'revises:'，而不是 'extends:'");
        continue;
      }
      changes.push(c.value);
    }
    changes.sort((a, b) => (a.effective < b.effective ? -1 : a.effective > b.effective ? 1 : 0));
    // A fork over several parent versions has its own versions too: each revises the fork's
    // version before it, and applies over each parent version in force while it is.
    if (first.length > 1 || this.forkParent.has(first[0]!)) return this.forkRevisions(first, changes, bag);
    const out = [...first];
    for (const c of changes) {
      const before = out[out.length - 1]!;
      checkRevision(c, before, out.map((v) => v.version), bag);
      out.push(applyChange(before, c, bag));
    }
    this.keep(bag.items);
    return bag.hasErrors ? undefined : out;
  }

  /**
   * A fork's own later versions over its parent's: version F of the fork is in force from its
   * date until the next; it revises the fork's version before it (F applied to what that one
   * made of each parent version), and follows the parent's versions on its own. The versions
   * are named `F+P` (`2021.1+2019.1`), as a fork's first ones are, each in force from the later
   * of F's and P's dates.
   */
  private forkRevisions(first: PolicyAst[], changes: readonly ChangeFile[], bag: DiagnosticBag): PolicyAst[] | undefined {
    const plain = first.length === 1; // a parent of one version: the fork's versions keep their own names
    const forkName = (v: PolicyAst) => v.version.replace(/\+.*$/, '');
    let current = first; // the fork's latest version, over each parent version from its date
    const out = [...first];
    const own = [{ version: forkName(first[0]!), effective: first[0]!.effective, until: first[first.length - 1]!.until }];
    for (const c of changes) {
      const before = own[own.length - 1]!;
      checkRevision(c, before, own.map((v) => v.version), bag);
      const next: PolicyAst[] = [];
      current.forEach((v, k) => {
        const following = current[k + 1];
        // A combination that ends before the revision takes effect stays as it was.
        if (following !== undefined && following.effective <= c.effective) return;
        const parent = this.forkParent.get(v)!;
        const revised = applyChange(v, c, bag);
        const version = plain ? c.version : `${c.version}+${parent.version}`;
        const effective = v.effective > c.effective ? v.effective : c.effective;
        const r: PolicyAst = { ...revised, version, effective, effectiveSpan: v.effective > c.effective ? v.effectiveSpan : c.effectiveSpan };
        this.forkParent.set(r, parent);
        if (this.owners.get(first[0]!.file)?.depth === 0) this.parentOf.set(version, parent);
        next.push(r);
      });
      // What the fork's earlier version made of parent versions that start after the revision is replaced.
      for (let k = out.length - 1; k >= 0 && out[k]!.effective >= c.effective; k--) out.pop();
      out.push(...next);
      current = next;
      own.push({ version: c.version, effective: c.effective, until: c.until });
    }
    this.keep(bag.items);
    return bag.hasErrors ? undefined : out;
  }
}

/** The checks of a later version against the one before it (by effective date). */
function checkRevision(c: ChangeFile, before: { readonly version: string; readonly effective: string; readonly until: string | undefined }, versions: readonly string[], bag: DiagnosticBag): void {
  const base = c.base as Extract<ChangeFile['base'], { kind: 'revises' }>;
  if (versions.includes(c.version)) {
    bag.error('duplicate-version', c.versionSpan, `version '${c.version}' is written twice`, `版本 '${c.version}' 出现了两次`);
  } else if (base.version !== before.version) {
    bag.error('revision-chain', base.span, `this version revises '${base.version}', but the version before it (by effective date) is '${before.version}'`,
      `此版本修订的是 '${base.version}'，但按生效日期它之前的版本是 '${before.version}'`,
      `write 'revises: "${before.version}"', or correct the effective dates`);
  } else if (c.effective <= before.effective) {
    bag.error('revision-date', c.effectiveSpan, `version '${c.version}' takes effect on ${c.effective}, not after '${before.version}' (${before.effective})`,
      `版本 '${c.version}' 的生效日期 ${c.effective} 不晚于 '${before.version}'（${before.effective}）`);
  } else if (before.until !== undefined) {
    bag.error('until-not-last', c.base.span, `'${before.version}' has an end date (until: ${before.until}), but a later version follows it`,
      `'${before.version}' 写有失效日期（until: ${before.until}），但其后还有版本`, 'only the last version may have an end date: a later version ends the one before it');
  }
  if (c.until !== undefined && c.until < c.effective) {
    bag.error('until-before-effective', c.effectiveSpan, `version '${c.version}' ends (${c.until}) before it takes effect (${c.effective})`,
      `版本 '${c.version}' 的失效日期（${c.until}）早于生效日期（${c.effective}）`);
  }
  if (c.add.recordFields.length > 0 || c.add.subjectFields.length > 0) {
    bag.error('version-adds-fields', (c.add.recordFields[0] ?? c.add.subjectFields[0]!).span, 'a later version cannot add record or subject fields: every version reads the same files',
      '后续版本不能增加记录或人员字段：各版本读取的是同一批文件', 'declare the field in the first version (optional), and use it from the version that needs it');
  }
}
