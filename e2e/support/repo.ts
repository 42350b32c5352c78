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

/**
 * A repository large enough (2,000 files of 200 KB) that indexing is still running while a test
 * looks at it; `prefix` names its folder (a long one tests layouts).
 */
export function largeRepository(prefix = 'gitbot-repo-'): string {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const line = 'const filler = "Lorem ipsum dolor sit amet, consectetur adipiscing elit";\n';
  const body = line.repeat(Math.ceil((200 * 1024) / line.length));
  const files: Record<string, string> = {};
  for (let folder = 0; folder < 40; folder += 1) {
    for (let index = 0; index < 50; index += 1) {
      files[`pkg-${folder}/file-${index}.ts`] = body;
    }
  }
  return makeRepo(files, root);
}
