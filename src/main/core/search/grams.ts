/**
 * Trigrams shared by the indexer (which posts them) and search (which looks them up).
 * A trigram is three UTF-16 code units, each folded to 7 bits: ASCII letters to lower case,
 * the two non-ASCII letters whose case folding is ASCII (KELVIN SIGN, LONG S) to k and s,
 * other non-ASCII units into the 26 codes upper-case letters left free. Folding only merges
 * codes, so postings are a superset of the true matches and every candidate is verified.
 * No trigram spans a newline: matches never cross lines.
 */

/** Bits per folded character; a gram is 21 bits. */
const CHAR_BITS = 7;
export const GRAM_SPACE = 1 << (3 * CHAR_BITS);
/** Low bits of a gram kept inside a posting bucket; the rest picks the bucket. */
export const BUCKET_SHIFT = 10;
export const BUCKET_COUNT = GRAM_SPACE >>> BUCKET_SHIFT;
export const BUCKET_MASK = (1 << BUCKET_SHIFT) - 1;

const NEWLINE = 10;

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

export function gramOf(a: number, b: number, c: number): number {
  return (a << (2 * CHAR_BITS)) | (b << CHAR_BITS) | c;
}

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

/** Appends `value` (a non-negative integer below 2^31) as a LEB128 varint. */
export function writeVarint(target: number[], value: number): void {
  let rest = value;
  while (rest >= 0x80) {
    target.push((rest & 0x7f) | 0x80);
    rest >>>= 7;
  }
  target.push(rest);
}
