/**
 * A real index reader thread that runs out of heap while it reads any file named huge.txt,
 * as a reader would on a bug: fs is patched so the read of that file hoards memory, and the
 * real reader (index-reader-worker.ts) does everything else, its reading slot included.
 */
// First, so the reader's reads go through the patch.
import './hoard-on-huge-read';
import '../../src/main/core/indexer/index-reader-worker';
