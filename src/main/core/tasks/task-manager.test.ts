import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import type { LogEntry, TaskInfo } from '../../../shared/types';
import { SinkLogger } from '../log/logger';
import { TaskManager, type TaskManagerOptions } from './task-manager';

function setup(options: Partial<TaskManagerOptions> = {}) {
  const logs: LogEntry[] = [];
  const changes: TaskInfo[] = [];
  const tasks = new TaskManager({ logger: new SinkLogger('debug', [(entry) => logs.push(entry)]), onChange: (task) => changes.push(task), ...options });
  return { tasks, logs, changes };
}

/** Work that runs until its signal aborts, the way a well-behaved task does. */
const untilAborted = ({ signal }: { signal: AbortSignal }): Promise<never> => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true }));

/** Work that ignores its signal and never settles. */
const neverSettles = (): Promise<never> => new Promise(() => {});

describe('TaskManager', () => {
  it('tracks a task through pending, running and completed, with progress and metadata', async () => {
    const { tasks, changes } = setup();
    const handle = tasks.run('indexing', { repo: '/r' }, async (context) => {
      context.setProgress(0.5);
      context.setMetadata({ files: 3 });
      context.setProgress(7);
      return 42;
    });
    expect(tasks.get(handle.id)?.status).toBe('pending');
    await expect(handle.done).resolves.toBe(42);
    await Promise.resolve();
    const info = tasks.get(handle.id);
    expect(info).toMatchObject({ type: 'indexing', status: 'completed', progress: 1, metadata: { repo: '/r', files: 3 }, error: null });
    expect(info?.startedAt).not.toBeNull();
    expect(info?.finishedAt).not.toBeNull();
    expect(changes.map((change) => change.status)).toEqual(['pending', 'running', 'running', 'running', 'running', 'completed']);
    expect(changes.map((change) => change.progress)).toEqual([null, null, 0.5, 0.5, 1, 1]);
  });

  it('keeps a task queued behind other work pending until that settles, and a cancel meanwhile ends it without running it', async () => {
    const { tasks } = setup();
    let release = (): void => {};
    const before = new Promise<void>((resolve) => (release = resolve));
    let ran = false;
    const queued = tasks.run(
      'indexing',
      {},
      async () => {
        ran = true;
        return 1;
      },
      { after: before },
    );
    const cancelled = tasks.run(
      'indexing',
      {},
      async () => {
        ran = true;
        return 2;
      },
      { after: before },
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect([tasks.get(queued.id)?.status, tasks.get(cancelled.id)?.status]).toEqual(['pending', 'pending']);
    tasks.cancel(cancelled.id);
    await expect(cancelled.done).rejects.toThrow('Cancelled by request');
    expect(ran).toBe(false);
    release();
    await expect(queued.done).resolves.toBe(1);
    await Promise.resolve();
    expect(tasks.get(cancelled.id)).toMatchObject({ status: 'cancelled', error: 'Cancelled by request', startedAt: null });
  });

  it('keeps the error of a failing task without crashing, and logs it', async () => {
    const { tasks, logs } = setup();
    const handle = tasks.run('broken', {}, async () => {
      throw new Error('disk on fire');
    });
    await expect(handle.done).rejects.toThrow('disk on fire');
    await Promise.resolve();
    expect(tasks.get(handle.id)).toMatchObject({ status: 'failed', error: 'disk on fire' });
    expect(tasks.counts()).toMatchObject({ total: 1, active: 0, failed: 1 });
    expect(logs.map((entry) => `${entry.level} ${entry.message}`)).toEqual(['error Task broken failed: disk on fire']);
  });

  it('cancels by id through the AbortSignal, and says false for unknown or finished tasks', async () => {
    const { tasks } = setup();
    const handle = tasks.run('long', {}, untilAborted);
    await Promise.resolve();
    expect(tasks.cancel(handle.id)).toBe(true);
    await expect(handle.done).rejects.toThrow('Cancelled by request');
    await Promise.resolve();
    expect(tasks.get(handle.id)).toMatchObject({ status: 'cancelled', error: 'Cancelled by request' });
    expect(tasks.cancel(handle.id)).toBe(false);
    expect(tasks.cancel('no-such-task')).toBe(false);
  });

  it('cancels a pending task before its work starts', async () => {
    const { tasks } = setup();
    let started = false;
    const handle = tasks.run('queued', {}, async () => {
      started = true;
    });
    tasks.cancel(handle.id);
    await expect(handle.done).rejects.toThrow('Cancelled by request');
    expect(started).toBe(false);
    await Promise.resolve();
    expect(tasks.get(handle.id)?.startedAt).toBeNull();
  });

  it('counts every status and lists the task types', async () => {
    const { tasks } = setup();
    const ok = tasks.run('b', {}, async () => 1);
    const bad = tasks.run('a', {}, async () => Promise.reject(new Error('x')));
    const cancelled = tasks.run('a', {}, untilAborted);
    tasks.run('c', {}, untilAborted);
    await ok.done;
    await bad.done.catch(() => {});
    tasks.cancel(cancelled.id);
    await cancelled.done.catch(() => {});
    await Promise.resolve();
    expect(tasks.counts()).toEqual({ total: 4, active: 1, completed: 1, failed: 1, cancelled: 1, stuck: 0, types: ['a', 'b', 'c'] });
    expect(tasks.list()).toHaveLength(4);
    await tasks.shutdown(1000);
  });

  describe('cleanup', () => {
    it('cancels tasks older than the maximum age and logs the seed line', async () => {
      let now = 1_000_000;
      const { tasks, logs } = setup({ now: () => now, maxAgeMs: 60_000 });
      const old = tasks.run('stuck-one', {}, untilAborted);
      now += 30_000;
      const young = tasks.run('young', {}, untilAborted);
      now += 31_000;
      expect(tasks.cleanup()).toBe(1);
      await expect(old.done).rejects.toThrow('Cancelled after running longer than 60 s');
      await Promise.resolve();
      expect(tasks.get(old.id)?.status).toBe('cancelled');
      expect(tasks.get(young.id)?.status).toBe('running');
      expect(logs.at(-1)).toMatchObject({ level: 'info', message: 'Cleaned up 1 old background tasks', fields: { cancelled: 1, pruned: 0 } });
      await tasks.shutdown(1000);
    });

    it('prunes the oldest finished tasks beyond the history limit and keeps active ones', async () => {
      let now = 0;
      const { tasks, logs } = setup({ now: () => (now += 1), historyLimit: 3 });
      const finished: string[] = [];
      for (let i = 0; i < 7; i += 1) {
        const handle = tasks.run('short', { i }, async () => i);
        await handle.done;
        finished.push(handle.id);
      }
      const running = tasks.run('long', {}, untilAborted);
      await Promise.resolve();
      expect(tasks.cleanup()).toBe(4);
      expect(tasks.list().map((task) => task.id)).toEqual([...finished.slice(4), running.id]);
      expect(logs.at(-1)?.message).toBe('Cleaned up 4 old background tasks');
      expect(tasks.cleanup()).toBe(0);
      expect(logs.filter((entry) => entry.message.startsWith('Cleaned up'))).toHaveLength(1);
      await tasks.shutdown(1000);
    });

    it('counts an old task that ignores its signal as stuck once the grace period has passed', async () => {
      let now = 0;
      const { tasks } = setup({ now: () => now, maxAgeMs: 1000, stopGraceMs: 500 });
      tasks.run('deaf', {}, neverSettles);
      await Promise.resolve();
      now = 1001;
      expect(tasks.counts().stuck).toBe(1);
      expect(tasks.cleanup()).toBe(1);
      // Asked to stop just now: not stuck until the grace period is over.
      expect(tasks.counts().stuck).toBe(0);
      now = 1502;
      expect(tasks.counts()).toMatchObject({ active: 1, stuck: 1 });
      expect(tasks.cleanup()).toBe(0);
      await tasks.shutdown(10);
    });
  });

  describe('shutdown', () => {
    it('stops accepting, aborts every task and reports them stopped', async () => {
      const { tasks } = setup();
      const handles = [tasks.run('a', {}, untilAborted), tasks.run('b', {}, untilAborted)];
      await Promise.resolve();
      const report = await tasks.shutdown(5000);
      expect(report.stopped).toBe(2);
      expect(report.stuck).toEqual([]);
      expect(report.elapsedMs).toBeLessThan(1000);
      for (const handle of handles) {
        expect(tasks.get(handle.id)).toMatchObject({ status: 'cancelled', error: 'Shutting down' });
      }
      expect(() => tasks.run('late', {}, async () => 1)).toThrow('The app is shutting down and accepts no new tasks');
      expect(tasks.isAccepting).toBe(false);
    });

    it('forces tasks that ignore their signal after the timeout and reports each of them', async () => {
      const { tasks, logs } = setup();
      const polite = tasks.run('polite', {}, untilAborted);
      const deaf = tasks.run('deaf', {}, neverSettles);
      await Promise.resolve();
      const started = performance.now();
      const report = await tasks.shutdown(150);
      const elapsed = performance.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(140);
      expect(elapsed).toBeLessThan(1000);
      expect(report.stopped).toBe(1);
      expect(report.stuck.map((task) => task.id)).toEqual([deaf.id]);
      expect(tasks.get(polite.id)?.status).toBe('cancelled');
      expect(tasks.get(deaf.id)).toMatchObject({ status: 'cancelled', error: 'Forced: did not stop within 150 ms of shutdown' });
      expect(tasks.counts().active).toBe(0);
      expect(logs.filter((entry) => entry.level === 'error').map((entry) => entry.message)).toEqual([`Task deaf ${deaf.id} did not stop within 150 ms of shutdown; detaching it`]);
    });

    it('ends by force a cancelled task that ignores its signal, through the callback it registered', async () => {
      const { tasks, logs } = setup({ stopGraceMs: 50 });
      let forced = 0;
      const deaf = tasks.run(
        'deaf',
        {},
        (context) =>
          new Promise<never>((_, reject) =>
            context.onForce(() => {
              forced += 1;
              reject(new Error('thread terminated'));
            }),
          ),
      );
      await Promise.resolve();
      expect(tasks.cancel(deaf.id)).toBe(true);
      await expect(deaf.done).rejects.toThrow('thread terminated');
      expect(forced).toBe(1);
      expect(tasks.get(deaf.id)?.status).toBe('cancelled');
      expect(logs.filter((entry) => entry.level === 'error').map((entry) => entry.message)).toEqual([`Task deaf ${deaf.id} did not stop within 50 ms of being cancelled; terminating its threads`]);
    });
    it('terminates for real the thread of a task that never yields at shutdown, and says so', async () => {
      const { tasks } = setup();
      // A thread in an endless loop: it never reads a message or a flag again.
      const spinner = new Worker('for (;;) {}', { eval: true });
      let alive = true;
      const exited = new Promise<void>((resolve) => spinner.once('exit', () => resolve()));
      void exited.then(() => (alive = false));
      const stuck = tasks.run('spin', {}, (context) => {
        context.onForce(async () => {
          await spinner.terminate();
        });
        return new Promise<never>(() => {});
      });
      await Promise.resolve();
      const report = await tasks.shutdown(100);
      expect(report.stuck.map((task) => task.id)).toEqual([stuck.id]);
      // The thread is gone (terminate() ends even a loop that never yields), not merely relabelled.
      await Promise.resolve();
      expect(alive).toBe(false);
      expect(tasks.get(stuck.id)).toMatchObject({ status: 'cancelled', error: 'Forced: did not stop within 100 ms of shutdown; its threads were terminated' });
    });

    it('bounds the wait for force callbacks and says the threads did not end', async () => {
      const { tasks } = setup();
      const stuck = tasks.run('stuck', {}, (context) => {
        context.onForce(() => new Promise<void>(() => {}));
        return new Promise<never>(() => {});
      });
      await Promise.resolve();
      const started = performance.now();
      await tasks.shutdown(50, 100);
      expect(performance.now() - started).toBeLessThan(5000);
      expect(tasks.get(stuck.id)).toMatchObject({ status: 'cancelled', error: 'Forced: did not stop within 50 ms of shutdown; its threads did not end within 100 ms' });
    });
  });
});
