/** The production reader worker's entry: the app's read ops and the pool's own (`reader-ops.ts`), nothing else. */
import { readerOps } from './reader-ops';
import { serveReader } from './reader-service';

serveReader(readerOps);
