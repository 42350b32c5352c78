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
