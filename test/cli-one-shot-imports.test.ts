import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from './helpers/make-repo';

const child = join(__dirname, 'helpers', 'loaded-modules-child.ts');
let data: ReturnType<typeof makeTempDir>;

beforeAll(() => {
  data = makeTempDir('gitbot-imports-');
});

afterAll(() => {
  data.remove();
});

function loadedBy(args: string[]): { code: number; loaded: string[] } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', child, ...args], { encoding: 'utf8', env: { ...process.env, GITBOT_DATA_DIR: data.path } });
  return JSON.parse(result.stdout.trim()) as { code: number; loaded: string[] };
}

// Start-up is most of a one-shot command's time: what it does not use, it must not load.
describe('a one-shot gitbot command loads only what it uses', () => {
  it('search loads neither the core, the HTTP server nor the other commands', () => {
    const { code, loaded } = loadedBy(['search', 'needle', '--db', join(data.path, 'missing.sqlite')]);
    expect(code).toBe(1);
    expect(loaded).toContain('main/cli/read-only-search.ts');
    expect(loaded.filter((file) => /^main\/(core\/core|core\/server\/|cli\/open-core|cli\/commands\/(serve|index|remove|health)-command)/.test(file))).toEqual([]);
  });

  it('health loads neither the core nor the search', () => {
    const { code, loaded } = loadedBy(['health', '--db', join(data.path, 'missing.sqlite')]);
    expect(code).toBe(0);
    expect(loaded.filter((file) => /^main\/(core\/core|core\/server\/|core\/search\/|cli\/open-core|cli\/commands\/(serve|index|remove|search)-command)/.test(file))).toEqual([]);
  });
});
