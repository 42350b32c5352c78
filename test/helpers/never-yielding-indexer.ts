/** A writer thread stuck in a loop (or a blocking read): it never reads its cancel flag again. */
import { playBrokenWriter } from './broken-indexer';

playBrokenWriter('stuck.txt', () => {
  for (;;) {
    // Spins: never returns to its event loop.
  }
});
