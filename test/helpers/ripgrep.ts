import { spawn, spawnSync } from 'node:child_process';

export interface RgHit {
  readonly path: string;
  /** The name's raw bytes relative to the root (base64) when rg gave bytes (not UTF-8), as search results carry them. */
  readonly pathBytes?: string;
  readonly line: number;
  /** The line without its newline; null when rg reported raw bytes (invalid UTF-8). */
  readonly text: string | null;
}

export interface RgOptions {
  readonly fixed?: boolean;
  readonly ignoreCase?: boolean;
}

/** The arguments of `rg --hidden --max-filesize 1M -g '!.git' [-F] [-i] -e pattern .`, with JSON output. */
function ripgrepArgs(pattern: string, options: RgOptions, threads?: number): string[] {
  const args = ['--json', '--no-config', '--hidden', '--max-filesize', '1M', '-g', '!.git'];
  if (threads !== undefined) {
    args.push('--threads', String(threads));
  }
  if (options.fixed === true) {
    args.push('-F');
  }
  if (options.ignoreCase === true) {
    args.push('-i');
  }
  // An explicit '.', or rg would search stdin when it is not a terminal.
  args.push('-e', pattern, '.');
  return args;
}

/** The hit of one line of rg's JSON output, or null for events other than a match. */
function parseEvent(line: string): RgHit | null {
  if (line === '') {
    return null;
  }
  const event = JSON.parse(line) as { type: string; data: { path: RgData; line_number: number; lines: { text?: string } } };
  if (event.type !== 'match') {
    return null;
  }
  const text = event.data.lines.text;
  const path = event.data.path;
  const raw = 'bytes' in path ? Buffer.from(path.bytes, 'base64') : null;
  const bytes = raw === null ? {} : { pathBytes: (raw.subarray(0, 2).toString() === './' ? raw.subarray(2) : raw).toString('base64') };
  return { path: lossy(path).replace(/^\.\//, ''), ...bytes, line: event.data.line_number, text: text === undefined ? null : text.replace(/\n$/, '') };
}

/** rg's JSON gives text, or base64 `bytes` when it is not UTF-8 (a file name too). */
type RgData = { readonly text: string } | { readonly bytes: string };

/** The text, or the bytes decoded lossily (U+FFFD), as the index shows such a name. */
function lossy(data: RgData): string {
  return 'text' in data ? data.text : Buffer.from(data.bytes, 'base64').toString('utf8');
}

/** By path, raw name (as the index orders look-alike names: by their bytes) and line, then the line's text. */
export function compareHits(left: RgHit, right: RgHit): number {
  if (left.path !== right.path) {
    return left.path < right.path ? -1 : 1;
  }
  if (left.pathBytes !== right.pathBytes) {
    return Buffer.compare(Buffer.from(left.pathBytes ?? '', 'base64'), Buffer.from(right.pathBytes ?? '', 'base64'));
  }
  if (left.line !== right.line) {
    return left.line - right.line;
  }
  const leftText = left.text ?? '';
  const rightText = right.text ?? '';
  return leftText < rightText ? -1 : leftText > rightText ? 1 : 0;
}

function sortHits(hits: RgHit[]): RgHit[] {
  return hits.sort(compareHits);
}

/** Runs `rg --hidden --max-filesize 1M -g '!.git'` in `root` and returns its hits sorted by path and line. */
export function ripgrep(root: string, pattern: string, options: RgOptions = {}): RgHit[] {
  const result = spawnSync('rg', ripgrepArgs(pattern, options), { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0 && result.status !== 1) {
    throw new Error(`rg failed: ${result.stderr}`);
  }
  const hits: RgHit[] = [];
  for (const line of result.stdout.split('\n')) {
    const hit = parseEvent(line);
    if (hit !== null) {
      hits.push(hit);
    }
  }
  return sortHits(hits);
}

/**
 * The files rg would search in `root`: `rg --files --hidden -g '!.git'`, without any
 * configuration or global ignore file, sorted. `root` must hold a `.git` folder for rg to
 * apply .gitignore files.
 */
export function ripgrepFiles(root: string): string[] {
  const result = spawnSync('rg', ['--files', '--hidden', '--no-config', '--no-ignore-global', '-g', '!.git', '.'], { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0 && result.status !== 1) {
    throw new Error(`rg failed: ${result.stderr}`);
  }
  return result.stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.replace(/^\.\//, ''))
    .sort();
}

/** rg's hits, or the first line of its error when it refuses the pattern (exit code 2). */
export function ripgrepOrError(root: string, pattern: string, options: RgOptions = {}): { hits: RgHit[] } | { error: string } {
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

export interface RgQuery extends RgOptions {
  readonly pattern: string;
}

/**
 * What rg said about one query: its hits sorted by path and line (`truncated` when it found
 * more than `maxHits` and was stopped), its error when it refused the pattern, or that it ran
 * past `timeoutMs` and was killed.
 */
export type RgOutcome = { readonly hits: RgHit[]; readonly truncated: boolean; readonly seconds: number } | { readonly error: string } | { readonly timedOut: true };

export interface RgBatchOptions {
  /** rg processes running at once. */
  readonly concurrency?: number;
  /** Hits kept per query; rg is stopped once it reported more. */
  readonly maxHits?: number;
  readonly timeoutMs?: number;
  /** rg's --threads for each process (several processes already share the cores). */
  readonly threads?: number;
}

/**
 * Runs rg once per query, `concurrency` processes at a time, and resolves with their outcomes
 * in the queries' order. Output is parsed as it streams, so memory holds at most `maxHits`
 * hits per running query. The caller may run other work meanwhile if it yields to the event loop.
 */
export async function ripgrepBatch(root: string, queries: readonly RgQuery[], options: RgBatchOptions = {}): Promise<RgOutcome[]> {
  const outcomes: RgOutcome[] = new Array<RgOutcome>(queries.length);
  await ripgrepEach(
    root,
    queries,
    (index, outcome) => {
      outcomes[index] = outcome;
    },
    options,
  );
  return outcomes;
}

/**
 * ripgrepBatch that keeps nothing: each outcome goes to `onOutcome` (with its index in
 * `queries`) as it arrives, so memory holds only the running queries' hits.
 */
export function ripgrepEach(root: string, queries: readonly RgQuery[], onOutcome: (index: number, outcome: RgOutcome) => void, options: RgBatchOptions = {}): Promise<void> {
  const concurrency = options.concurrency ?? 4;
  const maxHits = options.maxHits ?? Number.POSITIVE_INFINITY;
  let next = 0;
  return new Promise((resolve, reject) => {
    let running = 0;
    const launch = (): void => {
      if (next >= queries.length && running === 0) {
        resolve();
        return;
      }
      while (running < concurrency && next < queries.length) {
        const index = next;
        next += 1;
        running += 1;
        runOne(root, queries[index] as RgQuery, maxHits, options)
          .then((outcome) => {
            onOutcome(index, outcome);
            running -= 1;
            launch();
          })
          .catch(reject);
      }
    };
    launch();
  });
}

function runOne(root: string, query: RgQuery, maxHits: number, options: RgBatchOptions): Promise<RgOutcome> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('rg', ripgrepArgs(query.pattern, query, options.threads), { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const hits: RgHit[] = [];
    let pending = '';
    let stderr = '';
    let truncated = false;
    let timedOut = false;
    const timer =
      options.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            child.kill('SIGKILL');
          }, options.timeoutMs);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      if (truncated) {
        return;
      }
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() as string;
      for (const line of lines) {
        const hit = parseEvent(line);
        if (hit !== null) {
          if (hits.length >= maxHits) {
            truncated = true;
            child.kill('SIGKILL');
            return;
          }
          hits.push(hit);
        }
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk.slice(0, 4096);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const seconds = (performance.now() - started) / 1000;
      if (timedOut) {
        resolve({ timedOut: true });
      } else if (truncated) {
        resolve({ hits: sortHits(hits), truncated: true, seconds });
      } else if (code === 0 || code === 1) {
        const last = parseEvent(pending);
        if (last !== null) {
          hits.push(last);
        }
        resolve({ hits: sortHits(hits), truncated: false, seconds });
      } else {
        resolve({ error: stderr.trim() });
      }
    });
  });
}
