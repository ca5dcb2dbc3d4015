// The policy files being edited: their texts as loaded (the comparison's "before") and a Monaco
// model per file opened, whose text is the file as edited. Paths are `/`-separated, relative to
// the folder opened (the repository's `policies/…` for the bundled ones).

import type * as Monaco from 'monaco-editor/editor/editor.api.js';

export class Workspace {
  private readonly models = new Map<string, Monaco.editor.ITextModel>();

  constructor(private readonly loaded: Readonly<Record<string, string>>) {}

  /** Every file's text as loaded. */
  originals(): Readonly<Record<string, string>> {
    return this.loaded;
  }

  /** Every file's text as edited now. */
  texts(): Record<string, string> {
    const out: Record<string, string> = { ...this.loaded };
    for (const [path, m] of this.models) out[path] = m.getValue();
    return out;
  }

  paths(): string[] {
    return Object.keys(this.loaded).sort();
  }

  /** A policy folder's own files: `policy.yaml`, then its versions in name order. */
  filesOf(folder: string): string[] {
    const main = this.paths().filter((p) => p === `${folder}/policy.yaml` || p === `${folder}/policy.yml`);
    const versions = this.paths().filter((p) => p.startsWith(`${folder}/versions/`) && /\.ya?ml$/i.test(p));
    return [...main, ...versions];
  }

  /** The model of a file, made on first use. */
  model(monaco: typeof Monaco, path: string, language: string): Monaco.editor.ITextModel {
    let m = this.models.get(path);
    if (!m) {
      const uri = monaco.Uri.file(`/${path}`);
      monaco.editor.getModel(uri)?.dispose();
      m = monaco.editor.createModel(this.loaded[path] ?? '', language, uri);
      this.models.set(path, m);
    }
    return m;
  }

  /** The model of a file if it has been opened. */
  openModel(path: string): Monaco.editor.ITextModel | undefined {
    return this.models.get(path);
  }

  /** The path of a model of this workspace. */
  pathOf(model: Monaco.editor.ITextModel): string | undefined {
    for (const [p, m] of this.models) if (m === model) return p;
    return undefined;
  }

  dispose(): void {
    for (const m of this.models.values()) m.dispose();
    this.models.clear();
  }
}

/** The policy folders of a workspace: those holding a `policy.yaml`. */
export function policyFolders(w: Workspace): string[] {
  return w.paths().filter((p) => /(^|\/)policy\.ya?ml$/i.test(p)).map((p) => p.replace(/\/?policy\.ya?ml$/i, '') || '.');
}
