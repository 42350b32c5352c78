import type { WritableDatabase } from '../base/database-types';
import { deleteRepositorySegments } from '../index/segment-store';

/**
 * Deletes a repository and everything indexed from it (postings, segments, documents, files,
 * the repository row) in one transaction, so a reader sees it whole or not at all. Runs in
 * the writer thread, the only connection that writes. Returns false when `root` is not indexed.
 */
export function removeRepository(db: WritableDatabase, root: string): boolean {
  return db.transaction(() => {
    const repo = db.prepare('SELECT id FROM repositories WHERE root = ?').pluck().get(root) as number | undefined;
    if (repo === undefined) {
      return false;
    }
    deleteRepositorySegments(db, repo);
    db.prepare('DELETE FROM documents WHERE file_id IN (SELECT id FROM files WHERE repo_id = ?)').run(repo);
    db.prepare('DELETE FROM files WHERE repo_id = ?').run(repo);
    db.prepare('DELETE FROM repositories WHERE id = ?').run(repo);
    return true;
  })();
}
