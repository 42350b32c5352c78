import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { random as prng } from '../../../../test/helpers/make-repo';
import { CorruptIndexError } from './corrupt-index';
import { BUCKET_LOWS, entryKey, ROW_CHECKSUM_BYTES } from './format';
import { decodeOrdinals, findGram, PostingRowWriter, RowMerge, verifyRow } from './posting-codec';

type Postings = Map<number, number[]>;

/** Random postings of one bucket: up to `grams` grams, each with distinct ordinals below `units`. */
function randomPostings(random: () => number, units: number, grams: number): Postings {
  const postings: Postings = new Map();
  const count = 1 + Math.floor(random() * grams);
  for (let index = 0; index < count; index += 1) {
    const low = Math.floor(random() * BUCKET_LOWS);
    const ordinals = new Set(postings.get(low) ?? []);
    const size = 1 + Math.floor(random() ** 3 * Math.min(units, grams > 100 ? 40 : 2000));
    for (let entry = 0; entry < size; entry += 1) {
      // Mostly small gaps, sometimes a long jump: every varint length is exercised.
      ordinals.add(random() < 0.9 ? Math.floor(random() * Math.min(units, 200)) : Math.floor(random() * units));
    }
    postings.set(
      low,
      [...ordinals].sort((left, right) => left - right),
    );
  }
  return postings;
}

function keysOf(postings: Postings): Int32Array {
  const keys: number[] = [];
  for (const [low, ordinals] of postings) {
    for (const ordinal of ordinals) {
      keys.push(entryKey(low, ordinal));
    }
  }
  return Int32Array.from(keys).sort();
}

function encode(postings: Postings): Uint8Array {
  const writer = new PostingRowWriter();
  writer.appendRow(keysOf(postings));
  return writer.view().slice();
}

const where = { segment: 7, bucket: 3 };

/** Lows a reader asks for: the first 64, and every 7th (absent ones included). */
const LOOKED_UP = Array.from({ length: BUCKET_LOWS }, (_, low) => low).filter((low) => low < 64 || low % 7 === 0);

/** The grams' ordinals as a reader decodes them (findGram, decodeOrdinals), for `lows`. */
function decodeAll(row: Uint8Array, units: number, lows: readonly number[] = LOOKED_UP): Postings {
  verifyRow(row, where);
  const decoded: Postings = new Map();
  for (const low of lows) {
    const entry = findGram(row, low, units, where);
    if (entry !== null) {
      const target = new Int32Array(entry.count);
      decodeOrdinals(row, entry, units, where, target);
      decoded.set(low, [...target]);
    }
  }
  return decoded;
}

/** The full decode a merge does (an identity remap). */
function mergeDecode(row: Uint8Array, units: number): Uint8Array {
  const merge = new RowMerge();
  merge.reset();
  merge.add(
    row,
    Int32Array.from({ length: units }, (_, ordinal) => ordinal),
    where,
  );
  const writer = new PostingRowWriter();
  merge.writeTo(writer);
  return writer.view().slice();
}

function sorted(postings: Postings): [number, number[]][] {
  return [...postings].sort((left, right) => left[0] - right[0]);
}

describe('posting row codec', () => {
  it('decodes what it encodes, for random postings (seeded)', () => {
    const random = prng(20261202);
    for (let round = 0; round < 100; round += 1) {
      const units = 1 + Math.floor(random() * (round % 10 === 0 ? 1_000_000 : 5000));
      const postings = randomPostings(random, units, round % 3 === 0 ? 1024 : 20);
      const row = encode(postings);
      const absent = Array.from({ length: 20 }, () => Math.floor(random() * BUCKET_LOWS));
      const decoded = decodeAll(row, units, [...postings.keys(), ...absent]);
      expect(sorted(decoded)).toEqual(sorted(postings));
      // A merge of one row through the identity writes the same bytes.
      expect(mergeDecode(row, units)).toEqual(row);
    }
  });

  it('merges rows of several segments through their remaps, dropping stale ordinals and duplicates', () => {
    const random = prng(7);
    for (let round = 0; round < 50; round += 1) {
      const expected: Postings = new Map();
      const merge = new RowMerge();
      merge.reset();
      let dropped = 0;
      for (let segment = 0; segment < 3; segment += 1) {
        const units = 1 + Math.floor(random() * 300);
        const postings = randomPostings(random, units, 30);
        // Ordinal i of this segment becomes merged ordinal 2i + segment, or is stale (-1).
        const remap = Int32Array.from({ length: units }, (_, ordinal) => (random() < 0.2 ? -1 : Math.min(ordinal * 2 + segment, 2 * units)));
        for (const [low, ordinals] of postings) {
          for (const ordinal of ordinals) {
            const mapped = remap[ordinal] as number;
            if (mapped < 0) {
              dropped += 1;
            } else {
              expected.set(
                low,
                [...new Set([...(expected.get(low) ?? []), mapped])].sort((left, right) => left - right),
              );
            }
          }
        }
        merge.add(encode(postings), remap, { segment, bucket: 3 });
      }
      const writer = new PostingRowWriter();
      const written = merge.writeTo(writer);
      expect(merge.dropped).toBe(dropped);
      if (written) {
        expect(sorted(decodeAll(writer.view().slice(), 1000, [...expected.keys()]))).toEqual(sorted(expected));
      } else {
        expect(expected.size).toBe(0);
      }
    }
  });
});

