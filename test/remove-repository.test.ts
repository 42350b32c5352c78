import { mkdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createRemoveCommand } from '../src/main/cli/commands/remove-command';
import { runCli } from '../src/main/cli/run-cli';
import { makeTempDir } from './helpers/make-repo';
import { captureIo, createTestCore, type TestCore } from './helpers/test-core';
import { nextEvent, valueOf } from './helpers/core-api';

let temp: ReturnType<typeof makeTempDir>;
let dbPath: string;
const cores: TestCore[] = [];

beforeEach(() => {
  temp = makeTempDir('gitbot-remove-');
  dbPath = join(temp.path, 'data', 'index.sqlite');
  mkdirSync(join(temp.path, 'data'));
});

afterEach(async () => {
  for (const core of cores.splice(0)) await core.close();
  temp.remove();
});

function openCore(): TestCore['core'] {
  const test = createTestCore({ GITBOT_DB: dbPath }, { logToFile: false });
  cores.push(test);
  return test.core;
}

function repo(name: string): string {
  const root = join(temp.path, name);
  mkdirSync(root);
  writeFileSync(join(root, 'a.txt'), `needle in ${name}\n`);
  return realpathSync(root);
}

async function index(core: TestCore['core'], root: string): Promise<void> {
  const done = nextEvent(core.api, 'indexDone');
  await valueOf(core.api.startIndexing({ path: root }));
  expect((await done).status).toBe('completed');
}

it('removeRepository drops one repository through the writer, keeps the others, and works when the folder is gone', async () => {
  const core = openCore();
  const first = repo('first');
  const second = repo('second');
  await index(core, first);
  await index(core, second);
  expect(await valueOf(core.api.removeRepository({ repo: first }))).toEqual({ removed: true });
  const repositories = await valueOf(core.api.listRepositories({}));
  expect(repositories.map((repository) => repository.root)).toEqual([second]);
  const page = await valueOf(core.api.search({ query: 'needle', mode: 'literal', limit: 1000 }));
  expect(page.matches.map((match) => `${match.repo} ${match.text}`)).toEqual([`${second} needle in second`]);
  expect(await valueOf(core.api.removeRepository({ repo: first }))).toEqual({ removed: false });
  // A repository whose folder was deleted can still be removed from the index.
  rmSync(second, { recursive: true });
  expect(await valueOf(core.api.removeRepository({ repo: second }))).toEqual({ removed: true });
  expect(await valueOf(core.api.listRepositories({}))).toEqual([]);
  expect(
    core.tasks
      .list()
      .filter((task) => task.type === 'remove_repository')
      .map((task) => task.status),
  ).toEqual(['completed', 'completed', 'completed']);
  expect(await core.api.removeRepository({ repo: '' })).toEqual({
    ok: false,
    error: { code: 'bad_request', message: 'Invalid argument for removeRepository: repo: path is empty; repo: must be an absolute path' },
  });
});

it('gitbot remove <folder> says what it did and exits 1 when the folder was not indexed', async () => {
  const root = repo('cli');
  await index(openCore(), root);
  const remove = createRemoveCommand(() => openCore());
  const removed = captureIo();
  expect(await remove.run([root], removed.io)).toBe(0);
  expect(removed.stdout()).toBe(`Removed ${root} from the index\n`);
  const again = captureIo();
  expect(await remove.run([root, '--json'], again.io)).toBe(1);
  expect(again.stdout()).toBe('{"removed":false}\n');
});

it('an empty path is an error on every surface: gitbot index "", gitbot remove "", startIndexing and removeRepository', async () => {
  const cli = captureIo({ GITBOT_DB: dbPath }, temp.path);
  expect(await runCli(['index', ''], cli.io)).toBe(2);
  expect(cli.stderr()).toBe('gitbot index: the folder to index is an empty path (see "gitbot index --help")\n');
  const removeCli = captureIo({ GITBOT_DB: dbPath }, temp.path);
  expect(await runCli(['remove', ''], removeCli.io)).toBe(2);
  expect(removeCli.stderr()).toBe('gitbot remove: missing the folder to remove (see "gitbot remove --help")\n');
  const core = openCore();
  expect(await core.api.startIndexing({ path: '' })).toEqual({
    ok: false,
    error: { code: 'bad_request', message: 'Invalid argument for startIndexing: path: path is empty; path: must be an absolute path' },
  });
  // Nothing was indexed from the working folder.
  expect(await valueOf(core.api.listRepositories({}))).toEqual([]);
});
