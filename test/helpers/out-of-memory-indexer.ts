/** A writer thread that runs out of heap mid-run, as folders 1,000 deep once made it. */
import { playBrokenWriter } from './broken-indexer';

playBrokenWriter('huge.txt', () => {
  const hoard: string[][] = [];
  for (;;) {
    hoard.push(Array.from({ length: 10_000 }, (_, index) => `line ${index} of text`));
  }
});
