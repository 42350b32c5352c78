/**
 * glibc malloc settings for the long-lived processes `npm start` launches. They must be in the
 * environment before the process starts (glibc reads them once), so only a launcher can set
 * them. Measured with `npm run bench:memory` (docs/PERFORMANCE.md, "Memory of one core"): two
 * arenas instead of one per thread (8 per core) and a fixed mmap threshold, so large Buffers
 * (posting rows, query results) are unmapped when freed instead of staying in an arena, cut the
 * peak RSS of a full index of the large corpus from 136 to 117 MB and of 200 paged searches from
 * 188 to 156 MB. A value the user set is kept.
 */
export const MALLOC_TUNING = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072', MALLOC_TRIM_THRESHOLD_: '131072' };

/** `env` with the tuning added where the user has not set the variable. */
export function withMallocTuning(env) {
  return { ...MALLOC_TUNING, ...env };
}
