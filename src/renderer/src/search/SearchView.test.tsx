import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createRef } from 'react';
import { describe, expect, it } from 'vitest';
import type { RepositoryInfo, SearchMatch } from '../../../shared/types';
import { appInfo, createFakeApi, fail, ok } from '../test-utils/fake-api';
import { renderWithApi } from '../test-utils/render';
import { SearchView } from './SearchView';

const match = (repo: string, path: string, line: number, text: string, query: string): SearchMatch => ({ path, repo, line, text, ranges: [[text.indexOf(query), text.indexOf(query) + query.length]] });
const repository = (root: string): RepositoryInfo => ({ root, lastIndexedAt: 1, files: 3, bytes: 10, documents: 3, skipped: 0 });

function searchApi() {
  return createFakeApi({
    search: ({ query }) =>
      query.includes('(')
        ? fail('invalid_regex', 'Invalid regular expression "(": missing closing )')
        : ok({
            matches: [match('/src/alpha', 'a.ts', 3, `const ${query} = 1;`, query), match('/src/alpha', 'a.ts', 9, `use(${query})`, query), match('/src/beta', 'b.ts', 1, `// ${query}`, query)],
            total: { matches: 3, files: 2, exact: true },
            elapsedMs: 4.2,
          }),
    readLines: ({ lines }) => ok({ repo: '/src/alpha', path: 'a.ts', lines: lines.map((line) => ({ line, text: `line ${line} text` })) }),
  });
}

function renderView(api = searchApi(), info = appInfo()) {
  renderWithApi(<SearchView inputRef={createRef()} repositories={[repository('/src/alpha'), repository('/src/beta')]} indexingRepo={null} indexVersion={0} />, api, info);
  return api;
}

