import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Writes a repository of the given files (relative paths) and returns its root. */
export function makeRepo(files: Record<string, string | Buffer>, root = mkdtempSync(join(tmpdir(), 'gitbot-repo-'))): string {
  for (const [relative, content] of Object.entries(files)) {
    const file = join(root, relative);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  return root;
}
