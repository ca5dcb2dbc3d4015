// A cache of loaded policies, so that a command run again on the same policy files starts at
// once: parsing the YAML and the rules, the schema check and the checks take ~70 ms of a cold
// process (the JavaScript engine compiles every function of the parser, the YAML library and the
// checks for their first use), and are the same each time the files are.
//
// An entry is kept by the build of guize, the working directory, the policy's path and the
// version chosen; it holds what loading read — every file's text, or that there was none, and
// every folder's listing — with the loaded set (pure data: objects, arrays, maps and sets; no
// function, so reading an entry cannot run code). It is used only when every one of those files
// and folders still reads the same, byte for byte; otherwise the policy is loaded from its files
// and the entry written again. The entry also holds the policy's input mappings (its mappings/
// files, read and checked against the loaded policy: dsl/mapping-file.ts), which every command
// that reads records needs, under the same rule. Anything wrong with the cache (no folder, a damaged entry, a full
// disk) only costs the time it would have saved. Only policies without errors are kept: a policy
// with errors is being edited, and its diagnostics come from the files themselves.
//
// Where: GUIZE_CACHE_DIR, else $XDG_CACHE_HOME/guize, else ~/.cache/guize (%LOCALAPPDATA%\guize
// on Windows). GUIZE_CACHE=off turns it off. At most MAX_ENTRIES entries, the least recently used
// removed first.

import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { loadMappings, loadPolicySet, type LoadedMappings, type LoadedPolicySet, type PolicyFiles, type VersionChoice } from '../dsl/index.ts';

/** Set by scripts/build.mjs: a hash of the sources the build was made from. */
declare const __GUIZE_BUILD__: string | undefined;

/** The build's identity; undefined when run from the TypeScript sources (no cache then). */
const BUILD = typeof __GUIZE_BUILD__ === 'string' ? __GUIZE_BUILD__ : undefined;

/** Entries kept; the least recently used beyond it are removed. */
export const MAX_ENTRIES = 32;
/** Largest entry written (a policy is at most a few files of 4 MiB). */
const MAX_ENTRY_BYTES = 64 << 20;
/** The layout of an entry: changed whenever Entry changes. */
const FORMAT = 2;

/** One cache entry, as written. */
interface Entry {
  readonly format: number;
  readonly build: string;
  /** Every file loading read: its path and its text (null: there was no such file). */
  readonly reads: readonly (readonly [path: string, text: string | null])[];
  /** Every folder loading listed, and what it held. */
  readonly lists: readonly (readonly [dir: string, names: readonly string[]])[];
  readonly loaded: LoadedPolicySet;
  readonly mappings: LoadedMappings;
}

/** The cache folder, or undefined when the cache is off. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.GUIZE_CACHE === 'off' || env.GUIZE_CACHE === '0') return undefined;
  if (env.GUIZE_CACHE_DIR) return env.GUIZE_CACHE_DIR;
  if (process.platform === 'win32' && env.LOCALAPPDATA) return join(env.LOCALAPPDATA, 'guize');
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'guize');
  return join(homedir(), '.cache', 'guize');
}

/** `files`, recording what is read and listed through it. */
function recording(files: PolicyFiles): { files: PolicyFiles; reads: Map<string, string | null>; lists: Map<string, readonly string[]> } {
  const reads = new Map<string, string | null>();
  const lists = new Map<string, readonly string[]>();
  return {
    reads, lists,
    files: {
      read(path) {
        const text = files.read(path);
        reads.set(path, text ?? null);
        return text;
      },
      list(dir) {
        const names = files.list(dir);
        lists.set(dir, [...names]);
        return names;
      },
    },
  };
}

const sameNames = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((n, i) => n === b[i]);

/** The entry at `file` if it was made by build `build` and its files still read the same. */
function validEntry(file: string, files: PolicyFiles, build: string): Entry | undefined {
  let entry: Entry;
  try {
    // Bounded as it is written: a larger file is no entry of ours.
    if (statSync(file).size > MAX_ENTRY_BYTES) return undefined;
    entry = deserialize(readFileSync(file)) as Entry;
  } catch {
    return undefined;
  }
  if (entry === null || typeof entry !== 'object' || entry.format !== FORMAT || entry.build !== build) return undefined;
  try {
    for (const [path, text] of entry.reads) if ((files.read(path) ?? null) !== text) return undefined;
    for (const [dir, names] of entry.lists) if (!sameNames(files.list(dir), names)) return undefined;
  } catch {
    // A file that now cannot be read: loading it again says why.
    return undefined;
  }
  return entry;
}

