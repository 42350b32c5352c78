/**
 * Trigrams as the index stores them. A trigram is three UTF-16 code units, each folded to 7
 * bits: ASCII letters to lower case, the two non-ASCII letters whose case folding is ASCII
 * (KELVIN SIGN, LONG S) to k and s, other non-ASCII units into the 26 codes upper-case
 * letters left free. Folding only merges codes, so postings are a superset of the true
 * matches and every candidate is verified. No trigram spans a newline: matches never cross
 * lines.
 */
import { CHAR_BITS } from './format';

/** Folds one UTF-16 code unit to 0..127. */
export function foldChar(code: number): number {
  if (code < 128) {
    return code >= 65 && code <= 90 ? code + 32 : code;
  }
  if (code === 0x212a) {
    return 107; // KELVIN SIGN folds to k
  }
  if (code === 0x17f) {
    return 115; // LONG S folds to s
  }
  return 65 + (code % 26);
}

/** foldChar for every UTF-16 code unit, for the indexer's inner loop. */
export const FOLD_TABLE: Uint8Array = (() => {
  const table = new Uint8Array(0x10000);
  for (let code = 0; code < table.length; code += 1) {
    table[code] = foldChar(code);
  }
  return table;
})();

/** The gram of three folded characters. */
export function gramOf(a: number, b: number, c: number): number {
  return (a << (2 * CHAR_BITS)) | (b << CHAR_BITS) | c;
}
