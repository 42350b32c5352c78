import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo, configureTestBundle } from '../../../test/helpers/test-core';
import { runCli } from './run-cli';

describe('gitbot CLI', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(() => {
    configureTestBundle();
    dir = mkdtempSync(join(tmpdir(), 'gitbot-cli-'));
    env = { GITBOT_DATA_DIR: dir };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the health report as the same JSON as GET /health', async () => {
    const run = captureIo(env, dir);
    expect(await runCli(['health', '--json', '--db', join(dir, 'h.sqlite')], run.io)).toBe(0);
    const report = JSON.parse(run.stdout());
    expect(report.status).toBe('healthy');
    expect(report.memory.rss_mb).toBeGreaterThan(1);
    expect(report.background_tasks).toMatchObject({ total_tasks: 0, active_tasks: 0 });
    expect(report.database_pool.max_connections).toBe(20);
  });

  it('answers health in one shot without a core: the database is only read, a missing one is not created', async () => {
    const { existsSync } = await import('node:fs');
    const missing = join(dir, 'never-created.sqlite');
    const run = captureIo(env, dir);
    expect(await runCli(['health', '--json', '--db', missing], run.io)).toBe(0);
    // No reader pool was started: the section shows the configured limits with nothing open.
    expect(JSON.parse(run.stdout()).database_pool).toMatchObject({ size: 0, checked_out: 0, created: 0, max_connections: 20 });
    expect(existsSync(missing)).toBe(false);
  });

  it('prints a readable health report without --json', async () => {
    const run = captureIo(env, dir);
    expect(await runCli(['health'], run.io)).toBe(0);
    expect(run.stdout()).toMatch(/^status: healthy\nmemory: rss [\d.]+ MB/);
  });

  it('gives one line and exit code 2 for usage mistakes', async () => {
    const unknown = captureIo(env, dir);
    expect(await runCli(['frobnicate'], unknown.io)).toBe(2);
    expect(unknown.stderr()).toBe('gitbot: unknown command "frobnicate" (run "gitbot --help" for the list)\n');

    const badFlag = captureIo(env, dir);
    expect(await runCli(['health', '--colour'], badFlag.io)).toBe(2);
    expect(badFlag.stderr()).toMatch(/^gitbot health: Unknown option '--colour'.*\(see "gitbot health --help"\)\n$/);

    const badPort = captureIo(env, dir);
    expect(await runCli(['serve', '--port', 'eighty'], badPort.io)).toBe(2);
    expect(badPort.stderr()).toBe('gitbot serve: --port must be an integer from 0 to 65535, got "eighty" (see "gitbot serve --help")\n');
  });

  it('rejects an invalid setting at start with the variable and its range', async () => {
    const run = captureIo({ ...env, DATABASE_MAX_CONNECTIONS: 'lots' }, dir);
    expect(await runCli(['health'], run.io)).toBe(1);
    expect(run.stderr()).toBe('gitbot health: Invalid DATABASE_MAX_CONNECTIONS="lots" (from env): expected an integer from 1 to 256\n');
  });

  it('shows flags and .env values with their source in getConfig, and uses GITBOT_PORT from .env', async () => {
    const { writeFileSync } = await import('node:fs');
    const { createServer } = await import('node:net');
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as { port: number }).port;
    writeFileSync(join(dir, '.env'), `GITBOT_PORT=${port}\nMAX_DOCUMENTS_PER_BATCH=50\n`);
    try {
      const run = captureIo(env, dir);
      expect(await runCli(['serve'], run.io)).toBe(1);
      expect(run.stderr()).toBe(`gitbot serve: port ${port} on 127.0.0.1 is already in use (set --port or GITBOT_PORT, 0 picks a free one)\n`);
    } finally {
      busy.close();
    }
    const { loadCliConfig } = await import('./cli-config');
    const config = loadCliConfig({ env, cwd: dir, db: join(dir, 'flag.sqlite'), overrides: { GITBOT_PORT: '0' } });
    const source = (name: string) => config.entries.find((entry) => entry.name === name);
    expect(source('GITBOT_DB')).toMatchObject({ value: join(dir, 'flag.sqlite'), source: 'cli' });
    expect(source('GITBOT_PORT')).toMatchObject({ value: 0, source: 'cli' });
    expect(source('MAX_DOCUMENTS_PER_BATCH')).toMatchObject({ value: 50, source: '.env' });
    expect(source('GITBOT_DATA_DIR')).toMatchObject({ value: dir, source: 'env' });
    rmSync(join(dir, '.env'));
  });

  it('has --help on every command', async () => {
    for (const command of ['serve', 'health']) {
      const run = captureIo(env, dir);
      expect(await runCli([command, '--help'], run.io)).toBe(0);
      expect(run.stdout()).toContain(`Usage: gitbot ${command}`);
    }
    const overview = captureIo(env, dir);
    expect(await runCli(['--help'], overview.io)).toBe(0);
    expect(overview.stdout()).toContain('serve');
  });

  it('serve prints the URL with its token first and shuts down cleanly on SIGTERM', async () => {
    const run = captureIo(env, dir);
    const exit = runCli(['serve', '--port', '0'], run.io);
    await expect.poll(() => run.stdout(), { timeout: 10_000 }).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=\S+\n/);
    const url = new URL(run.stdout().split('\n')[0] as string);
    const status = await new Promise<number>((resolve, reject) => {
      request({ host: '127.0.0.1', port: Number(url.port), path: `/health?token=${url.searchParams.get('token')}` }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
        .on('error', reject)
        .end();
    });
    expect(status).toBe(200);
    process.emit('SIGTERM');
    expect(await exit).toBe(0);
    expect(run.stderr()).toContain('Shutting down...');
  });
});
