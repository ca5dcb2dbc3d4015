// Saving the edited files: a download of the file being edited, byte for byte as the text in
// Monaco (so YAML comments and layout are kept), or a zip of every file of the policy. The page
// cannot write to the officer's disk itself (a folder upload gives no handle back), so a
// download is the one way that works in every browser and from file://.

import { zip } from './zip.ts';

const encoder = new TextEncoder();

/** Offers `bytes` as a download named `name` (a blob URL, revoked once the click has started it). */
export function download(name: string, bytes: Uint8Array | string, type = 'application/octet-stream'): void {
  const blob = new Blob([typeof bytes === 'string' ? bytes : bytes.slice().buffer], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** The last path part of a file (`policies/lincang/versions/2019.1.yaml` → `2019.1.yaml`). */
export function baseName(path: string): string {
  return path.split('/').pop() ?? path;
}

/**
 * A zip of `files` (path → text), with the paths made relative to the folder holding `folder`
 * (so `policies/lincang/versions/2019.1.yaml` is `lincang/versions/2019.1.yaml` and a fork's
 * `extends: ../lincang` still finds its parent when the zip is unpacked).
 */
export function zipFiles(files: Readonly<Record<string, string>>, folder: string): Uint8Array {
  const cut = folder.includes('/') ? folder.slice(0, folder.lastIndexOf('/') + 1) : '';
  const paths = Object.keys(files).sort();
  return zip(paths.map((p) => ({ path: p.startsWith(cut) ? p.slice(cut.length) : p, bytes: encoder.encode(files[p]!) })));
}

/**
 * Which files have unsaved edits: each file's text when it was loaded or last saved, against
 * its text now.
 */
export class SavedTexts {
  private readonly saved = new Map<string, string>();

  constructor(private readonly loaded: Readonly<Record<string, string>>) {}

  /** The file's text as last saved (or loaded). */
  savedText(path: string): string | undefined {
    return this.saved.get(path) ?? this.loaded[path];
  }

  markSaved(path: string, text: string): void {
    this.saved.set(path, text);
  }

  isDirty(path: string, now: string | undefined): boolean {
    return now !== undefined && now !== this.savedText(path);
  }
}
