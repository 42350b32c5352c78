import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { definitions } from '../src/main/core/config/definitions';

const readme = readFileSync(resolve(__dirname, '..', 'README.md'), 'utf8');

describe('README', () => {
  it('opens with the install-and-run and install-and-test commands', () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const commands = firstBlock
      .split('\n')
      .map((line) => line.replace(/#.*/, '').trim())
      .filter(Boolean);
    expect(commands).toEqual(['npm install && npm start', 'npm install && npm test']);
  });

  it('documents every setting with its default', () => {
    for (const [name, definition] of Object.entries(definitions)) {
      const shown = definition.default === '' ? '(empty)' : String(definition.default);
      expect(readme, name).toContain(`| \`${name}\` | \`${shown}\` |`);
    }
  });

  it('runs exactly the README test command in CI', () => {
    const ci = readFileSync(resolve(__dirname, '..', '.ci', 'run'), 'utf8');
    expect(ci).toContain('\nnpm install && npm test\n');
  });
});
