/** Int32 lists stored as BLOBs (segment unit lists): native byte order, 4 bytes per value. */

/** The list's bytes, for a BLOB parameter, without a copy. */
export function int32Blob(values: Int32Array): Buffer {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength);
}

/** A BLOB's values, copied: the bytes SQLite hands over need not be 4-byte aligned. */
export function int32sOf(bytes: Uint8Array): Int32Array {
  const values = new Int32Array(bytes.byteLength / 4);
  new Uint8Array(values.buffer).set(bytes);
  return values;
}
