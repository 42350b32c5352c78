/**
 * A result's file identity beyond its shown path: `files.path_bytes` holds the raw name only
 * when it is not UTF-8 (empty otherwise), and then two files can share one lossy `path`.
 */
export function pathBytesField(bytes: Buffer | null | undefined): { readonly pathBytes?: string } {
  return bytes === null || bytes === undefined || bytes.length === 0 ? {} : { pathBytes: bytes.toString('base64') };
}
