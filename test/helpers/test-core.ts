import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '../../src/main/core/config/load-config';
import { createCore, type Core, type CoreOptions } from '../../src/main/core/core';
import { resolvePaths } from '../../src/main/core/base/paths';
import { sourceWorkers } from '../../src/main/core/base/workers';
import { configureBundle } from '../../src/main/cli/bundle-layout';

export const coreSourceDir = resolve(__dirname, '../../src/main/core');

/** Worker threads loaded from TypeScript source through tsx. */
export const testWorkers = sourceWorkers(coreSourceDir);

/** Lets CLI commands run in-process against the source tree. */
export function configureTestBundle(): void {
  configureBundle({ workers: testWorkers, rendererDir: resolve(__dirname, '../../out/renderer') });
}

export interface TestCore {
  readonly core: Core;
  readonly dir: string;
  readonly dbPath: string;
  /** Shuts the core down and removes its folder. */
  close(): Promise<void>;
}

/** A real core on a temporary data folder; settings as environment variables. */
export function createTestCore(settings: Record<string, string> = {}, extra: Partial<CoreOptions> = {}): TestCore {
  const dir = mkdtempSync(join(tmpdir(), 'gitbot-test-'));
  const config = loadConfig({ env: { GITBOT_DATA_DIR: dir, ...settings } });
  const paths = resolvePaths({ dbSetting: config.values.GITBOT_DB, dataDirSetting: config.values.GITBOT_DATA_DIR });
  const core = createCore({ config, paths, workers: testWorkers, runtime: 'node', version: '0.0.0-test', ...extra });
  return {
    core,
    dir,
    dbPath: paths.dbPath,
    async close() {
      await core.shutdown();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Collects what a CLI command writes. */
export function captureIo(env: NodeJS.ProcessEnv = {}, cwd = process.cwd()) {
  const out: string[] = [];
  const err: string[] = [];
  const stream = (sink: string[]) =>
    ({
      write(chunk: string | Uint8Array) {
        sink.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
        return true;
      },
    }) as unknown as NodeJS.WritableStream;
  return {
    io: { stdout: stream(out), stderr: stream(err), env, cwd },
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  };
}
