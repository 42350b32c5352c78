import { openMarkerPath } from '../db/integrity-check';
import { repositoryKey } from './validate-root';

/**
 * What a walk never lists: the database's own files (the database, -wal, -shm, -journal and
 * its open marker) and the app's other folders (logs, snapshots) when they lie inside the
 * folder being walked. Real paths, as the walk builds them from the repository's real root.
 * One list for the index run and for the file count before it, so the two cannot disagree.
 */
export function walkExclusions(dbPath: string, excludedPaths: readonly string[] = []): string[] {
  const database = repositoryKey(dbPath);
  return [database, `${database}-wal`, `${database}-shm`, `${database}-journal`, openMarkerPath(database), ...excludedPaths.map(repositoryKey)];
}
