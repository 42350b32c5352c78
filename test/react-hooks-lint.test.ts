import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintWithoutTypes } from './helpers/lint-without-types';

const root = resolve(__dirname, '..');
const eslint = lintWithoutTypes();

/** Lints `code` as a renderer file and returns the react-hooks errors (rule: message). */
async function hookErrors(code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(root, 'src/renderer/src/components/Wrong.tsx') });
  return (result?.messages ?? []).filter((message) => message.ruleId?.startsWith('react-hooks/') === true && message.severity === 2).map((message) => message.ruleId ?? '');
}

describe('the renderer keeps the rules of hooks (eslint-plugin-react-hooks)', () => {
  it('fails a hook called conditionally', async () => {
    const code = "import { useState } from 'react';\nexport function Wrong({ on }: { on: boolean }) {\n  if (on) {\n    useState(0);\n  }\n  return null;\n}\n";
    expect(await hookErrors(code)).toEqual(['react-hooks/rules-of-hooks']);
  });

  it('fails an effect that reads a value it does not list', async () => {
    const code = "import { useEffect } from 'react';\nexport function Wrong({ value }: { value: number }) {\n  useEffect(() => {\n    console.log(value);\n  }, []);\n  return null;\n}\n";
    expect(await hookErrors(code)).toEqual(['react-hooks/exhaustive-deps']);
  });
});
