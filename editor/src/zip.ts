// A store-only zip writer, for saving a policy folder's files from the editor in one download.
// Policy files are small text, so no compression: each file is a local header and its bytes,
// then the central directory and its end record (PKWARE APPNOTE 4.3). Names are UTF-8 (flag
// bit 11), so 中文 names unzip as written. No Node API: it runs in the page.

/** A file to put in the archive: its `/`-separated path and its bytes. */
export interface ZipEntry {
  readonly path: string;
  readonly bytes: Uint8Array;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** The CRC-32 (IEEE 802.3, the zip and gzip one) of some bytes. */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A date as MS-DOS time and date words (local time, 2-second steps, years from 1980). */
function dosDateTime(d: Date): { time: number; date: number } {
  const year = Math.min(Math.max(d.getFullYear(), 1980), 2107);
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1),
    date: ((year - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

/**
 * The bytes of a zip archive holding `entries`, stored (method 0). No ZIP64: a policy folder
 * is far below 4 GiB and 65 535 files; more throws rather than writing a broken archive.
 */
export function zip(entries: readonly ZipEntry[], when: Date = new Date()): Uint8Array {
  if (entries.length > 0xffff) throw new Error('zip: too many files / 文件过多');
  const encoder = new TextEncoder();
  const { time, date } = dosDateTime(when);
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = encoder.encode(e.path);
    const crc = crc32(e.bytes);
    const size = e.bytes.length;
    if (offset + 30 + name.length + size > 0xffffffff) throw new Error('zip: archive too large / 压缩包过大');
    const local = new Uint8Array(30 + name.length);
    const l = new DataView(local.buffer);
    l.setUint32(0, 0x04034b50, true); // local file header signature
    l.setUint16(4, 20, true); // version needed: 2.0
    l.setUint16(6, 0x0800, true); // flags: UTF-8 names
    l.setUint16(8, 0, true); // method: stored
    l.setUint16(10, time, true);
    l.setUint16(12, date, true);
    l.setUint32(14, crc, true);
    l.setUint32(18, size, true); // compressed size
    l.setUint32(22, size, true); // uncompressed size
    l.setUint16(26, name.length, true);
    l.setUint16(28, 0, true); // extra field length
    local.set(name, 30);
    const central = new Uint8Array(46 + name.length);
    const c = new DataView(central.buffer);
    c.setUint32(0, 0x02014b50, true); // central directory header signature
    // Version made by: 2.0 on Unix. Made on MS-DOS, Info-ZIP's unzip reads the names as an OEM
    // code page whatever the UTF-8 flag says; on Unix it takes the bytes as they are.
    c.setUint16(4, (3 << 8) | 20, true);
    c.setUint16(6, 20, true);
    c.setUint16(8, 0x0800, true);
    c.setUint16(10, 0, true);
    c.setUint16(12, time, true);
    c.setUint16(14, date, true);
    c.setUint32(16, crc, true);
    c.setUint32(20, size, true);
    c.setUint32(24, size, true);
    c.setUint16(28, name.length, true);
    // extra, comment, disk number, internal attributes: 0
    c.setUint32(38, 0o100644 << 16 >>> 0, true); // external attributes: a regular file, rw-r--r--
    c.setUint32(42, offset, true); // where the local header is
    central.set(name, 46);
    locals.push(local, e.bytes);
    centrals.push(central);
    offset += local.length + size;
  }
  const directorySize = centrals.reduce((n, c) => n + c.length, 0);
  const end = new Uint8Array(22);
  const d = new DataView(end.buffer);
  d.setUint32(0, 0x06054b50, true); // end of central directory signature
  d.setUint16(8, entries.length, true); // entries on this disk
  d.setUint16(10, entries.length, true); // entries in all
  d.setUint32(12, directorySize, true);
  d.setUint32(16, offset, true); // where the central directory starts
  const out = new Uint8Array(offset + directorySize + end.length);
  let at = 0;
  for (const part of [...locals, ...centrals, end]) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * A zip of `files` (path → text), with the paths made relative to the folder holding `folder`
 * (so `policies/lincang/versions/2019.1.yaml` is `lincang/versions/2019.1.yaml` and a fork's
 * `extends: ../lincang` still finds its parent when the zip is unpacked).
 */
export function zipFiles(files: Readonly<Record<string, string>>, folder: string): Uint8Array {
  const cut = folder.includes('/') ? folder.slice(0, folder.lastIndexOf('/') + 1) : '';
  const paths = Object.keys(files).sort();
  return zip(paths.map((p) => ({ path: p.startsWith(cut) ? p.slice(cut.length) : p, bytes: new TextEncoder().encode(files[p]!) })));
}
