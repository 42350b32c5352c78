import { act, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { StatsStore } from '../lib/stats-store';
import { createFakeApi, ok, poolStatus, statsSample } from '../test-utils/fake-api';
import { nextFrame, renderWithApi } from '../test-utils/render';
import { PoolPanel } from './PoolPanel';

describe('PoolPanel', () => {
  it('shows checked out, idle, overflow and waiting against the limits', async () => {
    renderWithApi(<PoolPanel store={new StatsStore()} />, createFakeApi({ getPoolStatus: () => ok(poolStatus({ checked_out: 3, idle: 2, overflow: 1, waiting: 4 })) }));
    const region = await screen.findByRole('region', { name: 'Database pool' });
    // 3 of DATABASE_MAX_CONNECTIONS (5) checked out; the meter counts overflow in its limit.
    expect(await within(region).findByText('60% in use')).toBeInTheDocument();
    expect(within(region).getByText('Checked out').parentElement).toHaveTextContent('Checked out3 / 10');
    expect(within(region).getByText('Idle').parentElement).toHaveTextContent('Idle2 / 5');
    expect(within(region).getByText('Overflow').parentElement).toHaveTextContent('Overflow1 / 5');
    expect(within(region).getByText('Waiting').parentElement).toHaveTextContent('Waiting4');
    expect(within(region).queryByRole('alert')).not.toBeInTheDocument();
  });

  it('shows the counters: created, recycled, timeouts, failed pre-pings and failed opens', async () => {
    const status = poolStatus({ created: 7, recycled: 2, timeouts: 1, pre_ping_failures: 3, create_failures: 4 });
    renderWithApi(<PoolPanel store={new StatsStore()} />, createFakeApi({ getPoolStatus: () => ok(status) }));
    const region = await screen.findByRole('region', { name: 'Database pool' });
    expect((await within(region).findByText('Created / recycled')).parentElement).toHaveTextContent('Created / recycled7 / 2');
    expect(within(region).getByText('Timeouts').parentElement).toHaveTextContent('Timeouts1');
    expect(within(region).getByText('Pre-ping failures').parentElement).toHaveTextContent('Pre-ping failures3');
    expect(within(region).getByText('Failed opens').parentElement).toHaveTextContent('Failed opens4');
  });

  it('warns at 90% of DATABASE_MAX_CONNECTIONS from the live stats, as the pool and the health report do', async () => {
    const store = new StatsStore();
    renderWithApi(<PoolPanel store={store} />, createFakeApi({ getPoolStatus: () => ok(poolStatus()) }));
    const region = await screen.findByRole('region', { name: 'Database pool' });
    act(() => {
      store.push(statsSample(1000, 80, { pool: poolStatus({ max_connections: 20, max_overflow: 10, checked_out: 17 }) }));
    });
    await nextFrame();
    expect(within(region).queryByRole('alert')).not.toBeInTheDocument();
    act(() => {
      store.push(statsSample(2000, 80, { pool: poolStatus({ max_connections: 20, max_overflow: 10, checked_out: 18 }) }));
    });
    await nextFrame();
    expect(within(region).getByRole('alert')).toHaveTextContent('18/20 connections checked out (90%; warning at 90%)');
  });

  it('shows the pool_usage alert when it fires', async () => {
    const api = createFakeApi({ getPoolStatus: () => ok(poolStatus()) });
    renderWithApi(<PoolPanel store={new StatsStore()} />, api);
    const region = await screen.findByRole('region', { name: 'Database pool' });
    act(() => api.emit('alert', { time: Date.now(), kind: 'pool_usage', message: 'Connection pool at 92% of capacity', value: 0.92 }));
    expect(within(region).getByRole('alert')).toHaveTextContent('Connection pool at 92% of capacity');
  });
});
