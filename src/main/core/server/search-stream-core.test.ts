import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allMatches } from '../../../../test/helpers/all-matches';
import { indexThroughApi } from '../../../../test/helpers/core-api';
import { makeTempDir, writeRepo } from '../../../../test/helpers/make-repo';
import { createTestCore, type TestCore } from '../../../../test/helpers/test-core';
import { openConnection } from '../db/open-connection';
import { startLoopbackServer, type LoopbackServer } from './loopback-server';

let temp: ReturnType<typeof makeTempDir>;
let test: TestCore;
let server: LoopbackServer;

beforeAll(async () => {
  temp = makeTempDir();
  writeRepo(
    join(temp.path, 'repo'),
    Object.fromEntries(Array.from({ length: 12 }, (_, file) => [`src/f${file}.ts`, Array.from({ length: 300 }, (_, line) => `const value_${line} = "${file}"; // value`).join('\n')])),
  );
  test = createTestCore({}, { logToFile: false });
  await indexThroughApi(test.core.api, join(temp.path, 'repo'));
  server = await startLoopbackServer({ core: test.core, port: 0 });
});

afterAll(async () => {
  await server.dispose();
  await test.close();
  temp.remove();
});

function stream(body: unknown): Promise<{ status: number; text: string }> {
  return fetch(`${server.origin}/stream/search`, { method: 'POST', headers: { authorization: `Bearer ${server.token}` }, body: JSON.stringify(body) }).then(async (response) => ({
    status: response.status,
    text: await response.text(),
  }));
}

describe('the streamed route on a real core: chunks formatted in the reader thread', () => {
  it('writes every match as the pages hold it, then the end line', async () => {
    const { status, text } = await stream({ query: 'value_\\d+', mode: 'regex' });
    expect(status).toBe(200);
    const lines = text.trimEnd().split('\n');
    const reader = openConnection(test.core.options.paths.dbPath, { mode: 'reader' });
    try {
      const pages = allMatches(reader, { query: 'value_\\d+', mode: 'regex' });
      expect(pages).toHaveLength(3600);
      expect(lines.slice(0, -1)).toEqual(pages.map((match) => JSON.stringify(match)));
    } finally {
      reader.close();
    }
    // The total is what counting reached as the chunks went (a streamed listing does not count ahead).
    expect(JSON.parse(lines.at(-1) ?? '')).toMatchObject({ done: true, written: 3600, more: false });
  });

  it('answers a bad regex with a 400 and the message the user sees', async () => {
    const { status, text } = await stream({ query: 'value(', mode: 'regex' });
    expect(status).toBe(400);
    expect(JSON.parse(text)).toMatchObject({ ok: false, error: { code: 'invalid_regex' } });
    expect(JSON.parse(text).error.message).toMatch(/^Invalid regular expression "value\(":/);
  });
});
