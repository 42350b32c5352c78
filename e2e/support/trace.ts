/** One top-level task of the renderer's main thread, from a Chrome trace. */
export interface MainThreadTask {
  /** Wall time, ms. */
  readonly wallMs: number;
  /** CPU time of the thread, ms: what the page itself spent, whatever else the machine ran. */
  readonly threadMs: number;
  readonly startUs: number;
  /**
   * True for a task that served a DevTools protocol message (Playwright's own queries and
   * evaluations): the test's doing, not the dashboard's.
   */
  readonly harness: boolean;
  /** True when the task ran requestAnimationFrame callbacks (where the charts draw). */
  readonly animationFrame: boolean;
  /** The slowest events inside it, by thread time: what the task did. */
  readonly inside: readonly { readonly name: string; readonly threadMs: number; readonly detail?: string }[];
}

interface TraceEvent {
  readonly name: string;
  readonly ph: string;
  readonly pid: number;
  readonly tid: number;
  readonly ts: number;
  readonly dur?: number;
  readonly tdur?: number;
  readonly args?: {
    readonly name?: string;
    readonly data?: { readonly functionName?: string; readonly url?: string; readonly type?: string };
    readonly chrome_mojo_event_info?: { readonly mojo_interface_tag?: string };
  };
}

const TOP_LEVEL = new Set(['RunTask', 'ThreadControllerImpl::RunTask']);
/** The timeline events that say what a task did (the Performance panel's own names). */
const WORK = new Set([
  'FunctionCall',
  'EventDispatch',
  'FireAnimationFrame',
  'TimerFire',
  'RunMicrotasks',
  'UpdateLayoutTree',
  'Layout',
  'PrePaint',
  'Paint',
  'Layerize',
  'MajorGC',
  'MinorGC',
  'EvaluateScript',
  'v8.compile',
  'ParseHTML',
  'HitTest',
]);

/** Every top-level task of each renderer main thread (CrRendererMain) in `events`. */
export function mainThreadTasks(events: readonly unknown[]): MainThreadTask[] {
  const all = events as readonly TraceEvent[];
  const mainThreads = new Set(all.filter((event) => event.ph === 'M' && event.name === 'thread_name' && event.args?.name === 'CrRendererMain').map((event) => `${event.pid}:${event.tid}`));
  const complete = all.filter((event) => event.ph === 'X' && mainThreads.has(`${event.pid}:${event.tid}`) && event.dur !== undefined).sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const tasks: MainThreadTask[] = [];
  let end = -1;
  let current: { task: MainThreadTask; children: MainThreadTask['inside'][number][]; harness: boolean } | null = null;
  const finish = (open: NonNullable<typeof current>) =>
    tasks.push({ ...open.task, harness: open.harness, animationFrame: open.children.some((child) => child.name === 'FireAnimationFrame'), inside: top(open.children) });
  for (const event of complete) {
    const dur = event.dur ?? 0;
    if (TOP_LEVEL.has(event.name) && event.ts >= end) {
      if (current !== null) finish(current);
      current = { task: { wallMs: dur / 1000, threadMs: (event.tdur ?? dur) / 1000, startUs: event.ts, harness: false, animationFrame: false, inside: [] }, children: [], harness: false };
      end = event.ts + dur;
    } else if (current !== null && event.ts < end && event.name === 'Receive mojo message' && event.args?.chrome_mojo_event_info?.mojo_interface_tag?.includes('DevToolsSession') === true) {
      current.harness = true;
    } else if (current !== null && event.ts < end && WORK.has(event.name)) {
      const data = event.args?.data;
      const detail = data?.functionName ?? data?.type ?? data?.url;
      current.children.push({ name: event.name, threadMs: (event.tdur ?? dur) / 1000, ...(detail ? { detail: String(detail).slice(0, 80) } : {}) });
    }
  }
  if (current !== null) finish(current);
  return tasks;
}

function top(children: MainThreadTask['inside'][number][]): MainThreadTask['inside'] {
  return [...children].sort((a, b) => b.threadMs - a.threadMs).slice(0, 8);
}

/** Totals and the worst tasks by thread time, the dashboard's own (harness tasks left out, their worst reported). */
export function summarizeTasks(all: readonly MainThreadTask[]) {
  const tasks = all.filter((task) => !task.harness);
  const harness = all.filter((task) => task.harness);
  const sorted = [...tasks].sort((a, b) => b.threadMs - a.threadMs);
  const worst = sorted[0] ?? null;
  const threadMs = tasks.reduce((sum, task) => sum + task.threadMs, 0);
  const round = (value: number) => Math.round(value * 10) / 10;
  return {
    tasks: tasks.length,
    threadMsTotal: round(threadMs),
    harnessTasks: harness.length,
    harnessWorstThreadMs: round(Math.max(0, ...harness.map((task) => task.threadMs))),
    over50WallMs: tasks.filter((task) => task.wallMs > 50).length,
    over50ThreadMs: tasks.filter((task) => task.threadMs > 50).length,
    worstThreadMs: round(worst?.threadMs ?? 0),
    worstWallMs: round(Math.max(0, ...tasks.map((task) => task.wallMs))),
    top5ThreadMs: sorted.slice(0, 5).map((task) => round(task.threadMs)),
    /** The five worst, with what each did. */
    worst: sorted
      .slice(0, 5)
      .map((task) => ({ ...task, wallMs: round(task.wallMs), threadMs: round(task.threadMs), inside: task.inside.map((item) => ({ ...item, threadMs: round(item.threadMs) })) })),
  };
}

/** The median and 95th percentile of `values` (nearest rank). */
export function percentiles(values: readonly number[]): { readonly count: number; readonly medianMs: number; readonly p95Ms: number; readonly maxMs: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (fraction: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))] ?? 0;
  const round = (value: number) => Math.round(value * 100) / 100;
  return { count: sorted.length, medianMs: round(at(0.5)), p95Ms: round(at(0.95)), maxMs: round(sorted[sorted.length - 1] ?? 0) };
}
