import { AppError } from '../base/errors';
import { compileLinear, type LinearRegex } from './regex-engine';
import { linearV8Form, re2AsciiSource, re2Source, usesUnicodeBoundary, withoutUnicodeBoundaries, type Markers, type V8Form } from './regex-emit';
import { literalQuery, stringQuery, type LiteralQuery } from './regex-literals';
import { nonEmptyForm, nullable } from './regex-nonempty';
import { regexRuns, type RegexRuns } from './regex-runs';
import { parseRegex, regexSize, type RegexNode } from './regex-syntax';
import { isWordCodePoint } from './unicode-classes';
import { rangesPerLine } from './search-budget';

export type Range = readonly [number, number];

/** Receives one matching line; returns false to stop the search. */
export type LineSink = (line: number, text: string, ranges: Range[]) => boolean;

/**
 * Finds matching lines in a run of complete lines, the way ripgrep does: a match never
 * crosses a newline, a line is reported once with all its match ranges.
 */
export interface LineMatcher {
  /** The literal text every match contains (for the trigram lookup and the byte prefilter). */
  readonly query: LiteralQuery;
  /**
   * Scans `text` (whole lines, without the final newline) whose first line is `firstLine`.
   * `ascii` says the text is all ASCII, where a faster form of the regex means the same.
   * Returns false when the sink asked to stop. With `ranges` false a matching line is
   * reported with no ranges (NO_RANGES): a count or a plain listing needs only the line, and a
   * `\w+` listing otherwise allocates tens of millions of ranges and match objects.
   */
  scan(text: string, firstLine: number, sink: LineSink, ascii: boolean, ranges?: boolean): boolean;
}

/** The ranges of a line reported without them (frozen: one shared empty list). */
export const NO_RANGES: Range[] = Object.freeze([]) as unknown as Range[];

/**
 * Patterns whose compiled size (regexSize) exceeds this are refused, as rg refuses those
 * over its size limit: compiling and matching them would cost too much time and memory.
 */
export const MAX_REGEX_SIZE = 10_000;

/**
 * A matcher with rg's semantics: `literal` (rg -F) takes any text; `regex` takes rg's syntax
 * (regex-syntax.ts) and matches in time linear in the text, whatever the pattern.
 */
export function createMatcher(mode: 'literal' | 'regex', query: string, ignoreCase: boolean): LineMatcher {
  if (mode === 'literal') {
    if (query.includes('\n')) {
      return { query: stringQuery(query), scan: () => true };
    }
    return ignoreCase ? regexMatcher(literalNode(query), stringQuery(query)) : literalMatcher(query);
  }
  const node = parseRegex(query, ignoreCase);
  if (regexSize(node) > MAX_REGEX_SIZE) {
    throw new AppError('invalid_regex', `Invalid regular expression "${query}": the compiled regex exceeds the size limit of ${MAX_REGEX_SIZE} instructions`);
  }
  return regexMatcher(node, literalQuery(node, ignoreCase));
}

/** `text` as a sequence of case-insensitive characters (rg -F -i). */
function literalNode(text: string): RegexNode {
  return { kind: 'concat', nodes: [...text].map((char) => ({ kind: 'char', code: char.codePointAt(0) as number, ignoreCase: true })) };
}

/** Escapes `text` for a JavaScript RegExp with or without the `u` flag. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** A match in a text: [start, end) in UTF-16 units. */
interface Hit {
  readonly start: number;
  readonly end: number;
}

function literalMatcher(query: string): LineMatcher {
  return {
    query: stringQuery(query),
    scan: (text, firstLine, sink, _ascii, wanted = true) =>
      scanHits(text, firstLine, sink, wanted, (from) => {
        const start = text.indexOf(query, from);
        return start === -1 ? null : { start, end: start + query.length };
      }),
  };
}

/**
 * Reports the lines of `text` holding hits, each once with all its hits' ranges. `next(from)`
 * finds the first hit starting at or after `from`; hits never cross a newline.
 */
function scanHits(text: string, firstLine: number, sink: LineSink, wanted: boolean, next: (from: number) => Hit | null): boolean {
  let line = firstLine;
  let counted = 0;
  let hit = next(0);
  while (hit !== null) {
    const [start, end] = lineAround(text, hit.start);
    line += countBetween(text, counted, start);
    counted = start;
    const ranges: Range[] = wanted ? [] : NO_RANGES;
    const most = wanted ? rangesPerLine() : 0;
    // Without ranges the line's first hit is enough: the search goes on after the line.
    while (wanted && hit !== null && hit.end <= end) {
      if (ranges.length < most) {
        ranges.push([hit.start - start, hit.end - start]);
      }
      // An empty hit would be found again at the same place.
      hit = next(hit.end > hit.start ? hit.end : hit.end + 1);
    }
    if (!sink(line, text.slice(start, end), ranges)) {
      return false;
    }
    if (hit !== null && hit.start <= end) {
      hit = next(end + 1);
    }
  }
  return true;
}

