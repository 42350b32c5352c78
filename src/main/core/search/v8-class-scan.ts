/**
 * The code points of a V8 class body, found by V8 itself: one scan of a string holding every
 * code point once (about 2.2 M UTF-16 units), whose index maps back to the code point. It
 * costs 40 to 100 ms a class, so the classes every regex may need are scanned ahead of time
 * into unicode-tables.ts (scripts/generate-unicode-tables.ts) and only rarer `\p{..}` run it.
 */
import { setOf, type CodePointRange, type CodePointSet } from './code-point-set';

export type PerlClass = 'd' | 's' | 'w';

/** rg's Unicode `\d`, `\s` and `\w` as V8 class bodies; `\w` is UTS #18 annex C's word. */
export const UNICODE_PERL_SOURCES: Readonly<Record<PerlClass, string>> = {
  d: String.raw`\p{Nd}`,
  s: String.raw`\p{White_Space}`,
  w: String.raw`\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}`,
};

/** The code points a V8 class body (valid with the `u` flag) matches, without surrogates. */
export function scanV8Class(source: string): CodePointSet {
  const all = everyCodePoint();
  const regex = new RegExp(`[${source}]+`, 'gu');
  const ranges: CodePointRange[] = [];
  for (let match = regex.exec(all); match !== null; match = regex.exec(all)) {
    const low = codePointAt(match.index);
    const last = match.index + match[0].length - 1;
    // The last unit of an astral character is its low surrogate: step back to the pair.
    ranges.push([low, codePointAt(last >= ASTRAL_START && (last - ASTRAL_START) % 2 === 1 ? last - 1 : last)]);
  }
  return setOf(ranges);
}

/** Index in everyCodePoint() where U+E000 and then the astral planes start. */
const BMP_HIGH_START = 0xd800;
const ASTRAL_START = 0xd800 + (0x10000 - 0xe000);

function codePointAt(index: number): number {
  if (index < BMP_HIGH_START) {
    return index;
  }
  if (index < ASTRAL_START) {
    return index + 0x800;
  }
  return 0x10000 + Math.floor((index - ASTRAL_START) / 2);
}

/** Held weakly so an idle reader gives the memory back. */
let everyCodePointRef: WeakRef<{ text: string }> | null = null;

function everyCodePoint(): string {
  const cached = everyCodePointRef?.deref();
  if (cached !== undefined) {
    return cached.text;
  }
  const parts: string[] = [];
  const chunk: number[] = [];
  for (let code = 0; code <= 0x10ffff; code += 1) {
    if (code >= 0xd800 && code <= 0xdfff) {
      continue;
    }
    chunk.push(code);
    if (chunk.length === 4096) {
      parts.push(String.fromCodePoint(...chunk));
      chunk.length = 0;
    }
  }
  parts.push(String.fromCodePoint(...chunk));
  const holder = { text: parts.join('') };
  everyCodePointRef = new WeakRef(holder);
  return holder.text;
}
