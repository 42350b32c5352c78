/**
 * A prefilter for patterns the linear engine matches: the fixed runs of characters and
 * classes a match must contain (`De+[^a-z ]ai` holds `De` and `[^a-z ]ai`), written for V8 as
 * plain sequences of classes. Such a regex has no repetition, so V8 runs it in time linear in
 * the text, and far faster than the linear engine steps through a line: the matcher scans
 * the text with the best run and gives the engine only the lines it hits (as ripgrep's
 * literal prefilter does, with classes too).
 *
 * Each run matches a superset of what its part of the pattern matches on a line: an
 * assertion is dropped, a class keeps its exact ASCII part (case-closed for ignore-case) and
 * takes every non-ASCII character it could match as "any non-ASCII character", so V8's own
 * case folding and Unicode tables never decide anything. A line without a run cannot match.
 */
import { asciiCaseClosure, contains, intersect, subtract, union, MAX_CODE_POINT, type CodePointSet } from './code-point-set';
import type { RegexNode } from './regex-syntax';

const ASCII: CodePointSet = [[0, 0x7f]];
const NON_ASCII: CodePointSet = [[0x80, MAX_CODE_POINT]];
const NEWLINE: CodePointSet = [[0x0a, 0x0a]];
/** The two ASCII letters whose case folding reaches outside ASCII: KELVIN SIGN (k) and LONG S (s). */
const FOLDED_INTO_ASCII: CodePointSet = [
  [0x4b, 0x4b],
  [0x53, 0x53],
  [0x6b, 0x6b],
  [0x73, 0x73],
];

/** Copies of a repeated item a run takes (`a{3}` is `aaa`), so a long count stays a short regex. */
const MAX_COPIES = 8;
/** A run is worth scanning with from this selectivity on: about one exact character and a small class. */
const MIN_SCORE = 3;
/** Most runs a line is tested against. */
const MAX_RUNS = 3;

/** What every matching line holds: `scanner` finds candidate lines, each also tested against `filters`. */
export interface RegexRuns {
  /** The most selective run, global (`g`), to scan a whole text with. */
  readonly scanner: RegExp;
  /** The other selective runs. */
  readonly filters: readonly RegExp[];
}

/** The runs of `node`, or null when it has none selective enough to pay for a scan. */
export function regexRuns(node: RegexNode): RegexRuns | null {
  const runs = fixedRuns(node)
    .map((run) => ({ run, score: run.reduce((sum, set) => sum + selectivity(set), 0) }))
    .filter(({ run, score }) => run.length >= 2 && score >= MIN_SCORE)
    .sort((left, right) => right.score - left.score)
    .slice(0, MAX_RUNS)
    .map(({ run }) => run.map(v8Class).join(''));
  const [best, ...others] = runs;
  if (best === undefined) {
    return null;
  }
  return { scanner: new RegExp(best, 'gu'), filters: others.map((source) => new RegExp(source, 'u')) };
}

/** The maximal sequences of single-character items in the pattern's top-level concatenation, as the sets of characters each may be. */
function fixedRuns(node: RegexNode): CodePointSet[][] {
  const runs: CodePointSet[][] = [];
  let run: CodePointSet[] = [];
  const end = (): void => {
    runs.push(run);
    run = [];
  };
  const visit = (item: RegexNode): void => {
    switch (item.kind) {
      case 'char':
      case 'class':
        run.push(superset(item));
        return;
      case 'concat':
        item.nodes.forEach(visit);
        return;
      case 'assert':
      case 'empty':
        // Zero-width: leaving it out only widens what the run matches.
        return;
      case 'repeat': {
        const atom = item.node;
        if (atom.kind !== 'char' && atom.kind !== 'class') {
          end();
          // Repeated at least once, its own runs are required too (`(?:ab+)+` holds `ab`).
          if (item.min > 0) {
            visit(atom);
            end();
          }
          return;
        }
        const set = superset(atom);
        for (let copy = 0; copy < Math.min(item.min, MAX_COPIES); copy += 1) {
          run.push(set);
        }
        if (item.max !== item.min || item.min > MAX_COPIES) {
          end();
        }
        return;
      }
      case 'alternate':
        end();
        return;
    }
  };
  visit(node);
  end();
  return runs;
}

/** Every character `item` can match on a line, or more: its ASCII part exactly, the rest as all non-ASCII characters. */
function superset(item: Extract<RegexNode, { kind: 'char' | 'class' }>): CodePointSet {
  const set: CodePointSet = item.kind === 'char' ? [[item.code, item.code]] : item.set;
  const ascii = intersect(set, ASCII);
  const folded = item.ignoreCase ? asciiCaseClosure(ascii) : ascii;
  const reachesOut = intersect(set, NON_ASCII).length > 0;
  if (item.kind === 'class' && item.negated) {
    // Not in the set: at least the ASCII characters outside its case closure, and any non-ASCII one.
    return subtract(union(subtract(ASCII, folded), NON_ASCII), NEWLINE);
  }
  if (!reachesOut) {
    // k and s fold to KELVIN SIGN and LONG S.
    return item.ignoreCase && FOLDED_INTO_ASCII.some(([code]) => contains(folded, code)) ? union(folded, NON_ASCII) : folded;
  }
  // A non-ASCII member may fold into ASCII (KELVIN SIGN to k, LONG S to s).
  return union(item.ignoreCase ? union(folded, FOLDED_INTO_ASCII) : folded, NON_ASCII);
}

/** How much a class narrows: an exact character most, a class of half of ASCII or more nothing. */
function selectivity(set: CodePointSet): number {
  if (contains(set, 0x80)) {
    return 0;
  }
  const size = set.reduce((sum, [low, high]) => sum + high - low + 1, 0);
  return size <= 2 ? 2 : size <= 8 ? 1 : size <= 32 ? 0.5 : 0;
}

function v8Class(set: CodePointSet): string {
  return `[${set.map(([low, high]) => (low === high ? v8Code(low) : `${v8Code(low)}-${v8Code(high)}`)).join('')}]`;
}

function v8Code(code: number): string {
  return `\\u{${code.toString(16)}}`;
}
