import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RotatingFile } from './rotating-file';

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'gitbot-log-'));
});
afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

const line = (i: number) => `line ${String(i).padStart(3, '0')} ${'x'.repeat(40)}`; // 49 characters + newline = 50 bytes

describe('RotatingFile', () => {
  it('creates its folder and appends lines', () => {
    const path = join(directory, 'logs', 'gitbot.log');
    const file = new RotatingFile(path, 1000, 3);
    file.write(line(1));
    file.write(line(2));
    file.close();
    expect(readFileSync(path, 'utf8')).toBe(`${line(1)}\n${line(2)}\n`);
  });

  it('rotates at maxBytes and keeps `files` generations, newest in the base file', () => {
    const path = join(directory, 'gitbot.log');
    const file = new RotatingFile(path, 200, 3);
    for (let i = 0; i < 17; i += 1) file.write(line(i));
    file.close();
    // 4 lines (200 bytes) per generation: 0-3, 4-7, 8-11, 12-15, 16. Three generations kept.
    expect(readFileSync(path, 'utf8')).toBe(`${line(16)}\n`);
    expect(readFileSync(`${path}.1`, 'utf8')).toBe([12, 13, 14, 15].map((i) => `${line(i)}\n`).join(''));
    expect(readFileSync(`${path}.2`, 'utf8')).toBe([8, 9, 10, 11].map((i) => `${line(i)}\n`).join(''));
    expect(existsSync(`${path}.3`)).toBe(false);
  });

  it('keeps only the current file when files is 1', () => {
    const path = join(directory, 'gitbot.log');
    const file = new RotatingFile(path, 100, 1);
    for (let i = 0; i < 5; i += 1) file.write(line(i));
    file.close();
    expect(readFileSync(path, 'utf8')).toBe(`${line(4)}\n`);
    expect(existsSync(`${path}.1`)).toBe(false);
  });

  it('continues an existing file, counting its size, and ignores writes after close', () => {
    const path = join(directory, 'gitbot.log');
    const first = new RotatingFile(path, 150, 2);
    first.write(line(1));
    first.write(line(2));
    first.close();
    const second = new RotatingFile(path, 150, 2);
    expect(second.currentSize).toBe(100);
    second.write(line(3));
    second.write(line(4));
    second.close();
    second.close();
    second.write(line(5));
    expect(readFileSync(`${path}.1`, 'utf8')).toBe(`${line(1)}\n${line(2)}\n${line(3)}\n`);
    expect(readFileSync(path, 'utf8')).toBe(`${line(4)}\n`);
  });

  it('writes a line longer than maxBytes whole rather than losing it', () => {
    const path = join(directory, 'gitbot.log');
    const file = new RotatingFile(path, 20, 2);
    file.write('a'.repeat(50));
    file.write('b');
    file.close();
    expect(readFileSync(`${path}.1`, 'utf8')).toBe(`${'a'.repeat(50)}\n`);
    expect(readFileSync(path, 'utf8')).toBe('b\n');
  });
});
