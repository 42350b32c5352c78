import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { test as base, expect } from '@playwright/test';

export interface DashboardServer {
  /** The dashboard URL, token included, as `gitbot serve` printed it. */
  readonly url: string;
  readonly origin: string;
  readonly token: string;
  readonly dbPath: string;
  readonly dataDir: string;
  /** Everything the server wrote to stderr so far (warnings, errors). */
  stderr(): string;
  /** Stops the core now (SIGKILL), as a crash would: the page must notice on its own. */
  kill(): Promise<void>;
}

const cli = resolve(__dirname, '..', '..', 'out', 'main', 'cli.js');
const fakeDesktop = resolve(__dirname, 'fake-desktop.ts');

/**
 * What serves the dashboard: `gitbot serve` (the browser case), or the desktop app's composition
 * with a fake Electron (`fake-desktop.ts`), whose core has the shell's native handlers.
 */
export type ServerKind = 'serve' | 'fake-desktop';

/** Starts the real core on a fresh data folder and waits for its URL. */
async function startServer(env: Record<string, string>, kind: ServerKind): Promise<{ server: DashboardServer; child: ChildProcess }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gitbot-e2e-'));
  const dbPath = join(dataDir, 'index.sqlite');
  const args = kind === 'serve' ? [cli, 'serve', '--port', '0', '--db', dbPath] : ['--require', 'tsx/cjs', fakeDesktop];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, GITBOT_DATA_DIR: dataDir, GITBOT_DB: dbPath, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const firstLine = await new Promise<string>((resolveLine, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error(`${kind} printed no URL within 20 s; stderr: ${stderr}`)), 20_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolveLine(line);
    });
    child.once('exit', (code) => reject(new Error(`${kind} exited with ${code}; stderr: ${stderr}`)));
  });
  const url = new URL(firstLine);
  return {
    child,
    server: {
      url: firstLine,
      origin: url.origin,
      token: url.searchParams.get('token') ?? '',
      dbPath,
      dataDir,
      stderr: () => stderr,
      kill: async () => {
        if (child.exitCode === null && child.signalCode === null) {
          const exited = new Promise((resolveExit) => child.once('exit', resolveExit));
          child.kill('SIGKILL');
          await exited;
        }
      },
    },
  };
}

async function stopServer(child: ChildProcess, dataDir: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolveExit) => child.once('exit', resolveExit));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
  rmSync(dataDir, { recursive: true, force: true });
}

export const test = base.extend<{ serverEnv: Record<string, string>; serverKind: ServerKind; server: DashboardServer }>({
  serverEnv: [{ STATS_INTERVAL_MS: '250' }, { option: true }],
  serverKind: ['serve', { option: true }],
  server: async ({ serverEnv, serverKind }, use) => {
    const { server, child } = await startServer(serverEnv, serverKind);
    await use(server);
    await stopServer(child, server.dataDir);
  },
});

export { expect };
