import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeRepo, makeTempDir } from '../../../../test/helpers/make-repo';
import { RecordingLogger } from '../db/pool-test-helpers';
import { EventHub } from '../base/events';
import { silentLogger } from '../log/logger';
import { PressureFlag } from '../monitor/pressure-flag';
import { TaskManager } from '../tasks/task-manager';
import { sourceWorkers } from '../base/workers';
import { Indexer } from './indexer';

const coreDir = join(__dirname, '..');

let temp: ReturnType<typeof makeTempDir>;
let indexer: Indexer | undefined;
beforeEach(() => {
  temp = makeTempDir();
  mkdirSync(join(temp.path, 'data'));
  // 120 files of one document each: twelve batches of ten.
  writeRepo(join(temp.path, 'repo'), Object.fromEntries(Array.from({ length: 120 }, (_, index) => [`file-${String(index).padStart(3, '0')}.txt`, `line ${index} of a file\n`])));
});
afterEach(async () => {
  await indexer?.dispose();
  indexer = undefined;
  temp.remove();
});

async function indexWith(flag: PressureFlag): Promise<string[]> {
  const logger = new RecordingLogger();
  indexer = new Indexer({
    dbPath: join(temp.path, 'data', 'index.sqlite'),
    config: { MAX_FILE_SIZE: 1024 * 1024, MAX_CONTENT_LENGTH: 50_000, MAX_DOCUMENTS_PER_BATCH: 10, CHUNK_SIZE: 8192, MEMORY_THRESHOLD_MB: 100, GITBOT_INDEX_WORKERS: 1 },
    tasks: new TaskManager({ logger: silentLogger }),
    events: new EventHub(),
    logger,
    workers: sourceWorkers(coreDir),
    // A heap budget no thread reaches: only the flag can shrink batches.
    pressure: { flag, heapBytes: 1024 * 1024 * 1024, minDocumentsPerBatch: 2 },
  });
  indexer.start(join(temp.path, 'repo'));
  await expect.poll(() => logger.messages().some((message) => message.startsWith('Indexed ')), { timeout: 30_000 }).toBe(true);
  return logger.messages().filter((message) => message.startsWith('Indexing batch size'));
}

describe('index batches under memory pressure (issue 11, item 1)', () => {
  it('shrink while main says memory is short (a cleanup ran and the RSS is not yet back under MEMORY_THRESHOLD_MB)', async () => {
    const flag = new PressureFlag();
    flag.set(true);
    const changes = await indexWith(flag);
    // Halved down to the budget's floor, and held there while the flag stays set.
    expect(changes).toEqual(['Indexing batch size shrunk to 5 documents', 'Indexing batch size shrunk to 2 documents']);
  });

  it('keep their size otherwise', async () => {
    expect(await indexWith(new PressureFlag())).toEqual([]);
  });
});
