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
    expect(rows.map((row) => row.textContent)).toEqual(['MEMORY_THRESHOLD_MBCleanup above this RSS100default', 'STATS_INTERVAL_MSSampling interval250env']);
    expect(screen.getByText('/data/index.sqlite')).toBeInTheDocument();
  });

  it('shows a failed request with a retry', async () => {
    renderWithApi(<SettingsPanel />, createFakeApi({ getConfig: () => fail('internal', 'config unreadable') }));
    expect(await screen.findByRole('alert')).toHaveTextContent('config unreadable');
    expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
  });
});
