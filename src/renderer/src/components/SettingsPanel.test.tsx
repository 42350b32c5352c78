import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { createFakeApi, fail, ok } from '../test-utils/fake-api';
import { renderWithApi } from '../test-utils/render';
import { SettingsPanel } from './SettingsPanel';

describe('SettingsPanel', () => {
  it('lists every effective value with its source', async () => {
    const api = createFakeApi({
      getConfig: () =>
        ok({
          entries: [
            { name: 'MEMORY_THRESHOLD_MB', value: 100, source: 'default', description: 'Cleanup above this RSS' },
            { name: 'STATS_INTERVAL_MS', value: 250, source: 'env', description: 'Sampling interval' },
          ],
        }),
    });
    renderWithApi(<SettingsPanel />, api);
    const table = await screen.findByRole('table', { name: 'Settings' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((row) => row.textContent)).toEqual(['MEMORY_THRESHOLD_MBCleanup above this RSS100 MB 100default', 'STATS_INTERVAL_MSSampling interval250 ms 250env']);
    expect(screen.getByText('/data/index.sqlite')).toBeInTheDocument();
  });

  it('shows humane values with the raw one beside, and the port the page is served from', async () => {
    const api = createFakeApi({
      getConfig: () =>
        ok({
          entries: [
            { name: 'MAX_FILE_SIZE', value: 1048576, source: 'default', description: 'Largest file' },
            { name: 'TASK_CLEANUP_INTERVAL', value: 300, source: 'default', description: 'Cleanup' },
            { name: 'GITBOT_PORT', value: 0, source: 'default', description: 'Port' },
          ],
        }),
    });
    renderWithApi(<SettingsPanel />, api);
    const table = await screen.findByRole('table', { name: 'Settings' });
    const values = within(table)
      .getAllByRole('row')
      .slice(1)
      .map((row) => row.querySelectorAll('td')[1]?.textContent);
    const port = window.location.port;
    expect(values[0]).toBe('1.0 MB 1048576');
    expect(values[1]).toMatch(/^5 min.* 300$/);
    expect(values[2]).toBe(`${port === '' ? 'picked at start' : `${port} (picked at start)`} 0`);
  });

  it('shows a failed request with a retry', async () => {
    renderWithApi(<SettingsPanel />, createFakeApi({ getConfig: () => fail('internal', 'config unreadable') }));
    expect(await screen.findByRole('alert')).toHaveTextContent('config unreadable');
    expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });
});
