/** The glibc malloc tuning, for the ESM launchers (scripts/start.mjs); its one home is bin/malloc-tuning.cjs. */
export { MALLOC_TUNING, withMallocTuning, lacksMallocTuning } from '../bin/malloc-tuning.cjs';
