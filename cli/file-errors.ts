// What went wrong with a file, in words: Node's errors read `ENOENT: no such file or directory,
// stat 'nope'`, which is the system call talking, not guize. Every command that opens, reads or
// writes a file says it with these, in Chinese and English, naming the path as it was given.

import { dirname } from 'node:path';
import { RunawayLine } from '../engine/index.ts';
import { InputFailure } from './io.ts';

/** What a command was doing with the file, for the words of a problem that is not the file's own. */
export type FileUse = 'read' | 'write';

/** The file-system error codes said in words; anything else is said with its code. */
const WORDS: Readonly<Record<string, (path: string, use: FileUse) => string>> = {
  // Writing, the file itself need not exist: its folder is what is missing.
  ENOENT: (p, use) => (use === 'read' ? `找不到文件 / no such file: ${p}` : `找不到文件夹 / no such folder: ${dirname(p)} (for ${p})`),
  EISDIR: (p) => `是一个文件夹 / is a directory: ${p}`,
  ENOTDIR: (p) => `路径中有一段不是文件夹 / a part of the path is not a directory: ${p}`,
  EACCES: (p) => `没有权限 / permission denied: ${p}`,
  EPERM: (p) => `没有权限 / permission denied: ${p}`,
  EROFS: (p) => `文件系统只读 / read-only file system: ${p}`,
  ENOSPC: (p) => `磁盘已满 / no space left on the device: ${p}`,
  EDQUOT: (p) => `超出磁盘配额 / disk quota exceeded: ${p}`,
  ELOOP: (p) => `符号链接成环 / too many levels of symbolic links: ${p}`,
  ENAMETOOLONG: (p) => `文件名过长 / file name too long: ${(p.length > 80 ? `${p.slice(0, 48)}…` : p)}`,
  EMFILE: (p) => `打开的文件过多 / too many open files: ${p}`,
  ENFILE: (p) => `打开的文件过多 / too many open files: ${p}`,
  EIO: (p) => `读写出错 / input/output error: ${p}`,
  EBUSY: (p) => `文件正忙 / the file is busy: ${p}`,
};

/** The error code of a file-system error (`ENOENT`), or undefined for anything else. */
export function fileErrorCode(e: unknown): string | undefined {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) ? code : undefined;
}

/** A file-system error in words, naming `path`; undefined when `e` is not one (a bug, to pass on). */
export function fileProblem(e: unknown, path: string, use: FileUse = 'read'): string | undefined {
  const code = fileErrorCode(e);
  return code === undefined ? undefined : errnoWords(code, path, use);
}

/** The words of the file-system error `errno` (`ENOENT`) on `path`. */
export function errnoWords(errno: string, path: string, use: FileUse = 'read'): string {
  const words = WORDS[errno];
  if (words) return words(path, use);
  return use === 'read' ? `无法读取 / cannot read ${path} (${errno})` : `无法写入 / cannot write ${path} (${errno})`;
}

/** {@link fileProblem} as the InputFailure a command stops with; anything else passed on unchanged. */
export function asFileFailure(e: unknown, path: string, use: FileUse = 'read'): unknown {
  if (e instanceof InputFailure) return e;
  // A reader found no end to a line: the file is refused, named.
  if (e instanceof RunawayLine) return new InputFailure(`${path} ${e.message}`);
  const problem = fileProblem(e, path, use);
  return problem === undefined ? e : new InputFailure(problem);
}
