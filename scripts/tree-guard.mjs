#!/usr/bin/env node
// `npm test` starts with `tree-guard.mjs start` and ends with `tree-guard.mjs check`: the
// working tree must be as the tests found it (no test writes into the tracked tree or leaves
// a file behind). The snapshot lives in the OS temp folder, outside the tree.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const git = (...args) => execFileSync('git', args, { cwd: root, maxBuffer: 256 * 1024 * 1024 });
const snapshotFile = join(tmpdir(), `gitbot-tree-${createHash('sha256').update(root).digest('hex').slice(0, 16)}.txt`);

/** What git sees: every changed or untracked path, and a hash of the changes and of the untracked files' bytes. */
function treeState() {
  const status = git('status', '--porcelain=v1', '--untracked-files=all').toString();
  const hash = createHash('sha256').update(git('diff', 'HEAD', '--binary'));
  for (const line of status.split('\n')) {
    if (line.startsWith('?? ')) hash.update(line).update(readFileSync(join(root, line.slice(3).replace(/^"|"$/g, ''))));
  }
  return `${status}\n${hash.digest('hex')}\n`;
}

if (!existsSync(join(root, '.git'))) {
  console.log('tree-guard: not a git checkout; nothing to compare');
  process.exit(0);
}
const command = process.argv[2];
if (command === 'start') {
  writeFileSync(snapshotFile, treeState());
} else if (command === 'check') {
  const before = existsSync(snapshotFile) ? readFileSync(snapshotFile, 'utf8') : null;
  const after = treeState();
  if (before !== null && before !== after) {
    console.error(`tree-guard: the tests changed the working tree.\nbefore:\n${before}\nafter:\n${after}`);
    process.exit(1);
  }
  console.log('tree-guard: the working tree is as the tests found it');
} else {
  console.error('usage: tree-guard.mjs start|check');
  process.exit(2);
}
