import type { LiteralQuery } from './regex-literals';

const NEWLINE = 10;

/**
 * Strings one of which every matching line contains, searched in a document's UTF-8 bytes
 * before anything is decoded: only the lines around a hit are decoded and handed to the
 * matcher, the way ripgrep prefilters with a literal. With `ignoreCase` the needles are
 * lower-case ASCII pieces searched in an ASCII-lowered copy; the two non-ASCII characters that
 * fold into ASCII (KELVIN SIGN to k, LONG S to s) are needles too when a piece holds k or s,
 * so a line spelling the piece with them is still visited.
 */
export interface Needles {
  readonly ignoreCase: boolean;
  readonly texts: readonly string[];
}

/** Shorter case-insensitive pieces filter too little to pay for lowering the bytes. */
const MIN_FOLDED_PIECE = 3;
/** Alternative needles shorter than this filter too little to pay for their passes. */
const MIN_ALTERNATIVE = 3;

/** The needles of a literal query, or null when some matching line may contain none. */
export function lineNeedles(query: LiteralQuery, ignoreCase: boolean): Needles | null {
  const texts = needleSet(query, ignoreCase);
  if (texts === null) {
    return null;
  }
  return { ignoreCase, texts: ignoreCase && texts.some((text) => /[ks]/.test(text)) ? [...texts, ...FOLDING_INTO_ASCII] : texts };
}

/** KELVIN SIGN and LONG S as the lowered latin1 copy of their UTF-8 bytes shows them (see finder). */
const FOLDING_INTO_ASCII = ['\u212a', '\u017f'].map((char) => Buffer.from(char, 'utf8').toString('latin1').toLowerCase());

function needleSet(query: LiteralQuery, ignoreCase: boolean): string[] | null {
  switch (query.kind) {
    case 'all':
      return null;
    case 'string': {
      const text = ignoreCase ? foldedPiece(query.text) : query.text;
      // A lone surrogate has no UTF-8 bytes of its own to search for.
      return text.length > 0 && !/\p{Cs}/u.test(text) ? [text] : null;
    }
    case 'and': {
      // Any part's needles will do; the one whose weakest needle is strongest filters best.
      let best: string[] | null = null;
      for (const part of query.parts) {
        const set = needleSet(part, ignoreCase);
        if (set !== null && (best === null || weakest(set) > weakest(best))) {
          best = set;
        }
      }
      return best;
    }
    case 'or': {
      const union: string[] = [];
      for (const part of query.parts) {
        const set = needleSet(part, ignoreCase);
        if (set === null) {
          return null;
        }
        union.push(...set);
      }
      const needles = [...new Set(union)];
      // Each needle is one more pass over the bytes; several short ones (`[a-f]`) hit nearly
      // every line, so the prefilter would cost more than it skips.
      return needles.length > 1 && shortest(needles) < MIN_ALTERNATIVE ? null : needles;
    }
  }
}

function shortest(texts: readonly string[]): number {
  return Math.min(...texts.map((text) => text.length));
}

/**
 * How well the weakest needle filters: its length, a space or tab counting a quarter, since
 * indentation puts runs of them on most lines of code (`    ` filtered less than `hht`).
 */
function weakest(texts: readonly string[]): number {
  return Math.min(...texts.map((text) => [...text].reduce((sum, char) => sum + (char === ' ' || char === '\t' ? 0.25 : 1), 0)));
}

/** The longest run of ASCII characters, lower-cased. */
function foldedPiece(text: string): string {
  let best = '';
  for (const run of text.split(/[^\x00-\x7f]/)) {
    if (run.length > best.length) {
      best = run;
    }
  }
  return best.length >= MIN_FOLDED_PIECE ? best.toLowerCase() : '';
}

/** Receives one candidate line's text, number and bytes (`data[start, end)`); returns false to stop. */
export type LineVisitor = (text: string, line: number, start: number, end: number) => boolean;

/**
 * Visits, in order, each line of `data` (whole lines, UTF-8, no final newline) that holds a
 * needle. Returns false when the visitor stopped.
 */
export function visitNeedleLines(data: Buffer, firstLine: number, needles: Needles, visit: LineVisitor): boolean {
  const find = finder(data, needles);
  let line = firstLine;
  let counted = 0;
  let from = 0;
  for (;;) {
    const position = find(from);
    if (position === -1) {
      return true;
    }
    const start = position === 0 ? 0 : data.lastIndexOf(NEWLINE, position - 1) + 1;
    let end = data.indexOf(NEWLINE, position);
    if (end === -1) {
      end = data.length;
    }
    for (let newline = data.indexOf(NEWLINE, counted); newline !== -1 && newline < start; newline = data.indexOf(NEWLINE, newline + 1)) {
      line += 1;
    }
    counted = start;
    if (!visit(data.toString('utf8', start, end), line, start, end)) {
      return false;
    }
    from = end + 1;
    if (from >= data.length) {
      return true;
    }
  }
}

/** The first position at or after `from` where any needle starts, -1 when none does. */
function finder(data: Buffer, needles: Needles): (from: number) => number {
  // Lower-cased as a latin1 string: one byte per character, so offsets stay byte offsets.
  const haystack: Buffer | string = needles.ignoreCase ? data.toString('latin1').toLowerCase() : data;
  const patterns = needles.texts.map((text) => (needles.ignoreCase ? text : Buffer.from(text, 'utf8')));
  // Each needle's next hit, searched again only once `from` passes it.
  const next = patterns.map(() => -2);
  return (from) => {
    let best = -1;
    for (let index = 0; index < patterns.length; index += 1) {
      let position = next[index] as number;
      if (position !== -1 && position < from) {
        position = haystack.indexOf(patterns[index] as string & Buffer, from);
        next[index] = position;
      }
      if (position !== -1 && (best === -1 || position < best)) {
        best = position;
      }
    }
    return best;
  };
}
