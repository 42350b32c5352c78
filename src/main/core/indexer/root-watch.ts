import { statSync } from 'node:fs';

/**
 * Watches that the folder being indexed is still the one the run started on. Renamed or
 * deleted mid-run, every file under it would read as missing, and committing that would turn
 * the last good index into a list of unreadable files (10,279 files once became 113), so the
 * run checks before each commit and fails instead.
 */
export class RootWatch {
  private readonly identity: string;

  constructor(private readonly root: string) {
    this.identity = RootWatch.identityOf(root) ?? '';
  }

  /** Throws when the root is gone or is now another folder (same path, other inode). */
  assertPresent(): void {
    if (RootWatch.identityOf(this.root) !== this.identity) {
      throw new Error(`The repository folder ${this.root} disappeared during indexing (renamed or deleted); the index keeps its last complete state`);
    }
  }

  private static identityOf(path: string): string | null {
    try {
      const stats = statSync(path);
      return stats.isDirectory() ? `${stats.dev}:${stats.ino}` : null;
    } catch {
      return null;
    }
  }
}