/** A `.part` file this old was left by a process that stopped while writing it. */
const STALE_PART_MS = 60 * 60 * 1000;

/** Removes the least recently used entries beyond MAX_ENTRIES, and parts left unfinished. */
function prune(dir: string): void {
  const entries: { path: string; used: number }[] = [];
  const now = Date.now();
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    try {
      if (name.endsWith('.part')) {
        if (now - statSync(path).mtimeMs > STALE_PART_MS) unlinkSync(path);
      } else if (name.endsWith('.v8')) {
        entries.push({ path, used: statSync(path).mtimeMs });
      }
    } catch {
      // Removed by another process meanwhile.
    }
  }
  entries.sort((a, b) => b.used - a.used);
  for (const e of entries.slice(MAX_ENTRIES)) {
    try {
      unlinkSync(e.path);
    } catch {
      // Already gone.
    }
  }
}

/** A loaded policy set and, when it loaded without errors, its input mappings. */
export interface CachedPolicy {
  readonly loaded: LoadedPolicySet;
  readonly mappings: LoadedMappings | undefined;
}

/**
 * `loadPolicySet(files, path, choice)` and its mappings, from the cache when its entry still
 * holds (see the top of this file). `files` are the disk's: the cache is for policies read from files.
 */
export function loadPolicyCached(files: PolicyFiles, path: string, choice: VersionChoice, env: NodeJS.ProcessEnv = process.env): CachedPolicy {
  const dir = BUILD === undefined ? undefined : cacheDir(env);
  if (dir === undefined) return { loaded: loadPolicySet(files, path, choice), mappings: undefined };
  return cachedLoad(files, path, choice, dir, BUILD!);
}

/** {@link loadPolicyCached} without the mappings. */
export function loadPolicySetCached(files: PolicyFiles, path: string, choice: VersionChoice, env: NodeJS.ProcessEnv = process.env): LoadedPolicySet {
  return loadPolicyCached(files, path, choice, env).loaded;
}

/**
 * The policy at `path` from the cache in `dir` under build `build` (`hit`), or loaded from
 * `files` and kept there for the next time; with its mappings when it has no errors.
 */
export function cachedLoad(files: PolicyFiles, path: string, choice: VersionChoice, dir: string, build: string): CachedPolicy & { readonly hit: boolean } {
  const key = createHash('sha256').update(JSON.stringify([build, process.cwd(), path, choice.version ?? null, choice.asOf ?? null])).digest('hex').slice(0, 40);
  const file = join(dir, `${key}.v8`);
  const hit = validEntry(file, files, build);
  if (hit) {
    try {
      // Most recently used: kept longest.
      const now = new Date();
      utimesSync(file, now, now);
    } catch {
      // A read-only cache still serves.
    }
    return { loaded: hit.loaded, mappings: hit.mappings, hit: true };
  }
  const r = recording(files);
  const loaded = loadPolicySet(r.files, path, choice);
  if (!loaded.result.ok) return { loaded, mappings: undefined, hit: false };
  // Read through the same recording: the entry holds while the mapping files are the same too.
  const mappings = loadMappings(r.files, path, loaded.result.value.checked.ast);
  try {
    const entry: Entry = { format: FORMAT, build, reads: [...r.reads], lists: [...r.lists], loaded, mappings };
    const bytes = serialize(entry);
    if (bytes.length <= MAX_ENTRY_BYTES) {
      mkdirSync(dir, { recursive: true });
      // Written aside and renamed: a process reading the entry meanwhile sees the old one or this one whole.
      const part = `${file}.${process.pid}.part`;
      writeFileSync(part, bytes);
      renameSync(part, file);
      prune(dir);
    }
  } catch {
    // No cache folder, a full disk: the next run loads from the files again.
  }
  return { loaded, mappings, hit: false };
}