describe('SearchView', () => {
  it('groups results by file with the repository on every header, and a total', async () => {
    renderView();
    await userEvent.type(screen.getByRole('searchbox', { name: 'Search' }), 'needle');
    const tree = await screen.findByRole('tree', { name: 'Search results' });
    const headers = within(tree)
      .getAllByRole('treeitem')
      .filter((item) => item.getAttribute('aria-level') === '1');
    expect(headers.map((header) => header.getAttribute('aria-label'))).toEqual(['a.ts in alpha, 2 matches', 'b.ts in beta, 1 match']);
    expect(screen.getByRole('status', { name: '' })).toBeDefined();
    expect(screen.getByText('3 matches in 2 files · 4 ms')).toBeInTheDocument();
  });

  it('pages on with the cursor on its own channel, showing "+" while the total is a lower bound', async () => {
    const api = createFakeApi({
      search: ({ query, cursor }) =>
        cursor === undefined
          ? ok({ matches: [match('/src/alpha', 'a.ts', 3, `const ${query} = 1;`, query)], total: { matches: 1, files: 1, exact: false }, nextCursor: 'after-a3', elapsedMs: 2 })
          : ok({ matches: [match('/src/beta', 'b.ts', 1, `// ${query}`, query)], total: { matches: 2, files: 2, exact: true }, elapsedMs: 3 }),
    });
    renderView(api);
    await userEvent.type(screen.getByRole('searchbox', { name: 'Search' }), 'needle');
    expect(await screen.findByText('1+ match in 1+ file · 2 ms')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Load more results' }));
    // The time of both pages (2 + 3 ms), not the first page's alone.
    expect(await screen.findByText('2 matches in 2 files · 5 ms for 2 pages')).toBeInTheDocument();
    const [first, second] = api.calls.search.mock.calls.map(([args]) => args);
    expect(first).not.toHaveProperty('cursor');
    expect(second).toMatchObject({ query: 'needle', cursor: 'after-a3', limit: 100 });
    expect(second?.channel).toMatch(/^search-view-/);
    expect(second?.channel).toBe(first?.channel);
  });

  it('moves through matches with the keyboard alone: down, next file, left collapses, right expands, Esc back', async () => {
    renderView();
    const box = screen.getByRole('searchbox', { name: 'Search' });
    await userEvent.type(box, 'needle');
    await screen.findByRole('tree', { name: 'Search results' });
    await userEvent.keyboard('{ArrowDown}');
    await waitFor(() => expect(screen.getByRole('treeitem', { name: 'Line 3: const needle = 1;' })).toHaveFocus());
    await userEvent.keyboard('{ArrowDown}');
    expect(screen.getByRole('treeitem', { name: 'Line 9: use(needle)' })).toHaveFocus();
    await userEvent.keyboard('{Alt>}{ArrowDown}{/Alt}');
    expect(screen.getByRole('treeitem', { name: 'b.ts in beta, 1 match' })).toHaveFocus();
    await userEvent.keyboard('{ArrowUp}{ArrowLeft}');
    expect(screen.getByRole('treeitem', { name: 'a.ts in alpha, 2 matches' })).toHaveFocus();
    await userEvent.keyboard('{ArrowLeft}');
    expect(screen.getByRole('treeitem', { name: 'a.ts in alpha, 2 matches' })).toHaveAttribute('aria-expanded', 'false');
    expect(screen.queryByRole('treeitem', { name: 'Line 3: const needle = 1;' })).toBeNull();
    await userEvent.keyboard('{ArrowRight}');
    expect(screen.getByRole('treeitem', { name: 'Line 3: const needle = 1;' })).toBeInTheDocument();
    await userEvent.keyboard('{Escape}');
    expect(box).toHaveFocus();
  });

  it('collapses every file with Collapse all and opens them again with Expand all', async () => {
    renderView();
    await userEvent.type(screen.getByRole('searchbox', { name: 'Search' }), 'needle');
    const tree = await screen.findByRole('tree', { name: 'Search results' });
    const header = (name: string) => within(tree).getByRole('treeitem', { name });
    await userEvent.click(screen.getByRole('button', { name: 'Collapse all' }));
    expect(header('a.ts in alpha, 2 matches')).toHaveAttribute('aria-expanded', 'false');
    expect(header('b.ts in beta, 1 match')).toHaveAttribute('aria-expanded', 'false');
    expect(within(tree).queryByRole('treeitem', { name: /^Line / })).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Expand all' }));
    expect(header('a.ts in alpha, 2 matches')).toHaveAttribute('aria-expanded', 'true');
    expect(header('b.ts in beta, 1 match')).toHaveAttribute('aria-expanded', 'true');
    expect(
      within(tree)
        .getAllByRole('treeitem', { name: /^Line / })
        .map((line) => line.getAttribute('aria-label')),
    ).toEqual(['Line 3: const needle = 1;', 'Line 9: use(needle)', 'Line 1: // needle']);
  });

  it('previews the selected match with the lines around it read from the index', async () => {
    const api = renderView();
    await userEvent.type(screen.getByRole('searchbox', { name: 'Search' }), 'needle');
    await userEvent.click(await screen.findByRole('treeitem', { name: 'Line 9: use(needle)' }));
    const preview = screen.getByRole('region', { name: 'Preview' });
    const lines = await within(preview).findByRole('list', { name: 'Lines around a.ts:9' });
    expect(within(lines).getByText('line 8 text')).toBeInTheDocument();
    expect(within(lines).getByText('needle').tagName).toBe('MARK');
    expect(api.calls.readLines).toHaveBeenLastCalledWith({ repo: '/src/alpha', path: 'a.ts', lines: Array.from({ length: 21 }, (_, index) => index + 1) });
    expect(within(preview).getByRole('button', { name: 'Copy path:line' })).toBeInTheDocument();
    expect(within(preview).getByRole('link', { name: 'Open in VS Code' })).toHaveAttribute('href', 'vscode://file/src/alpha/a.ts:9');
  });

  it('keeps two files whose names look alike (not UTF-8) apart: two headers, and each preview reads its own file', async () => {
    // caf\xe9.txt and caf\xe8.txt in latin-1: both shown as caf\uFFFD.txt, told apart by their raw bytes.
    const lookAlike = (bytes: string, index: number): SearchMatch => ({ ...match('/src/alpha', 'caf\uFFFD.txt', 1, `needle in name ${index}`, 'needle'), pathBytes: bytes });
    const api = createFakeApi({
      search: () => ok({ matches: [lookAlike('Y2Fm6C50eHQ=', 0), lookAlike('Y2Fm6S50eHQ=', 1)], total: { matches: 2, files: 2, exact: true }, elapsedMs: 1 }),
      readLines: ({ repo, path, pathBytes, lines }) =>
        ok({ repo, path, lines: lines.filter((line) => line === 1).map((line) => ({ line, text: `needle in name ${pathBytes === 'Y2Fm6S50eHQ=' ? 1 : 0}` })) }),
    });
    renderView(api);
    await userEvent.type(screen.getByRole('searchbox', { name: 'Search' }), 'needle');
    const tree = await screen.findByRole('tree', { name: 'Search results' });
    const headers = within(tree)
      .getAllByRole('treeitem')
      .filter((item) => item.getAttribute('aria-level') === '1');
    expect(headers.map((header) => header.getAttribute('aria-label'))).toEqual(['caf\uFFFD.txt in alpha, 1 match', 'caf\uFFFD.txt in alpha, 1 match']);
    for (const index of [1, 0]) {
      await userEvent.click(screen.getByRole('treeitem', { name: `Line 1: needle in name ${index}` }));
      const preview = screen.getByRole('region', { name: 'Preview' });
      await waitFor(() =>
        expect(api.calls.readLines).toHaveBeenLastCalledWith({
          repo: '/src/alpha',
          path: 'caf\uFFFD.txt',
          pathBytes: index === 1 ? 'Y2Fm6S50eHQ=' : 'Y2Fm6C50eHQ=',
          lines: Array.from({ length: 13 }, (_, line) => line + 1),
        }),
      );
      expect(await within(preview).findByText(`in name ${index}`, { exact: false })).toBeInTheDocument();
      // No vscode:// link: it would carry the lossy name, another file's or none.
      expect(within(preview).queryByRole('link', { name: 'Open in VS Code' })).toBeNull();
      expect(within(preview).getByText('Not openable in an editor: the name is not valid UTF-8')).toBeInTheDocument();
    }
  });

  it('asks to open a look-alike (not UTF-8) by its raw name and shows why it cannot', async () => {
    const message = 'Cannot open a file whose name is not valid UTF-8 (shown with \uFFFD): /src/alpha/caf\uFFFD.txt';
    const api = createFakeApi({
      search: () =>
        ok({ matches: [{ ...match('/src/alpha', 'caf\uFFFD.txt', 1, 'needle in name 0', 'needle'), pathBytes: 'Y2Fm6C50eHQ=' }], total: { matches: 1, files: 1, exact: true }, elapsedMs: 1 }),
      openInEditor: () => fail('bad_request', message),
    });
    renderView(api, appInfo({ canOpenInEditor: true }));
    await userEvent.type(screen.getByRole('searchbox', { name: 'Search' }), 'needle');
    await screen.findByRole('tree', { name: 'Search results' });
    await userEvent.keyboard('{ArrowDown}');
    await waitFor(() => expect(screen.getByRole('treeitem', { name: 'Line 1: needle in name 0' })).toHaveFocus());
    await userEvent.keyboard('{Enter}');
    await waitFor(() => expect(api.calls.openInEditor).toHaveBeenCalledWith({ path: '/src/alpha/caf\uFFFD.txt', line: 1, pathBytes: 'Y2Fm6C50eHQ=' }));
    expect(await screen.findByText(message)).toBeInTheDocument();
  });

  it('shows context lines around each match when asked', async () => {
    const api = renderView();
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Context lines' }), '2');
    await userEvent.type(screen.getByRole('searchbox', { name: 'Search' }), 'needle');
    await screen.findByRole('tree', { name: 'Search results' });
    await waitFor(() => expect(api.calls.readLines).toHaveBeenCalledWith({ repo: '/src/alpha', path: 'a.ts', lines: [1, 2, 4, 5, 7, 8, 10, 11] }));
    expect(await screen.findByText('line 11 text')).toBeInTheDocument();
    // Above the first match too, and each context line once although two matches share it.
    expect(screen.getByText('line 1 text')).toBeInTheDocument();
    expect(screen.getAllByText('line 5 text')).toHaveLength(1);
  });

  it('sends the scope picked and the filters typed', async () => {
    const api = renderView();
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Scope' }), '/src/beta');
    await userEvent.type(screen.getByRole('searchbox', { name: 'Search' }), 'needle path:src/**');
    await waitFor(() =>
      expect(api.calls.search).toHaveBeenLastCalledWith({
        query: 'needle path:src/**',
        mode: 'literal',
        ignoreCase: false,
        limit: 100,
        channel: expect.stringMatching(/^search-view-/) as string,
        repo: '/src/beta',
      }),
    );
    expect(within(screen.getByRole('list', { name: 'Filters' })).getByText('path: src/**')).toBeInTheDocument();
  });

  it('explains an invalid regex under the field and keeps the last results', async () => {
    renderView();
    await userEvent.click(screen.getByRole('radio', { name: 'Regex' }));
    const box = screen.getByRole('searchbox', { name: 'Search' });
    await userEvent.type(box, 'needle');
    await screen.findByRole('tree', { name: 'Search results' });
    await userEvent.type(box, '(');
    expect(await screen.findByRole('alert')).toHaveTextContent('Invalid regular expression "(": missing closing )');
    expect(box).toHaveAttribute('aria-invalid', 'true');
    expect(box).toHaveAccessibleDescription('Invalid regular expression "(": missing closing )');
    expect(screen.getByRole('tree', { name: 'Search results' })).toBeInTheDocument();
  });

  it('opens the syntax help and closes it with Esc, focus back on its button', async () => {
    renderView();
    const button = screen.getByRole('button', { name: 'Syntax' });
    await userEvent.click(button);
    const dialog = screen.getByRole('dialog', { name: 'Query syntax' });
    expect(within(dialog).getByText('-path:GLOB')).toBeInTheDocument();
    await userEvent.click(within(dialog).getByText('-path:GLOB'));
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('dialog', { name: 'Query syntax' })).toBeNull();
    expect(button).toHaveFocus();
  });
});
