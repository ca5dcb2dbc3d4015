// Which policy files have edits not yet saved (the tabs' dot, the beforeunload question). No DOM:
// tested in Node.

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
