import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(__dirname, '..');

/**
 * `npm start` where Electron cannot run: the real script, the real build and the real CLI.
 * ELECTRON_OVERRIDE_DIST_PATH points at an empty folder, so the binary is missing on every
 * machine (here it is missing anyway) and no window ever opens during a test run.
 */
describe('npm start without a usable Electron', () => {
  let scratch: string;
  let child: ChildProcess;
  const lines: string[] = [];
  let stderr = '';
  let url: URL;

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'gitbot-start-'));
    child = spawn(process.execPath, [join(root, 'scripts', 'start.mjs')], {
      cwd: root,
      env: {
        ...process.env,
        ELECTRON_OVERRIDE_DIST_PATH: join(scratch, 'no-electron'),
        GITBOT_DATA_DIR: join(scratch, 'data'),
        GITBOT_DB: '',
        GITBOT_PORT: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // The script builds first when out/ is missing or stale, hence the long wait.
    url = await new Promise<URL>((resolveUrl, reject) => {
      const reader = createInterface({ input: child.stdout! });
      reader.on('line', (line) => {
        lines.push(line);
        if (/^http:\/\/127\.0\.0\.1:\d+\//.test(line)) {
          resolveUrl(new URL(line));
        }
      });
      child.on('exit', (code) => reject(new Error(`npm start exited with ${code} before printing a URL:\n${lines.join('\n')}\n${stderr}`)));
    });
  }, 240_000);

  afterAll(() => {
    if (child.exitCode === null) {
      child.kill('SIGKILL');
    }
    rmSync(scratch, { recursive: true, force: true });
  });

  it('says in one line that Electron is missing and that the browser takes over', () => {
    const said = lines.filter((line) => !line.startsWith('Building the app'));
    expect(said[0]).toBe(`Electron is not available on this machine (${join(scratch, 'no-electron', 'electron')} is missing); serving the dashboard in your browser instead.`);
    expect(said[1]).toBe(url.href);
  });

  it('serves the health report at the printed URL, with its token only', async () => {
    const token = url.searchParams.get('token');
    expect(token).toMatch(/^[\w-]{20,}$/);
    const health = await fetch(new URL('/health', url.origin), { headers: { Authorization: `Bearer ${token}` } });
    expect(health.status).toBe(200);
    expect(Object.keys((await health.json()) as object).sort()).toEqual(expect.arrayContaining(['background_tasks', 'memory', 'status']));
    const anonymous = await fetch(new URL('/health', url.origin));
    expect(anonymous.status).toBe(401);
  });

  it('passes Ctrl-C on to the server, which shuts down cleanly', async () => {
    const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stderr).toContain('Shutting down...');
  }, 60_000);
});
