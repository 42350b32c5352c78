import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { TaskInfo } from '../../../shared/types';
import { createFakeApi, fail, ok } from '../test-utils/fake-api';
import { nextFrame, renderWithApi } from '../test-utils/render';
import { TasksPanel } from './TasksPanel';

const task = (overrides: Partial<TaskInfo>): TaskInfo => ({
  id: 'a',
  type: 'index',
  status: 'running',
  createdAt: Date.now() - 65_000,
  startedAt: Date.now() - 65_000,
  finishedAt: null,
  progress: 0.4,
  metadata: {},
  error: null,
  ...overrides,
});

describe('TasksPanel', () => {
  it('lists tasks with type, repository, status, age and progress, and cancels a running one', async () => {
    const api = createFakeApi({
      listTasks: () => ok([task({ id: 'a', metadata: { repo: '/home/me/projects/alpha' } }), task({ id: 'b', type: 'cleanup', status: 'completed', progress: null, createdAt: Date.now() - 10_000 })]),
      cancelTask: () => ok({ cancelled: true }),
    });
    renderWithApi(<TasksPanel />, api);
    const table = await screen.findByRole('table', { name: 'Background tasks' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((row) => row.textContent)).toEqual(['indexalpharunning1 min ago40%Cancel', 'cleanupcompleted10 s ago–']);
    // The full root is one hover away; the button says which repository's task it cancels.
    expect(within(rows[0]!).getByText('alpha')).toHaveAttribute('title', '/home/me/projects/alpha');
    await userEvent.click(within(rows[0]!).getByRole('button', { name: 'Cancel index of alpha' }));
    expect(api.calls.cancelTask).toHaveBeenCalledWith({ taskId: 'a' });
  });

  it('updates live from task events and shows errors of failed tasks', async () => {
    const api = createFakeApi({ listTasks: () => ok([]) });
    renderWithApi(<TasksPanel />, api);
    expect(await screen.findByText('No background tasks')).toBeInTheDocument();
    act(() => api.emit('task', task({ id: 'x', type: 'heap-snapshot', status: 'failed', error: 'no space left' })));
    await nextFrame();
    const table = screen.getByRole('table', { name: 'Background tasks' });
    expect(within(table).getByText('no space left')).toBeInTheDocument();
    expect(within(table).queryByRole('button')).not.toBeInTheDocument();
  });

  it('shows a failed list request', async () => {
    renderWithApi(<TasksPanel />, createFakeApi({ listTasks: () => fail('internal', 'boom') }));
    expect(await screen.findByRole('alert')).toHaveTextContent('boom');
  });
});
