/** Patches fs so the first read of any file named huge.txt hoards memory until the thread's heap runs out. */
import fs from 'node:fs';
import { basename } from 'node:path';

const hoarded = new Set<number>();
const open = fs.openSync;
const read = fs.readSync;
fs.openSync = ((path: fs.PathLike, flags?: fs.OpenMode, mode?: fs.Mode) => {
  const fd = open(path, flags ?? 'r', mode);
  if (basename(path.toString()) === 'huge.txt') hoarded.add(fd);
  return fd;
}) as typeof fs.openSync;
fs.readSync = ((fd: number, ...rest: Parameters<typeof fs.readSync> extends [number, ...infer R] ? R : never) => {
  if (hoarded.has(fd)) {
    const hoard: string[][] = [];
    for (;;) hoard.push(Array.from({ length: 10_000 }, (_, index) => `line ${index} of text`));
  }
  return (read as (...args: unknown[]) => number)(fd, ...rest);
}) as typeof fs.readSync;
