// Saving the edited files: a download of the file being edited, byte for byte as the text in
// Monaco (so YAML comments and layout are kept), or a zip of every file of the policy. The page
// cannot write to the officer's disk itself (a folder upload gives no handle back), so a
// download is the one way that works in every browser and from file://.

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
