/**
 * The trigrams a query needs (the index's folding and gram layout: index/grams.ts).
 */
import { foldChar, gramOf } from '../index/grams';

const NEWLINE = 10;

/**
 * The grams every line matching `literal` must contain. With `ignoreCase`, grams holding
 * a non-ASCII character are left out: their other-case forms fold differently.
 */
export function literalGrams(literal: string, ignoreCase: boolean): number[] {
  const grams = new Set<number>();
  for (let index = 0; index + 2 < literal.length; index += 1) {
    const a = literal.charCodeAt(index);
    const b = literal.charCodeAt(index + 1);
    const c = literal.charCodeAt(index + 2);
    if (a === NEWLINE || b === NEWLINE || c === NEWLINE) {
      continue;
    }
    if (ignoreCase && (a >= 128 || b >= 128 || c >= 128)) {
      continue;
    }
    grams.add(gramOf(foldChar(a), foldChar(b), foldChar(c)));
  }
  return [...grams];
}
