/** A writer thread that dies of an uncaught ordinary error (a TypeError, as a bug would throw) mid-run. */
import { playBrokenWriter } from './broken-indexer';

playBrokenWriter('notes.txt', () => {
  const batch = [][0] as unknown as { ops: unknown[] };
  batch.ops.push('never');
});
