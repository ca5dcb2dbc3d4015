// A zip reader, for opening a policy folder uploaded as a zip: stored (method 0) and deflated
// (method 8) entries, the deflate done by the platform's DecompressionStream('deflate-raw')
// (Chromium, Node ≥ 18), the CRC-32 checked. The central directory is the truth (PKWARE APPNOTE
// 4.3.6): it is found from the end record, and each entry's data from its local header. No ZIP64,
// no encryption, no multi-disk archives: each is refused with a bilingual reason, never guessed.
// No Node API: it runs in the page.

import { crc32, type ZipEntry } from './zip.ts';

/** A zip that cannot be read, with the reason in Chinese and English. */
export class ZipError extends Error {
  constructor(readonly zh: string, readonly en: string) {
    super(`${zh} / ${en}`);
  }
}

/** Larger than this, uncompressed, is no policy folder (and a zip bomb stops here). */
const MAX_TOTAL = 64 << 20;

async function inflate(data: Uint8Array, expected: number): Promise<Uint8Array> {
  const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  const reader = stream.getReader();
  const out = new Uint8Array(expected);
  let at = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (at + value.length > expected) {
      await reader.cancel();
      throw new ZipError('解压后的大小与目录不符', 'an entry inflates to more than its recorded size');
    }
    out.set(value, at);
    at += value.length;
  }
  if (at !== expected) throw new ZipError('解压后的大小与目录不符', 'an entry inflates to less than its recorded size');
  return out;
}

/**
 * The files of a zip archive (folders, which are names ending in `/`, left out), in the central
 * directory's order, each checked against its CRC-32. Throws a ZipError for what it cannot read.
 */
export async function unzip(bytes: Uint8Array): Promise<ZipEntry[]> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end record is the last 22 bytes, or before a comment of up to 65 535 bytes.
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new ZipError('不是 zip 文件（找不到目录结尾）', 'not a zip file (no end of central directory)');
  if (view.getUint16(end + 4, true) !== 0 || view.getUint16(end + 6, true) !== 0) throw new ZipError('不支持分卷 zip', 'multi-disk zip files are not supported');
  const count = view.getUint16(end + 10, true);
  const dirSize = view.getUint32(end + 12, true);
  const dirStart = view.getUint32(end + 16, true);
  if (count === 0xffff || dirStart === 0xffffffff) throw new ZipError('不支持 ZIP64', 'ZIP64 archives are not supported');
  if (dirStart + dirSize > end) throw new ZipError('zip 目录越界', 'the central directory lies outside the file');
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const out: ZipEntry[] = [];
  let total = 0;
  let at = dirStart;
  for (let n = 0; n < count; n++) {
    if (at + 46 > end || view.getUint32(at, true) !== 0x02014b50) throw new ZipError('zip 目录损坏', 'the central directory is damaged');
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    const crc = view.getUint32(at + 16, true);
    const compressed = view.getUint32(at + 20, true);
    const size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    const nameBytes = bytes.subarray(at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;
    let path: string;
    try {
      // Bit 11 says UTF-8; without it the name is an OEM code page, which for the ASCII names of
      // a policy folder is the same bytes. A name that is not UTF-8 either is refused.
      path = decoder.decode(nameBytes);
    } catch {
      throw new ZipError('文件名不是 UTF-8', 'a file name is not UTF-8');
    }
    if (path.endsWith('/')) continue;
    if (flags & 1) throw new ZipError(`${path}：不支持加密的 zip`, `${path}: encrypted entries are not supported`);
    if (method !== 0 && method !== 8) throw new ZipError(`${path}：不支持的压缩方法 ${method}`, `${path}: compression method ${method} is not supported (stored or deflated only)`);
    total += size;
    if (total > MAX_TOTAL) throw new ZipError('zip 解压后超过 64 MiB', 'the zip holds more than 64 MiB');
    if (local + 30 > bytes.length || view.getUint32(local, true) !== 0x04034b50) throw new ZipError(`${path}：本地文件头损坏`, `${path}: its local header is damaged`);
    const dataStart = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    if (dataStart + compressed > bytes.length) throw new ZipError(`${path}：数据不完整`, `${path}: its data is cut short`);
    const data = bytes.subarray(dataStart, dataStart + compressed);
    let content: Uint8Array;
    if (method === 0) {
      if (compressed !== size) throw new ZipError(`${path}：大小不符`, `${path}: stored with two different sizes`);
      content = data.slice();
    } else {
      content = await inflate(data, size);
    }
    if (crc32(content) !== crc) throw new ZipError(`${path}：CRC 校验失败`, `${path}: CRC-32 mismatch (the archive is damaged)`);
    out.push({ path, bytes: content });
  }
  return out;
}
