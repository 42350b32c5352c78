/**
 * `node --require tsx/cjs scripts/bench-words.ts DB [--batch N] [--runs N]`: the FTS5 variants
 * words mode could use, measured on an index the CLI built (`gitbot index DIR --db DB`).
 *
 * For each variant: the cost of filling it in the writer's way (documents inserted in batches of
 * --batch per transaction, as the writer commits them), its size, and the first page (50 best
 * documents with their files) of a few common and rare words, medians of --runs. The database
 * is copied first; DB itself is only read.
 */
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';

const argv = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const index = argv.indexOf(`--${name}`);
  return index === -1 ? fallback : (argv[index + 1] ?? fallback);
};
const source = argv[0];
if (source === undefined) {
  throw new Error('usage: bench-words.ts DB [--batch N] [--runs N]');
}
const batch = Number(option('batch', '64'));
const runs = Number(option('runs', '5'));
const TOKENIZER = `unicode61 remove_diacritics 0 tokenchars '_' categories 'L* N*'`;

const variants: { name: string; options: string; external?: boolean }[] = [
  { name: 'external content, detail=full', options: `content='documents', content_rowid='id'`, external: true },
  { name: 'contentless, detail=full', options: `content='', contentless_delete=1` },
  { name: 'contentless (no delete), detail=full, columnsize=0', options: `content='', columnsize=0` },
  { name: 'contentless, detail=column', options: `content='', contentless_delete=1, detail=column` },
  { name: 'contentless, detail=none', options: `content='', contentless_delete=1, detail=none` },
];
const words = ['function', 'return', 'memory leak', 'useState', 'prototype', 'zyzzyva', 'deprecated', 'subscriber'];

function median(values: number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

function matchExpression(query: string): string {
  return (query.match(/[\p{L}\p{N}_]+/gu) ?? []).map((term) => `"${term.toLowerCase()}"`).join(' OR ');
}

const work = mkdtempSync(join(tmpdir(), 'bench-words-'));
try {
  const copy = join(work, 'words.sqlite');
  copyFileSync(source, copy);
  const db = new Database(copy);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const documents = db.prepare('SELECT id, file_id AS fileId, content FROM documents ORDER BY id').all() as { id: number; fileId: number; content: string }[];
  const bytes = documents.reduce((sum, row) => sum + Buffer.byteLength(row.content), 0);
  console.log(`${documents.length} documents, ${(bytes / 1e6).toFixed(1)} MB; batches of ${batch}; first page = 50 documents; medians of ${runs}`);
  for (const variant of variants) {
    db.exec('DROP TABLE IF EXISTS word_index');
    db.exec(`CREATE VIRTUAL TABLE word_index USING fts5(content, tokenize = "${TOKENIZER}", ${variant.options})`);
    const before = statSync(copy).size;
    const insert = db.prepare('INSERT INTO word_index (rowid, content) VALUES (?, ?)');
    const fill = db.transaction((rows: typeof documents) => {
      for (const row of rows) {
        insert.run(row.id, row.content);
      }
    });
    const started = performance.now();
    const cpu = process.cpuUsage();
    for (let index = 0; index < documents.length; index += batch) {
      fill(documents.slice(index, index + batch));
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
    const fillSeconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const cpuSeconds = (used.user + used.system) / 1e6;
    const size = db.prepare(`SELECT sum(length(block)) AS bytes FROM word_index_data`).get() as { bytes: number };
    console.log(
      `\n${variant.name}: filled in ${fillSeconds.toFixed(2)} s (${cpuSeconds.toFixed(2)} s CPU), ${(size.bytes / 1e6).toFixed(1)} MB of index (file grew ${((statSync(copy).size - before) / 1e6).toFixed(1)} MB)`,
    );
    const ranked = db.prepare('SELECT w.rowid AS id, bm25(word_index) AS score, d.file_id AS fileId FROM word_index w JOIN documents d ON d.id = w.rowid WHERE word_index MATCH ?');
    for (const query of words) {
      const times: number[] = [];
      let total = 0;
      for (let run = 0; run < runs; run += 1) {
        const began = performance.now();
        const rows = ranked.all(matchExpression(query)) as { id: number; score: number; fileId: number }[];
        const best = new Map<number, number>();
        for (const row of rows) {
          best.set(row.fileId, Math.min(best.get(row.fileId) ?? 0, row.score));
        }
        rows.sort((left, right) => (best.get(left.fileId) as number) - (best.get(right.fileId) as number) || left.fileId - right.fileId || left.score - right.score);
        rows.slice(0, 50);
        times.push(performance.now() - began);
        total = rows.length;
      }
      console.log(`  ${query.padEnd(12)} ${String(total).padStart(6)} documents  first page ${median(times).toFixed(1).padStart(7)} ms`);
    }
  }
  db.close();
} finally {
  rmSync(work, { recursive: true, force: true });
}