/** Decodes a row as every reader does; returns the error thrown, or null. */
function decodeError(row: Uint8Array, units: number): unknown {
  try {
    decodeAll(row, units);
    mergeDecode(row, units);
    return null;
  } catch (error) {
    return error;
  }
}

function withChecksum(body: number[]): Uint8Array {
  const bytes = new Uint8Array(body.length + ROW_CHECKSUM_BYTES);
  bytes.set(body);
  new DataView(bytes.buffer).setUint32(body.length, crc32(Uint8Array.from(body)), true);
  return bytes;
}

describe('a damaged posting row', () => {
  it('is a CorruptIndexError, whatever the damage (seeded fuzz: flips, overwrites, cuts, extensions)', () => {
    const random = prng(99);
    let cases = 0;
    for (let round = 0; round < 2000; round += 1) {
      const units = 1 + Math.floor(random() * 3000);
      const row = encode(randomPostings(random, units, 8));
      const damaged = Uint8Array.from(row);
      let bad: Uint8Array;
      const kind = round % 4;
      const position = Math.floor(random() * row.length);
      if (kind === 0) {
        damaged[position]! ^= 1 << Math.floor(random() * 8);
        bad = damaged;
      } else if (kind === 1) {
        damaged[position] = (row[position]! + 1 + Math.floor(random() * 255)) & 0xff;
        bad = damaged;
      } else if (kind === 2) {
        bad = row.subarray(0, position);
      } else {
        bad = Uint8Array.from([...row, ...Array.from({ length: 1 + Math.floor(random() * 8) }, () => Math.floor(random() * 256))]);
      }
      const error = decodeError(bad, units);
      expect(error).toBeInstanceOf(CorruptIndexError);
      expect((error as Error).message).toMatch(
        /^The index is damaged: the posting row of segment 7, bucket 3 (fails its checksum|is \d+ bytes long, shorter than one entry and its checksum)\. Re-index the repository to rebuild it\.$/,
      );
      cases += 1;
    }
    expect(cases).toBe(2000);
  });

  it('with a valid checksum but bytes that break the format, is a CorruptIndexError naming what is wrong', () => {
    const units = 10;
    const cases: [number[], string][] = [
      [[5, 1, 0, 0, 1, 2], 'repeats gram 5'],
      [[5, 1, 0, 0x80, 0x08, 1, 0], "has gram 1029, past the bucket's 1024"],
      [[5, 0, 9], 'gives gram 5 0 units (the segment has 10)'],
      [[5, 11, 0], 'gives gram 5 11 units (the segment has 10)'],
      [[5, 2, 3, 0], "names unit 3 out of order or past the segment's 10 units"],
      [[5, 1, 10], "names unit 10 out of order or past the segment's 10 units"],
      [[5, 2, 1], 'ends inside a value'],
      [[5, 3, 1], 'ends inside a value'],
      [[5, 1, 0x80, 0x80, 0x80, 0x01], 'holds a value longer than 3 bytes'],
    ];
    for (const [body, reason] of cases) {
      const error = decodeError(withChecksum(body), units);
      expect(error).toBeInstanceOf(CorruptIndexError);
      expect((error as Error).message).toBe(`The index is damaged: the posting row of segment 7, bucket 3 ${reason}. Re-index the repository to rebuild it.`);
    }
  });

  it('made of random bytes with a valid checksum never crashes a reader: a CorruptIndexError or postings within the format', () => {
    const random = prng(4242);
    let refused = 0;
    for (let round = 0; round < 3000; round += 1) {
      const units = 1 + Math.floor(random() * 50);
      const body = Array.from({ length: 1 + Math.floor(random() * 12) }, () => Math.floor(random() * (random() < 0.5 ? 16 : 256)));
      const row = withChecksum(body);
      try {
        for (const [, ordinals] of decodeAll(row, units)) {
          expect(ordinals.every((ordinal, index) => ordinal < units && (index === 0 || ordinal > (ordinals[index - 1] as number)))).toBe(true);
        }
      } catch (error) {
        expect(error).toBeInstanceOf(CorruptIndexError);
        refused += 1;
      }
    }
    expect(refused).toBeGreaterThan(1000);
  });
});
