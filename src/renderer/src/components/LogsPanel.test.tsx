import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { createFakeApi, fail, ok } from '../test-utils/fake-api';
import { renderWithApi } from '../test-utils/render';
import { LogsPanel, MAX_LOG_LINES } from './LogsPanel';

const lines = () =>
  within(screen.getByRole('log', { name: 'Log lines' }))
    .getAllByRole('listitem')
    .map((item) => item.querySelector('.log-message')?.textContent);

describe('LogsPanel', () => {
  it('shows the recent log, then live lines', async () => {
    const api = createFakeApi({ getLogs: () => ok([{ time: 1000, level: 'info', message: 'Gitbot started' }]) });
    renderWithApi(<LogsPanel />, api);
    await screen.findByText('Gitbot started');
    act(() => api.emit('log', { time: 2000, level: 'warn', message: 'Memory cleanup performed', fields: { rss_mb: 120 } }));
    expect(lines()).toEqual(['Gitbot started', 'Memory cleanup performed rss_mb=120']);
    expect(api.calls.getLogs).toHaveBeenCalledWith({ limit: 200 });
  });

  it('filters by minimum level and by text', async () => {
    const api = createFakeApi({
      getLogs: () =>
        ok([
          { time: 1, level: 'debug', message: 'tick' },
          { time: 2, level: 'info', message: 'Indexing /src/repo' },
          { time: 3, level: 'error', message: 'Indexing failed' },
        ]),
    });
    renderWithApi(<LogsPanel />, api);
    await screen.findByText('tick');
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Log level' }), 'info');
    expect(lines()).toEqual(['Indexing /src/repo', 'Indexing failed']);
    await userEvent.type(screen.getByRole('textbox', { name: 'Filter logs' }), 'FAILED');
    expect(lines()).toEqual(['Indexing failed']);
    await userEvent.type(screen.getByRole('textbox', { name: 'Filter logs' }), 'nothing');
    expect(screen.getByText('No log lines match the filter')).toBeInTheDocument();
  });

  it(`keeps at most ${MAX_LOG_LINES} lines`, async () => {
    const api = createFakeApi({ getLogs: () => ok([]) });
    renderWithApi(<LogsPanel />, api);
    await screen.findByText('No log lines yet');
    act(() => {
      for (let index = 0; index < MAX_LOG_LINES + 50; index += 1) {
        api.emit('log', { time: index, level: 'info', message: `line ${index}` });
      }
    });
    const shown = lines();
    expect(shown).toHaveLength(MAX_LOG_LINES);
    expect(shown[0]).toBe('line 50');
  });

  it('shows a failed initial load', async () => {
    renderWithApi(<LogsPanel />, createFakeApi({ getLogs: () => fail('internal', 'log ring unavailable') }));
    expect(await screen.findByRole('alert')).toHaveTextContent('log ring unavailable');
  });
});
