// Opening a policy folder from the officer's machine: the File System Access API where the
// browser has it (showDirectoryPicker), else a folder upload (<input webkitdirectory>), or a zip
// of the folder (read by unzip.ts: stored or deflated). Only
// the YAML files are read; paths are kept relative to the folder chosen, so a fork's
// `extends: ../lincang` finds its parent when the folder holding both is opened.

import { h } from './dom.ts';
import { t } from './i18n.ts';
import { unzip, ZipError } from './unzip.ts';

type Opened = (files: Record<string, string>, name: string) => void;
/** A folder or zip that could not be read: the reason in Chinese and English. */
type Failed = (zh: string, en: string) => void;

/** Files larger than this are not policy files (the CLI refuses them too). */
const MAX_POLICY_BYTES = 4 << 20;

const isPolicyFile = (path: string) => /\.ya?ml$/i.test(path) && !/(^|\/)(tests|node_modules|\.git)\//.test(path);

interface DirectoryHandle {
  readonly kind: 'directory';
  readonly name: string;
  entries(): AsyncIterable<[string, DirectoryHandle | FileHandle]>;
}
interface FileHandle {
  readonly kind: 'file';
  getFile(): Promise<File>;
}

async function readDirectory(dir: DirectoryHandle, prefix: string, out: Record<string, string>, depth: number): Promise<void> {
  if (depth > 6) return;
  for await (const [name, handle] of dir.entries()) {
    const path = prefix === '' ? name : `${prefix}/${name}`;
    if (handle.kind === 'directory') {
      if (name !== 'node_modules' && !name.startsWith('.')) await readDirectory(handle, path, out, depth + 1);
    } else if (isPolicyFile(path)) {
      const file = await handle.getFile();
      if (file.size <= MAX_POLICY_BYTES) out[path] = await file.text();
    }
  }
}

/**
 * The policy files of a zip, paths as in the archive (a zip of `policies/` holds
 * `lincang/policy.yaml` and `lincang-county/policy.yaml`, so the fork's `extends:` finds its parent).
 */
export async function zipPolicyFiles(bytes: Uint8Array): Promise<Record<string, string>> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const out: Record<string, string> = {};
  for (const e of await unzip(bytes)) {
    if (!isPolicyFile(e.path) || e.bytes.length > MAX_POLICY_BYTES) continue;
    try {
      out[e.path] = decoder.decode(e.bytes);
    } catch {
      throw new ZipError(`${e.path} 不是 UTF-8 文本`, `${e.path} is not UTF-8 text`);
    }
  }
  return out;
}

export function openFolderButton(opened: Opened, failed: Failed): HTMLElement {
  const input = h('input', { type: 'file', webkitdirectory: '', multiple: '', style: 'display:none', 'data-testid': 'folder-input' });
  input.addEventListener('change', async () => {
    const out: Record<string, string> = {};
    for (const f of input.files ?? []) {
      // webkitRelativePath starts with the folder's own name: drop it, as the picker does.
      const path = f.webkitRelativePath.split('/').slice(1).join('/');
      if (isPolicyFile(path) && f.size <= MAX_POLICY_BYTES) out[path] = await f.text();
    }
    opened(out, input.files?.[0]?.webkitRelativePath.split('/')[0] ?? '');
  });
  const button = t('button', { type: 'button', title: '打开策略文件夹 open a policy folder (e.g. policies/)' }, '打开文件夹…', 'open folder…');
  button.addEventListener('click', async () => {
    const picker = (window as unknown as { showDirectoryPicker?: () => Promise<DirectoryHandle> }).showDirectoryPicker;
    if (!picker) return input.click();
    let dir: DirectoryHandle;
    try {
      dir = await picker();
    } catch {
      return; // cancelled
    }
    const out: Record<string, string> = {};
    await readDirectory(dir, '', out, 0);
    opened(out, dir.name);
  });
  const zipInput = h('input', { type: 'file', accept: '.zip,application/zip', style: 'display:none', 'data-testid': 'zip-input' });
  zipInput.addEventListener('change', async () => {
    const file = zipInput.files?.[0];
    if (!file) return;
    zipInput.value = ''; // the same zip chosen again is a change too
    try {
      opened(await zipPolicyFiles(new Uint8Array(await file.arrayBuffer())), file.name.replace(/\.zip$/i, ''));
    } catch (e) {
      if (e instanceof ZipError) failed(`${file.name}：${e.zh}`, `${file.name}: ${e.en}`);
      else failed(`${file.name}：无法读取`, `${file.name}: cannot be read (${e instanceof Error ? e.message : String(e)})`);
    }
  });
  const zipButton = t('button', { type: 'button', title: '打开策略文件夹的 zip open a zip of a policy folder' }, '打开 zip…', 'open zip…');
  zipButton.addEventListener('click', () => zipInput.click());
  return h('span', {}, button, input, zipButton, zipInput);
}
