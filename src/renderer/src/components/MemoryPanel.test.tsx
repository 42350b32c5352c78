import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { StatsStore } from '../lib/stats-store';
import { createFakeApi, MB, statsSample } from '../test-utils/fake-api';
import { nextFrame, renderWithApi } from '../test-utils/render';
import { MemoryPanel } from './MemoryPanel';

describe('MemoryPanel', () => {
  it('waits for the first sample', () => {
    renderWithApi(<MemoryPanel store={new StatsStore()} />, createFakeApi());
    expect(within(screen.getByRole('region', { name: 'Memory' })).getByText('Waiting for the first sample…')).toBeInTheDocument();
  });

  it('shows the latest values as text and updates them with each sample (once per frame)', async () => {
    const store = new StatsStore();
    store.push(statsSample(1000, 85.2));
    renderWithApi(<MemoryPanel store={store} />, createFakeApi());
    const region = screen.getByRole('region', { name: 'Memory' });
    expect(within(region).getByText('RSS 85.2 MB')).toBeInTheDocument();
    expect(within(region).getByText('Heap used 42.6 MB')).toBeInTheDocument();
    expect(within(region).getByText('p99 12.4 ms')).toBeInTheDocument();
    expect(within(region).getByRole('img', { name: 'Memory of Main process' })).toBeInTheDocument();
    expect(within(region).getByRole('img', { name: 'Event-loop delay of the main process' })).toBeInTheDocument();

    act(() => {
      store.push(statsSample(2000, 90.5));
    });
    await nextFrame();
    expect(within(region).getByText('RSS 90.5 MB')).toBeInTheDocument();
  });

  it('offers the four time windows, 1 min first', async () => {
    const store = new StatsStore();
    store.push(statsSample(1000));
    renderWithApi(<MemoryPanel store={store} />, createFakeApi());
    const windows = screen.getByRole('group', { name: 'Time window' });
    expect(
      within(windows)
        .getAllByRole('radio')
        .map((radio) => radio.parentElement?.textContent),
    ).toEqual(['1 min', '5 min', '15 min', '1 h']);
    expect(within(windows).getByRole('radio', { name: '1 min' })).toBeChecked();
    await userEvent.click(within(windows).getByRole('radio', { name: '1 h' }));
    expect(within(windows).getByRole('radio', { name: '1 h' })).toBeChecked();
  });

  it('switches between the main process and each worker', async () => {
    const store = new StatsStore();
    store.push(statsSample(1000, 80, { workers: [{ threadId: 3, name: 'indexer', heapUsed: 12 * MB, heapTotal: 20 * MB, external: MB }] }));
    renderWithApi(<MemoryPanel store={store} />, createFakeApi());
    await userEvent.selectOptions(screen.getByRole('combobox', { name: 'Process' }), 'indexer #3');
    expect(screen.getByText('Heap used 12.0 MB')).toBeInTheDocument();
    expect(screen.getByRole('img', { name: 'Memory of indexer #3' })).toBeInTheDocument();
    expect(screen.queryByText(/^RSS /)).not.toBeInTheDocument();
  });

  it('lists every process and thread in a sortable table, ended threads folded into one row', async () => {
    const store = new StatsStore();
    const worker = (threadId: number, name: string, heapMb: number) => ({ threadId, name, heapUsed: heapMb * MB, heapTotal: 2 * heapMb * MB, external: MB });
    store.push(statsSample(1000, 80, { workers: [worker(3, 'indexer-reader-1', 4), worker(4, 'indexer-reader-1', 5), worker(5, 'reader', 9)] }));
    store.push(statsSample(2000, 82, { workers: [worker(5, 'reader', 10), worker(6, 'indexer', 6)] }));
    renderWithApi(<MemoryPanel store={store} />, createFakeApi());
    const table = screen.getByRole('table', { name: 'Processes and threads' });
    const names = () =>
      within(table)
        .getAllByRole('row')
        .slice(1)
        .map((row) => within(row).getAllByRole('cell')[0]?.textContent);
    // By memory, largest first; the two ended threads in one row at the end.
    expect(names()).toEqual(['Core (main process)', 'reader #5', 'indexer #6', 'Ended threads and processes (2)']);
    const reader = within(table).getAllByRole('row')[2]!;
    expect(
      within(reader)
        .getAllByRole('cell')
        .map((cell) => cell.textContent),
    ).toEqual(['reader #5', 'Thread · heap used', '10.0 MB', '12%', '+1.0 MB']);
    await userEvent.click(within(table).getByRole('button', { name: 'Name' }));
    expect(names()).toEqual(['Core (main process)', 'indexer #6', 'reader #5', 'Ended threads and processes (2)']);
    expect(within(table).getByRole('columnheader', { name: /Name/ })).toHaveAttribute('aria-sort', 'ascending');
    // The process picker offers live sources only.
    expect(
      within(screen.getByRole('combobox', { name: 'Process' }))
        .getAllByRole('option')
        .map((option) => option.textContent),
    ).toEqual(['Main process', 'reader #5', 'indexer #6']);
    await userEvent.click(within(table).getByRole('button', { name: 'Chart reader #5' }));
    expect(screen.getByRole('img', { name: 'Memory of reader #5' })).toBeInTheDocument();
  });

  it('draws RSS and the heaps on separate charts, so each has its own scale', () => {
    const store = new StatsStore();
    store.push(statsSample(1000, 300));
    renderWithApi(<MemoryPanel store={store} />, createFakeApi());
    expect(screen.getByRole('img', { name: 'Memory of Main process' })).toBeInTheDocument();
    expect(screen.getByRole('img', { name: 'Heap of Main process' })).toBeInTheDocument();
  });

  it('unsubscribes its charts and text from the store when unmounted', () => {
    const store = new StatsStore();
    store.push(statsSample(1000));
    const listeners = () => (store as unknown as { changed: { listenerCount: number } }).changed.listenerCount;
    const { unmount } = renderWithApi(<MemoryPanel store={store} />, createFakeApi());
    expect(listeners()).toBeGreaterThan(0);
    unmount();
    expect(listeners()).toBe(0);
  });
});
