import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from './helpers/make-repo';

// The real launcher beside a stand-in for the built CLI that reports what it was started with.
let temp: ReturnType<typeof makeTempDir>;
let launcher: string;
const tuned = process.platform === 'linux';

beforeAll(() => {
  temp = makeTempDir('gitbot-bin-');
  mkdirSync(join(temp.path, 'bin'));
  mkdirSync(join(temp.path, 'out', 'main'), { recursive: true });
  for (const file of ['gitbot.cjs', 'malloc-tuning.cjs']) {
    copyFileSync(join(__dirname, '..', 'bin', file), join(temp.path, 'bin', file));
  }
  writeFileSync(
    join(temp.path, 'out', 'main', 'cli.js'),
    // With --wait it listens for SIGTERM before it says it started, and then waits for it.
    `if (process.argv[3] === '--wait') { process.on('SIGTERM', () => { process.stdout.write('SIGTERM\\n'); process.exit(3); }); setInterval(() => {}, 1000); }
     process.stdout.write(JSON.stringify({ arena: process.env.MALLOC_ARENA_MAX ?? null, mmap: process.env.MALLOC_MMAP_THRESHOLD_ ?? null, args: process.argv.slice(2) }) + '\\n');`,
  );
  launcher = join(temp.path, 'bin', 'gitbot.cjs');
});

afterAll(() => {
  temp.remove();
});

function run(args: string[], env: NodeJS.ProcessEnv = {}, onLine?: (line: string, kill: () => void) => void): Promise<{ lines: string[]; code: number | null }> {
  const child = spawn(process.execPath, [launcher, ...args], { env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: string[] = [];
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    for (let end = buffered.indexOf('\n'); end !== -1; end = buffered.indexOf('\n')) {
      lines.push(buffered.slice(0, end));
      buffered = buffered.slice(end + 1);
      onLine?.(lines[lines.length - 1] as string, () => child.kill('SIGTERM'));
    }
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ lines, code })));
}

describe('bin/gitbot.cjs runs the threaded commands with the glibc malloc tuning', () => {
  it.each(['serve', 'index'])('%s gets MALLOC_ARENA_MAX=2 and the fixed mmap threshold', async (command) => {
    const { lines, code } = await run([command, '/some/folder']);
    expect(code).toBe(0);
    expect(JSON.parse(lines[0] as string)).toEqual({ arena: tuned ? '2' : null, mmap: tuned ? '131072' : null, args: [command, '/some/folder'] });
  });

  it('search runs in one thread and starts only once, untuned', async () => {
    const { lines } = await run(['search', 'x']);
    expect(JSON.parse(lines[0] as string)).toMatchObject({ arena: null, mmap: null });
  });

  it('keeps a value the user set', async () => {
    const { lines } = await run(['serve'], { MALLOC_ARENA_MAX: '4' });
    expect(JSON.parse(lines[0] as string)).toMatchObject({ arena: '4', mmap: tuned ? '131072' : null });
  });

  it('forwards SIGTERM to the CLI and exits with its code', async () => {
    const { lines, code } = await run(['serve', '--wait'], {}, (line, kill) => {
      if (line.startsWith('{')) {
        kill();
      }
    });
    expect({ lines: lines.slice(1), code }).toEqual({ lines: ['SIGTERM'], code: 3 });
  });
});
