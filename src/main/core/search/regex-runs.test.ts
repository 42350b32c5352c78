import { describe, expect, it } from 'vitest';
import { compileLinear } from './regex-engine';
import { re2Source } from './regex-emit';
import { regexRuns, type RegexRuns } from './regex-runs';
import { parseRegex } from './regex-syntax';

/** Whether a line passes the runs: the scanner hits it and every filter matches. */
function passes(runs: RegexRuns, line: string): boolean {
  runs.scanner.lastIndex = 0;
  return runs.scanner.test(line) && runs.filters.every((filter) => filter.test(line));
}

/** Lines with the characters case folding and classes make hard: KELVIN SIGN, LONG S, the Turkish I, astral, CRLF, NUL. */
const LINES = [
  'const De = 1; (ai)',
  'dE+ _AI',
  'ok\u212a x',
  'oK x',
  'o\u212a x',
  'mi\u017f yes',
  'mi\u017fs yes',
  'misS yes',
  'İstanbul ıi',
  'a😀b  ; ;  c',
  'tab\there\r',
  'nul\u0000byte',
  'caf\u00e9  \u00c9t\u00e9 \u212bngstr\u00f6m',
  '  * "hht_x',
  'ge\u00e9Pll;nId":',
  'x;;  y',
  'cd😀bd😀b',
];

const PATTERNS: [string, boolean][] = [
  ['De+[^a-z ]ai', true],
  ['De+[^a-z ]ai', false],
  ['ok\\s', true],
  ['o[k]+ x', true],
  ['mi[^a-r]s', true],
  ['mis{2} yes', true],
  ['mis yes', true],
  ['(?i:İs)t', false],
  ['[ıi]i', true],
  ['a\\W*b  ;', false],
  ['\\b [[:punct:]]{2}  \\b', false],
  ['caf[é-ü]  \\p{Lu}t', true],
  ['\u212bngstr\u00f6m', true],
  ['    * "+h{2}t[A-Z0-9_][\\w&&[^_]]', false],
  ['ge\\p{Latin}Pl{1,3}[[:punct:]]nId":', true],
  ['x;{2}\\s{2}y', false],
  ['nul\\x00b', false],
  ['tab\\there\\r', false],
  ['(?:x;+ )+', false],
  ['(?:ab|c(?:d😀b)+)+', false],
];

describe('the fixed runs of a pattern', () => {
  it('find every line the pattern matches, whatever the case folding and the characters', () => {
    let withRuns = 0;
    for (const [pattern, ignoreCase] of PATTERNS) {
      const node = parseRegex(pattern, ignoreCase);
      const runs = regexRuns(node);
      if (runs === null) {
        continue;
      }
      withRuns += 1;
      const engine = compileLinear(re2Source(node));
      for (const line of LINES) {
        if (engine.test(line)) {
          expect(passes(runs, line), `${pattern} ${ignoreCase ? '-i' : ''} on ${JSON.stringify(line)}`).toBe(true);
        }
      }
    }
    expect(withRuns).toBeGreaterThan(12);
  });

  it('keep out lines that cannot match: the runs are the selective parts of the pattern', () => {
    const runs = regexRuns(parseRegex('De+[^a-z ]ai', true));
    expect(runs).not.toBeNull();
    const sources = [runs?.scanner, ...(runs?.filters ?? [])].map((regex) => regex?.source);
    expect(sources).toEqual(['[\\u{44}\\u{64}][\\u{45}\\u{65}]', expect.stringContaining('[\\u{41}\\u{61}][\\u{49}\\u{69}]')]);
    expect(passes(runs as RegexRuns, 'de ai')).toBe(false);
    expect(passes(runs as RegexRuns, 'de (AI')).toBe(true);
    // Never across a line: no run matches the newline.
    expect(passes(regexRuns(parseRegex('a[^b]c', false)) as RegexRuns, 'a\nc')).toBe(false);
  });

  it('are none when nothing fixed narrows the lines: a repetition, an alternation, broad classes', () => {
    for (const pattern of ['\\w+', '(x+x+)+y', 'ab|cd', '\\W\\w\\s', '(?i)k\\w']) {
      expect(regexRuns(parseRegex(pattern, false)), pattern).toBeNull();
    }
  });
});
