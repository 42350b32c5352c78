import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from './helpers/make-repo';

const root = resolve(__dirname, '..');
let temp: ReturnType<typeof makeTempDir> | undefined;
afterEach(() => temp?.remove());

/** Runs `npm run lint`'s dependency-cruiser config over `files` laid out in a scratch tree; returns its exit code and report. */
function cruise(files: Record<string, string>): { code: number; output: string } {
  temp = makeTempDir('gitbot-cycles-');
  writeFileSync(join(temp.path, 'tsconfig.node.json'), '{ "compilerOptions": { "module": "esnext", "moduleResolution": "bundler" } }\n');
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(temp.path, file)), { recursive: true });
    writeFileSync(join(temp.path, file), text);
  }
  try {
    const output = execFileSync(process.execPath, [join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs'), '--config', join(root, '.dependency-cruiser.cjs'), 'src'], {
      cwd: temp.path,
      encoding: 'utf8',
    });
    return { code: 0, output };
  } catch (error) {
    const failed = error as { status: number; stdout: string };
    return { code: failed.status, output: failed.stdout };
  }
}

describe('import cycles (dependency-cruiser, in npm run lint)', () => {
  it('fails a file cycle, even through type-only imports', () => {
    const { code, output } = cruise({
      'src/main/core/search/a.ts': "import type { B } from './b';\nexport type A = { b?: B };\n",
      'src/main/core/search/b.ts': "import type { A } from './a';\nexport type B = { a?: A };\n",
    });
    expect(code).not.toBe(0);
    expect(output).toContain('no-file-cycle');
  });

  it('fails a folder cycle in the core, with no file cycle', () => {
    const { code, output } = cruise({
      'src/main/core/db/pool.ts': "import { plan } from '../search/plan';\nexport const pool = () => plan;\n",
      'src/main/core/search/plan.ts': 'export const plan = 1;\n',
      'src/main/core/search/uses-db.ts': "import { pool } from '../db/pool';\nexport const usesDb = pool;\n",
    });
    expect(code).not.toBe(0);
    expect(output).toContain('no-folder-cycle');
    expect(output).not.toContain('no-file-cycle');
  });

  it('passes layers that import one way', () => {
    const { code } = cruise({
      'src/main/core/db/pool.ts': "import { plan } from '../search/plan';\nexport const pool = () => plan;\n",
      'src/main/core/search/plan.ts': 'export const plan = 1;\n',
    });
    expect(code).toBe(0);
  });
});
