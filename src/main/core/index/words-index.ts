/**
 * The full-text index words mode ranks with: an FTS5 table over the documents' text. The writer
 * fills it once per transaction, with one INSERT…SELECT over the documents that transaction
 * stored (`FILL_WORDS_SQL`), and a trigger on `documents` removes a document's row whenever a
 * document is deleted (a file re-indexed, skipped, removed from disk, a repository removed), so
 * no delete path can forget it. Filling per row by an AFTER INSERT trigger cost 5.4 s of CPU on
 * the large benchmark corpus where the bulk statement costs 3.1 s (docs/PERFORMANCE.md).
 *
 * Contentless (`content=''`): the text already lives in `documents`, so FTS5 keeps only its
 * doc lists with positions (detail=full, which gives BM25 its term frequencies) and each
 * document's length; `contentless_delete=1` lets a document's row be deleted by id.
 * The tokenizer matches words mode's word, `[\p{L}\p{N}_]+` compared case-insensitively:
 * letters and numbers (not private-use characters, unicode61's default), `_` as a word
 * character, case folded, diacritics kept. docs/PERFORMANCE.md has the variants measured.
 */

/** The FTS5 table's name. */
export const WORDS_TABLE = 'word_index';

/** The word definition in FTS5's terms (tokenizer options). */
export const WORDS_TOKENIZER = `unicode61 remove_diacritics 0 tokenchars '_' categories 'L* N*'`;

/** The table and the trigger that removes deleted documents; part of the index schema (index/schema.ts). */
export const WORDS_INDEX_SCHEMA = `
  CREATE VIRTUAL TABLE ${WORDS_TABLE} USING fts5(content, content = '', contentless_delete = 1, tokenize = "${WORDS_TOKENIZER}");
  CREATE TRIGGER documents_remove_words AFTER DELETE ON documents BEGIN
    DELETE FROM ${WORDS_TABLE} WHERE rowid = old.id;
  END;
`;

/** Indexes the documents with ids in [?, ?]: the ones the writer's transaction just stored. */
export const FILL_WORDS_SQL = `INSERT INTO ${WORDS_TABLE} (rowid, content) SELECT id, content FROM documents WHERE id BETWEEN ? AND ?`;

/**
 * The FTS5 query for words mode's terms: any of them (OR), each a quoted string so that no
 * term is read as FTS5 syntax (`AND`, `NEAR`, `*`, column filters).
 */
export function wordsMatchExpression(terms: readonly string[]): string {
  return terms.map((term) => `"${term.replaceAll('"', '""')}"`).join(' OR ');
}
