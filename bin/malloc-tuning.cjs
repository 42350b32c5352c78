/**
 * glibc malloc settings for the long-lived, many-threaded processes (the desktop app, `gitbot
 * serve`, `gitbot index`). glibc reads them once at start, so only a launcher can set them:
 * `npm start` (scripts/start.mjs) and the `gitbot` command (bin/gitbot.cjs, which re-runs itself
 * with them). Measured with `npm run bench:memory` (docs/PERFORMANCE.md, "Memory of one core"):
 * two arenas instead of one per thread (8 per core) and a fixed mmap threshold, so large Buffers
 * (posting rows, query results) are unmapped when freed instead of staying in an arena, cut the
 * peak RSS of a full index of the large corpus from 136 to 117 MB and of 200 paged searches from
 * 188 to 156 MB. A value the user set is kept.
 */
const MALLOC_TUNING = Object.freeze({ MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072', MALLOC_TRIM_THRESHOLD_: '131072' });

/** `env` with the tuning added where the user has not set the variable. */
function withMallocTuning(env) {
  return { ...MALLOC_TUNING, ...env };
}

/** True when some tuning variable is missing from `env` (glibc only: other platforms have no such knobs). */
function lacksMallocTuning(env, platform = process.platform) {
  return platform === 'linux' && Object.keys(MALLOC_TUNING).some((name) => env[name] === undefined);
}

module.exports = { MALLOC_TUNING, withMallocTuning, lacksMallocTuning };