const NON_ASCII = /[^\x00-\x7f]/;

/** The ranges of a line's matches (NO_RANGES when `wanted` is false), or null when the line does not match. */
type LineRanges = (content: string, asciiText: boolean, wanted: boolean) => Range[] | null;

/**
 * Matches line by line: with V8's own engine where the pattern's shape proves its
 * backtracking linear (linearV8Form), else with the linear engine, whose `\b` is ASCII; on a
 * line with non-ASCII characters a pattern using rg's Unicode `\b` runs on the marked line.
 */
function regexMatcher(node: RegexNode, query: LiteralQuery): LineMatcher {
  const v8 = linearV8Form(node);
  const ranges = v8 !== null ? v8Ranges(v8) : linearRanges(node);
  // Each line costs a call even where nothing matches; V8 finds the lines worth one.
  const runs = regexRuns(node);
  if (runs !== null) {
    return { query, scan: (text, firstLine, sink, isAscii, wanted = true) => scanRuns(runs, ranges, text, firstLine, sink, isAscii, wanted) };
  }
  return {
    query,
    scan(text, firstLine, sink, isAscii, wanted = true) {
      let line = firstLine;
      let start = 0;
      while (start <= text.length) {
        let end = text.indexOf('\n', start);
        if (end === -1) {
          end = text.length;
        }
        const content = text.slice(start, end);
        const found = ranges(content, isAscii, wanted);
        if (found !== null && !sink(line, content, found)) {
          return false;
        }
        line += 1;
        start = end + 1;
      }
      return true;
    },
  };
}

/** Matches only the lines where the runs' scanner hits and every filter matches. */
function scanRuns({ scanner, filters }: RegexRuns, ranges: LineRanges, text: string, firstLine: number, sink: LineSink, isAscii: boolean, wanted: boolean): boolean {
  let line = firstLine;
  let counted = 0;
  scanner.lastIndex = 0;
  for (let hit = scanner.exec(text); hit !== null; hit = scanner.exec(text)) {
    const [start, end] = lineAround(text, hit.index);
    line += countBetween(text, counted, start);
    counted = start;
    const content = text.slice(start, end);
    const found = filters.every((filter) => filter.test(content)) ? ranges(content, isAscii, wanted) : null;
    if (found !== null && !sink(line, content, found)) {
      return false;
    }
    if (end >= text.length) {
      break;
    }
    scanner.lastIndex = end + 1;
  }
  return true;
}

function v8Ranges(form: V8Form): LineRanges {
  const test = { unicode: form.unicode, ascii: form.ascii ?? form.unicode };
  const all = { unicode: new RegExp(form.unicode.source, `${form.unicode.flags}g`), ascii: new RegExp(test.ascii.source, `${test.ascii.flags}g`) };
  return (content, asciiText, wanted) => {
    const which = asciiText || !NON_ASCII.test(content) ? 'ascii' : 'unicode';
    if (!test[which].test(content)) {
      return null;
    }
    if (!wanted) {
      return NO_RANGES;
    }
    const regex = all[which];
    const ranges: Range[] = [];
    const most = rangesPerLine();
    regex.lastIndex = 0;
    for (let match = regex.exec(content); match !== null && ranges.length < most; match = regex.exec(content)) {
      if (match[0].length === 0) {
        // Step over a whole character: with the u flag V8 moves an index inside a surrogate
        // pair back to its start, so stepping one unit would find the same empty match forever.
        regex.lastIndex = match.index + ((content.codePointAt(match.index) ?? 0) > 0xffff ? 2 : 1);
      } else {
        ranges.push([match.index, match.index + match[0].length]);
      }
      if (regex.lastIndex > content.length) {
        break;
      }
    }
    return ranges;
  };
}

function linearRanges(node: RegexNode): LineRanges {
  const unicode = linearForms(node, re2Source);
  const ascii = linearForms(node, re2AsciiSource);
  const marked = usesUnicodeBoundary(node) ? markedRanges(node) : null;
  return (content, asciiText, wanted) => {
    if (asciiText || !NON_ASCII.test(content)) {
      return engineRanges(ascii, content, null, wanted);
    }
    return marked !== null ? marked(content, wanted) : engineRanges(unicode, content, null, wanted);
  };
}

/** A compiled pattern, and for one that can match empty, the gate of its non-empty matches. */
interface LinearForms {
  readonly engine: LinearRegex;
  /** Matches wherever a non-empty match could be (regex-nonempty.ts); null: no gate needed. */
  readonly nonEmpty: LinearRegex | null;
}

