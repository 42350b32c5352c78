import { spawnSync } from 'node:child_process';

export interface RgHit {
  readonly path: string;
  readonly line: number;
  /** The line without its newline; null when rg reported raw bytes (invalid UTF-8). */
  readonly text: string | null;
}

/** Runs `rg --hidden --max-filesize 1M -g '!.git'` in `root` and returns its hits sorted by path and line. */
export function ripgrep(root: string, pattern: string, options: { fixed?: boolean; ignoreCase?: boolean } = {}): RgHit[] {
  const args = ['--json', '--no-config', '--hidden', '--max-filesize', '1M', '-g', '!.git'];
  if (options.fixed === true) {
    args.push('-F');
  }
  if (options.ignoreCase === true) {
    args.push('-i');
  }
  // An explicit '.', or rg would search stdin when it is not a terminal.
  args.push('-e', pattern, '.');
  const result = spawnSync('rg', args, { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0 && result.status !== 1) {
    throw new Error(`rg failed: ${result.stderr}`);
  }
  const hits: RgHit[] = [];
  for (const line of result.stdout.split('\n')) {
    if (line === '') {
      continue;
    }
    const event = JSON.parse(line) as { type: string; data: { path: { text: string }; line_number: number; lines: { text?: string } } };
    if (event.type !== 'match') {
      continue;
    }
    const text = event.data.lines.text;
    hits.push({ path: event.data.path.text.replace(/^\.\//, ''), line: event.data.line_number, text: text === undefined ? null : text.replace(/\n$/, '') });
  }
  return hits.sort((left, right) => (left.path < right.path ? -1 : left.path > right.path ? 1 : left.line - right.line));
}

/** rg's hits, or the first line of its error when it refuses the pattern (exit code 2). */
export function ripgrepOrError(root: string, pattern: string, options: { fixed?: boolean; ignoreCase?: boolean } = {}): { hits: RgHit[] } | { error: string } {
  try {
    return { hits: ripgrep(root, pattern, options) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (message.startsWith('rg failed: ')) {
      return { error: message.slice('rg failed: '.length).trim() };
    }
    throw error;
  }
}
