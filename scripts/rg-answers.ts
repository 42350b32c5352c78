/**
 * rg's answers to one corpus's queries for bench-agreement.ts: from the cache folder (one JSON
 * file per query, keyed by rg's version, the corpus's files and the query) or from rg, run in
 * the background two processes at a time. They are handed over one query at a time and never
 * all held: an answer that arrives before the bench asks for it is only on disk (each is cached
 * as it arrives, so an interrupted run keeps what rg already did), one the bench waits for goes
 * to it directly. Memory holds the running queries' hits and the answer being compared.
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GeneratedQuery } from '../test/helpers/differential-queries';
import { ripgrepEach, type RgOutcome } from '../test/helpers/ripgrep';

export interface RgAnswerSettings {
  readonly cache: string;
  /** Hits kept per query: rg is stopped past them. */
  readonly maxLines: number;
  readonly budgetMs: number;
}

/**
 * A timeout's record. It says how loaded the machine was and what the budget was, not what rg
 * answers, so a later run asks rg again.
 */
const TIMED_OUT = JSON.stringify({ timedOut: true } satisfies RgOutcome);

export class RgAnswers {
  /** How many queries rg runs: those without a cached answer. */
  readonly toRun: number;
  /** Settles when rg has answered every query it runs. */
  readonly done: Promise<void>;
  private readonly files: readonly string[];
  private readonly running = new Set<number>();
  private readonly waiting = new Map<number, { resolve: (outcome: RgOutcome) => void; reject: (error: unknown) => void }>();
  private failure: { readonly error: unknown } | null = null;

  constructor(root: string, stamp: string, queries: readonly GeneratedQuery[], settings: RgAnswerSettings) {
    mkdirSync(settings.cache, { recursive: true });
    const version = spawnSync('rg', ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0] ?? '';
    this.files = queries.map((query) =>
      join(
        settings.cache,
        `${createHash('sha1')
          .update(JSON.stringify([version, root, stamp, settings.maxLines, query]))
          .digest('hex')}.json`,
      ),
    );
    const missing = queries.flatMap((_query, index) => (isAnswered(this.files[index] as string) ? [] : [index]));
    for (const index of missing) {
      this.running.add(index);
    }
    this.toRun = missing.length;
    this.done = ripgrepEach(
      root,
      missing.map((index) => {
        const query = queries[index] as GeneratedQuery;
        return { pattern: query.query, fixed: query.mode === 'literal', ignoreCase: query.ignoreCase };
      }),
      (position, outcome) => this.arrived(missing[position] as number, outcome),
      { concurrency: 2, maxHits: settings.maxLines, timeoutMs: settings.budgetMs },
    );
    // One handler, not one per answer: a handler on `done` would keep its answer alive until rg ends.
    this.done.catch((error: unknown) => {
      this.failure = { error };
      for (const { reject } of this.waiting.values()) {
        reject(error);
      }
      this.waiting.clear();
    });
  }

  /** rg's answer to the query at `index`: read from the cache, or awaited while rg runs it. */
  answer(index: number): Promise<RgOutcome> {
    if (!this.running.has(index)) {
      return Promise.resolve(JSON.parse(readFileSync(this.files[index] as string, 'utf8')) as RgOutcome);
    }
    if (this.failure !== null) {
      return Promise.reject(this.failure.error as Error);
    }
    return new Promise((resolve, reject) => {
      this.waiting.set(index, { resolve, reject });
    });
  }

  private arrived(index: number, outcome: RgOutcome): void {
    writeFileSync(this.files[index] as string, JSON.stringify(outcome));
    this.running.delete(index);
    this.waiting.get(index)?.resolve(outcome);
    this.waiting.delete(index);
  }
}

function isAnswered(file: string): boolean {
  return existsSync(file) && !(statSync(file).size === TIMED_OUT.length && readFileSync(file, 'utf8') === TIMED_OUT);
}
