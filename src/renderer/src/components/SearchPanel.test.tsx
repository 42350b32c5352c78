import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createRef } from 'react';
import { describe, expect, it } from 'vitest';
import type { SearchMatch } from '../../../shared/types';
import { appInfo, createFakeApi, fail, ok } from '../test-utils/fake-api';
import { renderWithApi } from '../test-utils/render';
import { SearchPanel } from './SearchPanel';

const none = { matches: 0, files: 0, exact: true };
const match = (path: string, line: number, text: string, ranges: [number, number][]): SearchMatch => ({ path, repo: '/src/repo', line, text, ranges });

describe('SearchPanel', () => {
  it('searches as you type and shows results grouped by file with highlighted matches and path:line', async () => {
    const api = createFakeApi({
      search: ({ query }) =>
        ok({
          matches: [match('src/a.ts', 3, `const ${query} = 1;`, [[6, 6 + query.length]]), match('src/a.ts', 9, `use(${query})`, [[4, 4 + query.length]]), match('src/b.ts', 1, `// ${query}`, [[3, 3 + query.length]])],
          total: { matches: 3, files: 2, exact: true },
          elapsedMs: 4.2,
        }),
    });
    renderWithApi(<SearchPanel inputRef={createRef()} />, api);
    await userEvent.type(screen.getByRole('searchbox', { name: 'Search' }), 'needle');

    const results = await screen.findByRole('list', { name: 'Search results' });
    const groups = within(results).getAllByRole('listitem').filter((item) => item.parentElement === results);
    expect(groups.map((group) => group.querySelector('.result-path')?.textContent)).toEqual(['src/a.ts', 'src/b.ts']);
    expect(within(groups[0]!).getByText('src/a.ts:3')).toBeInTheDocument();
    expect(within(groups[0]!).getByText('src/a.ts:9')).toBeInTheDocument();
    const marks = results.querySelectorAll('mark');
    expect([...marks].map((mark) => mark.textContent)).toEqual(['needle', 'needle', 'needle']);
    expect(screen.getByText('3 matches in 2 files · 4 ms')).toBeInTheDocument();
    expect(api.calls.search).toHaveBeenLastCalledWith({ query: 'needle', mode: 'literal', ignoreCase: false, limit: 100, channel: expect.stringMatching(/^search-panel-/) });
  });

  it('sends the chosen mode and case setting', async () => {
    const api = createFakeApi({ search: () => ok({ matches: [], total: none, elapsedMs: 1 }) });
    renderWithApi(<SearchPanel inputRef={createRef()} />, api);
    await userEvent.click(screen.getByRole('radio', { name: 'Regex' }));
    await userEvent.click(screen.getByRole('button', { name: 'Match case' }));
    expect(screen.getByRole('button', { name: 'Match case' })).toHaveAttribute('aria-pressed', 'false');
    await userEvent.type(screen.getByRole('searchbox', { name: 'Search' }), 'fo+');
    expect(await screen.findByText('No matches for “fo+”')).toBeInTheDocument();
    expect(api.calls.search).toHaveBeenLastCalledWith({ query: 'fo+', mode: 'regex', ignoreCase: true, limit: 100, channel: expect.stringMatching(/^search-panel-/) });
  });

  it('shows the error of an invalid regex', async () => {
    const api = createFakeApi({ search: () => fail('invalid_regex', 'Invalid regular expression: /(/: Unterminated group') });
    renderWithApi(<SearchPanel inputRef={createRef()} />, api);
    await userEvent.click(screen.getByRole('radio', { name: 'Regex' }));
    await userEvent.type(screen.getByRole('searchbox', { name: 'Search' }), '(');
    expect(await screen.findByRole('alert')).toHaveTextContent('Invalid regular expression: /(/: Unterminated group');
  });

  it('loads the next page from nextCursor and appends it to the same file group', async () => {
    const total = { matches: 3, files: 2, exact: true };
    const api = createFakeApi({
      search: ({ cursor }) =>
        cursor === undefined
          ? ok({ matches: [match('a.ts', 1, 'x', [[0, 1]])], total, nextCursor: 'after-a1', elapsedMs: 1 })
          : ok({ matches: [match('a.ts', 2, 'x', [[0, 1]]), match('b.ts', 1, 'x', [[0, 1]])], total, elapsedMs: 1 }),
    });
    renderWithApi(<SearchPanel inputRef={createRef()} />, api);
    await userEvent.type(screen.getByRole('searchbox', { name: 'Search' }), 'x');
    await userEvent.click(await screen.findByRole('button', { name: 'Load more results' }));
    await waitFor(() => expect(screen.getByText('b.ts:1')).toBeInTheDocument());
    expect(api.calls.search).toHaveBeenLastCalledWith({ query: 'x', mode: 'literal', ignoreCase: false, limit: 100, cursor: 'after-a1', channel: expect.stringMatching(/^search-panel-/) });
    expect(screen.getAllByText('a.ts')).toHaveLength(1);
    expect(screen.queryByRole('button', { name: 'Load more results' })).not.toBeInTheDocument();
  });

  it('opens a match in the editor only where the runtime can', async () => {
    const results = () => ok({ matches: [match('src/a.ts', 7, 'hit', [[0, 3]])], total: { matches: 1, files: 1, exact: true }, elapsedMs: 1 });
    const api = createFakeApi({ search: results, openInEditor: () => ok({ opened: true }) });
    const { unmount } = renderWithApi(<SearchPanel inputRef={createRef()} />, api);
    await userEvent.type(screen.getByRole('searchbox', { name: 'Search' }), 'hit');
    await screen.findByText('src/a.ts:7');
    expect(within(screen.getByRole('list', { name: 'Search results' })).queryByRole('button')).not.toBeInTheDocument();
    unmount();

    renderWithApi(<SearchPanel inputRef={createRef()} />, api, appInfo({ canOpenInEditor: true }));
    await userEvent.type(screen.getByRole('searchbox', { name: 'Search' }), 'hit');
    await userEvent.click(await screen.findByRole('button', { name: /src\/a\.ts:7/ }));
    expect(api.calls.openInEditor).toHaveBeenCalledWith({ path: '/src/repo/src/a.ts', line: 7 });
  });

  it('drops the answer of an outdated query', async () => {
    let release: (() => void) | undefined;
    const api = createFakeApi({
      search: ({ query }) =>
        query === 'a'
          ? new Promise((resolve) => {
              release = () => resolve(ok({ matches: [match('old.ts', 1, 'a', [[0, 1]])], total: { matches: 1, files: 1, exact: true }, elapsedMs: 1 }));
            })
          : ok({ matches: [match('new.ts', 1, 'ab', [[0, 2]])], total: { matches: 1, files: 1, exact: true }, elapsedMs: 1 }),
    });
    renderWithApi(<SearchPanel inputRef={createRef()} />, api);
    const box = screen.getByRole('searchbox', { name: 'Search' });
    await userEvent.type(box, 'a');
    await waitFor(() => expect(release).toBeDefined());
    await userEvent.type(box, 'b');
    await screen.findByText('new.ts:1');
    await act(async () => release?.());
    expect(screen.queryByText('old.ts:1')).not.toBeInTheDocument();
  });
});
