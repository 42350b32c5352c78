/**
 * Test-only reader worker entry (never bundled): the production ops, except a search that
 * never yields (it spins without polling its control), as a pathological query would.
 */
import { readerOps } from './reader-ops';
import { serveReader } from './reader-service';

serveReader({
  ...readerOps,
  search: (): never => {
    for (;;) {
      // Spins: never checks its deadline or the cancel flag.
    }
  },
});
