import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintWithoutTypes } from './helpers/lint-without-types';

const root = resolve(__dirname, '..');
const eslint = lintWithoutTypes();

/** Lints `code` as if it lived at `file` and returns the boundary rule's messages. */
async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(root, file) });
  return (result?.messages ?? []).filter((message) => message.ruleId === '@typescript-eslint/no-restricted-imports').map((message) => message.message);
}

describe('import boundaries (docs/ARCHITECTURE.md)', () => {
  it('fails a renderer file that imports main', async () => {
    const errors = await boundaryErrors('src/renderer/src/Wrong.ts', "import { createCore } from '../../main/core/core';\nexport const x = createCore;\n");
    expect(errors).toContainEqual(expect.stringContaining('Renderer, preload and shared code never import main.'));
  });

  it('fails a core file that imports electron, even a type', async () => {
    const value = await boundaryErrors('src/main/core/wrong.ts', "import { app } from 'electron';\nexport const x = app;\n");
    expect(value).toEqual([expect.stringContaining('Only the Electron shell')]);
    const type = await boundaryErrors('src/main/core/wrong.ts', "import type { App } from 'electron';\nexport type X = App;\n");
    expect(type).toHaveLength(1);
  });

  it('fails shared code that imports Node or main', async () => {
    expect(await boundaryErrors('src/shared/wrong.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n")).toHaveLength(1);
    expect(await boundaryErrors('src/shared/wrong.ts', "import { createCore } from '../main/core/core';\nexport const x = createCore;\n")).toHaveLength(1);
  });

  it('catches the spellings that dodge an exact name: electron/main, bare built-ins', async () => {
    expect(await boundaryErrors('src/main/core/wrong.ts', "import { app } from 'electron/main';\nexport const x = app;\n")).not.toEqual([]);
    expect(await boundaryErrors('src/shared/wrong.ts', "import { readFileSync } from 'fs';\nexport const x = readFileSync;\n")).not.toEqual([]);
    expect(await boundaryErrors('src/shared/wrong.ts', "import { readFile } from 'fs/promises';\nexport const x = readFile;\n")).not.toEqual([]);
    expect(await boundaryErrors('src/renderer/src/Wrong.ts', "import { join } from 'path';\nexport const x = join;\n")).not.toEqual([]);
  });

  it('lets the shell import electron types but not values', async () => {
    expect(await boundaryErrors('src/main/shell/wrong.ts', "import type { BrowserWindow } from 'electron';\nexport type X = BrowserWindow;\n")).toEqual([]);
    expect(await boundaryErrors('src/main/shell/wrong.ts', "import { BrowserWindow } from 'electron';\nexport const x = BrowserWindow;\n")).toHaveLength(1);
  });

  it('fails the preload importing the renderer', async () => {
    expect(await boundaryErrors('src/preload/wrong.ts', "import { App } from '../renderer/src/App';\nexport const x = App;\n")).toContainEqual(
      expect.stringContaining('Nothing imports the renderer.'),
    );
  });

  it('holds the preload to its allow-list: no zod schemas, no Node, no other shared module', async () => {
    expect(await boundaryErrors('src/preload/wrong.ts', "import { requestSchemas } from '../shared/contract';\nexport const x = requestSchemas;\n")).toEqual([
      expect.stringContaining('only types from contract.ts'),
    ]);
    expect(await boundaryErrors('src/preload/wrong.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n")).toEqual([
      expect.stringContaining('The preload imports only electron'),
    ]);
    expect(await boundaryErrors('src/preload/wrong.ts', "import { parseQuery } from '../shared/query-filters';\nexport const x = parseQuery;\n")).toHaveLength(1);
    expect(
      await boundaryErrors(
        'src/preload/right.ts',
        "import type { GitbotApi } from '../shared/contract';\nimport { Emitter } from '../shared/event';\nimport { createIpcTransport } from './ipc-transport';\nexport type X = GitbotApi;\nexport const y = [Emitter, createIpcTransport];\n",
      ),
    ).toEqual([]);
  });

  it('keeps the core in layers: no folder imports its own layer, a higher one or the composition root', async () => {
    expect(await boundaryErrors('src/main/core/tasks/wrong.ts', "import { toMb } from '../monitor/process-memory';\nexport const x = toMb;\n")).toEqual([
      expect.stringContaining('core/tasks is in layer 4'),
    ]);
    expect(await boundaryErrors('src/main/core/db/wrong.ts', "import type { SearchPage } from '../query/reader-ops';\nexport type X = SearchPage;\n")).toEqual([
      expect.stringContaining('core/db is in layer 5'),
    ]);
    expect(await boundaryErrors('src/main/core/base/wrong.ts', "import type { Logger } from '../log/logger';\nexport type X = Logger;\n")).toEqual([
      expect.stringContaining('core/base is in layer 1'),
    ]);
    expect(await boundaryErrors('src/main/core/monitor/wrong.ts', "import type { Core } from '../core';\nexport type X = Core;\n")).toEqual([expect.stringContaining('The composition root')]);
    expect(
      await boundaryErrors(
        'src/main/core/query/right.ts',
        "import { openConnection } from '../db/open-connection';\nimport { AppError } from '../base/errors';\nexport const x = [openConnection, AppError];\n",
      ),
    ).toEqual([]);
  });

  it('holds the renderer to its allow-list: React, uPlot, the SSE parser, its own files, shared without zod', async () => {
    const only = expect.stringContaining('The renderer imports only react, react-dom, uplot, eventsource-parser, its own files, src/shared.');
    expect(await boundaryErrors('src/renderer/src/hooks/wrong.ts', "import { z } from 'zod';\nexport const x = z;\n")).toEqual([only]);
    expect(await boundaryErrors('src/renderer/src/hooks/wrong.ts', "import { makeRepo } from '../../../../test/helpers/make-repo';\nexport const x = makeRepo;\n")).toEqual([only]);
    expect(await boundaryErrors('src/renderer/src/wrong.ts', "import { x } from './hooks/../../../scripts/bench.mjs';\nexport const y = x;\n")).toEqual([only]);
    expect(await boundaryErrors('src/renderer/src/hooks/wrong.ts', "import { requestSchemas } from '../../../shared/contract';\nexport const x = requestSchemas;\n")).toEqual([
      expect.stringContaining('The renderer takes only types from contract.ts: its zod schemas stay in main.'),
    ]);
    const right = [
      "import { useState } from 'react';",
      "import { createRoot } from 'react-dom/client';",
      "import uPlot from 'uplot';",
      "import 'uplot/dist/uPlot.min.css';",
      "import { EventSourceParserStream } from 'eventsource-parser/stream';",
      "import type { GitbotApi } from '../../../shared/contract';",
      "import { ok } from '../../../shared/result';",
      "import { App } from '../App';",
      "import { useStats } from './use-stats';",
      'export type X = GitbotApi;',
      'export const y = [useState, createRoot, uPlot, EventSourceParserStream, ok, App, useStats];',
    ].join('\n');
    expect(await boundaryErrors('src/renderer/src/hooks/right.ts', right)).toEqual([]);
  });

  it('holds src/main/index.ts to the shell and the core', async () => {
    expect(await boundaryErrors('src/main/index.ts', "import { App } from '../renderer/src/App';\nexport const x = App;\n")).toHaveLength(1);
  });

  it('accepts the right-way imports', async () => {
    expect(await boundaryErrors('src/renderer/src/Right.ts', "import type { GitbotApi } from '../../shared/contract';\nexport type X = GitbotApi;\n")).toEqual([]);
    expect(await boundaryErrors('src/main/core/right.ts', "import { ok } from '../../shared/result';\nexport const x = ok;\n")).toEqual([]);
  });
});