function linearForms(node: RegexNode, write: (node: RegexNode) => string): LinearForms {
  const engine = compileLinear(write(node));
  if (!nullable(node)) {
    return { engine, nonEmpty: null };
  }
  const form = nonEmptyForm(node);
  if (form === null) {
    // Only empty matches: no line has a range.
    return { engine, nonEmpty: compileLinear(write({ kind: 'class', set: [], negated: false, ignoreCase: false })) };
  }
  return { engine, nonEmpty: regexSize(form) > MAX_REGEX_SIZE ? null : compileLinear(write(form)) };
}

function engineRanges({ engine, nonEmpty }: LinearForms, content: string, origin: Int32Array | null, wanted: boolean): Range[] | null {
  if (!engine.test(content)) {
    return null;
  }
  if (!wanted) {
    return NO_RANGES;
  }
  const ranges: Range[] = [];
  if (nonEmpty !== null && !nonEmpty.test(content)) {
    return ranges;
  }
  const most = rangesPerLine();
  engine.forEachMatch(content, (start, end) => {
    if (ranges.length < most) {
      ranges.push(origin === null ? [start, end] : [origin[start] as number, origin[end] as number]);
    }
  });
  return ranges;
}

/** Marker candidates: noncharacters first, then the private use area. */
const MARKER_CANDIDATES = [...Array.from({ length: 32 }, (_, index) => 0xfdd0 + index), ...Array.from({ length: 0x1900 }, (_, index) => 0xe000 + index)];
const MAX_MARKED_FORMS = 8;

/**
 * rg's Unicode `\b` with an engine whose `\b` is ASCII: the line is rewritten with a marker
 * after each position (characters absent from the line), saying whether a Unicode and an
 * ASCII word boundary lies there, and the pattern's `\b` looks back at that marker.
 */
function markedRanges(node: RegexNode): (content: string, wanted: boolean) => Range[] | null {
  const forms = new Map<string, LinearForms>();
  const possible = compileLinear(re2Source(withoutUnicodeBoundaries(node)));
  return (content, wanted) => {
    if (!possible.test(content)) {
      return null;
    }
    const markers = pickMarkers(content);
    const key = markers.join(',');
    let engine = forms.get(key);
    if (engine === undefined) {
      engine = { engine: compileLinear(re2Source(node, markers), true), nonEmpty: null };
      if (forms.size >= MAX_MARKED_FORMS) {
        forms.delete(forms.keys().next().value as string);
      }
      forms.set(key, engine);
    }
    const marked = markedLine(content, markers);
    return engineRanges(engine, marked.text, marked.origin, wanted);
  };
}

function pickMarkers(content: string): Markers {
  const picked: number[] = [];
  for (const code of MARKER_CANDIDATES) {
    if (!content.includes(String.fromCharCode(code))) {
      picked.push(code);
      if (picked.length === 4) {
        return picked as unknown as Markers;
      }
    }
  }
  throw new AppError('invalid_regex', 'A line holds every character that could mark word boundaries; search it without \\b');
}

/** `content` with a marker before its first character and after each one; `origin` maps offsets back. */
function markedLine(content: string, markers: Markers): { text: string; origin: Int32Array } {
  const parts: string[] = [];
  const origin = new Int32Array(content.length * 2 + 2);
  let length = 0;
  let offset = 0;
  let previousUnicode = false;
  let previousAscii = false;
  for (;;) {
    const code = offset < content.length ? (content.codePointAt(offset) as number) : -1;
    const unicodeWord = code !== -1 && isWordCodePoint(code);
    const asciiWord = unicodeWord && code < 0x80;
    parts.push(String.fromCharCode(markers[(unicodeWord !== previousUnicode ? 2 : 0) | (asciiWord !== previousAscii ? 1 : 0)] as number));
    origin[length++] = offset;
    if (code === -1) {
      break;
    }
    const char = String.fromCodePoint(code);
    parts.push(char);
    for (let unit = 0; unit < char.length; unit += 1) {
      origin[length++] = offset + unit;
    }
    offset += char.length;
    previousUnicode = unicodeWord;
    previousAscii = asciiWord;
  }
  origin[length] = offset;
  return { text: parts.join(''), origin: origin.subarray(0, length + 1) };
}

/** The start and end (its newline, or the text's end) of the line holding `index`. */
function lineAround(text: string, index: number): [start: number, end: number] {
  const end = text.indexOf('\n', index);
  return [text.lastIndexOf('\n', index - 1) + 1, end === -1 ? text.length : end];
}

function countBetween(text: string, from: number, to: number): number {
  let count = 0;
  let index = text.indexOf('\n', from);
  while (index !== -1 && index < to) {
    count += 1;
    index = text.indexOf('\n', index + 1);
  }
  return count;
}
