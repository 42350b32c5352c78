import { spawn } from 'node:child_process';
import { join } from 'node:path';

/**
 * Runs test/helpers/<script> DB ROOT ...rest under tsx and kills it (-9) as soon as it prints
 * `word`; fails if it prints "finished" first. Resolves once the process has exited.
 */
export async function killWhenPrinted(script: string, args: readonly string[], word: string): Promise<void> {
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', join(__dirname, script), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes(word)) {
        child.kill('SIGKILL');
        resolve();
      } else if (chunk.toString().includes('finished')) {
        reject(new Error('the child finished before it was killed'));
      }
    });
  });
  await new Promise((resolve) => child.once('exit', resolve));
}
